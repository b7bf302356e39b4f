"""kz validate and the bundled JSON Schema: the real corpus passes both; broken documents fail both."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kzcli.validation import schema_path, validate

from .conftest import write_json
from .kzprocess import run_main


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """The bundled schema (checked with the test-only `jsonschema` package, which the test extra installs)."""
    loaded: dict[str, Any] = json.loads(Path(schema_path()).read_text(encoding="utf-8"))
    return loaded


def schema_errors(schema: dict[str, Any], document: Any) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    return [error.message for error in validator.iter_errors(document)]


def test_the_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_real_corpus_matches_the_schema(schema: dict[str, Any], raw_corpus: dict[str, Any]) -> None:
    assert schema_errors(schema, raw_corpus) == []


def test_an_ingested_corpus_matches_the_schema(schema: dict[str, Any]) -> None:
    from kzcli.ingest import ingest

    from .conftest import SOURCE

    assert schema_errors(schema, ingest(SOURCE.read_text(encoding="utf-8"), "source.txt")) == []


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value

    return change


def _delete(path: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        del target[last]

    return change


BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "wrong schema version": _set("schema_version", 2),
    "report missing": _delete("report"),
    "report title not a string": _set("report.title", 7),
    "section with no paragraphs": _set("sections.0.paragraphs", []),
    "blank paragraph": _set("sections.1.paragraphs.0", "   "),
    "unknown entity type": _set("entities.0.type", "company"),
    "entity without mentions": _set("entities.0.mentions", []),
    "mention paragraph 0": _set("entities.0.mentions.0.paragraph", 0),
    "empty quote": _set("events.0.quote", ""),
    "month 13": _set("events.0.date", "2020-13"),
    "date with a weekday": _set("events.0.date", "Sat 2020-06-06"),
    "unknown precision": _set("events.0.precision", "week"),
    "precision does not fit the date": _set("events.0.precision", "month"),
    "ongoing with an end": lambda d: d["events"][0].update(ongoing=True, end="2020-07-01"),
    "ongoing not a boolean": _set("events.0.ongoing", "no"),
    "figure value a string": _set("figures.0.value", "hundreds"),
    "event missing its entities": _delete("events.0.entities"),
    "left_out kind unknown": _set("left_out.0.kind", "place"),
    "paragraph number a string": _set("figures.0.paragraph", "1"),
    "not an object at all": lambda d: d.clear(),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_schema_and_validator_agree_on_broken_documents(
    schema: dict[str, Any], raw_corpus: dict[str, Any], name: str
) -> None:
    document = copy.deepcopy(raw_corpus)
    BROKEN[name](document)
    assert validate(document), f"kz's validator accepts: {name}"
    assert schema_errors(schema, document), f"the JSON Schema accepts: {name}"


def test_provenance_is_the_validators_alone(schema: dict[str, Any], raw_corpus: dict[str, Any]) -> None:
    """What JSON Schema cannot state (documented in its description): quotes verbatim, references resolve."""
    document = copy.deepcopy(raw_corpus)
    document["events"][0]["quote"] = "Words the report never says."
    document["events"][1]["entities"] = ["nobody"]
    assert schema_errors(schema, document) == []
    problems = validate(document)
    assert any("quote is not verbatim" in p for p in problems)
    assert any("unknown entity 'nobody'" in p for p in problems)
    assert "kz validate" in schema["description"]


def test_cli_valid_file(raw_corpus: dict[str, Any], tmp_path: Path) -> None:
    path = write_json(tmp_path / "ok.json", raw_corpus)
    done = run_main(["validate", path])
    assert (done.code, done.out) == (0, "")
    assert done.err_lines == [f"kz: {path}: valid (16 sections, 65 entities, 50 events, 38 figures, 30 topics)"]


def test_cli_lists_every_problem_one_per_line(raw_corpus: dict[str, Any], tmp_path: Path) -> None:
    document = copy.deepcopy(raw_corpus)
    document["events"][0]["date"] = "2020-13"
    document["events"][1]["id"] = "two\nlines"
    document["events"][1]["quote"] = "Words the report never says."
    document["entities"][0]["type"] = "company"
    path = write_json(tmp_path / "bad.json", document)
    done = run_main(["validate", path])
    assert done.code == 3
    lines = done.out.splitlines()
    assert lines == [p.replace("\n", "\\x0a") for p in validate(document)]
    assert lines == [
        "entity 'kasym-jomart-tokaev': type 'company' is not one of person, organization, place, law",
        "event '2020-06-06-almaty-opposition-rally-photo': '2020-13' has no month 13",
        "event 'two\\x0alines': quote is not verbatim in overview paragraph 1",
        "event 'two\\x0alines': date_text '2020' is not in its quote",
        # The topic tagging the renamed event finds it no more.
        "topic 'rights-record': unknown event '2020-tokaev-reform-promises-no-improvement'",
        "corpus.events[1].id: contains a control character (U+000A) ('two\\nlines')",
    ]
    assert done.err_lines == [f"kz: {path}: 6 problems"]


def test_cli_json_and_csv(raw_corpus: dict[str, Any], tmp_path: Path) -> None:
    document = copy.deepcopy(raw_corpus)
    del document["notes"]
    path = write_json(tmp_path / "bad.json", document)
    done = run_main(["validate", path, "--json"])
    assert done.code == 3
    out = json.loads(done.out)
    assert {k: out[k] for k in ("schema_version", "command", "valid", "total")} == {
        "schema_version": 1,
        "command": "validate",
        "valid": False,
        "total": 1,
    }
    assert out["records"] == [
        {"where": "corpus", "problem": "missing key 'notes'", "message": "corpus: missing key 'notes'"}
    ]
    assert out["report"]["series"] == "World Report 2021"
    as_csv = run_main(["validate", path, "--format", "csv"])
    assert as_csv.out == '"where","problem"\n"corpus","missing key \'notes\'"\n'


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "file: is empty"),
        (b"{not json", "file: invalid JSON at line 1 column 2: Expecting property name enclosed in double quotes"),
        (b"\xff\xfe", "file: is not UTF-8 (byte 0)"),
        (b"[]", "corpus: expected an object, got an array"),
    ],
)
def test_cli_unparsable_files_are_problems_too(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "corpus.json"
    path.write_bytes(content)
    done = run_main(["validate", str(path)])
    assert (done.code, done.out) == (3, problem + "\n")
    assert done.err_lines == [f"kz: {path}: 1 problem"]


def test_the_schema_ships_in_the_package() -> None:
    assert Path(schema_path()).name == "report.schema.json"
    assert Path(schema_path()).is_file()
