"""The Axolotl memory path against the real ``axolotl train`` runs of ftguide's YAMLs on the H200."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ftguide import memory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "calibration"))
from fit_axolotl import profile_of  # noqa: E402

RUNS = [json.loads(line) for line in (ROOT / "calibration/results/axolotl.jsonl").open()]
FULL_LOGITS = [r for r in RUNS if r["status"] == "ok" and not r["levers"].get("chunked_cross_entropy")]


def test_the_runs_are_the_issues_sweep() -> None:
    assert len(RUNS) >= 30 and all(r["status"] == "ok" for r in RUNS)
    assert {r["quant"] for r in RUNS} == {"4bit", "none"} and {r["gc"] for r in RUNS} == {True, False}
    assert len({r["catalog_model"] for r in RUNS}) >= 4


@pytest.mark.parametrize("run", FULL_LOGITS, ids=[r["id"] for r in FULL_LOGITS])
def test_axolotl_estimate_is_never_far_under_a_measured_run(run: dict) -> None:
    profile, arch = profile_of(run)
    estimated = sum(memory.estimate(profile, arch, "axolotl").values()) / memory.GIB  # type: ignore[arg-type]
    assert estimated >= 0.9 * run["nvml_peak_gib"], f"{estimated:.2f} GiB vs {run['nvml_peak_gib']:.2f} measured"
    assert estimated <= 1.35 * run["nvml_peak_gib"]


def test_axolotl_prices_the_full_logits_the_peft_script_never_holds() -> None:
    run = next(r for r in FULL_LOGITS if r["id"].startswith("axo26"))  # llama-3.2-1b, 16 x 1024, 128k vocab
    profile, arch = profile_of(run)
    axolotl = memory.estimate(profile, arch, "axolotl")  # type: ignore[arg-type]
    peft = memory.estimate(profile, arch, "peft")  # type: ignore[arg-type]
    assert axolotl["logits_and_loss"] > 10 * memory.GIB > peft["logits_and_loss"]
