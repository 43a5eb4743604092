"""Every file ftguide reads or writes for the user, in one place: documents, datasets and ``-o`` targets.

Readers are bounded and checked at the edge, so nothing past them meets a value it cannot handle:

* a size cap (a document is read once, at most :data:`DOCUMENT_LIMIT` bytes; a YAML one at most
  :data:`YAML_LIMIT`, since YAML parses a hundred times slower than JSON), and only regular files or piped
  standard input: a device or a FIFO is refused before it is opened for reading;
* a depth cap (:data:`MAX_DEPTH` levels of lists and mappings, checked while YAML is scanned, before it is
  built), a number cap (integers of at most :data:`MAX_INT_DIGITS` digits, finite floats), no YAML aliases,
  mapping keys that are strings, and only plain JSON values (no YAML timestamps, sets or binary);
* a type check of the fields every config and profile shares (:data:`FIELD_TYPES`): ``micro_batch_size: abc``
  is refused here, naming the field, before any rule does arithmetic on it.

Every failure is an :class:`InputError` that names the flag or file and what is allowed.  Writers stage each
file next to its destination and move it in place only when all of them were written, so a run leaves every
file or none; without ``--force`` the move refuses to replace anything, also when another process created the
file in the meantime (so of several runs racing for one name exactly one wins).
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ftguide.errors import InputError

DOCUMENT_LIMIT = 16 * 1024 * 1024
"""Largest JSON document (profile, suggest document, samples) ftguide reads, in bytes."""
YAML_LIMIT = 1024 * 1024
"""Largest YAML document: a config is a few KiB, and a MiB of YAML takes seconds to parse."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings in a document (an Axolotl config needs five)."""
MAX_INT_DIGITS = 19
"""Longest integer in a document: anything past int64 is no training setting."""
NAME_MAX = 255
"""Longest path component most file systems allow."""


def shown(path: object) -> str:
    """A path for a message: control characters escaped, and a very long one shortened in the middle."""
    from ftguide.streams import printable

    text = printable(str(path))
    return text if len(text) <= 160 else f"{text[:100]}...{text[-50:]}"


def os_reason(exc: OSError) -> str:
    """What an OSError means for the user's path, in words (never an empty string)."""
    code = exc.errno
    if code == errno.ENAMETOOLONG:
        return f"a path component is longer than {NAME_MAX} characters (or the whole path is too long)"
    if code == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ELOOP:
        return "too many levels of symbolic links"
    if code == errno.ENOSPC:
        return "no space left on the device (the disk is full)"
    if code == errno.EDQUOT:
        return "disk quota exceeded"
    if code == errno.EROFS:
        return "the file system is read-only"
    if code == errno.ENOENT:
        return "no such file or folder"
    return exc.strerror or type(exc).__name__


def _long_component(path: str) -> str | None:
    return next((part for part in Path(path).parts if len(os.fsencode(part)) > NAME_MAX), None)


def _lstat_kind(path: Path) -> str | None:
    """``"dir"``, ``"file"`` or ``"other"`` for an existing path (links followed), None for a missing one."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            return None
        raise
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest existing parent of ``path`` when it is not a folder (``file/sub``: ``file``)."""
    parent = next((p for p in path.parents if p.exists()), None)
    return parent if parent is not None and not parent.is_dir() else None


# ------------------------------------------------------------------------------------------------ reading


def read_bytes(source: str, what: str, limit: int = DOCUMENT_LIMIT) -> tuple[bytes, str]:
    """The bytes of a regular file or of piped standard input (``-``), at most ``limit`` of them.

    A device, a FIFO or a socket is refused without reading it: it may never end (``/dev/zero``) or, read
    once, be gone when ftguide needs it again.
    """
    if source == "-":
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            raise InputError(f"{what}: '-' reads standard input, but standard input is closed")
        try:
            if stdin.isatty():
                raise InputError(f"{what}: '-' reads standard input, but nothing was piped in")
            buffer = getattr(stdin, "buffer", None)
            raw = buffer.read(limit + 1) if buffer is not None else stdin.read(limit + 1).encode("utf-8")
        except (OSError, ValueError) as exc:
            reason = os_reason(exc) if isinstance(exc, OSError) else "closed"
            raise InputError(f"{what}: cannot read standard input: {reason}") from None
        if len(raw) > limit:
            raise InputError(f"{what}: standard input is larger than {_size(limit)}")
        return raw, "standard input"
    if not source:
        raise InputError(f"{what}: the path is empty (give a file, or - for standard input)")
    if "\x00" in source:
        raise InputError(f"{what}: the path {shown(source)} holds a NUL character")
    path = Path(source)
    name = shown(path)
    long = _long_component(source)
    if long is not None:
        raise InputError(f"{what}: cannot read {name}: a path component is longer than {NAME_MAX} characters")
    try:
        kind = _lstat_kind(path)
        if kind is None:
            blocker = _file_in_the_way(path)
            if blocker is not None:
                raise InputError(f"{what}: cannot read {name}: {shown(blocker)} is a file, not a folder")
            raise InputError(f"{what}: {name} does not exist")
        if kind == "dir":
            raise InputError(f"{what}: {name} is a directory, expected a file")
        if kind == "other":
            raise InputError(f"{what}: {name} is not a regular file (a device, pipe or socket); give a file")
        # O_NONBLOCK: should the path have turned into a FIFO since, opening it must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(f"{what}: {name} is not a regular file (a device, pipe or socket); give a file")
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{what}: cannot read {name}: {os_reason(exc)}") from None
    if len(raw) > limit:
        raise InputError(f"{what}: {name} is larger than {_size(limit)}")
    return raw, str(path)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"


def refuse_special(source: str | Path, what: str, limit: int = DOCUMENT_LIMIT) -> None:
    """Refuse a device, FIFO or socket, an unreadable path and a regular file over ``limit`` bytes.

    For readers elsewhere that open the file themselves (``check`` on a script, ``diagnose --profile``): they
    then meet neither an endless device nor a FIFO that blocks nor a file that would not fit in memory.  A
    missing file or a folder is left to them to report.
    """
    text = str(source)
    _regular_or_missing(text, what)
    with contextlib.suppress(OSError):
        if Path(text).is_file() and Path(text).stat().st_size > limit:
            raise InputError(f"{what}: {shown(text)} is larger than {_size(limit)}")


def preflight(source: str, what: str) -> None:
    """Check a config another reader will open (``diagnose --profile``), so every refusal names ``what``.

    It must be a regular file; a JSON / YAML document is read here with every check of :func:`read_document`.
    """
    if source.endswith(".py"):
        read_bytes(source, what)
    else:
        read_document(source, what)


def read_document(source: str, what: str) -> Any:
    """A JSON or YAML document from a path or ``-`` (stdin): bounded, parsed safely, checked at the edge.

    The result holds only dicts with string keys, lists, strings, booleans, None, integers of at most
    :data:`MAX_INT_DIGITS` digits and finite floats, nested at most :data:`MAX_DEPTH` deep; the fields of
    :data:`FIELD_TYPES` have their types (at the top level and under ``profile``).
    """
    raw, name = read_bytes(source, what)
    name = shown(name)
    if not raw.strip():
        raise InputError(f"{what}: {name} is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{what}: {name} is not UTF-8 text (line {line}); save it as UTF-8") from None
    if "\x00" in text:
        raise InputError(f"{what}: {name} holds a NUL character (a binary file?); expected JSON or YAML text")
    is_json = text.lstrip().startswith(("{", "["))
    doc = _load_json(text, what, name) if is_json else _load_yaml(text, what, name)
    check_plain(doc, what, name)
    check_fields(doc, what, name)
    return doc


def _load_json(text: str, what: str, name: str) -> Any:
    import json

    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INT_DIGITS:
            raise InputError(
                f"{what}: {name} holds an integer of {len(digits.lstrip('-'))} digits "
                f"(at most {MAX_INT_DIGITS}: {digits[:12]}...)"
            )
        return int(digits)

    def parse_constant(word: str) -> Any:
        raise InputError(f"{what}: {name} holds {word}, which is not a number ftguide reads (finite numbers only)")

    try:
        return json.loads(text, parse_int=parse_int, parse_constant=parse_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: {name} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise InputError(f"{what}: {name} is nested too deeply (at most {MAX_DEPTH} levels)") from None


def _yaml_loader() -> Any:
    """A safe YAML loader (libyaml's when installed) that reads dates as the strings they are written as."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        """Safe loading, minus the implicit timestamp type: ``2024-01-01`` stays a string."""

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    return Loader


def _load_yaml(text: str, what: str, name: str) -> Any:
    import yaml

    if len(text.encode("utf-8")) > YAML_LIMIT:
        raise InputError(f"{what}: {name} is larger than {_size(YAML_LIMIT)} of YAML (a config is a few KiB)")
    loader = _yaml_loader()
    openers = (
        yaml.BlockSequenceStartToken,
        yaml.BlockMappingStartToken,
        yaml.FlowSequenceStartToken,
        yaml.FlowMappingStartToken,
    )
    closers = (yaml.BlockEndToken, yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
    try:
        # A first pass over the tokens: the depth and the aliases are checked before anything is built.
        depth = 0
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, openers):
                depth += 1
                if depth > MAX_DEPTH:
                    line = token.start_mark.line + 1
                    raise InputError(f"{what}: {name} is nested too deeply (line {line}; at most {MAX_DEPTH} levels)")
            elif isinstance(token, closers):
                depth -= 1
            elif isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                # Aliases can expand a small file into gigabytes ("billion laughs"); configs need none.
                raise InputError(
                    f"{what}: {name} uses YAML anchors or aliases (&name, *name), which ftguide does not read"
                )
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        if problem and "nesting depth" in problem:
            raise InputError(f"{what}: {name} is nested too deeply{where}; at most {MAX_DEPTH} levels") from None
        detail = f": {problem}" if problem else ""
        raise InputError(f"{what}: {name} is not valid JSON or YAML{where}{detail}") from None
    except RecursionError:
        raise InputError(f"{what}: {name} is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except InputError:
        raise
    except ValueError as exc:  # an integer past Python's digit limit, a malformed number
        raise InputError(f"{what}: {name} holds a value ftguide cannot read ({str(exc).split(':')[0]})") from None


def _where(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the document"


_NOT_TEXT = "holds a lone surrogate escape (\\ud800-\\udfff), which is no character; fix the text"


def _is_text(text: str) -> bool:
    """Valid Unicode: JSON's ``\\ud800`` escape alone decodes to a surrogate no file can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _under(path: tuple[Any, ...]) -> str:
    return f"under {_where(path)} " if path else ""


def check_plain(doc: Any, what: str, name: str) -> None:
    """Refuse anything but plain JSON values: string keys, bounded integers, finite floats, bounded depth."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise InputError(f"{what}: {name} is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and not _is_text(key):
                    raise InputError(f"{what}: {name}: key {shown(repr(key))} {_under(path)}{_NOT_TEXT}")
                if not isinstance(key, str):
                    raise InputError(
                        f"{what}: {name}: key {shown(repr(key))} {_under(path)}is not a string "
                        "(YAML reads 1, yes, on and null as numbers, booleans and null; quote the key)"
                    )
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            if not _is_text(value):
                raise InputError(f"{what}: {name}: {_where(path)}: {_NOT_TEXT}")
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if len(str(abs(value))) > MAX_INT_DIGITS:
                raise InputError(f"{what}: {name}: {_where(path)}: integer too large (at most {MAX_INT_DIGITS} digits)")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise InputError(f"{what}: {name}: {_where(path)}: {value} is not a finite number")
        else:
            kind = {"bytes": "binary data", "set": "a set", "tuple": "pairs"}.get(type(value).__name__, "a value")
            raise InputError(
                f"{what}: {name}: {_where(path)} holds {kind} ({type(value).__name__}); "
                "expected strings, numbers, booleans, null, lists and mappings"
            )


# The fields that mean one thing in every document ftguide reads (a profile, a suggest document, an Axolotl
# YAML): their types are checked at the edge.  Types only: the bounds are the rules' business (a bad value is
# a finding, a value of the wrong type a refusal).
_INT, _NUM, _STR, _BOOL = "an integer", "a number", "a string", "true or false"
FIELD_TYPES: dict[str, tuple[str, ...]] = {
    # profile fields
    "base_model": (_STR,),
    "learning_rate": (_NUM, _STR),
    "num_epochs": (_NUM,),
    "batch_size": (_INT,),
    "gradient_accumulation_steps": (_INT,),
    "effective_batch_size": (_INT,),
    "lora_r": (_INT,),
    "lora_alpha": (_INT,),
    "lora_dropout": (_NUM,),
    "target_modules": ("a list of strings", _STR),
    "warmup_ratio": (_NUM,),
    "lr_scheduler": (_STR,),
    "max_seq_length": (_INT,),
    "quantization": (_STR,),
    "gradient_checkpointing": (_BOOL, _STR),
    "optimizer": (_STR,),
    "precision": (_STR,),
    "early_stopping_patience": (_INT,),
    "num_gpus": (_INT,),
    "distributed": (_STR,),
    "val_set_size": (_NUM,),
    "eval_steps": (_NUM,),
    "logging_steps": (_INT,),
    "weight_decay": (_NUM,),
    "max_grad_norm": (_NUM,),
    "seed": (_INT,),
    "dataset_format": (_STR,),
    "dataset_path": (_STR,),
    "output_dir": (_STR,),
    "attn_implementation": (_STR,),
    "chat_template": (_STR,),
    # Axolotl keys that carry them, or that its rules read
    "micro_batch_size": (_INT,),
    "sequence_len": (_INT,),
    "lora_target_modules": ("a list of strings", _STR),
    "datasets": ("a list of mappings",),
    "adapter": (_STR,),
    "load_in_4bit": (_BOOL,),
    "load_in_8bit": (_BOOL,),
    "bf16": (_BOOL, _STR),
    "fp16": (_BOOL, _STR),
    "save_steps": (_NUM,),
    "warmup_steps": (_NUM,),
    # a suggest document's parts
    "profile": ("a mapping",),
    "inputs": ("a mapping",),
    "decisions": ("a list of mappings",),
}


def _is(value: Any, kind: str) -> bool:
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == _STR:
        return isinstance(value, str)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == "a mapping":
        return isinstance(value, dict)
    if kind == "a list of strings":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "a list of mappings":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise AssertionError(kind)


def check_fields(doc: Any, what: str, name: str) -> None:
    """The fields of :data:`FIELD_TYPES` have their types (null means unset and is always allowed)."""
    if not isinstance(doc, dict):
        return
    places: list[tuple[str, dict[str, Any]]] = [("", doc)]
    if isinstance(doc.get("profile"), dict):
        places.append(("profile.", doc["profile"]))
    for prefix, mapping in places:
        for key, kinds in FIELD_TYPES.items():
            value = mapping.get(key)
            if value is None or any(_is(value, kind) for kind in kinds):
                continue
            got = shown(repr(value))
            got = got if len(got) <= 40 else got[:37] + "..."
            raise InputError(f"{what}: {name}: {prefix}{key} must be {' or '.join(kinds)} (got {got})")


def read_dataset(path: str, tokenizer: str | None) -> Any:
    """``--dataset``: the dataset's statistics; bad rows are reported on stderr, with the first one's line.

    Only a regular file: the reader passes over it more than once, which a FIFO cannot give.
    """
    from ftguide import streams
    from ftguide.dataset import read_dataset as scan

    _regular_or_missing(path, "--dataset")
    stats = scan(path, tokenizer=tokenizer, progress=not streams.QUIET)
    if stats.bad_rows:
        first = stats.bad_row_samples[0] if stats.bad_row_samples else None
        where = f" (first: line {first.line}: {streams.printable(first.reason)})" if first else ""
        streams.note(f"--dataset: {stats.bad_rows} bad row(s) skipped{where}")
    return stats


def _regular_or_missing(source: str, what: str) -> None:
    """Refuse a path that cannot be stat'ed or is a device / FIFO; a missing one is the reader's to report."""
    if not source or "\x00" in source:
        raise InputError(f"{what}: the path {shown(source)!s} is empty or holds a NUL character")
    if _long_component(source) is not None:
        raise InputError(f"{what}: cannot read {shown(source)}: a path component is longer than {NAME_MAX} characters")
    try:
        kind = _lstat_kind(Path(source))
    except OSError as exc:
        raise InputError(f"{what}: cannot read {shown(source)}: {os_reason(exc)}") from None
    if kind == "other":
        raise InputError(f"{what}: {shown(source)} is not a regular file (a device, pipe or socket); give a file")
    if kind is None:
        blocker = _file_in_the_way(Path(source))
        if blocker is not None:
            raise InputError(f"{what}: cannot read {shown(source)}: {shown(blocker)} is a file, not a folder")


def read_samples(source: str) -> list[str]:
    """``--samples``: generated texts, as a JSON/YAML list of strings or ``{"samples": [...]}``."""
    doc = read_document(source, "--samples")
    texts = doc.get("samples") if isinstance(doc, dict) else doc
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise InputError('--samples: expected a JSON list of strings or {"samples": [strings]}')
    return texts


# ------------------------------------------------------------------------------------------------ writing


def _file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would create: 0o666 less the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Ctrl-C waits until the block is done (a few KiB are written), then interrupts as usual.

    So an interrupted run leaves every file or none, and never a staged ``.tmp`` file.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    except (ValueError, OSError):  # not the main interpreter
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _check_target(path: Path, force: bool) -> None:
    name = shown(path)
    if not str(path) or "\x00" in str(path):
        raise InputError(f"-o: the path {name} is empty or holds a NUL character")
    long = _long_component(str(path))
    if long is not None:
        raise InputError(f"-o: cannot write {name}: a path component is longer than {NAME_MAX} characters")
    try:
        kind = _lstat_kind(path)
        blocker = _file_in_the_way(path)
    except OSError as exc:
        raise InputError(f"-o: cannot write {name}: {os_reason(exc)}") from None
    if blocker is not None:
        raise InputError(f"-o: cannot write {name}: {shown(blocker)} is a file, not a folder")
    if kind == "dir":
        raise InputError(f"-o: {name} is a directory; give a file name, or end the folder with /")
    if kind == "other":
        raise InputError(f"-o: {name} is not a regular file (a device, pipe or socket); give a file name")
    if kind == "file" and not force:
        raise InputError(f"-o: {name} exists; pass --force to overwrite it")


def write_files(files: Mapping[Path, str], *, force: bool) -> None:
    """Write every file or none: each is staged in its folder, fsynced, then moved in place.

    Without ``force`` an existing file is never replaced: the move is a hard link, which fails when the name
    exists, so of several ftguide runs racing for one name exactly one wins.  The staged files are removed on
    every failure (a full disk, Ctrl-C); the error names the file; the mode follows the umask.
    """
    for path, text in files.items():
        _check_target(path, force)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, e.g. from a JSON "\ud800" escape in the input
            raise InputError(
                f"-o: cannot write {shown(path)}: the content holds a lone surrogate, not UTF-8 text"
            ) from None
    with _sigint_deferred():
        _write_all(files, force)


def _write_all(files: Mapping[Path, str], force: bool) -> None:
    staged: list[tuple[str, Path]] = []
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
    except FileExistsError:
        _undo(staged)
        if current is not None and current.is_dir():
            raise InputError(f"-o: {shown(current)} is a directory; give a file name") from None
        raise InputError(f"-o: {shown(current)} exists; pass --force to overwrite it") from None
    except OSError as exc:
        _undo(staged)
        raise InputError(f"-o: cannot write {shown(current)}: {os_reason(exc)}") from None
    except BaseException:
        _undo(staged)
        raise


def _place_new(tmp: str, path: Path) -> None:
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links: exclusive create, then copy
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as out, open(tmp, encoding="utf-8") as src:
                out.write(src.read())
        except FileExistsError:
            raise
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
    os.unlink(tmp)


def _undo(staged: list[tuple[str, Path]]) -> None:
    """Remove every staged file; files already moved in place stay (they are complete)."""
    for tmp, _ in staged:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def output_paths(output: str, names: list[str], main: str) -> tuple[dict[str, Path], Path]:
    """Where each of ``names`` goes for ``-o OUTPUT``, and the folder the run starts in.

    A folder (existing, or spelled with a trailing slash, or needed because several files are written) gets
    every file under its default name; otherwise OUTPUT names the main file and the rest go beside it.
    """
    if not output or "\x00" in output:
        raise InputError("-o: the path is empty or holds a NUL character (give a file, or a folder ending in /)")
    if _long_component(output) is not None:
        raise InputError(f"-o: cannot write {shown(output)}: a path component is longer than {NAME_MAX} characters")
    target = Path(output)
    try:
        existing_dir = _lstat_kind(target) == "dir"
    except OSError as exc:
        raise InputError(f"-o: cannot write {shown(output)}: {os_reason(exc)}") from None
    folder_like = existing_dir or output.endswith(("/", "\\", os.sep)) or len(names) > 1
    folder = target if folder_like else target.parent
    paths = {name: (folder / name if folder_like or name != main else target) for name in names}
    return paths, folder


def output_path(output: str, default_name: str) -> Path:
    """Where one file goes for ``-o OUTPUT``: OUTPUT itself, or ``default_name`` inside a folder.

    Every command answers a folder the same way (``render``, ``suggest --emit``, ``check --fix``): an existing
    folder, or one spelled with a trailing slash, gets the file under its default name.
    """
    paths, _ = output_paths(output, [default_name], default_name)
    return paths[default_name]


def write_or_print(text: str, output: str | None, default_name: str, force: bool) -> None:
    """One rendered file: to stdout, or to ``-o`` (a file, or a folder that gets ``default_name``)."""
    from ftguide.streams import note, write_stdout

    if output is None:
        write_stdout(text)
        return
    path = output_path(output, default_name)
    write_files({path: text}, force=force)
    note(f"wrote {path}")
