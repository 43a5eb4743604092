"""Rules about the card: quantization, precision, checkpointing, sequence length and the optimizer."""

from __future__ import annotations

from collections.abc import Iterator

from ftguide import memory
from ftguide.catalog import Architecture
from ftguide.rules import Context, Fix, rule

DEFAULT_SEQ_LEN = 2048


@rule("QT001", "quantization", order=200, kind="default", fields=("quantization",))
def quantization(ctx: Context) -> Iterator[Fix]:
    """Start in 16-bit when the card is known (the fitter moves to 4-bit if needed), else 4-bit QLoRA.

    Why:
    16-bit LoRA trains faster and slightly better than QLoRA, so with a known budget ftguide keeps it
    unless memory forces 4-bit (the guide's third memory lever). With no budget it assumes a consumer card
    and takes the guide's QLoRA configuration: NF4 weights, double quantization, bf16 compute.

    An MoE whose fused experts bitsandbytes leaves 16-bit (transformers 5.x stores them as 3-D parameters, not
    ``nn.Linear``) gains nothing from 4-bit on those weights, and the PEFT and Axolotl paths then cast them to
    fp32: where the frozen weights of a 4-bit run would take more memory than in 16-bit, it starts in 16-bit.

    Example:
    --vram 80 with a 7B model stays 16-bit; no --vram and no --gpu gives 4bit; Qwen3-30B-A3B on the PEFT script
    with no budget starts in 16-bit (its experts are 94% of its weights).
    """
    if ctx.budget_gib is None:
        if ctx.arch is not None and _four_bit_weighs_more(ctx.arch, ctx.framework):
            yield Fix(
                "quantization",
                "none",
                f"no memory budget given, but {ctx.arch.name}'s fused experts stay 16-bit under bitsandbytes "
                "(and are cast to fp32): its frozen weights would take more memory in 4-bit than in 16-bit",
            )
            return
        yield Fix("quantization", "4bit", "no memory budget given: the guide's QLoRA setup (nf4, double quant)")
    else:
        yield Fix("quantization", "none", "16-bit LoRA first; 4-bit only if memory demands it")


def _four_bit_weighs_more(arch: Architecture, framework: str) -> bool:
    """Whether a 4-bit run's frozen weights (with the libraries' fp32 upcast) outweigh a 16-bit run's."""
    if not memory.unquantized_expert_params(arch, "4bit", framework):
        return False
    coef = memory.coefficients(framework)

    def frozen(quantization: str) -> float:
        return memory.base_weight_bytes(arch, quantization, framework) + memory.unquantized_weight_bytes(
            arch, quantization, coef, framework
        )

    return frozen("4bit") >= frozen("none")


@rule("QT003", "frozen-weights-upcast", order=202, kind="default", fields=("embeddings_upcast",))
def frozen_weights_upcast(ctx: Context) -> Iterator[Fix]:
    """In 4/8-bit runs the frozen weights left unquantized start in fp32, the libraries' default.

    Why:
    PEFT's `prepare_model_for_kbit_training` and Axolotl cast the embeddings, the LM head (and fused MoE
    experts, which bitsandbytes does not quantize) to fp32 for numerical safety. That costs 2 bytes per such
    parameter: about 2 GiB on a Llama-3 8B, whose 128k-token vocabulary makes them large. When memory is
    short the fitter keeps them in 16-bit first (it changes no trained weight and costs no speed); norms stay
    in fp32.

    Example:
    Llama-3.1-8B in 4-bit on a 10 GiB card: embeddings_upcast False (saves about 1.9 GiB).
    """
    yield Fix("embeddings_upcast", True, "fp32 frozen embeddings / LM head, the libraries' default")


@rule("MM001", "gradient-checkpointing", order=210, kind="default", fields=("gradient_checkpointing",))
def gradient_checkpointing(ctx: Context) -> Iterator[Fix]:
    """Start without gradient checkpointing when the card is known; with it when it is not.

    Why:
    Checkpointing is the guide's first memory lever: it recomputes activations in the backward pass,
    costing about a third more compute. With a budget the fitter turns it on only if needed.

    Example:
    --vram 80 with a 1B model runs without it; --vram 12 with a 7B model needs it.
    """
    if ctx.budget_gib is None:
        yield Fix("gradient_checkpointing", True, "no memory budget given: save activation memory")
    else:
        yield Fix("gradient_checkpointing", False, "off unless memory demands it (it costs ~30% speed)")


@rule("PR001", "precision-default", order=220, kind="default", fields=("precision",))
def precision_default(ctx: Context) -> Iterator[Fix]:
    """Train in bf16, or fp16 on a card without bf16.

    Why:
    bf16 has fp32's range, so losses do not overflow; cards before Ampere (T4, V100) lack it and need fp16
    with loss scaling. The guide's QLoRA compute dtype is bf16.

    Example:
    --gpu T4 gives fp16; --gpu A100-80GB gives bf16.
    """
    if ctx.gpu is not None and not ctx.gpu.bf16:
        yield Fix("precision", "fp16", f"{ctx.gpu.name} has no bf16 support")
    else:
        yield Fix("precision", "bf16", "bf16 mixed precision (guide: bf16 compute dtype)")


@rule("PR002", "bf16-needs-support", order=225, kind="check", fields=("precision",), severity="error")
def bf16_support(ctx: Context) -> Iterator[Fix]:
    """Use fp16 on cards without bf16.

    Why:
    bf16 on a pre-Ampere card fails at start ("Your setup doesn't support bf16/gpu") or trains in emulation.

    Example:
    precision bf16 with --gpu V100-16GB: fp16 is required.
    """
    if ctx.gpu is not None and not ctx.gpu.bf16 and ctx.get("precision") == "bf16":
        yield Fix("precision", "fp16", f"{ctx.gpu.name} has no bf16 support")


@rule("DS003", "sequence-length-from-data", order=228, kind="default", fields=("max_seq_length",))
def seq_from_data(ctx: Context) -> Iterator[Fix]:
    """With --dataset, fit max_seq_length to the data: its 95th-percentile length, rounded up.

    Why:
    Padding every sequence to 2048 tokens when the data is 300 tokens long wastes memory and time; cutting it
    shorter than most examples truncates what the model should learn. The 95th percentile (plus room for the
    prompt template) keeps 95% of the examples whole.

    Example:
    A dataset whose 95th percentile is 410 tokens: 512.
    """
    if ctx.dataset and ctx.dataset.get("suggested_max_seq_length"):
        value = int(ctx.dataset["suggested_max_seq_length"])
        if ctx.arch is not None:
            value = min(value, ctx.arch.max_position_embeddings)
        yield Fix("max_seq_length", value, str(ctx.dataset.get("reason", "from the dataset's lengths")))


@rule("SQ001", "max-seq-length", order=230, kind="default", fields=("max_seq_length",))
def max_seq_length(ctx: Context) -> Iterator[Fix]:
    """Train on sequences of up to 2048 tokens, or the model's context if shorter.

    Why:
    2048 tokens holds most instruction data; the guide's fourth memory lever shortens it (to 512 at the
    least) when memory demands it.

    Example:
    A 2048-token limit on Llama; 1024 on a model whose context is 1024.
    """
    limit = ctx.arch.max_position_embeddings if ctx.arch else DEFAULT_SEQ_LEN
    value = min(DEFAULT_SEQ_LEN, limit)
    yield Fix("max_seq_length", value, f"{value} tokens fits typical instruction data")


@rule("SQ002", "seq-within-context", order=240, kind="check", fields=("max_seq_length",), severity="error")
def seq_within_context(ctx: Context) -> Iterator[Fix]:
    """Keep max_seq_length within the model's context window.

    Why:
    Positions past the trained context are extrapolated badly and waste memory on padding.

    Example:
    8192 on a model with a 4096-token context: 4096.
    """
    if ctx.arch is None or not ctx.has("max_seq_length"):
        return
    if int(ctx.values["max_seq_length"]) > ctx.arch.max_position_embeddings:
        yield Fix(
            "max_seq_length",
            ctx.arch.max_position_embeddings,
            f"{ctx.arch.name} has a {ctx.arch.max_position_embeddings}-token context",
        )


@rule("QT002", "int8-base-keeps-activations", order=205, kind="check", fields=("quantization",), severity="info")
def int8_activations(ctx: Context) -> Iterator[Fix]:
    """Prefer 4-bit or 16-bit to an 8-bit base.

    Why:
    Measured on an H200 with ftguide's PEFT script: an 8-bit (LLM.int8) base halves the weights of a 16-bit
    run, but keeps about 2.5 times its activations, and gradient checkpointing saved between nothing and half
    of them. 4-bit QLoRA is smaller in every case measured; 16-bit is faster and, with checkpointing, often
    smaller too.

    Example:
    quantization 8bit: 4bit recommended.
    """
    if ctx.get("quantization") == "8bit":
        yield Fix("quantization", "4bit", "an 8-bit base keeps ~2.5x the activations of 16-bit (measured)")


@rule("OP001", "optimizer", order=250, kind="default", fields=("optimizer",))
def optimizer(ctx: Context) -> Iterator[Fix]:
    """AdamW: fused PyTorch AdamW in 16-bit runs, bitsandbytes 8-bit AdamW with quantized weights.

    Why:
    LoRA optimizer state is small either way; with a quantized base bitsandbytes is installed anyway and its
    8-bit AdamW quarters the state, matching QLoRA practice.

    Example:
    quantization 4bit: adamw_8bit; quantization none: adamw_torch_fused.
    """
    quant = ctx.get("quantization", "4bit")
    if quant == "none":
        yield Fix("optimizer", "adamw_torch_fused", "16-bit run: fused PyTorch AdamW")
    else:
        yield Fix("optimizer", "adamw_8bit", f"{quant} base: bitsandbytes 8-bit AdamW")


@rule("CT001", "chat-template", order=260, kind="default", fields=("chat_template",))
def chat_template(ctx: Context) -> Iterator[Fix]:
    """Chat data uses the model family's chat template.

    Why:
    The guide's first cause of garbage output is a wrong chat template: it must match the base model's.

    Example:
    Llama 3 with messages data: llama3.
    """
    fmt = ctx.get("dataset_format", "alpaca")
    if fmt in ("messages", "sharegpt") and ctx.arch is not None and ctx.arch.chat_template:
        yield Fix("chat_template", ctx.arch.chat_template, f"{ctx.arch.model_type} family template")


@rule("MG001", "multi-gpu-engine", order=270, kind="default", fields=("distributed",))
def multi_gpu_engine(ctx: Context) -> Iterator[Fix]:
    """One GPU runs plain; several start with data parallelism (DDP), sharded only when memory demands it.

    Why:
    The guide's effective batch already counts GPUs. Plain data parallelism keeps a full copy of the model on
    each GPU and is the fastest; when the model does not fit one GPU, the fitter moves to FSDP, which shards
    the (4-bit or 16-bit) base weights over the GPUs.

    Example:
    --gpus 4 with an 8B model: ddp; --gpus 4 with a 70B model on 40 GiB cards: fsdp.
    """
    yield Fix("distributed", "none" if ctx.num_gpus == 1 else "ddp", f"{ctx.num_gpus} GPU(s)")


@rule("MG002", "qlora-with-zero3", order=275, kind="check", fields=("distributed",))
def qlora_zero3(ctx: Context) -> Iterator[Fix]:
    """Shard a quantized base with FSDP, not DeepSpeed ZeRO-3.

    Why:
    ZeRO-3 partitions parameters it expects to be floating point; with 4-bit or 8-bit bitsandbytes weights it
    fails or silently skips them (a long-standing Axolotl and DeepSpeed limitation). FSDP2 with a bf16 quant
    storage type is the supported way to shard QLoRA.

    Example:
    quantization 4bit with distributed zero3: fsdp.
    """
    if ctx.get("distributed") == "zero3" and ctx.get("quantization", "none") != "none":
        yield Fix("distributed", "fsdp", "ZeRO-3 does not shard bitsandbytes-quantized weights")


@rule("MG003", "fsdp-optimizer", order=280, kind="check", fields=("optimizer",), severity="error")
def fsdp_optimizer(ctx: Context) -> Iterator[Fix]:
    """Use PyTorch's fused AdamW under FSDP.

    Why:
    FSDP2 shards parameters as DTensors, which bitsandbytes' 8-bit optimizers cannot step; Axolotl rejects
    adamw_bnb_8bit with FSDP2 for this reason.

    Example:
    distributed fsdp with optimizer adamw_8bit: adamw_torch_fused.
    """
    if ctx.get("distributed") == "fsdp" and "8bit" in str(ctx.get("optimizer", "")):
        yield Fix("optimizer", "adamw_torch_fused", "8-bit bitsandbytes optimizers do not work with FSDP2")


@rule("MG004", "engine-matches-gpus", order=285, kind="check", fields=("distributed",), severity="error")
def engine_matches_gpus(ctx: Context) -> Iterator[Fix]:
    """A multi-GPU engine needs several GPUs, and several GPUs need one.

    Why:
    FSDP or ZeRO on one GPU only adds communication; several GPUs without an engine run one copy each.

    Example:
    --gpus 1 with distributed fsdp: none.
    """
    engine = ctx.get("distributed")
    if engine is None:
        return
    if ctx.num_gpus == 1 and engine != "none":
        yield Fix("distributed", "none", "one GPU")
    elif ctx.num_gpus > 1 and engine == "none":
        yield Fix("distributed", "ddp", f"{ctx.num_gpus} GPUs")
