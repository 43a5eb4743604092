"""ftguide: LoRA / QLoRA fine-tuning profiles that explain themselves and fit the GPU.

Public API: :func:`suggest`, :func:`estimate`, :func:`render`, :func:`check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ftguide.models import Finding, MemoryEstimate, Profile, Request, SuggestResult

__all__ = ["__version__", "check", "estimate", "render", "suggest"]


def suggest(request: Request) -> SuggestResult:
    """Recommend a complete profile for ``request``, fitted to its memory budget."""
    from ftguide.engine import suggest as _suggest

    return _suggest(request)


def estimate(profile: Profile, model: str, framework: str = "peft", budget_gib: float | None = None) -> MemoryEstimate:
    """Estimate the peak GPU memory of training ``profile`` on ``model`` (a catalog name, id or path)."""
    from ftguide.catalog import resolve_model
    from ftguide.memory import memory_estimate

    return memory_estimate(profile, resolve_model(model), framework, budget_gib)


def render(profile: Profile, target: Any, **kwargs: Any) -> str:
    """Render ``profile`` as an Axolotl YAML (``axolotl``), an Unsloth script or a PEFT + TRL script."""
    from ftguide.render import render as _render

    return _render(profile, target, **kwargs)


def check(profile: Profile, **facts: Any) -> list[Finding]:
    """Every rule the profile breaks (``examples``, ``arch``, ``gpu``, ``budget_gib`` sharpen the checks)."""
    from ftguide.engine import lint

    return lint(profile, **facts)
