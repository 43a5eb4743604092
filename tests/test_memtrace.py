"""The calibration tools that explain and judge the memory model: the allocator-trace summary and the judge of
an earlier commit's model (both read committed data; no GPU)."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "calibration"))

import evaluate_commit  # noqa: E402
import fit  # noqa: E402
import memtrace  # noqa: E402

from ftguide import memory  # noqa: E402

MODELING = {"filename": "/x/site-packages/transformers/models/llama/modeling_llama.py", "line": 92, "name": "forward"}
SILU = {"filename": "/x/site-packages/torch/nn/functional.py", "line": 1, "name": "silu"}
CHECKPOINT = {"filename": "/x/site-packages/torch/utils/checkpoint.py", "line": 9, "name": "recompute_fn"}
TRAINING = {"filename": "/x/site-packages/transformers/trainer.py", "line": 5, "name": "training_step"}


def alloc(addr: int, size: int, *frames: dict) -> dict:
    return {"action": "alloc", "addr": addr, "size": size, "frames": list(frames)}


def free(addr: int) -> dict:
    return {"action": "free_completed", "addr": addr}


def test_labels_name_the_innermost_frame_outside_torch_and_tag_recomputation() -> None:
    assert memtrace.label([SILU, MODELING]) == "transformers/models/llama/modeling_llama.py:92 forward"
    assert memtrace.label([SILU, MODELING, CHECKPOINT]).startswith("[recompute] transformers/")
    assert memtrace.label([]) == "<autograd engine>"


def test_the_peak_is_replayed_from_allocations_and_frees() -> None:
    events = [
        alloc(1, 100, MODELING),  # loading
        free(1),
        alloc(2, 50, TRAINING),  # the first training allocation
        alloc(3, 80, SILU, MODELING, CHECKPOINT),
        free(2),
        alloc(4, 10),  # the autograd engine: no Python frame
        alloc(5, 30, MODELING),
    ]
    summary = memtrace.summarize({"device_traces": [events], "segments": [{"total_size": 256}]})
    assert summary["overall"]["peak_allocated_bytes"] == 130  # 50 + 80 before 2 is freed
    training = summary["training"]
    assert training["peak_allocated_bytes"] == 130
    groups = {g["where"]: g["bytes"] for g in training["groups"]}
    assert groups == {
        "[recompute] transformers/models/llama/modeling_llama.py:92 forward": 80,
        "transformers/trainer.py:5 training_step": 50,
    }
    assert summary["segments_reserved_bytes_at_exit"] == 256 and not summary["truncated"]


def test_a_commit_is_judged_as_fit_py_judges_it() -> None:
    """evaluate_commit on HEAD's model agrees with the committed report of round 2."""
    model = evaluate_commit.load_model("HEAD")
    rows = fit.load_families("peft", "round2")
    context = fit.clean_context(fit.load("peft"))
    errors = []
    for row in rows:
        estimated = evaluate_commit.estimate_gib(model, row, "peft")
        errors.append(abs(estimated - fit.target_gib(row, context)) / fit.target_gib(row, context))
    committed = memory.calibration()["fit"]["peft_heldout_round2"]["overall"]
    assert len(errors) == committed["runs"]
    assert statistics.median(errors) == pytest.approx(committed["median_abs_error"], abs=1e-4)
