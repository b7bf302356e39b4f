"""A real interactive zsh, bash or fish in a pseudo-terminal, with kz's completion loaded: what TAB inserts.

Linux-only (pty, termios); the tests that use it are marked ``linux``.

Each line is typed as a user would: the words, TAB, then Ctrl-A and ``args ``
in front, then Enter. ``args`` is a shell function writing its arguments
NUL-separated to a file, so what comes back is the command line exactly as the
shell parsed it after the completion was inserted. Nothing here sleeps to let
something happen: it waits for a marker the shell prints, or for that file.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from types import TracebackType

from .kzprocess import kz_env

SHELLS = ("zsh", "bash", "fish")
_ARGV = {
    "zsh": ["zsh", "-f", "-i"],
    "bash": ["bash", "--norc", "--noprofile", "-i"],
    "fish": ["fish", "--no-config", "-i"],
}
_READY = "RE''ADY"  # typed; the shell prints READY, which the echo of the typed line never holds
_CTRL_A = "\x01"
_TIMEOUT = 30.0


def _setup(shell: str, answer: Path, zsh_by_eval: bool) -> str:
    """Load kz's completion as its README tells a user to, and define ``args``.

    zsh loads it as an installed function (``_kz`` in a folder of ``$fpath``, found by
    compinit), so the first TAB of the session is the function's first run; or, with
    ``zsh_by_eval``, by evaluating the script after compinit.
    """
    out, staging = shlex.quote(str(answer)), shlex.quote(f"{answer}.tmp")
    if shell == "fish":
        return (
            "kz --show-completion fish | source; "
            f"function args; printf '%s\\0' $argv > {staging}; and mv {staging} {out}; end; echo {_READY}"
        )
    if shell == "zsh" and not zsh_by_eval:
        load = (
            'mkdir -p "$HOME/zfunc" && kz --show-completion zsh > "$HOME/zfunc/_kz" && fpath=("$HOME/zfunc" $fpath); '
            "bindkey -e; autoload -Uz compinit; compinit -u -D"
        )
    elif shell == "zsh":
        load = 'bindkey -e; autoload -Uz compinit; compinit -u -D; eval "$(kz --show-completion zsh)"'
    else:
        load = 'set -o emacs; eval "$(kz --show-completion bash)"'
    return f"{load}; args() {{ printf '%s\\0' \"$@\" > {staging} && mv {staging} {out}; }}; echo {_READY}"


def kz_launcher(folder: Path, prelude: str = "") -> Path:
    """A ``kz`` program in ``folder``, the console script's two lines (after ``prelude``), for PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "kz"
    script.write_text(
        f"#!{sys.executable}\nimport sys\n{prelude}\nfrom kzcli.start import main\nsys.exit(main())\n", encoding="utf-8"
    )
    script.chmod(0o755)
    return script


def _controlling_terminal() -> None:
    """In the child: a session of its own with the pty as its terminal (fish needs one for job control)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class ShellSession:
    """``shell`` running interactively in a pty, ``kz`` from ``bin_dir`` on its PATH, in ``cwd``."""

    def __init__(self, shell: str, bin_dir: Path, cwd: Path, zsh_by_eval: bool = False) -> None:
        executable = shutil.which(shell)
        if executable is None:
            raise AssertionError(f"{shell} is not installed; the completion tests need it (.ci/run installs it)")
        home = cwd / f".home-{shell}"
        home.mkdir(exist_ok=True)
        self.answer = cwd / f".args-{shell}"
        env = kz_env(
            KZ_DATA=None,
            HOME=str(home),
            ZDOTDIR=str(home),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_CACHE_HOME=str(home / "cache"),
            INPUTRC=os.devnull,
            HISTFILE=str(home / "history"),
            PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        )
        self._master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        self._process = subprocess.Popen(
            [executable, *_ARGV[shell][1:]],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            preexec_fn=_controlling_terminal,
        )
        os.close(slave)
        self.screen = b""
        self._type(_setup(shell, self.answer, zsh_by_eval) + "\r")
        self._wait_for(b"READY")

    def _type(self, keys: str) -> None:
        os.write(self._master, keys.encode("utf-8"))

    def _read(self, seconds: float) -> None:
        ready, _, _ = select.select([self._master], [], [], seconds)
        if ready:
            try:
                self.screen += os.read(self._master, 65536)
            except OSError:  # EIO: the shell is gone
                time.sleep(seconds)

    def _wait_for(self, marker: bytes) -> None:
        deadline = time.monotonic() + _TIMEOUT
        while marker not in self.screen:
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise AssertionError(f"the shell never printed {marker!r}: {self.screen[-2000:]!r}")
            self._read(0.05)

    def complete(self, typed: str) -> list[str]:
        """Type ``typed``, press TAB, run the line as ``args LINE``: the words the shell then passed."""
        self.answer.unlink(missing_ok=True)
        self._type(f"{typed}\t{_CTRL_A}args \r")
        deadline = time.monotonic() + _TIMEOUT
        while not self.answer.exists():
            if time.monotonic() > deadline or self._process.poll() is not None:
                raise AssertionError(f"no command line came back for {typed!r}: {self.screen[-2000:]!r}")
            self._read(0.05)
        return self.answer.read_bytes().decode("utf-8").split("\0")[:-1]

    def close(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait(timeout=_TIMEOUT)
        os.close(self._master)

    def __enter__(self) -> ShellSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
