"""--format jsonl and --format tsv: the records one a line, and the plain lines under a header.

Every list-shaped command is run in both; JSON Lines is read back line by
line with ``json.loads`` (what mlr, DuckDB and ``jq -c`` do) and must give the
``--json`` envelope's records; TSV's header must name as many columns as each
row holds, and the columns it names after a record's field must hold that field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from kzcli.cli import app
from kzcli.errors import UsageError
from kzcli.formats import PLAIN_COLUMNS, TSV_HEADERS

from .conftest import write_json

LISTS = [
    ["search", "torture"],
    ["search", "Tulesova police", "--limit", "0"],
    ["timeline", "--month", "2020-06"],
    ["timeline"],
    ["timeline", "--chart"],
    ["person", "Tulesova"],
    ["entity", "OSCE"],
    ["people"],
    ["entities"],
    ["sections"],
    ["read", "torture"],
    ["read", "entity:parliament"],
    ["read"],
    ["figures"],
    ["notes"],
    ["topics"],
    ["topic", "lgbt"],
]


def run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def envelope(args: list[str]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(run([*args, "--json"]))
    return loaded


@pytest.mark.parametrize("args", LISTS, ids=" ".join)
def test_jsonl_is_the_envelopes_records_one_a_line(args: list[str]) -> None:
    lines = run([*args, "--format", "jsonl"]).splitlines()
    whole = envelope(args)
    expected = whole["chart"] if "--chart" in args else whole["records"]
    assert [json.loads(line) for line in lines] == expected
    assert all(line.startswith("{") and ": " not in line[:20] for line in lines), "compact, one object a line"


def test_jsonl_keeps_the_reports_characters_as_utf8() -> None:
    out = run(["person", "Désir", "--format", "jsonl"])
    assert "Désir" in out and "\\u00e9" not in out


@pytest.mark.parametrize("args", LISTS, ids=" ".join)
def test_every_tsv_row_has_as_many_fields_as_its_header(args: list[str]) -> None:
    header, *rows = run([*args, "--format", "tsv"]).splitlines()
    names = header.split("\t")
    assert rows
    assert len(set(names)) == len(names)
    for row in rows:
        assert len(row.split("\t")) == len(names), row


def _holds(cell: str, value: Any) -> bool:
    """Whether a plain cell shows a record's value (lists as their items, no-break spaces as spaces)."""
    if isinstance(value, list):
        return all(_holds(cell, item) for item in value)
    shown = str(value).replace("\u00a0", " ").replace("\u202f", " ")
    return shown in cell


@pytest.mark.parametrize("args", [a for a in LISTS if a[0] not in ("person", "entity", "topic") and "--chart" not in a])
def test_tsv_columns_hold_the_fields_they_are_named_after(args: list[str]) -> None:
    header, *rows = run([*args, "--format", "tsv"]).splitlines()
    names = header.split("\t")
    records = envelope(args)["records"]
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        cells = dict(zip(names, row.split("\t"), strict=True))
        for name, cell in cells.items():
            if name == "place":
                assert cell == f"{record['section']} ¶{record['paragraph']}"
            else:
                assert _holds(cell, record[name]), (name, cell, record[name])


def test_a_profiles_tsv_rows_are_its_events_then_its_mentions() -> None:
    header, *rows = run(["person", "Tulesova", "--format", "tsv"]).splitlines()
    profile = envelope(["person", "Tulesova"])["records"][0]
    assert header.split("\t") == list(TSV_HEADERS["profile"])
    kinds = [row.split("\t")[1] for row in rows]
    assert kinds == ["event"] * len(profile["events"]) + ["mention"] * len(profile["mentions"])
    first_event = rows[0].split("\t")
    assert first_event[-1] == profile["events"][0]["quote"].replace("\u00a0", " ")
    first_mention = rows[len(profile["events"])].split("\t")
    assert first_mention[-1] == profile["mentions"][0]["quote"].replace("\u00a0", " ")


@pytest.mark.parametrize("args", [["people"], ["entities"], ["sections"], ["search", "torture"], ["timeline"]])
def test_tsv_is_the_plain_output_under_a_header(args: list[str]) -> None:
    header, body = run([*args, "--format", "tsv"]).split("\n", 1)
    assert body == run(args)
    if args[0] in PLAIN_COLUMNS:
        assert header.split("\t") == [*PLAIN_COLUMNS[args[0]], "place"]


def test_a_search_count_is_one_row_and_one_record() -> None:
    """--count is a number in every format: a TSV row under a ``count`` header, a JSON Lines record."""
    counted = envelope(["search", "torture", "--count"])["count"]
    assert counted > 0
    assert run(["search", "torture", "--count", "--format", "tsv"]).splitlines() == ["count", str(counted)]
    lines = run(["search", "torture", "--count", "--format", "jsonl"]).splitlines()
    assert [json.loads(line) for line in lines] == [{"count": counted}]
    from kzcli.commands.schema import schema

    assert list(jsonschema.Draft202012Validator(schema("search", True)).iter_errors(json.loads(lines[0]))) == []


def test_plain_output_stays_headerless() -> None:
    first = run(["sections"]).splitlines()[0]
    assert first.split("\t")[0] == envelope(["sections"])["records"][0]["id"]


def test_validate_writes_tsv_and_jsonl(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(raw_corpus))
    broken["events"][0]["quote"] = "a tab\there"
    path = write_json(tmp_path / "broken.json", broken)
    tsv = CliRunner().invoke(app, ["validate", path, "--format", "tsv"])
    header, *rows = tsv.stdout.splitlines()
    assert tsv.exit_code == 3 and header == "where\tproblem"
    assert rows and all(len(row.split("\t")) == 2 for row in rows)
    assert any("\\t" in row for row in rows), "the tab a problem quotes is shown escaped"
    jsonl = CliRunner().invoke(app, ["validate", path, "--format", "jsonl"])
    problems = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert jsonl.exit_code == 3
    assert [p["message"] for p in problems] == [
        r["message"] for r in json.loads(CliRunner().invoke(app, ["validate", path, "--json"]).stdout)["records"]
    ]


def test_json_and_jsonl_together_are_refused() -> None:
    result = CliRunner().invoke(app, ["sections", "--json", "--format", "jsonl"])
    assert isinstance(result.exception, UsageError)  # exit 2 through kzcli.entry
