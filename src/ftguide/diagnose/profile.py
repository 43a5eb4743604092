"""The run's ``--profile``: its config read by ``check``'s readers, each field type-checked before any arithmetic.

``load_profile`` returns the whole profile (the file's values over ``suggest``'s defaults, as ``check`` completes
it) and the training path the file is for, which the out-of-memory advice estimates with: ``axolotl`` for an
Axolotl YAML, ``unsloth`` for a script that imports Unsloth, the ``memory.framework`` of a ``suggest`` document,
else ``peft``.  A value of the wrong type (``micro_batch_size: abc``, ``lora_target_modules: [1]``) is one
:class:`InputError` line naming the file's own key.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple, get_args

from pydantic import TypeAdapter, ValidationError

from ftguide.errors import InputError
from ftguide.models import Framework, Profile

__all__ = ["RunProfile", "load_profile"]


class RunProfile(NamedTuple):
    profile: Profile
    framework: Framework


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    """Validates one Profile field alone: its type and its bounds (the field's own FieldInfo carries them)."""
    from typing import Annotated

    info = Profile.model_fields[name]
    annotated: Any = Annotated[info.annotation, info]
    return TypeAdapter(annotated)


def _shown(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, str | int | float | bool) or value is None:
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 40 else text[:39] + "…"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "a value"


def check_values(values: dict[str, Any], renames: dict[str, str], what: str, path: str) -> None:
    """Raise one InputError line for the first profile field whose value has the wrong type or range."""
    for name, value in values.items():
        if not isinstance(name, str) or name not in Profile.model_fields:
            continue
        if name == "target_modules" and value == "all":
            continue
        try:
            _adapter(name).validate_python(value)
        except ValidationError as exc:
            error = exc.errors(include_url=False, include_context=False, include_input=False)[0]
            where = "".join(f"[{part}]" if isinstance(part, int) else "" for part in error["loc"])
            key = renames.get(name, name)
            raise InputError(f"{what}: {path}: {key}{where} = {_shown(value)}: {error['msg']}") from None


def load_profile(path: str, what: str = "--profile") -> RunProfile:
    """The run's profile and training path from a profile, a ``suggest`` document, an Axolotl YAML or a script."""
    from ftguide.catalog import resolve_model
    from ftguide.check import complete_profile, read

    checked = read(Path(path))
    check_values(checked.values, checked.renames, what, path)
    spec = checked.values.get("base_model")
    try:
        arch = resolve_model(str(spec)) if spec else None
    except InputError:
        arch = None
    profile = complete_profile(checked.values, arch, None)
    if profile is None:
        raise InputError(f"{what}: {path} does not make a valid profile")
    framework: Framework = "peft"
    if checked.kind == "axolotl":
        framework = "axolotl"
    elif checked.kind == "python" and isinstance(checked.raw, str) and "unsloth" in checked.raw:
        framework = "unsloth"
    elif isinstance(checked.raw, dict) and isinstance(checked.raw.get("memory"), dict):
        stated = checked.raw["memory"].get("framework")
        if stated in get_args(Framework):
            framework = stated
    return RunProfile(profile, framework)
