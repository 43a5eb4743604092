"""``ftguide check``: judge a config someone already has, with the rules ``suggest`` applies.

Three kinds of file are read, none executed:

* an ftguide profile (JSON / YAML, bare or a whole ``suggest`` document);
* an Axolotl YAML;
* a Python training script, read with ``ast``: the keyword arguments of ``TrainingArguments``, ``SFTConfig``,
  ``LoraConfig``, ``BitsAndBytesConfig``, ``SFTTrainer`` and ``from_pretrained`` (literal values only), or the
  ``PROFILE`` dict of a script ftguide rendered.

Anything else (a LLaMA-Factory YAML, a transformers / TRL argument file, a script whose values all come from
the command line) is refused with :class:`UnknownFormat`: there is nothing to check, and saying "no findings"
would be a lie.

A config is judged by its purpose (:class:`Purpose`): a supervised LoRA / QLoRA run gets every rule; a run
without an adapter (full fine-tune, pre-training, reward model, QAT) gets no LoRA rule; RL runs (DPO, ORPO,
KTO, GRPO, ...) and pre-training do not get the guide's supervised learning-rate and epoch tables. Every check
skipped for a file is reported as a ``CK001`` info finding that says why and what would let it run.

The file's settings are mapped onto profile fields and checked by the rule registry (so ``check`` and
``suggest`` can never disagree), then by target-specific checks: the keys, types and combinations Axolotl's
validator drops or refuses, arguments the pinned transformers / TRL releases removed or refuse together, bf16
on a card without it, and memory: LoRA runs by the calibrated model of :mod:`ftguide.memory`, full fine-tunes
by :func:`full_finetune_estimate` (weights, gradients and optimizer states; documented there). Preference
training (DPO, IPO, SimPO, ORPO, reward models) is priced with chosen and rejected rows in each micro-batch, a
full-fine-tune DPO / IPO / KTO run with its frozen reference copy; methods that generate during training
(GRPO, PPO, EBFT, ...) and sharded configs are not estimated, and a CK001 notice says so.

``--fix`` (:func:`fix_file`) edits a YAML in place of a round trip that keeps comments and key order: keys are
renamed with their values, values are written typed, and each change is listed.
"""

from __future__ import annotations

import ast
import contextlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from ftguide import memory
from ftguide.catalog import GPU, Architecture, resolve_model
from ftguide.errors import InputError
from ftguide.models import Finding, MemoryEstimate, Optimizer, Profile, Request, Scheduler
from ftguide.rules import report
from ftguide.rules.axolotl import axolotl_findings, plugins_of
from ftguide.rules.axolotl import version as axolotl_version
from ftguide.rules.scripts import exclusive_arguments, removed_argument
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
#: The profile's optimizer names -> Axolotl's spelling (for --fix).
AXOLOTL_OPTIMIZER = dict(get_target("axolotl").optimizer_names)
SCHEDULER_NAMES = dict(get_target("axolotl").scheduler_names)

CALL_GROUPS = {
    "TrainingArguments": "args",
    "SFTConfig": "args",
    "DPOConfig": "args",
    "GRPOConfig": "args",
    "ORPOConfig": "args",
    "KTOConfig": "args",
    "SFTTrainer": "trainer",
    "Trainer": "trainer",
    "from_pretrained": "load",
    "LoraConfig": "lora",
    "get_peft_model": "lora",
    "BitsAndBytesConfig": "bnb",
}
#: TRL trainers of RL methods (``DPOTrainer`` / ``DPOConfig`` ...): a script using one is judged as RL.
RL_TRAINERS = ("DPO", "ORPO", "KTO", "GRPO", "PPO", "RLOO", "CPO")
#: Calls that read a script's settings from the command line.
CLI_PARSERS = ("HfArgumentParser", "TrlParser", "ArgumentParser", "parse_args", "parse_args_into_dataclasses", "Fire")

#: Rules that judge a LoRA adapter: they run only where the file trains one.
LORA_RULES = ("LR001", "LO003", "LO005", "LO006", "LO007", "QT002", "MG002")
#: The guide's tables for supervised fine-tuning (learning rate by size, epochs and batch by dataset size).
SFT_RULES = ("LR001", "TR001", "BA001")
#: Rules not applied to pre-training: a long-context run may exceed the model's context on purpose.
PRETRAINING_RULES = ("SQ002",)
#: Rules that need the model's architecture.
ARCH_RULES = ("LR001", "LO007", "SQ002")
#: Adapters the LoRA rules and the LoRA memory model are for.
LORA_ADAPTERS = ("lora", "qlora")


class UnknownFormat(InputError):
    """A file ftguide cannot judge at all (nothing was checked)."""


@dataclass(frozen=True)
class Purpose:
    """What a config trains: a method (``sft``, ``rl:dpo``, ``pretraining``, ``reward``) and its adapter."""

    method: str = "sft"
    adapter: str | None = "lora"

    @property
    def lora(self) -> bool:
        return self.adapter in LORA_ADAPTERS

    def describe(self) -> str:
        how = {"lora": "LoRA", "qlora": "QLoRA"}.get(self.adapter or "", self.adapter or "full fine-tune")
        what = {"sft": "supervised", "pretraining": "pre-training", "reward": "reward model"}.get(
            self.method, self.method.replace("rl:", "RL ").upper() if self.method.startswith("rl:") else self.method
        )
        return f"{how}, {what}"


@dataclass
class Checked:
    """What a file says, mapped onto profile fields, plus findings no rule can see."""

    kind: Kind
    values: dict[str, Any]
    raw: Any
    findings: list[Finding] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)
    purpose: Purpose = field(default_factory=Purpose)
    notes: list[Finding] = field(default_factory=list)
    """CK001 notices: what could not be judged in this file, and why."""
    unsloth: bool = False


def notice(what: str, message: str) -> Finding:
    return report("CK001", what, None, None, message)


# ------------------------------------------------------------------------------------------------ reading

LLAMA_FACTORY_KEYS = ("stage", "finetuning_type", "template", "cutoff_len", "lora_target", "do_train")
HF_ARGUMENT_KEYS = ("per_device_train_batch_size", "num_train_epochs", "dataset_name", "output_dir")
AXOLOTL_MARKERS = ("micro_batch_size", "adapter", "datasets", "sequence_len", "pretraining_dataset")


def read(path: Path) -> Checked:
    from ftguide.files import read_document

    if path.suffix == ".py":
        return read_python(path)
    doc = read_document(str(path), "FILE")
    if not isinstance(doc, dict):
        raise UnknownFormat(f"FILE: {path} holds no mapping (expected an Axolotl YAML, a profile or a script)")
    if "profile" in doc and isinstance(doc["profile"], dict):
        return Checked("profile", dict(doc["profile"]), doc)
    if "model_name_or_path" in doc and not set(doc) & {"base_model", *AXOLOTL_MARKERS}:
        if set(doc) & set(LLAMA_FACTORY_KEYS):
            raise UnknownFormat(
                f"FILE: {path} is a LLaMA-Factory config (model_name_or_path, stage, finetuning_type): ftguide "
                "checks Axolotl YAMLs, ftguide profiles and training scripts, so nothing was checked"
            )
        if set(doc) & set(HF_ARGUMENT_KEYS):
            raise UnknownFormat(
                f"FILE: {path} is a transformers / TRL argument file (model_name_or_path, "
                "per_device_train_batch_size): ftguide checks Axolotl YAMLs, ftguide profiles and training "
                "scripts, so nothing was checked"
            )
    if set(doc) & set(AXOLOTL_MARKERS):
        return read_axolotl(doc)
    if set(doc) & set(Profile.model_fields):
        return Checked("profile", dict(doc), doc)
    raise UnknownFormat(
        f"FILE: {path} is neither an ftguide profile nor an Axolotl config (no known keys), so nothing was checked"
    )


def purpose_of(doc: dict[str, Any]) -> Purpose:
    """What an Axolotl config trains, from ``adapter``, ``rl``, ``reward_model`` and its datasets."""
    adapter = doc.get("adapter")
    adapter = str(adapter) if adapter else None
    if doc.get("reward_model") or doc.get("process_reward_model"):
        return Purpose("reward", adapter)
    if doc.get("rl"):
        return Purpose(f"rl:{doc['rl']}", adapter)
    datasets = [d for d in doc.get("datasets") or [] if isinstance(d, dict)]
    if doc.get("pretraining_dataset") or (
        datasets and all(d.get("type") in ("completion", "pretrain") for d in datasets)
    ):
        return Purpose("pretraining", adapter)
    return Purpose("sft", adapter)


def _regex(value: Any) -> bool:
    names = value if isinstance(value, list) else [value]
    return any(isinstance(n, str) and re.search(r"[\\^$*+?\[\](){}|]", n) for n in names)


def read_axolotl(doc: dict[str, Any]) -> Checked:
    out = Checked("axolotl", {}, doc, purpose=purpose_of(doc))
    for key, name in AXOLOTL_TO_PROFILE.items():
        if key in doc and doc[key] is not None:
            out.values[name] = doc[key]
            out.renames[name] = key
    if isinstance(out.values.get("learning_rate"), str):
        with contextlib.suppress(ValueError):
            out.values["learning_rate"] = float(out.values["learning_rate"])
    if _regex(out.values.get("target_modules")):
        out.notes.append(
            notice(
                "target_modules",
                "lora_target_modules is a regular expression: LO006/LO007 need module names and were skipped "
                "(the memory estimate counts every linear layer)",
            )
        )
        out.values["target_modules"] = "all"
    if doc.get("lora_target_linear"):
        if out.values.get("target_modules") not in (None, "all"):
            # Axolotl adapts every linear layer and adds the listed names to them (PEFT ignores a listed name no
            # module has while others match), so the set that trains is every linear layer.
            out.notes.append(
                notice(
                    "target_modules",
                    "lora_target_linear adapts every linear layer as well as the names in lora_target_modules; "
                    "LO006/LO007 judge every linear layer",
                )
            )
            out.values["target_modules"] = "all"
        elif "target_modules" not in out.values:
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
    if doc.get("chunked_cross_entropy") is True:  # the loss in chunks: the memory estimate prices it so
        out.values["chunked_cross_entropy"] = True
        out.renames["chunked_cross_entropy"] = "chunked_cross_entropy"
    if "optimizer" in out.values:
        out.values["optimizer"] = OPTIMIZER_NAMES.get(str(out.values["optimizer"]), out.values["optimizer"])
    if "lr_scheduler" in out.values:
        out.values["lr_scheduler"] = SCHEDULER_NAMES.get(str(out.values["lr_scheduler"]), out.values["lr_scheduler"])
    if doc.get("gradient_checkpointing") in ("offload", "offload_disk"):
        out.values["gradient_checkpointing"] = True
        out.notes.append(
            notice(
                "gradient_checkpointing",
                f"gradient_checkpointing: {doc['gradient_checkpointing']} offloads activations, which the memory "
                "model does not model: an estimate counts checkpointed activations on the GPU (an upper bound)",
            )
        )
    _, unknown_plugins = plugins_of(doc)
    if unknown_plugins:
        out.notes.append(
            notice(
                "plugins",
                f"plugin {unknown_plugins[0]} is not one of Axolotl {axolotl_version()}'s: its keys are unknown, "
                "so unknown top-level keys are reported as info only",
            )
        )
    out.findings.extend(axolotl_findings(doc))
    return out


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ...


def _call_name(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def read_python(path: Path) -> Checked:
    try:
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
    except FileNotFoundError:
        raise InputError(f"FILE: {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"FILE: cannot read {path} ({type(exc).__name__})") from None
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        line = getattr(exc, "lineno", None)
        raise InputError(f"FILE: {path} is not valid Python" + (f" (line {line})" if line else "")) from None
    from ftguide.render import script_profile

    unsloth = any(
        (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "unsloth" for a in n.names))
        or (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "unsloth")
        for n in ast.walk(tree)
    )
    out = Checked("python", {}, source, unsloth=unsloth)
    try:
        rendered = script_profile(tree)
    except (ValueError, SyntaxError, TypeError):
        rendered = None
    if rendered is not None:
        out.values.update(rendered)
    calls = 0
    cli = False
    names = {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    adapter = "lora" if names & {"LoraConfig", "get_peft_model"} or rendered is not None else None
    method = next((f"rl:{m.lower()}" for m in RL_TRAINERS if f"{m}Trainer" in names or f"{m}Config" in names), "sft")
    if names & {"RewardTrainer", "RewardConfig"}:
        method = "reward"
    out.purpose = Purpose(method, adapter)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        cli = cli or name in CLI_PARSERS
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
            if owner.startswith("Fast"):  # Unsloth's loader: its own load_in_4bit and max_seq_length
                calls += _unsloth_loader(node, out, rendered is not None)
                continue
            # transformers loaders only
            if not (owner.startswith("Auto") or owner.endswith("ForCausalLM")):
                continue
        literals = {}
        for kw in node.keywords:
            if kw.arg is None:
                continue
            value = _literal(kw.value)
            if value is not ...:
                literals[kw.arg] = value
                calls += value is not None
            out.findings.extend(
                removed_argument(name, group, kw.arg, None if value is ... else value, kw.lineno, unsloth=unsloth)
            )
            if value is ... or rendered is not None:
                continue
            if group == "bnb" and kw.arg == "load_in_4bit" and value:
                out.values["quantization"] = "4bit"
            elif group == "bnb" and kw.arg == "load_in_8bit" and value:
                out.values["quantization"] = "8bit"
            elif group == "args" and kw.arg in ("bf16", "fp16") and value is True:
                out.values.setdefault("precision", kw.arg)
            elif group == "args" and kw.arg == "warmup_steps" and isinstance(value, float) and value < 1:
                out.values["warmup_ratio"] = value
            elif kw.arg in PYTHON_TO_PROFILE and group in ("args", "lora"):
                out.values[PYTHON_TO_PROFILE[kw.arg]] = value
        out.findings.extend(exclusive_arguments(name, group, literals, node.lineno))
    if rendered is None and not out.findings and not calls:
        why = (
            "its settings come from the command line (an argument parser), and it passes no literal training "
            "values to TrainingArguments / SFTConfig / LoraConfig / BitsAndBytesConfig / SFTTrainer"
            if cli
            else "it passes no literal values to TrainingArguments / SFTConfig / LoraConfig / "
            "BitsAndBytesConfig / SFTTrainer"
        )
        raise UnknownFormat(f"FILE: {path}: nothing to check: {why}")
    if cli and rendered is None:
        out.notes.append(
            notice(
                "command line",
                "the script also reads settings from the command line: only the literal values in its source "
                f"were checked ({calls} keyword arguments)",
            )
        )
    return out


def _unsloth_loader(node: ast.Call, out: Checked, rendered: bool) -> int:
    """``FastLanguageModel.from_pretrained(load_in_4bit=, max_seq_length=)``: the values it sets; how many."""
    found = 0
    for kw in node.keywords:
        value = _literal(kw.value) if kw.arg else ...
        if value is ... or value is None:
            continue
        found += 1
        if rendered:
            continue
        if kw.arg == "load_in_4bit" and value is True:
            out.values["quantization"] = "4bit"
        elif kw.arg == "load_in_8bit" and value is True:
            out.values["quantization"] = "8bit"
        elif kw.arg == "max_seq_length":
            out.values["max_seq_length"] = value
    return found


# --------------------------------------------------------------------------------------------- judging


@dataclass
class CheckReport:
    file: str
    kind: Kind
    model: str | None
    findings: list[Finding]
    memory: MemoryEstimate | None
    fixed: dict[str, Any]
    purpose: Purpose = field(default_factory=Purpose)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "model": self.model,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "memory": self.memory.model_dump(mode="json") if self.memory else None,
        }

    @property
    def partial(self) -> bool:
        """Whether some check was skipped (a CK001 notice says which)."""
        return any(f.code == "CK001" for f in self.findings)


def _default_framework(checked: Checked) -> str:
    if checked.kind == "axolotl":
        return "axolotl"
    if checked.unsloth:
        return "unsloth"
    return "peft"


def check(
    path: Path,
    *,
    examples: int | None = None,
    model: str | None = None,
    gpu: GPU | None = None,
    budget_gib: float | None = None,
    framework: str | None = None,
) -> CheckReport:
    checked = read(path)
    purpose = checked.purpose
    spec = model or checked.values.get("base_model")
    arch: Architecture | None = None
    findings = list(checked.findings)
    if spec:
        try:
            arch = resolve_model(str(spec))
        except InputError:
            if model:  # the user named it: a bad --model is bad input
                raise
    if arch is None:
        findings.append(
            notice(
                "model",
                (f"base model {str(spec)!r} is not in ftguide's catalog" if spec else "the file names no base model")
                + f": the rules that need its architecture ({', '.join(ARCH_RULES)}) and the memory estimate "
                "were skipped; pass --model with a catalog name (`ftguide models`), a size class (8B) or a local "
                "config.json / model folder",
            )
        )
    findings.extend(checked.notes)
    profile, dropped = complete_profile_noting(checked.values, arch, examples)
    present = set(checked.values) - set(dropped)
    for name, why in dropped.items():
        findings.append(notice(checked.renames.get(name, name), why))
    skipped: list[str] = []
    if not purpose.lora:
        skipped += [c for c in LORA_RULES if c not in skipped]
        findings.append(
            notice(
                "LoRA rules",
                f"{purpose.describe()}: no LoRA adapter"
                + (f" (adapter: {purpose.adapter} is not LoRA)" if purpose.adapter else "")
                + f", so the LoRA rules ({', '.join(LORA_RULES)}) do not apply and were not run",
            )
        )
    if purpose.method != "sft":
        extra = PRETRAINING_RULES if purpose.method == "pretraining" else ()
        skipped += [c for c in (*SFT_RULES, *extra) if c not in skipped]
        findings.append(
            notice(
                "SFT rules",
                f"{purpose.describe()}: the guide's learning-rate, epoch and batch tables ({', '.join(SFT_RULES)}) "
                "are for supervised fine-tuning and were not applied"
                + ("; nor the context limit (SQ002): pre-training may extend the context on purpose" if extra else ""),
            )
        )
    if profile is not None:
        from ftguide.engine import lint

        for f in lint(profile, examples=examples, arch=arch, gpu=gpu, budget_gib=budget_gib):
            if f.field in present and f.code not in skipped:
                findings.append(f)
    estimate = None
    if budget_gib is not None:
        estimate = _memory(checked, profile, arch, framework or _default_framework(checked), budget_gib, findings)
        eight_bit = profile is not None and profile.quantization == "8bit"
        if estimate is not None and not estimate.fits:
            findings.append(
                report(
                    "MM003",
                    "memory",
                    estimate.estimated_gib,
                    budget_gib,
                    f"estimated peak {estimate.estimated_gib:.1f} GiB + "
                    f"{estimate.safety_margin_gib:.1f} margin exceeds {budget_gib:g} GiB "
                    + (
                        "(run `ftguide suggest` with --vram for a profile that fits)"
                        if purpose.lora
                        else "(a full fine-tune: shard it over more GPUs, or train a LoRA adapter)"
                    )
                    + (
                        "; an 8-bit base is priced as if checkpointing saved nothing (an upper bound)"
                        if eight_bit
                        else ""
                    ),
                    severity="warning" if eight_bit else None,
                )
            )
    fixed = {f.field: f.recommended for f in findings if f.recommended is not None and f.field in present}
    return CheckReport(str(path), checked.kind, arch.name if arch else None, findings, estimate, fixed, purpose)


def _sharded(doc: Any) -> bool:
    """FSDP, DeepSpeed, or a ``*_parallel_size`` above 1 (tensor, expert, context, ...): split over GPUs."""
    if not isinstance(doc, dict):
        return False
    parallel = any(
        str(k).endswith("_parallel_size") and isinstance(v, int) and not isinstance(v, bool) and v > 1
        for k, v in doc.items()
    )
    return parallel or bool(doc.get("fsdp") or doc.get("fsdp_config") or doc.get("deepspeed"))


def _memory(
    checked: Checked,
    profile: Profile | None,
    arch: Architecture | None,
    framework: str,
    budget_gib: float,
    findings: list[Finding],
) -> MemoryEstimate | None:
    """The memory estimate for the file's purpose, or None with a CK001 notice saying why not."""
    if arch is None or profile is None:
        if arch is not None:
            findings.append(notice("memory", "the file's values do not make a profile: memory not estimated"))
        return None
    if checked.kind == "axolotl" and _sharded(checked.raw):
        findings.append(
            notice(
                "memory",
                "the config splits the run over several GPUs (fsdp / deepspeed / a *_parallel_size) in a way "
                "the memory model does not model: the per-GPU memory was not estimated",
            )
        )
        return None
    method = checked.purpose.method
    rl = method.removeprefix("rl:") if method.startswith("rl:") else None
    if rl is not None and rl not in (*PAIRWISE_RL, *REFERENCE_RL):
        findings.append(
            notice(
                "memory",
                f"rl: {rl} generates or scores samples during training (rollouts, a reward or teacher model), "
                "which the memory model does not model: not estimated",
            )
        )
        return None
    if rl in PAIRWISE_RL or method == "reward":
        # chosen and rejected go through the model together: twice the rows of a micro-batch
        profile = profile.model_copy(update={"batch_size": profile.batch_size * 2})
        findings.append(
            notice(
                "memory",
                f"{checked.purpose.describe()}: priced with chosen and rejected rows in one micro-batch "
                f"({profile.batch_size} sequences); not calibrated for preference training",
            )
        )
    if checked.purpose.lora or checked.kind != "axolotl":
        return memory.memory_estimate(profile, arch, framework, budget_gib)
    optimizer = str(checked.raw.get("optimizer") or "adamw_torch_fused")
    per_param = optimizer_state_bytes(optimizer)
    if per_param is None:
        findings.append(
            notice("memory", f"optimizer {optimizer!r} is not one the full fine-tune estimate models: not estimated")
        )
        return None
    return full_finetune_estimate(profile, arch, per_param, framework, budget_gib, reference=rl in REFERENCE_RL)


#: Preference methods that score chosen and rejected completions of each prompt in one forward pass.
PAIRWISE_RL = ("dpo", "ipo", "simpo", "orpo")
#: RL methods that keep a frozen reference copy of the model (in a full fine-tune; a LoRA run's reference is
#: the base with the adapter switched off).
REFERENCE_RL = ("dpo", "ipo", "kto")


#: Optimizer state bytes per parameter in a bf16 full fine-tune (the moments live in the parameters' dtype):
#: AdamW-family two moments (2 x 2 bytes), 8-bit optimizers two 1-byte moments plus block constants, fp32
#: ("32bit") states 2 x 4 bytes, one-moment optimizers (Lion, SGD with momentum) 2 bytes, Adafactor's factored
#: second moment ~0.
_OPTIMIZER_STATE = (
    ("8bit", 2.0 + 8 / 256),
    ("4bit", 1.0 + 8 / 256),
    ("32bit", 8.0),
    ("adafactor", 0.0),
    ("lion", 2.0),
    ("sgd", 2.0),
    ("adam", 4.0),
)


def optimizer_state_bytes(optimizer: str) -> float | None:
    name = optimizer.lower()
    for marker, size in _OPTIMIZER_STATE:
        if marker in name:
            return size
    return None


def full_finetune_estimate(
    profile: Profile,
    arch: Architecture,
    optimizer_bytes: float,
    framework: str,
    budget_gib: float,
    *,
    reference: bool = False,
) -> MemoryEstimate:
    """Peak memory of a full fine-tune on one GPU: weights, gradients and optimizer states, plus activations.

    First principles, not calibrated (ftguide's GPU runs were LoRA runs). Axolotl loads the model in the
    compute dtype (bf16) and the optimizer keeps its states in the parameters' dtype, so per parameter:
    2 bytes of weights, 2 of gradients and ``optimizer_bytes`` of states (:data:`_OPTIMIZER_STATE`).
    Activations, logits and the fixed overheads are the 16-bit terms of the LoRA model of
    :mod:`ftguide.memory` (the same layers run forward and backward; no adapter dropout). One GPU, no
    sharding: a sharded config is not estimated. ``reference``: DPO / IPO / KTO keep a frozen copy of the
    model to score against (2 more bytes per parameter).
    """
    coef = memory.coefficients(framework)
    params = (
        arch.decoder_linear_params() + arch.embedding_params() + (2 * arch.num_hidden_layers + 1) * arch.hidden_size
    )
    dense = profile.model_copy(update={"quantization": "none", "lora_dropout": 0.0})
    feats = memory.features(dense, arch, framework)
    logits = feats.pop("logits")
    feats.pop("head_quant", None)
    activations = sum(getattr(coef, name) * value for name, value in feats.items())
    gib = memory.GIB
    parts = {
        "base_weights": params * 2.0,
        "gradients": params * 2.0,
        "optimizer_states": params * optimizer_bytes,
        **({"reference_model": params * 2.0} if reference else {}),
        "activations": activations,
        "logits_and_loss": coef.logits * logits,
        "allocator_and_buffers": coef.fixed_gib * gib,
        "cuda_context": coef.context_gib * gib,
    }
    breakdown = {k: round(v / gib, 2) for k, v in parts.items()}
    total = round(math.fsum(breakdown.values()), 2)
    margin = memory.safety_margin(budget_gib)
    return MemoryEstimate(
        estimated_gib=total,
        budget_gib=budget_gib,
        fits=total + margin <= budget_gib,
        safety_margin_gib=round(margin, 2),
        breakdown=breakdown,
        framework=framework,  # type: ignore[arg-type]
        model=arch.name,
        method="full fine-tune, first principles (bf16 weights + gradients + optimizer states; not calibrated)",
    )


#: Fallbacks for values the profile model cannot hold: the rules on them are skipped, the estimate uses these.
_STAND_INS: dict[str, Any] = {"optimizer": "adamw_torch_fused", "lr_scheduler": "cosine"}


def _stand_in_optimizer(name: str) -> str | None:
    """A modelled optimizer close enough for the LoRA memory estimate (adapter states are small)."""
    lower = name.lower()
    if "8bit" in lower:
        return "adamw_8bit"
    if "adam" in lower:
        return "adamw_torch_fused"
    return None


def complete_profile_noting(
    values: dict[str, Any], arch: Architecture | None, examples: int | None
) -> tuple[Profile | None, dict[str, str]]:
    """The file's values over suggest's defaults, and the values left out (field -> why) to make it valid."""
    from pydantic import ValidationError

    from ftguide.engine import suggest

    base = suggest(Request(examples=examples or 1000, model=arch.name if arch else "7B")).profile.model_dump()
    merged = dict(base)
    dropped: dict[str, str] = {}
    for key, value in values.items():
        if key in Profile.model_fields:
            merged[key] = value
    if merged.get("optimizer") not in get_args(Optimizer):
        name = str(merged["optimizer"])
        merged["optimizer"] = _stand_in_optimizer(name) or _STAND_INS["optimizer"]
        dropped["optimizer"] = f"optimizer {name!r} is not one ftguide's rules model: rules on it were skipped"
    if merged.get("lr_scheduler") not in get_args(Scheduler):
        name = str(merged["lr_scheduler"])
        merged["lr_scheduler"] = _STAND_INS["lr_scheduler"]
        dropped["lr_scheduler"] = f"lr_scheduler {name!r} is not one ftguide's rules model: rules on it were skipped"
    if merged.get("target_modules") == "all":  # without an architecture (already noted) the default stands in
        merged["target_modules"] = list(arch.all_modules) if arch is not None else base["target_modules"]
    if isinstance(merged.get("target_modules"), list) and arch is not None:
        merged["target_modules"] = [str(m).split(".")[-1] for m in merged["target_modules"]]
    for _ in range(len(Profile.model_fields)):
        with contextlib.suppress(TypeError, ValueError):
            merged["effective_batch_size"] = (
                int(merged["batch_size"]) * int(merged["gradient_accumulation_steps"]) * int(merged.get("num_gpus", 1))
            )
        try:
            return Profile.model_validate(merged), dropped
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")} - {"effective_batch_size"}
            if not bad or not bad <= set(base):
                return None, dropped
            for name in bad:
                if name in values and name not in dropped:
                    dropped[name] = (
                        f"{name} = {_short(values[name])} is outside what ftguide's profile models "
                        f"({exc.errors()[0].get('msg', 'invalid')}): rules on it were skipped"
                    )
                merged[name] = base[name]
        except (TypeError, ValueError):
            return None, dropped
    return None, dropped


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def complete_profile(values: dict[str, Any], arch: Architecture | None, examples: int | None) -> Profile | None:
    """The file's values over suggest's defaults, so the rules and the memory model see a whole profile."""
    return complete_profile_noting(values, arch, examples)[0]


def worst(findings: list[Finding]) -> int:
    return max((SEVERITY_ORDER[f.severity] for f in findings), default=-1)


# ----------------------------------------------------------------------------------------- several files


@dataclass
class Unchecked:
    """A file ``check`` could not judge at all, and why."""

    file: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": "unknown",
            "model": None,
            "findings": [],
            "memory": None,
            "reason": self.reason,
        }


def check_many(paths: Sequence[Path], **options: Any) -> list[CheckReport | Unchecked]:
    """Every file judged on its own; a file ftguide cannot read as a config becomes :class:`Unchecked`."""
    out: list[CheckReport | Unchecked] = []
    for path in paths:
        try:
            out.append(check(path, **options))
        except UnknownFormat as exc:
            out.append(Unchecked(str(path), str(exc)))
    return out


def summary(results: Sequence[CheckReport | Unchecked]) -> dict[str, int]:
    reports = [r for r in results if isinstance(r, CheckReport)]
    counts = {s: sum(1 for r in reports for f in r.findings if f.severity == s) for s in ("error", "warning", "info")}
    return {
        "files": len(results),
        "checked": len(reports),
        "not_checked": len(results) - len(reports),
        "partly_checked": sum(1 for r in reports if r.partial),
        "with_errors": sum(1 for r in reports if worst(r.findings) >= SEVERITY_ORDER["error"]),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
    }


#: The output formats of ``check`` beyond the common ones: annotations CI systems read.
CI_FORMATS = ("github", "sarif")
FORMATS = ("table", "json", "yaml", *CI_FORMATS)


@dataclass
class CheckRun:
    """One ``ftguide check`` call: a result per file, and the exit code for ``--fail-on``.

    One FILE prints the single-file document it always printed (``file``, ``kind``, ``model``, ``findings``,
    ``memory``, ``exit_code``). Several print ``files`` (one entry per file, in that shape; a file ftguide
    cannot judge has ``kind: unknown`` and a ``reason``), a ``summary`` and one ``exit_code``: 1 when any file
    has a finding at or above ``--fail-on``, 2 when no file could be checked at all, else 0.
    """

    results: list[CheckReport | Unchecked]
    fail_on: str = "error"

    @property
    def single(self) -> CheckReport | None:
        only = self.results[0] if len(self.results) == 1 else None
        return only if isinstance(only, CheckReport) else None

    def failed(self, result: CheckReport | Unchecked) -> bool:
        if not isinstance(result, CheckReport) or self.fail_on == "never":
            return False
        return worst(result.findings) >= SEVERITY_ORDER[self.fail_on]

    @property
    def exit_code(self) -> int:
        if not any(isinstance(r, CheckReport) for r in self.results):
            return 2
        return 1 if any(self.failed(r) for r in self.results) else 0

    def to_json(self) -> dict[str, Any]:
        return {"files": [r.to_json() for r in self.results], "summary": summary(self.results)}

    def render(self, fmt: str) -> str:
        """The run as GitHub workflow annotations or a SARIF 2.1.0 log."""
        return github_annotations(self) if fmt == "github" else json.dumps(sarif(self), indent=2) + "\n"


def run_check(paths: Sequence[Path], *, fail_on: str = "error", **options: Any) -> CheckRun:
    """``ftguide check FILE...``: one FILE that cannot be judged is bad input (exit 2); among several it is listed."""
    if len(paths) == 1:
        return CheckRun([check(paths[0], **options)], fail_on)
    return CheckRun(check_many(paths, **options), fail_on)


_LEVELS = {"error": ("error", "error"), "warning": ("warning", "warning"), "info": ("notice", "note")}


def _gh(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotations(run: CheckRun) -> str:
    """``::error file=F,line=N,title=CODE symbol::message`` per finding, then the summary as a plain line."""
    out = []
    for result in run.results:
        if isinstance(result, Unchecked):
            out.append(f"::warning file={_gh(result.file, True)},title=not checked::{_gh(result.reason)}")
            continue
        lines = finding_lines(Path(result.file), result)
        for i, f in enumerate(result.findings):
            level = _LEVELS[f.severity][0]
            where = f"file={_gh(result.file, True)},line={lines.get(i, 1)},title={_gh(f'{f.code} {f.symbol}', True)}"
            out.append(f"::{level} {where}::{_gh(f'{f.field}: {f.message}')}")
    totals = summary(run.results)
    out.append(
        f"ftguide check: {totals['files']} files, {totals['checked']} checked ({totals['partly_checked']} partly), "
        f"{totals['not_checked']} not checked; {totals['errors']} errors, {totals['warnings']} warnings, "
        f"{totals['infos']} notes; exit {run.exit_code}"
    )
    return "\n".join(out) + "\n"


def sarif(run: CheckRun) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run of ftguide, its rules, a result per finding (and per file not checked)."""
    from ftguide import __version__
    from ftguide.rules import get_rule

    results: list[dict[str, Any]] = []
    used: dict[str, dict[str, Any]] = {}
    for result in run.results:
        if isinstance(result, Unchecked):
            results.append(_sarif_result("CK001", "warning", f"not checked: {result.reason}", result.file, 1))
            used.setdefault("CK001", {})
            continue
        lines = finding_lines(Path(result.file), result)
        for i, f in enumerate(result.findings):
            message = f"{f.field}: {f.message}"
            results.append(_sarif_result(f.code, _LEVELS[f.severity][1], message, result.file, lines.get(i, 1)))
            used.setdefault(f.code, {})
    rules = []
    for code in sorted(used):
        found = get_rule(code)
        if found is not None:
            rules.append(
                {
                    "id": code,
                    "name": found.symbol,
                    "shortDescription": {"text": found.summary},
                    "fullDescription": {"text": found.section("Why") or found.summary},
                    "defaultConfiguration": {"level": _LEVELS[found.severity][1]},
                }
            )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "ftguide", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }


def _sarif_result(code: str, level: str, message: str, file: str, line: int) -> dict[str, Any]:
    return {
        "ruleId": code,
        "level": level,
        "message": {"text": message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": Path(file).as_posix()}, "region": {"startLine": line}}}
        ],
    }


# ----------------------------------------------------------------------------------------------- lines


def finding_lines(path: Path, report_: CheckReport) -> dict[int, int]:
    """Line (1-based) of each finding, by index: the key it names in a YAML, the call in a script, else 1."""
    lines: dict[int, int] = {}
    text = ""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = path.read_text(encoding="utf-8")
    tree = _round_trip(text) if report_.kind != "python" and not text.lstrip().startswith("{") else None
    for i, f in enumerate(report_.findings):
        match = re.match(r"line (\d+):", f.message)
        if match:
            lines[i] = int(match.group(1))
            continue
        key = _file_key(report_, f.field)
        lines[i] = _yaml_line(tree, key) or _text_line(text, key.split(".")[-1]) or 1
    return lines


def _file_key(report_: CheckReport, name: str) -> str:
    renames = {v: k for k, v in AXOLOTL_TO_PROFILE.items()} if report_.kind == "axolotl" else {}
    if report_.kind == "axolotl" and name == "quantization":
        return "load_in_4bit"
    if report_.kind == "axolotl" and name == "precision":
        return "bf16"
    return renames.get(name, name)


def _yaml_line(tree: Any, dotted: str) -> int | None:
    node = tree
    line = None
    for part in _parts(dotted):
        try:
            line = (node.lc.item(part) if isinstance(part, int) else node.lc.key(part))[0] + 1
            node = node[part]
        except (AttributeError, KeyError, IndexError, TypeError):
            return line
    return line


def _text_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*-?\s*{re.escape(key)}\s*:", re.MULTILINE)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _parts(dotted: str) -> list[str | int]:
    parts: list[str | int] = []
    for piece in dotted.split("."):
        match = re.fullmatch(r"([^\[]+)((?:\[\d+\])*)", piece)
        if not match:
            parts.append(piece)
            continue
        parts.append(match.group(1))
        parts.extend(int(n) for n in re.findall(r"\[(\d+)\]", match.group(2)))
    return parts


# ------------------------------------------------------------------------------------------------- --fix


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(float, _represent_float)
    return yaml


def _represent_float(representer: Any, value: float) -> Any:
    """A float PyYAML (YAML 1.1, what Axolotl reads with) parses back as a float: ``2.7e-04`` becomes ``0.00027``."""
    text = repr(value)
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        text = f"{mantissa if '.' in mantissa else mantissa + '.0'}e{int(exponent):+03d}"
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def _round_trip(text: str) -> Any:
    try:
        return _yaml().load(text)
    except Exception:
        return None


@dataclass
class Edit:
    """One change ``--fix`` makes: set a value, rename a key (value kept), or remove a key."""

    op: Literal["set", "rename", "remove"]
    path: str
    value: Any = None
    why: str = ""

    def describe(self) -> str:
        if self.op == "rename":
            return f"renamed {self.path} -> {self.value} (value kept; {self.why})"
        if self.op == "remove":
            return f"removed {self.path} ({self.why})"
        return f"set {self.path}: {json.dumps(self.value)} ({self.why})"


#: The profile field -> Axolotl key for the values ``--fix`` may set from a profile rule's recommendation.
_SETTABLE = {
    "learning_rate",
    "num_epochs",
    "batch_size",
    "gradient_accumulation_steps",
    "lora_r",
    "lora_alpha",
    "lora_dropout",
    "warmup_ratio",
    "max_seq_length",
    "target_modules",
    "optimizer",
    "lr_scheduler",
    "early_stopping_patience",
    "eval_steps",
}


def axolotl_edits(doc: dict[str, Any], report_: CheckReport) -> list[Edit]:
    """The edits that apply a report's recommendations to an Axolotl YAML (errors and warnings; info is advice)."""
    to_key = {v: k for k, v in AXOLOTL_TO_PROFILE.items()}
    edits: list[Edit] = []
    for f in report_.findings:
        if f.severity == "info":
            continue
        why = f.code
        if f.code == "AX001":
            if f.recommended is not None and "." not in f.field and "[" not in f.field and f.recommended not in doc:
                edits.append(Edit("rename", f.field, f.recommended, f"{why}: Axolotl does not know {f.field}"))
            elif f.recommended is not None:
                container, _, key = f.field.rpartition(".")
                holder = _lookup(doc, container)
                if isinstance(holder, dict) and f.recommended not in holder:
                    edits.append(Edit("rename", f.field, f.recommended, f"{why}: Axolotl does not know {key}"))
        elif f.code == "AX002":
            edits.append(Edit("set", f.field, "chat_template", why))
            base = f.field.rsplit(".", 1)[0]
            entry = _lookup(doc, base)
            if isinstance(entry, dict):
                if "field_messages" not in entry:
                    edits.append(Edit("set", f"{base}.field_messages", "conversations", f"{why}: sharegpt's field"))
                if "message_property_mappings" not in entry:
                    edits.append(
                        Edit(
                            "set",
                            f"{base}.message_property_mappings",
                            {"role": "from", "content": "value"},
                            f"{why}: sharegpt's from/value",
                        )
                    )
        elif f.code == "AX003":
            edits.append(Edit("set", "adapter", "qlora", why))
        elif f.code == "AX004":
            edits.append(Edit("set", "load_in_4bit", True, why))
        elif f.code == "AX005":
            edits.append(Edit("remove", _pair_loser(doc, f.field), None, f"{why}: one of a conflicting pair"))
        elif f.code == "AX006" and f.recommended is not None:
            edits.append(Edit("set", f.field, f.recommended, why))
        elif f.code == "AX007":
            edits.append(Edit("remove", f.field, None, f"{why}: attn_implementation decides"))
        elif f.code == "AX008":
            edits.extend(_removed_key_edit(f.field))
        elif f.code == "AX009":
            edits.extend(_type_edit(doc, f))
        elif f.code == "AX010" and f.recommended is not None:
            edits.append(Edit("set", f.field, f.recommended, why))
        elif f.code == "AX011":
            edits.append(Edit("set", "lora_qkv_kernel", False, f"{why}: Axolotl cannot rewrite this attention"))
            edits.append(Edit("set", "lora_o_kernel", False, f"{why}: Axolotl cannot rewrite this attention"))
        elif f.recommended is not None and f.field in _SETTABLE and f.field in to_key and to_key[f.field] in doc:
            value = f.recommended
            if f.field == "optimizer":
                value = AXOLOTL_OPTIMIZER.get(str(value), value)
            edits.append(Edit("set", to_key[f.field], value, why))
        elif f.recommended is not None and f.field == "precision" and f.recommended in ("bf16", "fp16"):
            edits.append(Edit("set", "bf16", f.recommended == "bf16", why))
            edits.append(Edit("set", "fp16", f.recommended == "fp16", why))
    return edits


def _pair_loser(doc: dict[str, Any], second: str) -> str:
    """Which key of a conflicting pair ``--fix`` removes: the per-epoch count unless early stopping needs steps."""
    first = {"warmup_ratio": "warmup_steps", "evals_per_epoch": "eval_steps", "saves_per_epoch": "save_steps"}
    first["batch_size"] = "gradient_accumulation_steps"
    if second == "warmup_ratio":
        return "warmup_steps"
    if second == "batch_size":
        return "batch_size"
    return second if doc.get("early_stopping_patience") else first.get(second, second)


def _removed_key_edit(key: str) -> list[Edit]:
    from ftguide.rules.axolotl import UNSLOTH_KERNELS

    if key == "rope_scaling":
        return []
    if UNSLOTH_KERNELS.get(key):
        return [Edit("rename", key, UNSLOTH_KERNELS[key], "AX008: Axolotl's new name")]
    return [Edit("remove", key, None, "AX008: Axolotl no longer supports it")]


def _type_edit(doc: dict[str, Any], f: Finding) -> list[Edit]:
    value = doc.get(f.field)
    if f.field == "warmup_steps" and isinstance(value, float) and 0 < value < 1:
        if doc.get("warmup_ratio") is None:
            return [Edit("rename", "warmup_steps", "warmup_ratio", "AX009: a fraction of the run is a ratio")]
        return [Edit("remove", "warmup_steps", None, "AX009: a fraction; warmup_ratio is set")]
    if f.field in doc and value is None:
        return [Edit("remove", f.field, None, "AX009: an empty value; Axolotl's default applies")]
    return []


def _lookup(doc: Any, dotted: str) -> Any:
    node = doc
    for part in _parts(dotted) if dotted else []:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _apply(tree: Any, edit: Edit) -> bool:
    """Apply one edit to a ruamel tree; False when its place is gone (an earlier edit removed it)."""
    parts = _parts(edit.path)
    holder = _lookup(tree, ".".join(_join(parts[:-1]))) if len(parts) > 1 else tree
    last = parts[-1]
    if not hasattr(holder, "keys") or isinstance(last, int):
        return False
    if edit.op == "remove":
        if last not in holder:
            return False
        del holder[last]
        return True
    if edit.op == "rename":
        if last not in holder or edit.value in holder:
            return False
        position = list(holder.keys()).index(last)
        value = holder[last]
        comment = holder.ca.items.pop(last, None) if hasattr(holder, "ca") else None
        del holder[last]
        holder.insert(position, edit.value, value)
        if comment is not None:
            holder.ca.items[edit.value] = comment
        return True
    if last in holder:
        holder[last] = edit.value
    else:
        holder.insert(len(holder), last, edit.value)
    return True


def _join(parts: list[str | int]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if isinstance(part, int) and out:
            out[-1] = f"{out[-1]}[{part}]"
        else:
            out.append(str(part))
    return out


def fix_file(path: Path, report_: CheckReport) -> tuple[str, list[str]]:
    """The file with the report's recommendations applied, and one line per change (for stderr)."""
    import io

    checked = read(path)
    if checked.kind == "python":
        raise InputError("--fix: Python scripts are reported, not rewritten; apply the findings by hand")
    text = path.read_text(encoding="utf-8")
    if checked.kind == "profile":
        return _fix_profile(path, text, checked, report_)
    tree = _round_trip(text)
    if tree is None:
        raise InputError(f"--fix: {path} cannot be rewritten keeping its comments (unusual YAML); fix it by hand")
    changes = []
    for edit in axolotl_edits(checked.raw, report_):
        if _apply(tree, edit):
            changes.append(edit.describe())
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue(), changes


def _fix_profile(path: Path, text: str, checked: Checked, report_: CheckReport) -> tuple[str, list[str]]:
    import io

    doc = json.loads(text) if text.lstrip().startswith("{") else _round_trip(text)
    if doc is None:
        raise InputError(f"--fix: {path} cannot be rewritten keeping its comments (unusual YAML); fix it by hand")
    target = doc["profile"] if isinstance(doc.get("profile"), dict) else doc
    changes = []
    for f in report_.findings:
        if f.severity == "info" or f.recommended is None or f.field not in target:
            continue
        if f.field in Profile.model_fields:
            changes.append(Edit("set", f.field, f.recommended, f.code).describe())
            target[f.field] = f.recommended
    if text.lstrip().startswith("{"):
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n", changes
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue(), changes


def fixed_text(path: Path, report_: CheckReport) -> str:
    """The file with every recommended value applied (YAML / JSON configs and profiles)."""
    return fix_file(path, report_)[0]


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
