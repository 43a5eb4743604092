"""Read a training dataset (``--dataset``): its row format, its size and how long its examples are.

Formats, decided by the extension (``.jsonl`` / ``.ndjson``, ``.json``, ``.csv``, ``.parquet``) or, for any
other name, by the first non-blank byte (``[`` or ``{``):

* JSONL and CSV are streamed line by line, so a file of millions of rows never sits in memory; a line that is
  not UTF-8 or not JSON is one bad row, not a failed read.
* JSON (a list of objects, or an object holding one list such as ``{"data": [...]}``) is parsed whole with the
  standard library, up to 512 MiB; a ``.json`` file that holds one object per line is read as JSONL.
* Parquet needs ``pyarrow``, which ftguide does not depend on.

Each row is one of the layouts the rendered training files read: ``alpaca`` (``instruction`` + ``output``,
optional ``input``), ``messages`` (``messages``: ``role`` / ``content`` turns), ``sharegpt``
(``conversations``: ``from`` / ``value`` turns), ``prompt_completion`` (``prompt`` + ``completion``) or
``text`` (``text``).  The dataset's format is the most common row layout; rows in another layout, and
malformed rows, are counted as bad and the first few are kept with their line (or row index) and reason.

Lengths count the text the model trains on: the fields or turns joined by newlines (prompt and completion
directly).  Tokens are estimated as ``ceil(characters / 4)``, or counted exactly with a local
``tokenizer.json`` when the ``tokenizers`` package is installed (``--tokenizer``; nothing is downloaded).
Only a list of lengths per row is kept.  Nothing is printed on stdout; the progress bar goes to stderr.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ftguide.errors import InputError
from ftguide.models import DatasetFormat

__all__ = ["BadRow", "DatasetStats", "LengthStats", "read_dataset"]

MAX_JSON_BYTES = 512 * 1024 * 1024
"""Largest ``.json`` file parsed whole; larger data must be JSONL (streamed)."""
CHARS_PER_TOKEN = 4
"""The token estimate without a tokenizer: ``ceil(characters / CHARS_PER_TOKEN)``."""
TEMPLATE_ALLOWANCE = 32
"""Tokens added to the 95th percentile for the chat / prompt template around each example."""
SEQ_LENGTH_STEP = 256
SEQ_LENGTH_MAX = 32768

Kind = Literal["jsonl", "json", "csv", "parquet"]
_EXTENSIONS: dict[str, Kind] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
}
_EXPECTED_FILE = "a .jsonl, .json, .csv or .parquet file of training examples"
_EXPECTED_FIELDS = "instruction+output, messages, conversations, prompt+completion or text"
_KNOWN_FIELDS = ("instruction", "input", "output", "messages", "conversations", "prompt", "completion", "text")
_TURN_FIELDS = ("messages", "conversations")
_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"
_TOKEN_BATCH = 1024
_CSV_FIELD_LIMIT = 2**31 - 1

_FROZEN = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class BadRow(BaseModel):
    """A row that is not a training example of the dataset's format."""

    model_config = _FROZEN

    line: int = Field(ge=0)
    """1-based line number in JSONL and CSV files (where the row starts); 0-based row index in JSON and Parquet."""
    reason: str


class LengthStats(BaseModel):
    """Distribution of per-example lengths (nearest-rank percentiles)."""

    model_config = _FROZEN

    min: int = Field(ge=0)
    median: int = Field(ge=0)
    p95: int = Field(ge=0)
    """95th percentile: 95% of the examples are at most this long."""
    max: int = Field(ge=0)


class DatasetStats(BaseModel):
    """What ``--dataset`` found in a training file."""

    model_config = _FROZEN

    path: str
    """The file as given."""
    examples: int = Field(ge=1)
    """Valid rows of the dataset's format."""
    format: DatasetFormat
    """The most common row layout (ties go to the layout seen first)."""
    format_counts: dict[str, int]
    """Rows of each layout found, most common first (rows of other layouts than ``format`` count as bad)."""
    bad_rows: int = Field(ge=0)
    """Malformed rows plus rows in a layout other than ``format``."""
    bad_row_samples: list[BadRow]
    """The first bad rows, in file order."""
    chars: LengthStats
    """Characters of trained text per example (fields or turns joined by newlines)."""
    tokens: LengthStats
    """Tokens per example: exact with a tokenizer, else ``ceil(chars / 4)``."""
    tokens_exact: bool
    """Whether ``tokens`` were counted with a tokenizer rather than estimated from characters."""
    suggested_max_seq_length: int = Field(ge=SEQ_LENGTH_STEP, le=SEQ_LENGTH_MAX)
    """The 95th percentile of tokens plus 32 for the template, rounded up to a multiple of 256 (256-32768)."""
    reason: str
    """One sentence explaining ``suggested_max_seq_length``."""


def read_dataset(
    path: str, *, tokenizer: str | None = None, progress: bool = True, max_bad_rows: int = 20
) -> DatasetStats:
    """Read the training file at ``path`` and describe it.

    ``tokenizer`` is a local ``tokenizer.json`` (or a folder holding one) for exact token counts.
    ``progress`` shows a progress bar on stderr when stderr is a terminal.  ``max_bad_rows`` bad rows are kept
    as samples; all are counted.  Raises :class:`InputError` for a file that cannot be read or has no valid row.
    """
    if max_bad_rows < 0:
        raise ValueError("max_bad_rows must be 0 or more")
    file, size, first = _open_check(path)
    count_tokens = _load_tokenizer(tokenizer) if tokenizer is not None else None
    kind = _EXTENSIONS.get(file.suffix.lower()) or _sniff(file, path, first)
    tally = _Tally(max_bad_rows, count_tokens)
    try:
        rows = _load_json(file, path, size) if kind == "json" else None
        if kind == "json" and rows is None:
            kind = "jsonl"  # a .json file holding one object per line
        if rows is not None:
            with _progress(progress, len(rows), "rows") as advance:
                for index, row in enumerate(rows):
                    tally.add(index, row)
                    advance(1)
        elif kind == "parquet":
            _read_parquet(file, path, tally, progress)
        else:
            reader = _csv_rows if kind == "csv" else _jsonl_rows
            with _progress(progress, size, "bytes") as advance:
                for line, row in reader(file, path, advance):
                    tally.add(line, row)
    except OSError as exc:
        raise InputError(f"--dataset: cannot read {path}: {exc.strerror or exc}") from None
    unit = "row" if kind in ("json", "parquet") else "line"
    return tally.stats(path, unit)


# --- the file ---------------------------------------------------------------------------------------------


def _open_check(path: str) -> tuple[Path, int, int]:
    """The file, its size and its first non-blank byte; an InputError for anything that is not a readable file."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"--dataset: no such file: {path} (expected {_EXPECTED_FILE})")
    if file.is_dir():
        raise InputError(f"--dataset: {path} is a directory (expected {_EXPECTED_FILE})")
    try:
        size = file.stat().st_size
        first = _first_byte(file)
    except OSError as exc:
        raise InputError(f"--dataset: cannot read {path}: {exc.strerror or exc}") from None
    if first is None:
        raise InputError(f"--dataset: {path} is empty (expected {_EXPECTED_FILE})")
    return file, size, first


def _first_byte(file: Path) -> int | None:
    """The first byte that is not whitespace (after a UTF-8 byte order mark), or None for a blank file."""
    with file.open("rb") as f:
        chunk = f.read(65536).removeprefix(_BOM)
        while chunk:
            stripped = chunk.lstrip(_WHITESPACE)
            if stripped:
                return stripped[0]
            chunk = f.read(65536)
    return None


def _sniff(file: Path, path: str, first: int) -> Kind:
    """JSON or JSONL for a file whose extension says nothing."""
    if first == ord("["):
        return "json"
    if first != ord("{"):
        raise InputError(
            f"--dataset: cannot tell the format of {path}: it does not start with '[' or '{{' "
            "(name it .jsonl, .json, .csv or .parquet)"
        )
    with file.open("rb") as f:
        line = b""
        for line in f:
            if line.strip(_WHITESPACE + _BOM):
                break
    try:
        value = json.loads(line.removeprefix(_BOM))
    except (ValueError, RecursionError):
        return "json"  # an object spread over several lines: a pretty-printed document
    try:
        _classify(value)
    except _BadRowError:
        return "json" if _wrapped_rows(value) is not None else "jsonl"
    return "jsonl"


def _wrapped_rows(value: object) -> list[Any] | None:
    """The rows of a JSON document: the list itself, or the one list among an object's values."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]
    return None


def _load_json(file: Path, path: str, size: int) -> list[Any] | None:
    """The rows of a JSON file, or None when it holds one JSON object per line (JSONL)."""
    if size > MAX_JSON_BYTES:
        raise InputError(
            f"--dataset: {path} is {size / 2**20:.0f} MiB of JSON; over {MAX_JSON_BYTES // 2**20} MiB, "
            "write it as JSONL (one object per line) so it can be streamed"
        )
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"--dataset: {path} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            return None
        raise InputError(
            f"--dataset: {path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"--dataset: {path} is nested too deeply to read as JSON") from None
    rows = _wrapped_rows(document)
    if rows is None:
        raise InputError(
            f"--dataset: {path} holds JSON {_describe(document)}; expected a list of objects "
            'or an object holding one list (like {"data": [...]})'
        )
    return rows


@dataclass(frozen=True)
class _Unreadable:
    """A line that could not be decoded; it becomes a bad row."""

    reason: str


def _jsonl_rows(file: Path, path: str, advance: Callable[[int], None]) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) for each non-blank line, streamed."""
    with file.open("rb") as f:
        for number, raw in enumerate(f, 1):
            advance(len(raw))
            line = raw.removeprefix(_BOM) if number == 1 else raw
            if not line.strip(_WHITESPACE):
                continue
            line = line.rstrip(b"\r\n")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, _Unreadable(_not_utf8(line, exc))
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                yield number, _Unreadable(f"invalid JSON: {exc.msg.removesuffix(' at')} at column {exc.pos + 1}")
            except RecursionError:
                yield number, _Unreadable("invalid JSON: nested too deeply")


def _csv_rows(file: Path, path: str, advance: Callable[[int], None]) -> Iterator[tuple[int, object]]:
    """(line where the record starts, {column: value}) for each CSV record after the header, streamed.

    Lines are decoded one at a time, so bytes that are not UTF-8 spoil only the record they are in.
    """
    undecodable: list[int] = []

    def lines() -> Iterator[str]:
        with file.open("rb") as f:
            for number, raw in enumerate(f, 1):
                advance(len(raw))
                line = raw.removeprefix(_BOM) if number == 1 else raw
                try:
                    yield line.decode("utf-8")
                except UnicodeDecodeError:
                    undecodable.append(number)
                    yield line.decode("utf-8", "replace")

    previous_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        reader = csv.reader(lines())
        header: list[str] | None = None
        end = 0
        while True:
            start = end + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                end = reader.line_num
                undecodable.clear()
                if header is not None:
                    yield start, _Unreadable(f"invalid CSV: {exc}")
                    continue
                raise InputError(f"--dataset: {path}: cannot read the CSV header: {exc}") from None
            end = reader.line_num
            spoiled = bool(undecodable)
            undecodable.clear()
            if not record:
                continue
            if header is None:
                if spoiled:
                    raise InputError(f"--dataset: {path}: the CSV header (line {start}) is not valid UTF-8")
                header = [name.strip() for name in record]
            elif spoiled:
                yield start, _Unreadable("not valid UTF-8")
            elif len(record) != len(header):
                yield start, _Unreadable(f"has {len(record)} fields; the CSV header has {len(header)}")
            else:
                yield start, {name: _cell(name, value) for name, value in zip(header, record, strict=True)}
    finally:
        csv.field_size_limit(previous_limit)


def _cell(name: str, value: str) -> object:
    """A CSV cell: text, except that ``messages`` / ``conversations`` cells may hold a JSON list."""
    if name in _TURN_FIELDS and value.lstrip().startswith("["):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def _read_parquet(file: Path, path: str, tally: _Tally, progress: bool) -> None:
    """Feed a Parquet file's rows to ``tally`` in record batches, reading only the columns that matter."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("--dataset: reading Parquet needs pyarrow (pip install pyarrow)") from None
    try:
        parquet = pq.ParquetFile(file)
    except Exception as exc:  # pyarrow raises its own error types for files that are not Parquet
        raise InputError(f"--dataset: {path} is not a readable Parquet file ({_first_line(exc)})") from None
    names = parquet.schema_arrow.names
    columns = [name for name in names if name in _KNOWN_FIELDS]
    if not columns:
        raise InputError(
            f"--dataset: {path} has no column of a known layout (expected {_EXPECTED_FIELDS}); columns: {_names(names)}"
        )
    index = 0
    with _progress(progress, parquet.metadata.num_rows, "rows") as advance:
        for batch in parquet.iter_batches(batch_size=4096, columns=columns):
            for row in batch.to_pylist():
                tally.add(index, {k: v for k, v in row.items() if v is not None})
                index += 1
            advance(batch.num_rows)


# --- rows -------------------------------------------------------------------------------------------------


class _BadRowError(Exception):
    """Why a row is not a training example."""


def _classify(row: object) -> tuple[DatasetFormat, str]:
    """The row's layout and the text the model trains on, or _BadRowError with the reason."""
    if isinstance(row, _Unreadable):
        raise _BadRowError(row.reason)
    if not isinstance(row, dict):
        raise _BadRowError(f"row is {_describe(row)}, not an object")
    if "messages" in row:
        return "messages", _turns(row, "messages", "role", "content")
    if "conversations" in row:
        return "sharegpt", _turns(row, "conversations", "from", "value")
    if "instruction" in row or "output" in row:
        parts = [_string(row, "instruction"), _string(row, "input", optional=True), _string(row, "output")]
        return "alpaca", _joined(parts)
    if "prompt" in row or "completion" in row:
        return "prompt_completion", _joined([_string(row, "prompt") + _string(row, "completion")])
    if "text" in row:
        return "text", _joined([_string(row, "text")])
    raise _BadRowError(f"no known fields (expected {_EXPECTED_FIELDS}); keys: {_names(list(row))}")


def _string(row: dict[str, Any], key: str, *, optional: bool = False) -> str:
    if key not in row or (optional and row[key] is None):
        if optional:
            return ""
        raise _BadRowError(f"missing '{key}'")
    value = row[key]
    if not isinstance(value, str):
        raise _BadRowError(f"'{key}' is {_describe(value)}, expected a string")
    return value


def _turns(row: dict[str, Any], key: str, speaker: str, content: str) -> str:
    turns = row[key]
    if not isinstance(turns, list):
        raise _BadRowError(f"'{key}' is {_describe(turns)}, expected a list of turns")
    if not turns:
        raise _BadRowError(f"'{key}' is empty")
    texts = []
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise _BadRowError(f"{key}[{i}] is {_describe(turn)}, not an object")
        for field in (speaker, content):
            if field not in turn:
                raise _BadRowError(f"{key}[{i}] has no '{field}'")
            if not isinstance(turn[field], str):
                raise _BadRowError(f"{key}[{i}].{field} is {_describe(turn[field])}, expected a string")
        texts.append(turn[content])
    return _joined(texts)


def _joined(parts: list[str]) -> str:
    text = "\n".join(part for part in parts if part)
    if not text:
        raise _BadRowError("no text to train on (every field is empty)")
    return text


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _names(names: Sequence[str], limit: int = 6) -> str:
    if not names:
        return "(none)"
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _not_utf8(line: bytes, exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- counting ---------------------------------------------------------------------------------------------

TokenCounter = Callable[[list[str]], list[int]]


def _load_tokenizer(spec: str) -> TokenCounter:
    """A function counting the tokens of texts with a local ``tokenizer.json``; never downloads."""
    given = Path(spec)
    file = given / "tokenizer.json" if given.is_dir() else given
    if not file.is_file():
        raise InputError(
            f"--tokenizer: no tokenizer.json at {spec} (expected a local tokenizer.json or a folder holding one; "
            "ftguide never downloads)"
        )
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise InputError("--tokenizer: counting tokens needs the tokenizers package (pip install tokenizers)") from None
    try:
        loaded = Tokenizer.from_file(str(file))
    except Exception as exc:  # tokenizers raises plain Exception for a file it cannot parse
        raise InputError(f"--tokenizer: cannot load {file} ({_first_line(exc)})") from None
    loaded.no_padding()
    loaded.no_truncation()

    def count(texts: list[str]) -> list[int]:
        return [len(encoding.ids) for encoding in loaded.encode_batch(texts)]

    return count


class _Tally:
    """Lengths per row layout, and the bad rows, as rows stream past."""

    def __init__(self, max_bad_rows: int, count_tokens: TokenCounter | None) -> None:
        self.max_bad_rows = max_bad_rows
        self.count_tokens = count_tokens
        self.chars: dict[DatasetFormat, array[int]] = {}
        self.tokens: dict[DatasetFormat, array[int]] = {}
        self.first_lines: dict[DatasetFormat, list[int]] = {}
        """The first lines of each layout: bad-row samples for the layouts that turn out to be a minority."""
        self.malformed = 0
        self.malformed_samples: list[BadRow] = []
        self.pending: list[tuple[DatasetFormat, str]] = []

    def add(self, line: int, row: object) -> None:
        try:
            layout, text = _classify(row)
        except _BadRowError as exc:
            self.malformed += 1
            if len(self.malformed_samples) < self.max_bad_rows:
                self.malformed_samples.append(BadRow(line=line, reason=str(exc)))
            return
        if layout not in self.chars:
            self.chars[layout] = array("q")
            self.tokens[layout] = array("q")
            self.first_lines[layout] = []
        self.chars[layout].append(len(text))
        if len(self.first_lines[layout]) < self.max_bad_rows:
            self.first_lines[layout].append(line)
        if self.count_tokens is not None:
            self.pending.append((layout, text))
            if len(self.pending) >= _TOKEN_BATCH:
                self.flush()

    def flush(self) -> None:
        if self.count_tokens is None or not self.pending:
            return
        counts = self.count_tokens([text for _, text in self.pending])
        for (layout, _), count in zip(self.pending, counts, strict=True):
            self.tokens[layout].append(count)
        self.pending.clear()

    def stats(self, path: str, unit: str) -> DatasetStats:
        self.flush()
        if not self.chars:
            if self.malformed_samples or self.malformed:
                first = self.malformed_samples[0] if self.malformed_samples else None
                detail = f"; {unit} {first.line}: {first.reason}" if first else ""
                raise InputError(
                    f"--dataset: {path} has no valid rows ({self.malformed} bad, expected rows with "
                    f"{_EXPECTED_FIELDS}){detail}"
                )
            raise InputError(f"--dataset: {path} has no rows (expected {_EXPECTED_FILE})")
        counts = {layout: len(lengths) for layout, lengths in self.chars.items()}
        layout = max(counts, key=lambda name: counts[name])  # dicts keep first-seen order: ties go to the first
        samples = list(self.malformed_samples)
        for other, lines in self.first_lines.items():
            if other != layout:
                samples += [
                    BadRow(line=line, reason=f"a {other} row; the dataset's format is {layout}") for line in lines
                ]
        samples.sort(key=lambda sample: sample.line)
        chars = sorted(self.chars[layout])
        exact = self.count_tokens is not None
        tokens = sorted(self.tokens[layout]) if exact else [-(-n // CHARS_PER_TOKEN) for n in chars]
        token_stats = _length_stats(tokens)
        suggested = _suggested_length(token_stats.p95)
        return DatasetStats(
            path=path,
            examples=counts[layout],
            format=layout,
            format_counts=dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
            bad_rows=self.malformed + sum(n for name, n in counts.items() if name != layout),
            bad_row_samples=samples[: self.max_bad_rows],
            chars=_length_stats(chars),
            tokens=token_stats,
            tokens_exact=exact,
            suggested_max_seq_length=suggested,
            reason=_reason(tokens, token_stats.p95, suggested, exact),
        )


def _percentile(ordered: Sequence[int], percent: int) -> int:
    """Nearest-rank percentile of a sorted, non-empty sequence."""
    rank = max(1, -(-percent * len(ordered) // 100))
    return ordered[rank - 1]


def _length_stats(ordered: Sequence[int]) -> LengthStats:
    return LengthStats(min=ordered[0], median=_percentile(ordered, 50), p95=_percentile(ordered, 95), max=ordered[-1])


def _suggested_length(p95_tokens: int) -> int:
    """p95 plus the template allowance, rounded up to a multiple of 256, within 256-32768."""
    rounded = math.ceil((p95_tokens + TEMPLATE_ALLOWANCE) / SEQ_LENGTH_STEP) * SEQ_LENGTH_STEP
    return min(SEQ_LENGTH_MAX, max(SEQ_LENGTH_STEP, rounded))


def _reason(ordered_tokens: Sequence[int], p95: int, suggested: int, exact: bool) -> str:
    total = len(ordered_tokens)
    fitting = sum(1 for n in ordered_tokens if n + TEMPLATE_ALLOWANCE <= suggested)
    unit = "tokens" if exact else f"tokens (estimated as characters / {CHARS_PER_TOKEN})"
    if p95 + TEMPLATE_ALLOWANCE > SEQ_LENGTH_MAX:
        length = f"that exceeds the {SEQ_LENGTH_MAX} cap, so {SEQ_LENGTH_MAX}"
    else:
        length = f"rounded up to a multiple of {SEQ_LENGTH_STEP}, that gives {suggested}"
    fits = "every example" if fitting == total else f"{fitting:,} of {total:,} examples (longer ones get truncated)"
    examples = f"{total:,} example" + ("" if total == 1 else "s")
    return (
        f"The 95th percentile of {examples} is {p95:,} {unit}; with {TEMPLATE_ALLOWANCE} more for the prompt "
        f"template, {length}, which fits {fits}."
    )


@contextmanager
def _progress(enabled: bool, total: int, unit: Literal["bytes", "rows"]) -> Iterator[Callable[[int], None]]:
    """An ``advance(n)`` callback that drives a rich progress bar on stderr, or does nothing off a terminal."""
    stream = sys.stderr
    if not (enabled and stream is not None and stream.isatty()):
        yield _ignore
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    done = DownloadColumn() if unit == "bytes" else MofNCompleteColumn()
    step = 1 << 20 if unit == "bytes" else 10_000
    with Progress(
        TextColumn("reading dataset"),
        BarColumn(),
        done,
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    ) as bar:
        task = bar.add_task("read", total=total)
        pending = 0

        def advance(n: int) -> None:
            nonlocal pending
            pending += n
            if pending >= step:
                bar.advance(task, pending)
                pending = 0

        yield advance


def _ignore(n: int) -> None:
    """Progress off."""
