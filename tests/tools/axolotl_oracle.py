#!/usr/bin/env python3
"""Ground truth for ``ftguide check``: what Axolotl's own ``validate_config`` accepts, rejects and drops.

Run it with the ``axolotl`` tool env's python, with every file in one call (the imports take seconds)::

    .toolenvs/axolotl/bin/python tests/tools/axolotl_oracle.py FILE.yaml ... > oracle.json

For each file, as ``axolotl train`` would on an H100 host (``capabilities``: bf16, fp8, tf32, sm_90; 8 GPUs
when the file shards or parallelizes - ``fsdp``/``fsdp_config``/``deepspeed``/a ``*_parallel_size`` above
1 - else 1; ``env_capabilities``: the installed torch):

* the file's ``plugins:`` input-args models are merged into the config model the way
  ``axolotl.integrations.config.merge_input_args`` merges them; the args classes are read from the
  plugins' source (``axolotl_fields.plugin_args_class``), so a plugin whose runtime needs a package this
  env lacks still counts;
* ``validate_config`` runs; ``errors`` are its messages, each tagged ``config`` (caused by the file) or
  ``environment`` (an ImportError: a package this env does not have);
* ``dropped`` lists every key the validated config no longer holds and the models do not know, at the top
  level, in each ``datasets``/``test_datasets``/``pretraining_dataset`` entry (the dataset model Axolotl
  picks for it) and in ``fsdp_config`` (after Axolotl strips a deprecated ``fsdp_`` prefix). Those are the
  keys Axolotl ignores without a word. Keys Axolotl consumes on purpose (a legacy attention flag mapped to
  ``attn_implementation``) are known fields and are not listed;
* optional packages that only decide whether a validator raises (``mistral_common``, ``ring_flash_attn``,
  an fp8 backend such as ``torchao``) are reported present, as on a host with ``pip install axolotl[...]``;
  ``emulated`` names the ones a file asked about.

Output (stdout): ``{"axolotl_version", "results": [{"file", "accepted", "errors": [{"kind", "message"}],
"dropped", "emulated", "n_gpu"}]}``, and with ``--fields`` the schema facts ``axolotl_fields.py`` writes
(``fields``), so one process serves a whole test module. Exit 0 unless the usage is wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
import types
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import axolotl_fields

_REAL_STDOUT = sys.stdout
EMULATED_PACKAGES = ("mistral_common", "ring_flash_attn")
_asked: set[str] = set()


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of the emulated packages get an empty module (and are recorded)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name.split(".")[0] in EMULATED_PACKAGES:
            _asked.add(name.split(".")[0])
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec: Any) -> Any:
        return types.ModuleType(spec.name)

    def exec_module(self, module: Any) -> None:
        return None


def _emulate_optional_packages() -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        if name.split(".")[0] in EMULATED_PACKAGES:
            _asked.add(name.split(".")[0])
            return importlib.machinery.ModuleSpec(name, None)
        return real_find_spec(name, package)

    importlib.util.find_spec = find_spec  # type: ignore[assignment]
    sys.meta_path.insert(0, _StubFinder())

    import axolotl.utils.schemas.config as schema_config

    def fp8_available() -> bool:  # accelerate asks for ms-amp / transformer-engine / torchao
        _asked.add("torchao")
        return True

    schema_config.is_fp8_available = fp8_available  # type: ignore[attr-defined]


def _forget_stubs() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in EMULATED_PACKAGES:
            del sys.modules[name]


class _Merged:
    """merge_input_args with the current file's plugin args, as Axolotl builds it (cached per plugin set)."""

    def __init__(self) -> None:
        self.current: tuple[Any, ...] = ()
        self.cache: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def __call__(self) -> tuple[Any, Any]:
        from axolotl.utils.schemas.config import AxolotlConfigWCapabilities as CapsBase
        from axolotl.utils.schemas.config import AxolotlInputConfig as InputBase

        if not self.current:
            return CapsBase, InputBase
        if self.current not in self.cache:
            caps = type("AxolotlConfigWCapabilities", (CapsBase, *self.current), {})
            inputs = type("AxolotlInputConfig", (InputBase, *self.current), {})
            self.cache[self.current] = (caps, inputs)
        return self.cache[self.current]


def dataset_model(cfg: dict[str, Any], entry: dict[str, Any]) -> Any:
    """The dataset model ``validate_config`` converts an entry to."""
    from axolotl.utils.schemas import datasets as ds

    if cfg.get("rl") in ("dpo", "ipo", "simpo"):
        return ds.DPODataset
    if cfg.get("rl") == "kto":
        return ds.KTODataset
    if entry.get("type") == "_synthetic":
        return ds.SyntheticDataset
    return ds.SFTDataset


def _n_gpu(cfg: dict[str, Any]) -> int:
    parallel = any(
        k.endswith("_parallel_size") and isinstance(v, int) and not isinstance(v, bool) and v > 1
        for k, v in cfg.items()
    )
    return 8 if cfg.get("fsdp") or cfg.get("fsdp_config") or cfg.get("deepspeed") or parallel else 1


def dropped_keys(cfg: dict[str, Any], out: dict[str, Any] | None, input_model: Any) -> list[str]:
    """Keys of ``cfg`` that the validated ``out`` lost and the models do not know (``out`` None: not validated)."""
    from axolotl.utils.schemas import datasets as ds
    from axolotl.utils.schemas.fsdp import FSDPConfig

    def lost(key: str, value: Any, known: set[str], kept: dict[str, Any] | None) -> bool:
        return value is not None and key not in known and (kept is None or key not in kept)

    known_top = set(axolotl_fields.keys_of(input_model))
    bad = [k for k, v in cfg.items() if lost(k, v, known_top, out)]
    for section in ("datasets", "test_datasets", "pretraining_dataset"):
        entries = cfg.get(section)
        kept_entries = (out or {}).get(section)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            if section == "pretraining_dataset":
                known = set(axolotl_fields.keys_of(ds.PretrainingDataset)) | set(axolotl_fields.keys_of(ds.SFTDataset))
            else:
                known = set(axolotl_fields.keys_of(dataset_model(cfg, entry)))
            kept = kept_entries[i] if isinstance(kept_entries, list) and i < len(kept_entries) else None
            kept = kept if isinstance(kept, dict) else None
            bad += [f"{section}[{i}].{k}" for k, v in entry.items() if lost(k, v, known, kept)]
    fsdp = cfg.get("fsdp_config")
    if isinstance(fsdp, dict):
        known = set(axolotl_fields.keys_of(FSDPConfig))
        for k, v in fsdp.items():
            stripped = k[len("fsdp_") :] if k.startswith("fsdp_") and k != "fsdp_version" else k
            if v is not None and k not in known and stripped not in known:
                bad.append(f"fsdp_config.{k}")
    return bad


def _messages(exc: BaseException) -> list[str]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        with contextlib.suppress(Exception):
            found = [f"{'.'.join(map(str, e.get('loc', ()))) or '<config>'}: {e.get('msg')}" for e in errors()]
            if found:
                return found
    return [f"{type(exc).__name__}: {exc}"]


def judge(path: Path, merged: _Merged, torch_version: str) -> dict[str, Any]:
    import yaml
    from axolotl.utils.config import validate_config
    from axolotl.utils.dict import DictDefault
    from axolotl.utils.schemas.internal import GPUCapabilities

    result: dict[str, Any] = {"file": str(path), "accepted": False, "errors": [], "dropped": [], "emulated": []}
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        result["errors"].append({"kind": "config", "message": f"{type(exc).__name__}: {exc}"})
        return result
    if not isinstance(cfg, dict):
        result["errors"].append({"kind": "config", "message": "top level is not a mapping"})
        return result
    plugin_classes = []
    for name in cfg.get("plugins") or []:
        args = axolotl_fields.plugin_args_class(str(name))
        if args is not None:
            plugin_classes.append(args)
        elif str(name) not in axolotl_fields.plugin_names():
            result["errors"].append({"kind": "config", "message": f"plugin not found: {name}"})
    merged.current = tuple(plugin_classes)
    _caps_model, input_model = merged()
    result["n_gpu"] = n_gpu = _n_gpu(cfg)
    caps = GPUCapabilities(bf16=True, fp8=True, tf32=True, n_gpu=n_gpu, compute_capability="sm_90").model_dump()
    _asked.clear()
    _forget_stubs()
    out = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            validated = validate_config(
                DictDefault(copy.deepcopy(cfg)), capabilities=caps, env_capabilities={"torch_version": torch_version}
            )
            out = validated.to_dict() if hasattr(validated, "to_dict") else dict(validated)
        except ImportError as exc:
            result["errors"].append({"kind": "environment", "message": f"ImportError: {exc}"})
        except Exception as exc:
            result["errors"].extend({"kind": "config", "message": m} for m in _messages(exc))
    result["emulated"] = sorted(_asked)
    result["dropped"] = dropped_keys(cfg, out, input_model)
    result["accepted"] = out is not None and not result["errors"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--fields", action="store_true", help="also report axolotl_fields.build() as `fields`")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    with contextlib.redirect_stdout(sys.stderr):
        import axolotl
        import axolotl.utils.config as axolotl_config
        import torch

        _emulate_optional_packages()
        merged = _Merged()
        axolotl_config.merge_input_args = merged  # type: ignore[attr-defined]
        torch_version = str(torch.__version__).split("+", 1)[0]
        results = [judge(p, merged, torch_version) for p in args.files]
    payload: dict[str, Any] = {"axolotl_version": axolotl.__version__, "results": results}
    if args.fields:
        payload["fields"] = axolotl_fields.build()
    _REAL_STDOUT.write(json.dumps(payload, indent=1) + "\n")
    _REAL_STDOUT.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
