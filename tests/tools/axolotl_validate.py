#!/usr/bin/env python3
"""Validate Axolotl YAML files with Axolotl's own schema code, plus a check for unknown keys.

Run with the ``axolotl`` tool env's python (offline; the script sets the switches itself)::

    HF_HUB_OFFLINE=1 AXOLOTL_DO_NOT_TRACK=1 .toolenvs/axolotl/bin/python tests/tools/axolotl_validate.py \\
        [--gpu-caps JSON] [--torch-version X.Y.Z] FILE.yaml ...
    .toolenvs/axolotl/bin/python tests/tools/axolotl_validate.py --dump-fields

For each file: ``yaml.safe_load`` -> ``axolotl.utils.config.validate_config`` (the function ``axolotl train``
calls; it never contacts the hub). With ``--gpu-caps`` (a JSON object or a path to a JSON file, e.g.
``{"bf16": true, "fp8": false, "tf32": true, "n_gpu": 1, "compute_capability": "sm_86"}``; missing keys take
Axolotl's GPUCapabilities defaults) the GPU-dependent validators of ``AxolotlConfigWCapabilities`` run too,
with ``env_capabilities={"torch_version": <installed torch, or --torch-version>}``.

Axolotl's pydantic models ignore unknown keys silently (``lora_rank: 16`` validates and vanishes), so the
script also compares every key against field names + aliases read at runtime from ``model_fields``:
top-level keys against ``AxolotlInputConfig`` (merged with the input models of the plugins the file
lists, as Axolotl does), each ``datasets``/``test_datasets`` entry against the dataset model Axolotl picks
for it (``SFTDataset``; ``DPODataset`` for rl dpo/ipo/simpo; ``KTODataset`` for kto; ``SyntheticDataset``
for type ``_synthetic``), ``pretraining_dataset`` entries against ``PretrainingDataset`` + ``SFTDataset``,
and ``fsdp_config`` keys against ``FSDPConfig`` (a deprecated ``fsdp_`` prefix is stripped first, as
Axolotl does).

Output (stdout, one JSON object)::

    {"axolotl_version": ..., "capabilities": ..., "env_capabilities": ...,
     "results": [{"file", "ok", "errors": [...], "unknown_keys": [...], "warnings": [...]}]}

``ok`` is true when validation passed and no key is unknown; ``warnings`` holds what Axolotl logged at
WARNING level or above (and Python warnings) while validating. Exit status: 0 if every file is ok, 1 if
any is not, 2 on bad usage. Axolotl's own chatter goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

_REAL_STDOUT = sys.stdout
_RL_DPO = {"dpo", "ipo", "simpo"}


def _keys_of(name: str, info) -> set[str]:
    """A field's name plus every alias a YAML key may use for it."""
    from pydantic import AliasChoices, AliasPath

    keys = {name}
    for alias in (info.alias, info.validation_alias):
        if isinstance(alias, str):
            keys.add(alias)
        elif isinstance(alias, AliasChoices):
            keys.update(c for c in alias.choices if isinstance(c, str))
            keys.update(str(c.path[0]) for c in alias.choices if isinstance(c, AliasPath) and c.path)
        elif isinstance(alias, AliasPath) and alias.path:
            keys.add(str(alias.path[0]))
    return keys


def _field_keys(model) -> set[str]:
    """Field names of a pydantic v2 model plus all their aliases."""
    return {key for name, info in model.model_fields.items() for key in _keys_of(name, info)}


def _aliases(model) -> dict[str, str]:
    """alias -> field name."""
    return {key: name for name, info in model.model_fields.items() for key in _keys_of(name, info) - {name}}


class _Models:
    """The Axolotl schema classes, imported lazily (torch + transformers make this take a few seconds)."""

    def __init__(self) -> None:
        from axolotl.utils.schemas import datasets as ds
        from axolotl.utils.schemas.config import AxolotlConfigWCapabilities, AxolotlInputConfig
        from axolotl.utils.schemas.fsdp import FSDPConfig

        self.input_config = AxolotlInputConfig
        self.with_capabilities = AxolotlConfigWCapabilities
        self.fsdp = FSDPConfig
        self.sft = ds.SFTDataset
        self.dpo = ds.DPODataset
        self.kto = ds.KTODataset
        self.synthetic = ds.SyntheticDataset
        self.pretraining = ds.PretrainingDataset


def _dataset_model(models: _Models, cfg: dict, entry: dict):
    """Mirror the dataset-model choice in axolotl.utils.config.validate_config."""
    if cfg.get("rl") in _RL_DPO:
        return models.dpo
    if cfg.get("rl") == "kto":
        return models.kto
    if entry.get("type") == "_synthetic":
        return models.synthetic
    return models.sft


def unknown_keys(models: _Models, cfg: dict, input_model=None) -> list[str]:
    top = _field_keys(input_model or models.input_config)
    bad = [k for k in cfg if k not in top]
    for section in ("datasets", "test_datasets"):
        entries = cfg.get(section)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, dict):
                known = _field_keys(_dataset_model(models, cfg, entry))
                bad += [f"{section}[{i}].{k}" for k in entry if k not in known]
    entries = cfg.get("pretraining_dataset")
    if isinstance(entries, list):
        known = _field_keys(models.pretraining) | _field_keys(models.sft)
        for i, entry in enumerate(entries):
            if isinstance(entry, dict):
                bad += [f"pretraining_dataset[{i}].{k}" for k in entry if k not in known]
    fsdp = cfg.get("fsdp_config")
    if isinstance(fsdp, dict):
        known = _field_keys(models.fsdp)
        for k in fsdp:
            stripped = k[len("fsdp_") :] if k.startswith("fsdp_") and k != "fsdp_version" else k
            if k not in known and stripped not in known:
                bad.append(f"fsdp_config.{k}")
    return [str(k) for k in bad]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(f"{record.levelname} {record.name}: {record.getMessage()}")
        except Exception:
            self.messages.append(f"{record.levelname} {record.name}: {record.msg!r}")


def _format_validation_error(exc: Exception) -> list[str]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            out = []
            for err in errors():
                loc = ".".join(str(p) for p in err.get("loc", ())) or "<config>"
                out.append(f"{loc}: {err.get('msg')}")
            if out:
                return out
        except Exception:
            pass
    return [f"{type(exc).__name__}: {exc}"]


def validate_file(path: Path, models: _Models, caps: dict | None, env_caps: dict | None) -> dict[str, Any]:
    import yaml
    from axolotl.utils.config import validate_config
    from axolotl.utils.dict import DictDefault

    result: dict[str, Any] = {"file": str(path), "ok": False, "errors": [], "unknown_keys": [], "warnings": []}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        result["errors"].append(f"{type(exc).__name__}: {exc}")
        return result
    if not isinstance(raw, dict):
        result["errors"].append(f"top level must be a mapping, got {type(raw).__name__}")
        return result

    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            input_model = models.input_config
            if raw.get("plugins"):
                # As `axolotl train` does: register the plugins, then validate against the merged models.
                from axolotl.integrations.base import PluginManager
                from axolotl.integrations.config import merge_input_args
                from axolotl.utils.config import prepare_plugins

                PluginManager.get_instance().plugins.clear()  # the manager is a process-wide singleton
                prepare_plugins(DictDefault(copy.deepcopy(raw)))
                loaded = set(PluginManager.get_instance().plugins)
                for name in raw["plugins"]:
                    if name not in loaded:
                        result["errors"].append(f"plugin could not be loaded here: {name}")
                _, input_model = merge_input_args()
            result["unknown_keys"] = unknown_keys(models, raw, input_model)
            try:
                validate_config(DictDefault(copy.deepcopy(raw)), capabilities=caps, env_capabilities=env_caps)
            except Exception as exc:
                result["errors"].extend(_format_validation_error(exc))
        result["warnings"] = handler.messages + [f"{w.category.__name__}: {w.message}" for w in caught]
    finally:
        root.removeHandler(handler)
    result["ok"] = not result["errors"] and not result["unknown_keys"]
    return result


def dump_fields(models: _Models) -> dict[str, Any]:
    sections = {
        "AxolotlInputConfig": models.input_config,
        "AxolotlConfigWCapabilities": models.with_capabilities,
        "SFTDataset": models.sft,
        "DPODataset": models.dpo,
        "KTODataset": models.kto,
        "SyntheticDataset": models.synthetic,
        "PretrainingDataset": models.pretraining,
        "FSDPConfig": models.fsdp,
    }
    return {
        name: {"fields": sorted(model.model_fields), "aliases": dict(sorted(_aliases(model).items()))}
        for name, model in sections.items()
    }


def _parse_caps(value: str) -> dict:
    text = Path(value).read_text(encoding="utf-8") if os.path.isfile(value) else value
    caps = json.loads(text)
    if not isinstance(caps, dict):
        raise ValueError("--gpu-caps must be a JSON object")
    return caps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--gpu-caps", help="JSON object (or a file holding one): emulated GPU capabilities")
    parser.add_argument("--torch-version", help="env_capabilities.torch_version (default: the installed torch)")
    parser.add_argument("--dump-fields", action="store_true", help="print the schema field names and exit")
    args = parser.parse_args(argv)
    if not args.files and not args.dump_fields:
        parser.error("give YAML files or --dump-fields")
    try:
        caps = _parse_caps(args.gpu_caps) if args.gpu_caps else None
    except (ValueError, OSError) as exc:
        parser.error(f"--gpu-caps: {exc}")

    # Axolotl and its plugins print to stdout; keep stdout for our JSON only.
    with contextlib.redirect_stdout(sys.stderr):
        import axolotl
        import torch

        models = _Models()
        env_caps = None
        if caps is not None:
            from axolotl.utils.schemas.internal import GPUCapabilities

            caps = GPUCapabilities(**caps).model_dump()
            env_caps = {"torch_version": args.torch_version or str(torch.__version__).split("+", 1)[0]}
        if args.dump_fields:
            payload: dict[str, Any] = {"axolotl_version": axolotl.__version__, **dump_fields(models)}
        else:
            results = [validate_file(p, models, caps, env_caps) for p in args.files]
            payload = {
                "axolotl_version": axolotl.__version__,
                "capabilities": caps,
                "env_capabilities": env_caps,
                "results": results,
            }
    _REAL_STDOUT.write(json.dumps(payload, indent=1) + "\n")
    _REAL_STDOUT.flush()
    if args.dump_fields:
        return 0
    return 0 if all(r["ok"] for r in payload["results"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
