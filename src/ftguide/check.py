"""``ftguide check``: judge a config someone already has, with the rules ``suggest`` applies.

Three kinds of file are read, none executed:

* an ftguide profile (JSON / YAML, bare or a whole ``suggest`` document);
* an Axolotl YAML;
* a Python training script, read with ``ast``: the keyword arguments of ``TrainingArguments``, ``SFTConfig``,
  ``LoraConfig``, ``BitsAndBytesConfig``, ``SFTTrainer`` and ``from_pretrained`` (literal values only), or the
  ``PROFILE`` dict of a script ftguide rendered.

Their settings are mapped onto profile fields and checked by the rule registry (so ``check`` and ``suggest``
can never disagree), then by target-specific checks: Axolotl's conflicting pairs and keys it would silently
drop, arguments the pinned transformers / TRL releases removed, bf16 on a card without it, and memory.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from ftguide import memory
from ftguide.catalog import GPU, Architecture, resolve_model
from ftguide.engine import lint, suggest
from ftguide.errors import InputError
from ftguide.models import Finding, MemoryEstimate, Profile, Request, Severity

Kind = Literal["profile", "axolotl", "python"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}

# Axolotl key -> profile field.
AXOLOTL_TO_PROFILE = {
    "base_model": "base_model",
    "learning_rate": "learning_rate",
    "num_epochs": "num_epochs",
    "micro_batch_size": "batch_size",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "lora_r": "lora_r",
    "lora_alpha": "lora_alpha",
    "lora_dropout": "lora_dropout",
    "lora_target_modules": "target_modules",
    "warmup_ratio": "warmup_ratio",
    "lr_scheduler": "lr_scheduler",
    "sequence_len": "max_seq_length",
    "gradient_checkpointing": "gradient_checkpointing",
    "optimizer": "optimizer",
    "early_stopping_patience": "early_stopping_patience",
    "val_set_size": "val_set_size",
    "eval_steps": "eval_steps",
}
# Python keyword -> profile field (TrainingArguments / SFTConfig / LoraConfig).
PYTHON_TO_PROFILE = {
    "learning_rate": "learning_rate",
    "num_train_epochs": "num_epochs",
    "per_device_train_batch_size": "batch_size",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "r": "lora_r",
    "lora_alpha": "lora_alpha",
    "lora_dropout": "lora_dropout",
    "target_modules": "target_modules",
    "warmup_ratio": "warmup_ratio",
    "lr_scheduler_type": "lr_scheduler",
    "max_length": "max_seq_length",
    "max_seq_length": "max_seq_length",
    "gradient_checkpointing": "gradient_checkpointing",
    "optim": "optimizer",
    "eval_steps": "eval_steps",
}
OPTIMIZER_NAMES = {
    "adamw_bnb_8bit": "adamw_8bit",
    "adamw_torch": "adamw_torch",
    "adamw_torch_fused": "adamw_torch_fused",
    "adamw_8bit": "adamw_8bit",
    "paged_adamw_8bit": "paged_adamw_8bit",
    "paged_adamw_32bit": "paged_adamw_32bit",
}
SCHEDULER_NAMES = {"constant_with_warmup": "constant"}

# Arguments the pinned libraries removed: (call names, keyword) -> (replacement, why).
REMOVED: dict[tuple[str, str], tuple[str | None, str]] = {
    ("args", "warmup_ratio"): ("warmup_steps", "removed in transformers 5.17; a float < 1 in warmup_steps is a ratio"),
    ("args", "evaluation_strategy"): ("eval_strategy", "removed in transformers 4.46+"),
    ("args", "no_cuda"): ("use_cpu", "removed in transformers 5"),
    ("args", "overwrite_output_dir"): (None, "removed in transformers 5"),
    ("args", "logging_dir"): (None, "removed in transformers 5.17 (set TENSORBOARD_LOGGING_DIR)"),
    ("args", "save_safetensors"): (None, "removed in transformers 5"),
    ("args", "group_by_length"): (None, "removed in transformers 5 (train_sampling_strategy='group_by_length')"),
    ("args", "max_seq_length"): ("max_length", "SFTConfig renamed it max_length (TRL 0.16) and removed it (0.20)"),
    ("trainer", "tokenizer"): ("processing_class", "SFTTrainer takes processing_class since TRL 0.12"),
    ("trainer", "max_seq_length"): (None, "not an SFTTrainer argument since TRL 0.20: SFTConfig(max_length=...)"),
    ("trainer", "dataset_text_field"): (None, "not an SFTTrainer argument in TRL 1.x: SFTConfig(dataset_text_field=)"),
    ("trainer", "packing"): (None, "not an SFTTrainer argument in TRL 1.x: SFTConfig(packing=...)"),
    ("load", "load_in_4bit"): (None, "removed in transformers 5: quantization_config=BitsAndBytesConfig(...)"),
    ("load", "load_in_8bit"): (None, "removed in transformers 5: quantization_config=BitsAndBytesConfig(...)"),
    ("load", "use_auth_token"): ("token", "removed in transformers 5"),
}
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
CALL_GROUPS = {
    "TrainingArguments": "args",
    "SFTConfig": "args",
    "SFTTrainer": "trainer",
    "Trainer": "trainer",
    "from_pretrained": "load",
    "LoraConfig": "lora",
    "BitsAndBytesConfig": "bnb",
}


@dataclass
class Checked:
    """What a file says, mapped onto profile fields, plus findings no rule can see."""

    kind: Kind
    values: dict[str, Any]
    raw: Any
    findings: list[Finding] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def axolotl_fields() -> dict[str, Any]:
    text = resources.files("ftguide").joinpath("data/axolotl_fields.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _finding(
    code: str, symbol: str, severity: Severity, name: str, value: Any, recommended: Any, message: str
) -> Finding:
    return Finding(
        code=code,
        symbol=symbol,
        severity=severity,
        field=name,
        value=value,  # type: ignore[arg-type]
        recommended=recommended,
        message=message,
    )


# ------------------------------------------------------------------------------------------------ reading


def read(path: Path) -> Checked:
    from ftguide.cli import read_document

    if path.suffix == ".py":
        return read_python(path)
    doc = read_document(str(path), "FILE")
    if not isinstance(doc, dict):
        raise InputError(f"FILE: {path} holds no mapping (expected an Axolotl YAML, a profile or a script)")
    if "profile" in doc and isinstance(doc["profile"], dict):
        return Checked("profile", dict(doc["profile"]), doc)
    if "micro_batch_size" in doc or "adapter" in doc or "datasets" in doc or "sequence_len" in doc:
        return read_axolotl(doc)
    if set(doc) & set(Profile.model_fields):
        return Checked("profile", dict(doc), doc)
    raise InputError(f"FILE: {path} is neither an ftguide profile nor an Axolotl config (no known keys)")


def read_axolotl(doc: dict[str, Any]) -> Checked:
    out = Checked("axolotl", {}, doc)
    for key, name in AXOLOTL_TO_PROFILE.items():
        if key in doc and doc[key] is not None:
            out.values[name] = doc[key]
            out.renames[name] = key
    if isinstance(out.values.get("learning_rate"), str):
        with contextlib.suppress(ValueError):
            out.values["learning_rate"] = float(out.values["learning_rate"])
    if doc.get("lora_target_linear") and "target_modules" not in out.values:
        out.values["target_modules"] = "all"
    if isinstance(out.values.get("target_modules"), str) and out.values["target_modules"] != "all":
        out.values["target_modules"] = [out.values["target_modules"]]
    # What Axolotl really loads: 4-bit only for adapter qlora, 8-bit only for adapter lora (see AX003).
    adapter = doc.get("adapter")
    four = bool(doc.get("load_in_4bit")) and adapter == "qlora"
    eight = bool(doc.get("load_in_8bit")) and adapter == "lora"
    out.values["quantization"] = "4bit" if four else "8bit" if eight else "none"
    out.renames["quantization"] = "load_in_4bit"
    if doc.get("bf16") is True or doc.get("fp16") is True:
        out.values["precision"] = "bf16" if doc.get("bf16") is True else "fp16"
        out.renames["precision"] = "bf16"
    if "optimizer" in out.values:
        out.values["optimizer"] = OPTIMIZER_NAMES.get(str(out.values["optimizer"]), out.values["optimizer"])
    if "lr_scheduler" in out.values:
        out.values["lr_scheduler"] = SCHEDULER_NAMES.get(str(out.values["lr_scheduler"]), out.values["lr_scheduler"])
    out.findings.extend(axolotl_findings(doc))
    return out


def axolotl_findings(doc: dict[str, Any]) -> list[Finding]:
    """Axolotl's own pitfalls: keys it drops silently, pairs it rejects, settings that do nothing."""
    fields = axolotl_fields()
    found: list[Finding] = []
    known = set(fields["top_level"])
    for key in doc:
        if key not in known:
            close = (
                [COMMON_TYPOS[key]] if key in COMMON_TYPOS else difflib.get_close_matches(key, known, n=1, cutoff=0.75)
            )
            hint = f"; did you mean {close[0]!r}?" if close else ""
            found.append(
                _finding(
                    "AX001",
                    "unknown-axolotl-key",
                    "info" if doc[key] is None else "error",  # an empty unknown key changes nothing
                    key,
                    doc[key],
                    close[0] if close else None,
                    f"Axolotl {fields['axolotl_version']} does not know {key!r} and drops it silently{hint}",
                )
            )
    dataset_known = set(fields["dataset"])
    for i, entry in enumerate(doc.get("datasets") or []):
        if isinstance(entry, dict):
            for key in entry:
                if key not in dataset_known:
                    close = difflib.get_close_matches(key, dataset_known, n=1, cutoff=0.75)
                    found.append(
                        _finding(
                            "AX001",
                            "unknown-axolotl-key",
                            "error",
                            f"datasets[{i}].{key}",
                            entry[key],
                            close[0] if close else None,
                            f"Axolotl's dataset entry has no {key!r}; it is dropped",
                        )
                    )
            kind = str(entry.get("type", ""))
            if kind.startswith("sharegpt"):
                found.append(
                    _finding(
                        "AX002",
                        "sharegpt-type-removed",
                        "error",
                        f"datasets[{i}].type",
                        kind,
                        "chat_template",
                        "`type: sharegpt` was removed; use type: chat_template "
                        "with field_messages and message_property_mappings",
                    )
                )
    adapter = doc.get("adapter")
    if adapter == "lora" and doc.get("load_in_4bit"):
        found.append(
            _finding(
                "AX003",
                "lora-with-4bit-never-quantizes",
                "error",
                "adapter",
                "lora",
                "qlora",
                "adapter: lora with load_in_4bit builds no 4-bit config: the model loads in 16-bit",
            )
        )
    if adapter == "qlora" and not doc.get("load_in_4bit"):
        found.append(
            _finding(
                "AX004",
                "qlora-needs-4bit",
                "error",
                "load_in_4bit",
                doc.get("load_in_4bit"),
                True,
                "adapter: qlora requires load_in_4bit: true",
            )
        )
    pairs = [
        ("warmup_steps", "warmup_ratio"),
        ("eval_steps", "evals_per_epoch"),
        ("save_steps", "saves_per_epoch"),
        ("gradient_accumulation_steps", "batch_size"),
    ]
    for a, b in pairs:
        if doc.get(a) is not None and doc.get(b) is not None:
            found.append(
                _finding(
                    "AX005",
                    "conflicting-pair",
                    "error",
                    b,
                    doc[b],
                    None,
                    f"{a} and {b} are mutually exclusive in Axolotl",
                )
            )
    if doc.get("early_stopping_patience"):
        eval_steps, save_steps = doc.get("eval_steps"), doc.get("save_steps")
        if not eval_steps or not save_steps:
            found.append(
                _finding(
                    "AX006",
                    "early-stopping-needs-steps",
                    "error",
                    "early_stopping_patience",
                    doc["early_stopping_patience"],
                    None,
                    "early_stopping_patience needs integer eval_steps and save_steps (not "
                    "evals_per_epoch / saves_per_epoch)",
                )
            )
        elif isinstance(eval_steps, int) and isinstance(save_steps, int) and save_steps % eval_steps:
            found.append(
                _finding(
                    "AX006",
                    "early-stopping-needs-steps",
                    "error",
                    "save_steps",
                    save_steps,
                    eval_steps,
                    "save_steps must be a multiple of eval_steps for early stopping",
                )
            )
    legacy = [k for k in ("flash_attention", "sdp_attention", "xformers_attention", "flex_attention") if doc.get(k)]
    if legacy and doc.get("attn_implementation"):
        found.append(
            _finding(
                "AX007",
                "attention-flags-conflict",
                "error",
                legacy[0],
                True,
                None,
                "attn_implementation cannot be combined with legacy attention flags",
            )
        )
    return found


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return ...


def read_python(path: Path) -> Checked:
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except FileNotFoundError:
        raise InputError(f"FILE: {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"FILE: cannot read {path} ({type(exc).__name__})") from None
    except SyntaxError as exc:
        raise InputError(f"FILE: {path} is not valid Python (line {exc.lineno})") from None
    from ftguide.render import script_profile

    out = Checked("python", {}, source)
    rendered = script_profile(tree)
    if rendered is not None:
        out.values.update(rendered)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        group = CALL_GROUPS.get(name)
        if group is None:
            continue
        if group == "load":
            owner = ast.unparse(node.func.value) if isinstance(node.func, ast.Attribute) else ""
            model_arg = (
                node.args[0]
                if node.args
                else next(
                    (k.value for k in node.keywords if k.arg in ("pretrained_model_name_or_path", "model_name")), None
                )
            )
            named = _literal(model_arg) if model_arg is not None else None
            if isinstance(named, str) and "base_model" not in out.values and "Tokenizer" not in owner:
                out.values["base_model"] = named
            # transformers loaders only; Unsloth's FastLanguageModel takes load_in_4bit
            if not (owner.startswith("Auto") or owner.endswith("ForCausalLM")):
                continue
        for kw in node.keywords:
            if kw.arg is None:
                continue
            removed = REMOVED.get((group, kw.arg))
            if removed is not None:
                out.findings.append(
                    _finding(
                        "PY001",
                        "removed-argument",
                        "error",
                        f"{name}({kw.arg}=)",
                        _literal(kw.value) if _literal(kw.value) is not ... else None,
                        removed[0],
                        f"line {kw.lineno}: {kw.arg}= {removed[1]}",
                    )
                )
            value = _literal(kw.value)
            if value is ... or rendered is not None:
                continue
            if group == "bnb" and kw.arg == "load_in_4bit" and value:
                out.values["quantization"] = "4bit"
            elif group == "bnb" and kw.arg == "load_in_8bit" and value:
                out.values["quantization"] = "8bit"
            elif group == "args" and kw.arg in ("bf16", "fp16") and value:
                out.values["precision"] = kw.arg
            elif group == "args" and kw.arg == "warmup_steps" and isinstance(value, float) and value < 1:
                out.values["warmup_ratio"] = value
            elif kw.arg in PYTHON_TO_PROFILE and group in ("args", "lora"):
                out.values[PYTHON_TO_PROFILE[kw.arg]] = value
    return out


# --------------------------------------------------------------------------------------------- judging


@dataclass
class CheckReport:
    file: str
    kind: Kind
    model: str | None
    findings: list[Finding]
    memory: MemoryEstimate | None
    fixed: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "model": self.model,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "memory": self.memory.model_dump(mode="json") if self.memory else None,
        }


def check(
    path: Path,
    *,
    examples: int | None = None,
    model: str | None = None,
    gpu: GPU | None = None,
    budget_gib: float | None = None,
    framework: str = "peft",
) -> CheckReport:
    checked = read(path)
    spec = model or checked.values.get("base_model")
    arch: Architecture | None = None
    if spec:
        try:
            arch = resolve_model(str(spec))
        except InputError:
            if model:  # the user named it: a bad --model is bad input
                raise
    profile = complete_profile(checked.values, arch, examples)
    findings = list(checked.findings)
    present = set(checked.values)
    if profile is not None:
        for f in lint(profile, examples=examples, arch=arch, gpu=gpu, budget_gib=budget_gib):
            if f.field in present:
                findings.append(f)
    estimate = None
    if profile is not None and arch is not None and budget_gib is not None:
        estimate = memory.memory_estimate(profile, arch, framework, budget_gib)
        if not estimate.fits:
            findings.append(
                _finding(
                    "MM003",
                    "does-not-fit",
                    "error",
                    "memory",
                    estimate.estimated_gib,
                    budget_gib,
                    f"estimated peak {estimate.estimated_gib:.1f} GiB + "
                    f"{estimate.safety_margin_gib:.1f} margin exceeds {budget_gib:g} GiB "
                    "(run `ftguide suggest` with --vram for a profile that fits)",
                )
            )
    fixed = {f.field: f.recommended for f in findings if f.recommended is not None and f.field in present}
    return CheckReport(str(path), checked.kind, arch.name if arch else None, findings, estimate, fixed)


def complete_profile(values: dict[str, Any], arch: Architecture | None, examples: int | None) -> Profile | None:
    """The file's values over suggest's defaults, so the rules and the memory model see a whole profile."""
    base = suggest(Request(examples=examples or 1000, model=arch.name if arch else "7B")).profile.model_dump()
    merged = dict(base)
    for key, value in values.items():
        if key in Profile.model_fields:
            merged[key] = value
    if arch is not None and merged.get("target_modules") == "all":
        merged["target_modules"] = list(arch.all_modules)
    if isinstance(merged.get("target_modules"), list) and arch is not None:
        merged["target_modules"] = [m.split(".")[-1] for m in merged["target_modules"]]
    merged["effective_batch_size"] = (
        int(merged["batch_size"]) * int(merged["gradient_accumulation_steps"]) * int(merged.get("num_gpus", 1))
    )
    try:
        return Profile.model_validate(merged)
    except ValueError:
        return None


def worst(findings: list[Finding]) -> int:
    return max((SEVERITY_ORDER[f.severity] for f in findings), default=-1)


def fixed_text(path: Path, report: CheckReport) -> str:
    """The file with every recommended value applied (YAML / JSON configs and profiles)."""
    checked = read(path)
    if checked.kind == "python":
        raise InputError("--fix: Python scripts are reported, not rewritten; apply the findings by hand")
    doc = dict(checked.raw)
    target = doc["profile"] if checked.kind == "profile" and isinstance(doc.get("profile"), dict) else doc
    for finding in report.findings:
        if finding.recommended is None:
            continue
        if finding.code == "AX003":
            target["adapter"] = "qlora"
            continue
        key = checked.renames.get(finding.field, finding.field)
        if key in target:
            target[key] = finding.recommended
    if "warmup_steps" in target and "warmup_ratio" in target and checked.kind == "axolotl":
        target.pop("warmup_steps")
    if path.suffix == ".json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
