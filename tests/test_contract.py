"""The JSON output contract, record by record: one typed definition per kind of record.

Every command's envelope and every record (nested ones too) must have exactly
the keys typed here, with values of the typed kinds. A key added to or dropped
from the output fails this test until the definition (and the README) says so.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, TypedDict, Union, get_args, get_origin, get_type_hints

import pytest
from typer.testing import CliRunner

from kzcli.cli import app

from .conftest import write_json


class ReportInfo(TypedDict):
    title: str
    series: str
    publisher: str


class Envelope(TypedDict):
    schema_version: int
    command: str
    query: dict[str, Any]
    report: ReportInfo
    total: int
    returned: int
    records: list[dict[str, Any]]


class SearchRecord(TypedDict):
    rank: int
    section: str
    section_title: str
    paragraph: int
    score: float
    matched_parts: int
    snippet: str
    snippet_matches: list[list[int]]
    quote: str
    matches: list[list[int]]
    cite: str


class EventRecord(TypedDict):
    id: str
    date: str
    end: str | None
    first_day: str
    last_day: str
    precision: str
    ongoing: bool
    display_date: str
    date_text: str
    inferred: str | None
    date_note: str | None
    partial: bool
    summary: str
    people: list[str]
    entities: list[str]
    section: str
    section_title: str
    paragraph: int
    quote: str
    cite: str


class MentionRecord(TypedDict):
    section: str
    section_title: str
    paragraph: int
    quote: str
    cite: str


class NamedInSameParagraphs(TypedDict):
    id: str
    type: str
    name: str
    shared_paragraph_count: int
    shared_paragraphs: list[str]  # SECTION:N, as kz cite takes them


class InSameEvents(TypedDict):
    id: str
    type: str
    name: str
    shared_event_count: int
    shared_events: list[str]  # event ids


class EntitySummary(TypedDict):
    id: str
    type: str
    name: str
    role: str
    aliases: list[str]
    sections: list[str]
    mentions: int
    events: int
    section: str
    paragraph: int
    quote: str


class Profile(TypedDict):
    id: str
    type: str
    name: str
    role: str
    aliases: list[str]
    sections: list[str]
    mentions: list[MentionRecord]
    events: list[EventRecord]
    section: str
    paragraph: int
    quote: str
    named_in_same_paragraphs: list[NamedInSameParagraphs]
    in_same_events: list[InSameEvents]


class SectionRecord(TypedDict):
    id: str
    title: str
    paragraphs: int
    section: str
    section_title: str
    paragraph: int
    quote: str


class ParagraphRecord(TypedDict):
    section: str
    section_title: str
    paragraph: int
    quote: str
    entities: list[str]
    named: list[str]


class FigureRecord(TypedDict):
    id: str
    value: int | float | None
    qualifier: str | None
    text: str
    unit: str
    what: str
    section: str
    section_title: str
    paragraph: int
    quote: str


class NoteRecord(TypedDict):
    id: str
    text: str
    events: list[str]  # the events whose date this note explains (date_note)


class ProblemRecord(TypedDict):
    where: str
    problem: str
    message: str


RECORDS: dict[str, type] = {
    "search": SearchRecord,
    "timeline": EventRecord,
    "person": Profile,
    "entity": Profile,
    "people": EntitySummary,
    "entities": EntitySummary,
    "sections": SectionRecord,
    "read": ParagraphRecord,
    "figures": FigureRecord,
    "notes": NoteRecord,
    "validate": ProblemRecord,
}

COMMANDS = [
    ["search", "torture"],
    ["search", "Tulesova police", "--limit", "0"],
    ["search", "torture", "--count"],
    ["search", "Тулесова", "--full"],
    ["timeline", "--month", "2020-06"],
    ["timeline", "--chart"],
    ["timeline", "--month", "2020-06", "--within", "--search", "Tulesova"],
    ["person", "Токаев"],
    ["person", "Tulesova"],
    ["entity", "OSCE"],
    ["people"],
    ["entities"],
    ["sections"],
    ["read", "torture"],
    ["figures"],
    ["figures", ">100"],
    ["notes"],
    ["read"],
    ["read", "entity:parliament"],
]


def conforms(value: Any, expected: Any, where: str) -> None:
    """``value`` is of the annotated kind; TypedDicts are checked key for key."""
    origin = get_origin(expected)
    if isinstance(expected, type) and typing.is_typeddict(expected):
        assert isinstance(value, dict), where
        hints = get_type_hints(expected)
        assert set(value) == set(hints), f"{where}: keys {sorted(set(value) ^ set(hints))} differ from the contract"
        for key, hint in hints.items():
            conforms(value[key], hint, f"{where}.{key}")
    elif origin in (Union, types.UnionType):
        errors = []
        for option in get_args(expected):
            try:
                conforms(value, option, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: {value!r} matches none of {expected}: {errors}")
    elif origin is list:
        assert isinstance(value, list), where
        (item,) = get_args(expected)
        for i, element in enumerate(value):
            conforms(element, item, f"{where}[{i}]")
    elif origin is dict:
        assert isinstance(value, dict), where
    elif expected is type(None):
        assert value is None, where
    elif expected is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), where
    elif expected is int:
        assert isinstance(value, int) and not isinstance(value, bool), where
    else:
        assert isinstance(value, expected), f"{where}: {value!r} is not {expected}"


def check(output: str) -> dict[str, Any]:
    envelope: dict[str, Any] = json.loads(output)
    record_type = RECORDS[envelope["command"]]
    for key, hint in get_type_hints(Envelope).items():
        if key != "records":
            conforms(envelope[key], hint, key)
    for i, record in enumerate(envelope["records"]):
        conforms(record, record_type, f"records[{i}]")
    return envelope


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_record_of_every_command_has_the_typed_shape(args: list[str]) -> None:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    envelope = check(result.stdout)
    # validate has no records for a valid corpus, search --count none at all: its number is "count".
    assert envelope["records"] or args[0] == "validate" or envelope.get("count") == envelope["total"] > 0


def test_validate_records_have_the_typed_shape(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(raw_corpus))
    broken["events"][0]["quote"] = "words the report never says"
    path = write_json(tmp_path / "broken.json", broken)
    result = CliRunner().invoke(app, ["validate", path, "--json"])
    assert result.exit_code == 3
    envelope = check(result.stdout)
    assert envelope["records"] and envelope["valid"] is False


def test_the_chart_rows_are_typed() -> None:
    result = CliRunner().invoke(app, ["timeline", "--chart", "--json"])
    chart = json.loads(result.stdout)["chart"]
    assert chart and all(set(row) == {"month", "dated", "ranges"} for row in chart)


def test_a_changed_record_fails_the_contract() -> None:
    record = json.loads(CliRunner().invoke(app, ["figures", "--json"]).stdout)["records"][0]
    conforms(record, FigureRecord, "figure")
    with pytest.raises(AssertionError, match="differ from the contract"):
        conforms({**record, "extra": 1}, FigureRecord, "figure")
    with pytest.raises(AssertionError):
        conforms({**record, "paragraph": "1"}, FigureRecord, "figure")
