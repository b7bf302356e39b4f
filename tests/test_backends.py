"""Every backend answers every lookup alike: the JSON, the wheel's snapshot and an index file.

The corpus-backed tests elsewhere run against each backend (conftest.BACKENDS);
this file asks every lookup for every key, so a record read as another
anywhere in a backend fails here, and shows that it would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kzcli.commands.search import name_lookup
from kzcli.corpus import Corpus
from kzcli.loading import load, make_snapshot, read_snapshot, snapshot_path
from kzcli.memory import LookupTables, MemoryLookups
from kzcli.search import search
from kzcli.timeline import covered_until, period_from, select

from .conftest import BACKENDS, DATA, open_backend

QUERIES = (
    "torture",
    "tortre",
    "Semyonova",
    '"peaceful protest"',
    "asylum",
    "Adil Soz",
    "of",
    "1,626",
    "torture -prison",
    "(torture OR detention) NOT camp",
    "tort*",
    '"peaceful assem"*',
    "asyl*",
    "UN",
    "United Nations",
    "arrest",
)
PERIODS: tuple[dict[str, str], ...] = (
    {"month": "2020-06"},
    {"year": "2019"},
    {"since": "2020-03", "until": "2020-05"},
    {},
)


def answers(corpus: Corpus) -> dict[str, Any]:
    """What every lookup of ``corpus`` answers, for every key it has."""
    reference = load(str(DATA))  # the keys to ask about, from the JSON
    entities = reference.entities
    places = sorted({(m.section, m.paragraph) for e in entities for m in e.mentions})
    keys = sorted(reference.name_table())
    words = sorted({w for key in keys for w in key.split()})
    until = covered_until(corpus)
    index = corpus.search_index()
    return {
        "report": corpus.report,
        "records": corpus.records,
        "sections": [corpus.section_or_none(s.id) for s in reference.sections],
        "titles": corpus.section_titles(),
        "entities": [corpus.entity_or_none(e.id) for e in entities],
        "positions": [corpus.entity_position(e.id) for e in entities],
        "events_involving": [corpus.events_involving(e.id) for e in entities],
        "entities_at": [corpus.entities_at(*place) for place in places],
        "entities_named": [corpus.entities_named(key) for key in keys],
        "name_table": corpus.name_table(),
        "name_words": [corpus.name_keys_with_word(word) for word in words],
        "periods": [
            select(corpus.events_between(p.start, p.end), p, until) if p is not None else corpus.events
            for p in (period_from(**period) for period in PERIODS)
        ],
        "until": until,
        "spellings": corpus.lookups.report_spellings(),
        # From the lookups (an index file's own table), not the records read from the JSON.
        "topics": corpus.lookups.topics(),
        "searches": [search(index, q, names=name_lookup(corpus)).hits for q in QUERIES],
    }


@pytest.fixture(scope="module")
def from_json() -> dict[str, Any]:
    return answers(load(str(DATA)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_answers_every_lookup_alike(
    backend: str, tmp_path_factory: pytest.TempPathFactory, from_json: dict[str, Any]
) -> None:
    found = answers(open_backend(backend, tmp_path_factory.mktemp(backend)))
    for question, expected in from_json.items():
        assert found[question] == expected, f"{backend}: {question}"


def test_a_snapshot_reading_one_record_as_another_is_caught(tmp_path: Path, from_json: dict[str, Any]) -> None:
    """The mutation that once passed every test: the snapshot's name table read as entity 0."""
    corpus = open_backend("snapshot", tmp_path)
    lookups = corpus.lookups
    assert isinstance(lookups, MemoryLookups)
    tables = lookups.tables
    mutated = LookupTables({key: tuple(0 for _ in found) for key, found in tables.names.items()}, *tables[1:])
    broken = Corpus(
        corpus.schema_version, corpus.report, MemoryLookups(corpus.report, corpus.records, mutated), corpus.records
    )
    found = answers(broken)
    assert found["entities_named"] != from_json["entities_named"]
    assert found["name_table"] != from_json["name_table"]


def test_a_snapshot_is_used_only_for_its_own_corpus(tmp_path: Path) -> None:
    corpus = open_backend("snapshot", tmp_path)
    path = Path(corpus.path)
    assert read_snapshot(str(path)) is not None
    path.write_bytes(path.read_bytes().replace(b"Tulesova", b"Tulesovb", 1))
    assert read_snapshot(str(path)) is None  # the corpus changed: its snapshot no longer stands in


@pytest.mark.parametrize("junk", [b"", b"\x00" * 10, b"not marshal", make_snapshot(str(DATA))[:100]])
def test_a_damaged_snapshot_is_ignored(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(DATA.read_bytes())
    Path(snapshot_path(str(path))).write_bytes(junk)
    assert read_snapshot(str(path)) is None
    assert load(str(path), snapshot=True).entity("asya-tulesova").name == "Asya Tulesova"


def test_an_index_of_another_stemmer_is_rebuilt(tmp_path: Path) -> None:
    corpus = open_backend("snapshot", tmp_path)
    lookups = corpus.lookups
    assert isinstance(lookups, MemoryLookups)
    index = lookups.search_index()
    stale = MemoryLookups(
        corpus.report, corpus.records, lookups.tables, index._replace(stemmer="0.0-other", stem_postings={})
    )
    assert search(stale.search_index(), "torture").hits == search(index, "torture").hits


def test_the_snapshot_holds_no_paragraph_twice() -> None:
    """The records hold the text; the index holds lengths and postings only."""
    snapshot = make_snapshot(str(DATA))
    paragraph = load(str(DATA)).sections[3].paragraphs[0].encode()
    assert snapshot.count(paragraph) == 1
