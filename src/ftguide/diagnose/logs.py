"""Reading a run's log: the records of a ``trainer_state.json``, a JSONL file or a console log, within caps.

A log is read once, front to back, in time linear in its length:

* A whole-file JSON document (``trainer_state.json``, or a JSON list of log dicts) is parsed in one go; its
  records are checked field by field (a ``loss`` that is text, or a record that is not an object, is an error
  naming the record and the field).
* Anything else is read line by line in 1 MiB blocks (carriage returns end a line too, so tqdm's progress
  redraws stay short): a whole-line JSON value, else every flat ``{...}`` in the line (the dicts Transformers,
  TRL and Axolotl print), parsed with ``json`` and, failing that, ``ast.literal_eval``; never executed.  Lines
  that do not parse are console noise and skipped.

Caps (each a constant below): at most ``MAX_LOG_BYTES`` read from a file or a pipe; a whole-file JSON document
of at most ``MAX_DOCUMENT_BYTES``; lines of at most ``MAX_LINE_CHARS``; JSON nested no deeper than the parser's
recursion limit; numbers no longer than ``MAX_NUMBER_DIGITS`` digits and within a float's range.  Devices are
refused; a pipe or FIFO is read once, as it arrives.  Every failure is one :class:`InputError` line that names
``--log`` and the file.
"""

from __future__ import annotations

import ast
import codecs
import io
import json
import json.scanner
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any

from ftguide.errors import InputError

__all__ = [
    "FIELDS",
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_CHARS",
    "MAX_LOG_BYTES",
    "MAX_NUMBER_DIGITS",
    "Row",
    "iter_rows",
    "read_log",
    "row_of_record",
]

MAX_LOG_BYTES = 1024**3
"""Most bytes read from one log (1 GiB: about 5 million console records); a longer file or stream is refused."""
MAX_DOCUMENT_BYTES = 256 * 1024**2
"""Largest whole-file JSON document (256 MiB: a trainer_state.json of about 1.9 million records)."""
MAX_LINE_CHARS = 1024**2
"""Longest line of a line-by-line log (1 MiB)."""
MAX_NUMBER_DIGITS: int = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
"""Longest integer read (Python's own limit for turning text into a number, 4300 by default); a field's value
must also fit a float."""
_LITERAL_MAX_CHARS = 4096
"""Longest dict handed to ``ast.literal_eval`` (the slow path, for Python reprs JSON cannot read)."""
_BLOCK = 1024**2
_MAX_STEP = 2**53
"""A logged step at or above this is not a step (floats stop counting exactly there)."""

FIELDS = ("step", "loss", "eval_loss", "grad_norm", "learning_rate", "epoch")
_SLOT = {name: i for i, name in enumerate(FIELDS)} | {
    "global_step": 0,
    "train/global_step": 0,
    "train/loss": 1,
    "eval/loss": 2,
    "train/grad_norm": 3,
    "train/learning_rate": 4,
    "train/epoch": 5,
}
"""Where each spelling of a field goes in [step, loss, eval_loss, grad_norm, learning_rate, epoch]."""
_CANONICAL = {name: i for i, name in enumerate(FIELDS)} | {name: -1 for name in _SLOT if name not in FIELDS}
"""The same for FIELDS' own names; -1 for the other spellings (whose order matters: see _values_in_order)."""
_EXPECTED = "a trainer_state.json, a JSONL file of log dicts, or a console log with {'loss': ...} lines"
_FLAT_DICT_CHARS = 20002
_DICT_IN_LINE = re.compile(r"\{[^{}\n\r]{1,20000}\}")
_BARE_NONFINITE = re.compile(r"([:,\[]\s*)(-?)(nan|inf)(?=\s*[,}\]])")
_JSON_NONFINITE = {"nan": "NaN", "inf": "Infinity"}
_OOM = re.compile(r"OutOfMemoryError|(?:CUDA|HIP|XPU|MPS backend|CUDA error:) out of memory|can't allocate memory")
_scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
"""json's own scanner (in C): one value from a position, without json.loads' Python-level wrapping."""
_scan_records: Any = None
"""The same, turning log records into tuples as it goes (``_record_or_dict``); made on first use."""
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_FAILED = object()

#: One record: (step, loss, eval_loss, grad_norm, learning_rate, epoch, error).  The five values are floats or
#: None (absent); ``error`` is None, or for the first out-of-memory line of a console log that line (shortened),
#: with every value None.
Row = tuple[int, float | None, float | None, float | None, float | None, float | None, str | None]


# ------------------------------------------------------------------------------------------------ public


def read_log(path: str) -> list[dict[str, Any]]:
    """The training and evaluation records of a log file (or of a training output folder).

    Each record has ``step`` (int) and, as floats, whichever of ``loss``, ``eval_loss``, ``grad_norm``,
    ``learning_rate`` and ``epoch`` it logged (``nan`` and ``inf`` kept).  Steps come from the records; where
    a record has none (console logs), training records are counted in order and an evaluation takes the step
    of the training record before it.  Records with neither ``loss`` nor ``eval_loss`` (the final summary)
    are left out.  In a console log, the first line reporting an out-of-memory error becomes a record
    ``{"step", "error"}`` (the line, shortened).  A folder is read as its ``trainer_state.json`` or its newest
    checkpoint's.
    """
    records: list[dict[str, Any]] = []
    for row in iter_rows(path):
        if row[6] is not None:
            records.append({"step": row[0], "error": row[6]})
        else:
            records.append({"step": row[0], **{FIELDS[i]: row[i] for i in range(1, 6) if row[i] is not None}})
    return records


def row_of_record(record: Any) -> Row | None:
    """A record as ``read_log`` returns it (or any mapping like one) as a Row; None when it has no loss."""
    if not isinstance(record, dict):
        return None
    step = record.get("step")
    step = int(step) if isinstance(step, int | float) and 0 <= step < _MAX_STEP else 0  # NaN fails the test
    error = record.get("error")
    if isinstance(error, str):
        return (step, None, None, None, None, None, error)
    values = [_lenient_number(record.get(name)) for name in FIELDS]
    if values[1] is None and values[2] is None:
        return None
    return (step, values[1], values[2], values[3], values[4], values[5], None)


def iter_rows(path: str) -> Iterator[Row]:
    """The records of a log as Rows, in order, read once and within the caps; see ``read_log``."""
    found = False
    json_error = None
    with _open(path) as handle:
        pieces = _pieces(handle, path)
        head, first = _head(pieces)
        if first is None:
            raise InputError(f"--log: {path} is empty (expected {_EXPECTED})")
        rows: Iterator[Row]
        if first.startswith(("{", "[")) and _parse_value(first, path, 1) is _FAILED:
            text, rest = _rest_of_document(head, pieces, path)
            document, json_error = _json_document(text, path) if text is not None else (None, None)
            if document is not None:
                del text, head
                rows = _document_rows(document, path)
            else:  # a console log that opens with a dict printed over several lines
                rows = _line_rows(rest if text is None else iter((text,)), path)
        else:
            rows = _line_rows(chain((head,), pieces), path)
        for row in rows:
            found = True
            yield row
    if not found:
        why = "no records"
        if json_error is not None and Path(path).suffix.lower() == ".json":
            why = f"not valid JSON ({json_error})"
        raise InputError(f"--log: {path}: {why} with loss or eval_loss (expected {_EXPECTED})")


# ------------------------------------------------------------------------------------------------ opening


def _open(path: str) -> io.FileIO:
    if "\0" in path:
        raise InputError("--log: the path holds a NUL character")
    try:
        info = os.stat(path)
        file = path
        if stat.S_ISDIR(info.st_mode):
            file = str(_state_in_folder(Path(path), path))
            info = os.stat(file)
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            raise InputError(f"--log: {path} is a device, not a log file (expected {_EXPECTED})")
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_LOG_BYTES:
            raise InputError(f"--log: {path} is larger than {_size(MAX_LOG_BYTES)}, the most ftguide reads")
        # A FIFO blocks here until a writer opens it, as `cat` would (Ctrl-C ends the wait).
        return open(file, "rb", buffering=0)
    except FileNotFoundError:
        raise InputError(f"--log: {path}: no such file (expected {_EXPECTED})") from None
    except OSError as exc:
        raise InputError(f"--log: {path}: cannot read it ({exc.strerror or 'unreadable'})") from None


def _size(limit: int) -> str:
    for unit, name in ((1024**3, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
        if limit % unit == 0:
            return f"{limit // unit} {name}"
    return f"{limit} bytes"


def _state_in_folder(folder: Path, given: str) -> Path:
    if (folder / "trainer_state.json").is_file():
        return folder / "trainer_state.json"
    numbered = {}
    for state in folder.glob("checkpoint-*/trainer_state.json"):
        number = state.parent.name.removeprefix("checkpoint-")
        if number.isdigit() and len(number) < 20:
            numbered[int(number)] = state
    if not numbered:
        raise InputError(f"--log: {given} is a folder without a trainer_state.json or checkpoint-*/ holding one")
    return numbered[max(numbered)]


def _pieces(handle: io.FileIO, name: str) -> Iterator[str]:
    """The file's text in blocks, decoded as UTF-8 (bad bytes replaced), at most MAX_LOG_BYTES of it."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    total = 0
    first = True
    while True:
        block = handle.read(_BLOCK)
        if not block:
            break
        total += len(block)
        if total > MAX_LOG_BYTES:
            raise InputError(f"--log: {name} is longer than {_size(MAX_LOG_BYTES)}, the most ftguide reads")
        text = decoder.decode(block)
        if first and text:
            text = text.removeprefix("\ufeff")
            first = False
        if text:
            yield text
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def _head(pieces: Iterator[str]) -> tuple[str, str | None]:
    """The text read so far and the first non-blank line of it, stripped (None for an empty log)."""
    head = ""
    for piece in pieces:
        head += piece
        start = len(head) - len(head.lstrip())
        if start == len(head):
            if len(head) > MAX_LINE_CHARS:  # a long run of blank space: drop it, keep looking
                head = ""
            continue
        end = _line_end(head, start)
        if end is not None or len(head) - start > MAX_LINE_CHARS:
            return head, head[start:end].strip()
    start = len(head) - len(head.lstrip())
    if start == len(head):
        return head, None
    return head, head[start : _line_end(head, start)].strip()


def _line_end(text: str, start: int) -> int | None:
    ends = [i for i in (text.find("\n", start), text.find("\r", start)) if i >= 0]
    return min(ends) if ends else None


# ------------------------------------------------------------------------------------------------ parsing


def _parse_value(text: str, name: str, line: int) -> Any:
    """The JSON value or Python literal ``text`` spells, or _FAILED.

    A Python repr without double quotes or backslashes is read as JSON with its quotes swapped (then every
    string is quote-free, so the swap changes no value); anything else JSON cannot read goes to literal_eval.
    """
    candidate = text
    if "'" in text and '"' not in text and "\\" not in text:
        candidate = text.replace("'", '"')
        if "nan" in candidate or "inf" in candidate:
            candidate = _BARE_NONFINITE.sub(lambda m: m[1] + m[2] + _JSON_NONFINITE[m[3]], candidate)
    try:
        value, end = _scan(candidate, 0)
        if end == len(candidate):
            return value
    except (StopIteration, json.JSONDecodeError):
        pass
    except RecursionError:
        raise InputError(f"--log: {name}: line {line} is nested too deeply to read") from None
    except ValueError:  # the only other error json raises: an integer past the digit limit
        raise InputError(f"--log: {name}: line {line} holds a number longer than {MAX_NUMBER_DIGITS} digits") from None
    if len(text) > _LITERAL_MAX_CHARS:
        return _FAILED
    try:
        return ast.literal_eval(_BARE_NONFINITE.sub(r"\1'\2\3'", text))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _FAILED


def _lenient_number(value: Any) -> float | None:
    if type(value) is float:
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return None
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _kind(value: Any) -> str:
    """What a JSON value is, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else "not JSON"


class _FieldError(Exception):
    """A record's field that is not a number, in a JSON document (turned into an InputError naming it)."""

    def __init__(self, key: str, value: Any) -> None:
        self.key, self.value = key, value

    def message(self, where: str) -> str:
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return f"--log: {where}: {self.key} is a number too large for a float"
        shown = f" ({json.dumps(self.value[:40])})" if isinstance(self.value, str) else ""
        return f"--log: {where}: {self.key} is {_kind(self.value)}{shown}, expected a number"


def _number(value: Any, key: str, strict: bool) -> float | None:
    """A field's value as a float: a number, or a number written as text; None when absent or (in a console
    line) not a number.  In a JSON document (``strict``) anything but a number, such text, or null is an error."""
    if type(value) is str:
        try:
            return float(value)
        except ValueError:
            if strict:
                raise _FieldError(key, value) from None
            return None
    number = _lenient_number(value)
    if number is None and strict and value is not None:
        raise _FieldError(key, value)
    return number


_ALIASES = frozenset(_SLOT) - frozenset(FIELDS)
_FLOATS = frozenset({float, type(None)})
_STEP_TYPES = frozenset({int, float, type(None)})
_TO_FLOAT: dict[type, Any] = {str: float, int: float}


def _values(record: dict[Any, Any], strict: bool, aliases: bool = True) -> list[float | None] | None:
    """[logged step, loss, eval_loss, grad_norm, learning_rate, epoch] of a log dict; None without a loss.

    Where a field is spelled twice (``loss`` and ``train/loss``) the first spelling with a number wins.
    ``aliases=False`` says the caller knows the dict has no W&B-style spelling (``train/loss``).
    """
    if aliases and not _ALIASES.isdisjoint(record):
        return _values_in_order(record.items(), strict)
    values = list(map(record.get, FIELDS))
    if values[1] is None and values[2] is None:
        return None
    if _FLOATS.issuperset(map(type, values)):
        return values
    try:  # numbers written as text (transformers 5 prints them so) and integers
        values = [v if v is None or type(v) is float else _TO_FLOAT[type(v)](v) for v in values]
    except (KeyError, ValueError, OverflowError):  # not a number: leave it out, or (strict) name it
        values = [_number(v, FIELDS[i], strict) for i, v in enumerate(values)]
    if values[1] is None and values[2] is None:
        return None
    return values


def _values_in_order(items: Iterable[tuple[Any, Any]], strict: bool) -> list[float | None] | None:
    values: list[float | None] = [None, None, None, None, None, None]
    for key, value in items:
        slot = _SLOT.get(key)
        if slot is not None and values[slot] is None:
            values[slot] = _number(value, key, strict)
    if values[1] is None and values[2] is None:
        return None
    return values


class _Steps:
    """Turns logged values into Rows, counting steps where the log has none."""

    def __init__(self) -> None:
        self.step = 0

    def row(self, values: list[float | None]) -> Row:
        logged = values[0]
        if logged is not None and 0 <= logged < _MAX_STEP:  # NaN fails both comparisons
            self.step = int(logged)
        elif values[1] is not None:
            self.step += 1
        return (self.step, values[1], values[2], values[3], values[4], values[5], None)


# ------------------------------------------------------------------------------------- JSON documents


def _rest_of_document(head: str, pieces: Iterator[str], name: str) -> tuple[str | None, Iterator[str]]:
    """The whole text of what opens like a JSON document; past MAX_DOCUMENT_BYTES, an error when its second
    line reads like JSON too, else (None, the text so far and the rest, to read line by line)."""
    parts = [head]
    size = len(head)
    for piece in chain(("",), pieces):
        size += len(piece)
        parts.append(piece)
        if size > MAX_DOCUMENT_BYTES:
            if _json_like(head):
                raise InputError(
                    f"--log: {name} is a JSON document larger than {_size(MAX_DOCUMENT_BYTES)}, "
                    "the most ftguide reads as one document"
                )
            return None, chain(parts, pieces)
    return "".join(parts), iter(())


def _json_like(head: str) -> bool:
    """Whether the line after the opening one starts as JSON would (a key, a value, a bracket)."""
    first = head.lstrip()
    end = _line_end(first, 0)
    second = first[end:].lstrip() if end is not None else ""
    return second[:1] in ('"', "{", "[", "]", "}") or second[:1].isdigit() or second[:1] == "-"


def _json_document(text: str, name: str) -> tuple[Any, str | None]:
    """The parsed document, or (None, why) when the text is not one JSON value.

    Log records are kept as tuples of their six raw field values as they are parsed (``_record_or_dict``),
    not as dicts: a fraction of the memory, and the fields are looked up once.
    """
    try:
        return json.loads(text, object_pairs_hook=_record_or_dict), None
    except json.JSONDecodeError as exc:
        return None, f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    except RecursionError:
        raise InputError(f"--log: {name}: the JSON is nested too deeply to read (trainer_state.json nests 3)") from None
    except ValueError:
        raise InputError(f"--log: {name}: the JSON holds a number longer than {MAX_NUMBER_DIGITS} digits") from None


def _record_or_dict(pairs: list[tuple[str, Any]]) -> tuple[Any, ...] | dict[str, Any]:
    """A JSON object with a loss as its raw (step, loss, eval_loss, grad_norm, learning_rate, epoch); any other
    object, or one that spells a field the W&B way (``train/loss``, read by ``_values`` in order), as a dict."""
    values: list[Any] = [None, None, None, None, None, None]
    slots = _CANONICAL
    for key, value in pairs:
        slot = slots.get(key)
        if slot is not None:
            if slot < 0:
                return dict(pairs)
            values[slot] = value  # a repeated key: the last one, as in a dict
    if values[1] is None and values[2] is None:
        return dict(pairs)
    return tuple(values)


def _document_rows(document: Any, name: str) -> Iterator[Row]:
    """The records of a trainer_state.json (its ``log_history``), a JSON list of log dicts, or one log dict;
    a record is a tuple from ``_record_or_dict`` or (a one-line document read as a line) a dict."""
    if isinstance(document, dict) and "log_history" in document:
        history = document["log_history"]
        label = "log_history"
        if not isinstance(history, list):
            raise InputError(f"--log: {name}: log_history is {_kind(history)}, expected a list of records")
    elif isinstance(document, list):
        history, label = document, "item"
    else:
        history, label = [document], ""
    step = 0
    for i, item in enumerate(history):
        try:
            kind = type(item)
            if kind is tuple:  # the usual record: float fields, an integer step
                plain = type(item[0]) in _STEP_TYPES and _FLOATS.issuperset(map(type, item[1:]))
                values = list(item) if plain else _converted(item)
            elif kind is dict:
                found = _values(item, strict=True)
                if found is None:
                    continue
                values = found
            else:
                raise _FieldError("", item)
            logged = values[0]
            if logged is not None:
                if not 0 <= logged < _MAX_STEP:
                    raise _FieldError("step", logged)
                step = int(logged)
            elif values[1] is not None:
                step += 1
        except _FieldError as exc:
            raise InputError(_field_message(exc, item, f"{name}: {label}[{i}]" if label else name)) from None
        yield (step, values[1], values[2], values[3], values[4], values[5], None)


def _converted(raw: tuple[Any, ...]) -> list[float | None]:
    """A document record's raw values as floats: numbers, numbers written as text, or null; else an error."""
    return [_number(value, FIELDS[i], True) for i, value in enumerate(raw)]


def _field_message(exc: _FieldError, item: Any, where: str) -> str:
    if not exc.key:
        return f"--log: {where} is {_kind(item)}, expected a record (an object with loss, step, ...)"
    if exc.key == "step" and type(exc.value) in (int, float):
        shown = f"{exc.value:g}" if abs(exc.value) < 1e15 else "a very large number"
        return f"--log: {where}: step is {shown}, expected a whole number from 0"
    return exc.message(where)


# ------------------------------------------------------------------------------------------- line logs


def _line_rows(pieces: Iterator[str], name: str) -> Iterator[Row]:
    """Rows of a JSONL file or a console log, block by block; the first out-of-memory line becomes a Row.

    Lines holding one flat dict (the common case: a whole line, or the end of a progress bar's line) are
    gathered and parsed together, once per block; any other line with a loss is read on its own.
    """
    steps = _Steps()
    rest = ""
    line = 1
    oom_seen = False
    flat: list[tuple[int, str]] = []  # (line, dict text) read in one go at the end of the block
    for piece in pieces:
        text = rest + piece if rest else piece
        if not text:
            continue
        segments = text.splitlines(True)
        rest = "" if segments[-1][-1] in _LINE_BREAKS else segments.pop()
        look_for_oom = not oom_seen and _may_report_oom(text)
        for segment in segments:
            if len(segment) > MAX_LINE_CHARS:
                raise InputError(f"--log: {name}: line {line} is longer than {_size(MAX_LINE_CHARS)}")
            if look_for_oom and not oom_seen and _is_oom(segment):
                yield from _flat_rows(flat, name, steps)
                oom_seen = True
                yield (steps.step, None, None, None, None, None, segment.strip()[:500])
            elif "loss" in segment:
                stripped = segment.strip()
                start = stripped.find("{")
                if (
                    start >= 0
                    and stripped[-1] == "}"
                    and stripped.find("}", start) == len(stripped) - 1
                    and stripped.find("{", start + 1) < 0
                    and len(stripped) - start <= _FLAT_DICT_CHARS
                    and (start == 0 or stripped[0] not in "{[")
                ):
                    flat.append((line, stripped[start:] if start else stripped))
                else:
                    yield from _flat_rows(flat, name, steps)
                    yield from _rows_in_line(stripped, name, line, steps)
            if segment[-1] == "\n":
                line += 1
        yield from _flat_rows(flat, name, steps)
        if len(rest) > MAX_LINE_CHARS:
            raise InputError(f"--log: {name}: line {line} is longer than {_size(MAX_LINE_CHARS)}")
    if not oom_seen and _may_report_oom(rest) and _is_oom(rest):
        yield (steps.step, None, None, None, None, None, rest.strip()[:500])
    elif "loss" in rest:
        yield from _rows_in_line(rest.strip(), name, line, steps)


def _flat_rows(flat: list[tuple[int, str]], name: str, steps: _Steps) -> list[Row]:
    """The records of gathered flat dicts, in order; the list is emptied."""
    if not flat:
        return []
    rows: list[Row] = []
    append = rows.append
    step = steps.step
    for found in _parse_all(flat, name):
        kind = type(found)
        if kind is tuple:
            values = found if _FLOATS.issuperset(map(type, found)) else _lenient(found)
            if values[1] is None and values[2] is None:
                continue
        elif kind is dict:
            values = _values(found, False)
            if values is None:
                continue
        else:
            continue
        logged = values[0]
        if logged is not None and 0 <= logged < _MAX_STEP:  # NaN fails both comparisons
            step = int(logged)
        elif values[1] is not None:
            step += 1
        append((step, values[1], values[2], values[3], values[4], values[5], None))
    steps.step = step
    flat.clear()
    return rows


def _lenient(raw: Sequence[Any]) -> list[float | None]:
    """A console record's raw values as floats; a value that is not a number is left out."""
    try:  # numbers written as text (transformers 5 prints them so) and integers
        return [v if v is None or type(v) is float else _TO_FLOAT[type(v)](v) for v in raw]
    except (KeyError, ValueError, OverflowError):
        return [_lenient_number(v) for v in raw]


def _parse_all(flat: list[tuple[int, str]], name: str) -> list[Any]:
    """Each dict text parsed as ``_parse_value`` would, with one JSON parse for all of them when it can (log
    records then come as tuples, see ``_record_or_dict``)."""
    global _scan_records
    if _scan_records is None:
        decoder = json.JSONDecoder(object_pairs_hook=_record_or_dict)
        _scan_records = json.scanner.make_scanner(decoder)  # type: ignore[arg-type]
    joined = "[" + ",".join(text for _, text in flat) + "]"
    if "\\" not in joined and ('"' not in joined or "'" not in joined):
        if "'" in joined:
            # Python reprs: swap the quotes and spell bare non-finite floats the JSON way (every string is
            # quote-free, so no value changes).
            joined = joined.replace("'", '"')
            if "nan" in joined or "inf" in joined:
                joined = _BARE_NONFINITE.sub(lambda m: m[1] + m[2] + _JSON_NONFINITE[m[3]], joined)
        try:
            values, end = _scan_records(joined, 0)
            if end == len(joined) and len(values) == len(flat):
                return list(values)
        except (StopIteration, ValueError, RecursionError):  # one of them is not JSON: read each alone
            pass
    return [_parse_value(text, name, line) for line, text in flat]


def _may_report_oom(text: str) -> bool:
    """A cheap test before the regex: every out-of-memory message holds one of these words."""
    return "out of memory" in text or "OutOfMemory" in text or "allocate memory" in text


def _is_oom(segment: str) -> bool:
    stripped = segment.lstrip()
    return not stripped.startswith("{") and _OOM.search(stripped) is not None


def _rows_in_line(text: str, name: str, line: int, steps: _Steps) -> list[Row]:
    """Every record a line holds (only called for lines that mention a loss: no other line can hold one)."""
    rows: list[Row] = []
    if text[0] in "{[" and text[-1] in "}]":
        whole = _parse_value(text, name, line)
        if whole is not _FAILED:
            if isinstance(whole, dict) and isinstance(whole.get("log_history"), list):
                return list(_document_rows(whole, f"{name} line {line}"))
            for item in whole if isinstance(whole, list) else [whole]:
                values = _values(item, strict=False) if isinstance(item, dict) else None
                if values is not None:
                    rows.append(steps.row(values))
            return rows
    for match in _DICT_IN_LINE.finditer(text):
        found = _parse_value(match.group(), name, line)
        if type(found) is dict:
            values = _values(found, strict=False)
            if values is not None:
                rows.append(steps.row(values))
    return rows
