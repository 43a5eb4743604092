"""Axolotl's own pitfalls: what an Axolotl YAML says that Axolotl drops, rejects, or never does.

Each rule takes the YAML as written (a mapping) and yields findings made with :func:`ftguide.rules.report`.
The schema facts (top-level keys, each dataset model's keys, the plugins' input args, field types, removed
keys, attention names) come from ``data/axolotl_fields.json``, read from the pinned Axolotl release's pydantic
models by ``tests/tools/axolotl_fields.py``. The rejections mirrored here are tested against Axolotl's real
``validate_config`` on Axolotl's own example configs and on one passing and one failing config per rejection
(``tests/test_check_corpus.py``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
    "adam_eps": "adam_epsilon",
}
#: A close spelling is renamed by ``--fix`` only when it is at least this similar (difflib ratio).
CONFIDENT = 0.85

#: Pairs Axolotl's validator refuses to see together (both truthy).
EXCLUSIVE_PAIRS = (
    ("warmup_steps", "warmup_ratio"),
    ("eval_steps", "evals_per_epoch"),
    ("save_steps", "saves_per_epoch"),
    ("gradient_accumulation_steps", "batch_size"),
)
#: ``rl:`` values whose datasets Axolotl validates as DPO / KTO entries (``validate_config``).
DPO_RL = ("dpo", "ipo", "simpo")


@lru_cache(maxsize=1)
def axolotl_fields() -> dict[str, Any]:
    """The pinned Axolotl release's schema facts (see the module docstring) and version."""
    text = resources.files("ftguide").joinpath("data/axolotl_fields.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def version() -> str:
    return str(axolotl_fields()["axolotl_version"])


def dataset_kind(doc: dict[str, Any], entry: dict[str, Any]) -> str:
    """The dataset model Axolotl's ``validate_config`` validates an entry with (and so the keys it keeps)."""
    if doc.get("rl") in DPO_RL:
        return "dpo"
    if doc.get("rl") == "kto":
        return "kto"
    if entry.get("type") == "_synthetic":
        return "synthetic"
    return "sft"


def plugins_of(doc: dict[str, Any]) -> tuple[set[str], list[str]]:
    """The keys the listed plugins add to the top level, and the plugins ftguide has no facts for."""
    known_plugins = axolotl_fields()["plugins"]
    keys: set[str] = set()
    unknown: list[str] = []
    listed = doc.get("plugins")
    for name in listed if isinstance(listed, list) else []:
        entry = known_plugins.get(str(name))
        if entry is None:
            unknown.append(str(name))
        else:
            keys.update(entry["fields"])
    return keys, unknown


def fsdp_settings(doc: dict[str, Any]) -> dict[str, Any]:
    """``fsdp_config`` with the deprecated ``fsdp_`` prefix stripped, as Axolotl reads it."""
    raw = doc.get("fsdp_config")
    if not isinstance(raw, dict):
        return {}
    out = {}
    for key, value in raw.items():
        name = str(key)
        out[name[len("fsdp_") :] if name.startswith("fsdp_") and name != "fsdp_version" else name] = value
    return out


def fsdp_version(doc: dict[str, Any]) -> str:
    """Axolotl's resolution: the top-level ``fsdp_version``, else ``fsdp_config.fsdp_version``, else 1."""
    if doc.get("fsdp_version") is not None:
        return str(doc["fsdp_version"])
    raw = doc.get("fsdp_config")
    if isinstance(raw, dict):
        return str(raw.get("fsdp_version", raw.get("version", 1)))
    return "1"


def fsdp_key(doc: dict[str, Any], name: str) -> str:
    """The key under ``fsdp_config`` that holds ``name`` as written (``name`` or ``fsdp_<name>``)."""
    raw = doc.get("fsdp_config")
    if isinstance(raw, dict) and name not in raw and f"fsdp_{name}" in raw:
        return f"fsdp_config.fsdp_{name}"
    return f"fsdp_config.{name}"


def suggestion(key: str, known: set[str]) -> tuple[str | None, bool]:
    """A known key ``key`` probably meant, and whether it is sure enough for ``--fix`` to rename it."""
    if key in COMMON_TYPOS and COMMON_TYPOS[key] in known:
        return COMMON_TYPOS[key], True
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    if not close:
        return None, False
    return close[0], difflib.SequenceMatcher(None, key, close[0]).ratio() >= CONFIDENT


def _unknown(where: str, key: Any, value: Any, known: set[str], note: str, quiet: bool = False) -> Finding:
    hint, sure = suggestion(str(key), known)
    field = f"{where}.{key}" if where else str(key)
    message = f"Axolotl {version()} {note} {str(key)!r} and drops it without a word"
    if hint:
        message += f"; did you mean {hint!r}?"
    return report(
        "AX001",
        field,
        value,
        hint if sure else None,
        message,
        severity="info" if value is None or quiet else None,
    )


@rule("AX001", "unknown-axolotl-key", order=1000, kind="axolotl", fields=(), severity="error")
def unknown_key(doc: dict[str, Any]) -> Iterator[Finding]:
    """A key the pinned Axolotl release does not know: it is dropped without a word.

    Why:
    Axolotl validates its config with pydantic models that ignore unknown keys, so a typo (`lora_rank`) or a
    key from another tool (`per_device_train_batch_size`) silently does nothing and the run trains with the
    default instead. The keys are those of the pinned release's schema, plus the input args of every plugin
    listed under `plugins:` (Axolotl merges them in). Each dataset entry is held to the model Axolotl picks for
    it: DPO entries under `rl: dpo`/`ipo`/`simpo`, KTO entries under `rl: kto`, SFT entries otherwise (also
    for `orpo` and `grpo`); `pretraining_dataset` entries to the pretraining model, and `fsdp_config` to the
    FSDP model after its `fsdp_` prefixes are stripped. An unknown key whose value is empty changes nothing
    and is info only; so are top-level keys when a listed plugin is one ftguide has no facts for.

    Example:
    `lora_rank: 32` -> did you mean `lora_r`? (the finding's `recommended` is the key name when the match is
    sure; `--fix` then renames the key and keeps its value)
    """
    fields = axolotl_fields()
    plugin_keys, unknown_plugins = plugins_of(doc)
    known = set(fields["top_level"]) | plugin_keys
    note = "does not know"
    if unknown_plugins:
        note = f"(with plugin {unknown_plugins[0]}, whose keys ftguide does not know) may not know"
    for key in doc:
        if key not in known:
            yield _unknown("", key, doc[key], known, note, quiet=bool(unknown_plugins))
    for section in ("datasets", "test_datasets", "pretraining_dataset"):
        entries = doc.get(section)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            if section == "pretraining_dataset":
                kind, known_here = (
                    "pretraining",
                    set(fields["datasets"]["pretraining"]) | set(fields["datasets"]["sft"]),
                )
            else:
                kind = dataset_kind(doc, entry)
                known_here = set(fields["datasets"][kind])
            for key in entry:
                if key not in known_here:
                    yield _unknown(f"{section}[{i}]", key, entry[key], known_here, f"has no {kind.upper()} dataset key")
    raw = doc.get("fsdp_config")
    if isinstance(raw, dict):
        known_fsdp = set(fields["fsdp_config"])
        for key in raw:
            name = str(key)
            stripped = name[len("fsdp_") :] if name.startswith("fsdp_") and name != "fsdp_version" else name
            if name not in known_fsdp and stripped not in known_fsdp:
                yield _unknown("fsdp_config", key, raw[key], known_fsdp, "has no FSDP setting")


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
    is ignored, so the run needs the memory of a 16-bit model and may run out of it. Axolotl's validator
    accepts the file, so only ftguide says it.

    Example:
    `adapter: lora` + `load_in_4bit: true` -> `adapter: qlora`.
    """
    if doc.get("adapter") == "lora" and doc.get("load_in_4bit") and not doc.get("load_in_8bit"):
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
    in 4-bit (unless it only merges an adapter).

    Example:
    `adapter: qlora` -> add `load_in_4bit: true`.
    """
    if doc.get("adapter") == "qlora" and not doc.get("load_in_4bit") and not doc.get("merge_lora"):
        yield report(
            "AX004", "load_in_4bit", doc.get("load_in_4bit"), True, "adapter: qlora requires load_in_4bit: true"
        )


@rule("AX005", "conflicting-pair", order=1040, kind="axolotl", fields=(), severity="error")
def conflicting_pair(doc: dict[str, Any]) -> Iterator[Finding]:
    """Two keys Axolotl accepts only one of (warmup_steps / warmup_ratio, eval_steps / evals_per_epoch, ...).

    Why:
    Each pair sets the same thing two ways; Axolotl's validator rejects the config rather than guess which
    one was meant (a pair counts when both values are set and non-zero, as Axolotl tests it).

    Example:
    `warmup_steps: 10` + `warmup_ratio: 0.03` -> keep one.
    """
    for a, b in EXCLUSIVE_PAIRS:
        if doc.get(a) and doc.get(b):
            yield report("AX005", b, doc[b], None, f"{a} and {b} are mutually exclusive in Axolotl")


@rule("AX006", "early-stopping-needs-steps", order=1050, kind="axolotl", fields=(), severity="error")
def early_stopping_steps(doc: dict[str, Any]) -> Iterator[Finding]:
    """Early stopping without `eval_steps` and `save_steps`, or saves off the evaluation grid.

    Why:
    Early stopping keeps the best checkpoint, so every evaluation must be followed by a save: Axolotl's
    validator requires both step counts and save_steps to be a multiple of eval_steps, and its per-epoch
    counts (evals_per_epoch, saves_per_epoch) do not count.

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
    elif isinstance(eval_steps, int | float) and isinstance(save_steps, int | float) and save_steps % eval_steps:
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
    legacy = [k for k in axolotl_fields()["attention"]["legacy_flags"] if doc.get(k)]
    if legacy and doc.get("attn_implementation"):
        yield report(
            "AX007", legacy[0], True, None, "attn_implementation cannot be combined with legacy attention flags"
        )


@rule("AX008", "removed-axolotl-key", order=1070, kind="axolotl", fields=(), severity="error")
def removed_key(doc: dict[str, Any]) -> Iterator[Finding]:
    """A key the pinned Axolotl release refuses as no longer supported (max_packed_sequence_len, ...).

    Why:
    Some keys are still in Axolotl's schema only so that its validator can reject them with a message:
    `max_packed_sequence_len` (use `sample_packing`), `flash_attn_rms_norm`, `s2_attention`, `rope_scaling`
    at the top level (it belongs under `model_config`), DPO options TRL removed, and the `unsloth_*` kernel
    switches (now `lora_*_kernel`). A config that sets one does not start. `--fix` renames the `unsloth_lora_*`
    switches and removes the others, except `rope_scaling` (move it under `model_config` by hand).

    Example:
    `flash_attn_rms_norm: true` -> remove it.
    """
    for key, message in axolotl_fields()["removed"].items():
        if doc.get(key):
            yield report("AX008", key, doc[key], None, f"Axolotl {version()}: {message}")
    for key, new in UNSLOTH_KERNELS.items():
        if doc.get(key):
            yield report(
                "AX008",
                key,
                doc[key],
                None,
                f"Axolotl {version()} removed `{key}`" + (f"; use `{new}`" if new else "; remove it"),
            )


#: Axolotl's removed Unsloth switches and their replacements (``check_deprecated_unsloth_fields``).
UNSLOTH_KERNELS = {
    "unsloth_lora_mlp": "lora_mlp_kernel",
    "unsloth_lora_qkv": "lora_qkv_kernel",
    "unsloth_lora_o": "lora_o_kernel",
    "unsloth_cross_entropy_loss": None,
    "unsloth_rms_norm": None,
    "unsloth_rope": None,
}

_BOOL_STRINGS = {"true", "false", "yes", "no", "on", "off", "1", "0", "t", "f", "y", "n"}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def accepted(value: Any, spec: dict[str, Any]) -> bool:
    """Whether pydantic (lax mode) accepts ``value`` for a field of this kind spec (see ``types`` in the data)."""
    kinds = set(spec["accepts"])
    if "any" in kinds:
        return True
    if value is None:
        return "null" in kinds
    if "literal" in kinds and any(
        value == v and isinstance(value, bool) == isinstance(v, bool) for v in spec["values"]
    ):
        return True
    if isinstance(value, bool):
        return bool(kinds & {"bool", "int", "float"})
    if isinstance(value, int):
        return bool(kinds & {"int", "float"}) or ("bool" in kinds and value in (0, 1))
    if isinstance(value, float):
        return "float" in kinds or ("int" in kinds and value.is_integer()) or ("bool" in kinds and value in (0, 1))
    if isinstance(value, str):
        if "str" in kinds:
            return True
        number = _number(value)
        if "float" in kinds and number is not None:
            return True
        if "int" in kinds and number is not None and number.is_integer() and "." not in value:
            return True
        return "bool" in kinds and value.strip().lower() in _BOOL_STRINGS
    if isinstance(value, list):
        return "list" in kinds
    if isinstance(value, dict):
        return "dict" in kinds
    return True


def _kinds_text(spec: dict[str, Any]) -> str:
    names = {"null": "empty", "bool": "true/false", "int": "an integer", "float": "a number", "str": "a string"}
    names |= {"list": "a list", "dict": "a mapping"}
    parts = [names[k] for k in spec["accepts"] if k in names]
    if "literal" in spec["accepts"]:
        parts.append("one of " + ", ".join(map(repr, spec.get("values", []))))
    return " or ".join(parts)


@rule("AX009", "axolotl-value-type", order=1080, kind="axolotl", fields=(), severity="error")
def value_type(doc: dict[str, Any]) -> Iterator[Finding]:
    """A value of a type Axolotl's schema refuses (`warmup_steps: 0.1`, `tokens:` as a mapping, `bf16: full`).

    Why:
    Axolotl's pydantic models coerce what they can (`"2e-4"` to a number, `"true"` to a bool) and refuse the
    rest, so the run stops at validation: a fraction for an integer field, a mapping where a list belongs, an
    empty value for a field that has a default but may not be null (`output_dir:`), a value outside a fixed
    set. The accepted kinds are read from the pinned release's field annotations. `--fix` renames a fractional
    `warmup_steps` below 1 to `warmup_ratio` (what it means) and removes an empty key Axolotl would otherwise
    default.

    Example:
    `warmup_steps: 0.1` -> `warmup_ratio: 0.1`.
    """
    types = axolotl_fields()["types"]
    for key, value in doc.items():
        spec = types.get(str(key))
        if spec is None or accepted(value, spec):
            continue
        fraction = isinstance(value, float) and not value.is_integer() and "int" in spec["accepts"]
        detail = "a fraction" if fraction else "empty" if value is None else repr(value)
        yield report(
            "AX009",
            str(key),
            value,
            None,
            f"Axolotl {version()} wants {_kinds_text(spec)} for {key}, not {detail}",
        )
    for key, spec in types.items():
        if spec.get("required") and key not in doc:
            yield report("AX009", key, None, None, f"Axolotl {version()} requires {key}")


@dataclass(frozen=True)
class Rejection:
    """One of Axolotl's cross-field validators, mirrored: when it fires, the field it names, and a typed fix."""

    name: str
    fires: Callable[[dict[str, Any]], bool]
    field: str | Callable[[dict[str, Any]], str]
    message: str | Callable[[dict[str, Any]], str]
    fix: Any = None
    """The value ``--fix`` writes to ``field`` (None: no safe automatic fix)."""


def _eight_bit_optimizer(doc: dict[str, Any]) -> bool:
    return "8bit" in str(doc.get("optimizer") or "")


REJECTIONS = (
    Rejection(
        "fsdp2-bnb-8bit-optimizer",
        lambda d: (
            bool(d.get("fsdp_config"))
            and fsdp_version(d) == "2"
            and d.get("optimizer") in ("adamw_8bit", "adamw_bnb_8bit")
        ),
        "optimizer",
        "FSDP2 does not work with bitsandbytes' 8-bit AdamW; use adamw_torch_8bit",
        "adamw_torch_8bit",
    ),
    Rejection(
        "fsdp1-offload-8bit-optimizer",
        lambda d: (
            bool(d.get("fsdp_config"))
            and _eight_bit_optimizer(d)
            and bool(fsdp_settings(d).get("offload_params"))
            and fsdp_version(d) != "2"
        ),
        "optimizer",
        "FSDP1 with offload_params does not work with an 8-bit optimizer",
    ),
    Rejection(
        "fsdp2-cpu-ram-efficient-loading-4bit",
        lambda d: (
            bool(d.get("fsdp_config"))
            and fsdp_version(d) == "2"
            and bool(fsdp_settings(d).get("cpu_ram_efficient_loading"))
            and bool(d.get("load_in_4bit"))
        ),
        lambda d: fsdp_key(d, "cpu_ram_efficient_loading"),
        "FSDP2 cannot load a 4-bit model with cpu_ram_efficient_loading (the state dict scatter deadlocks)",
        False,
    ),
    Rejection(
        "save-best-needs-metric",
        lambda d: d.get("save_strategy") == "best" and not d.get("metric_for_best_model"),
        "metric_for_best_model",
        "save_strategy: best needs metric_for_best_model",
        "eval_loss",
    ),
    Rejection(
        "qlora-in-8bit",
        lambda d: d.get("adapter") == "qlora" and not d.get("merge_lora") and bool(d.get("load_in_8bit")),
        "load_in_8bit",
        "adapter: qlora cannot load the model in 8-bit",
        False,
    ),
    Rejection(
        "quantized-without-adapter",
        lambda d: (
            not d.get("adapter") and not d.get("inference") and bool(d.get("load_in_8bit") or d.get("load_in_4bit"))
        ),
        lambda d: "load_in_4bit" if d.get("load_in_4bit") else "load_in_8bit",
        "load_in_4bit / load_in_8bit need an adapter (a full fine-tune trains 16-bit weights)",
    ),
    Rejection(
        "sample-packing-with-rl",
        lambda d: bool(d.get("sample_packing") and d.get("rl")),
        "sample_packing",
        "sample_packing does not work with RL training (rl:)",
        False,
    ),
    Rejection(
        "kto-keeps-columns",
        lambda d: d.get("rl") == "kto" and d.get("remove_unused_columns") is not False,
        "remove_unused_columns",
        "rl: kto needs remove_unused_columns: false",
        False,
    ),
    Rejection(
        "activation-offloading-needs-checkpointing",
        lambda d: bool(d.get("activation_offloading")) and not d.get("gradient_checkpointing"),
        "activation_offloading",
        "activation_offloading requires gradient_checkpointing",
    ),
    Rejection(
        "eval-strategy-mismatch",
        lambda d: bool(d.get("eval_strategy") and d.get("eval_steps")) and d.get("eval_strategy") != "steps",
        "eval_strategy",
        "eval_steps needs eval_strategy: steps (or no eval_strategy)",
        "steps",
    ),
    Rejection(
        "save-strategy-mismatch",
        lambda d: bool(d.get("save_strategy") and d.get("save_steps")) and d.get("save_strategy") != "steps",
        "save_strategy",
        "save_steps needs save_strategy: steps (or no save_strategy)",
        "steps",
    ),
    Rejection(
        "eval-without-eval-split",
        lambda d: (
            d.get("val_set_size") == 0
            and bool(d.get("eval_steps") or d.get("eval_strategy"))
            and not d.get("test_datasets")
            and d.get("eval_strategy") != "no"
        ),
        lambda d: "eval_steps" if d.get("eval_steps") else "eval_strategy",
        "eval_steps / eval_strategy with val_set_size: 0 and no test_datasets: there is nothing to evaluate",
    ),
    Rejection(
        "evals-per-epoch-strategy",
        lambda d: bool(d.get("evals_per_epoch") and d.get("eval_strategy")) and d.get("eval_strategy") != "steps",
        "eval_strategy",
        "evals_per_epoch needs eval_strategy: steps (or no eval_strategy)",
        "steps",
    ),
    Rejection(
        "val-split-with-test-datasets",
        lambda d: bool(d.get("test_datasets") and d.get("val_set_size")),
        "val_set_size",
        "test_datasets replaces the validation split: val_set_size must be 0",
        0,
    ),
    Rejection(
        "val-split-with-pretraining",
        lambda d: bool(d.get("pretraining_dataset") and d.get("val_set_size")),
        "val_set_size",
        "pretraining_dataset streams its data: no validation split (use test_datasets to evaluate)",
        0,
    ),
    Rejection(
        "deepspeed-with-fsdp",
        lambda d: bool(d.get("deepspeed") and d.get("fsdp")),
        "fsdp",
        "deepspeed and fsdp cannot be used together",
    ),
    Rejection(
        "quantization-config-with-bnb",
        lambda d: bool(d.get("model_quantization_config") and (d.get("load_in_8bit") or d.get("load_in_4bit"))),
        "model_quantization_config",
        "model_quantization_config cannot be combined with load_in_4bit / load_in_8bit",
    ),
    Rejection(
        "safetensors-off",
        lambda d: d.get("save_safetensors") is False,
        "save_safetensors",
        "save_safetensors: false is not supported with Transformers v5",
        True,
    ),
    Rejection(
        "jinja-template-missing",
        lambda d: d.get("chat_template") == "jinja" and not d.get("chat_template_jinja"),
        "chat_template_jinja",
        "chat_template: jinja needs chat_template_jinja",
    ),
    Rejection(
        "no-dataset",
        lambda d: d.get("datasets") is None and d.get("pretraining_dataset") is None,
        "datasets",
        "either datasets or pretraining_dataset is required",
    ),
    Rejection(
        "compile-options-without-compile",
        lambda d: d.get("torch_compile_options") is not None and not d.get("torch_compile"),
        "torch_compile_options",
        "torch_compile_options needs torch_compile: true",
    ),
    Rejection(
        "ebft-strided-compile-checkpointing",
        lambda d: (
            d.get("rl") == "ebft"
            and d.get("torch_compile") is True
            and isinstance(d.get("ebft"), dict)
            and d["ebft"].get("mode") == "strided"
            and bool(d.get("gradient_checkpointing"))
        ),
        "torch_compile",
        "EBFT strided mode: torch_compile with gradient_checkpointing fails in recomputation "
        "(flex attention compiles itself)",
        False,
    ),
    Rejection(
        "ebft-needs-section",
        lambda d: d.get("rl") == "ebft" and not d.get("ebft"),
        "ebft",
        "rl: ebft needs an ebft: section (mode: structured or strided)",
    ),
    Rejection(
        "attention-short-name",
        lambda d: (
            isinstance(d.get("attn_implementation"), str)
            and d["attn_implementation"] in axolotl_fields()["attention"]["aliases"]
        ),
        "attn_implementation",
        "Axolotl wants the canonical attn_implementation name",
        lambda d: axolotl_fields()["attention"]["aliases"][d["attn_implementation"]],
    ),
    Rejection(
        "attention-unknown",
        lambda d: (
            isinstance(d.get("attn_implementation"), str)
            and d["attn_implementation"] not in axolotl_fields()["attention"]["aliases"]
            and d["attn_implementation"] not in axolotl_fields()["attention"]["canonical"]
            and "/" not in d["attn_implementation"]
        ),
        "attn_implementation",
        lambda d: (
            "not a backend Axolotl knows; use one of "
            + ", ".join(axolotl_fields()["attention"]["canonical"])
            + " or a hub kernel path"
        ),
    ),
    Rejection(
        "target-parameters-dropout",
        lambda d: bool(d.get("lora_target_parameters")) and bool(d.get("lora_dropout")),
        "lora_dropout",
        "lora_dropout must be 0 when lora_target_parameters is set",
        0.0,
    ),
)


@rule("AX010", "axolotl-rejects-combination", order=1090, kind="axolotl", fields=(), severity="error")
def rejected_combination(doc: dict[str, Any]) -> Iterator[Finding]:
    """A combination of settings Axolotl's validator refuses, so the run never starts.

    Why:
    Axolotl checks its config as a whole before training and stops on settings that cannot work together.
    ftguide mirrors those checks (each is tested against the real validator): FSDP2 with bitsandbytes' 8-bit
    AdamW (`adamw_torch_8bit` works), FSDP1 offload with an 8-bit optimizer, FSDP2 `cpu_ram_efficient_loading`
    with a 4-bit model, `save_strategy: best` without `metric_for_best_model`, QLoRA in 8-bit, 4/8-bit loading
    without an adapter, sample packing with RL, KTO without `remove_unused_columns: false`, activation
    offloading without checkpointing, eval/save step and strategy mismatches, evaluation with no eval split,
    `test_datasets` or `pretraining_dataset` with a validation split, DeepSpeed with the legacy `fsdp` list, a
    model quantization config with bitsandbytes flags, `save_safetensors: false`, `chat_template: jinja` without
    the template, no dataset, compile options without compiling, EBFT strided compile with checkpointing, short
    or unknown `attn_implementation` names, LoRA dropout with `lora_target_parameters`. Where the fix is a value Axolotl
    itself names (`adamw_torch_8bit`, `eval_loss`, `flash_attention_2`, `false`), it is the finding's
    `recommended` and `--fix` writes it.

    Example:
    `fsdp_version: 2` + `optimizer: adamw_bnb_8bit` -> `optimizer: adamw_torch_8bit`.
    """
    for rejection in REJECTIONS:
        if not rejection.fires(doc):
            continue
        field = rejection.field(doc) if callable(rejection.field) else rejection.field
        fix = rejection.fix(doc) if callable(rejection.fix) else rejection.fix
        message = rejection.message(doc) if callable(rejection.message) else rejection.message
        yield report("AX010", field, _get(doc, field), fix, f"Axolotl {version()} refuses this: {message}")


#: Axolotl's LoRA kernel switches; setting any of them stops Axolotl from switching the rest on by default.
LORA_KERNEL_KEYS = ("lora_mlp_kernel", "lora_qkv_kernel", "lora_o_kernel", "lora_embedding_kernel")


@rule("AX011", "lora-kernels-cannot-patch", order=1100, kind="axolotl", fields=(), severity="warning")
def lora_kernels_cannot_patch(doc: dict[str, Any]) -> Iterator[Finding]:
    """A LoRA run of a family whose attention Axolotl's LoRA kernels cannot rewrite, with the kernels left on.

    Why:
    For LoRA and QLoRA Axolotl 0.19 switches its fused LoRA kernels on unless a `lora_*_kernel` key is set
    (or `trust_remote_code`, `rl`, or 8-bit LoRA), and rewrites the attention's source to call them. On
    Phi-3 (one fused `qkv_proj`), GPT-NeoX and OLMo-2 that rewrite fails an assertion ("Original QKV code not
    found") when the model loads, after validation passed: the run stops before its first step (seen on the
    H200 with Phi-3). Setting `lora_qkv_kernel: false` (and `lora_o_kernel: false`) turns the rewrite off;
    the family record says which families need it (checked in CI against Axolotl's own patch code).

    Example:
    `base_model: microsoft/Phi-3-mini-4k-instruct`, `adapter: lora`, no kernel keys -> `lora_qkv_kernel: false`.
    """
    if doc.get("adapter") not in ("lora", "qlora") or doc.get("rl") or doc.get("trust_remote_code"):
        return
    if doc.get("adapter") == "lora" and doc.get("load_in_8bit"):
        return
    explicit = [k for k in LORA_KERNEL_KEYS if doc.get(k) is not None]
    if explicit and not (doc.get("lora_qkv_kernel") or doc.get("lora_o_kernel")):
        return
    from ftguide.catalog import model_family

    base_model = doc.get("base_model")
    family = model_family(base_model) if isinstance(base_model, str) and base_model.strip() else None
    if family is None or family.axolotl_attention_kernels:
        return
    yield report(
        "AX011",
        "lora_qkv_kernel",
        doc.get("lora_qkv_kernel"),
        False,
        f"Axolotl {version()} turns its LoRA attention kernels on here and cannot rewrite {family.architecture}'s "
        "attention: the run stops at load; set lora_qkv_kernel: false and lora_o_kernel: false",
    )


def _get(doc: dict[str, Any], dotted: str) -> Any:
    node: Any = doc
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def axolotl_findings(doc: dict[str, Any]) -> list[Finding]:
    """Every ``axolotl`` rule over one YAML, in registry order."""
    from ftguide.rules import rules_of

    return [finding for r in rules_of("axolotl") for finding in r.func(doc)]
