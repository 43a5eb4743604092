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


def flops_per_token(profile: Profile, arch: Architecture) -> float:
    """Training FLOPs per token through a LoRA model (frozen base: no weight gradients)."""
    experts = arch.num_experts_per_tok or 1
    h, i, q, kv = arch.hidden_size, arch.intermediate_size, arch.q_dim, arch.kv_dim
    per_layer = h * q + 2 * h * kv + q * h + 3 * h * i * experts
    params = arch.num_hidden_layers * per_layer + arch.vocab_size * h
    passes = 3 if profile.gradient_checkpointing else 2
    attention = 2 * arch.num_hidden_layers * profile.max_seq_length * q  # causal QK^T and AV, one pass
    return float(2 * params * passes + attention * (passes + 1))


def seconds_per_micro_batch(profile: Profile, arch: Architecture, gpu: GPU, coef: Throughput) -> float:
    tokens = profile.batch_size * profile.max_seq_length
    compute = tokens * flops_per_token(profile, arch) / (gpu.bf16_tflops * 1e12 * coef.efficiency)
    if profile.quantization == "8bit":
        compute *= coef.int8_slowdown
    overhead = arch.num_hidden_layers * coef.step_overhead
    dequant = 0.0
    if profile.quantization == "4bit":
        weights = arch.num_hidden_layers * arch.linear_params_per_layer() * 2.0
        passes = 3 if profile.gradient_checkpointing else 2
        dequant = coef.dequant * passes * weights / (gpu.memory_bandwidth_gbs * 1e9)
    return compute + overhead + dequant


def tokens_per_second(profile: Profile, arch: Architecture, gpu: GPU, framework: str) -> float:
    coef = throughput_coefficients(framework)
    return profile.batch_size * profile.max_seq_length / seconds_per_micro_batch(profile, arch, gpu, coef)


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
) -> Schedule:
    """The schedule and time estimate of ``profile`` trained on ``examples`` examples."""
    held_out = round(examples * profile.val_set_size)
    train = max(1, examples - held_out)
    batches = math.ceil(train / (profile.batch_size * profile.num_gpus))
    accum = profile.gradient_accumulation_steps
    per_epoch = max(batches // accum + int(batches % accum > 0), 1)
    total = max(1, math.ceil(per_epoch * profile.num_epochs))
    warmup = math.ceil(total * profile.warmup_ratio)
    evaluations = total // profile.eval_steps if held_out else 0
    tokens = min(total * profile.effective_batch_size, math.ceil(train * profile.num_epochs)) * profile.max_seq_length
    card = gpu or default_gpu(budget_gib)
    assumptions = [
        "every example fills max_seq_length (an upper bound for shorter data)",
        f"throughput of the {framework} script, calibrated on an NVIDIA H200",
    ]
    if gpu is None:
        assumptions.append(f"no --gpu given: timed for a {card.name} ({card.memory_gib:g} GiB)")
    if profile.num_gpus > 1:
        assumptions.append(f"{profile.num_gpus} GPUs share the work evenly (no communication cost)")
    tps = tokens_per_second(profile, arch, card, framework) * profile.num_gpus
    train_seconds = tokens / tps
    eval_seconds = evaluations * held_out * profile.max_seq_length * EVAL_COST / tps
    hours = (train_seconds + eval_seconds) / 3600
    spread = MEASURED_SPREAD if card.name == "H200" else OTHER_CARD_SPREAD
    if card.name != "H200":
        assumptions.append(f"scaled from the H200 by compute ({card.bf16_tflops:g} vs 989 TFLOPS) and memory bandwidth")
    return Schedule(
        train_examples=train,
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
