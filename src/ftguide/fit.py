"""Make a profile fit a memory budget, pulling the guide's levers in the guide's order.

The order is the guide's "Reducing VRAM Usage" list: gradient checkpointing, then a smaller micro-batch
with more accumulation (the effective batch stays), then 4-bit quantization, then a shorter sequence, then
fewer target modules.  Values the user fixed are never touched.  Once a profile fits, the micro-batch is
grown back as far as the budget allows, since a larger micro-batch trains faster at the same effective batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ftguide import memory
from ftguide.catalog import ARCHITECTURES, Architecture, expand_targets
from ftguide.errors import FitError
from ftguide.models import Decision, MemoryEstimate, Profile

MIN_SEQ_LEN = 512
RULE = "MM002"


@dataclass(frozen=True)
class FitResult:
    profile: Profile
    memory: MemoryEstimate
    decisions: list[Decision]


def _fits(profile: Profile, arch: Architecture, framework: str, budget: float) -> bool:
    return memory.total_gib(profile, arch, framework) + memory.safety_margin(budget) <= budget


def _with(profile: Profile, **changes: object) -> Profile:
    data = profile.model_dump()
    data.update(changes)
    data["effective_batch_size"] = data["batch_size"] * data["gradient_accumulation_steps"] * data["num_gpus"]
    return Profile.model_validate(data)


#: A lever yields successively lighter profiles, each with the reason it is lighter.
Lever = Callable[[Profile, frozenset[str], Architecture], Iterator[tuple[Profile, str]]]


def _checkpointing(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if not p.gradient_checkpointing and "gradient_checkpointing" not in fixed:
        yield _with(p, gradient_checkpointing=True), "gradient checkpointing on (guide lever 1)"


def _smaller_batch(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if "batch_size" in fixed:
        return
    while p.batch_size > 1:
        half = p.batch_size // 2
        accum = p.gradient_accumulation_steps * (p.batch_size // half)
        if "gradient_accumulation_steps" in fixed:
            accum = p.gradient_accumulation_steps
        p = _with(p, batch_size=half, gradient_accumulation_steps=accum)
        yield p, f"micro-batch {half} x accumulation {accum}, same effective batch (guide lever 2)"


def _shard(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if p.num_gpus > 1 and p.distributed in ("ddp", "zero2") and "distributed" not in fixed:
        changes: dict[str, object] = {"distributed": "fsdp"}
        if "8bit" in p.optimizer and "optimizer" not in fixed:
            changes["optimizer"] = "adamw_torch_fused"
        yield _with(p, **changes), f"FSDP shards the model over the {p.num_gpus} GPUs (it does not fit one)"


def _chunked_loss(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if not p.chunked_cross_entropy and "chunked_cross_entropy" not in fixed:
        yield (
            _with(p, chunked_cross_entropy=True),
            "chunked cross-entropy: the fp32 loss taken one chunk of the logits at a time, never the whole "
            "batch x sequence x vocabulary (same loss, no quality cost)",
        )


def _skip_upcast(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if p.quantization != "none" and p.embeddings_upcast and "embeddings_upcast" not in fixed:
        yield (
            _with(p, embeddings_upcast=False),
            "frozen embeddings and LM head kept in 16-bit instead of fp32 (2 bytes less per parameter)",
        )


def _four_bit(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if p.quantization != "4bit" and "quantization" not in fixed:
        changes: dict[str, object] = {"quantization": "4bit"}
        if "optimizer" not in fixed and p.optimizer == "adamw_torch_fused" and p.distributed != "fsdp":
            changes["optimizer"] = "adamw_8bit"
        yield _with(p, **changes), "4-bit NF4 quantization of the base model (guide lever 3)"


def _shorter_sequence(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if "max_seq_length" in fixed:
        return
    while p.max_seq_length > MIN_SEQ_LEN:
        p = _with(p, max_seq_length=max(MIN_SEQ_LEN, p.max_seq_length // 2))
        yield p, f"max_seq_length {p.max_seq_length} (guide lever 4)"


def _fewer_targets(p: Profile, fixed: frozenset[str], arch: Architecture) -> Iterator[tuple[Profile, str]]:
    if "target_modules" in fixed:
        return
    for preset in ("attention", "qv"):
        targets = expand_targets(preset, arch)
        if len(targets) < len(p.target_modules):
            p = _with(p, target_modules=targets)
            yield p, f"target modules reduced to {preset} (guide lever 5)"


LEVERS: tuple[Lever, ...] = (
    _skip_upcast,
    _checkpointing,
    _smaller_batch,
    _shard,
    _four_bit,
    _skip_upcast,
    _shorter_sequence,
    _fewer_targets,
)
#: The names the targets use for the levers (``Target.levers``), in the order the fitter pulls them.
LEVER_NAMES: dict[str, Lever] = {
    "chunked_loss": _chunked_loss,
    "skip_upcast": _skip_upcast,
    "checkpointing": _checkpointing,
    "micro_batch": _smaller_batch,
    "shard": _shard,
    "four_bit": _four_bit,
    "shorter_sequence": _shorter_sequence,
    "fewer_targets": _fewer_targets,
}


def levers_for(framework: str) -> tuple[Lever, ...]:
    """The levers the target training on ``framework``'s memory path can pull, cheapest first."""
    from ftguide.targets import TARGET_NAMES, get_target

    if framework not in TARGET_NAMES:
        return LEVERS
    return tuple(LEVER_NAMES[name] for name in get_target(framework).levers)


LEVER_FIELDS = {
    "chunked_cross_entropy",
    "embeddings_upcast",
    "distributed",
    "gradient_checkpointing",
    "batch_size",
    "gradient_accumulation_steps",
    "quantization",
    "optimizer",
    "max_seq_length",
    "target_modules",
}


def fit(
    profile: Profile,
    arch: Architecture,
    framework: str,
    budget_gib: float | None,
    fixed: frozenset[str] = frozenset(),
) -> FitResult:
    """Return the first profile along the levers that fits ``budget_gib`` (or the profile, without one)."""
    if budget_gib is None:
        return FitResult(profile, memory.memory_estimate(profile, arch, framework), [])
    steps: list[str] = []
    current = profile
    if not _fits(current, arch, framework, budget_gib):
        for lever in levers_for(framework):
            for candidate, why in lever(current, fixed, arch):
                current = candidate
                steps.append(why)
                if _fits(current, arch, framework, budget_gib):
                    break
            if _fits(current, arch, framework, budget_gib):
                break
        else:
            raise _no_fit(profile, arch, framework, budget_gib, fixed)
        current = _grow_batch(current, arch, framework, budget_gib, fixed, steps)
    estimate = memory.memory_estimate(current, arch, framework, budget_gib)
    decisions = _decisions(profile, current, steps, estimate)
    return FitResult(current, estimate, decisions)


def _grow_batch(
    p: Profile, arch: Architecture, framework: str, budget: float, fixed: frozenset[str], steps: list[str]
) -> Profile:
    if {"batch_size", "gradient_accumulation_steps"} & fixed:
        return p
    while p.gradient_accumulation_steps % 2 == 0:
        bigger = _with(p, batch_size=p.batch_size * 2, gradient_accumulation_steps=p.gradient_accumulation_steps // 2)
        if not _fits(bigger, arch, framework, budget):
            break
        p = bigger
        steps.append(f"micro-batch grown back to {p.batch_size} x accumulation {p.gradient_accumulation_steps}")
    return p


def _decisions(before: Profile, after: Profile, steps: list[str], est: MemoryEstimate) -> list[Decision]:
    """One decision per field the fitter changed, naming the lever that last changed it."""
    tail = f"to fit {est.budget_gib:g} GiB ({est.estimated_gib:.1f} estimated + {est.safety_margin_gib:.1f} margin)"
    keywords = {
        "chunked_cross_entropy": "chunked cross-entropy",
        "embeddings_upcast": "16-bit instead of fp32",
        "distributed": "FSDP",
        "gradient_checkpointing": "checkpointing",
        "batch_size": "micro-batch",
        "gradient_accumulation_steps": "micro-batch",
        "quantization": "4-bit",
        "optimizer": "4-bit" if after.distributed != "fsdp" or before.distributed == "fsdp" else "FSDP",
        "max_seq_length": "max_seq_length",
        "target_modules": "target modules",
    }
    out: list[Decision] = []
    for name in sorted(LEVER_FIELDS):
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        step = next((s for s in reversed(steps) if keywords[name] in s), "memory fit")
        out.append(Decision(field=name, value=new, rule=RULE, reason=f"{step}, {tail} (was {old})"))
    return out


def minimal_profile(
    profile: Profile, arch: Architecture, fixed: frozenset[str] = frozenset(), framework: str = "peft"
) -> Profile:
    """The profile with every lever of ``framework``'s target pulled: the least memory this model trains in."""
    current = profile
    for lever in levers_for(framework):
        for candidate, _ in lever(current, fixed, arch):
            current = candidate
    return current


def _no_fit(profile: Profile, arch: Architecture, framework: str, budget: float, fixed: frozenset[str]) -> FitError:
    floor = memory.total_gib(minimal_profile(profile, arch, framework=framework), arch, framework)
    need = floor + memory.safety_margin(floor)
    pinned = sorted(fixed & LEVER_FIELDS)
    if pinned and need <= budget:
        held = memory.total_gib(minimal_profile(profile, arch, fixed, framework), arch, framework)
        return FitError(
            f"--vram/--gpu: {arch.name} cannot train in {budget:g} GiB with the values you fixed "
            f"({', '.join(pinned)}): they need at least {held + memory.safety_margin(held):.1f} GiB; "
            f"without them it fits (from {need:.1f} GiB)"
        )
    others = _other_targets(profile, arch, framework, budget, fixed)
    best: Architecture | None = None
    for other in ARCHITECTURES:
        if other.num_experts:
            continue
        trial = _with(
            minimal_profile(profile, other, framework=framework),
            target_modules=expand_targets("qv", other),
            base_model=other.hf_id,
        )
        if _fits(trial, other, framework, budget) and (best is None or other.params_b > best.params_b):
            best = other
    alternative = f"; the largest catalog model that fits is {best.name} ({best.params_b:g}B)" if best else ""
    chunks = "the chunked loss, " if _chunked_loss in levers_for(framework) else ""
    return FitError(
        f"--vram/--gpu: {arch.name} cannot train in {budget:g} GiB on the {framework} path even with {chunks}"
        f"checkpointing, micro-batch 1, 4-bit, {MIN_SEQ_LEN}-token sequences and q/v targets: it needs at least "
        f"{need:.1f} GiB{others}{alternative}"
    )


def _other_targets(profile: Profile, arch: Architecture, framework: str, budget: float, fixed: frozenset[str]) -> str:
    """Which other targets' memory paths do fit, with the flag that picks them."""
    from ftguide.targets import all_targets

    fitting = []
    for target in all_targets():
        path = target.memory_path
        if path == framework or (target.max_gpus is not None and profile.num_gpus > target.max_gpus):
            continue
        trial = minimal_profile(profile, arch, fixed, path)
        if _fits(trial, arch, path, budget):
            least = memory.total_gib(trial, arch, path)
            fitting.append(f"--emit {target.name} fits (from {least + memory.safety_margin(least):.1f} GiB)")
    return f"; {', '.join(fitting)}" if fitting else "; no other target fits either"
