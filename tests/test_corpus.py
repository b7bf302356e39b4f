"""Provenance and coverage: the corpus holds the whole report, and only what it says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kzcli import document
from kzcli import loading as corpus_module
from kzcli.corpus import Corpus, precision_of
from kzcli.document import build
from kzcli.errors import CorpusError
from kzcli.scan import scan
from kzcli.validation import validate

from .conftest import DATA, INSTALLED, write_json
from .coverage_check import uncovered


def test_paragraphs_equal_the_source_in_order(corpus: Corpus, source_paragraphs: list[str]) -> None:
    headings = {s.title for s in corpus.sections}
    body = [p for p in source_paragraphs if p not in headings]
    assert [p for s in corpus.sections for p in s.paragraphs] == body


def test_every_heading_of_the_source_is_a_section_title(corpus: Corpus, source_paragraphs: list[str]) -> None:
    titles = [s.title for s in corpus.sections]
    short_lines = [p for p in source_paragraphs if len(p) < 60 and not p.endswith(".")]
    assert [t for t in short_lines if t not in titles] == ["© 2020 REUTERS/Pavel Mikheyev"]
    assert titles[0] == "Photo caption and credit" and titles[1] == "Overview"
    assert titles[-1] == "Key International Actors" and len(titles) == 16


def test_the_real_corpus_validates(raw_corpus: dict[str, Any]) -> None:
    assert validate(raw_corpus) == []


def test_every_quote_stands_in_its_paragraph(corpus: Corpus) -> None:
    records: list[Any] = [*corpus.events, *corpus.figures]
    records += [m for e in corpus.entities for m in e.mentions]
    assert records
    for record in records:
        assert record.quote in corpus.paragraph(record.section, record.paragraph), record


def test_ids_are_unique(corpus: Corpus) -> None:
    for items in (corpus.sections, corpus.entities, corpus.events, corpus.figures):
        ids = [i.id for i in items]
        assert len(ids) == len(set(ids))


def test_coverage_every_date_number_and_name_is_captured(corpus: Corpus) -> None:
    assert uncovered(corpus) == []


def test_coverage_fails_without_one_event(raw_copy: dict[str, Any]) -> None:
    events = raw_copy["events"]
    victim = next(e for e in events if e["date"] == "2020-08-12")
    events.remove(victim)
    problems = uncovered(build(raw_copy))
    assert any("August 12" in p for p in problems), problems


def test_coverage_fails_without_one_person(raw_copy: dict[str, Any]) -> None:
    raw_copy["entities"] = [e for e in raw_copy["entities"] if e["name"] != "Asya Tulesova"]
    for event in raw_copy["events"]:
        event["entities"] = [i for i in event["entities"] if i != "asya-tulesova"]
    problems = uncovered(build(raw_copy))
    assert any("'Tulesova'" in p for p in problems), problems


def test_coverage_fails_without_one_figure(raw_copy: dict[str, Any]) -> None:
    raw_copy["figures"] = [f for f in raw_copy["figures"] if f["value"] != 609]
    assert any("'609'" in p for p in uncovered(build(raw_copy)))


def test_scanner_finds_dates_numbers_and_names() -> None:
    found = scan("On March 20, Erlan Baltabay served a 21-week sentence; since 2018 seven left.")
    kinds = {(f.kind, f.text) for f in found}
    assert ("date", "March 20") in kinds and ("date", "2018") in kinds
    assert ("number", "21") in kinds and ("number", "seven") in kinds
    assert ("name", "Erlan") in kinds and ("name", "Baltabay") in kinds
    assert scan("mid-September and 4.5 million")[0].text == "mid-September"
    assert ("number", "4.5") in {(f.kind, f.text) for f in scan("of 4.5 million children")}


def test_every_person_has_a_surname_alias_and_mentions(corpus: Corpus) -> None:
    people = [e for e in corpus.entities if e.type == "person"]
    assert len(people) >= 19
    for person in people:
        # The surname alone: the last word, or the last words ("Ní Aoláin").
        assert any(person.name.endswith(f" {alias}") for alias in person.aliases), person.name
        assert person.mentions


def test_dates_follow_precision_and_order(corpus: Corpus) -> None:
    assert corpus.events
    for event in corpus.events:
        assert precision_of(event.date) == event.precision
        assert event.end is None or event.end >= event.date
        assert event.date_text in event.quote


@pytest.mark.parametrize(
    ("date_text", "date", "end", "precision"),
    [
        ("Between March and July", "2020-03", "2020-07", "month"),
        ("February 7 and 8", "2020-02-07", "2020-02-08", "day"),
        ("December 27, 2019", "2019-12-27", None, "day"),
        ("mid-September", "2020-09", None, "month"),
        ("September 2019", "2019-09", None, "month"),
        ("May 2019", "2019-05", None, "month"),
        ("Since 2018", "2018", None, "year"),
    ],
)
def test_tricky_dates(corpus: Corpus, date_text: str, date: str, end: str | None, precision: str) -> None:
    matches = [e for e in corpus.events if e.date_text == date_text]
    assert matches, date_text
    assert all((e.date, e.end, e.precision) == (date, end, precision) for e in matches)


def _problems_after(raw: dict[str, Any], change: Any) -> list[str]:
    change(raw)
    return validate(raw)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r["entities"].append(dict(r["entities"][0])), "duplicate id"),
        (lambda r: r["events"][0]["entities"].append("nobody"), "unknown entity 'nobody'"),
        (lambda r: r["events"][0].update(quote="words the report never says"), "not verbatim"),
        (lambda r: r["events"][0].update(date="2020-13", precision="month"), "no month 13"),
        (lambda r: r["events"][0].update(date="2020-02-30", precision="day"), "no day 30"),
        (lambda r: r["events"][0].update(precision="year"), "does not have precision"),
        (lambda r: r["figures"][0].update(section="nowhere"), "unknown section"),
        (lambda r: r["figures"][0].update(paragraph=99), "has no paragraph 99"),
        (lambda r: r["entities"][0].update(type="animal"), "type 'animal'"),
        (lambda r: r["sections"].__setitem__(0, "text"), "expected an object"),
        (lambda r: r.update(events={}), "'events' should be an array"),
        (lambda r: r["events"][0].update(ongoing="yes"), "'ongoing' should be true or false"),
        (lambda r: r.pop("figures"), "missing key 'figures'"),
        (lambda r: r["events"][0].update(id=" "), "empty id"),
        (lambda r: r["entities"][0].update(name="Asya \x1b[31mTulesova"), "contains a control character"),
        (lambda r: r["sections"][2]["paragraphs"].append("tab\there"), "contains a control character"),
        (lambda r: r["entities"][0]["aliases"].append("Tule\ud800sova"), "lone surrogate"),
    ],
)
def test_validation_names_the_record_and_problem(raw_copy: dict[str, Any], change: Any, expected: str) -> None:
    problems = _problems_after(raw_copy, change)
    assert any(expected in p for p in problems), problems


def test_validate_lists_every_problem_not_just_the_first(raw_copy: dict[str, Any]) -> None:
    raw_copy["events"][0]["quote"] = "not in the report"
    raw_copy["events"][1]["entities"].append("ghost")
    assert len(validate(raw_copy)) >= 2


def test_end_before_date_is_rejected(raw_copy: dict[str, Any]) -> None:
    event = next(e for e in raw_copy["events"] if e["end"])
    event["end"], event["date"] = event["date"], event["end"]
    assert any("before date" in p for p in validate(raw_copy))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "is empty"),
        ("{not json", "invalid JSON at line 1"),
        ("[1, 2]", "expected an object"),
        ('{"schema_version": "1"}', "should be an integer"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_load_errors_name_the_file(tmp_path: Path, content: str | bytes | None, expected: str) -> None:
    path = tmp_path / "corpus.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        corpus_module.load(str(path))
    assert str(path) in caught.value.message and expected in caught.value.message


def test_a_directory_is_not_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="is a directory"):
        corpus_module.load(str(tmp_path))


def test_invalid_corpus_reports_first_problem_and_count(tmp_path: Path, raw_copy: dict[str, Any]) -> None:
    raw_copy["events"][0]["quote"] = "invented"
    raw_copy["events"][1]["quote"] = "invented too"
    with pytest.raises(CorpusError, match=r"not verbatim .*and \d+ more; run `kz validate`"):
        corpus_module.load(write_json(tmp_path / "c.json", raw_copy))


def test_bundled_corpus_is_found_and_data_env_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The checkout's data/report.json, or the wheel's copy of it (INSTALLED).
    assert Path(document.bundled_path()).read_bytes() == DATA.read_bytes()
    assert (Path(document.bundled_path()).resolve() == DATA.resolve()) is not INSTALLED
    monkeypatch.setenv("KZ_DATA", str(tmp_path / "elsewhere.json"))
    assert document.resolve_path(None) == str(tmp_path / "elsewhere.json")
    assert document.resolve_path("explicit.json") == "explicit.json"


@pytest.mark.parametrize("bad", ["Asya \x1b[31mTulesova", "tab\there", "del\x7f", "c1\x9b31m"])
def test_loading_refuses_control_characters(tmp_path: Path, raw_copy: dict[str, Any], bad: str) -> None:
    raw_copy["entities"][0]["role"] = bad
    for ascii_only in (True, False):
        path = tmp_path / f"c{ascii_only}.json"
        path.write_text(json.dumps(raw_copy, ensure_ascii=ascii_only), encoding="utf-8")
        with pytest.raises(CorpusError, match="control character"):
            corpus_module.load(str(path))
