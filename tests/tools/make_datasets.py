#!/usr/bin/env python3
"""Write small JSONL datasets in every format the rendered training files may read (stdlib only).

    python3 tests/tools/make_datasets.py OUT_DIR [--n 24] [--seed 0]

Files written to OUT_DIR (``--n`` rows each, deterministic for a given seed):

* ``alpaca.jsonl``            {"instruction", "input", "output"} (about a third of the rows have input "")
* ``messages.jsonl``          {"messages": [{"role": "system"|"user"|"assistant", "content"}, ...]}
* ``prompt_completion.jsonl`` {"prompt", "completion"} (completion starts with a space)
* ``text.jsonl``              {"text"}
* ``sharegpt.jsonl``          {"conversations": [{"from": "system"|"human"|"gpt", "value"}, ...]}

Every string uses only words of the tiny tokenizer's vocabulary (``words.py``), so a model made by
``make_tiny_model.py`` never sees ``<unk>``; the script asserts this before writing. Prints a JSON summary
(file name -> row count) on stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from words import unknown_words

SYSTEM_PROMPTS = ["You are a helpful assistant .", "Answer the question .", "Be short and helpful ."]
THINGS = ["cat", "dog", "bird", "fish", "cow", "sun", "moon", "star", "tree", "river", "sea", "sky"]
COLOURS = ["red", "blue", "green", "yellow", "black", "white"]
ADJ = ["small", "big", "happy", "sad", "warm", "cold", "fast", "slow", "old", "new", "good"]
VERBS = ["runs", "sits", "sleeps", "flies", "swims", "shines", "grows"]
PLACES = ["on the road", "in the house", "under the tree", "near the river", "by the sea", "in the sky"]


def _sentence(rng: random.Random) -> str:
    return f"The {rng.choice(ADJ)} {rng.choice(THINGS)} {rng.choice(VERBS)} {rng.choice(PLACES)} ."


def _qa(rng: random.Random) -> tuple[str, str, str, str]:
    """(instruction, input, question, answer) for one example."""
    kind = rng.randrange(3)
    if kind == 0:
        a, b = rng.randint(0, 20), rng.randint(0, 20)
        return "Add the two numbers .", f"{a} and {b}", f"What is {a} plus {b} ?", f"The answer is {a + b} ."
    if kind == 1:
        a = rng.randint(0, 40)
        b = rng.randint(0, a)
        return (
            "Subtract the second number from the first .",
            f"{a} and {b}",
            f"What is {a} minus {b} ?",
            f"The answer is {a - b} .",
        )
    thing = rng.choice(THINGS)
    return (
        f"Write a short sentence about a {thing} .",
        "",
        f"Describe a {thing} .",
        f"The {rng.choice(COLOURS)} {thing} is {rng.choice(ADJ)} and {rng.choice(VERBS)} {rng.choice(PLACES)} .",
    )


def make_rows(n: int, seed: int) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    files: dict[str, list[dict]] = {k: [] for k in ("alpaca", "messages", "prompt_completion", "text", "sharegpt")}
    for i in range(n):
        instruction, inp, question, answer = _qa(rng)
        files["alpaca"].append({"instruction": instruction, "input": inp, "output": answer})
        files["prompt_completion"].append({"prompt": question, "completion": " " + answer})
        files["text"].append({"text": f"{question} {answer}" if i % 2 else f"{_sentence(rng)} {_sentence(rng)}"})

        turns = [("user", question), ("assistant", answer)]
        if i % 3 == 2:  # some multi-turn conversations
            _, _, q2, a2 = _qa(rng)
            turns += [("user", q2), ("assistant", a2)]
        system = SYSTEM_PROMPTS[i % len(SYSTEM_PROMPTS)] if i % 4 == 0 else None
        msgs = ([{"role": "system", "content": system}] if system else []) + [
            {"role": r, "content": c} for r, c in turns
        ]
        files["messages"].append({"messages": msgs})
        to_from = {"system": "system", "user": "human", "assistant": "gpt"}
        files["sharegpt"].append({"conversations": [{"from": to_from[m["role"]], "value": m["content"]} for m in msgs]})
    return files


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=24, help="rows per file (default 24)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be >= 1")

    files = make_rows(args.n, args.seed)
    bad = sorted({w for rows in files.values() for s in _strings(rows) for w in unknown_words(s)})
    if bad:  # a bug in this script or in words.py, never in the caller's input
        raise SystemExit(f"dataset words missing from the vocabulary: {bad}")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, rows in files.items():
        path = args.out_dir / f"{name}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        summary[path.name] = len(rows)
    print(json.dumps({"out_dir": str(args.out_dir.resolve()), "rows": summary}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
