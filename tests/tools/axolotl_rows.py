#!/usr/bin/env python3
"""What Axolotl trains from an Axolotl YAML: its rows, tokens and labels, through Axolotl's own prompt strategies.

Run with the ``axolotl`` tool env's python (offline; the tokenizer is the YAML's ``base_model``, a local folder)::

    .toolenvs/axolotl/bin/python tests/tools/axolotl_rows.py [--gpu-caps JSON] \\
        [--templates CHAT_TEMPLATES.py --tokenizer DIR] CONFIG.yaml ... > rows.json

For each file: ``validate_config`` + ``normalize_config`` (as ``axolotl train`` does), the tokenizer from
``base_model`` (``AutoTokenizer``; its chat template replaced by the config's ``chat_template`` as Axolotl's
tokenizer loader does), the first ``datasets`` entry loaded with ``datasets.load_dataset(ds_type,
data_files=path)`` (Axolotl's loader for a local file), then every row through the prompt strategy Axolotl
picks for the entry (``axolotl.prompt_strategies.load``; ``user_defined`` for a ``type:`` mapping), in
batches when the strategy supports them, as ``TokenizedPromptDataset`` runs it. Then the two filters that
decide the row count: rows longer than ``sequence_len`` cut to it (``excess_length_strategy: truncate``,
``handle_long_seq_in_dataset``) and rows left without a trained label dropped
(``drop_no_trainable_tokens`` in ``process_datasets_for_packing``). Axolotl's data package imports numba
and its tokenizer loader telemetry packages this env lacks, so those two filters are restated here.

Each file is also validated as ``axolotl_validate.py`` validates it (``"validation"``: its result, with
``--gpu-caps`` as there). ``--templates`` names a Python file defining ``CHAT_TEMPLATES`` (name -> Jinja
text, ftguide's ``templates/_chat_templates.py``): each is rendered with the ``--tokenizer`` beside Axolotl's
template of the same name, for a set of plain conversations, with and without the generation prompt.

Output (stdout, one JSON object)::

    {"results": [{"file", "rows": N loaded, "sequences": after tokenizing, "dropped": untrained,
                  "chat_template": text or null, "examples": [{"input_ids", "labels"}, ...], "validation"}],
     "templates": {name: {"cases": N, "rendered": N without an exception,
                          "differences": [{"case", "ours", "axolotl"}]}}}

A file that fails gets ``"error"``. Exit 0 unless the usage is wrong (2).
"""

from __future__ import annotations

import json
import os
import sys
import traceback

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("AXOLOTL_DO_NOT_TRACK", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")


def rows_of(path: str) -> dict:
    import yaml
    from axolotl.prompt_strategies import load
    from axolotl.utils.chat_templates import get_chat_template_from_config
    from axolotl.utils.config import normalize_config, validate_config
    from axolotl.utils.dict import DictDefault
    from datasets import load_dataset
    from transformers import AutoTokenizer

    with open(path, encoding="utf-8") as f:
        cfg = validate_config(DictDefault(yaml.safe_load(f)))
    normalize_config(cfg)
    tokenizer = AutoTokenizer.from_pretrained(cfg.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if cfg.chat_template:  # axolotl.loaders.tokenizer.load_tokenizer does this
        tokenizer.chat_template = get_chat_template_from_config(cfg=cfg, tokenizer=tokenizer)
    entry = cfg.datasets[0]
    raw = load_dataset(entry.ds_type or "json", data_files=entry.path, split="train")
    if isinstance(entry.type, DictDefault):
        strategy = load("user_defined", tokenizer, cfg, entry.type.to_dict())
    else:
        strategy = load(entry.type, tokenizer, cfg, entry)
    if strategy is None:
        raise ValueError(f"no Axolotl prompt strategy for type {entry.type!r}")
    examples = []
    columns = raw.column_names
    if getattr(strategy, "supports_batched", False):
        for start in range(0, len(raw), 64):
            batch = raw[start : start + 64]
            out = strategy.tokenize_prompt({k: batch[k] for k in columns})
            examples += [{"input_ids": i, "labels": la} for i, la in zip(out["input_ids"], out["labels"], strict=True)]
    else:
        for row in raw:
            out = strategy.tokenize_prompt(row)
            examples.append({"input_ids": list(out["input_ids"]), "labels": list(out["labels"])})
    limit = cfg.sequence_len
    if (cfg.excess_length_strategy or "drop") == "truncate":
        examples = [{k: v[:limit] for k, v in e.items()} for e in examples]
    else:
        examples = [e for e in examples if 2 <= len(e["input_ids"]) <= limit]
    kept = [e for e in examples if any(label != -100 for label in e["labels"])]
    return {
        "file": path,
        "rows": len(raw),
        "sequences": len(examples),
        "dropped": len(examples) - len(kept),
        "chat_template": tokenizer.chat_template,
        "examples": kept,
    }


CONVERSATIONS = [
    [{"role": "user", "content": "What is 2 plus 2 ?"}, {"role": "assistant", "content": "The answer is 4 ."}],
    [
        {"role": "system", "content": "You are a helpful assistant ."},
        {"role": "user", "content": "What is 2 plus 2 ?"},
        {"role": "assistant", "content": "The answer is 4 ."},
    ],
    [
        {"role": "user", "content": " Say hi . "},
        {"role": "assistant", "content": "\nhi .\n"},
        {"role": "user", "content": "Again ?"},
        {"role": "assistant", "content": "hi again ."},
    ],
    [
        {"role": "system", "content": "Be short ."},
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": "two"},
        {"role": "user", "content": "three"},
    ],
    [{"role": "user", "content": "Think ?"}, {"role": "assistant", "content": "<think>\nhmm\n</think>\n\nyes ."}],
    [{"role": "assistant", "content": "I start ."}, {"role": "user", "content": "ok"}],
]


def compare_templates(ours_file: str, tokenizer_dir: str) -> dict:
    """Our text and Axolotl's for each name, on every conversation and prefix, with and without the prompt."""
    from axolotl.utils.chat_templates import get_chat_template
    from transformers import AutoTokenizer

    namespace: dict = {}
    with open(ours_file, encoding="utf-8") as f:
        exec(compile(f.read(), ours_file, "exec"), namespace)  # the templates file is plain data
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)

    def render(template: str, turns: list[dict], prompt: bool) -> str:
        try:
            return tokenizer.apply_chat_template(turns, chat_template=template, tokenize=False,
                                                 add_generation_prompt=prompt)  # fmt: skip
        except Exception as exc:  # a template that refuses the conversation must refuse it in both
            return f"<raises {type(exc).__name__}>"

    report = {}
    for name, ours in namespace["CHAT_TEMPLATES"].items():
        theirs = get_chat_template(name)
        cases, rendered, differences = 0, 0, []
        for i, turns in enumerate(CONVERSATIONS):
            for end in range(1, len(turns) + 1):
                for prompt in (False, True):
                    cases += 1
                    a, b = render(ours, turns[:end], prompt), render(theirs, turns[:end], prompt)
                    rendered += not a.startswith("<raises ")
                    if a != b:
                        differences.append({"case": f"{i}[:{end}] prompt={prompt}", "ours": a, "axolotl": b})
        report[name] = {"cases": cases, "rendered": rendered, "differences": differences}
    return report


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--gpu-caps", default=None, help="JSON object: emulated GPU capabilities")
    parser.add_argument("--templates", default=None, help="a Python file defining CHAT_TEMPLATES")
    parser.add_argument("--tokenizer", default=None, help="tokenizer folder for --templates")
    args = parser.parse_args(argv)
    if not args.files and not args.templates:
        parser.error("give YAML files or --templates")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    payload: dict = {"results": []}
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # Axolotl's chatter must not reach the JSON
    try:
        import axolotl_validate
        import torch
        from axolotl.utils.schemas.internal import GPUCapabilities

        models = axolotl_validate._Models()
        caps = env_caps = None
        if args.gpu_caps:
            caps = GPUCapabilities(**json.loads(args.gpu_caps)).model_dump()
            env_caps = {"torch_version": str(torch.__version__).split("+", 1)[0]}
        for path in args.files:
            try:
                result = rows_of(path)
            except Exception as exc:  # report the file, go on with the next
                result = {"file": path, "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
            from pathlib import Path

            result["validation"] = axolotl_validate.validate_file(Path(path), models, caps, env_caps)
            payload["results"].append(result)
        if args.templates:
            payload["templates"] = compare_templates(args.templates, args.tokenizer)
    finally:
        sys.stdout = real_stdout
    print(json.dumps(payload))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
