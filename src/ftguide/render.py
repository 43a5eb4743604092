"""Render a profile into the file a user runs: Axolotl YAML, an Unsloth script, or a PEFT + TRL script.

Templates receive plain data only.  Every ``{{ }}`` goes through exactly one escaping filter (``py`` in Python
templates, ``yaml`` in YAML templates, ``comment`` inside comments), and every rendered file is parsed back
and compared with the profile before it is returned, so no value can break out of its place.
"""

from __future__ import annotations

import ast
import json
import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ftguide import __version__
from ftguide.errors import RenderError
from ftguide.models import Decision, Profile
from ftguide.targets import TARGET_NAMES, TargetName, get_target

if TYPE_CHECKING:
    import jinja2

    from ftguide.catalog.families import Family

Target = TargetName
TARGETS: tuple[TargetName, ...] = TARGET_NAMES


def _py(value: Any) -> str:
    """A Python literal for ``value`` (str, int, float, bool, None, and lists / dicts of those)."""
    _check_plain(value)
    return repr(value)


def _yaml(value: Any) -> str:
    """A YAML flow scalar or collection for ``value``; strings are quoted whenever YAML would misread them."""
    _check_plain(value)
    # Unicode stays readable, except where YAML would read a character as a line break (NEL, LS, PS) or
    # cannot print it: then every non-ASCII character is escaped inside double quotes.
    readable = not any(ch in "\x85\u2028\u2029\ufeff" or not ch.isprintable() for ch in _strings(value))
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=readable, width=math.inf, sort_keys=False)
    # A bare scalar ends with YAML's document-end marker "\n...\n"; only that goes, never a value's own dots.
    return text.removesuffix("\n...\n").rstrip("\n")


def _strings(value: Any) -> str:
    """Every string inside ``value``, joined (keys too)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "".join(_strings(v) for v in value)
    if isinstance(value, dict):
        return "".join(k + _strings(v) for k, v in value.items())
    return ""


def _comment(value: Any) -> str:
    """Text safe inside a ``#`` comment: one line, control characters escaped."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    return "".join(ch if ch.isprintable() and ch not in "\x85\u2028\u2029" else f"\\u{ord(ch):04x}" for ch in escaped)


def _check_plain(value: Any) -> None:
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RenderError(f"non-finite number {value!r} cannot be rendered")
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise RenderError(f"mapping key {key!r} must be a string")
            _check_plain(item)
        return
    raise RenderError(f"value of type {type(value).__name__} cannot be rendered")


def templates_dir() -> Path:
    """``templates/``: inside the installed package, or at the top of a source checkout."""
    packaged = resources.files("ftguide").joinpath("templates")
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    raise RenderError("templates folder not found (broken install)")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["py"] = _py
    env.filters["yaml"] = _yaml
    env.filters["comment"] = _comment
    return env


def _why(decisions: list[Decision] | None, why: Mapping[str, str] | None) -> dict[str, str]:
    """The comment line above each setting: ``why`` when given, else the decisions' reasons."""
    out = {name: "" for name in Profile.model_fields}
    if why is not None:
        out.update(why)
    else:
        out.update({d.field: f"{d.rule}: {d.reason}" for d in decisions or []})
    return out


def scheduler_name(profile: Profile) -> str:
    """The transformers scheduler: plain ``constant`` ignores warmup, so warmup makes it constant_with_warmup."""
    if profile.lr_scheduler == "constant" and profile.warmup_ratio > 0:
        return "constant_with_warmup"
    return profile.lr_scheduler


def render(
    profile: Profile,
    target: Target,
    *,
    inputs: dict[str, Any] | None = None,
    decisions: list[Decision] | None = None,
    why: Mapping[str, str] | None = None,
    launch: str | None = None,
) -> str:
    """Render ``profile`` for ``target``, parse the result back, and return it.

    ``why`` gives the comment above each setting (:func:`ftguide.engine.field_reasons`); without it the
    decisions' reasons are used.  ``launch`` is the command the header names (default: the target's own, for
    its default file name).
    """
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}")
    spec = get_target(target)
    data = profile.model_dump(mode="json")
    context = {
        "p": data,
        "why": _why(decisions, why),
        "version": __version__,
        "versions": dict(spec.versions),
        "targets": ", ".join(f"{name} {v}" for name, v in spec.versions.items()),
        "inputs": _header_inputs(inputs),
        "scheduler": scheduler_name(profile),
        "optimizer": spec.optimizer(profile.optimizer),
        "deepspeed_file": DEEPSPEED_FILES.get(profile.distributed),
        "decoder_layer": decoder_layer(profile) if profile.distributed == "fsdp" else None,
        "axolotl_kernels_off": axolotl_kernels_off(profile) if target == "axolotl" else False,
        "image_text_release": image_text_release(profile) if target == "peft" else None,
        "image_text_own": image_text_own(profile) if target == "peft" else None,
        "causal_lm_unmapped": causal_lm_unmapped(profile) if target == "unsloth" else None,
        "text_only": unsloth_text_only(profile) if target == "unsloth" else False,
        "launch": launch or spec.launch(_shell(spec.file_name), profile.num_gpus, data_arguments(profile)),
    }
    text = environment().get_template(spec.template).render(**context)
    parse_back(text, target, profile)
    return text


DEEPSPEED_FILES = {"zero2": "deepspeed_zero2.json", "zero3": "deepspeed_zero3.json"}
ACCELERATE_FILE = "accelerate_config.yaml"


def decoder_layer(profile: Profile) -> str | None:
    """The transformer block class FSDP wraps, when the base model is in the catalog (or a local config)."""
    from ftguide.catalog import resolve_model
    from ftguide.errors import InputError

    try:
        return resolve_model(profile.base_model).decoder_layer or None
    except InputError:
        return None


def image_text_release(profile: Profile) -> str | None:
    """The image-text wrapper's model_type this model's family is released as, where AutoModelForCausalLM refuses it
    (``Family.image_text_release``: Ministral 3's ``mistral3``); the PEFT script then loads a checkpoint of that
    model_type with AutoModelForImageTextToText.  None for every other family (the script is unchanged)."""
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    return family.image_text_release if family is not None else None


def image_text_own(profile: Profile) -> str | None:
    """The family's own model_type where AutoModelForCausalLM has no mapping for it either (``Family.causal_lm_auto``
    false: mistral4); the PEFT script then loads such a checkpoint with AutoModelForImageTextToText too."""
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    return family.model_type if family is not None and family.image_text_release and not family.causal_lm_auto else None


def causal_lm_unmapped(profile: Profile) -> tuple[str, str] | None:
    """The family's model_type and causal-LM class where AutoModelForCausalLM has no mapping for it
    (``Family.causal_lm_auto`` false: mistral4), or None.  Unsloth's FastModel loads a checkpoint of such a text
    model through AutoModelForCausalLM (``unsloth/models/loader.py`` ``_resolve_non_vlm_auto_model``), which
    refuses its config on Unsloth's transformers 5.17, so the Unsloth script first adds the name entry that
    transformers' own families have (``MODEL_FOR_CAUSAL_LM_MAPPING_NAMES``)."""
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    if family is None or family.causal_lm_auto:
        return None
    return family.model_type, family.architecture


def unsloth_text_only(profile: Profile) -> bool:
    """Whether the Unsloth script loads the model's text model alone (``Family.unsloth_text_only``: Qwen3.5)."""
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    return family is not None and family.unsloth_text_only


def target_lacks_model(profile: Profile, target: str) -> bool:
    """Whether ``target``'s transformers has no class for this model's family (``Family.missing_on``)."""
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    return family is not None and target in family.missing_on


def _family_warning(family: Family | None, target: str) -> str | None:
    from ftguide import versions

    if family is None:
        return None
    if target in family.missing_on:
        stack = versions.TARGET_VERSIONS[target]
        pinned = versions.AXOLOTL_TRANSFORMERS if target == "axolotl" else stack["transformers"]
        return (
            f"the transformers {target} runs ({pinned}) has no {family.model_type} model class (the checkpoint would "
            "load only through its own remote code, which ftguide does not enable)"
        )
    return family.unsloth_fails if target == "unsloth" else None


def target_warning(profile: Profile, target: str) -> str | None:
    """What is known to go wrong when ``target`` trains this model's family (its family record), or None."""
    from ftguide.catalog import model_family

    return _family_warning(model_family(profile.base_model), target)


def targets_that_train(profile: Profile) -> list[str]:
    """The targets with no known failure for this model's family, in the order ftguide lists them."""
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    return [t for t in ("peft", "axolotl", "unsloth") if _family_warning(family, t) is None]


def memory_caveat(profile: Profile, target: str) -> str | None:
    """What the memory estimate cannot judge well for this model on ``target`` (ftguide.memory), or None."""
    from ftguide import memory
    from ftguide.catalog import resolve_model
    from ftguide.errors import InputError

    try:
        arch = resolve_model(profile.base_model)
    except InputError:
        return None
    return memory.estimate_caveat(arch, target)


def axolotl_kernels_off(profile: Profile) -> bool:
    """Whether the Axolotl YAML must switch Axolotl's fused LoRA attention kernels off.

    Axolotl 0.19 turns them on by default and rewrites the attention's source to call them; where that
    rewrite fails (Phi-3's fused ``qkv_proj``, GPT-NeoX, OLMo-2: "Original QKV code not found", seen on the H200
    with Phi-3) ``axolotl train`` stops at load.  The family record says which (``axolotl_attention_kernels``);
    for a model that does not resolve, a fused q/k/v projection among the targets does.
    """
    from ftguide.catalog import model_family

    family = model_family(profile.base_model)
    if family is None:
        return any(m in profile.target_modules for m in ("qkv_proj", "query_key_value"))
    return not family.axolotl_attention_kernels


def deepspeed_config(profile: Profile) -> dict[str, Any]:
    """A DeepSpeed ZeRO config whose batch and precision settings follow the trainer ("auto")."""
    stage = 3 if profile.distributed == "zero3" else 2
    zero: dict[str, Any] = {"stage": stage, "overlap_comm": True, "contiguous_gradients": True}
    if stage == 3:
        zero["stage3_gather_16bit_weights_on_model_save"] = True
    return {
        "zero_optimization": zero,
        "bf16": {"enabled": "auto"},
        "fp16": {"enabled": "auto"},
        "gradient_accumulation_steps": "auto",
        "gradient_clipping": "auto",
        "train_batch_size": "auto",
        "train_micro_batch_size_per_gpu": "auto",
    }


def accelerate_config(profile: Profile) -> dict[str, Any]:
    """An Accelerate launch config for the PEFT script on ``num_gpus`` GPUs of one machine."""
    config: dict[str, Any] = {
        "compute_environment": "LOCAL_MACHINE",
        "num_machines": 1,
        "machine_rank": 0,
        "num_processes": profile.num_gpus,
        "gpu_ids": "all",
        "mixed_precision": profile.precision,
        "use_cpu": False,
        "same_network": True,
        "rdzv_backend": "static",
        "main_training_function": "main",
        "downcast_bf16": "no",
    }
    if profile.distributed == "ddp":
        config["distributed_type"] = "MULTI_GPU"
    elif profile.distributed == "fsdp":
        layer = decoder_layer(profile)
        config["distributed_type"] = "FSDP"
        config["fsdp_config"] = {
            "fsdp_version": 2,
            "fsdp_auto_wrap_policy": "TRANSFORMER_BASED_WRAP" if layer else "SIZE_BASED_WRAP",
            **({"fsdp_transformer_layer_cls_to_wrap": layer} if layer else {"fsdp_min_num_params": 100_000_000}),
            "fsdp_reshard_after_forward": True,
            "fsdp_state_dict_type": "FULL_STATE_DICT",
            "fsdp_cpu_ram_efficient_loading": False,
            "fsdp_offload_params": False,
            "fsdp_activation_checkpointing": False,
        }
    else:
        config["distributed_type"] = "DEEPSPEED"
        config["deepspeed_config"] = {
            "deepspeed_config_file": DEEPSPEED_FILES[profile.distributed],
            "zero3_init_flag": False,
        }
    return config


def bundle(
    profile: Profile,
    target: Target,
    *,
    inputs: dict[str, Any] | None = None,
    decisions: list[Decision] | None = None,
    why: Mapping[str, str] | None = None,
    main_name: str | None = None,
) -> tuple[dict[str, str], str]:
    """Every file the run needs (name -> text) and the command that starts it (naming ``main_name``)."""
    from ftguide.errors import InputError

    spec = get_target(target)
    main = spec.file_name
    n = profile.num_gpus
    if spec.max_gpus is not None and n > spec.max_gpus:
        raise InputError(f"--emit {target}: the {spec.summary} trains on one GPU; use peft or axolotl with --gpus")
    launch = spec.launch(_shell(main_name or main), n, data_arguments(profile))
    files = {main: render(profile, target, inputs=inputs, decisions=decisions, why=why, launch=launch)}
    if profile.distributed in DEEPSPEED_FILES:
        files[DEEPSPEED_FILES[profile.distributed]] = json.dumps(deepspeed_config(profile), indent=2) + "\n"
    if target == "peft" and n > 1:
        files[ACCELERATE_FILE] = yaml.safe_dump(accelerate_config(profile), sort_keys=True)
    return files, launch


def data_arguments(profile: Profile) -> str:
    """The data and output flags every script launch line passes."""
    return f"--dataset {_shell(profile.dataset_path)} --output-dir {_shell(profile.output_dir)}"


def _shell(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _header_inputs(inputs: dict[str, Any] | None) -> list[str]:
    if not inputs:
        return ["(rendered from a saved profile)"]
    out = []
    for key, value in inputs.items():
        if value is None or value == {} or key in ("overrides", "dataset_stats"):
            continue
        out.append(f"{key}={value}")
    for key, value in (inputs.get("overrides") or {}).items():
        if value is not None:
            out.append(f"{key}={value}")
    return out


# ------------------------------------------------------------------------------------------ parse back


def parse_back(text: str, target: str, profile: Profile) -> None:
    """Parse a rendered file and check it carries the profile's values; raise RenderError if not."""
    expected = profile.model_dump(mode="json")
    if target == "axolotl":
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise RenderError(f"rendered YAML does not parse: {exc}") from None
        if not isinstance(doc, dict):
            raise RenderError("rendered YAML is not a mapping")
        spec = get_target("axolotl")
        for field, key in spec.key_map.items():
            want = expected[field]
            if field == "optimizer":
                want = spec.optimizer(want)
            elif field == "lr_scheduler":
                want = scheduler_name(profile)
            elif key not in doc and (
                want is None or (expected["val_set_size"] == 0 and field in ("eval_steps", "early_stopping_patience"))
            ):
                continue
            if doc.get(key) != want:
                raise RenderError(f"axolotl {key}: rendered {doc.get(key)!r}, profile {want!r}")
        for key, (rendered, want) in _axolotl_derived(doc, expected).items():
            if rendered != want:
                raise RenderError(f"axolotl {key}: rendered {rendered!r}, profile says {want!r}")
        return
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise RenderError(f"rendered script does not parse: {exc}") from None
    found = script_profile(tree)
    if found is None:
        raise RenderError("rendered script has no PROFILE literal")
    for field, value in expected.items():
        if field in found and found[field] != value:
            raise RenderError(f"script PROFILE[{field!r}]: rendered {found[field]!r}, profile {value!r}")
    missing = set(SCRIPT_FIELDS) - set(found)
    if missing:
        raise RenderError(f"script PROFILE lacks {sorted(missing)}")
    outside = {"lr_scheduler_type": scheduler_name(profile), "attn_implementation": profile.attn_implementation}
    for node in ast.walk(tree):  # the values written outside PROFILE, as keywords or dict entries
        pairs: list[tuple[Any, ast.expr]] = []
        if isinstance(node, ast.keyword):
            pairs = [(node.arg, node.value)]
        elif isinstance(node, ast.Dict):
            pairs = [(_literal_or_none(k), v) for k, v in zip(node.keys, node.values, strict=True) if k is not None]
        for key, value in pairs:
            if key in outside and _literal_or_none(value) != outside[key]:
                raise RenderError(f"script {key}: rendered {ast.unparse(value)}, profile {outside[key]!r}")


def _literal_or_none(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None


def _axolotl_derived(doc: dict[str, Any], p: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The Axolotl keys that carry a profile field in another shape: key -> (rendered, what the profile says).

    With the key map compared above, every profile field a rendered YAML carries is checked; ``num_gpus`` and
    ``effective_batch_size`` are not in the file (the launch command and the batch keys carry them).
    """
    datasets = doc.get("datasets")
    entries = datasets if isinstance(datasets, list) and datasets else [{}]
    first = entries[0] if isinstance(entries[0], dict) else {}
    quant, engine = p["quantization"], p["distributed"]
    checks: dict[str, tuple[Any, Any]] = {
        "adapter": (doc.get("adapter"), "qlora" if quant == "4bit" else "lora"),
        "load_in_4bit": (doc.get("load_in_4bit"), quant == "4bit"),
        "load_in_8bit": (doc.get("load_in_8bit"), quant == "8bit"),
        "bf16": (doc.get("bf16"), p["precision"] == "bf16"),
        "fp16": (doc.get("fp16"), p["precision"] == "fp16"),
        "deepspeed": (doc.get("deepspeed"), DEEPSPEED_FILES.get(engine)),
        "fsdp_version": (doc.get("fsdp_version"), 2 if engine == "fsdp" else None),
        "datasets[].path": (
            [e.get("path") if isinstance(e, dict) else None for e in entries],
            [p["dataset_path"]] * len(entries),
        ),
        "datasets[0].field_messages": (
            first.get("field_messages"),
            {"messages": "messages", "sharegpt": "conversations"}.get(p["dataset_format"]),
        ),
    }
    if "train_on" in p:
        checks["train_on_inputs"] = (doc.get("train_on_inputs"), p["train_on"] == "all")
    if "packing" in p:
        checks["sample_packing"] = (doc.get("sample_packing"), p["packing"])
    if "embeddings_upcast" in p:
        skip = not p["embeddings_upcast"] and quant != "none"
        checks["embeddings_skip_upcast"] = (doc.get("embeddings_skip_upcast") is True, skip)
    if "chunked_cross_entropy" in p:
        checks["chunked_cross_entropy"] = (doc.get("chunked_cross_entropy") is True, p["chunked_cross_entropy"])
    return checks


SCRIPT_FIELDS = tuple(Profile.model_fields)


def script_profile(tree: ast.Module) -> dict[str, Any] | None:
    """The ``PROFILE = {...}`` literal of a rendered script."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "PROFILE" for t in node.targets):
            value = ast.literal_eval(node.value)
            return value if isinstance(value, dict) else None
    return None
