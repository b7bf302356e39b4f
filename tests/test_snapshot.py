"""The wheel's prebuilt snapshot: same answers as parsing, used only when it belongs to the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzcli import snapshot
from kzcli.corpus import build
from kzcli.search import build_index, search

from .conftest import DATA


def _pair(tmp_path: Path, report: bytes, snap: bytes) -> str:
    report_path = tmp_path / "report.json"
    report_path.write_bytes(report)
    (tmp_path / snapshot.SNAPSHOT_NAME).write_bytes(snap)
    return str(report_path)


def test_snapshot_holds_the_document_and_the_same_index(tmp_path: Path) -> None:
    report = DATA.read_bytes()
    found = snapshot.read(_pair(tmp_path, report, snapshot.make(report)))
    assert found is not None
    raw, index_data, names = found
    assert raw == json.loads(report)
    parsed = build(raw)
    assert {key: [parsed.entities[i] for i in at] for key, at in names.items()} == {
        key: list(entities) for key, entities in parsed.name_table().items()
    }
    rebuilt = build(raw)
    rebuilt.index_data = index_data
    fresh = build_index(build(raw))
    assert build_index(rebuilt) == fresh
    assert search(build_index(rebuilt), "torture").hits == search(fresh, "torture").hits


def test_a_snapshot_of_other_bytes_is_ignored(tmp_path: Path) -> None:
    report = DATA.read_bytes()
    edited = report.replace(b"Torture and ill-treatment", b"Torture and ill treatment", 1)
    assert edited != report
    assert snapshot.read(_pair(tmp_path, edited, snapshot.make(report))) is None


@pytest.mark.parametrize("junk", [b"", b"not marshal", b"\x00" * 10])
def test_a_damaged_snapshot_is_ignored(tmp_path: Path, junk: bytes) -> None:
    assert snapshot.read(_pair(tmp_path, DATA.read_bytes(), junk)) is None


def test_an_invalid_corpus_gets_no_snapshot() -> None:
    raw = json.loads(DATA.read_bytes())
    raw["events"][0]["quote"] = "words the report never says"
    with pytest.raises(ValueError, match="not verbatim"):
        snapshot.make(json.dumps(raw).encode())


def test_an_index_from_another_stemmer_is_rebuilt(tmp_path: Path) -> None:
    report = DATA.read_bytes()
    found = snapshot.read(_pair(tmp_path, report, snapshot.make(report)))
    assert found is not None
    raw, index_data, _ = found
    stale = build(raw)
    stale.index_data = ("0.0-other-stemmer", *index_data[1:])
    stale.index_data[2]["tortur"] = {}  # poisoned postings: must not be what search uses
    assert build_index(stale) == build_index(build(raw))
