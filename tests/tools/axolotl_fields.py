#!/usr/bin/env python3
"""Write ``src/ftguide/data/axolotl_fields.json`` from the installed (pinned) Axolotl release.

Run it with the ``axolotl`` tool env's python (offline; nothing is downloaded)::

    .toolenvs/axolotl/bin/python tests/tools/axolotl_fields.py > src/ftguide/data/axolotl_fields.json

What it reads, all from the package's own pydantic models:

* ``top_level``: the field names and aliases of ``AxolotlInputConfig``;
* ``datasets``: the same for each dataset model ``validate_config`` picks from (``sft``, ``dpo`` for rl
  dpo/ipo/simpo, ``kto`` for rl kto, ``synthetic`` for type ``_synthetic``, ``stepwise``), plus
  ``pretraining`` for ``pretraining_dataset`` entries; ``dataset`` (the SFT list) is kept for older readers;
* ``fsdp_config``: the keys of ``FSDPConfig``;
* ``plugins``: for every plugin under ``axolotl.integrations``, the input-args class its ``get_input_args``
  names and that class's field names (Axolotl merges them into the top level when the plugin is listed);
* ``types``: per top-level field, what JSON/YAML value kinds its annotation accepts (``null``, ``bool``,
  ``int``, ``float``, ``str``, ``list``, ``dict``; ``any``), and the allowed values when it is a Literal/Enum;
* ``removed``: fields whose validator rejects any truthy value as no longer supported, with the message;
* ``attention``: the canonical ``attn_implementation`` names, the short forms Axolotl refuses (with the
  canonical name it asks for) and the legacy boolean flags it maps.

The plugin args classes are loaded from their ``args.py`` file by path, so a plugin whose runtime needs a
package the env lacks (``llmcompressor``) still contributes its fields.
"""

from __future__ import annotations

import ast
import contextlib
import enum
import importlib.util
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any

#: The dataset models ``axolotl.utils.config.validate_config`` chooses from (see ``dataset_kind``).
DATASET_MODELS = {
    "sft": "SFTDataset",
    "dpo": "DPODataset",
    "kto": "KTODataset",
    "synthetic": "SyntheticDataset",
    "stepwise": "StepwiseSupervisedDataset",
    "pretraining": "PretrainingDataset",
}


def keys_of(model: Any) -> list[str]:
    """Field names plus every alias a YAML key may use for them."""
    from pydantic import AliasChoices, AliasPath

    keys: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        for alias in (info.alias, info.validation_alias):
            if isinstance(alias, str):
                keys.add(alias)
            elif isinstance(alias, AliasChoices):
                keys.update(c for c in alias.choices if isinstance(c, str))
                keys.update(str(c.path[0]) for c in alias.choices if isinstance(c, AliasPath) and c.path)
            elif isinstance(alias, AliasPath) and alias.path:
                keys.add(str(alias.path[0]))
    return sorted(keys)


def _integrations_dir() -> Path:
    spec = importlib.util.find_spec("axolotl.integrations")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations)))


def _args_class_name(package: Path, plugin_cls: str) -> str | None:
    """The class name ``plugin_cls.get_input_args`` returns, read from the package's source."""
    for source in sorted(package.glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ClassDef) and node.name == plugin_cls):
                continue
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "get_input_args":
                    for sub in ast.walk(item):
                        if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Constant):
                            return str(sub.value.value).rsplit(".", 1)[-1]
                    return None
    return None


def _load_by_path(path: Path) -> types.ModuleType:
    name = f"_ftguide_plugin_args_{path.parent.name}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def plugin_args_class(plugin: str) -> Any:
    """The input-args model of a plugin named as in a YAML's ``plugins:`` list, or None (no args / unknown)."""
    parts = plugin.split(".")
    if len(parts) < 4 or parts[:2] != ["axolotl", "integrations"]:
        return None
    package = _integrations_dir() / parts[2]
    if not package.is_dir():
        return None
    name = _args_class_name(package, parts[-1])
    if name is None:
        return None
    for source in [package / "args.py", *sorted(package.glob("*.py"))]:
        if source.exists() and f"class {name}" in source.read_text(encoding="utf-8"):
            with contextlib.redirect_stdout(sys.stderr):
                return getattr(_load_by_path(source), name)
    return None


def plugin_names() -> list[str]:
    """``axolotl.integrations.<pkg>.<PluginClass>`` for every BasePlugin subclass in the integrations' source."""
    names = []
    for package in sorted(p for p in _integrations_dir().iterdir() if p.is_dir() and p.name != "__pycache__"):
        for source in sorted(package.glob("*.py")):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    getattr(b, "id", getattr(b, "attr", "")) == "BasePlugin" for b in node.bases
                ):
                    names.append(f"axolotl.integrations.{package.name}.{node.name}")
    return sorted(set(names))


def _kinds(annotation: Any, out: set[str], literals: list[Any]) -> None:
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    if annotation is type(None) or annotation is None:
        out.add("null")
    elif annotation is Any or annotation is object:
        out.add("any")
    elif origin is typing.Annotated:
        _kinds(typing.get_args(annotation)[0], out, literals)
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            _kinds(arg, out, literals)
    elif origin is typing.Literal:
        literals.extend(typing.get_args(annotation))
        out.add("literal")
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        literals.extend(m.value for m in annotation)
        out.add("literal")
    elif annotation is bool:
        out.add("bool")
    elif annotation is int:
        out.add("int")
    elif annotation is float:
        out.update(("float", "int"))
    elif annotation is str:
        out.add("str")
    elif origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set):
        out.add("list")
    elif origin is dict or annotation is dict or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        out.add("dict")
    else:
        out.add("any")


def field_types(model: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, info in sorted(model.model_fields.items()):
        kinds: set[str] = set()
        literals: list[Any] = []
        _kinds(info.annotation, kinds, literals)
        entry: dict[str, Any] = {"accepts": sorted(kinds)}
        if literals:
            entry["values"] = [v for v in literals if isinstance(v, str | int | float | bool)]
        if info.is_required():
            entry["required"] = True
        out[name] = entry
    return out


def _sample(kinds: list[str]) -> Any:
    for kind, value in (("bool", True), ("int", 1), ("float", 1.0), ("str", "x"), ("list", ["x"]), ("dict", {"x": 1})):
        if kind in kinds:
            return value
    return 1


def removed_fields(types_: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Fields of ``DeprecatedParameters`` whose validator raises on a set value (what Axolotl refuses)."""
    from axolotl.utils.schemas.deprecated import DeprecatedParameters

    out = {}
    for name in sorted(DeprecatedParameters.model_fields):
        try:
            DeprecatedParameters(**{name: _sample(types_.get(name, {}).get("accepts", []))})
        except Exception as exc:
            out[name] = str(exc).strip().splitlines()[-1] if not isinstance(exc, DeprecationWarning) else str(exc)
    return out


def build() -> dict[str, Any]:
    with contextlib.redirect_stdout(sys.stderr):
        import axolotl
        from axolotl.utils.schemas import datasets as ds
        from axolotl.utils.schemas import enums
        from axolotl.utils.schemas.config import AxolotlInputConfig
        from axolotl.utils.schemas.fsdp import FSDPConfig

    types_ = field_types(AxolotlInputConfig)
    plugins = {}
    for name in plugin_names():
        args = plugin_args_class(name)
        plugins[name] = {"args": args.__name__ if args else None, "fields": keys_of(args) if args else []}
    datasets = {kind: keys_of(getattr(ds, cls)) for kind, cls in DATASET_MODELS.items()}
    return {
        "axolotl_version": axolotl.__version__,
        "comment": (
            "Read from the pinned Axolotl release's pydantic models by tests/tools/axolotl_fields.py "
            "(regenerate: .toolenvs/axolotl/bin/python tests/tools/axolotl_fields.py > "
            "src/ftguide/data/axolotl_fields.json); checked against the installed Axolotl by "
            "tests/test_check_corpus.py."
        ),
        "top_level": keys_of(AxolotlInputConfig),
        "dataset": datasets["sft"],
        "datasets": datasets,
        "fsdp_config": keys_of(FSDPConfig),
        "plugins": plugins,
        "types": types_,
        "removed": removed_fields(types_),
        "attention": {
            "canonical": sorted(enums.CANONICAL_ATTN_IMPLS),
            "aliases": dict(sorted(enums.SHORT_FORM_ALIAS_TO_CANONICAL.items())),
            "legacy_flags": dict(enums.LEGACY_ATTN_FLAG_TO_IMPL),
        },
    }


def main() -> int:
    sys.stdout.write(json.dumps(build(), indent=1, sort_keys=False, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
