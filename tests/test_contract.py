"""The JSON output contract: the JSON Schemas kz ships, checked with ``jsonschema`` against real output.

Every command's envelope, every record (nested ones too) and every
``--format jsonl`` line must validate against what ``kz schema`` prints. The
records are closed: a key added to or dropped from the output fails this test
until ``src/kzcli/output.schema.json`` (and the README) says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from kzcli.cli import app
from kzcli.commands.schema import BASE, COMMANDS, NAMES, corpus_schema, output_document, schema
from kzcli.document import bundled_path
from kzcli.validation import schema_path

from .conftest import write_json
from .kzprocess import run_kz

COMMAND_LINES = [
    ["search", "torture"],
    ["search", "Tulesova police", "--limit", "0"],
    ["search", "Kazatomprum"],
    ["search", "Тулесова", "--full"],
    ["timeline", "--month", "2020-06"],
    ["timeline", "--person", "Tulesova"],
    ["timeline", "--chart"],
    ["timeline", "--month", "2020-06", "--within", "--search", "Tulesova"],
    ["person", "Tulesova"],
    ["person", "Токаев"],
    ["entity", "OSCE"],
    ["people"],
    ["people", "--role", "activist", "--sort", "appearance"],
    ["entities"],
    ["entities", "--type", "organisations"],
    ["sections"],
    ["read", "torture"],
    ["read", "torture 2"],
    ["figures"],
    ["figures", ">100"],
    ["notes"],
    ["notes", "november-2019"],
    ["topics"],
    ["topic", "covid"],
    ["search", "coronavirus"],
    ["people", "--topic", "torture"],
    ["timeline", "--topic", "covid"],
    ["read"],
    ["read", "entity:parliament"],
]


def validator(name: str, line: bool = False) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name, line))


def errors(name: str, document: Any, line: bool = False) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name, line).iter_errors(document)]


def invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", NAMES)
def test_every_schema_is_a_draft_2020_12_schema_with_an_id(name: str) -> None:
    printed = schema(name)
    jsonschema.Draft202012Validator.check_schema(printed)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed["$id"] == f"{BASE}{name}.json"


def test_the_shipped_output_document_is_a_schema_of_any_output() -> None:
    whole = output_document()
    jsonschema.Draft202012Validator.check_schema(whole)
    output = json.loads(invoke(["sections", "--json"]))
    assert list(jsonschema.Draft202012Validator(whole).iter_errors(output)) == []


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_every_commands_json_validates_against_its_schema(args: list[str]) -> None:
    envelope = json.loads(invoke([*args, "--json"]))
    assert envelope["command"] == args[0]
    assert envelope["records"]
    assert errors(args[0], envelope) == []


@pytest.mark.parametrize("args", COMMAND_LINES, ids=" ".join)
def test_every_jsonl_line_validates_against_the_line_schema(args: list[str]) -> None:
    lines = invoke([*args, "--format", "jsonl"]).splitlines()
    assert lines
    for line in lines:
        assert errors(args[0], json.loads(line), line=True) == []


def test_a_search_count_validates_and_counts_the_passages() -> None:
    counted = json.loads(invoke(["search", "torture", "--count", "--json"]))
    listed = json.loads(invoke(["search", "torture", "--limit", "0", "--json"]))
    assert counted["count"] == listed["total"] > 0 and counted["records"] == []
    assert errors("search", counted) == []
    assert errors("search", {**counted, "count": -1}) != []


def test_every_command_with_json_has_a_schema_and_is_tested() -> None:
    tested = {args[0] for args in COMMAND_LINES}
    assert tested | {"validate"} == set(COMMANDS)


def test_a_profile_not_found_and_validate_have_their_shapes(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    missing = CliRunner().invoke(app, ["person", "Nobody Atall", "--json"])
    assert missing.exit_code == 1
    envelope = json.loads(missing.stdout)
    assert "candidates" in envelope and errors("person", envelope) == []
    broken = json.loads(json.dumps(raw_corpus))
    broken["events"][0]["quote"] = "words the report never says"
    path = write_json(tmp_path / "broken.json", broken)
    result = CliRunner().invoke(app, ["validate", path, "--json"])
    assert result.exit_code == 3
    envelope = json.loads(result.stdout)
    assert envelope["records"] and envelope["valid"] is False
    assert errors("validate", envelope) == []
    valid = json.loads(CliRunner().invoke(app, ["validate", bundled_path(), "--json"]).stdout)
    assert errors("validate", valid) == []


def test_the_error_envelope_validates() -> None:
    """The envelope ``kzcli.entry`` prints on failure: through a real process, as a program sees it."""
    done = run_kz(["timeline", "--month", "2020-13", "--json"])
    assert done.code == 2
    document = json.loads(done.out)
    assert errors("error", document) == []
    assert errors("timeline", document), "a failure is not a timeline"


def test_a_changed_record_fails_the_contract() -> None:
    envelope = json.loads(invoke(["figures", "--json"]))
    assert errors("figures", envelope) == []
    added = {**envelope, "records": [{**envelope["records"][0], "extra": 1}]}
    assert any("extra" in e for e in errors("figures", added))
    retyped = {**envelope, "records": [{**envelope["records"][0], "paragraph": "1"}]}
    assert errors("figures", retyped)
    dropped = {k: v for k, v in envelope.items() if k != "total"}
    assert errors("figures", dropped)
    assert errors("search", envelope), "a figures envelope is not a search envelope"


def test_kz_schema_prints_what_ships() -> None:
    printed = json.loads(invoke(["schema", "corpus"]))
    assert printed == corpus_schema() == json.loads(Path(schema_path()).read_text(encoding="utf-8"))
    assert printed["$id"] == f"{BASE}corpus.json"
    assert json.loads(invoke(["schema", "Search"])) == schema("search")
    line = json.loads(invoke(["schema", "timeline", "--jsonl"]))
    assert line["$id"] == f"{BASE}timeline.line.json" and set(line["$defs"]) >= {"eventRecord", "chartRow"}


def test_kz_schema_alone_lists_every_name() -> None:
    listed = [line.split("\t")[0] for line in invoke(["schema"]).splitlines()]
    assert listed == list(NAMES)


def test_an_unknown_schema_is_a_usage_error_with_close_names() -> None:
    done = run_kz(["schema", "serch"])
    assert (done.code, done.out) == (2, "")
    assert done.err_lines == ["kz: no schema named 'serch'; did you mean: search? (`kz schema` lists them)"]
    far = run_kz(["schema", "zzzz"])
    assert (far.code, far.err_lines) == (2, ["kz: no schema named 'zzzz' (`kz schema` lists them)"])  # no "';"
    assert run_kz(["schema", "corpus", "--jsonl"]).code == 2


def test_a_printed_schema_holds_only_the_definitions_it_uses() -> None:
    notes = schema("notes")
    assert set(notes["$defs"]) == {"notesOutput", "envelope", "report", "noteRecord"}
