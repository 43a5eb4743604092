"""Codes of the memory model and the fitter: a profile that does not fit, and the levers pulled to fit it.

Their findings and decisions are made by :mod:`ftguide.check` and :mod:`ftguide.fit`; the functions here are
the codes' documentation (and what ``ftguide rules MM002`` prints).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftguide.rules import rule


@rule("MM002", "memory-fit", order=1200, kind="fit", fields=(), severity="info")
def memory_fit(*_: Any) -> Iterator[Any]:
    """A value the fitter changed so that the run fits the GPU memory budget.

    Why:
    When the profile's estimated peak plus a safety margin exceeds `--vram` (or the card's memory), the fitter
    pulls the guide's memory levers in order, cheapest in quality first: gradient checkpointing, a smaller
    micro-batch with more accumulation (same effective batch), FSDP sharding over several GPUs, 4-bit
    quantization, a shorter sequence, fewer LoRA targets. It stops at the first profile that fits, then grows
    the micro-batch back while it still fits. Values the user fixed are never changed.

    Example:
    7B at 12 GiB: checkpointing on, micro-batch 4 -> 1, 4-bit, then micro-batch grown back to 2 x 8.
    """
    yield from ()


@rule("MM003", "does-not-fit", order=1210, kind="memory", fields=(), severity="error")
def does_not_fit(*_: Any) -> Iterator[Any]:
    """The config's estimated peak GPU memory, plus the safety margin, exceeds the budget: it will run out.

    Why:
    `check` prices the config with the calibrated memory model of its training stack (`--framework`) and
    compares it with `--vram` or the card's memory; a run over budget fails with CUDA out-of-memory, usually
    at the first step or the first evaluation.

    Example:
    8B in 16-bit, micro-batch 8, on a 24 GiB card -> run `ftguide suggest --vram 24` for a profile that fits.
    """
    yield from ()
