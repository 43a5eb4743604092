"""Time ``ftguide diagnose --log`` as a whole process on a long run's log.

    python benchmarks/diagnose_bench.py [--records 1000000] [--shapes state,console] [--timeout 600]

Writes a log of ``--records`` training records to a temporary folder in each shape ftguide reads (a
``trainer_state.json`` as the Hugging Face Trainer writes it, and a console log as transformers 5 prints it,
tqdm progress included), runs ``ftguide diagnose --log FILE --format json`` on each, and prints one JSON object:
records, file size, wall seconds, CPU seconds (user + system of the process: the figure to trust on a busy
machine) and the symptoms found, per shape, with the load average before the runs.  The run is a fixed, seeded
curve: the loss falls and then flattens, so the answer (loss-flat) is the same every time and is checked.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVAL_EVERY = 500
"""One evaluation record per this many training records (the Trainer's default eval_steps)."""


def curve(records: int) -> list[tuple[int, float, float, float, float, float]]:
    """(step, loss, eval_loss, grad_norm, learning_rate, epoch) of a run that learns, then stops learning.

    The evaluation loss follows the noiseless curve, so it never turns up: the one symptom is loss-flat.
    """
    rng = random.Random(0)
    scale = max(1.0, records / 20)
    out = []
    for step in range(1, records + 1):
        smooth = 1.6 + 2.5 * math.exp(-step / scale)
        grad = 0.8 + 2.0 * math.exp(-step / scale) + rng.uniform(0, 0.2)
        lr = 2e-4 * min(1.0, step / (0.03 * records + 1))
        loss = smooth + rng.uniform(-0.03, 0.03)
        out.append((step, round(loss, 4), round(smooth + 0.05, 4), round(grad, 4), lr, round(step / records * 3, 4)))
    return out


def write_state(path: Path, run: list[tuple[int, float, float, float, float, float]]) -> None:
    history: list[dict[str, float | int]] = []
    for step, loss, eval_loss, grad, lr, epoch in run:
        history.append({"epoch": epoch, "grad_norm": grad, "learning_rate": lr, "loss": loss, "step": step})
        if step % EVAL_EVERY == 0:
            history.append({"epoch": epoch, "eval_loss": eval_loss, "eval_runtime": 2.5, "step": step})
    state = {"best_metric": None, "epoch": run[-1][-1], "global_step": run[-1][0], "log_history": history}
    path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_console(path: Path, run: list[tuple[int, float, float, float, float, float]]) -> None:
    total = len(run)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Loading weights: 100%|██████████| 21/21 [00:00<00:00, 7022.83it/s]\n")
        for step, loss, eval_loss, grad, lr, epoch in run:
            out.write(f"\r{step * 100 // total:3d}%|▏         | {step}/{total} [00:01<05:25,  1.64s/it]")
            out.write(f"{{'loss': '{loss:.4g}', 'grad_norm': '{grad:.4g}', 'learning_rate': '{lr:.4g}', ")
            out.write(f"'entropy': '1.2', 'num_tokens': '{step * 151}', 'epoch': '{epoch:.4g}'}}\n")
            if step % EVAL_EVERY == 0:
                out.write(f"{{'eval_loss': '{eval_loss:.4g}', 'eval_runtime': '2.5', 'epoch': '{epoch:.4g}'}}\n")
        out.write("{'train_runtime': '5200', 'train_loss': '1.7', 'epoch': '3'}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--shapes", default="state,console", help="comma-separated: state, console")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run counts as too slow")
    args = parser.parse_args()
    entry = shutil.which("ftguide")
    ftguide = [entry] if entry else [sys.executable, "-m", "ftguide"]
    run = curve(args.records)
    report: dict[str, object] = {"records": args.records, "load_average": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="ftguide-diagnose-bench-") as folder:
        for shape in args.shapes.split(","):
            path = Path(folder) / ("trainer_state.json" if shape == "state" else "train.log")
            (write_state if shape == "state" else write_console)(path, run)
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            try:
                done = subprocess.run(
                    [*ftguide, "diagnose", "--log", str(path), "--format", "json"],
                    capture_output=True,
                    text=True,
                    timeout=args.timeout,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                report[shape] = {"bytes": path.stat().st_size, "seconds": None, "timed_out_after": args.timeout}
                continue
            seconds = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            if done.returncode != 0:
                sys.exit(f"{shape}: ftguide diagnose exited {done.returncode}: {done.stderr.strip()}")
            found = [s["symptom"] for s in json.loads(done.stdout)["symptoms"]]
            if found != ["loss-flat"]:
                sys.exit(f"{shape}: expected loss-flat, got {found}")
            report[shape] = {
                "bytes": path.stat().st_size,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "symptoms": found,
            }
            path.unlink()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
