"""Standard output and standard error: the one place that writes to them.

stdout carries the product (one document, table or rendered file); stderr carries notes (silenced by
``--quiet``) and errors.  User values shown on either are escaped: no control character reaches the terminal.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

#: ``--quiet``: informational lines on stderr are dropped (errors never are).
QUIET = False


def note(message: str) -> None:
    """An informational line on stderr (``wrote PATH``), silenced by --quiet."""
    if not QUIET:
        err(message)


def write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def err(message: str) -> None:
    """One line on stderr; control characters from user values are shown escaped, never sent raw."""
    sys.stderr.write(printable(message.rstrip("\n")) + "\n")
    sys.stderr.flush()


def printable(text: str) -> str:
    """``text`` with every control character (escape sequences too) written as a visible escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else ascii(ch)[1:-1] for ch in text)


def esc(value: Any) -> str:
    """A value for a rich table cell or line: markup neutralised, control characters escaped."""
    from rich.markup import escape

    return escape(printable(str(value)))


def guard_streams() -> None:
    """Make stdout and stderr able to write any text (a non-UTF-8 locale must not turn a value into a crash)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
