"""The console entry point: the first kz code to run, so Ctrl-C is handled from the start.

Python's own SIGINT handler raises ``KeyboardInterrupt`` wherever the program
happens to be. During the ~80 ms of imports before ``cli.main`` runs that is a
traceback; during a command, typer catches it and exits 130 without a word,
then Python still flushes the output it had buffered (and blocks on a pipe
nobody reads). Here SIGINT raises ``Interrupted`` instead, a BaseException
that no ``except Exception`` and no ``except KeyboardInterrupt`` catches on
its way up: kz drops the rest of its output, says one line and exits 130.

Example: ``kz timeline`` then Ctrl-C -> ``kz: interrupted`` on stderr, exit 130.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from types import FrameType

from kzcli.errors import EXIT_INTERRUPTED


class Interrupted(BaseException):
    """SIGINT arrived; raised past every handler in kz, typer and click."""


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    raise Interrupted


def discard_stdout() -> None:
    """Send what is still buffered for stdout to /dev/null: nothing more is printed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


def main() -> None:
    """Run the CLI with SIGINT turned into one line on stderr and exit code 130.

    The cyclic garbage collector is off: a kz process lives for a fraction of a
    second and makes little cyclic garbage, while collections during imports and
    corpus loading cost ~4 ms of a ~60 ms search and over 300 ms on a corpus 100
    times the size (benchmarks/startup.py, benchmarks/scale.py).
    """
    gc.disable()
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        from kzcli.cli import main as run

        run()
    except Interrupted:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        discard_stdout()
        try:
            sys.stderr.write("kz: interrupted\n")
            sys.stderr.flush()
        except (AttributeError, OSError, ValueError):
            pass
        raise SystemExit(EXIT_INTERRUPTED) from None
