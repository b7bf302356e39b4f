"""Running ``kz`` as a real process: in a pipe, in a pseudo-terminal, in-process through ``main``.

Linux-only: ``run_kz_pty`` (pty, termios, fcntl) and ``wait_for_blocked_write``
(/proc); the tests that use them are marked ``linux``.

What only a real process shows (exit codes, pipes that close, terminal width,
encodings, signals, what gets imported) is tested through these helpers; the
in-process runner is for property tests that need hundreds of cheap runs of
the same top-level error handling.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

KZ = (sys.executable, "-m", "kzcli")
# Variables that change kz's behaviour; each test sets the ones it means to.
_AMBIENT = (
    "KZ_DATA",
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
    "LINES",
    "PYTHONIOENCODING",
    "LC_ALL",
    "TERM",
    "KZ_PAGER",
    "PAGER",
    "LESS",
)
# Any ANSI SGR sequence that sets a colour (foreground, background, 256 or RGB).
COLOUR_SGR_RE = re.compile(r"\x1b\[(?:[0-9]*;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]*)*m")


@dataclass(frozen=True)
class Run:
    """What a finished kz process left: its exit code and both streams, decoded."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def kz_env(**overrides: str | None) -> dict[str, str]:
    """The test process's environment minus kz's own knobs, plus ``overrides`` (None removes)."""
    env = {k: v for k, v in os.environ.items() if k not in _AMBIENT}
    env["TERM"] = "xterm-256color"
    env["PAGER"] = "cat"  # no pager: nobody reads a test's terminal (tests of the pager set their own)
    env.setdefault("LANG", "C.UTF-8")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_kz(
    args: Sequence[str],
    env: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 60,
    flags: Sequence[str] = (),
) -> Run:
    """``python [FLAGS] -m kzcli ARGS`` with stdout and stderr to pipes, stdin closed."""
    done = subprocess.run(
        [sys.executable, *flags, "-m", "kzcli", *args],
        env=dict(env) if env is not None else kz_env(),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Run(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def run_kz_pty(
    args: Sequence[str],
    env: Mapping[str, str] | None = None,
    columns: int = 80,
    rows: int = 40,
    timeout: float = 60,
    flags: Sequence[str] = (),
) -> Run:
    """``python -m kzcli ARGS`` with stdout on a pseudo-terminal of the given size; stderr to a pipe.

    The pty sends "\\r\\n" for each newline; ``out`` has them turned back into "\\n".
    """
    chosen = dict(env) if env is not None else kz_env()
    chosen.setdefault("COLUMNS", str(columns))
    chosen.setdefault("LINES", str(rows))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, *flags, "-m", "kzcli", *args],
        env=chosen,
        stdin=slave,
        stdout=slave,
        stderr=subprocess.PIPE,
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed its end of the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            # No break when the process has ended: what it wrote may still be on its way through the
            # terminal (under load, later than a select timeout); EIO says the last of it was read.
        else:
            process.kill()
        assert process.stderr is not None
        err = process.stderr.read()
        code = process.wait(timeout=timeout)
    finally:
        os.close(master)
        if process.stderr is not None:
            process.stderr.close()
    out = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Run(code, out, err.decode("utf-8", "replace"))


@contextlib.contextmanager
def _redirected(argv: Sequence[str]) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["kz", *argv]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        sys.argv = saved


def run_main(argv: Sequence[str]) -> Run:
    """``kzcli.entry.main`` in this process, stdout and stderr captured (never a TTY).

    The corpus stays cached between runs unless ``--data`` is given, so a
    property test can afford hundreds of examples.
    """
    import signal

    import kzcli.cli.common as cli
    from kzcli.entry import main
    from kzcli.session import Session

    keep = cli.SESSION
    if "--data" in argv:
        cli.SESSION = Session()
    # main() takes SIGINT, SIGTERM and SIGHUP (kzcli.stopping): give them back to pytest after.
    handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with _redirected(argv) as (out, err):
            code = main(list(argv))
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        cli.SESSION = keep
        keep.use(None)
    return Run(int(code), out.getvalue(), err.getvalue())


def tree(root: str | Path) -> dict[str, int]:
    """Every path under ``root`` with its size: to prove a run wrote nothing."""
    found: dict[str, int] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = os.lstat(path).st_size
    return found


def wait_for_blocked_write(pid: int, timeout: float = 2.0) -> None:
    """Wait until ``pid`` sleeps in a write to a full pipe or terminal (Linux /proc), else a moment.

    Callers make sure the process cannot finish its output without them (more
    output than the pipe holds), so this only makes "during output" likelier to
    mean "blocked in write"; it never decides the outcome.
    """
    wchan = Path(f"/proc/{pid}/wchan")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = wchan.read_text()
        except OSError:
            break
        if "pipe_write" in state or "tty" in state or "wait_woken" in state:
            return
        time.sleep(0.01)
    time.sleep(0.2)
