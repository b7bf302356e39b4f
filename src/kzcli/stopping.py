"""SIGINT, SIGTERM and SIGHUP as one exception, ``Stopped``, raised wherever kz is.

Python's own SIGINT handler raises ``KeyboardInterrupt``: a traceback while
modules are being imported, a silent exit 130 from click during a command.
SIGTERM and SIGHUP end the process on the spot, leaving temporary files and
journals behind. Here each raises ``Stopped``, a BaseException no ``except
Exception`` catches on its way up, so every ``finally`` and cleanup runs
(``kzcli.files`` removes its temporary file or folder), and the entry point
says one line and exits 128 + the signal's number: 130, 143, 129.

This module imports nothing but the interpreter's built-in ``_signal`` (not
``signal``, which loads enum; not even ``types`` or ``typing`` for annotations):
``kzcli.start`` installs the handler before any other kz code is imported.
"""

import _signal

SIGNALS = (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP)
_SAID = {_signal.SIGINT: "interrupted", _signal.SIGTERM: "stopped by SIGTERM", _signal.SIGHUP: "stopped by SIGHUP"}


class Stopped(BaseException):
    """A signal asked kz to stop; raised past every handler in kz, typer and click."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def message(self) -> str:
        return _SAID.get(self.signum, f"stopped by signal {self.signum}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


# Whether a ``try`` that catches ``Stopped`` is running (``caught_from_here``).
_caught = False


def _stop(signum: int, frame: object) -> None:
    # One stop is enough: a second Ctrl-C while kz cleans up changes nothing.
    ignore()
    if _caught:
        raise Stopped(signum)
    # Between installing the handler and entering the try that catches Stopped
    # (the rest of kzcli.start's import, the call of its main), nothing of kz's
    # runs yet: say the line here and exit, as the kz script's own handler does.
    # A signal at that moment printed a traceback (CI, 1 run in some hundreds).
    stop = Stopped(signum)
    say(stop.message)
    raise SystemExit(stop.exit_code)


def say(message: str) -> None:
    """One line on stderr with nothing else of kz's loaded (the signal may have come during its imports)."""
    import sys

    try:
        sys.stderr.write(f"kz: {message}\n")
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        pass


def caught_from_here() -> None:
    """Called as the first statement of the ``try`` that catches ``Stopped``: from now on the signals raise it."""
    global _caught
    _caught = True


def handle() -> None:
    """From now on each of the signals raises ``Stopped`` (in the main thread only; elsewhere a no-op)."""
    try:
        for signum in SIGNALS:
            _signal.signal(signum, _stop)
    except ValueError:  # not the main thread (kz embedded in a program): its handlers stay
        pass


def ignore() -> None:
    """From now on the signals change nothing: kz is stopping, or its answer is complete."""
    try:
        for signum in SIGNALS:
            _signal.signal(signum, _signal.SIG_IGN)
    except ValueError:
        pass


class held:
    """``with held():`` the signals wait until the block ends (where the OS can hold them back).

    For a step that must not be cut in two: creating a temporary file and
    keeping its name, so that a signal between the two cannot leave a file
    nobody will remove. A signal that came meanwhile is raised as the block ends.
    """

    def __enter__(self) -> None:
        try:
            self._before = _signal.pthread_sigmask(_signal.SIG_BLOCK, SIGNALS)
        except (AttributeError, OSError, ValueError):
            self._before = None

    def __exit__(self, *exc: object) -> None:
        if self._before is not None:
            _signal.pthread_sigmask(_signal.SIG_SETMASK, self._before)
