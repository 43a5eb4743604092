"""Judge an earlier commit's memory model on the measurements committed now.

    python calibration/evaluate_commit.py 02572aa --set heldout          # round 1, by that commit's model
    python calibration/evaluate_commit.py HEAD --set round2 --runs      # and each run's error

The commit's ``src/ftguide/memory.py`` and its ``data/memory_calibration.json`` are read with ``git show`` and
loaded beside today's code (the catalog, the profiles and the family configs stay today's); each run of the set
(``calibration/results/<set>*.jsonl``) is estimated by that model and compared with what the GPU measured, as
``fit.py`` measures it.  This is how the README compares the model before and after a held-out round.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "calibration"))

import fit  # noqa: E402


def load_model(rev: str) -> ModuleType:
    """That commit's memory module, with that commit's calibration in place of today's."""
    source = subprocess.run(
        ["git", "show", f"{rev}:src/ftguide/memory.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    data = subprocess.run(
        ["git", "show", f"{rev}:src/ftguide/data/memory_calibration.json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="ftg-memory-"))
    path = folder / "memory_at_commit.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("memory_at_commit", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["memory_at_commit"] = module
    spec.loader.exec_module(module)
    calibration = json.loads(data)
    module.calibration = lambda: calibration  # type: ignore[attr-defined]
    return module


def estimate_gib(model: ModuleType, row: dict, framework: str) -> float:
    """``model``'s estimate of a run, as fit.py makes it: a run of the one-sweep upcast script is priced with that
    script's load (:func:`fit.sweep_upcast`), where the commit's model prices today's tensor-by-tensor upcast."""
    arch, profile = fit.arch_profile(row)
    upcast = getattr(model, "upcast_transient_bytes", None)
    if upcast is not None and framework == "peft" and fit.sweep_upcast(row):
        model.upcast_transient_bytes = fit._sweep_transient  # type: ignore[attr-defined]
    try:
        return float(sum(model.estimate(profile, arch, framework).values()) / model.GIB)
    finally:
        if upcast is not None:
            model.upcast_transient_bytes = upcast  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rev", help="a commit (its memory.py and calibration are judged)")
    parser.add_argument("--set", default="heldout", help="the results prefix: families, heldout or round2")
    parser.add_argument("--runs", action="store_true", help="print each run's error too")
    args = parser.parse_args()
    model = load_model(args.rev)
    for framework in ("peft", "unsloth"):
        rows = fit.load_families(framework, args.set)
        if not rows:
            continue
        context = fit.clean_context(fit.load(framework))
        errors = []
        for row in sorted(rows, key=lambda r: r["id"]):
            estimated = estimate_gib(model, row, framework)
            measured = fit.target_gib(row, context)
            errors.append((row["id"], (estimated - measured) / measured))
        sizes = [abs(e) for _, e in errors]
        print(
            f"{args.rev} {framework} {args.set}: {len(errors)} runs, median |error| "
            f"{statistics.median(sizes) * 100:.1f}%, worst {max(sizes) * 100:.1f}%, "
            f"{sum(e < -0.05 for _, e in errors)} under by more than 5%"
        )
        if args.runs:
            for run_id, error in errors:
                print(f"  {run_id:44} {error * 100:+.1f}%")


if __name__ == "__main__":
    main()
