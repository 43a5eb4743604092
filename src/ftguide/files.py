"""Every file ftguide reads or writes for the user, in one place: documents, datasets and ``-o`` targets.

Readers are bounded (a size cap, no YAML aliases) and turn every failure into an :class:`InputError` that names
the flag or file.  Writers stage each file next to its destination and move it in place only when all of them
were written, so a run leaves every file or none; without ``--force`` the move refuses to replace anything,
also when another process created the file in the meantime.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ftguide.errors import InputError

DOCUMENT_LIMIT = 16 * 1024 * 1024


def read_bytes(source: str, what: str, limit: int = DOCUMENT_LIMIT) -> tuple[bytes, str]:
    """The bytes of a regular file or of piped standard input (``-``), at most ``limit`` of them."""
    if source == "-":
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError(f"{what}: '-' reads standard input, but nothing was piped in")
        return sys.stdin.buffer.read(limit + 1), "standard input"
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError(f"{what}: {path} is a directory, expected a file")
        if path.exists() and not path.is_file():
            raise InputError(f"{what}: {path} is not a regular file (a device or pipe)")
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError(f"{what}: {path} does not exist") from None
    except OSError as exc:
        raise InputError(f"{what}: cannot read {path}: {exc.strerror or 'unreadable'}") from None
    if len(raw) > limit:
        raise InputError(f"{what}: {path} is larger than {limit // (1024 * 1024)} MiB")
    return raw, str(path)


def read_document(source: str, what: str) -> Any:
    """A JSON or YAML document from a path or ``-`` (stdin), parsed safely and with a size limit."""
    import json

    import yaml

    raw, name = read_bytes(source, what)
    if len(raw) > DOCUMENT_LIMIT:
        raise InputError(f"{what}: {name} is larger than 16 MiB")
    if not raw.strip():
        raise InputError(f"{what}: {name} is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what}: {name} is not UTF-8 text") from None
    try:
        if text.lstrip().startswith(("{", "[")):
            return json.loads(text)
        # Aliases can expand a small file into gigabytes ("billion laughs"); profiles and configs need none.
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=yaml.SafeLoader)):
            raise InputError(f"{what}: {name} uses YAML aliases (*name), which ftguide does not read")
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", getattr(exc, "lineno", None))
        where = f" (line {line + 1 if hasattr(exc, 'problem_mark') else line})" if line is not None else ""
        raise InputError(f"{what}: {name} is not valid JSON or YAML{where}") from None
    except RecursionError:
        raise InputError(f"{what}: {name} is nested too deeply") from None
    except InputError:
        raise
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise InputError(f"{what}: {name} holds a value ftguide cannot read ({str(exc).split(':')[0]})") from None


def read_dataset(path: str, tokenizer: str | None) -> Any:
    """``--dataset``: the dataset's statistics; bad rows are reported on stderr, with the first one's line."""
    from ftguide import streams
    from ftguide.dataset import read_dataset as scan

    stats = scan(path, tokenizer=tokenizer, progress=not streams.QUIET)
    if stats.bad_rows:
        first = stats.bad_row_samples[0] if stats.bad_row_samples else None
        where = f" (first: line {first.line}: {first.reason})" if first else ""
        streams.note(f"--dataset: {stats.bad_rows} bad row(s) skipped{where}")
    return stats


# ------------------------------------------------------------------------------------------------ writing


def _file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would create: 0o666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_files(files: Mapping[Path, str], *, force: bool) -> None:
    """Write every file or none: each is staged in its folder, fsynced, then moved in place.

    Without ``force`` an existing file is never replaced: the move is a hard link, which fails when the name
    exists, so of several ftguide runs racing for one name exactly one wins.
    """
    for path in files:
        if path.is_dir():
            raise InputError(f"-o: {path} is a directory")
        if path.exists() and not force:
            raise InputError(f"-o: {path} exists; pass --force to overwrite it")
    staged: list[tuple[str, Path]] = []
    placed: list[Path] = []
    mode = _file_mode()
    current: Path | None = None
    try:
        for path, text in files.items():
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
        for tmp, path in staged:
            current = path
            if force:
                os.replace(tmp, path)
            else:
                _place_new(tmp, path)
            placed.append(path)
    except FileExistsError:
        _undo(staged, placed)
        raise InputError(f"-o: {current} exists; pass --force to overwrite it") from None
    except OSError as exc:
        _undo(staged, placed)
        reason = exc.strerror or "write failed"
        if exc.errno == errno.ENAMETOOLONG:
            reason = "a path component is longer than the file system allows"
        raise InputError(f"-o: cannot write {current}: {reason}") from None
    except BaseException:  # Ctrl-C mid-write: leave no staged file behind
        _undo(staged, placed)
        raise


def _place_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive create, then copy
        with open(path, "x", encoding="utf-8", newline="\n") as out, open(tmp, encoding="utf-8") as src:
            out.write(src.read())
    os.unlink(tmp)


def _undo(staged: list[tuple[str, Path]], placed: list[Path]) -> None:
    for tmp, _ in staged:
        if os.path.exists(tmp):
            os.unlink(tmp)
    del placed  # files already moved in place stay: they are complete


def output_paths(output: str, names: list[str], main: str) -> tuple[dict[str, Path], Path]:
    """Where each of ``names`` goes for ``-o OUTPUT``, and the folder the run starts in.

    A folder (existing, or spelled with a trailing slash, or needed because several files are written) gets
    every file under its default name; otherwise OUTPUT names the main file and the rest go beside it.
    """
    target = Path(output)
    folder_like = target.is_dir() or output.endswith(("/", "\\")) or len(names) > 1
    folder = target if folder_like else target.parent
    paths = {name: (folder / name if folder_like or name != main else target) for name in names}
    return paths, folder


def write_or_print(text: str, output: str | None, default_name: str, force: bool) -> None:
    """One rendered file: to stdout, or to ``-o`` (a file, or a folder that gets ``default_name``)."""
    from ftguide.streams import note, write_stdout

    if output is None:
        write_stdout(text)
        return
    paths, _ = output_paths(output, [default_name], default_name)
    write_files({paths[default_name]: text}, force=force)
    note(f"wrote {paths[default_name]}")


def read_samples(source: str) -> list[str]:
    """``--samples``: generated texts, as a JSON/YAML list of strings or ``{"samples": [...]}``."""
    doc = read_document(source, "--samples")
    texts = doc.get("samples") if isinstance(doc, dict) else doc
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise InputError('--samples: expected a JSON list of strings or {"samples": [strings]}')
    return texts
