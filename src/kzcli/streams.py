"""Standard streams: one line on stderr, quiet ends to closed pipes, and what stdout is.

Nothing here imports Rich or the core: every command's last step, and the
exit path, use these.
"""

from __future__ import annotations

import contextlib
import errno
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


class ClosedStdout:
    """Stands for a stdout kz was started without (``kz export -o kz.db >&-``).

    A command that never writes to stdout runs as usual; the first write
    fails like a write to a closed descriptor, and kz exits 74 for it.
    """

    encoding = "utf-8"
    errors = "strict"

    def _closed(self) -> OSError:
        return OSError(errno.EBADF, "stdout is closed")

    def write(self, text: str) -> int:
        raise self._closed()

    def flush(self) -> None:
        """Nothing was written, so nothing to flush."""

    def fileno(self) -> int:
        raise self._closed()

    def isatty(self) -> bool:
        return False


def fill_closed_descriptors() -> None:
    """Put /dev/null on any of descriptors 0, 1, 2 that kz was started without.

    Otherwise the next file kz opens takes the lowest free number: an export's
    temporary file would become descriptor 2, and whatever the interpreter
    writes to stderr would land in the export.
    """
    for descriptor, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(descriptor)
        except OSError:
            with contextlib.suppress(OSError):
                opened = os.open(os.devnull, mode)
                if opened != descriptor:
                    os.dup2(opened, descriptor)
                    os.close(opened)


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
