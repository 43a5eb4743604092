"""Prescribing: a symptom becomes changes to the run's profile, with new values computed from it.

The fixes follow the guide's "Common Issues and Fixes" tables, its "Overfitting Signs" and its "Early
Stopping" section.  Out-of-memory advice is the fitter's: ``ftguide.fit`` pulls its levers on the run's
profile until the memory model's estimate fits the GPU the error names (or, when the log does not name one,
one step below the run's own estimate), and the changes are the fields the fitter moved (``fit.LEVER_FIELDS``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict

from ftguide.catalog import Architecture, resolve_model
from ftguide.diagnose.symptoms import SYMPTOMS, Symptom, SymptomId
from ftguide.errors import FitError, InputError
from ftguide.models import Framework, Profile
from ftguide.rules.lora import lr_range

__all__ = ["Change", "prescribe", "symptom_id"]

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True)


class Change(BaseModel):
    """One change to the profile, or one thing to check (for fields that are not profile settings)."""

    model_config = _FROZEN

    field: str
    """A Profile field, or ``data``, ``chat_template``, ``eos_token`` for checks outside the numbers, or for
    out-of-memory advice ``gpu`` (the GPU's memory: unknown, or too small) and ``profile`` / ``memory_estimate``
    (what ftguide cannot judge without the run's profile, or for a model it does not know)."""
    current: Any
    """The profile's value; null without a profile or for a check."""
    recommended: Any
    """The new value; without a profile, the direction (``×2``, ``×0.5``); for a check, what to verify."""
    reason: str
    """The guide's row behind the change (``guide: <table> → <cause> → <fix>``), or ftguide's own reason."""


def symptom_id(value: str) -> SymptomId:
    key = value.strip().lower()
    for known in SYMPTOMS:
        if key == known:
            return known
    raise InputError(f"--symptom: unknown symptom {value!r} (one of {', '.join(SYMPTOMS)})")


def _lr(value: float) -> float:
    """Two significant digits, as ftguide prints learning rates."""
    return float(f"{value:.2g}")


def _architecture(profile: Profile) -> Architecture | None:
    try:
        return resolve_model(profile.base_model)
    except InputError:
        return None


def _chat_template(profile: Profile | None, reason: str) -> Change:
    if profile is None:
        what = "the base model's own prompt / chat format, the same in training and at inference"
        return Change(field="chat_template", current=None, recommended=what, reason=reason)
    if profile.dataset_format in ("messages", "sharegpt"):
        what = "the base model's own chat template (null uses the tokenizer's); never another family's"
    else:
        what = f"prompt at inference exactly as the {profile.dataset_format} rows were formatted in training"
    return Change(field="chat_template", current=profile.chat_template, recommended=what, reason=reason)


def _fewer_epochs(profile: Profile | None, best_epoch: float | None, reason: str) -> Change | None:
    target = max(1.0, round(best_epoch, 1)) if best_epoch is not None else None
    if profile is None:
        recommended: Any = target if target is not None else "one fewer (at least 1)"
        return Change(field="num_epochs", current=None, recommended=recommended, reason=reason)
    if target is not None and target < profile.num_epochs:
        return Change(
            field="num_epochs",
            current=profile.num_epochs,
            recommended=target,
            reason=f"{reason} (to epoch {target:g}, where eval_loss was lowest)",
        )
    if profile.num_epochs > 1:
        fewer = max(1.0, profile.num_epochs - 1)
        return Change(field="num_epochs", current=profile.num_epochs, recommended=fewer, reason=reason)
    return None


def _more_dropout(profile: Profile | None, reason: str) -> Change | None:
    if profile is None:
        return Change(field="lora_dropout", current=None, recommended="+0.05 (at most 0.2)", reason=reason)
    if profile.lora_dropout >= 0.2:
        return None
    higher = round(min(0.2, profile.lora_dropout + 0.05), 3)
    return Change(field="lora_dropout", current=profile.lora_dropout, recommended=higher, reason=reason)


def _loss_flat_changes(profile: Profile | None, _symptom: Symptom | None, _framework: str) -> list[Change | None]:
    lr_reason = "guide: Loss Not Decreasing → LR too low → increase learning rate"
    rank_reason = "guide: Loss Not Decreasing → Rank too low → increase LoRA rank"
    changes: list[Change | None] = []
    if profile is None:
        changes += [
            Change(field="learning_rate", current=None, recommended="×2", reason=lr_reason),
            Change(field="lora_r", current=None, recommended="×2", reason=rank_reason),
            Change(field="lora_alpha", current=None, recommended="×2", reason=f"{rank_reason} (keep alpha / r)"),
        ]
    else:
        lr = profile.learning_rate
        target = 2 * lr
        arch = _architecture(profile)
        if arch is not None:
            low, high = lr_range(arch.params_b)
            target = min(max(target, low), high)
            lr_reason += f" (×2, within {low:.1e} to {high:.1e}, the guide's LoRA range for {arch.params_b:g}B)"
        else:
            lr_reason += " (×2)"
        if _lr(target) > lr:
            changes.append(Change(field="learning_rate", current=lr, recommended=_lr(target), reason=lr_reason))
        r = min(4096, 2 * profile.lora_r)
        if r > profile.lora_r:
            alpha = min(16384, round(profile.lora_alpha * r / profile.lora_r))
            ratio = f"alpha / r stays {profile.lora_alpha / profile.lora_r:g}"
            changes += [
                Change(field="lora_r", current=profile.lora_r, recommended=r, reason=f"{rank_reason} (×2)"),
                Change(
                    field="lora_alpha", current=profile.lora_alpha, recommended=alpha, reason=f"{rank_reason}: {ratio}"
                ),
            ]
    changes += [
        Change(
            field="data",
            current=None,
            recommended="read a few rows as the model sees them after formatting: complete, correct answers, "
            "and the loss on the response",
            reason="guide: Loss Not Decreasing → Bad data → check data quality",
        ),
        _chat_template(profile, "guide: Loss Not Decreasing → Wrong format → verify chat template"),
    ]
    return changes


def _loss_nan_changes(profile: Profile | None, _symptom: Symptom | None, _framework: str) -> list[Change | None]:
    lr_reason = "guide: Loss Explodes (NaN) → LR too high → reduce learning rate (halved)"
    warmup_reason = "guide: Loss Explodes (NaN) → No warmup → add warmup steps (at least 5% of the steps)"
    dtype_reason = "guide: Loss Explodes (NaN) → Mixed precision issue → try different dtype"
    clip_reason = "ftguide: clip gradients at 1.0 (the Trainer's default) so one bad batch cannot blow up the weights"
    if profile is None:
        return [
            Change(field="learning_rate", current=None, recommended="×0.5", reason=lr_reason),
            Change(field="warmup_ratio", current=None, recommended="at least 0.05", reason=warmup_reason),
            Change(field="precision", current=None, recommended="bf16 if the run used fp16", reason=dtype_reason),
            Change(field="max_grad_norm", current=None, recommended=1.0, reason=clip_reason),
        ]
    changes: list[Change | None] = [
        Change(
            field="learning_rate",
            current=profile.learning_rate,
            recommended=_lr(profile.learning_rate / 2),
            reason=lr_reason,
        )
    ]
    if profile.warmup_ratio < 0.05:
        changes.append(
            Change(field="warmup_ratio", current=profile.warmup_ratio, recommended=0.05, reason=warmup_reason)
        )
    if profile.precision == "fp16":
        why = f"{dtype_reason} (bf16 has fp32's range; it needs an Ampere or newer GPU)"
        changes.append(Change(field="precision", current="fp16", recommended="bf16", reason=why))
    else:
        keep = "keep bf16; if NaN persists, run a few steps in fp32 to rule the dtype out"
        changes.append(Change(field="precision", current=profile.precision, recommended=keep, reason=dtype_reason))
    if profile.max_grad_norm > 1.0:
        changes.append(
            Change(field="max_grad_norm", current=profile.max_grad_norm, recommended=1.0, reason=clip_reason)
        )
    return changes


def _garbage_changes(profile: Profile | None, _symptom: Symptom | None, _framework: str) -> list[Change | None]:
    overfit = "guide: Model Outputs Garbage → Severe overfitting → reduce epochs, add dropout"
    eos = (
        "end every training example with the tokenizer's eos_token and check tokenizer_config.json sets it "
        "(a pad_token equal to eos_token can mask it out of the labels)"
    )
    return [
        _chat_template(profile, "guide: Model Outputs Garbage → Wrong chat template → match base model format"),
        Change(
            field="eos_token",
            current=None,
            recommended=eos,
            reason="guide: Model Outputs Garbage → EOS token issue → verify tokenizer config",
        ),
        _fewer_epochs(profile, None, overfit),
        _more_dropout(profile, overfit),
    ]


# ------------------------------------------------------------------------------------------ out of memory

_BATCH = "guide: Out of Memory → Batch too large → reduce batch, increase accum"
#: What each of the fitter's lever fields does, as a direction, for advice without a profile; in the order the
#: fitter pulls its levers.  Only the fields the fitter has (``fit.LEVER_FIELDS``) are used, and a test holds
#: that every one of them has a direction here.
LEVER_DIRECTIONS: dict[str, tuple[Any, str]] = {
    "chunked_cross_entropy": (
        True,
        "ftguide: Axolotl's chunked_cross_entropy takes the fp32 loss one chunk of the logits at a time "
        "(same loss), instead of holding the whole batch x sequence x vocabulary",
    ),
    "embeddings_upcast": (False, "ftguide: keep the frozen embeddings and LM head in 16-bit in a 4/8-bit run"),
    "gradient_checkpointing": (True, "guide: Reducing VRAM Usage → 1. enable gradient checkpointing"),
    "batch_size": ("×0.5", _BATCH),
    "gradient_accumulation_steps": ("×2 (the effective batch stays)", _BATCH),
    "distributed": ("fsdp, on several GPUs", "ftguide: FSDP shards the model's state over the GPUs"),
    "quantization": ("4bit", "guide: Reducing VRAM Usage → 3. use 4-bit quantization (QLoRA)"),
    "optimizer": ("adamw_8bit", "ftguide: 8-bit optimizer states, which the fitter takes with 4-bit"),
    "max_seq_length": (
        "×0.5, not below 512",
        "guide: Out of Memory → Sequence too long → reduce max_seq_length (not below 512)",
    ),
    "target_modules": (
        "attention only (drop the MLP), then the query and value projections",
        "guide: Out of Memory → Too many target modules → reduce targets",
    ),
}


#: Lever fields only some training paths have (the others' files ignore them): with a run's profile, whose
#: path is known, they are advised only on those paths; without one every direction is listed.
PATH_ONLY_FIELDS: dict[str, tuple[str, ...]] = {"chunked_cross_entropy": ("axolotl",)}


def _oom_directions(profile: Profile | None, framework: str) -> list[Change | None]:
    from ftguide.fit import LEVER_FIELDS

    changes: list[Change | None] = []
    for name, (direction, reason) in LEVER_DIRECTIONS.items():
        if name not in LEVER_FIELDS:
            continue
        if profile is not None and framework not in PATH_ONLY_FIELDS.get(name, (framework,)):
            continue
        current = getattr(profile, name) if profile is not None else None
        if current != direction:
            changes.append(Change(field=name, current=current, recommended=direction, reason=reason))
    return changes


def _oom_changes(profile: Profile | None, symptom: Symptom | None, framework: str) -> list[Change | None]:
    if profile is None:
        return [
            *_oom_directions(None, framework),
            Change(
                field="profile",
                current=None,
                recommended="give the run's config with --profile",
                reason="ftguide: without the run's profile it cannot estimate what each lever saves, so it cannot "
                "say which of these is enough, nor by how much to cut",
            ),
        ]
    arch = _architecture(profile)
    if arch is None:
        return [
            *_oom_directions(profile, framework),
            Change(
                field="memory_estimate",
                current=None,
                recommended="a base_model from the catalog (ftguide models) or a local config.json",
                reason=f"ftguide: it has no architecture for {profile.base_model!r}, so it cannot estimate the "
                "memory: these are the fitter's levers as directions",
            ),
        ]
    from ftguide import fit, memory

    estimated = memory.total_gib(profile, arch, framework)
    total = symptom.gpu_memory_gib if symptom is not None else None
    missing = symptom.missing_gib if symptom is not None else None
    budget = estimated
    if total is not None:
        # The run needed at least the whole GPU plus what the failed allocation lacked: scale the estimate
        # down by that ratio (the estimate may be off; the ratio is what the error measured).
        need = total + (missing or 0.0)
        budget = min(estimated, total, estimated * total / need if need > 0 else total)
        context = f"the error reports a {total:.3g} GiB GPU"
        if missing is not None:
            context += f", {missing:.2f} GiB short"
        context += f"; the run's profile is estimated at {estimated:.1f} GiB"
    else:
        context = f"one step below the run's estimated {estimated:.1f} GiB (the log does not give the GPU's memory)"
    budget = math.floor(budget * 10) / 10  # the fitter's figures then read as the budget was chosen
    extra: list[Change | None] = []
    try:
        fitted = fit.fit(profile, arch, framework, budget)
        after, reasons = fitted.profile, {d.field: d.reason for d in fitted.decisions}
        if total is None:
            extra.append(
                Change(
                    field="gpu",
                    current=None,
                    recommended="ftguide suggest ... --vram GIB (or --gpu NAME) sizes the profile to the card",
                    reason="ftguide: without the GPU's memory it cannot judge whether this first step is enough",
                )
            )
    except FitError:
        after, reasons = fit.minimal_profile(profile, arch, framework=framework), {}
        floor = memory.total_gib(after, arch, framework)
        need_gib = floor + memory.safety_margin(floor)
        extra.append(
            Change(
                field="gpu",
                current=round(total, 2) if total is not None else None,
                recommended=f"at least {need_gib:.1f} GiB per GPU",
                reason=f"ftguide: with every lever the fitter has pulled, {arch.name} is estimated at "
                f"{floor:.1f} GiB, more than the {budget:.1f} GiB it would have to fit; {context}",
            )
        )
    order = [f for f in LEVER_DIRECTIONS if f in fit.LEVER_FIELDS] + sorted(
        set(fit.LEVER_FIELDS) - set(LEVER_DIRECTIONS)
    )
    changes: list[Change | None] = []
    for name in order:
        old, new = getattr(profile, name), getattr(after, name)
        if old != new:
            why = reasons.get(name, "every lever of the fitter pulled")
            changes.append(Change(field=name, current=old, recommended=new, reason=f"ftguide: {why}; {context}"))
    return changes + extra


def _overfitting_changes(profile: Profile | None, symptom: Symptom | None, _framework: str) -> list[Change | None]:
    best_epoch = symptom.epoch if symptom is not None else None
    signs = "guide: Overfitting Signs → validation loss rises while training loss falls"
    lr_reason = "ftguide: smaller updates memorise more slowly (the guide's fixes are fewer epochs and more dropout)"
    stop_reason = "guide: Early Stopping → stop after 3 evaluations without improvement"
    changes: list[Change | None] = [
        _fewer_epochs(profile, best_epoch, f"{signs}; Severe overfitting → reduce epochs"),
        _more_dropout(profile, f"{signs}; Dropout prevents overfitting → add dropout (+0.05, at most 0.2)"),
    ]
    if profile is None:
        changes += [
            Change(field="early_stopping_patience", current=None, recommended=3, reason=stop_reason),
            Change(field="learning_rate", current=None, recommended="×0.5", reason=lr_reason),
        ]
        return changes
    if profile.early_stopping_patience is None:
        changes.append(Change(field="early_stopping_patience", current=None, recommended=3, reason=stop_reason))
    changes.append(
        Change(
            field="learning_rate",
            current=profile.learning_rate,
            recommended=_lr(profile.learning_rate / 2),
            reason=lr_reason,
        )
    )
    return changes


_PRESCRIBERS: dict[str, Callable[[Profile | None, Symptom | None, str], list[Change | None]]] = {
    "loss-flat": _loss_flat_changes,
    "loss-nan": _loss_nan_changes,
    "garbage": _garbage_changes,
    "oom": _oom_changes,
    "overfitting": _overfitting_changes,
}


def prescribe(symptom: str | Symptom, profile: Profile | None, framework: str = "peft") -> list[Change]:
    """The guide's fixes for one symptom, with new values computed from ``profile``.

    ``symptom`` is an id from SYMPTOMS or a detected Symptom (an overfitting Symptom carries the epoch of the
    best evaluation, which sets the new ``num_epochs``; an oom Symptom the GPU's memory, when the error gave it).
    ``framework`` is the training path the run took (peft, axolotl or unsloth), for the memory estimate.
    Without a profile every change still names its field and direction, with ``current`` null.  Changes the
    profile already satisfies are left out.
    """
    if framework not in get_args(Framework):
        raise InputError(f"framework: {framework!r} is not one of {', '.join(get_args(Framework))}")
    detected = symptom if isinstance(symptom, Symptom) else None
    sid = symptom.symptom if isinstance(symptom, Symptom) else symptom_id(symptom)
    return [c for c in _PRESCRIBERS[sid](profile, detected, framework) if c is not None]
