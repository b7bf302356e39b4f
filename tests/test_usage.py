"""Usage and help as other tools write them (``QUERY...``, ``kz help [COMMAND]``, ``-V``, close
suggestions), and the message for a file a command is given but cannot read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kzcli.argv import close_commands
from kzcli.characters import printable

from .kzprocess import run_main
from .test_cli import ALL_COMMANDS


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("search", "kz search [OPTIONS] QUERY..."),
        ("person", "kz person [OPTIONS] NAME..."),
        ("entity", "kz entity [OPTIONS] NAME..."),
        ("figures", "kz figures [OPTIONS] [WORDS...]"),
        ("cite", "kz cite [OPTIONS] [TARGET]"),
        ("validate", "kz validate [OPTIONS] PATH"),
        ("help", "kz help [OPTIONS] [COMMAND]"),
    ],
)
def test_usage_lines_write_arguments_as_other_tools_do(command: str, usage: str) -> None:
    assert run_main([command, "--help"]).out.splitlines()[0] == f"Usage: {usage}"


def test_no_usage_line_has_braces() -> None:
    for command in ALL_COMMANDS:
        first = run_main([command, "--help"]).out.splitlines()[0]
        assert not re.search(r"[{}]", first), first


def test_help_prints_what_dash_dash_help_prints() -> None:
    whole = run_main(["help"])
    assert (whole.code, whole.out, whole.err) == (0, run_main(["--help"]).out, "")
    assert "  help " in whole.out  # listed among the commands
    for command in ALL_COMMANDS:
        done = run_main(["help", command])
        assert (done.code, done.err) == (0, "")
        assert done.out == run_main([command, "--help"]).out, command


def test_help_for_an_unknown_command_is_the_usual_usage_error() -> None:
    done = run_main(["help", "serch"])
    assert (done.code, done.out) == (2, "")
    assert done.err == run_main(["serch"]).err
    assert done.err.startswith("kz: No such command 'serch'. Did you mean 'search'?")


def test_dash_v_is_version() -> None:
    short, long = run_main(["-V"]), run_main(["--version"])
    assert (short.code, short.out) == (0, long.out) and long.out.startswith("kz ")


@pytest.mark.parametrize(
    ("typed", "close"),
    [
        ("version", []),  # two edits from person: another word, not a slip
        ("serch", ["search"]),
        ("saerch", ["search"]),
        ("entites", ["entities"]),
        ("entitys", ["entity"]),
        ("perso", ["person"]),
        ("peopel", ["people"]),
        ("Timeline", ["timeline"]),
        ("sectoins", ["sections"]),
        ("exprot", ["export"]),
        ("x", []),
        ("hepl", ["help"]),
    ],
)
def test_only_close_commands_are_suggested(typed: str, close: list[str]) -> None:
    assert close_commands(typed, ALL_COMMANDS) == close


def test_a_command_far_from_every_other_gets_no_suggestion() -> None:
    done = run_main(["version"])
    assert (done.code, done.err) == (2, "kz: No such command 'version'. (see `kz --help`)\n")


# --- messages in their place: a file a command cannot read ----------------------------------------


@pytest.mark.parametrize("kind", ["missing", "a directory", "not a file name"])
def test_a_file_validate_ingest_or_index_cannot_read_is_one_line_on_stderr_and_exit_2(
    tmp_path: Path, kind: str
) -> None:
    path = {"missing": str(tmp_path / "nowhere.json"), "a directory": str(tmp_path), "not a file name": "a\x00b"}[kind]
    said = {
        "missing": "no such file",
        "a directory": "is a directory, not a file",
        "not a file name": "is not a usable file name",
    }[kind]
    for args in (["validate", path], ["validate", path, "-f", "csv"], ["ingest", path, "-o", "-"], ["index", path]):
        done = run_main(args)
        assert (done.code, done.out) == (2, ""), args
        assert len(done.err_lines) == 1 and done.err_lines[0].startswith(f"kz: {printable(path)}: {said}"), args
    as_json = run_main(["validate", path, "--json"])
    assert as_json.code == 2 and json.loads(as_json.out)["error"]["exit_code"] == 2
    assert json.loads(as_json.out)["records"] == []


@pytest.mark.parametrize(
    ("args", "line"),
    [
        # The trial's: --version after a command was offered --json and --section.
        (
            ["search", "torture", "--version"],
            "kz: No such option: --version (--version is a global option: `kz --version`)",
        ),
        (
            ["person", "Tulesova", "--data", "x.json"],
            "kz: No such option: --data (--data is a global option: `kz --data PATH COMMAND ...`)",
        ),
        (
            ["figures", "--install-completion", "zsh"],
            "kz: No such option: --install-completion "
            "(--install-completion is a global option: `kz --install-completion SHELL`)",
        ),
        (
            ["search", "torture", "--sectoin", "x"],
            "kz: No such option: --sectoin (Possible options: --section) (see `kz search --help`)",
        ),
        (["timeline", "--chrat"], "kz: No such option: --chrat (Possible options: --chart) (see `kz timeline --help`)"),
        (["sections", "--verbose"], "kz: No such option: --verbose (see `kz sections --help`)"),
    ],
)
def test_an_unknown_option_is_offered_only_close_options_or_where_it_belongs(args: list[str], line: str) -> None:
    done = run_main(args)
    assert (done.code, done.err_lines) == (2, [line])


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["search", "torture", "--limit"], "--limit"),
        (["search", "torture", "-n"], "-n"),
        (["search", "--section"], "--section"),
        (["figures", "--min"], "--min"),
        (["figures", "-1", "--min"], "--min"),
        (["timeline", "--month"], "--month"),
        # A display option typed after the command: not "'read' is not one of 'auto', ...".
        (["read", "torture", "--color"], "--color"),
    ],
)
def test_an_option_typed_last_without_its_value_says_so(args: list[str], option: str) -> None:
    """``kz search torture --limit`` said "'--' is not a valid int range": the query's ``--``
    (put before the words so that -prison stays a word) was read as the missing value."""
    done = run_main(args)
    assert (done.code, done.err_lines) == (2, [f"kz: Option '{option}' requires an argument."])


@pytest.mark.parametrize(
    "args",
    [
        ["entities", "--type", "person", "-t", "place"],
        ["figures", "--min", "5", "--min", "6"],
        ["figures", "--max", "1", "--max", "2"],
    ],
)
def test_a_filter_given_twice_is_refused_as_every_filter_is(args: list[str]) -> None:
    """``--type``, ``--min`` and ``--max`` kept the last value without a word; ``--section`` and ``--month`` refuse."""
    option = "--type" if "entities" in args else args[1]
    done = run_main(args)
    assert (done.code, done.err_lines) == (2, [f"kz: {option} was given 2 times; give it once"])


@pytest.mark.parametrize(
    "args",
    [
        ["cite", "--json"],
        ["cite", "--format", "json"],
        ["cite", "-f", "json"],
        ["--json", "search", "torture"],
        ["export", "--format", "json"],
    ],
)
def test_no_json_error_where_no_json_was_asked_for(args: list[str]) -> None:
    """``kz cite --json`` refuses --json, yet printed a JSON error; ``export --format json`` is a file's format."""
    done = run_main(args)
    assert done.code == 2 and done.out == "" and len(done.err_lines) == 1


def test_a_json_error_where_json_was_asked_for() -> None:
    done = run_main(["search", "torture", "--json", "--limit", "x"])
    assert done.code == 2 and json.loads(done.out)["error"]["exit_code"] == 2


def test_year_zero_is_no_date() -> None:
    """``--from 0000`` was read, and the JSON then gave a start of "0000-01-01", a day no calendar has."""
    done = run_main(["timeline", "--from", "0000"])
    assert done.code == 2 and "has no year 0000" in done.err


@pytest.mark.parametrize("words", ["", '""', "  "])
def test_timeline_search_without_words_says_how_to_search_events(words: str) -> None:
    """It suggested `kz search torture`, another command."""
    done = run_main(["timeline", "--search", words])
    assert (done.code, done.err_lines) == (
        2,
        ["kz: --search needs words to look for in the events, e.g. kz timeline --search protest"],
    )
