"""Rules for what a step trains: which tokens carry the loss, and whether examples are packed."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ftguide.rules import Context, Fix, rule


@rule("LS001", "loss-on-responses", order=135, kind="default", fields=("train_on",))
def loss_on_responses(ctx: Context) -> Iterator[Fix]:
    """Put the loss on the responses and the end-of-turn token after each, the same in every target.

    Why:
    The prompts are given at inference time; training on them spends the adapter on reproducing questions,
    and the QLoRA paper found training on the responses alone slightly better. Every assistant turn is
    trained, not only the last, so multi-turn data teaches every answer; the end-of-turn token is trained so
    the model learns to stop. Axolotl gets `roles_to_train: [assistant]`, `train_on_eos: turn` and
    `train_on_inputs: false`; the PEFT and Unsloth scripts build the same labels from the same chat
    template. `--train-on all` trains the prompts too (every turn's content and end-of-turn token). Text
    rows always train on every token.

    Example:
    messages data: each assistant turn's content and its end-of-turn token carry the loss; system and user
    turns and the template's role headers do not. Alpaca data: the output and its EOS.
    """
    yield Fix("train_on", "responses", "loss on every response and its end-of-turn token (--train-on all: prompts too)")


@rule("LS002", "chunked-loss-when-short", order=137, kind="default", fields=("chunked_cross_entropy",))
def chunked_loss_when_short(ctx: Context) -> Iterator[Fix]:
    """Axolotl computes the loss over the whole logits at once, its default; chunked only when memory is short.

    Why:
    Axolotl trains through transformers' Trainer, whose loss upcasts the full micro-batch x sequence x
    vocabulary logits to fp32 and keeps them, with their gradient, for the backward pass: gigabytes on the
    128k-256k vocabularies of Llama-3, Qwen2.5 and Gemma. Axolotl's `chunked_cross_entropy: true` upcasts and
    reduces one chunk of the logits at a time: the same loss, no quality cost. Measured on the H200 it saves
    6.0 bytes per logit element on Llama, Mistral and Gemma but only 3.0 on Qwen2.5 (Axolotl compiles that
    loss with inductor), so the estimate counts the smaller saving. The fitter turns it on first when an
    Axolotl run does not fit; the PEFT and Unsloth scripts never hold the full fp32 logits, so they have no
    such option (and refuse the flag).

    Example:
    Llama-3.2-1B at micro-batch 16 x 1024 tokens on the Axolotl path: chunked_cross_entropy True measured
    11.7 GiB less at the peak.
    """
    yield Fix(
        "chunked_cross_entropy",
        False,
        "loss over the whole logits at once, Axolotl's default (the PEFT and Unsloth trainers never hold them)",
    )


@rule("PK001", "packing-on-request", order=136, kind="default", fields=("packing",))
def packing_on_request(ctx: Context) -> Iterator[Fix]:
    """Pack examples into full sequences only when asked (`--packing`).

    Why:
    Packing fills each sequence of max_seq_length tokens with several examples, so short examples stop paying
    for padding: with data much shorter than max_seq_length a run takes several times fewer steps. It also
    changes what a step is (more examples per optimizer step at the same learning rate) and needs attention
    that keeps the packed examples apart (block masks; varlen kernels with flash attention). So it stays off
    unless asked; with `--dataset` the schedule counts the packed sequences. Packing never puts more than
    batch_size x max_seq_length tokens in a micro-batch, which is what the memory estimate prices; under sdpa
    the PEFT script's block mask adds (batch_size x max_seq_length)^2 bytes on top (4 MiB at 1 x 2048).

    Example:
    `--packing` with 2000 examples of 300 tokens (1800 trained, 200 held out) and max_seq_length 2048:
    1800 x 332 / 2048, so 292 sequences per epoch instead of 1800.
    """
    median = (ctx.dataset or {}).get("tokens", {}).get("median")
    if median is not None:
        yield Fix("packing", False, f"off unless --packing (the median example is {median} tokens)")
    else:
        yield Fix("packing", False, "off unless --packing")


@rule("PK002", "eval-cadence-when-packed", order=290, kind="check", fields=("eval_steps",))
def eval_cadence_when_packed(ctx: Context) -> Iterator[Fix]:
    """With packing, evaluate about 10 times over the packed run, as unpacked runs do.

    Why:
    Packing cuts the optimizer steps by the number of examples per sequence, and the evaluation cadence was
    chosen for unpacked steps: a packed run would evaluate too rarely for early stopping's patience to act.
    The packed steps are counted from the lengths `--dataset` measured.

    Example:
    2000 examples of 300 tokens at max_seq_length 2048, batch 4 x 4, 2 epochs: 226 unpacked steps
    (eval_steps 22) become 38 packed steps: eval_steps 3.
    """
    if not ctx.get("packing") or not ctx.dataset or "token_percentiles" not in ctx.dataset:
        return
    if not ctx.has("eval_steps", "max_seq_length", "num_epochs") or ctx.effective_batch is None:
        return
    from ftguide.rules.data import EVALS_PER_RUN
    from ftguide.schedule import packed_sequences

    train = ctx.train_examples
    if train is None:
        return
    sequences = packed_sequences(ctx.dataset, train, int(ctx.values["max_seq_length"]))
    batches = math.ceil(sequences / (int(ctx.values["batch_size"]) * ctx.num_gpus))
    per_epoch = max(1, math.ceil(batches / int(ctx.values["gradient_accumulation_steps"])))
    steps = max(1, math.ceil(per_epoch * float(ctx.values["num_epochs"])))
    every = max(1, steps // EVALS_PER_RUN)
    if int(ctx.values["eval_steps"]) > every:
        yield Fix("eval_steps", every, f"{sequences:,} packed sequences make {steps} optimizer steps")
