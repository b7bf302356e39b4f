"""The ``kz`` command's first code: SIGINT, SIGTERM and SIGHUP are kz's before anything else is imported.

The console script and ``python -m kzcli`` import this module first; it
imports only ``kzcli.stopping`` (itself only the built-in ``_signal``) and
hands the signals to it at once, so that Ctrl-C during the ~80 ms of imports
that follow says ``kz: interrupted`` and exits 130, never a traceback (33 of
90 early Ctrl-C printed one when the handler came with ``kzcli.entry``). Once
kz has its answer and exit code, the signals are ignored: the code stands.

What runs before this module is Python's own start and the two standard
modules the installer's script imports (``re``, ``sys``); nothing of kz's.
"""

from kzcli import stopping

stopping.handle()


def leave(code: int) -> int:
    """End the process with ``code`` at once, once stdout and stderr are flushed.

    Freeing every object of a run costs more than the run itself on a large
    corpus (1.1 s of 2.3 s for a search at 100 times the report, measured; the
    garbage collector is off, and the interpreter's last collection walks every
    object anyway), and the operating system takes the memory back in one go.
    If a stream cannot be flushed, Python's ordinary exit handles it, as before.
    """
    import os
    import sys

    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return code
    os._exit(code)


def main() -> int:
    """Run kz on the command line and return its exit code (``kzcli.entry.main`` does the work)."""
    code: int | None = None
    try:
        stopping.caught_from_here()
        from kzcli.entry import main as run

        code = run()
        stopping.ignore()
    except stopping.Stopped as stop:
        if code is not None:  # the answer was complete when the signal came
            return code
        stopping.say(stop.message)
        return stop.exit_code
    return code
