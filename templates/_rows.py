# ftguide's dataset reader. The same code reads --dataset in ftguide and in the training scripts it writes:
# ftguide loads this file as a module, the script templates include it verbatim (templates/_data.py.j2), so a
# row is judged, numbered and skipped in the same way in both places. Standard library only (Parquet needs
# pyarrow). No Jinja syntax may appear in this file: a test renders it and compares it byte for byte.
import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROW_LAYOUTS = ("alpaca", "messages", "sharegpt", "prompt_completion", "text")
# Speaker names a turn may use, and the chat role each becomes (the same mapping Axolotl applies by default).
ROLES = {"system": "system", "user": "user", "human": "user", "assistant": "assistant", "gpt": "assistant",
         "tool": "tool"}  # fmt: skip
# The prompt an alpaca row is trained with, in every target (Axolotl gets the same two formats).
ALPACA_PROMPT = "### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n"
ALPACA_PROMPT_NO_INPUT = "### Instruction:\n{instruction}\n\n### Response:\n"
MAX_JSON_BYTES = 512 * 1024 * 1024  # the largest .json file parsed whole; larger data must be JSONL
EXPECTED_FILE = "a .jsonl, .json, .csv or .parquet file of training examples"
EXPECTED_FIELDS = "instruction+output, messages, conversations, prompt+completion or text"
KNOWN_FIELDS = ("instruction", "input", "output", "messages", "conversations", "prompt", "completion", "text",
                "system")  # fmt: skip
TURN_FIELDS = ("messages", "conversations")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
BOM = b"\xef\xbb\xbf"
WHITESPACE = b" \t\r\n"
CSV_FIELD_LIMIT = 2**31 - 1


class DataFileError(Exception):
    """The file as a whole cannot be read as training data (the message names the file and why)."""


class BadRowError(Exception):
    """Why one row is not a training example."""


class Unreadable:
    """A line that could not be decoded; it becomes a bad row."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _ignore(n: int) -> None:
    """No progress reporting."""


class RowFile:
    """A training file, checked: ``kind`` (jsonl, json, csv, parquet), ``rows()`` yields (number, row).

    Numbers are 1-based lines in JSONL and CSV files (where a record starts), 0-based row indexes in JSON and
    Parquet (``unit`` says which). ``total`` and ``progress_unit`` size a progress bar (bytes or rows).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.file = Path(path)
        if not self.file.exists():
            raise DataFileError(f"--dataset: no such file: {path} (expected {EXPECTED_FILE})")
        if self.file.is_dir():
            raise DataFileError(f"--dataset: {path} is a directory (expected {EXPECTED_FILE})")
        try:
            self.size = self.file.stat().st_size
            first = _first_byte(self.file)
        except OSError as exc:
            raise DataFileError(f"--dataset: cannot read {path}: {exc.strerror or exc}") from None
        if first is None:
            raise DataFileError(f"--dataset: {path} is empty (expected {EXPECTED_FILE})")
        self.kind = EXTENSIONS.get(self.file.suffix.lower()) or _sniff(self.file, path, first)
        self.loaded: list[Any] | None = None
        if self.kind == "json":
            try:
                self.loaded = _load_json(self.file, path, self.size)
            except OSError as exc:
                raise DataFileError(f"--dataset: cannot read {path}: {exc.strerror or exc}") from None
            if self.loaded is None:
                self.kind = "jsonl"  # a .json file holding one object per line
        self.unit = "row" if self.kind in ("json", "parquet") else "line"
        self.total = self.size
        self.progress_unit = "bytes"
        if self.loaded is not None:
            self.total, self.progress_unit = len(self.loaded), "rows"
        elif self.kind == "parquet":
            self.parquet = _open_parquet(self.file, path)
            self.total, self.progress_unit = self.parquet.metadata.num_rows, "rows"

    def rows(self, advance: Callable[[int], None] = _ignore) -> Iterator[tuple[int, object]]:
        """Every row with its number, streamed (JSONL, CSV, Parquet) or from the parsed document (JSON)."""
        try:
            if self.loaded is not None:
                for index, row in enumerate(self.loaded):
                    yield index, row
                    advance(1)
            elif self.kind == "parquet":
                yield from _parquet_rows(self.parquet, self.path, advance)
            elif self.kind == "csv":
                yield from _csv_rows(self.file, self.path, advance)
            else:
                yield from _jsonl_rows(self.file, advance)
        except OSError as exc:
            raise DataFileError(f"--dataset: cannot read {self.path}: {exc.strerror or exc}") from None


def _first_byte(file: Path) -> int | None:
    """The first byte that is not whitespace (after a UTF-8 byte order mark), or None for a blank file."""
    with file.open("rb") as f:
        chunk = f.read(65536).removeprefix(BOM)
        while chunk:
            stripped = chunk.lstrip(WHITESPACE)
            if stripped:
                return stripped[0]
            chunk = f.read(65536)
    return None


def _sniff(file: Path, path: str, first: int) -> str:
    """JSON or JSONL for a file whose extension says nothing."""
    if first == ord("["):
        return "json"
    if first != ord("{"):
        raise DataFileError(
            f"--dataset: cannot tell the format of {path}: it does not start with '[' or '"
            + "{"
            + "' (name it .jsonl, .json, .csv or .parquet)"
        )
    with file.open("rb") as f:
        line = b""
        for line in f:
            if line.strip(WHITESPACE + BOM):
                break
    try:
        value = json.loads(line.removeprefix(BOM))
    except (ValueError, RecursionError):
        return "json"  # an object spread over several lines: a pretty-printed document
    try:
        classify(value)
    except BadRowError:
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
        raise DataFileError(
            f"--dataset: {path} is {size / 2**20:.0f} MiB of JSON; over {MAX_JSON_BYTES // 2**20} MiB, "
            "write it as JSONL (one object per line) so it can be streamed"
        )
    with file.open("rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"--dataset: {path} is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and text.lstrip().startswith("{"):
            return None
        raise DataFileError(
            f"--dataset: {path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise DataFileError(f"--dataset: {path} is nested too deeply to read as JSON") from None
    rows = _wrapped_rows(document)
    if rows is None:
        raise DataFileError(
            f"--dataset: {path} holds JSON {describe(document)}; expected a list of objects "
            'or an object holding one list (like {"data": [...]})'
        )
    return rows


def _jsonl_rows(file: Path, advance: Callable[[int], None]) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) for each non-blank line, streamed."""
    with file.open("rb") as f:
        for number, raw in enumerate(f, 1):
            advance(len(raw))
            line = raw.removeprefix(BOM) if number == 1 else raw
            if not line.strip(WHITESPACE):
                continue
            line = line.rstrip(b"\r\n")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield number, Unreadable(_not_utf8(line, exc))
                continue
            try:
                yield number, json.loads(text)
            except json.JSONDecodeError as exc:
                yield number, Unreadable(f"invalid JSON: {exc.msg.removesuffix(' at')} at column {exc.pos + 1}")
            except RecursionError:
                yield number, Unreadable("invalid JSON: nested too deeply")


def _csv_rows(file: Path, path: str, advance: Callable[[int], None]) -> Iterator[tuple[int, object]]:
    """(line where the record starts, {column: value}) for each CSV record after the header, streamed.

    Lines are decoded one at a time, so bytes that are not UTF-8 spoil only the record they are in.
    """
    undecodable: list[int] = []

    def lines() -> Iterator[str]:
        with file.open("rb") as f:
            for number, raw in enumerate(f, 1):
                advance(len(raw))
                line = raw.removeprefix(BOM) if number == 1 else raw
                try:
                    yield line.decode("utf-8")
                except UnicodeDecodeError:
                    undecodable.append(number)
                    yield line.decode("utf-8", "replace")

    previous_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
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
                    yield start, Unreadable(f"invalid CSV: {exc}")
                    continue
                raise DataFileError(f"--dataset: {path}: cannot read the CSV header: {exc}") from None
            end = reader.line_num
            spoiled = bool(undecodable)
            undecodable.clear()
            if not record:
                continue
            if header is None:
                if spoiled:
                    raise DataFileError(f"--dataset: {path}: the CSV header (line {start}) is not valid UTF-8")
                header = [name.strip() for name in record]
            elif spoiled:
                yield start, Unreadable("not valid UTF-8")
            elif len(record) != len(header):
                yield start, Unreadable(f"has {len(record)} fields; the CSV header has {len(header)}")
            else:
                yield start, {name: _cell(name, value) for name, value in zip(header, record, strict=True)}
    finally:
        csv.field_size_limit(previous_limit)


def _cell(name: str, value: str) -> object:
    """A CSV cell: text, except that ``messages`` / ``conversations`` cells may hold a JSON list."""
    if name in TURN_FIELDS and value.lstrip().startswith("["):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def _open_parquet(file: Path, path: str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataFileError("--dataset: reading Parquet needs pyarrow (pip install pyarrow)") from None
    try:
        return pq.ParquetFile(file)
    except Exception as exc:  # pyarrow raises its own error types for files that are not Parquet
        raise DataFileError(f"--dataset: {path} is not a readable Parquet file ({first_line(exc)})") from None


def _parquet_rows(parquet: Any, path: str, advance: Callable[[int], None]) -> Iterator[tuple[int, object]]:
    """A Parquet file's rows in record batches, reading only the columns that matter."""
    names = parquet.schema_arrow.names
    columns = [name for name in names if name in KNOWN_FIELDS]
    if not columns:
        raise DataFileError(
            f"--dataset: {path} has no column of a known layout (expected {EXPECTED_FIELDS}); "
            f"columns: {names_of(names)}"
        )
    index = 0
    for batch in parquet.iter_batches(batch_size=4096, columns=columns):
        for row in batch.to_pylist():
            yield index, {k: v for k, v in row.items() if v is not None}
            index += 1
        advance(batch.num_rows)


# --- rows -------------------------------------------------------------------------------------------------


def classify(row: object) -> tuple[str, str]:
    """The row's layout and the text the model trains on (fields or turns joined by newlines).

    Raises BadRowError with the reason for a row that no target could train on: malformed, of no known layout,
    a conversation without an assistant turn or with an empty one, a row without a response.
    """
    if isinstance(row, Unreadable):
        raise BadRowError(row.reason)
    if not isinstance(row, dict):
        raise BadRowError(f"row is {describe(row)}, not an object")
    if "messages" in row:
        return "messages", _turns(row, "messages", "role", "content")
    if "conversations" in row:
        return "sharegpt", _turns(row, "conversations", "from", "value")
    if "instruction" in row or "output" in row:
        parts = [_string(row, "instruction"), _string(row, "input", optional=True), _string(row, "output")]
        if not parts[2].strip():
            raise BadRowError("'output' is empty (no response to train on)")
        return "alpaca", _joined(parts)
    if "prompt" in row or "completion" in row:
        prompt, completion = _string(row, "prompt"), _string(row, "completion")
        if not completion.strip():
            raise BadRowError("'completion' is empty (no response to train on)")
        return "prompt_completion", _joined([prompt + completion])
    if "text" in row:
        return "text", _joined([_string(row, "text")])
    raise BadRowError(f"no known fields (expected {EXPECTED_FIELDS}); keys: {names_of(list(row))}")


def _string(row: dict[str, Any], key: str, *, optional: bool = False) -> str:
    if key not in row or (optional and row[key] is None):
        if optional:
            return ""
        raise BadRowError(f"missing '{key}'")
    value = row[key]
    if not isinstance(value, str):
        raise BadRowError(f"'{key}' is {describe(value)}, expected a string")
    return value


def _turns(row: dict[str, Any], key: str, speaker: str, content: str) -> str:
    turns = row[key]
    if not isinstance(turns, list):
        raise BadRowError(f"'{key}' is {describe(turns)}, expected a list of turns")
    if not turns:
        raise BadRowError(f"'{key}' is empty")
    texts = []
    answered = False
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise BadRowError(f"{key}[{i}] is {describe(turn)}, not an object")
        for field in (speaker, content):
            if field not in turn:
                raise BadRowError(f"{key}[{i}] has no '{field}'")
            if not isinstance(turn[field], str):
                raise BadRowError(f"{key}[{i}].{field} is {describe(turn[field])}, expected a string")
        role = ROLES.get(turn[speaker])
        if role is None:
            raise BadRowError(f"{key}[{i}].{speaker} is {turn[speaker]!r}; expected one of {', '.join(ROLES)}")
        if role == "assistant":
            if not turn[content].strip():
                raise BadRowError(f"{key}[{i}] is an empty assistant turn")
            answered = True
        texts.append(turn[content])
    if not answered:
        raise BadRowError(f"'{key}' has no assistant turn (nothing to train on)")
    if row.get("system") is not None and not isinstance(row["system"], str):
        raise BadRowError(f"'system' is {describe(row['system'])}, expected a string")
    return _joined(texts)


def _joined(parts: list[str]) -> str:
    text = "\n".join(part for part in parts if part)
    if not text:
        raise BadRowError("no text to train on (every field is empty)")
    return text


def minority_reason(layout: str, dataset_format: str) -> str:
    """The reason a valid row of another layout than the dataset's is skipped."""
    return f"a {layout} row; the dataset's format is {dataset_format}"


def training_row(row: dict[str, Any], layout: str) -> dict[str, Any]:
    """A valid row (``classify`` passed) as the scripts train it: chat turns, or a prompt and a completion, or text.

    Conversations become ``{"messages": [{"role", "content"}, ...]}`` with the speaker names mapped by ``ROLES``
    and a top-level ``system`` string put first when the turns start without one (as Axolotl does); alpaca
    rows become the ``ALPACA_PROMPT`` (``ALPACA_PROMPT_NO_INPUT`` without an input) and their output.
    """
    if layout in ("messages", "sharegpt"):
        key, speaker, content = (
            ("messages", "role", "content") if layout == "messages" else ("conversations", "from", "value")
        )
        turns = [{"role": ROLES[t[speaker]], "content": t[content]} for t in row[key]]
        system = row.get("system")
        if isinstance(system, str) and turns[0]["role"] != "system":
            turns.insert(0, {"role": "system", "content": system})
        return {"messages": turns}
    if layout == "alpaca":
        given = row.get("input")
        template = ALPACA_PROMPT if given else ALPACA_PROMPT_NO_INPUT
        return {
            "prompt": template.format(instruction=row["instruction"], input=given or ""),
            "completion": row["output"],
        }
    if layout == "prompt_completion":
        return {"prompt": row["prompt"], "completion": row["completion"]}
    return {"text": row["text"]}


class Examples:
    """The training examples of one format in a file, streamed; the bad rows are counted as they pass.

    ``examples()`` yields ``training_row`` for every valid row of ``dataset_format``; after it, ``kept`` is
    their number, ``bad`` the number of bad rows (malformed, or of another layout) and ``samples`` the first
    ``max_samples`` of them as (line or row index, reason), in file order.
    """

    def __init__(self, path: str, dataset_format: str, max_samples: int = 20) -> None:
        self.file = RowFile(path)
        self.path = path
        self.dataset_format = dataset_format
        self.max_samples = max_samples
        self.kept = 0
        self.bad = 0
        self.samples: list[tuple[int, str]] = []

    def examples(self) -> Iterator[dict[str, Any]]:
        for number, row in self.file.rows():
            try:
                layout, _ = classify(row)
                if layout != self.dataset_format:
                    raise BadRowError(minority_reason(layout, self.dataset_format))
            except BadRowError as exc:
                self.bad += 1
                if len(self.samples) < self.max_samples:
                    self.samples.append((number, str(exc)))
                continue
            self.kept += 1
            assert isinstance(row, dict)
            yield training_row(row, layout)

    def summary(self) -> str:
        """What was read: the examples kept, and each bad row skipped with its line (or row index) and reason."""
        plural = "" if self.kept == 1 else "s"
        lines = [f"{self.path}: {self.kept:,} example{plural} ({self.dataset_format}); {self.bad:,} bad rows skipped"]
        lines += [f"  {self.file.unit} {number}: {reason}" for number, reason in self.samples]
        if self.bad > len(self.samples):
            lines.append(f"  ... and {self.bad - len(self.samples):,} more")
        return "\n".join(lines)


def describe(value: object) -> str:
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


def names_of(names: list[str], limit: int = 6) -> str:
    if not names:
        return "(none)"
    shown = ", ".join(repr(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _not_utf8(line: bytes, exc: UnicodeDecodeError) -> str:
    return f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})"


def first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
