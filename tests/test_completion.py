"""Shell completion: the dynamic values, and typer's completion protocol for bash, zsh and fish in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzcli import completion
from kzcli.cli import common as cli
from kzcli.session import Session

from .kzprocess import kz_env, run_main

# The console script of this environment: the completion variable is named after the
# program (`_KZ_COMPLETE` for `kz`), so `python -m kzcli` would not do.
KZ_SCRIPT = Path(sys.executable).with_name("kz")


@pytest.fixture
def fresh_state() -> Iterator[None]:
    saved = cli.SESSION
    cli.SESSION = Session()
    yield
    cli.SESSION = saved


@pytest.fixture
def bundled(fresh_state: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KZ_DATA", raising=False)


def test_people_complete_full_names_and_surnames(bundled: None) -> None:
    assert completion.people(cli.SESSION, "Tul") == ["Tulesova"]
    assert completion.people(cli.SESSION, "asya") == ["Asya Tulesova"]
    assert completion.people(cli.SESSION, "des") == ["Désir"]  # accents fold
    everyone = completion.people(cli.SESSION, "")
    assert "Asya Tulesova" in everyone and "Tulesova" in everyone
    assert len(everyone) == len(set(everyone))


def test_entity_names_include_aliases(bundled: None) -> None:
    assert "OSCE" in completion.entity_names(cli.SESSION, "OSC")
    assert "Tokayev" in completion.entity_names(cli.SESSION, "tokay")


def test_section_ids_and_months(bundled: None) -> None:
    assert completion.section_ids(cli.SESSION, "tor") == ["torture"]
    assert completion.section_ids(cli.SESSION, "freedom-of-") == ["freedom-of-assembly", "freedom-of-expression"]
    months = completion.months(cli.SESSION, "2020-")
    assert months == sorted(months) and "2020-06" in months
    assert all(len(m) == 7 for m in completion.months(cli.SESSION, ""))


def test_a_broken_corpus_completes_nothing(fresh_state: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    monkeypatch.setenv("KZ_DATA", str(broken))
    assert completion.people(cli.SESSION, "") == []
    assert completion.section_ids(cli.SESSION, "") == []


def complete(shell: str, words: str, cword: int | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `kz` as the shell's completion function would."""
    variables = kz_env(KZ_DATA=None, _KZ_COMPLETE=f"complete_{shell}", **env)
    if shell == "bash":
        variables.update(COMP_WORDS=words, COMP_CWORD=str(cword if cword is not None else len(words.split()) - 1))
    else:
        variables["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return subprocess.run(
        [str(KZ_SCRIPT)],
        env=variables,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


needs_script = pytest.mark.skipif(not os.access(KZ_SCRIPT, os.X_OK), reason="the kz console script is not installed")


@needs_script
def test_bash_completes_a_person() -> None:
    # _KZ_COMPLETE=complete_bash COMP_WORDS='kz person Tul' COMP_CWORD=2 kz
    done = complete("bash", "kz person Tul", 2)
    assert (done.returncode, done.stdout.split(), done.stderr) == (0, ["Tulesova"], "")


@needs_script
def test_zsh_and_fish_complete_a_person() -> None:
    zsh = complete("zsh", "kz person Tul")
    assert (zsh.returncode, zsh.stdout.strip()) == (0, "compadd -U -- $'Tulesova'")
    fish = complete("fish", "kz person Tul")
    assert (fish.returncode, fish.stdout.strip()) == (0, "Tulesova")


@needs_script
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("kz read tor", ["torture"]),
        ("kz timeline --month 2020-0", None),
        ("kz cite Tul", ["Tulesova"]),
        ("kz search torture --section covid", ["covid-19"]),
        ("kz entities --type pl", ["place"]),
        ("kz timeline --topic cov", ["covid-19"]),
        ("kz search torture --topic lg", ["lgbt-people"]),
        ("kz topic pers", ["persons-with-disabilities"]),
    ],
)
def test_bash_completes_sections_and_months(words: str, expected: list[str] | None) -> None:
    done = complete("bash", words)
    assert done.returncode == 0
    if expected is None:
        assert "2020-06" in done.stdout.split()
    else:
        assert done.stdout.split() == expected


@needs_script
def test_completion_follows_data_on_the_command_line(tmp_path: Path) -> None:
    from kzcli.ingest import ingest

    from .test_ingest import INVENTED

    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(ingest(INVENTED, "freedonia.txt")), encoding="utf-8")
    done = complete("bash", f"kz --data {draft} person V", 4)
    assert done.stdout.split() == ["Vale"]
    broken = complete("bash", f"kz --data {tmp_path / 'missing.json'} person V", 4)
    assert (broken.returncode, broken.stdout.strip(), broken.stderr) == (0, "", "")
    # A stale index file is passed over in silence while completing: a warning would land mid-prompt.
    assert run_main(["index", str(draft)]).code == 0
    draft.write_text(draft.read_text(encoding="utf-8").replace("Vale", "Valle"), encoding="utf-8")
    stale = complete("bash", f"kz --data {draft} person V", 4)
    assert (stale.stdout.split(), stale.stderr) == (["Valle"], "")


@needs_script
@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o default -F _kz_completion kz"), ("zsh", "#compdef kz"), ("fish", "complete --command kz")],
)
def test_completion_scripts_for_each_shell(shell: str, marker: str) -> None:
    variables = kz_env(_KZ_COMPLETE=f"source_{shell}")
    done = subprocess.run([str(KZ_SCRIPT)], env=variables, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert marker in done.stdout
    assert "_KZ_COMPLETE" in done.stdout


@needs_script
def test_the_completion_hook_run_by_hand_is_bad_usage() -> None:
    run = subprocess.run(
        [str(KZ_SCRIPT)], env=kz_env(KZ_DATA=None, _KZ_COMPLETE="complete_bash"), capture_output=True, text=True
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("kz: shell completion needs the variables the shell sets")
