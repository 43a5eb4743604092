"""The same training on every target: one dataset reader, the same loss mask, chat template, EOS and packing.

* The reader (``templates/_rows.py``) is rendered verbatim into both scripts, and ftguide's ``--dataset`` and
  the script's reader give the same verdicts, line numbers and skips.
* The rendered PEFT script trains on CPU on a file with a malformed line, a row of another format, a
  conversation without an assistant turn and an empty assistant turn, and lists the same bad rows as
  ``ftguide suggest --dataset``; Axolotl's validator passes the config, and Axolotl's own prompt strategies
  read the same row count from the ``--clean-dataset`` file.
* Token for token, the sequences and labels the PEFT script hands TRL (after TRL's preparation) are the
  sequences and labels Axolotl's prompt strategies build from the rendered YAML: every layout, both
  ``--train-on`` values; ftguide's chat templates render as Axolotl's of the same name.
* ``--packing``: TRL's packed sequences never exceed max_seq_length, keep every trained token, and number no
  more than the schedule counted.
"""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, run_cli
from test_integration import AXOLOTL_PY, TOOLS, TRAIN_PY, need, tool

from ftguide.dataset import read_dataset, rows, write_clean
from ftguide.emit import emit_bundle
from ftguide.engine import memory_path, suggest
from ftguide.models import Overrides, Request
from ftguide.render import environment, render

TEMPLATES = ROOT / "templates"
CAPS = '{"bf16": true, "tf32": true, "n_gpu": 1, "compute_capability": "sm_86"}'
CHAT = ("messages", "sharegpt")


def _source(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _chat_templates_body() -> str:
    """``_chat_templates.py`` as a script carries it: the file less its Jinja raw-block markers."""
    text = _source("_chat_templates.py")
    assert text.count("{% raw %}") == 1 and text.count("{% endraw %}") == 1
    return text.replace("{% raw %}", "").replace("{% endraw %}", "")


# ------------------------------------------------------------------------------------------------ data


def conversations(seed: int = 0, n: int = 30) -> list[dict[str, Any]]:
    """Multi-turn chats in the tiny tokenizer's words: some with a system turn, some of one exchange."""
    rng = random.Random(seed)
    rows_out = []
    for i in range(n):
        turns = [{"role": "system", "content": "You are a helpful assistant ."}] if i % 3 == 0 else []
        for _ in range(1 + i % 3):
            a, b = rng.randint(0, 30), rng.randint(0, 30)
            turns.append({"role": "user", "content": f"What is {a} plus {b} ?"})
            turns.append({"role": "assistant", "content": f"The answer is {a + b} ."})
        rows_out.append({"messages": turns})
    return rows_out


def as_sharegpt(row: dict[str, Any]) -> dict[str, Any]:
    names = {"system": "system", "user": "human", "assistant": "gpt"}
    return {"conversations": [{"from": names[t["role"]], "value": t["content"]} for t in row["messages"]]}


def single_turn(layout: str, n: int = 24) -> list[dict[str, Any]]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        a, b = rng.randint(0, 30), rng.randint(0, 30)
        question, answer = f"What is {a} plus {b} ?", f"The answer is {a + b} ."
        if layout == "alpaca":
            out.append({"instruction": question, "input": "" if i % 2 else f"{a} and {b}", "output": answer})
        elif layout == "prompt_completion":
            out.append({"prompt": question + " ", "completion": answer})
        else:
            out.append({"text": (question + " " + answer + " ") * (1 + i % 40)})  # some longer than 256 tokens
    return out


def write_jsonl(path: Path, rows_in: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows_in), encoding="utf-8")
    return path


def bad_chat_file(path: Path) -> Path:
    """Good conversations with, at known lines, the bad rows of issue 14."""
    good = [json.dumps(r) for r in conversations(seed=2, n=24)]
    lines = good[:3]
    lines.append('{"messages": [{"role": "user", "content": "What is 1 plus 1 ?"}')  # 4: malformed JSON
    lines += good[3:6]
    lines.append(json.dumps({"text": "The answer is 2 ."}))  # 8: a row of another format
    lines.append(json.dumps({"messages": [{"role": "user", "content": "What is 1 plus 1 ?"}]}))  # 9: no answer
    lines += good[6:12]
    lines.append(json.dumps({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": " "}]}))
    lines += good[12:]  # 16: an empty assistant turn above
    lines.append(json.dumps({"messages": [{"role": "bob", "content": "hi"}, {"role": "assistant", "content": "x"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


BAD_LINES = {
    4: "invalid JSON",
    8: "a text row; the dataset's format is messages",
    9: "has no assistant turn",
    16: "is an empty assistant turn",
    29: "messages[0].role is 'bob'",
}


# ------------------------------------------------------------------------------- one reader, one verdict


@pytest.mark.parametrize("layout", ["messages", "alpaca"])
def test_the_reader_is_rendered_verbatim_into_both_scripts(layout: str) -> None:
    profile = suggest(Request(examples=800, model="7B", vram_gib=24, dataset_format=layout)).profile
    reader = _source("_rows.py")
    for target in ("peft", "unsloth"):
        script = render(profile, target)
        ast.parse(script)
        assert reader in script, target
        assert _chat_templates_body() in script, target  # --dataset-format may name a chat layout at run time
    # The reader holds no Jinja syntax: rendered alone, it is itself.
    assert environment().get_template("_rows.py").render() == reader


def test_rendered_scripts_name_nothing_undefined(tmp_path: Path) -> None:
    """Every function the data path can reach is in every script: --dataset-format may change the layout."""
    files = []
    for layout in ("alpaca", "messages", "sharegpt", "prompt_completion", "text"):
        profile = suggest(Request(examples=800, model="7B", vram_gib=24, dataset_format=layout)).profile
        for target in ("peft", "unsloth"):
            path = tmp_path / f"{target}_{layout}.py"
            path.write_text(render(profile, target), encoding="utf-8")
            files.append(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", "--select", "F821,F822,F823", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def mixed_rows() -> list[bytes]:
    good = [json.dumps(r).encode() for r in conversations(n=6)]
    return [
        good[0],
        b'{"messages": [',  # malformed
        good[1],
        json.dumps({"instruction": "x", "output": "y"}).encode(),  # another layout
        json.dumps({"messages": [{"role": "user", "content": "q"}]}).encode(),  # no assistant turn
        good[2],
        b"",  # blank: skipped, still counted as a line
        json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "gpt", "content": ""}]}).encode(),
        json.dumps({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": 3}]}).encode(),
        good[3],
        b"[1]",
        good[4],
    ]


@pytest.mark.parametrize("kind", ["jsonl", "json", "csv"])
def test_ftguide_and_the_script_reader_judge_every_row_alike(tmp_path: Path, kind: str) -> None:
    lines = mixed_rows()
    if kind == "jsonl":
        path = tmp_path / "train.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
    elif kind == "json":
        path = tmp_path / "train.json"
        parsed = []
        for line in lines:
            try:
                parsed.append(json.loads(line))
            except ValueError:
                parsed.append(line.decode())  # a string row: bad in both readers
        path.write_text(json.dumps({"data": parsed}), encoding="utf-8")
    else:
        import csv

        path = tmp_path / "train.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["messages", "output"])
            for line in lines:
                try:
                    value = json.loads(line)
                except ValueError:
                    writer.writerow([line.decode(), ""])
                    continue
                if isinstance(value, dict) and "messages" in value:
                    writer.writerow([json.dumps(value["messages"]), ""])
                else:
                    writer.writerow(["", json.dumps(value)])
    stats = read_dataset(str(path), progress=False)
    reader = rows.Examples(str(path), stats.format)
    kept = list(reader.examples())
    assert stats.format == "messages"
    assert reader.kept == len(kept) == stats.examples >= 4
    assert reader.bad == stats.bad_rows >= 4
    assert reader.samples == [(b.line, b.reason) for b in stats.bad_row_samples]
    reasons = " | ".join(b.reason for b in stats.bad_row_samples)
    assert "no assistant turn" in reasons and "empty assistant turn" in reasons
    assert all(turn["role"] in ("system", "user", "assistant") for row in kept for turn in row["messages"])


def test_the_summary_lists_each_skipped_row(tmp_path: Path) -> None:
    path = bad_chat_file(tmp_path / "chat.jsonl")
    reader = rows.Examples(str(path), "messages", max_samples=3)
    assert sum(1 for _ in reader.examples()) == reader.kept
    text = reader.summary()
    assert text.splitlines()[0] == f"{path}: {reader.kept} examples (messages); 5 bad rows skipped"
    assert [line.split(":")[0].strip() for line in text.splitlines()[1:4]] == ["line 4", "line 8", "line 9"]
    assert text.splitlines()[-1] == "  ... and 2 more"


def test_clean_dataset_writes_the_rows_ftguide_counts(tmp_path: Path) -> None:
    source = bad_chat_file(tmp_path / "chat.jsonl")
    clean = tmp_path / "clean.jsonl"
    args = ("suggest", "--model", "7B", "--vram", "24", "--dataset", str(source), "--clean-dataset", str(clean))
    done = run_cli(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["profile"]["dataset_path"] == str(clean)
    written = [json.loads(line) for line in clean.read_text(encoding="utf-8").splitlines()]
    assert len(written) == doc["inputs"]["examples"] == doc["inputs"]["dataset_stats"]["examples"] == 24
    assert all(rows.classify(row)[0] == "messages" for row in written)
    assert read_dataset(str(clean), progress=False).bad_rows == 0
    again = run_cli(*args)
    assert again.returncode == 2 and "exists (use --force" in again.stderr
    same = run_cli("suggest", "--model", "7B", "--dataset", str(source), "--clean-dataset", str(source), "--force")
    assert same.returncode == 2 and "is the --dataset file itself" in same.stderr


def test_the_axolotl_config_states_the_same_loss_and_packing() -> None:
    """The keys that decide Axolotl's mask and packing follow the profile (the runs below check the effect)."""
    for train_on in ("responses", "all"):
        for packing in (False, True):
            overrides = {"train_on": train_on, "packing": packing}
            request = Request(examples=800, model="7B", vram_gib=24, dataset_format="messages", overrides=overrides)
            profile = suggest(request).profile
            doc = yaml.safe_load(render(profile, "axolotl"))
            entry = doc["datasets"][0]
            assert (entry["roles_to_train"], entry["train_on_eos"]) == (["assistant"], "turn")
            assert doc["train_on_inputs"] is (train_on == "all")
            assert doc["sample_packing"] is packing
            assert doc.get("eval_sample_packing", False) is False
            assert doc["excess_length_strategy"] == "truncate"
            script = render(profile, "peft")
            assert f"'train_on': {train_on!r}" in script and f"'packing': {packing!r}" in script
    alpaca = yaml.safe_load(render(suggest(Request(examples=800, model="7B", vram_gib=24)).profile, "axolotl"))
    prompt = alpaca["datasets"][0]["type"]
    assert (prompt["format"], prompt["no_input_format"]) == (rows.ALPACA_PROMPT, rows.ALPACA_PROMPT_NO_INPUT)


# ------------------------------------------------------------------------------------ the real tools


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A tiny model, the data, the rendered files, and what TRL and Axolotl make of them (one process each)."""
    need(TRAIN_PY)
    need(AXOLOTL_PY)
    base = tmp_path_factory.mktemp("same")
    model = base / "model"
    done = tool(TRAIN_PY, str(TOOLS / "make_tiny_model.py"), str(model), "--family", "llama")
    assert done.returncode == 0, done.stderr[-3000:]
    data = {
        "messages": write_jsonl(base / "messages.jsonl", conversations()),
        "sharegpt": write_jsonl(base / "sharegpt.jsonl", [as_sharegpt(r) for r in conversations(seed=3)]),
        "alpaca": write_jsonl(base / "alpaca.jsonl", single_turn("alpaca")),
        "prompt_completion": write_jsonl(base / "prompt_completion.jsonl", single_turn("prompt_completion")),
        "text": write_jsonl(base / "text.jsonl", single_turn("text")),
    }
    bad = bad_chat_file(base / "bad.jsonl")
    clean = base / "clean.jsonl"
    cells, yamls, docs = [], [], {}
    plans = [(layout, "responses", False) for layout in data] + [(layout, "all", False) for layout in data]
    plans += [("messages", "responses", True), ("bad", "responses", False), ("chatml", "responses", False)]
    for layout, train_on, packing in plans:
        name = f"{layout}-{train_on}" + ("-packed" if packing else "")
        path = {"bad": bad, "chatml": data["messages"]}.get(layout) or data[layout]
        template = "chatml" if layout == "chatml" else None
        out = base / name
        docs[name] = emit(path, model, "peft", out, train_on=train_on, packing=packing, chat_template=template)
        cell = {"id": name, "script": str(out / "train.py"), "argv": ["--output-dir", "adapter"], "cwd": str(out)}
        cells.append(cell)
        if layout == "bad":
            assert write_clean(str(bad), str(clean), "messages") == docs[name]["inputs"]["examples"]
        ax = base / f"{name}-axolotl"
        emit(
            path,
            model,
            "axolotl",
            ax,
            train_on=train_on,
            packing=packing,
            rendered_path=clean if layout == "bad" else None,
            chat_template=template,
        )
        yamls.append(str(ax / "axolotl.yaml"))
    # The run of issue 14: the rendered script, started from its -o folder, trains 2 steps on the bad file.
    run = base / "bad-responses"
    argv = ["--output-dir", "out", "--max-steps", "2", "--eval-steps", "1"]
    cells.append({"id": "bad-trained", "script": str(run / "train.py"), "argv": argv, "cwd": str(run), "train": True})
    cells_file = base / "cells.json"
    cells_file.write_text(json.dumps(cells), encoding="utf-8")
    scripts = tool(TRAIN_PY, str(TOOLS / "script_rows.py"), str(cells_file), timeout=900)
    assert scripts.returncode == 0 and scripts.stdout.strip(), scripts.stderr[-3000:]
    axolotl = tool(
        AXOLOTL_PY,
        str(TOOLS / "axolotl_rows.py"),
        "--gpu-caps",
        CAPS,
        "--templates",
        str(TEMPLATES / "_chat_templates.py"),
        "--tokenizer",
        str(model),
        *yamls,
        timeout=900,
    )
    assert axolotl.returncode == 0 and axolotl.stdout.strip(), axolotl.stderr[-3000:]
    ax = json.loads(axolotl.stdout)
    return {
        "base": base,
        "model": model,
        "bad": bad,
        "docs": docs,
        "scripts": json.loads(scripts.stdout),
        "axolotl": {Path(r["file"]).parent.name.removesuffix("-axolotl"): r for r in ax["results"]},
        "templates": ax["templates"],
    }


def emit(
    path: Path,
    model: Path,
    target: str,
    out: Path,
    *,
    train_on: str,
    packing: bool,
    rendered_path: Path | None = None,
    chat_template: str | None = None,
) -> dict[str, Any]:
    """``ftguide suggest --model MODEL --quant none --dataset PATH --train-on T [--packing] --emit TARGET -o OUT/``,
    in process (the CLI only builds this request; its own tests run it as a subprocess)."""
    stats = read_dataset(str(path), progress=False)
    request = Request(
        examples=stats.examples,
        model=str(model),
        framework=memory_path(target, None),
        dataset_format=stats.format,
        dataset_path=str(rendered_path or path),
        dataset_stats=stats.model_dump(mode="json"),
        overrides=Overrides(quantization="none", train_on=train_on, packing=packing),
    )
    result = suggest(request)
    if chat_template is not None:  # as a catalog model's family template (CT001) would set it
        profile = result.profile.model_copy(update={"chat_template": chat_template})
        result = result.model_copy(update={"profile": profile})
    emit_bundle(result, target, f"{out}/", force=False)  # type: ignore[arg-type]
    return result.model_dump(mode="json")


def _examples(rows_in: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps([r["input_ids"], r["labels"]]) for r in rows_in)


@pytest.mark.integration
def test_every_target_trains_the_same_tokens_with_the_same_labels(world: dict[str, Any]) -> None:
    compared = 0
    for name, script in world["scripts"].items():
        if name.endswith("-packed") or name == "bad-trained":
            continue
        assert script["error"] is None, (name, script["error"])
        theirs = world["axolotl"][name]
        assert "error" not in theirs, (name, theirs.get("trace"))
        assert theirs["validation"]["ok"], (name, theirs["validation"])
        ours = script["train"] + script["eval"]
        assert _examples(ours) == _examples(theirs["examples"]), name
        compared += 1
        labels = [label for r in ours for label in r["labels"]]
        trained = sum(label != -100 for label in labels)
        layout = name.rsplit("-", 1)[0]
        if layout == "text" or (name.endswith("-all") and layout not in CHAT):
            assert trained == len(labels), name  # text, and prompt + response with --train-on all: every token
        else:
            assert 0 < trained < len(labels), name  # prompts (and a chat template's markup) stay masked
    assert compared == 12
    # A named template (what CT001 gives a catalog model) replaces the tokenizer's own in both targets alike.
    assert "<|im_start|>" in world["axolotl"]["chatml-responses"]["chat_template"]
    assert "chat template: chatml (instead of the tokenizer's own)" in world["scripts"]["chatml-responses"]["stdout"]


def _trained_spans(examples: list[dict[str, Any]], model: Path) -> list[str]:
    """Each run of consecutive trained tokens, as text (the tiny tokenizer is byte-level BPE on plain words)."""
    vocab = json.loads((model / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    token_of = {index: token for token, index in vocab.items()}
    token_of.update({3: "</s>", 2: "<s>"})
    spans = []
    for example in examples:
        run: list[str] = []
        for token, label in [*zip(example["input_ids"], example["labels"], strict=True), (None, -100)]:
            if label != -100:
                run.append(token_of[token].replace("Ġ", " ").replace("Ċ", "\n"))
            elif run:
                spans.append("".join(run))
                run = []
    return sorted(spans)


@pytest.mark.integration
def test_responses_train_each_assistant_turn_and_its_end_of_turn_token(world: dict[str, Any]) -> None:
    """On the tiny model's template (``role : content`` lines, ``</s>`` after each answer): the trained runs of
    tokens are exactly every assistant turn, not only the last, each with its ``</s>``, and nothing else."""
    script = world["scripts"]["messages-responses"]
    expected = sorted(
        " " + turn["content"] + "</s>"
        for row in conversations()
        for turn in row["messages"]
        if turn["role"] == "assistant"
    )
    assert _trained_spans(script["train"] + script["eval"], world["model"]) == expected
    everything = world["scripts"]["messages-all"]
    spans = _trained_spans(everything["train"] + everything["eval"], world["model"])
    assert len(spans) > len(expected) and any("What is" in span for span in spans)


@pytest.mark.integration
def test_ftguides_chat_templates_render_as_axolotls(world: dict[str, Any]) -> None:
    report = world["templates"]
    assert len(report) == 10
    for name, result in report.items():
        assert result["differences"] == [], (name, result["differences"][:2])
        assert result["rendered"] >= result["cases"] // 3, name  # most conversations render, none differs


@pytest.mark.integration
def test_the_peft_script_trains_on_bad_data_and_lists_the_rows_ftguide_skipped(world: dict[str, Any]) -> None:
    doc = world["docs"]["bad-responses"]
    stats = doc["inputs"]["dataset_stats"]
    assert [b["line"] for b in stats["bad_row_samples"]] == sorted(BAD_LINES)
    for sample in stats["bad_row_samples"]:
        assert BAD_LINES[sample["line"]] in sample["reason"]
    run = world["base"] / "bad-responses"
    done = world["scripts"]["bad-trained"]
    assert done["error"] is None, done["error"]
    printed = done["stdout"].splitlines()
    head = next(i for i, line in enumerate(printed) if "bad rows skipped" in line)
    assert printed[head].endswith(f"{stats['examples']} examples (messages); {stats['bad_rows']} bad rows skipped")
    listed = [line.strip() for line in printed[head + 1 : head + 1 + stats["bad_rows"]]]
    assert listed == [f"line {b['line']}: {b['reason']}" for b in stats["bad_row_samples"]]
    assert "steps 2;" in done["stdout"]
    assert (run / "out" / "adapter_model.safetensors").exists()
    # Axolotl, pointed at the --clean-dataset file, reads the same rows and trains every one of them.
    axolotl = world["axolotl"]["bad-responses"]
    assert axolotl["validation"]["ok"], axolotl["validation"]
    assert axolotl["rows"] == axolotl["sequences"] == stats["examples"] and axolotl["dropped"] == 0


@pytest.mark.integration
def test_packing_keeps_every_trained_token_within_the_memory_bound(world: dict[str, Any]) -> None:
    packed, plain = world["scripts"]["messages-responses-packed"], world["scripts"]["messages-responses"]
    assert packed["error"] is None, packed["error"]
    doc = world["docs"]["messages-responses-packed"]
    length, batch = doc["profile"]["max_seq_length"], doc["profile"]["batch_size"]
    sizes = [len(r["input_ids"]) for r in packed["train"]]
    assert max(sizes) <= length  # a micro-batch holds at most batch_size x max_seq_length tokens
    assert len(sizes) < len(plain["train"])
    assert sum(sizes) == sum(len(r["input_ids"]) for r in plain["train"])
    assert sum(label != -100 for r in packed["train"] for label in r["labels"]) == sum(
        label != -100 for r in plain["train"] for label in r["labels"]
    )
    counted = doc["schedule"]["packed_sequences"]
    assert len(sizes) <= counted  # the schedule's count (32 template tokens per example) is an upper bound
    assert doc["schedule"]["total_steps"] < world["docs"]["messages-responses"]["schedule"]["total_steps"]
    assert batch * length >= max(sizes)
    assert "packing on" in packed["stdout"]
    ax = world["axolotl"]["messages-responses-packed"]
    assert ax["validation"]["ok"], ax["validation"]


def test_unpacked_tokens_follow_the_data(tmp_path: Path) -> None:
    """--dataset: the schedule's tokens are the measured lengths, not every example at max_seq_length."""
    path = write_jsonl(tmp_path / "chat.jsonl", conversations(n=300))
    done = run_cli("suggest", "--model", "7B", "--vram", "24", "--dataset", str(path), "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    plan, profile = doc["schedule"], doc["profile"]
    upper = plan["total_steps"] * profile["effective_batch_size"] * profile["max_seq_length"]
    assert 0 < plan["tokens"] < upper / 2
    assert any("measured by --dataset" in a for a in plan["assumptions"])
    packed = json.loads(run_cli("suggest", "--model", "7B", "--vram", "24", "--dataset", str(path), "--packing",
                                "--format", "json").stdout)  # fmt: skip
    assert packed["schedule"]["packed_sequences"] < plan["train_examples"]
    assert packed["schedule"]["estimated_hours"]["expected"] <= plan["estimated_hours"]["expected"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", __file__, "-q"]))
