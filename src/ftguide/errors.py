"""Errors that reach the user as one line on stderr, and the exit codes every command uses."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What ``ftguide`` exits with; scripts and CI jobs may rely on these values."""

    OK = 0
    """The command did what was asked (``check``: no finding at or above ``--fail-on``)."""
    FINDINGS = 1
    """``check`` found something at or above ``--fail-on``."""
    OUTPUT_CLOSED = 1
    """The reader of standard output went away before ftguide finished writing (``| head``)."""
    BAD_INPUT = 2
    """Bad input: a flag, a file, a model name, or a profile that cannot fit the budget."""
    INTERNAL_ERROR = 70
    """A failure ftguide did not foresee (a bug; EX_SOFTWARE): one line on stderr, please report it."""
    INTERRUPTED = 130
    """Ctrl-C (SIGINT)."""


class InputError(ValueError):
    """Bad input: a flag value, a file, a model name. The message names the input and what is allowed."""


class FitError(InputError):
    """No profile fits the memory budget. The message gives the minimum this model needs."""


class RenderError(RuntimeError):
    """A rendered file did not parse back to the profile: ftguide refuses to hand out a wrong file."""
