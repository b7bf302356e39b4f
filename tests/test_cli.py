"""The CLI through Typer's CliRunner: every command, every format, exact answers
for the three promised commands, the JSON contract and the exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from kzcli.cli import app

from .test_contract import errors

PROMISED = [["search", "torture"], ["timeline", "--month", "2020-06"], ["person", "Tulesova"]]
EVERY_COMMAND = [
    *PROMISED,
    ["people"],
    ["entity", "OSCE"],
    ["sections"],
    ["read", "torture"],
    ["entities", "--type", "law"],
    ["figures"],
]


def run(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, list(args))


def as_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = run(runner, *args, "--json")
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def places(records: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(r["section"], r["paragraph"]) for r in records]


# --- the three promised commands -------------------------------------------

TORTURE_PASSAGES = [
    ("torture", 1),
    ("torture", 2),
    ("torture", 3),
    ("civil-society", 5),
    ("counterterrorism-and-extremism", 3),
]


def test_search_torture_json(runner: CliRunner) -> None:
    out = as_json(runner, "search", "torture")
    assert out["command"] == "search" and out["total"] == 5
    assert places(out["records"]) == TORTURE_PASSAGES
    first = out["records"][0]
    assert first["section_title"] == "Torture"
    assert first["quote"].startswith("Torture and ill-treatment occur with impunity")
    assert all(first["quote"][s:e].lower().startswith("tortur") for s, e in first["matches"])
    assert out["query"]["expression"] == "torture"
    assert out["query"]["understood"] == [
        {
            "text": "torture",
            "kind": "word",
            "phrase": False,
            "excluded": False,
            "optional": False,
            "entities": [],
            "corrected_from": None,
            "topics": [],
        }
    ]


def test_search_torture_csv_and_plain(runner: CliRunner) -> None:
    rows = list(csv.reader(io.StringIO(run(runner, "search", "torture", "--format", "csv").stdout)))
    assert rows[0] == ["rank", "section", "paragraph", "score", "snippet", "quote", "cite"]
    assert [(r[1], int(r[2])) for r in rows[1:]] == TORTURE_PASSAGES
    plain = run(runner, "search", "torture").stdout.splitlines()
    assert [line.split("\t")[0] for line in plain] == [f"{s} ¶{p}" for s, p in TORTURE_PASSAGES]
    assert "\x1b" not in run(runner, "search", "torture").stdout


JUNE_INSIDE = {
    ("2020-06-06", "photo", 1),
    ("2020-06-06", "civil-society", 1),
    ("2020-06-22", "civil-society", 2),
    ("2020-06", "freedom-of-expression", 3),
    ("2020-06", "sexual-orientation-and-gender-identity", 1),
}
JUNE_OVERLAPPING = {
    ("2018", "counterterrorism-and-extremism", 1),
    ("2020-01", "torture", 1),
    ("2020-01", "freedom-of-expression", 2),
    ("2020-03", "torture", 2),
    ("2020", "overview", 1),
    ("2020", "freedom-of-assembly", 1),
    ("2020", "torture", 2),  # Semenova's verdicts, "At time of writing" (year inferred)
}


def test_timeline_june_json(runner: CliRunner) -> None:
    out = as_json(runner, "timeline", "--month", "2020-06")
    records = out["records"]
    inside = {(r["date"], r["section"], r["paragraph"]) for r in records if not r["partial"]}
    overlapping = {(r["date"], r["section"], r["paragraph"]) for r in records if r["partial"]}
    assert inside == JUNE_INSIDE
    assert overlapping == JUNE_OVERLAPPING
    # In-period events come first, each group in date order.
    flags = [r["partial"] for r in records]
    assert flags == sorted(flags)
    assert out["query"]["period"] == {"start": "2020-06-01", "end": "2020-06-30", "label": "June 2020"}
    tulesova = next(r for r in records if "Asya Tulesova" in r["people"])
    assert tulesova["precision"] == "day" and tulesova["end"] is None


def test_timeline_june_plain_marks_overlaps(runner: CliRunner) -> None:
    lines = run(runner, "timeline", "--month", "2020-06").stdout.splitlines()
    assert len(lines) == len(JUNE_INSIDE) + len(JUNE_OVERLAPPING)
    assert sum("(overlaps)" in line for line in lines) == len(JUNE_OVERLAPPING)
    assert any(line.startswith("Mar–Jul 2020 (overlaps)") for line in lines)
    assert any(line.startswith("since 2018 (overlaps)") for line in lines)


def test_person_tulesova(runner: CliRunner) -> None:
    out = as_json(runner, "person", "Tulesova")
    assert out["total"] == 1
    profile = out["records"][0]
    assert profile["name"] == "Asya Tulesova" and profile["type"] == "person"
    assert [e["date"] for e in profile["events"]] == ["2020-06-06", "2020-08-12"]
    assert places(profile["mentions"]) == [("civil-society", 1), ("civil-society", 1)]
    assert any("knocking off an officer’s hat" in m["quote"] for m in profile["mentions"])
    assert profile["named_in_same_paragraphs"] == [
        {
            "id": "almaty",
            "type": "place",
            "name": "Almaty",
            "shared_paragraph_count": 1,
            "shared_paragraphs": ["civil-society:1"],
        }
    ]
    assert profile["in_same_events"] == [
        {
            "id": "almaty",
            "type": "place",
            "name": "Almaty",
            "shared_event_count": 1,
            "shared_events": ["2020-08-12-tulesova-convicted"],
        }
    ]
    plain = run(runner, "person", "tulesva").stdout
    assert plain.startswith("Asya Tulesova (person)") and "civil-society ¶1" in plain
    assert plain.splitlines()[-2:] == [
        "named in the same paragraphs: Almaty (place, 1 paragraph)",
        "in the same events: Almaty (place, 1 event)",
    ]
    rows = list(csv.reader(io.StringIO(run(runner, "person", "Tulesova", "-f", "csv").stdout)))
    header, *body = rows
    assert len(body) == 4 and {r[header.index("name")] for r in body} == {"Asya Tulesova"}
    events = [dict(zip(header, r, strict=True)) for r in body if r[header.index("kind")] == "event"]
    # Dated as the timeline's CSV dates them: ISO date, precision, and the event id to cite.
    assert [(e["date"], e["precision"], e["cite"]) for e in events] == [
        ("2020-06-06", "day", events[0]["id"]),
        ("2020-08-12", "day", events[1]["id"]),
    ]
    timeline = list(csv.reader(io.StringIO(run(runner, "timeline", "--person", "Tulesova", "-f", "csv").stdout)))
    assert [r[0] for r in timeline[1:]] == [e["id"] for e in events]


# --- every command, every format -------------------------------------------


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: " ".join(a))
def test_json_envelope_contract(runner: CliRunner, args: list[str]) -> None:
    out = as_json(runner, *args)
    assert errors(args[0], out) == []  # kz schema's schema of the command (tests/test_contract.py)
    assert out["schema_version"] == 1 and out["command"] == args[0]
    assert out["report"] == {
        "title": "Kazakhstan: Events of 2020",
        "series": "World Report 2021",
        "publisher": "Human Rights Watch",
    }
    assert out["returned"] == len(out["records"]) <= out["total"]
    for record in out["records"]:
        if "quote" in record:
            assert {"section", "paragraph"} <= set(record)
        if "precision" in record:
            assert {"date", "end"} <= set(record)


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: " ".join(a))
def test_csv_and_plain(runner: CliRunner, args: list[str]) -> None:
    csv_out = run(runner, *args, "--format", "csv")
    assert csv_out.exit_code == 0
    rows = list(csv.reader(io.StringIO(csv_out.stdout)))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    plain = run(runner, *args)
    assert plain.exit_code == 0 and plain.stdout.strip()
    assert "\x1b" not in plain.stdout and "━" not in plain.stdout and "…" not in plain.stdout


def test_listings(runner: CliRunner) -> None:
    people = as_json(runner, "people")["records"]
    assert len(people) >= 19 and all(p["type"] == "person" for p in people)
    assert {"Asya Tulesova", "Harlem Désir", "Pavel Mikheyev"} <= {p["name"] for p in people}
    in_torture = as_json(runner, "people", "--section", "torture")["records"]
    assert {p["name"] for p in in_torture} == {"Elena Semenova", "Iskander Erimbetov"}
    activists = as_json(runner, "people", "--role", "activist")["records"]
    assert activists and all("activist" in p["role"].lower() for p in activists)
    by_appearance = as_json(runner, "people", "--sort", "appearance")["records"]
    assert by_appearance[0]["name"] == "Pavel Mikheyev"
    laws = as_json(runner, "entities", "--type", "law")["records"]
    assert laws and {r["type"] for r in laws} == {"law"}
    sections = as_json(runner, "sections")["records"]
    assert [s["id"] for s in sections][:3] == ["photo", "overview", "freedom-of-assembly"]
    assert sum(s["paragraphs"] for s in sections) == 34


def test_read_fuzzy_section_and_entities(runner: CliRunner) -> None:
    out = as_json(runner, "read", "freedom of expr")
    assert out["query"]["resolved"] == "freedom-of-expression"
    assert [r["paragraph"] for r in out["records"]] == [1, 2, 3, 4]
    assert "harlem-desir" in out["records"][2]["entities"]


def test_read_one_paragraph(runner: CliRunner) -> None:
    out = as_json(runner, "read", "torture:2")
    assert [(r["section"], r["paragraph"]) for r in out["records"]] == [("torture", 2)]
    assert out["records"][0]["quote"].startswith("Between March and July")
    assert run(runner, "read", "torture:9").exit_code == 1


def test_figures_filter(runner: CliRunner) -> None:
    out = as_json(runner, "figures", "repatriated")
    assert any(r["value"] == 609 for r in out["records"])


def test_entity_and_search_surface_names(runner: CliRunner) -> None:
    result = run(runner, "search", "Tulesova")
    assert "kz person Tulesova" in result.stderr
    assert as_json(runner, "entity", "adilsoz")["records"][0]["type"] == "organization"


def test_entity_almaty_says_who_shares_its_paragraphs_and_who_its_events(runner: CliRunner) -> None:
    """Dadash Mazhenov's case shares a paragraph with an Almaty court, not an event: the profile says which is which."""
    profile = as_json(runner, "entity", "Almaty")["records"][0]
    paragraphs = {c["id"]: c for c in profile["named_in_same_paragraphs"]}
    events = {c["id"]: c for c in profile["in_same_events"]}
    assert paragraphs["dadash-mazhenov"]["shared_paragraphs"] == ["counterterrorism-and-extremism:3"]
    assert "dadash-mazhenov" not in events
    assert events["asya-tulesova"]["shared_events"] == ["2020-08-12-tulesova-convicted"]
    assert all(c["shared_paragraph_count"] == len(c["shared_paragraphs"]) for c in paragraphs.values())
    assert all(c["shared_event_count"] == len(c["shared_events"]) for c in events.values())
    lines = run(runner, "entity", "Almaty").stdout.splitlines()
    named = next(line for line in lines if line.startswith("named in the same paragraphs: "))
    assert named.startswith("named in the same paragraphs: Kazakhstan (place, 3 paragraphs), ")
    assert "Dadash Mazhenov (person, 1 paragraph)" in named
    shared = next(line for line in lines if line.startswith("in the same events: "))
    assert "Asya Tulesova (person, 1 event)" in shared and "Mazhenov" not in shared
    assert not any("alongside" in line for line in lines)


def test_typo_correction_is_announced(runner: CliRunner) -> None:
    result = run(runner, "search", "tortre")
    assert result.exit_code == 0 and "showing results for 'torture'" in result.stderr
    assert run(runner, "search", "tortre", "--exact").exit_code == 1


def test_limit_says_how_many_more(runner: CliRunner) -> None:
    result = run(runner, "search", "court", "--limit", "2")
    assert len(result.stdout.splitlines()) == 2 and "more passages" in result.stderr


def test_chart(runner: CliRunner) -> None:
    out = as_json(runner, "timeline", "--chart")
    june = next(row for row in out["chart"] if row["month"] == "2020-06")
    assert june["dated"] == len(JUNE_INSIDE)


# --- exit codes and messages -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["timeline", "--month", "2020-13"], 2, "no month 13"),
        (["timeline", "--month", "June"], 2, "is not YYYY-MM"),
        (["timeline", "--from", "2020-06", "--to", "2020-01"], 2, "before"),
        (["entities", "--type", "animal"], 2, "animal"),
        (["--data", "", "sections"], 2, "--data needs the path of a corpus file"),
        # A filter that takes one value refuses a second rather than keeping the last.
        (["timeline", "--section", "torture", "--section", "covid"], 2, "--section was given 2 times"),
        (["timeline", "--person", "Ospan", "--person", "Tulesova"], 2, "--person was given 2 times"),
        (["timeline", "--month", "2020-03", "--month", "2020-06"], 2, "--month was given 2 times"),
        (["people", "--role", "fined", "--role", "convicted"], 2, "--role was given 2 times"),
        (["figures", "--section", "torture", "-s", "covid"], 2, "--section was given 2 times"),
        (["people", "--role", " "], 2, "a word of a role is needed"),
        (["search", ""], 2, "no words"),
        (["search", "--limit", "-1", "torture"], 2, "-1"),
        (["person", "Nazarbayev"], 1, "no person named 'Nazarbayev'"),
        (["person", "zzzzzz"], 1, "kz people"),
        (["read", "qqqqqq"], 1, "names no place in the report"),
        (["search", "qqqqqqqqq"], 1, "no passage matches"),
        (["--data", "/nonexistent/corpus.json", "sections"], 3, "no such file"),
    ],
)
def test_exit_codes(args: list[str], code: int, message: str) -> None:
    """Through a real process: exit codes are main()'s job, which CliRunner bypasses."""
    result = subprocess.run(
        [sys.executable, "-m", "kzcli", *args], capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    if code:
        assert result.stdout == ""


def test_help_covers_every_registered_command() -> None:
    import typer.main

    registered = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert registered == set(ALL_COMMANDS)


ALL_COMMANDS = [
    "search",
    "topics",
    "topic",
    "people",
    "person",
    "timeline",
    "sections",
    "read",
    "entities",
    "entity",
    "figures",
    "notes",
    "export",
    "cite",
    "validate",
    "ingest",
    "index",
    "help",
    "schema",
]


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_every_command_has_help_with_summary_and_example(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example:\n" in result.stdout or "Examples:\n" in result.stdout
    assert f"  kz {command}" in result.stdout
    summary = result.stdout.split("\n\n")[1].strip()
    assert summary and len(summary.splitlines()[0]) < 80


def test_ambiguous_names_list_the_candidates() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kzcli", "entity", "Democratic", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 1
    assert "could be several" in result.stderr
    assert "Democratic Choice of Kazakhstan" in result.stderr and "Democratic Party of Kazakhstan" in result.stderr
    candidates = {c["name"] for c in json.loads(result.stdout)["candidates"]}
    assert candidates == {"Democratic Choice of Kazakhstan", "Democratic Party of Kazakhstan"}


def test_timeline_filters_select_what_they_say(runner: CliRunner) -> None:
    semenova = as_json(runner, "timeline", "--person", "Semenova")["records"]
    # The verdicts, dated only "At time of writing" (2020, inferred), and the lawsuits of March to July.
    assert sorted((r["date"], r["end"]) for r in semenova) == [("2020", None), ("2020-03", "2020-07")]
    torture = as_json(runner, "timeline", "--section", "torture")["records"]
    assert torture and {r["section"] for r in torture} == {"torture"}
    spring = as_json(runner, "timeline", "--from", "2020-03", "--to", "2020-05")["records"]
    from kzcli.timeline import first_day, last_day

    last = {r["id"]: "9999-12-31" if r["ongoing"] else last_day(r["end"] or r["date"]) for r in spring}
    assert spring and all(first_day(r["date"]) <= "2020-05-31" and last[r["id"]] >= "2020-03-01" for r in spring)
    inside = [r for r in spring if not r["partial"]]
    assert inside and all("2020-03" <= r["date"][:7] <= "2020-05" for r in inside)
    assert {r["date"] for r in as_json(runner, "timeline", "--year", "2019")["records"]} >= {
        "2019-05",
        "2019-09",
        "2019-11",
        "2019-12-27",
    }
    adilsoz = as_json(runner, "timeline", "--person", "Adilsoz")["records"]
    assert adilsoz and all("adilsoz" in r["entities"] for r in adilsoz)


def test_plain_text_prints_no_break_spaces_as_spaces(runner: CliRunner, raw_corpus: dict[str, Any]) -> None:
    # The report writes "police\u00a0and using"; grep users type a space.
    assert any("\u00a0" in p for s in raw_corpus["sections"] for p in s["paragraphs"])
    plain = run(runner, "read", "civil-society").stdout
    assert "police and using" in plain and "\u00a0" not in plain
    quote = as_json(runner, "read", "civil-society:1")["records"][0]["quote"]
    assert "police\u00a0and using" in quote  # JSON stays verbatim


def test_choices_ignore_case(runner: CliRunner) -> None:
    assert json.loads(run(runner, "sections", "--format", "JSON").stdout)["command"] == "sections"
    assert "\n@incollection{" in run(runner, "cite", "torture:2", "--style", "BibTeX").stdout


def test_an_empty_search_in_a_section_names_the_section(runner: CliRunner) -> None:
    missing = runner.invoke(app, ["search", "torture", "--section", "covid-19"])
    assert missing.exit_code == 1
    assert missing.stderr.splitlines()[0] == "kz: no passage in Covid-19 matches 'torture'"


def test_the_cli_choices_are_the_modules_own() -> None:
    """The CLI spells its choices out (importing cite or export for them costs every run); they must agree."""
    from kzcli.citation import STYLES
    from kzcli.cli.common import CiteStyle, ExportFormat, complete_types
    from kzcli.corpus import ENTITY_TYPES
    from kzcli.export import FORMATS

    assert tuple(style.value for style in CiteStyle) == STYLES
    assert tuple(fmt.value for fmt in ExportFormat) == FORMATS
    assert tuple(complete_types("")) == ENTITY_TYPES


def test_profile_csv_marks_open_ended_events(runner: CliRunner) -> None:
    rows = list(csv.DictReader(io.StringIO(run(runner, "entity", "Kazakhstan", "-f", "csv").stdout)))
    since = [r for r in rows if r["kind"] == "event" and r["date_text"].lower().startswith("since")]
    assert since and all(r["ongoing"] == "true" for r in since)


def test_a_corrected_name_is_still_pointed_to(runner: CliRunner) -> None:
    done = runner.invoke(app, ["search", "Kazatomprum"])
    assert done.exit_code == 0
    assert "Kazatomprom is a named organization: see `kz entity Kazatomprom`" in done.stderr
