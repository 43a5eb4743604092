#!/usr/bin/env python3
"""What a rendered PEFT / Unsloth script hands TRL: its sequences and labels, after TRL's own preparation.

Run with the ``train`` tool env's python::

    .toolenvs/train/bin/python tests/tools/script_rows.py CELLS.json

``CELLS.json`` is a list of ``{"id", "script", "argv", "cwd"}``. Each script runs as ``python SCRIPT ARGV...``
would (``runpy``, ``__name__ == "__main__"``) until it calls ``SFTTrainer.train``: that call is replaced by
one that records the trainer's prepared ``train_dataset`` and ``eval_dataset`` (``input_ids`` and ``labels``,
after TRL's truncation, label handling and packing) and stops the script. A cell with ``"train": true`` runs
to the end instead, training for real (one interpreter pays for the imports once). The script's own stdout
(its dataset summary) is kept. Prints one JSON object: ``{id: {"train": [...], "eval": [...], "stdout": str,
"error": str | null}}`` where each example is ``{"input_ids", "labels"}``.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import runpy
import sys
import traceback
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")


class Captured(Exception):
    """Raised from the replaced ``SFTTrainer.train`` to stop the script once its data is recorded."""


def rows(dataset) -> list[dict]:
    if dataset is None:
        return []
    return [{"input_ids": list(r["input_ids"]), "labels": list(r["labels"])} for r in dataset]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    cells = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    import trl

    seen: dict[str, list[dict]] = {}
    real_train = trl.SFTTrainer.train
    training = {"real": False}

    def capture(self, *args, **kwargs):
        seen["train"] = rows(self.train_dataset)
        seen["eval"] = rows(self.eval_dataset)
        if training["real"]:
            return real_train(self, *args, **kwargs)
        raise Captured

    trl.SFTTrainer.train = capture
    results = {}
    for cell in cells:
        seen.clear()
        out = io.StringIO()
        saved_argv, saved_cwd = sys.argv, os.getcwd()
        error = None
        training["real"] = bool(cell.get("train"))
        try:
            os.chdir(cell["cwd"])
            sys.argv = [cell["script"], *cell["argv"]]
            with contextlib.redirect_stdout(out):
                runpy.run_path(cell["script"], run_name="__main__")
            if not training["real"]:
                error = "the script never called SFTTrainer.train"
        except Captured:
            pass
        except BaseException as exc:  # report the cell, go on with the next
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = "".join(traceback.format_exception(exc)[-6:])[-3000:]
        finally:
            sys.argv = saved_argv
            os.chdir(saved_cwd)
        results[cell["id"]] = {**seen, "stdout": out.getvalue(), "error": error}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
