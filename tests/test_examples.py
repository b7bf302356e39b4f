"""Every example in kz's help runs as written from the repository root, and exits 0.

The examples are read from the help itself (``kz --help`` and each command's
``--help``): each line of an ``Example:``/``Examples:`` block, and the root's
``Example: ...``. A command's lines run in order (a line may use what one
before it wrote), each in a shell (examples chain commands with ``&&``), in a
fresh directory holding a copy of the repository's ``data/``, with a ``kz``
on PATH that is this kz, so that what an example writes lands there.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from kzcli.cli import app

from .kzprocess import kz_env

DATA = Path(__file__).resolve().parent.parent / "data"
_HEADING = re.compile(r"^\s*Examples?:\s*(.*)$")


def examples_in(help_text: str) -> list[str]:
    """The example command lines of one help text."""
    found: list[str] = []
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading is None:
            continue
        if heading.group(1):
            found.append(heading.group(1).strip())
            continue
        for following in lines[i + 1 :]:
            if not following.strip():
                break
            found.append(following.strip())
    return found


def all_examples() -> dict[str, list[str]]:
    """The examples of the root help ("kz") and of every command's, by command."""
    commands = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    found = {}
    for command in [None, *commands]:
        args = ["--help"] if command is None else [command, "--help"]
        found[command or "kz"] = examples_in(CliRunner().invoke(app, args).stdout)
    return found


EXAMPLES = all_examples()


def test_every_command_has_examples_that_start_with_a_command() -> None:
    assert all(EXAMPLES.values()), [where for where, examples in EXAMPLES.items() if not examples]
    lines = [line for examples in EXAMPLES.values() for line in examples]
    assert len(lines) > len(EXAMPLES)
    assert all(re.match(r"(kz|cp) ", line) for line in lines), lines


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A directory laid out as the repository's root (its data/), and an environment whose `kz` is this one."""
    root = tmp_path / "repo"
    shutil.copytree(DATA, root / "data")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kz = bin_dir / "kz"
    kz.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kzcli "$@"\n', encoding="utf-8")
    kz.chmod(kz.stat().st_mode | stat.S_IXUSR)
    env = kz_env(COLUMNS="100")
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return root, env


@pytest.mark.parametrize("where", sorted(EXAMPLES))
def test_every_help_example_runs_as_written(checkout: tuple[Path, dict[str, str]], where: str) -> None:
    root, env = checkout
    for example in EXAMPLES[where]:
        done = subprocess.run(
            ["sh", "-c", example], cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        assert done.returncode == 0, f"{where} --help: {example}\n{done.stderr}"
        assert "Traceback" not in done.stderr
        assert done.stdout or done.stderr or not example.startswith("kz "), f"{example}: shows or says something"
