#!/usr/bin/env python3
"""Make the training logs under ``tests/data/logs`` by really training a tiny model on the CPU (stdlib only).

    python3 tests/tools/make_logs.py [--out tests/data/logs] [--work DIR] [--only NAME,...]

Every log comes from ftguide's own rendered Transformers + PEFT + TRL script (``ftguide suggest --emit peft``)
run with the ``train`` tool env on a model made by ``make_tiny_model.py`` and data made by
``make_datasets.py``. Nothing is edited by hand: each run's final ``trainer_state.json`` (from its newest
checkpoint folder) is copied as it is, and for ``nan`` and ``overfitting`` the console output (stdout and
stderr together, interleaved as a terminal shows them) is kept as ``<name>.log``. The runs:

* ``healthy``      learning rate 3e-3, evaluation every step: loss and eval_loss fall together (7.1 to 4.3
                   and 7.0 to 4.6) until eval_loss levels off and early stopping ends the run at step 27.
* ``diverging``    learning rate 50: grad_norm jumps 20x within three steps (the exploding kind of loss-nan).
* ``nan``          learning rate 1e30: the weights overflow and grad_norm and eval_loss become NaN.
* ``flat``         learning rate 1e-12, 20 steps: the loss does not move.
* ``overfitting``  10 examples (9 train, 1 eval), rank 64, no dropout, learning rate 1e-2, full-batch steps,
                   evaluation every 5 steps: training loss keeps falling while eval_loss turns up and early
                   stopping ends the run.

For ``diverging`` it also writes ``diverging_samples.json``: greedy generations of the diverged adapter for
three prompts, decoded with their special tokens. The console logs keep everything the run printed except
blank lines (under 200 lines), with the repository's path removed from file names in warnings.

One change to the tiny model before training: its output layer is scaled by 5. ``make_tiny_model.py`` draws
every weight with std 0.02, and LoRA never trains the output layer, so a frozen head that small caps every
logit near +-1 and no run can take the loss much below ln(vocab) = 6.7; with the head scaled, LoRA can fit the
data and the healthy and overfitting runs behave like real fine-tunes. Runs take 15-60 s each on two cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tests" / "tools"

SCALE_HEAD = """
import sys, torch
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
with torch.no_grad():
    model.lm_head.weight.mul_(5.0)
model.save_pretrained(sys.argv[1])
"""

GENERATE = """
import json, sys, torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer
torch.manual_seed(0)
base = AutoModelForCausalLM.from_pretrained(sys.argv[1], dtype=torch.float32)
model = PeftModel.from_pretrained(base, sys.argv[2]).eval()
tok = AutoTokenizer.from_pretrained(sys.argv[2])
texts = []
for prompt in json.loads(sys.argv[3]):
    ids = tok(prompt, return_tensors="pt")
    out = model.generate(**ids, max_new_tokens=32, do_sample=False, pad_token_id=tok.pad_token_id)
    texts.append(tok.decode(out[0, ids["input_ids"].shape[1]:], skip_special_tokens=False))
print(json.dumps(texts))
"""

PROMPTS = ["What is 3 plus 4 ?", "Describe a cat .", "The small dog"]

# name -> (dataset rows, extra `ftguide suggest` flags, rendered-script flags, keep the console log)
RUNS: dict[str, tuple[int, list[str], list[str], bool]] = {
    "healthy": (
        40,
        [],
        ["--learning-rate", "3e-3", "--max-steps", "30", "--eval-steps", "1", "--batch-size", "4",
         "--gradient-accumulation-steps", "2"],
        False,
    ),
    "diverging": (
        40,
        [],
        ["--learning-rate", "50", "--max-steps", "12", "--eval-steps", "4", "--batch-size", "4",
         "--gradient-accumulation-steps", "1"],
        False,
    ),
    "nan": (
        40,
        [],
        ["--learning-rate", "1e30", "--max-steps", "12", "--eval-steps", "4", "--batch-size", "4",
         "--gradient-accumulation-steps", "1"],
        True,
    ),
    "flat": (
        40,
        [],
        ["--learning-rate", "1e-12", "--max-steps", "20", "--eval-steps", "20"],
        False,
    ),
    "overfitting": (
        10,
        ["--lora-r", "64", "--lora-dropout", "0"],
        ["--learning-rate", "1e-2", "--max-steps", "200", "--eval-steps", "5", "--batch-size", "9",
         "--gradient-accumulation-steps", "1"],
        True,
    ),
}  # fmt: skip

OFFLINE = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
}
SAMPLED = ("diverging",)
HEAD_LINES = 12
MAX_LINES = 199
_RECORD = re.compile(r"\{'(loss|eval_loss|train_runtime)'")


def _run(cmd: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **OFFLINE)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(cmd, cwd=cwd, env=env, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{(done.stderr or '')[-3000:]}")
    return done


def trim_console(text: str) -> str:
    """The console output without its blank lines; if that is still too long, the first lines (startup
    messages) plus every line holding a log record. Lines are split at newlines only, as a file holds them."""
    lines = [line.replace(f"{ROOT}/", "") for line in text.split("\n") if line.strip()]
    if len(lines) > MAX_LINES:
        lines = lines[:HEAD_LINES] + [line for line in lines[HEAD_LINES:] if _RECORD.search(line)]
    return "\n".join(lines[:MAX_LINES]) + "\n"


def newest_state(out: Path) -> Path:
    checkpoints = sorted(out.glob("checkpoint-*/trainer_state.json"), key=lambda p: int(p.parent.name.split("-")[1]))
    if not checkpoints:
        sys.exit(f"no checkpoint with a trainer_state.json under {out}")
    return checkpoints[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "logs")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--only", default=",".join(RUNS), help=f"comma list of runs ({', '.join(RUNS)})")
    parser.add_argument("--train-python", type=Path, default=ROOT / ".toolenvs" / "train" / "bin" / "python")
    parser.add_argument("--ftguide-python", type=Path, default=ROOT / ".venv" / "bin" / "python")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        parser.error(f"unknown run(s) {', '.join(unknown)}; runs: {', '.join(RUNS)}")

    work = args.work or Path(tempfile.mkdtemp(prefix="ftguide-logs-"))
    work.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    train_py, ftguide_py = str(args.train_python), str(args.ftguide_python)

    # Relative paths from here on, so no scratch path ends up in a committed file.
    _run([train_py, str(TOOLS / "make_tiny_model.py"), "model", "--family", "llama"], work, capture_output=True)
    _run([train_py, "-c", SCALE_HEAD, "model"], work, capture_output=True)

    summary = {}
    for name in names:
        rows, suggest_flags, script_flags, keep_console = RUNS[name]
        data = f"data{rows}"
        if not (work / data).exists():
            _run([sys.executable, str(TOOLS / "make_datasets.py"), data, "--n", str(rows)], work, capture_output=True)
        rendered = _run(
            [ftguide_py, "-m", "ftguide", "suggest", "--examples", "40", "--model", "./model", "--emit", "peft",
             "--quant", "none", "--dataset-format", "text", *suggest_flags],
            work,
            capture_output=True,
        )  # fmt: skip
        script = work / f"train_{name}.py"
        script.write_text(rendered.stdout)
        out = f"out/{name}"
        shutil.rmtree(work / out, ignore_errors=True)
        done = _run(
            [train_py, script.name, "--dataset", f"{data}/text.jsonl", "--dataset-format", "text",
             "--output-dir", out, *script_flags],
            work,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        state = newest_state(work / out)
        shutil.copyfile(state, args.out / f"{name}_trainer_state.json")
        written = [f"{name}_trainer_state.json"]
        if keep_console:
            (args.out / f"{name}.log").write_text(trim_console(done.stdout))
            written.append(f"{name}.log")
        if name in SAMPLED:
            generated = _run(
                [train_py, "-c", GENERATE, "model", out, json.dumps(PROMPTS)], work, capture_output=True
            ).stdout
            samples = json.loads(generated.strip().splitlines()[-1])
            path = args.out / f"{name}_samples.json"
            path.write_text(json.dumps({"prompts": PROMPTS, "samples": samples}, indent=2) + "\n")
            written.append(path.name)
        summary[name] = {"state": str(state.relative_to(work)), "written": written}
        print(f"{name}: {', '.join(written)}", file=sys.stderr)
    print(json.dumps({"work": str(work), "runs": summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
