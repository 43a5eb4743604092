"""Regenerate every example: ``python examples/regenerate.py`` (``--check`` only compares).

Each scenario folder holds the command, its ``suggest --format json`` document and the three rendered files,
produced by the real CLI so that they are exactly what a user gets.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

SCENARIOS: dict[str, str] = {
    "small-7b-8gb": "--examples 300 --model 7B --vram 8",
    "medium-7b-12gb": "--examples 800 --model 7B --vram 12",
    "medium-8b-rtx4090-chat": (
        "--examples 3000 --model meta-llama/Llama-3.1-8B --gpu RTX-4090 --dataset-format messages"
    ),
    "large-13b-40gb": "--examples 20000 --model 13B --vram 40",
    "large-70b-a100-80gb": "--examples 50000 --model 70B --gpu A100-80GB",
    "medium-7b-t4-fp16": "--examples 1500 --model Qwen/Qwen2.5-7B-Instruct --gpu T4 --dataset-format prompt_completion",
}
#: Multi-GPU scenarios write several files per target (the engine's config beside the main file).
MULTI_GPU: dict[str, str] = {
    "large-70b-4xa100-fsdp": "--examples 20000 --model 70B --gpu A100-80GB --gpus 4",
}
FILES = {"axolotl": "axolotl.yaml", "peft": "train.py", "unsloth": "train_unsloth.py"}


def ftguide(args: list[str]) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-m", "ftguide", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"ftguide {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def expected() -> dict[Path, str]:
    out: dict[Path, str] = {}
    for name, flags in SCENARIOS.items():
        args = shlex.split(flags)
        folder = HERE / name
        out[folder / "command.txt"] = f"ftguide suggest {flags}\n"
        out[folder / "suggest.json"] = ftguide(["suggest", *args, "--format", "json"])
        for target, filename in FILES.items():
            out[folder / filename] = ftguide(["suggest", *args, "--emit", target])
    for name, flags in MULTI_GPU.items():
        args = shlex.split(flags)
        folder = HERE / name
        out[folder / "command.txt"] = f"ftguide suggest {flags}\n"
        out[folder / "suggest.json"] = ftguide(["suggest", *args, "--format", "json"])
        for target in ("axolotl", "peft"):
            with tempfile.TemporaryDirectory() as tmp:
                ftguide(["--quiet", "suggest", *args, "--emit", target, "-o", f"{tmp}/{target}/", "--format", "json"])
                for path in sorted(Path(tmp, target).iterdir()):
                    out[folder / target / path.name] = path.read_text(encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if any example is stale")
    args = parser.parse_args()
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    verb = "stale" if args.check else "rewritten"
    for path in stale:
        print(f"{verb}: {path.relative_to(ROOT)}", file=sys.stderr)
    if args.check and stale:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
