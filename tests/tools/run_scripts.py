#!/usr/bin/env python3
"""Run several rendered training scripts one after another in ONE interpreter (the family matrix's runner).

Run with the ``train`` tool env's python::

    .toolenvs/train/bin/python tests/tools/run_scripts.py CELLS.json

``CELLS.json`` is a list of ``{"id": str, "script": path, "argv": [str, ...], "cwd": path}``. Each script
runs as ``python SCRIPT ARGV...`` would (``runpy.run_path`` with ``__name__ == "__main__"``, ``sys.argv``
set, the working directory changed), its Python-level stdout and stderr written to ``CWD/log.txt``. Why
one interpreter: importing torch, transformers, PEFT, TRL and datasets costs several seconds per process
on a 2-core CI box, more than a 2-step CPU run of a tiny model; paying it once keeps the matrix fast. The
scripts themselves are the rendered files, unchanged.

Prints one JSON object on stdout: ``{id: {"rc": int, "seconds": float, "error": str | null}}``; ``rc`` is 0
when the script returned normally (or exited 0), ``error`` the last lines of the traceback otherwise.
Exits 0 whatever the scripts did (the caller judges the cells); 2 on bad usage.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import runpy
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


def run_cell(cell: dict) -> dict:
    script, cwd = Path(cell["script"]).resolve(), Path(cell["cwd"]).resolve()
    cwd.mkdir(parents=True, exist_ok=True)
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    start = time.perf_counter()
    rc, error = 0, None
    with open(cwd / "log.txt", "w", encoding="utf-8") as log:
        try:
            os.chdir(cwd)
            sys.argv = [str(script), *cell["argv"]]
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                try:
                    runpy.run_path(str(script), run_name="__main__")
                except SystemExit as exc:
                    code = exc.code
                    rc = code if isinstance(code, int) else (0 if code is None else 1)
                    if rc:
                        error = f"SystemExit({code!r})"
                except BaseException as exc:  # the cell failed; the next one still runs
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    rc = 1
                    lines = traceback.format_exception(exc)
                    error = "".join(lines[-6:])[-3000:]
                    traceback.print_exc()
        finally:
            sys.argv = saved_argv
            os.chdir(saved_cwd)
    gc.collect()
    return {"rc": rc, "seconds": round(time.perf_counter() - start, 2), "error": error}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    cells = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    # Import the stack once, before the first cell, so no cell pays for it.
    import datasets  # noqa: F401
    import peft  # noqa: F401
    import torch
    import transformers  # noqa: F401
    import trl  # noqa: F401

    torch.set_num_threads(max(1, int(os.environ.get("FTGUIDE_CELL_THREADS", "1"))))
    with contextlib.suppress(ImportError):
        # On a CPU with AVX512-BF16, bitsandbytes 0.50.2 repacks a 4-bit weight used in eval mode without grad (an
        # MoE router, Qwen2-MoE's shared-expert gate) into a CPU layout that needs out_features divisible by 32,
        # which the tiny models' 4-expert routers and 1-wide gates are not ("N must be divisible by block_n").
        # That CPU-only path never runs on a GPU; keep the cells on bitsandbytes' portable CPU kernel.
        import bitsandbytes.nn.modules as bnb_modules

        bnb_modules.has_avx512bf16 = lambda: False  # type: ignore[attr-defined]
    results = {cell["id"]: run_cell(cell) for cell in cells}
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
