"""``python -m ftguide`` and the ``ftguide`` command.

Ctrl-C is handled before the first heavy import (typer, pydantic): during start-up it ends the process with
one line and exit 130, never a traceback; :func:`ftguide.cli.main` takes over from there.
"""

from __future__ import annotations

import signal

from ftguide.streams import interrupted_now


def main() -> None:
    signal.signal(signal.SIGINT, interrupted_now)
    from ftguide.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
