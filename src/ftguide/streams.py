"""Standard output and standard error: the one place that writes to them, and what happens when they fail.

stdout carries the product (one document, table or rendered file); stderr carries notes (silenced by
``--quiet``) and errors.  User values shown on either are escaped: no control character reaches the terminal,
and no rich markup in a value is interpreted.

The streams may fail under ftguide: the reader of a pipe goes away (``| head``), stdout is closed (``>&-``)
or is a full device (``> /dev/full``), or its encoding cannot spell a character (``PYTHONIOENCODING=ascii``).
:func:`guard_streams` and :func:`finish` make each of those an exit code, never a traceback or an
"Exception ignored" message at shutdown.  This module imports nothing heavy: the entry point uses it before
anything else is loaded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable
from typing import Any

#: ``--quiet``: informational lines on stderr are dropped (errors never are).
QUIET = False


class OutputClosed(Exception):
    """Nobody reads standard output any more (a closed pipe, or stdout closed): ftguide stops quietly."""


class OutputFailed(Exception):
    """Standard output refused the product (a full disk, an I/O error): one line on stderr."""


def note(message: str) -> None:
    """An informational line on stderr (``wrote PATH``), silenced by --quiet."""
    if not QUIET:
        err(message)


def write_stdout(text: str) -> None:
    """The product on stdout, flushed; a closed or failing stdout raises OutputClosed / OutputFailed.

    The product (a JSON or YAML document, a rendered file) is UTF-8 whatever the locale says: under
    ``PYTHONIOENCODING=ascii`` a value's ``ü`` must not become a ``\\xfc`` that changes what the file means.
    """
    stream = sys.stdout
    if stream is None:
        raise OutputClosed
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None and not _is_utf8(getattr(stream, "encoding", None)):
            stream.flush()
            buffer.write(text.encode("utf-8", "backslashreplace"))
            buffer.flush()
            return
        stream.write(text)
        stream.flush()
    except Exception as exc:
        translated = _translated(exc)
        if translated is None:
            raise
        raise translated from None


def _is_utf8(encoding: str | None) -> bool:
    return (encoding or "utf-8").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def err(message: str) -> None:
    """One line on stderr; control characters from user values are shown escaped, never sent raw.

    Never raises: with stderr closed or broken, the line is lost and the exit code still tells.
    """
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError, UnicodeError):
        stream.write(printable(message.rstrip("\n")) + "\n")
        stream.flush()


def printable(text: str) -> str:
    """``text`` with every control character (escape sequences too) written as a visible escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else ascii(ch)[1:-1] for ch in text)


def esc(value: Any) -> str:
    """A value for a rich table cell or line: markup neutralised, control characters escaped."""
    from rich.markup import escape

    return escape(printable(str(value)))


def _translated(exc: BaseException) -> Exception | None:
    """What a failed write to stdout means: OutputClosed (nobody reads), OutputFailed (a device error)."""
    if isinstance(exc, (OutputClosed, OutputFailed)):
        return exc
    if isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno in (errno.EPIPE, errno.EBADF)):
        return OutputClosed()
    if isinstance(exc, ValueError) and "closed file" in str(exc):
        return OutputClosed()
    if isinstance(exc, OSError):
        return OutputFailed(exc.strerror or type(exc).__name__)
    return None


class GuardedStdout:
    """Standard output as ftguide writes it, whoever writes (ftguide, rich, click's help).

    A failed write or flush raises :class:`OutputClosed` or :class:`OutputFailed`, which the CLI's boundary
    turns into an exit code; a closed stdout (``>&-``) is a stand-in whose first write raises OutputClosed.
    Everything else (``isatty``, ``encoding``, ``fileno``) is the real stream's.
    """

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    @property
    def wrapped(self) -> Any:
        return self._stream

    def write(self, text: str) -> int:
        if self._stream is None:
            if not text:
                return 0
            raise OutputClosed
        try:
            return int(self._stream.write(text))
        except Exception as exc:
            translated = _translated(exc)
            if translated is None:
                raise
            raise translated from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except Exception as exc:
            translated = _translated(exc)
            if translated is None:
                raise
            raise translated from None

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def fileno(self) -> int:
        if self._stream is None:
            raise OSError(errno.EBADF, "standard output is closed")
        return int(self._stream.fileno())

    @property
    def encoding(self) -> str:
        return str(getattr(self._stream, "encoding", None) or "utf-8")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def guard_streams() -> Callable[[], None]:
    """Make stdout and stderr able to write any text, and every stdout failure an exception the CLI maps.

    A non-UTF-8 locale (``LANG=C``, ``PYTHONIOENCODING=ascii``) writes characters it cannot spell as
    backslash escapes instead of failing; stdout becomes a :class:`GuardedStdout`.  Returns the function that
    puts the original stdout back.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, AttributeError):
                reconfigure(errors="backslashreplace")
    original = sys.stdout
    guarded = original if isinstance(original, GuardedStdout) else GuardedStdout(original)
    sys.stdout = guarded  # type: ignore[assignment]

    def restore() -> None:
        if sys.stdout is guarded:
            sys.stdout = original

    return restore


def stdout_failure() -> Exception | None:
    """OutputClosed / OutputFailed when what is still buffered for stdout cannot be written, else None."""
    stream = sys.stdout
    if stream is None:
        return None
    try:
        stream.flush()
    except Exception as exc:
        return _translated(exc) or OutputFailed(str(exc))
    return None


def drop_stdout() -> None:
    """Send whatever is still buffered for stdout to /dev/null, so Python's own flush at exit cannot fail."""
    stream = sys.stdout.wrapped if isinstance(sys.stdout, GuardedStdout) else sys.stdout
    if stream is None:
        return
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    with contextlib.suppress(Exception):
        stream.flush()


def interrupted_now(signum: int, frame: Any) -> None:
    """A SIGINT handler for start-up and shutdown, when nothing needs undoing: one line, exit 130 at once."""
    with contextlib.suppress(OSError):
        os.write(2, b"ftguide: interrupted\n")
    os._exit(130)
