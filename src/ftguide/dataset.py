"""Read a training dataset (``--dataset``): its row format, its size and how long its examples are.

The file is read by ``templates/_rows.py``, the dataset reader that the rendered training scripts carry
verbatim: ftguide and the script open a file the same way, judge every row with the same checks, number
bad rows the same way and skip the same ones.  Formats, decided by the extension (``.jsonl`` / ``.ndjson``,
``.json``, ``.csv``, ``.parquet``) or, for any other name, by the first non-blank byte (``[`` or ``{``):

* JSONL and CSV are streamed line by line, so a file of millions of rows never sits in memory; a line that is
  not UTF-8 or not JSON is one bad row, not a failed read.
* JSON (a list of objects, or an object holding one list such as ``{"data": [...]}``) is parsed whole with the
  standard library, up to 512 MiB; a ``.json`` file that holds one object per line is read as JSONL.
* Parquet needs ``pyarrow``, which ftguide does not depend on.

Each row is one of the layouts the rendered training files read: ``alpaca`` (``instruction`` + ``output``,
optional ``input``), ``messages`` (``messages``: ``role`` / ``content`` turns), ``sharegpt``
(``conversations``: ``from`` / ``value`` turns), ``prompt_completion`` (``prompt`` + ``completion``) or
``text`` (``text``).  The dataset's format is the most common row layout; rows in another layout, and
malformed rows, are counted as bad and the first few are kept with their line (or row index) and reason.  A
conversation without an assistant turn, an empty assistant turn, an empty output or completion, or a speaker
name none of the targets knows is a bad row too: no target could train on it.

Lengths count the text the model trains on: the fields or turns joined by newlines (prompt and completion
directly).  Tokens are estimated as ``ceil(characters / 4)``, or counted exactly with a local
``tokenizer.json`` when the ``tokenizers`` package is installed (``--tokenizer``; nothing is downloaded).
Only a list of lengths per row is kept.  Nothing is printed on stdout; the progress bar goes to stderr.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ftguide.errors import InputError
from ftguide.models import DatasetFormat

__all__ = ["BadRow", "DatasetStats", "LengthStats", "read_dataset", "rows_module", "write_clean"]

CHARS_PER_TOKEN = 4
"""The token estimate without a tokenizer: ``ceil(characters / CHARS_PER_TOKEN)``."""
TEMPLATE_ALLOWANCE = 32
"""Tokens added to the 95th percentile for the chat / prompt template around each example."""
SEQ_LENGTH_STEP = 256
SEQ_LENGTH_MAX = 32768
_TOKEN_BATCH = 1024


def rows_module() -> ModuleType:
    """``templates/_rows.py``, the reader shared with the rendered scripts, loaded once as ``ftguide._rows``."""
    name = "ftguide._rows"
    loaded = sys.modules.get(name)
    if loaded is not None:
        return loaded
    from ftguide.render import templates_dir

    spec = importlib.util.spec_from_file_location(name, templates_dir() / "_rows.py")
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with ftguide
        raise InputError("--dataset: the dataset reader templates/_rows.py is missing (broken install)")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


rows = rows_module()

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
    tokens_total: int = Field(ge=1)
    """Tokens of all the examples together (counted as ``tokens`` are)."""
    token_percentiles: list[int] = Field(min_length=101, max_length=101)
    """Tokens per example at each percentile 0, 1, ..., 100 (nearest rank; 0 is the shortest): the distribution
    the schedule reads to price padding and packing."""
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
    try:
        source = rows.RowFile(path)
        count_tokens = _load_tokenizer(tokenizer) if tokenizer is not None else None
        tally = _Tally(max_bad_rows, count_tokens)
        with _progress(progress, source.total, source.progress_unit) as advance:
            for number, row in source.rows(advance):
                tally.add(number, row)
    except rows.DataFileError as exc:
        raise InputError(str(exc)) from None
    return tally.stats(path, source.unit)


def write_clean(path: str, dest: str, dataset_format: str, *, force: bool = False) -> int:
    """Write the valid rows of ``dataset_format`` in ``path`` to ``dest`` as JSONL; return how many.

    Each row is written as read (the same fields), one per line, so that a tool that stops at the first bad
    line (Axolotl's loader) trains exactly the rows ftguide counted.  ``dest`` must not be ``path`` and is not
    replaced unless ``force``; it is written to a temporary file first and renamed into place.
    """
    target = Path(dest)
    if target.exists() and target.resolve() == Path(path).resolve():
        raise InputError(f"--clean-dataset: {dest} is the --dataset file itself; name another file")
    if target.exists() and not force:
        raise InputError(f"--clean-dataset: {dest} exists (use --force to replace it)")
    if target.is_dir():
        raise InputError(f"--clean-dataset: {dest} is a directory")
    kept = 0
    partial = target.with_name(f".{target.name}.partial")
    try:
        source = rows.RowFile(path)
        with partial.open("w", encoding="utf-8") as out:
            for _, row in source.rows():
                try:
                    layout, _ = rows.classify(row)
                except rows.BadRowError:
                    continue
                if layout == dataset_format:
                    out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                    kept += 1
        os.replace(partial, target)
    except rows.DataFileError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(str(exc)) from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"--clean-dataset: cannot write {dest}: {exc.strerror or exc}") from None
    return kept


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
        raise InputError(f"--tokenizer: cannot load {file} ({rows.first_line(exc)})") from None
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
            layout, text = rows.classify(row)
        except rows.BadRowError as exc:
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
                    f"{rows.EXPECTED_FIELDS}){detail}"
                )
            raise InputError(f"--dataset: {path} has no rows (expected {rows.EXPECTED_FILE})")
        counts = {layout: len(lengths) for layout, lengths in self.chars.items()}
        layout = max(counts, key=lambda name: counts[name])  # dicts keep first-seen order: ties go to the first
        samples = list(self.malformed_samples)
        for other, lines in self.first_lines.items():
            if other != layout:
                samples += [BadRow(line=line, reason=rows.minority_reason(other, layout)) for line in lines]
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
            tokens_total=max(1, sum(tokens)),
            token_percentiles=[tokens[0], *(_percentile(tokens, k) for k in range(1, 101))],
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
