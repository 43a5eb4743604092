"""Axolotl's own pitfalls: what an Axolotl YAML says that Axolotl drops, rejects, or never does.

Each rule takes the YAML as written (a mapping) and yields findings made with :func:`ftguide.rules.report`.
The schema facts (top-level keys, dataset keys) come from ``data/axolotl_fields.json``, read from the pinned
Axolotl release.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

from ftguide.models import Finding
from ftguide.rules import report, rule

#: Keys people write for Axolotl that mean another one (difflib alone would miss the meaning).
COMMON_TYPOS = {
    "lora_rank": "lora_r",
    "rank": "lora_r",
    "alpha": "lora_alpha",
    "batch": "micro_batch_size",
    "per_device_train_batch_size": "micro_batch_size",
    "epochs": "num_epochs",
    "num_train_epochs": "num_epochs",
    "lr": "learning_rate",
    "learning_rate_scheduler": "lr_scheduler",
    "lr_scheduler_type": "lr_scheduler",
    "max_seq_length": "sequence_len",
    "max_length": "sequence_len",
    "flash_attn": "attn_implementation",
    "target_modules": "lora_target_modules",
    "evaluation_strategy": "eval_strategy",
}

#: Pairs Axolotl's validator refuses to see together.
EXCLUSIVE_PAIRS = (
    ("warmup_steps", "warmup_ratio"),
    ("eval_steps", "evals_per_epoch"),
    ("save_steps", "saves_per_epoch"),
    ("gradient_accumulation_steps", "batch_size"),
)
LEGACY_ATTENTION = ("flash_attention", "sdp_attention", "xformers_attention", "flex_attention")


@lru_cache(maxsize=1)
def axolotl_fields() -> dict[str, Any]:
    """The pinned Axolotl release's config keys (``top_level``, ``dataset``) and version."""
    text = resources.files("ftguide").joinpath("data/axolotl_fields.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _suggestion(key: str, known: set[str]) -> str | None:
    if key in COMMON_TYPOS:
        return COMMON_TYPOS[key]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return close[0] if close else None


@rule("AX001", "unknown-axolotl-key", order=1000, kind="axolotl", fields=(), severity="error")
def unknown_key(doc: dict[str, Any]) -> Iterator[Finding]:
    """A key the pinned Axolotl release does not know: it is dropped without a word.

    Why:
    Axolotl validates its config with pydantic models that ignore unknown keys, so a typo (`lora_rank`) or a
    key from another tool (`per_device_train_batch_size`) silently does nothing and the run trains with the
    default instead. An unknown key whose value is empty changes nothing and is reported as info only.

    Example:
    `lora_rank: 32` -> did you mean `lora_r`? (the finding's `recommended` is the key name; `--fix` renames the
    key and keeps its value)
    """
    fields = axolotl_fields()
    known = set(fields["top_level"])
    for key in doc:
        if key in known:
            continue
        hint = _suggestion(str(key), known)
        yield report(
            "AX001",
            str(key),
            doc[key],
            hint,
            f"Axolotl {fields['axolotl_version']} does not know {key!r} and drops it silently"
            + (f"; did you mean {hint!r}?" if hint else ""),
            severity="info" if doc[key] is None else None,
        )
    dataset_known = set(fields["dataset"])
    for i, entry in enumerate(doc.get("datasets") or []):
        if not isinstance(entry, dict):
            continue
        for key in entry:
            if key not in dataset_known:
                hint = _suggestion(str(key), dataset_known)
                yield report(
                    "AX001",
                    f"datasets[{i}].{key}",
                    entry[key],
                    hint,
                    f"Axolotl's dataset entry has no {key!r}; it is dropped"
                    + (f"; did you mean {hint!r}?" if hint else ""),
                )


@rule("AX002", "sharegpt-type-removed", order=1010, kind="axolotl", fields=(), severity="error")
def sharegpt_removed(doc: dict[str, Any]) -> Iterator[Finding]:
    """A dataset of `type: sharegpt`, which Axolotl no longer has.

    Why:
    Axolotl removed the sharegpt prompt strategies; conversations are read by `type: chat_template` with
    `field_messages` and `message_property_mappings` (from/value -> role/content).

    Example:
    `type: sharegpt` -> `type: chat_template`, `field_messages: conversations`.
    """
    for i, entry in enumerate(doc.get("datasets") or []):
        if isinstance(entry, dict) and str(entry.get("type", "")).startswith("sharegpt"):
            yield report(
                "AX002",
                f"datasets[{i}].type",
                entry.get("type"),
                "chat_template",
                "`type: sharegpt` was removed; use type: chat_template with field_messages and "
                "message_property_mappings",
            )


@rule("AX003", "lora-with-4bit-never-quantizes", order=1020, kind="axolotl", fields=(), severity="error")
def lora_with_4bit(doc: dict[str, Any]) -> Iterator[Finding]:
    """`adapter: lora` with `load_in_4bit: true`: the model is loaded in 16-bit, not 4-bit.

    Why:
    Axolotl builds a 4-bit quantization config only for `adapter: qlora`; with `adapter: lora` the 4-bit flag
    is ignored, so the run needs the memory of a 16-bit model and may run out of it.

    Example:
    `adapter: lora` + `load_in_4bit: true` -> `adapter: qlora`.
    """
    if doc.get("adapter") == "lora" and doc.get("load_in_4bit"):
        yield report(
            "AX003",
            "adapter",
            "lora",
            "qlora",
            "adapter: lora with load_in_4bit builds no 4-bit config: the model loads in 16-bit",
        )


@rule("AX004", "qlora-needs-4bit", order=1030, kind="axolotl", fields=(), severity="error")
def qlora_needs_4bit(doc: dict[str, Any]) -> Iterator[Finding]:
    """`adapter: qlora` without `load_in_4bit: true`, which Axolotl refuses.

    Why:
    QLoRA is LoRA on a 4-bit base model; Axolotl's validator rejects a qlora adapter whose model is not loaded
    in 4-bit.

    Example:
    `adapter: qlora` -> add `load_in_4bit: true`.
    """
    if doc.get("adapter") == "qlora" and not doc.get("load_in_4bit"):
        yield report(
            "AX004", "load_in_4bit", doc.get("load_in_4bit"), True, "adapter: qlora requires load_in_4bit: true"
        )


@rule("AX005", "conflicting-pair", order=1040, kind="axolotl", fields=(), severity="error")
def conflicting_pair(doc: dict[str, Any]) -> Iterator[Finding]:
    """Two keys Axolotl accepts only one of (warmup_steps / warmup_ratio, eval_steps / evals_per_epoch, ...).

    Why:
    Each pair sets the same thing two ways; Axolotl's validator rejects the config rather than guess which
    one was meant.

    Example:
    `warmup_steps: 10` + `warmup_ratio: 0.03` -> keep one.
    """
    for a, b in EXCLUSIVE_PAIRS:
        if doc.get(a) is not None and doc.get(b) is not None:
            yield report("AX005", b, doc[b], None, f"{a} and {b} are mutually exclusive in Axolotl")


@rule("AX006", "early-stopping-needs-steps", order=1050, kind="axolotl", fields=(), severity="error")
def early_stopping_steps(doc: dict[str, Any]) -> Iterator[Finding]:
    """Early stopping without integer `eval_steps` and `save_steps`, or saves off the evaluation grid.

    Why:
    Early stopping keeps the best checkpoint, so every evaluation must be followed by a save: transformers
    requires save_steps to be a multiple of eval_steps, and Axolotl's per-epoch counts do not give that.

    Example:
    `early_stopping_patience: 3`, `eval_steps: 20`, `save_steps: 30` -> `save_steps: 20`.
    """
    if not doc.get("early_stopping_patience"):
        return
    eval_steps, save_steps = doc.get("eval_steps"), doc.get("save_steps")
    if not eval_steps or not save_steps:
        yield report(
            "AX006",
            "early_stopping_patience",
            doc["early_stopping_patience"],
            None,
            "early_stopping_patience needs integer eval_steps and save_steps (not evals_per_epoch / saves_per_epoch)",
        )
    elif isinstance(eval_steps, int) and isinstance(save_steps, int) and save_steps % eval_steps:
        yield report(
            "AX006",
            "save_steps",
            save_steps,
            eval_steps,
            "save_steps must be a multiple of eval_steps for early stopping",
        )


@rule("AX007", "attention-flags-conflict", order=1060, kind="axolotl", fields=(), severity="error")
def attention_flags(doc: dict[str, Any]) -> Iterator[Finding]:
    """`attn_implementation` together with a legacy attention flag (flash_attention, sdp_attention, ...).

    Why:
    Axolotl replaced the per-kernel booleans with one `attn_implementation` key and rejects configs that set
    both, since they can disagree.

    Example:
    `flash_attention: true` + `attn_implementation: sdpa` -> keep `attn_implementation`.
    """
    legacy = [k for k in LEGACY_ATTENTION if doc.get(k)]
    if legacy and doc.get("attn_implementation"):
        yield report(
            "AX007", legacy[0], True, None, "attn_implementation cannot be combined with legacy attention flags"
        )


def axolotl_findings(doc: dict[str, Any]) -> list[Finding]:
    """Every ``axolotl`` rule over one YAML, in registry order."""
    from ftguide.rules import rules_of

    return [finding for r in rules_of("axolotl") for finding in r.func(doc)]
