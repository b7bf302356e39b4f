"""Standard streams: one line on stderr, quiet ends to closed pipes, and what stdout is.

Nothing here imports Rich or the core: every command's last step, and the
exit path, use these.
"""

from __future__ import annotations

import contextlib
import os
import sys


def say(message: str) -> None:
    """One line on stderr, ``kz: `` first; if stderr is closed or full, the message is lost, never the exit code."""
    from kzcli.text import message_line

    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.write(f"kz: {message_line(message)}\n")
        sys.stderr.flush()


def discard_stdout() -> None:
    """Send what is still buffered for stdout to /dev/null: nothing more is printed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


def rich_terminal() -> bool:
    """Rich only for a real terminal that can show it."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class ReaderGone(Exception):
    """The reader of stdout stopped early (``kz timeline | head -1``): not an error, exit 0."""
