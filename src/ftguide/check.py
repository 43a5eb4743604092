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
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from ftguide import memory
from ftguide.catalog import GPU, Architecture, resolve_model
from ftguide.engine import lint, suggest
from ftguide.errors import InputError
from ftguide.models import Finding, MemoryEstimate, Optimizer, Profile, Request
from ftguide.rules import report
from ftguide.rules.axolotl import axolotl_findings
from ftguide.rules.scripts import removed_argument
from ftguide.targets import get_target

Kind = Literal["profile", "axolotl", "python"]
SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}

#: Axolotl key -> profile field, and script keyword -> profile field: the targets' own key maps, read backwards.
AXOLOTL_TO_PROFILE = {k: v for k, v in get_target("axolotl").reverse_key_map.items() if v != "attn_implementation"}
PYTHON_TO_PROFILE = get_target("peft").reverse_key_map | {"max_seq_length": "max_seq_length"}
#: Optimizer names as the targets spell them -> the profile's (Axolotl's and transformers' spellings).
OPTIMIZER_NAMES = {name: name for name in get_args(Optimizer)} | {
    theirs: ours for ours, theirs in get_target("axolotl").optimizer_names.items()
}
SCHEDULER_NAMES = dict(get_target("axolotl").scheduler_names)

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


# ------------------------------------------------------------------------------------------------ reading


def read(path: Path) -> Checked:
    from ftguide.files import read_document

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
            value = _literal(kw.value)
            out.findings.extend(removed_argument(name, group, kw.arg, None if value is ... else value, kw.lineno))
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
                report(
                    "MM003",
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
        if finding.code == "AX001":  # a key Axolotl does not know: rename it, keeping its value
            if finding.field in target and finding.recommended not in target:
                target = {(finding.recommended if k == finding.field else k): v for k, v in target.items()}
                if checked.kind == "axolotl":
                    doc = target
            continue
        key = checked.renames.get(finding.field, finding.field)
        if key in target:
            target[key] = finding.recommended
    if "warmup_steps" in target and "warmup_ratio" in target and checked.kind == "axolotl":
        target.pop("warmup_steps")
    if path.suffix == ".json":
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def profile_from_file(path: Path, what: str) -> Profile:
    """A whole profile from a run's config (a profile, a suggest document, an Axolotl YAML or a script)."""
    checked = read(path)
    spec = checked.values.get("base_model")
    try:
        arch = resolve_model(str(spec)) if spec else None
    except InputError:
        arch = None
    profile = complete_profile(checked.values, arch, None)
    if profile is None:
        raise InputError(f"{what}: {path} does not make a valid profile")
    return profile
