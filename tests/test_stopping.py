"""Signals and standard streams: SIGINT, SIGTERM and SIGHUP at any moment; stdout closed or unusable.

A write is stopped at a known moment by a launcher that does what the ``kz``
script does (``kzcli.start`` first) and replaces ``kzcli.files.between_steps``
with a pause that tells the test where it is: no timing guesses.
"""

from __future__ import annotations

import ast
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzcli import stopping

from .conftest import DATA, SOURCE
from .kzprocess import KZ, kz_env, run_kz, run_kz_pty, run_main, tree

TRACEBACK_MARKERS = ("Traceback", "Exception ignored", "KeyboardInterrupt", "Error:")

# The kz script's steps, then a pause (the byte "p" on descriptor FD) once a write has reached STEP.
_PAUSED = """
import os, sys, time
from kzcli.start import main
import kzcli.files

def pause(step, path):
    if step == {step!r}:
        os.write({fd}, b"p")
        time.sleep(600)

kzcli.files.between_steps = pause
sys.exit(main())
"""


def _launch(code: str, args: list[str], cwd: Path, **env: str) -> tuple[subprocess.Popen[bytes], int]:
    """``python -c CODE ARGS``, with a pipe the child writes its marker to: (process, read end)."""
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-c", code.format(fd=write_end, step="written"), *args],
        env=kz_env(**env),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_end,),
    )
    os.close(write_end)
    return process, read_end


def _marker(read_end: int, timeout: float = 60) -> bytes:
    ready, _, _ = select.select([read_end], [], [], timeout)
    assert ready, "the child never reached its marker"
    return os.read(read_end, 1)


WRITES = {
    "export sqlite": ["export", "-o", "kz.db"],
    "export csv": ["export", "-f", "csv", "-o", "tables"],
    "export json": ["export", "-o", "kz.json"],
    "ingest": ["ingest", "chapter.txt", "-o", "draft.json"],
    "index": ["index", "report.json"],
}


@pytest.mark.linux
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("write", list(WRITES))
def test_a_signal_during_a_write_leaves_nothing_behind(tmp_path: Path, write: str, signum: int) -> None:
    """Reproduction 8: SIGTERM or SIGHUP during export or index left .tmp files and journals (SIGINT cleaned up)."""
    shutil.copyfile(DATA, tmp_path / "report.json")
    shutil.copyfile(SOURCE, tmp_path / "chapter.txt")
    before = tree(tmp_path)
    process, read_end = _launch(_PAUSED, WRITES[write], tmp_path)
    try:
        assert _marker(read_end) == b"p"
        assert any(".tmp" in name for name in tree(tmp_path))  # mid-write: its temporary is there
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    finally:
        os.close(read_end)
    said: dict[int, str] = {
        signal.SIGINT: "interrupted",
        signal.SIGTERM: "stopped by SIGTERM",
        signal.SIGHUP: "stopped by SIGHUP",
    }
    assert (process.returncode, err.decode(), out) == (128 + signum, f"kz: {said[signum]}\n", b"")
    assert tree(tmp_path) == before


KZ_SCRIPT = Path(sys.executable).with_name("kz")


def _caught_signals(pid: int) -> int:
    """The mask of signals ``pid`` has a handler for (Linux /proc), 0 once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)


def _wait_until_kz_handles_signals(process: subprocess.Popen[bytes]) -> bool:
    """Wait until the kz script's first statement has run (SIGHUP caught: Python alone never catches it)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if _caught_signals(process.pid) & (1 << (signal.SIGHUP - 1)):
            return True
        time.sleep(0.0005)
    return False


@pytest.mark.linux
def test_ctrl_c_at_any_moment_after_kz_starts_never_prints_a_traceback(tmp_path: Path) -> None:
    """Reproduction 8: Ctrl-C in the first tens of milliseconds printed a traceback (33 of 90 tries).

    The real ``kz`` script. From the moment its first statement has run (seen
    in /proc: SIGHUP has a handler), SIGINT comes after 0 to 190 ms, over
    imports, loading, the query and output: every run ends in one line and
    130, or in its whole answer.
    """
    assert KZ_SCRIPT.read_text(encoding="utf-8").count("import _signal") == 1, "a kz script not made from src/bin/kz"
    args = ["search", "torture", "--limit", "0"]
    whole = subprocess.run([str(KZ_SCRIPT), *args], env=kz_env(), capture_output=True, check=True).stdout
    outcomes = set()
    for delay_ms in range(0, 200, 10):
        process = subprocess.Popen(
            [str(KZ_SCRIPT), *args],
            env=kz_env(),
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        if _wait_until_kz_handles_signals(process):
            time.sleep(delay_ms / 1000)  # the moment chosen, not a wait for something to happen
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        text = err.decode()
        assert not any(marker in text for marker in TRACEBACK_MARKERS), (delay_ms, text)
        if process.returncode == 130:
            assert text == "kz: interrupted\n", (delay_ms, text)
        else:
            assert (process.returncode, text, out) == (0, "", whole), (delay_ms, text)
        outcomes.add(process.returncode)
    assert 130 in outcomes  # the sweep did reach kz while it worked


@pytest.mark.linux
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_while_kz_starts(tmp_path: Path, signum: int) -> None:
    """The same for the other two signals, right after the script's first statement and in kzcli.start's place."""
    said: dict[int, str] = {signal.SIGTERM: "kz: stopped by SIGTERM\n", signal.SIGHUP: "kz: stopped by SIGHUP\n"}
    for delay_ms in (0, 1, 3, 20):
        process = subprocess.Popen(
            [str(KZ_SCRIPT), "sections"], env=kz_env(), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert _wait_until_kz_handles_signals(process)
        time.sleep(delay_ms / 1000)
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
        assert (process.returncode, err.decode(), out) == (128 + signum, said[signum], b""), delay_ms


def test_the_kz_script_and_python_m_start_with_the_signal_handler(tmp_path: Path) -> None:
    """kzcli.start (and with it kzcli.stopping) is imported before any other module of kz's, and installs it."""
    run = run_kz(["--version"], flags=["-X", "importtime"], cwd=tmp_path)
    assert run.code == 0
    modules = [line.rsplit("|", 1)[1].strip() for line in run.err.splitlines() if line.startswith("import time:")]
    first_of_kz = [m for m in modules if m.startswith("kzcli.")][:2]
    assert first_of_kz == ["kzcli.stopping", "kzcli.start"]
    assert modules.index("kzcli.stopping") < min(modules.index(m) for m in ("typer", "kzcli.entry"))
    probe = "import signal, kzcli.start; print(signal.getsignal(signal.SIGTERM).__module__)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "kzcli.stopping"
    statements = ast.parse(KZ_SCRIPT.read_text(encoding="utf-8")).body[1:3]  # after the docstring
    assert [ast.unparse(s) for s in statements] == ["import _signal", "import sys"]  # before anything of kz's
    script_run = subprocess.run([str(KZ_SCRIPT), "--version"], capture_output=True, text=True, check=False)
    assert (script_run.returncode, script_run.stdout) == (0, run.out)


def test_stopped_is_exit_128_plus_the_signal_and_one_line() -> None:
    assert [stopping.Stopped(s).exit_code for s in stopping.SIGNALS] == [130, 143, 129]
    assert stopping.Stopped(signal.SIGINT).message == "interrupted"


def test_an_eof_error_is_a_failure_not_an_interruption(monkeypatch: pytest.MonkeyPatch) -> None:
    """click turns EOFError into Abort, which kz used to report as "interrupted" (a truncated index row did)."""
    from kzcli.commands import listings

    def truncated(*args: object) -> object:
        raise EOFError("marshal data too short")

    monkeypatch.setattr(listings, "sections", truncated)
    run = run_main(["sections"])
    assert (run.code, run.err_lines[-1]) == (70, "kz: internal error: EOFError: marshal data too short")


# --- standard streams -----------------------------------------------------------------------------


def _closed(descriptors: tuple[int, ...]) -> None:
    for descriptor in descriptors:
        os.close(descriptor)


@pytest.mark.parametrize("closed", [(1,), (1, 2), (0, 1, 2)], ids=["stdout", "stdout+stderr", "all three"])
def test_a_command_that_never_writes_stdout_runs_without_one(tmp_path: Path, closed: tuple[int, ...]) -> None:
    """Reproduction 9: ``kz export -o file >&-`` exited 74 although it never writes to stdout."""
    target = tmp_path / "kz.json"
    done = subprocess.run(
        [*KZ, "export", "-o", str(target)],
        env=kz_env(),
        stderr=subprocess.PIPE if 2 not in closed else None,
        preexec_fn=lambda: _closed(closed),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == run_kz(["export", "-o", "-"]).out.encode()  # nothing else got into the file
    if 2 not in closed:
        assert done.stderr.decode().startswith(f"kz: wrote json {target}: 16 sections")


def test_a_command_that_writes_stdout_says_it_is_closed(tmp_path: Path) -> None:
    done = subprocess.run(
        [*KZ, "sections"], env=kz_env(), stderr=subprocess.PIPE, preexec_fn=lambda: _closed((1,)), timeout=60
    )
    assert (done.returncode, done.stderr.decode()) == (74, "kz: cannot write output: stdout is closed\n")


def test_an_encoding_that_encodes_nothing_is_said(tmp_path: Path) -> None:
    """Reproduction 9: PYTHONIOENCODING=undefined exited 70 without a word."""
    env = kz_env(PYTHONIOENCODING="undefined")
    run = run_kz(["search", "torture"], env=env)
    assert (run.code, run.out) == (74, "")
    assert run.err == "kz: cannot write output: stdout's encoding 'undefined' (PYTHONIOENCODING?) cannot encode text\n"
    written = run_kz(["export", "-o", str(tmp_path / "kz.db")], env=env)
    assert written.code == 0 and written.err.startswith("kz: wrote sqlite")


@pytest.mark.linux
def test_a_huge_columns_value_is_capped() -> None:
    """Reproduction 9: COLUMNS=999999999 ran past a minute (Rich padded every line to that width)."""
    from kzcli.render import MAX_WIDTH

    wide = run_kz_pty(["search", "torture", "--limit", "2"], env=kz_env(COLUMNS="999999999"), timeout=60)
    assert wide.code == 0, wide.err
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in wide.out.splitlines()]
    # A table is as wide as its text needs (kzcli.render sets its columns), never wider than the cap.
    assert max(len(line) for line in lines) <= MAX_WIDTH
    assert any("torture" in line.lower() for line in lines)
    capped = subprocess.run(
        [sys.executable, "-c", "from kzcli import render; print(render.console.width, render.err_console.width)"],
        env=kz_env(COLUMNS="999999999"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert capped.stdout.split() == [str(MAX_WIDTH)] * 2


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_between_the_handler_and_main_s_try_is_one_line(signum: int) -> None:
    """CI saw a traceback once: SIGHUP came after kzcli.start installed the handler, before main() entered its try.

    The signal is sent at exactly that moment here: kzcli.start imported, its main not yet called.
    """
    probe = f"import os, kzcli.start; os.kill(os.getpid(), {int(signum)}); print('went on')"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    message: dict[int, str] = {
        signal.SIGINT: "interrupted",
        signal.SIGTERM: "stopped by SIGTERM",
        signal.SIGHUP: "stopped by SIGHUP",
    }
    assert (done.returncode, done.stderr, done.stdout) == (128 + signum, f"kz: {message[signum]}\n", "")
