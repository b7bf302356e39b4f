"""The one way out of kz: exit codes, the JSON error envelope, KZ_DEBUG, and commands run without Typer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzcli.commands import profile, search, timeline
from kzcli.entry import main
from kzcli.errors import CorpusError, ExitCode, UsageError
from kzcli.session import Session

from .conftest import DATA
from .kzprocess import run_kz, run_main


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--data", "missing.json", "search", "torture", "--json"], ExitCode.CORPUS, "no such file"),
        (["timeline", "--month", "2020-13", "--json"], ExitCode.USAGE, "has no month 13"),
        (["timeline", "--month", "2020-13", "--format", "json"], ExitCode.USAGE, "has no month 13"),
        (["read", "nowhere-at-all", "-f", "json"], ExitCode.NOT_FOUND, "names no place in the report"),
        (["search", "--limit", "-1", "torture", "--json"], ExitCode.USAGE, "--limit"),
    ],
)
def test_an_error_under_json_is_a_json_envelope_too(args: list[str], code: int, message: str) -> None:
    run = run_main(args)
    assert run.code == code
    document = json.loads(run.out)
    assert document["error"]["exit_code"] == code and message in document["error"]["message"]
    assert document["records"] == [] and document["total"] == 0
    assert document["command"] == args[args.index("--data") + 2 if "--data" in args else 0]
    # ... beside the one line on stderr.
    assert len(run.err_lines) == 1 and message in run.err


def test_without_json_an_error_prints_nothing_on_stdout() -> None:
    run = run_main(["timeline", "--month", "2020-13"])
    assert (run.code, run.out) == (ExitCode.USAGE, "")


def test_an_ambiguous_name_carries_its_candidates_in_the_envelope() -> None:
    run = run_main(["timeline", "--person", "Ospan Osinovskaya", "--json"])
    assert run.code == ExitCode.NOT_FOUND
    ids = {c["id"] for c in json.loads(run.out)["candidates"]}
    assert len(ids) == 2


def test_kz_debug_shows_the_traceback_that_is_otherwise_never_shown() -> None:
    quiet = run_kz(["--data", "missing.json", "sections"])
    assert quiet.code == ExitCode.CORPUS and "Traceback" not in quiet.err
    loud = run_kz(["--data", "missing.json", "sections"], env={**_env(), "KZ_DEBUG": "1"})
    assert loud.code != 0 and "Traceback" in loud.err and "CorpusError" in loud.err


def _env() -> dict[str, str]:
    from .kzprocess import kz_env

    return kz_env()


def test_main_returns_the_exit_code_rather_than_exiting() -> None:
    assert main(["sections", "--json"]) == ExitCode.OK
    assert main(["person", "Nobody Atall"]) == ExitCode.NOT_FOUND


def test_commands_answer_without_typer() -> None:
    session = Session(str(DATA))
    found = search.run(session, ["torture"], None, 3, False)
    assert (found.exit_code, found.records[0]["section"], len(found.records)) == (0, "torture", 3)
    who = profile.run(session, "person", "Tulesova", ("person",))
    assert who.records[0]["id"] == "asya-tulesova"
    june = timeline.run(session, ["2020-06"], None, None, None, None, None, chart=False)
    assert june.records and all(r["date"] <= "2020-06-30" for r in june.records)
    with pytest.raises(UsageError):
        timeline.run(session, ["June"], None, None, None, None, None, chart=False)


def test_a_session_loads_its_corpus_once_and_only_when_asked(tmp_path: Path) -> None:
    session = Session(str(tmp_path / "missing.json"))  # nothing read yet: no error
    with pytest.raises(CorpusError):
        session.corpus()
    session.use(str(DATA))
    assert session.corpus() is session.corpus()
