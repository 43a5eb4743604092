"""Errors that reach the user as one line on stderr and exit code 2."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a flag value, a file, a model name. The message names the input and what is allowed."""


class FitError(InputError):
    """No profile fits the memory budget. The message gives the minimum this model needs."""


class RenderError(RuntimeError):
    """A rendered file did not parse back to the profile: ftguide refuses to hand out a wrong file."""
