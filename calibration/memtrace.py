"""Run a rendered script under PyTorch's allocator history; write what was alive at its memory peak.

    python calibration/memtrace.py SUMMARY.json SCRIPT.py [script arguments ...]

The peak alone says how much; this says what.  PyTorch records every allocation and free with the Python
stack that made it (``torch.cuda.memory._record_memory_history``); at exit the trace is replayed to find the
moment of the most memory allocated, during training (after the trainer's first step began) and overall, and
the blocks alive then are grouped by the innermost frame outside torch (``modeling_qwen2.py:92 forward``),
with the allocator's own view (reserved beside allocated).  Allocations made by the autograd engine's C++
threads carry no Python frame and are grouped as ``<autograd engine>``.  The summary is small JSON; the raw
trace is not kept.

The allocator setting is applied before torch is imported, as the PEFT script does it itself
(``PYTORCH_ALLOC_CONF=expandable_segments:True``), when the script carries that line; the Unsloth script
sets none.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from collections import defaultdict
from pathlib import Path

MAX_ENTRIES = 3_000_000
TORCH_PARTS = ("/torch/", "<frozen", "/contextlib.py", "/functools.py", "/runpy.py")


def label(frames: list[dict]) -> str:
    """The innermost frame outside torch and the standard library, as ``package/file.py:line function``.

    Prefixed ``[recompute]`` when made inside activation checkpointing's recomputation, ``[backward]`` when
    inside a Python ``backward`` (custom autograd functions).
    """
    names = [f.get("filename", "") for f in frames]
    tag = ""
    if any(n.endswith("torch/utils/checkpoint.py") for n in names):
        tag = "[recompute] "
    elif any(f.get("name") == "backward" for f in frames):
        tag = "[backward] "
    return tag + _where(frames)


def _where(frames: list[dict]) -> str:
    for frame in frames:
        name = frame.get("filename", "")
        if any(part in name for part in TORCH_PARTS) or name.endswith("memtrace.py"):
            continue
        short = name.split("site-packages/")[-1]
        if "/" in short and "site-packages/" not in name:
            short = "/".join(short.split("/")[-2:])
        return f"{short}:{frame.get('line')} {frame.get('name')}"
    return "<autograd engine>" if not frames else f"torch: {frames[0].get('name')}"


def in_training(frames: list[dict]) -> bool:
    return any(f.get("name") == "training_step" for f in frames)


def peak_state(events: list[dict], start: int = 0) -> tuple[int, int, dict[int, dict]]:
    """Replay ``events``; the peak of allocated bytes at or after event ``start``: (index, bytes, alive blocks)."""
    alive: dict[int, dict] = {}
    total = 0
    best, best_index = -1, -1
    for index, event in enumerate(events):
        action = event["action"]
        if action == "alloc":
            alive[event["addr"]] = event
            total += event["size"]
        elif action == "free_completed" and event["addr"] in alive:
            total -= alive.pop(event["addr"])["size"]
        if index >= start and total > best:
            best, best_index = total, index
    # Replay once more to the peak to take its alive set (keeping a copy at every new peak is too slow).
    alive, total = {}, 0
    for event in events[: best_index + 1]:
        if event["action"] == "alloc":
            alive[event["addr"]] = event
        elif event["action"] == "free_completed":
            alive.pop(event["addr"], None)
    return best_index, best, alive


def describe(events: list[dict], start: int) -> dict:
    index, peak, alive = peak_state(events, start)
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for block in alive.values():
        key = label(block.get("frames") or [])
        groups[key][0] += block["size"]
        groups[key][1] += 1
    top = sorted(groups.items(), key=lambda kv: -kv[1][0])
    largest = sorted(alive.values(), key=lambda b: -b["size"])[:25]
    at = events[index] if index >= 0 else {}
    return {
        "peak_allocated_bytes": peak,
        "event": index,
        "peak_made_by": label(at.get("frames") or []),
        "peak_stack": [
            f"{f.get('filename', '').split('site-packages/')[-1]}:{f.get('line')} {f.get('name')}"
            for f in (at.get("frames") or [])[:14]
        ],
        "groups": [{"where": k, "bytes": v[0], "blocks": v[1]} for k, v in top[:60]],
        "largest_blocks": [{"where": label(b.get("frames") or []), "bytes": b["size"]} for b in largest],
    }


def summarize(snapshot: dict) -> dict:
    traces = snapshot.get("device_traces") or [[]]
    events = traces[0]
    first_train = next(
        (i for i, e in enumerate(events) if e["action"] == "alloc" and in_training(e.get("frames") or [])), 0
    )
    return {
        "events": len(events),
        "truncated": len(events) >= MAX_ENTRIES,
        "overall": describe(events, 0),
        "training": describe(events, first_train),
        "segments_reserved_bytes_at_exit": sum(s["total_size"] for s in snapshot.get("segments", [])),
    }


def main() -> None:
    out, script, *rest = sys.argv[1:]
    text = Path(script).read_text(encoding="utf-8")
    if "expandable_segments:True" in text and not (
        os.environ.get("PYTORCH_ALLOC_CONF") or os.environ.get("PYTORCH_CUDA_ALLOC_CONF")
    ):
        os.environ["PYTORCH_ALLOC_CONF"] = "expandable_segments:True"
    import torch

    torch.cuda.memory._record_memory_history(max_entries=MAX_ENTRIES, stacks="python")
    sys.argv = [script, *rest]
    code = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
    finally:
        snapshot = torch.cuda.memory._snapshot()
        torch.cuda.memory._record_memory_history(enabled=None)
        summary = summarize(snapshot)
        summary["max_memory_allocated"] = torch.cuda.max_memory_allocated()
        summary["max_memory_reserved"] = torch.cuda.max_memory_reserved()
        Path(out).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    sys.exit(code)


if __name__ == "__main__":
    main()
