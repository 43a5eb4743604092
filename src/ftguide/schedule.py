"""How long a run takes: optimizer steps, tokens, and wall time on the user's GPU.

Steps, warmup, evaluation and save points and tokens are exact arithmetic over the profile and the dataset
size, counted the way the Hugging Face Trainer counts them.  Wall time comes from a throughput model:

``seconds per micro-batch = t * F / (peak * efficiency) + L * step_overhead + dequant * W / bandwidth``

where ``t`` is tokens per micro-batch, ``F`` the FLOPs per token (``2 * P`` forward, ``2 * P`` for the input
gradients through frozen weights, ``2 * P`` again when checkpointing recomputes the forward, plus attention
``6 * L * s * q``), ``P`` the weights a token passes through, ``peak`` the card's dense bf16 TFLOPS,
``L`` the layer count, ``W`` the bf16 bytes of the quantized weights and ``bandwidth`` the card's memory
bandwidth (a quantized base is dequantized once per pass).  ``efficiency``, ``step_overhead`` and
``dequant`` are fitted per framework to tokens-per-second measured on an H200 by ``calibration/``.  Other
cards scale by their compute (first term) and memory bandwidth (third term); since the efficiency of other
architectures was not measured, the range widens for them.

With ``--dataset`` the steps and tokens follow the data: each example is as long as its measured tokens plus
32 for the template (at most ``max_seq_length``; text rows are cut into pieces of that length, as the
scripts and Axolotl cut them).  Unpacked, a micro-batch is padded to its longest example, whose expected
length comes from the measured distribution; packed (``--packing``), the examples fill sequences of
``max_seq_length`` tokens, so there are fewer, full micro-batches.  Without a dataset every example is
taken to fill ``max_seq_length``: an upper bound.

Packing never puts more than ``batch_size * max_seq_length`` tokens in a micro-batch, the size the memory
estimate prices (it assumes full sequences), so it does not raise the activation memory.  Under ``sdpa`` the
PEFT script's packed micro-batch is one row of up to ``batch_size * max_seq_length`` tokens kept apart by a
block mask: attention then runs over the whole row, which the time model counts, and the mask itself takes
(tokens)^2 bytes (4 MiB for 1 x 2048, 256 MiB for 8 x 2048), which the memory estimate does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ftguide.catalog import GPU, GPU_CATALOG, Architecture
from ftguide.memory import calibration
from ftguide.models import Profile, Schedule, Span

#: Spread of the estimate: the calibration's held-out error on the H200, wider on cards not measured.
MEASURED_SPREAD = 0.2
OTHER_CARD_SPREAD = 0.35
EVAL_COST = 1 / 3  # a forward pass without gradients costs about a third of a training step


@dataclass(frozen=True)
class Throughput:
    efficiency: float = 0.35
    step_overhead: float = 0.004
    dequant: float = 3.0
    int8_slowdown: float = 3.0
    source: str = "first-principles defaults (not calibrated)"


def throughput_coefficients(framework: str) -> Throughput:
    groups: dict[str, Any] = calibration().get("throughput", {})
    if framework in groups:
        return Throughput(**groups[framework])
    return Throughput()


def flops_per_token(profile: Profile, arch: Architecture, context: int | None = None) -> float:
    """Training FLOPs per token through a LoRA model (frozen base: no weight gradients).

    ``context`` is the length attention runs over (default ``max_seq_length``).
    """
    h, q, kv = arch.hidden_size, arch.q_dim, arch.kv_dim

    def per_layer(layer: Architecture) -> float:
        inner = (layer.num_experts_per_tok or 1) * layer.intermediate_size + layer.shared_expert_intermediate_size
        return h * q + 2 * h * kv + q * h + 3 * h * inner

    params = arch.per_layer_sum(per_layer) + arch.vocab_size * h
    passes = 3 if profile.gradient_checkpointing else 2
    span = profile.max_seq_length if context is None else context
    attention = 2 * arch.num_hidden_layers * span * q  # causal QK^T and AV, one pass
    return float(2 * params * passes + attention * (passes + 1))


def seconds_per_micro_batch(
    profile: Profile,
    arch: Architecture,
    gpu: GPU,
    coef: Throughput,
    seq_len: float | None = None,
    context: float | None = None,
) -> float:
    """One micro-batch of ``batch_size`` sequences of ``seq_len`` tokens (default ``max_seq_length``), whose
    attention spans ``context`` tokens (default ``seq_len``)."""
    length = profile.max_seq_length if seq_len is None else seq_len
    tokens = profile.batch_size * length
    span = round(length if context is None else context)
    compute = tokens * flops_per_token(profile, arch, span) / (gpu.bf16_tflops * 1e12 * coef.efficiency)
    if profile.quantization == "8bit":
        compute *= coef.int8_slowdown
    overhead = arch.num_hidden_layers * coef.step_overhead
    dequant = 0.0
    if profile.quantization == "4bit":
        weights = arch.decoder_linear_params() * 2.0
        passes = 3 if profile.gradient_checkpointing else 2
        dequant = coef.dequant * passes * weights / (gpu.memory_bandwidth_gbs * 1e9)
    return compute + overhead + dequant


def tokens_per_second(
    profile: Profile,
    arch: Architecture,
    gpu: GPU,
    framework: str,
    seq_len: float | None = None,
    context: float | None = None,
) -> float:
    coef = throughput_coefficients(framework)
    length = profile.max_seq_length if seq_len is None else seq_len
    return profile.batch_size * length / seconds_per_micro_batch(profile, arch, gpu, coef, seq_len, context)


@dataclass(frozen=True)
class DataShape:
    """How the data fills the run: sequences to train on, and the mean length of a micro-batch's sequences."""

    sequences: int
    """Training sequences before the evaluation split (examples, or text pieces)."""
    packed: int | None
    """Sequences after packing the training split, or None unpacked."""
    seq_len: float
    """Tokens per sequence of a micro-batch, padding included (max_seq_length when packed)."""
    eval_seq_len: float
    assumptions: list[str]
    context: float | None = None
    """Tokens attention spans, where not ``seq_len`` (a packed PEFT micro-batch under sdpa: the whole batch)."""


def _lengths(stats: dict[str, Any], max_seq_length: int) -> list[int]:
    """The 101 percentiles of example lengths as trained: tokens plus the template allowance, at most the cap."""
    from ftguide.dataset import TEMPLATE_ALLOWANCE

    cap = max_seq_length
    return [min(cap, int(t) + TEMPLATE_ALLOWANCE) for t in stats["token_percentiles"]]


def expected_longest(lengths: list[int], batch: int) -> float:
    """Expected length of the longest of ``batch`` examples drawn from the percentile distribution ``lengths``."""
    n = len(lengths)
    return sum(value * (((k + 1) / n) ** batch - (k / n) ** batch) for k, value in enumerate(lengths))


def packed_sequences(stats: dict[str, Any], examples: int, max_seq_length: int) -> int:
    """Sequences of ``max_seq_length`` tokens that ``examples`` examples of the measured lengths fill."""
    from ftguide.dataset import TEMPLATE_ALLOWANCE

    lengths = _lengths(stats, max_seq_length)
    if int(stats["token_percentiles"][-1]) + TEMPLATE_ALLOWANCE <= max_seq_length:
        mean = stats["tokens_total"] / stats["examples"] + TEMPLATE_ALLOWANCE  # exact: nothing is cut
    else:
        mean = sum(lengths) / len(lengths)
    return max(1, math.ceil(examples * mean / max_seq_length))


def data_shape(profile: Profile, examples: int, stats: dict[str, Any] | None, framework: str = "peft") -> DataShape:
    """The sequences and their lengths for ``profile`` on the data ``stats`` describe (None: unknown data)."""
    length = profile.max_seq_length
    held_out = round(examples * profile.val_set_size)
    if stats is None or "token_percentiles" not in stats:
        notes = ["every example fills max_seq_length (an upper bound for shorter data)"]
        if profile.packing:
            notes.append("--packing without --dataset: steps counted as if unpacked (give --dataset to count them)")
        return DataShape(examples, None, length, length, notes)
    measured = "counted with the tokenizer" if stats.get("tokens_exact") else "estimated as characters / 4"
    notes = [f"example lengths measured by --dataset (tokens {measured}), plus 32 each for the template"]
    sequences = examples
    if profile.dataset_format == "text":  # text rows are cut into pieces of max_seq_length, not truncated
        pieces = [max(1, math.ceil(int(t) / length)) for t in stats["token_percentiles"]]
        sequences = max(1, round(examples * sum(pieces) / len(pieces)))
        held_out = round(sequences * profile.val_set_size)
    lengths = _lengths(stats, length)
    unpacked = expected_longest(lengths, profile.batch_size)
    eval_len = expected_longest(lengths, profile.batch_size)
    if not profile.packing:
        notes.append(f"each micro-batch padded to its longest example (about {unpacked:,.0f} tokens expected)")
        return DataShape(sequences, None, unpacked, eval_len, notes)
    train = max(1, sequences - held_out)
    packed = packed_sequences(stats, train, length)
    notes.append(f"--packing: {train:,} training examples fill {packed:,} sequences of {length} tokens")
    context = None
    if framework == "peft" and profile.attn_implementation != "flash_attention_2" and profile.batch_size > 1:
        context = profile.batch_size * length
        notes.append(f"packed micro-batches attend as one row of {context} tokens (TRL padding-free under sdpa)")
    return DataShape(sequences, packed, length, eval_len, notes, context)


def default_gpu(budget_gib: float | None) -> GPU:
    """Without --gpu: the smallest catalog card with at least the budget (an H100 when there is none)."""
    cards = sorted((g for g in GPU_CATALOG if g.vendor == "nvidia"), key=lambda g: (g.memory_gib, g.bf16_tflops))
    if budget_gib is not None:
        for card in cards:
            if card.memory_gib >= budget_gib - 0.5:
                return card
    return next(g for g in GPU_CATALOG if g.name == "H100-80GB")


def build_schedule(
    profile: Profile,
    arch: Architecture,
    examples: int,
    framework: str,
    gpu: GPU | None,
    budget_gib: float | None,
    dataset: dict[str, Any] | None = None,
) -> Schedule:
    """The schedule and time estimate of ``profile`` trained on ``examples`` examples.

    ``dataset`` is the ``--dataset`` statistics (``DatasetStats`` as plain data): with it, the sequences and
    their lengths come from the data (see the module docstring).
    """
    shape = data_shape(profile, examples, dataset, framework)
    held_out = round(shape.sequences * profile.val_set_size)
    train = max(1, shape.sequences - held_out)
    steps_of = shape.packed if shape.packed is not None else train
    batches = math.ceil(steps_of / (profile.batch_size * profile.num_gpus))
    accum = profile.gradient_accumulation_steps
    per_epoch = max(batches // accum + int(batches % accum > 0), 1)
    total = max(1, math.ceil(per_epoch * profile.num_epochs))
    warmup = math.ceil(total * profile.warmup_ratio)
    evaluations = total // profile.eval_steps if held_out else 0
    sequences = min(total * profile.effective_batch_size, math.ceil(steps_of * profile.num_epochs))
    tokens = round(sequences * shape.seq_len)
    card = gpu or default_gpu(budget_gib)
    assumptions = [*shape.assumptions, f"throughput of the {framework} script, calibrated on an NVIDIA H200"]
    if gpu is None:
        assumptions.append(f"no --gpu given: timed for a {card.name} ({card.memory_gib:g} GiB)")
    if profile.num_gpus > 1:
        assumptions.append(f"{profile.num_gpus} GPUs share the work evenly (no communication cost)")
    tps = tokens_per_second(profile, arch, card, framework, shape.seq_len, shape.context) * profile.num_gpus
    train_seconds = tokens / tps
    eval_tps = tokens_per_second(profile, arch, card, framework, shape.eval_seq_len) * profile.num_gpus
    eval_seconds = evaluations * held_out * shape.eval_seq_len * EVAL_COST / eval_tps
    hours = (train_seconds + eval_seconds) / 3600
    spread = MEASURED_SPREAD if card.name == "H200" else OTHER_CARD_SPREAD
    if card.name != "H200":
        assumptions.append(f"scaled from the H200 by compute ({card.bf16_tflops:g} vs 989 TFLOPS) and memory bandwidth")
    return Schedule(
        train_examples=train,
        packed_sequences=shape.packed,
        eval_examples=held_out,
        steps_per_epoch=per_epoch,
        total_steps=total,
        warmup_steps=warmup,
        evaluations=evaluations,
        saves=evaluations,
        tokens=tokens,
        gpu=card.name,
        tokens_per_second=Span(low=round(tps * (1 - spread)), expected=round(tps), high=round(tps * (1 + spread))),
        estimated_hours=Span(
            low=_round_hours(hours / (1 + spread)),
            expected=_round_hours(hours),
            high=_round_hours(hours / (1 - spread)),
        ),
        assumptions=assumptions,
    )


def _round_hours(hours: float) -> float:
    return round(hours, 3 if hours < 1 else 2)
