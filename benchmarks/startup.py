"""Time ``ftguide suggest ... --format json`` as a whole process, against ``python -c pass``.

    python benchmarks/startup.py [--runs 20]

Prints one JSON object: median and spread of each, in milliseconds, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

COMMAND = ["suggest", "--examples", "800", "--model", "7B", "--vram", "12", "--format", "json"]


def timed(cmd: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    entry = shutil.which("ftguide")
    ftguide = [entry] if entry else [sys.executable, "-m", "ftguide"]
    timed(ftguide + COMMAND, 2)  # warm the page cache and .pyc files
    base = timed([sys.executable, "-c", "pass"], args.runs)
    tool = timed(ftguide + COMMAND, args.runs)
    report = {
        "command": " ".join(["ftguide", *COMMAND]),
        "runs": args.runs,
        "python_pass_ms": {"median": round(statistics.median(base), 1), "min": round(min(base), 1)},
        "ftguide_ms": {
            "median": round(statistics.median(tool), 1),
            "min": round(min(tool), 1),
            "max": round(max(tool), 1),
        },
        "ratio_of_medians": round(statistics.median(tool) / statistics.median(base), 2),
        # With PYTHONDONTWRITEBYTECODE set, every run compiles every module again: a slower start than users see.
        "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
