"""``--dataset``: every file format and row layout, bad rows with their lines, lengths and the max_seq_length."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from ftguide.dataset import BadRow, DatasetStats, LengthStats, read_dataset, rows
from ftguide.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TRAIN_PYTHON = ROOT / ".toolenvs" / "train" / "bin" / "python"

ALPACA = {"instruction": "Add the numbers.", "input": "1 and 2", "output": "3"}  # 26 characters joined
MESSAGES = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}
SHAREGPT = {"conversations": [{"from": "human", "value": "hi"}, {"from": "gpt", "value": "hello"}]}
PROMPT_COMPLETION = {"prompt": "Say hi:", "completion": " hi"}
TEXT = {"text": "The cat sits."}

# One row of each layout and the characters of the text the model trains on.
LAYOUTS = [
    ("alpaca", ALPACA, len("Add the numbers.\n1 and 2\n3")),
    ("alpaca", {"instruction": "Say hi.", "output": "hi"}, len("Say hi.\nhi")),
    ("alpaca", {"instruction": "Say hi.", "input": None, "output": "hi"}, len("Say hi.\nhi")),
    ("alpaca", {"instruction": "Say hi.", "input": "", "output": "hi"}, len("Say hi.\nhi")),
    ("messages", MESSAGES, len("hi\nhello")),
    ("sharegpt", SHAREGPT, len("hi\nhello")),
    ("prompt_completion", PROMPT_COMPLETION, len("Say hi: hi")),
    ("text", TEXT, len("The cat sits.")),
]


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def text_rows(*lengths: int) -> list[dict[str, str]]:
    return [{"text": "x" * n} for n in lengths]


def read(path: Path, **kwargs: Any) -> DatasetStats:
    return read_dataset(str(path), progress=False, **kwargs)


# --- layouts and file formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(("layout", "row", "chars"), LAYOUTS)
def test_each_layout_in_jsonl(tmp_path: Path, layout: str, row: dict[str, Any], chars: int) -> None:
    stats = read(write_jsonl(tmp_path / "train.jsonl", [row, row, row]))
    assert stats.format == layout
    assert stats.examples == 3
    assert stats.format_counts == {layout: 3}
    assert stats.bad_rows == 0
    assert stats.bad_row_samples == []
    assert stats.chars == LengthStats(min=chars, median=chars, p95=chars, max=chars)
    approx = -(-chars // 4)
    assert stats.tokens == LengthStats(min=approx, median=approx, p95=approx, max=approx)
    assert stats.tokens_exact is False
    assert stats.path == str(tmp_path / "train.jsonl")


@pytest.mark.parametrize(("layout", "row", "chars"), LAYOUTS)
def test_each_layout_in_a_json_list(tmp_path: Path, layout: str, row: dict[str, Any], chars: int) -> None:
    path = tmp_path / "train.json"
    path.write_text(json.dumps([row, row]), encoding="utf-8")
    stats = read(path)
    assert (stats.format, stats.examples, stats.chars.max) == (layout, 2, chars)


@pytest.mark.parametrize("document", [{"data": [ALPACA] * 4}, {"version": 2, "train": [ALPACA] * 4}])
def test_json_object_holding_one_list(tmp_path: Path, document: dict[str, Any]) -> None:
    path = tmp_path / "train.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    stats = read(path)
    assert (stats.format, stats.examples) == ("alpaca", 4)


def test_json_bad_rows_are_numbered_by_index(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    path.write_text(json.dumps({"data": [ALPACA, "oops", ALPACA, {"instruction": "x"}]}), encoding="utf-8")
    stats = read(path)
    assert stats.examples == 2
    assert stats.bad_row_samples == [
        BadRow(line=1, reason="row is a string, not an object"),
        BadRow(line=3, reason="missing 'output'"),
    ]


def test_json_file_holding_jsonl_is_streamed_as_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    path.write_text(json.dumps(ALPACA) + "\n" + json.dumps(ALPACA) + "\n[1]\n", encoding="utf-8")
    stats = read(path)
    assert stats.examples == 2
    assert stats.bad_row_samples == [BadRow(line=3, reason="row is a list, not an object")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"a": 1, "b": 2}', "expected a list of objects"),
        ('"just a string"', "holds JSON a string"),
        ('[{"text": "a"},', "is not valid JSON"),
        ('{"data": [1, 2], "more": [3]}', "expected a list of objects"),
    ],
)
def test_json_that_holds_no_rows(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "train.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read(path)
    assert str(caught.value).startswith(f"--dataset: {path}")


def test_json_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    path.write_bytes(b'[{"text": "caf\xe9"}]')
    with pytest.raises(InputError, match=r"not valid UTF-8 \(byte 0xe9"):
        read(path)


def test_json_over_the_size_limit_asks_for_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rows, "MAX_JSON_BYTES", 10)
    path = tmp_path / "train.json"
    path.write_text(json.dumps([TEXT]), encoding="utf-8")
    with pytest.raises(InputError, match="write it as JSONL"):
        read(path)


def test_csv_alpaca(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "train.csv",
        ["instruction", "input", "output"],
        [["Add the numbers.", "1 and 2", "3"], ["Say hi.", "", "hi"], ["Write a poem.", "", "Roses,\nred."]],
    )
    stats = read(path)
    assert (stats.format, stats.examples, stats.bad_rows) == ("alpaca", 3, 0)
    assert stats.chars.max == len("Add the numbers.\n1 and 2\n3")
    assert stats.chars.min == len("Say hi.\nhi")


def test_csv_prompt_completion(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "train.csv", ["prompt", "completion"], [["Say hi:", " hi"], ["Say no:", " no"]])
    stats = read(path)
    assert (stats.format, stats.examples) == ("prompt_completion", 2)
    assert stats.chars.max == len("Say hi: hi")


def test_csv_messages_cells_hold_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "train.csv", ["messages"], [[json.dumps(MESSAGES["messages"])], ["not json"]])
    stats = read(path)
    assert (stats.format, stats.examples) == ("messages", 1)
    assert stats.bad_row_samples == [BadRow(line=3, reason="'messages' is a string, expected a list of turns")]


def test_csv_bad_rows_name_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_bytes(
        b"\xef\xbb\xbfinstruction,input,output\r\n"  # 1 (a byte order mark, Windows line ends)
        b'"Write a poem.",,"Roses are red,\r\n'  # 2: one record over three lines
        b"violets are blue.\r\n"  # 3
        b'."\r\n'  # 4
        b"only,two\r\n"  # 5: too few fields
        b"\r\n"  # 6: blank
        b"Say caf\xe9.,,ok\r\n"  # 7: Latin-1, not UTF-8
        b"Say hi.,,hi\r\n"  # 8
        b',,""\r\n'  # 9: nothing to train on
    )
    stats = read(path)
    assert stats.examples == 2
    assert stats.bad_rows == 3
    assert stats.bad_row_samples == [
        BadRow(line=5, reason="has 2 fields; the CSV header has 3"),
        BadRow(line=7, reason="not valid UTF-8"),
        BadRow(line=9, reason="'output' is empty (no response to train on)"),
    ]
    assert stats.chars.max == len("Write a poem.\nRoses are red,\r\nviolets are blue.\r\n.")


def test_csv_with_only_a_header_has_no_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "train.csv", ["instruction", "output"], [])
    with pytest.raises(InputError, match="has no rows"):
        read(path)


def test_csv_without_known_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "train.csv", ["question", "answer"], [["a", "b"]])
    with pytest.raises(InputError, match=r"no valid rows .*line 2: no known fields .*keys: 'question', 'answer'"):
        read(path)


def test_parquet_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    path = tmp_path / "train.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match=r"^--dataset: reading Parquet needs pyarrow \(pip install pyarrow\)$"):
        read(path)


@pytest.mark.parametrize(
    ("name", "content", "examples"),
    [
        ("train.txt", json.dumps([TEXT, TEXT]), 2),  # '[': a JSON list
        ("train.data", "\n" + json.dumps(TEXT) + "\n" + json.dumps(TEXT) + "\n", 2),  # '{' per line: JSONL
        ("train", json.dumps({"conversations": SHAREGPT["conversations"]}), 1),  # one row, not a wrapper
        ("train.dat", json.dumps({"data": [TEXT] * 3}), 3),  # a wrapper on one line: JSON
        ("train.dat", json.dumps({"data": [TEXT] * 3}, indent=2), 3),  # a pretty-printed wrapper: JSON
    ],
)
def test_unknown_extension_is_sniffed(tmp_path: Path, name: str, content: str, examples: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert read(path).examples == examples


def test_unknown_extension_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "train.tsv"
    path.write_text("instruction\toutput\na\tb\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot tell the format .*\.jsonl, \.json, \.csv or \.parquet"):
        read(path)


# --- bad rows -----------------------------------------------------------------------------------------------


def mixed_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(ALPACA).encode(),  # 1
        b'{"instruction": "caf\xe9", "output": "x"}',  # 2: Latin-1 byte
        b"",  # 3: blank, skipped but counted
        b'{"instruction": "Add", "output": "3"',  # 4: truncated
        json.dumps({"instruction": "Add the numbers."}).encode(),  # 5: no output
        b"[1, 2]",  # 6: not an object
        json.dumps(TEXT).encode(),  # 7: another layout
        json.dumps({"instruction": "Add", "output": 3}).encode(),  # 8: wrong type
        json.dumps({"messages": [{"role": "user"}]}).encode(),  # 9: a turn without content
        json.dumps({"question": "q", "answer": "a"}).encode(),  # 10: nothing known
        json.dumps(ALPACA).encode(),  # 11
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_bad_rows_are_counted_with_their_lines_and_reasons(tmp_path: Path) -> None:
    stats = read(mixed_jsonl(tmp_path))
    assert stats.format == "alpaca"
    assert stats.examples == 2
    assert stats.format_counts == {"alpaca": 2, "text": 1}
    assert stats.bad_rows == 8
    assert stats.bad_row_samples == [
        BadRow(line=2, reason="not valid UTF-8 (byte 0xe9 at column 21)"),
        BadRow(line=4, reason="invalid JSON: Expecting ',' delimiter at column 37"),
        BadRow(line=5, reason="missing 'output'"),
        BadRow(line=6, reason="row is a list, not an object"),
        BadRow(line=7, reason="a text row; the dataset's format is alpaca"),
        BadRow(line=8, reason="'output' is a number, expected a string"),
        BadRow(line=9, reason="messages[0] has no 'content'"),
        BadRow(line=10, reason="no known fields (expected instruction+output, messages, conversations, "
               "prompt+completion or text); keys: 'question', 'answer'"),
    ]  # fmt: skip


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_max_bad_rows_keeps_the_first_samples_and_counts_all(tmp_path: Path, limit: int) -> None:
    stats = read(mixed_jsonl(tmp_path), max_bad_rows=limit)
    assert stats.bad_rows == 8
    assert [bad.line for bad in stats.bad_row_samples] == [2, 4, 5][:limit]


def test_minority_layouts_are_bad_rows_and_the_first_seen_wins_a_tie(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [TEXT, MESSAGES, MESSAGES, TEXT, PROMPT_COMPLETION])
    stats = read(path)
    assert stats.format == "text"
    assert stats.format_counts == {"messages": 2, "text": 2, "prompt_completion": 1}
    assert stats.examples == 2
    assert stats.bad_rows == 3
    assert [bad.line for bad in stats.bad_row_samples] == [2, 3, 5]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"messages": "hi"}, "'messages' is a string, expected a list of turns"),
        ({"messages": []}, "'messages' is empty"),
        ({"messages": ["hi"]}, "messages[0] is a string, not an object"),
        ({"messages": [{"role": "user", "content": None}]}, "messages[0].content is null, expected a string"),
        ({"conversations": [{"from": "human"}]}, "conversations[0] has no 'value'"),
        ({"output": "x"}, "missing 'instruction'"),
        ({"instruction": "x", "input": 1, "output": "y"}, "'input' is a number, expected a string"),
        ({"prompt": "x"}, "missing 'completion'"),
        ({"text": ["a"]}, "'text' is a list, expected a string"),
        ({"text": ""}, "no text to train on (every field is empty)"),
        ("text", "row is a string, not an object"),
        (None, "row is null, not an object"),
    ],
)
def test_malformed_row_reasons(tmp_path: Path, row: object, reason: str) -> None:
    stats = read(write_jsonl(tmp_path / "train.jsonl", [TEXT, row]))
    assert stats.bad_row_samples == [BadRow(line=2, reason=reason)]


# --- files that cannot be read ------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"^--dataset: {path} is empty \(expected a \.jsonl"):
        read(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=rf"^--dataset: {tmp_path} is a directory \(expected a \.jsonl"):
        read(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.jsonl"
    with pytest.raises(InputError, match=rf"^--dataset: no such file: {path} \(expected a \.jsonl"):
        read(path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [TEXT])
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(InputError, match=rf"^--dataset: cannot read {path}: Permission denied$"):
        read(path)


def test_all_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"\n" + json.dumps({"instruction": "x"}).encode() + b"\nnot json\n")
    with pytest.raises(InputError) as caught:
        read(path)
    message = str(caught.value)
    assert message.startswith(f"--dataset: {path} has no valid rows (2 bad")
    assert message.endswith("line 2: missing 'output'")
    assert "\n" not in message


def test_empty_json_list_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "train.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match=r"^--dataset: .* has no rows"):
        read(path)


# --- lengths and max_seq_length -----------------------------------------------------------------------------


def test_percentiles_are_nearest_rank(tmp_path: Path) -> None:
    stats = read(write_jsonl(tmp_path / "train.jsonl", text_rows(*range(20, 0, -1))))
    assert stats.chars == LengthStats(min=1, median=10, p95=19, max=20)
    assert stats.tokens == LengthStats(min=1, median=3, p95=5, max=5)


@pytest.mark.parametrize(
    ("chars", "suggested"),
    [
        (1, 256),  # the floor
        (896, 256),  # 224 tokens + 32 = 256 exactly
        (897, 512),  # 225 + 32 = 257 rounds up
        (4000, 1280),  # 1000 + 32 = 1032
        (8064, 2048),  # 2016 + 32 = 2048 exactly
        (130_944, 32768),  # 32736 + 32 = 32768, the cap exactly
        (200_000, 32768),  # 50000 tokens: capped
    ],
)
def test_suggested_max_seq_length_rounds_up_to_256(tmp_path: Path, chars: int, suggested: int) -> None:
    stats = read(write_jsonl(tmp_path / "train.jsonl", text_rows(chars, chars)))
    assert stats.suggested_max_seq_length == suggested
    assert stats.suggested_max_seq_length % 256 == 0
    assert stats.reason.endswith("which fits every example.") == (chars <= 130_944)
    assert ("cap" in stats.reason) == (chars > 130_944)


def test_suggestion_follows_the_95th_percentile_not_the_longest(tmp_path: Path) -> None:
    stats = read(write_jsonl(tmp_path / "train.jsonl", text_rows(*[400] * 95, *[10_000] * 5)))
    assert stats.tokens.p95 == 100
    assert stats.tokens.max == 2500
    assert stats.suggested_max_seq_length == 256
    assert stats.reason == (
        "The 95th percentile of 100 examples is 100 tokens (estimated as characters / 4); with 32 more for the "
        "prompt template, rounded up to a multiple of 256, that gives 256, which fits 95 of 100 examples "
        "(longer ones get truncated)."
    )


# --- exact token counts -------------------------------------------------------------------------------------


def test_tokenizer_without_the_tokenizers_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)
    (tmp_path / "tok").mkdir()
    (tmp_path / "tok" / "tokenizer.json").write_text("{}", encoding="utf-8")
    path = write_jsonl(tmp_path / "train.jsonl", [TEXT])
    with pytest.raises(InputError, match=r"^--tokenizer: counting tokens needs the tokenizers package"):
        read(path, tokenizer=str(tmp_path / "tok"))


def test_tokenizer_that_is_not_a_local_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [TEXT])
    with pytest.raises(InputError, match=r"^--tokenizer: no tokenizer.json at meta-llama/Llama-3.1-8B .*never downl"):
        read(path, tokenizer="meta-llama/Llama-3.1-8B")


# Builds a word-level tokenizer (padding on, which the count must ignore) and prints the stats as JSON.
EXACT_TOKENS_SCRIPT = """
import json, sys
from tokenizers import Tokenizer, models, pre_tokenizers
from ftguide.dataset import read_dataset

folder, data = sys.argv[1], sys.argv[2]
words = ["[UNK]", "[PAD]", "the", "cat", "sits", "on", "mat", "add", "one", "two", "three"]
tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
tokenizer.enable_padding(pad_id=1, pad_token="[PAD]", length=64)
tokenizer.save(folder + "/tokenizer.json")
print(read_dataset(data, tokenizer=folder, progress=False).model_dump_json())
"""


def python_with(*modules: str) -> str:
    """This interpreter when it has ``modules``, else the training tool environment's; skips when neither has."""
    for python in (sys.executable, str(TRAIN_PYTHON)):
        if not Path(python).exists():
            continue
        probe = subprocess.run([python, "-c", f"import {', '.join(modules)}"], capture_output=True, check=False)
        if probe.returncode == 0:
            return python
    message = f"needs {', '.join(modules)}: not in .venv, and {TRAIN_PYTHON} is missing or lacks it"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)  # in CI the tool environments are built: never a silent skip
    pytest.skip(message)


def run_script(python: str, script: str, *args: str) -> Any:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([python, "-c", script, *args], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def test_exact_token_counts_with_a_local_tokenizer(tmp_path: Path) -> None:
    python = python_with("tokenizers", "pydantic")
    rows = [
        {"instruction": "add one", "input": "two", "output": "three"},  # 4 tokens
        {"instruction": "the cat sits", "output": "on the mat"},  # 6
        {"instruction": "the cat", "output": "sits"},  # 3
    ]
    data = write_jsonl(tmp_path / "train.jsonl", rows)
    (tmp_path / "tok").mkdir()
    stats = DatasetStats.model_validate(run_script(python, EXACT_TOKENS_SCRIPT, str(tmp_path / "tok"), str(data)))
    assert stats.tokens_exact is True
    assert stats.tokens == LengthStats(min=3, median=4, p95=6, max=6)
    assert stats.reason.startswith("The 95th percentile of 3 examples is 6 tokens; with 32 more")


PARQUET_SCRIPT = """
import json, sys
import pyarrow as pa, pyarrow.parquet as pq
from ftguide.dataset import read_dataset
from ftguide.errors import InputError

folder = sys.argv[1]
instruction = {"instruction": "Add the numbers.", "input": "1 and 2", "output": "3"}
rows = [instruction, {"instruction": "x", "input": None, "output": None}, instruction, instruction]
pq.write_table(pa.Table.from_pylist(rows), folder + "/alpaca.parquet")
turns = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]
pq.write_table(pa.Table.from_pylist([{"messages": turns}] * 3), folder + "/messages.parquet")
pq.write_table(pa.Table.from_pylist([{"question": "q", "answer": "a"}]), folder + "/unknown.parquet")
open(folder + "/broken.parquet", "w").write("not parquet")
result = {}
for name in ("alpaca", "messages", "unknown", "broken"):
    try:
        result[name] = read_dataset(f"{folder}/{name}.parquet", progress=False).model_dump(mode="json")
    except InputError as exc:
        result[name] = str(exc)
print(json.dumps(result))
"""


def test_parquet_with_pyarrow(tmp_path: Path) -> None:
    python = python_with("pyarrow", "pydantic")
    result = run_script(python, PARQUET_SCRIPT, str(tmp_path))
    alpaca = DatasetStats.model_validate(result["alpaca"])
    assert (alpaca.format, alpaca.examples, alpaca.bad_rows) == ("alpaca", 3, 1)
    assert alpaca.bad_row_samples == [BadRow(line=1, reason="missing 'output'")]
    assert alpaca.chars.max == len("Add the numbers.\n1 and 2\n3")
    messages = DatasetStats.model_validate(result["messages"])
    assert (messages.format, messages.examples, messages.chars.max) == ("messages", 3, len("hi\nhello"))
    assert result["unknown"].startswith("--dataset: ")
    assert "no column of a known layout" in result["unknown"]
    assert "columns: 'question', 'answer'" in result["unknown"]
    assert result["broken"].startswith(f"--dataset: {tmp_path}/broken.parquet is not a readable Parquet file")


# --- streaming, output, determinism -------------------------------------------------------------------------


def test_200k_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        f.writelines(json.dumps({"text": f"Row {i}." + " word" * (i % 20)}) + "\n" for i in range(200_000))
    stats = read(path)
    assert (stats.examples, stats.bad_rows) == (200_000, 0)
    assert (stats.chars.min, stats.chars.max) == (len("Row 0."), len("Row 199999.") + 19 * len(" word"))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_jsonl_and_csv_are_streamed_not_read_whole(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"big{suffix}"
    rows = [[f"Write {i}.", "word " * 800] for i in range(5_000)]
    if suffix == ".csv":
        write_csv(path, ["prompt", "completion"], rows)
    else:
        write_jsonl(path, [{"prompt": prompt, "completion": completion} for prompt, completion in rows])
    size = path.stat().st_size
    tracemalloc.start()
    try:
        stats = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.examples == 5_000
    assert peak < size / 10, f"peak {peak} bytes for a {size}-byte file: was it read whole?"


def test_nothing_on_stdout_or_on_stderr_off_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    read_dataset(str(mixed_jsonl(tmp_path)), progress=True)
    assert capsys.readouterr() == ("", "")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_goes_to_stderr_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    path = write_jsonl(tmp_path / "train.jsonl", [{"text": "x" * 1000}] * 3000)  # over 1 MiB
    assert read_dataset(str(path)).examples == 3000
    assert capsys.readouterr().out == ""
    assert terminal.getvalue()


def test_same_file_same_stats(tmp_path: Path) -> None:
    path = mixed_jsonl(tmp_path)
    first, second = read(path), read(path)
    assert first == second
    assert first.model_dump_json() == second.model_dump_json()


def test_stats_are_frozen_and_strict(tmp_path: Path) -> None:
    stats = read(write_jsonl(tmp_path / "train.jsonl", [TEXT]))
    with pytest.raises(ValidationError):
        stats.examples = 2
    with pytest.raises(ValidationError):
        DatasetStats.model_validate({**stats.model_dump(), "extra": 1})
    schema = DatasetStats.model_json_schema()
    assert "256" in schema["properties"]["suggested_max_seq_length"]["description"]
