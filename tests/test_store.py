"""The index file (`kz index`): the same answers as the JSON alone, used only while it belongs to its corpus."""

from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcli.loading import load
from kzcli.store import SqliteLookups, store_path

from .conftest import DATA, examples
from .kzprocess import run_main

# Every query command, the paths an index file answers and the ones that read every record.
COMMANDS = [
    ["search", "torture"],
    ["search", "protesters", "--json"],
    ["search", '"peaceful assemblies"', "--limit", "0"],
    ["search", "tortre", "--json"],
    ["search", "Semyonova"],
    ["search", "Tokayev", "--json"],
    ["search", "torture", "--section", "covid"],
    ["search", "tortured", "--exact"],
    ["search", "the", "--limit", "0", "--format", "csv"],
    ["search", "xyzzy"],
    ["search", "asylum", "--json"],
    ["person", "Tulesova", "--json"],
    ["person", "tulesva"],
    ["person", "Asya", "Tulesova", "--format", "csv"],
    ["person", "Kasym"],
    ["person", "Ospan", "Osinovskaya"],
    ["person", "Zhanbayev"],
    ["person", "asya-tulesova", "--json"],
    ["entity", "OSCE", "--json"],
    ["entity", "court"],
    ["entity", "Almaty"],
    ["timeline", "--month", "2020-06", "--json"],
    ["timeline", "--year", "2019"],
    ["timeline", "--from", "2020-03", "--to", "2020-05", "--format", "csv"],
    ["timeline", "--person", "Tulesova"],
    ["timeline", "--chart", "--year", "2020"],
    ["timeline", "--section", "torture"],
    ["timeline"],
    ["people", "--sort", "appearance"],
    ["entities", "--type", "law", "--json"],
    ["sections"],
    ["read", "torture"],
    ["read", "civil-society:1", "--json"],
    ["figures", "7"],
    ["cite", "Tulesova", "--style", "bibtex"],
    ["cite", "torture:2"],
]


@pytest.fixture
def copy(tmp_path: Path) -> str:
    target = tmp_path / "report.json"
    shutil.copyfile(DATA, target)
    return str(target)


def _runs(path: str) -> list[tuple[int, str, str]]:
    runs = [run_main(["--data", path, *args]) for args in COMMANDS]
    return [(run.code, run.out, run.err) for run in runs]


def test_every_command_answers_the_same_with_the_index_file(copy: str) -> None:
    without = _runs(copy)
    assert run_main(["index", copy]).code == 0
    assert Path(store_path(copy)).is_file()
    with_index = _runs(copy)
    for args, plain, indexed in zip(COMMANDS, without, with_index, strict=True):
        assert indexed == plain, args


def test_the_index_file_is_what_answers(copy: str) -> None:
    run_main(["index", copy])
    corpus = load(copy)
    assert isinstance(corpus.lookups, SqliteLookups)
    corpus.entity("asya-tulesova")
    # Nothing has needed every record yet: the JSON has not been read whole.
    assert "records not read" in repr(corpus)


def test_an_index_file_is_written_only_when_asked(copy: str) -> None:
    for args in COMMANDS[:5]:
        run_main(["--data", copy, *args])
    assert sorted(p.name for p in Path(copy).parent.iterdir()) == ["report.json"]


def test_a_changed_corpus_passes_its_index_file_over(copy: str) -> None:
    run_main(["index", copy])
    text = Path(copy).read_text(encoding="utf-8")
    # Same length, other words: only the checksum can tell.
    Path(copy).write_text(text.replace("Tulesova", "Tulesovo"), encoding="utf-8")
    run = run_main(["--data", copy, "person", "Tulesovo"])
    assert run.code == 0 and run.out.startswith("Asya Tulesovo (person)")
    assert f"{store_path(copy)} is out of date" in run.err
    assert run_main(["index", copy]).code == 0
    fresh = run_main(["--data", copy, "person", "Tulesovo"])
    assert fresh.code == 0 and fresh.err == ""


def test_the_same_corpus_writes_the_same_file(copy: str, tmp_path: Path) -> None:
    run_main(["index", copy])
    first = Path(store_path(copy)).read_bytes()
    run_main(["index", copy])
    assert Path(store_path(copy)).read_bytes() == first


def test_kz_index_replaces_only_its_own_files(copy: str) -> None:
    Path(store_path(copy)).write_text("my notes", encoding="utf-8")
    run = run_main(["index", copy])
    assert run.code == 2 and "is not a kz index file" in run.err
    assert Path(store_path(copy)).read_text(encoding="utf-8") == "my notes"
    # A file that is not a kz index is never read as one either.
    assert run_main(["--data", copy, "search", "torture"]).code == 0


@pytest.fixture(scope="module")
def damage_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Any], bytes]:
    """A corpus, its answers from the JSON alone, and its index file's bytes: made once for every seed."""
    target = tmp_path_factory.mktemp("damage") / "report.json"
    shutil.copyfile(DATA, target)
    expected = [run_main(["--data", str(target), *args]) for args in COMMANDS[:12]]
    run_main(["index", str(target)])
    return str(target), expected, Path(store_path(str(target))).read_bytes()


@pytest.mark.parametrize("seed", range(8))  # each count of flipped bytes (1-4) twice
def test_a_damaged_index_file_is_passed_over(damage_case: tuple[str, list[Any], bytes], seed: int) -> None:
    """Bytes changed anywhere (in rows, keys or SQLite's own pages): never a wrong answer."""
    copy, expected, pristine = damage_case
    damaged = bytearray(pristine)
    shuffle = random.Random(seed)
    for _ in range(1 + seed % 4):
        damaged[shuffle.randrange(len(damaged))] ^= 1 << shuffle.randrange(8)
    Path(store_path(copy)).write_bytes(bytes(damaged))
    for args, plain in zip(COMMANDS[:12], expected, strict=True):
        run = run_main(["--data", copy, *args])
        assert (run.code, run.out) == (plain.code, plain.out), args
        assert run.err.splitlines()[0] == (
            f"kz: {store_path(copy)} is damaged or not a kz index file; reading {copy} without it "
            f"(`kz index {copy}` rebuilds it)"
        )


def test_a_file_damaged_after_it_was_checked_is_passed_over_mid_command(copy: str) -> None:
    """Damage found while a command runs is damage: kz says so once and answers from the JSON."""
    from kzcli.search import search

    expected = search(load(copy).search_index(), "torture")
    run_main(["index", copy])
    said: list[str] = []
    corpus = load(copy, said.append)
    assert isinstance(corpus.lookups, SqliteLookups) and said == []
    with sqlite3.connect(store_path(copy)) as db:
        db.execute("DROP TABLE postings")
    found = search(corpus.search_index(), "torture")
    assert (found.hits, found.total) == (expected.hits, expected.total)
    assert said == [
        f"{store_path(copy)} is damaged (database disk image is malformed); reading {copy} without it "
        f"(`kz index {copy}` rebuilds it)"
    ]


def test_an_invalid_corpus_gets_no_index_file(copy: str) -> None:
    raw = json.loads(Path(copy).read_text(encoding="utf-8"))
    raw["events"][0]["quote"] = "words the report never wrote"
    Path(copy).write_text(json.dumps(raw), encoding="utf-8")
    run = run_main(["index", copy])
    assert run.code == 3 and "quote" in run.err
    assert not Path(store_path(copy)).exists()


def test_kz_index_replaces_a_damaged_index_file_of_its_own(copy: str) -> None:
    run_main(["index", copy])
    damaged = bytearray(Path(store_path(copy)).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    Path(store_path(copy)).write_bytes(bytes(damaged))
    assert run_main(["index", copy]).code == 0
    assert run_main(["--data", copy, "search", "torture"]).err == ""


def test_namesakes_are_asked_about_and_ordered_alike_with_the_index_file(copy: str) -> None:
    raw = json.loads(Path(copy).read_text(encoding="utf-8"))
    twin = next(e for e in raw["entities"] if e["id"] == "asya-tulesova")
    raw["entities"].insert(0, {**twin, "id": "asya-tulesova-twin", "aliases": ["Tulesova", "Aaa Tulesova"]})
    Path(copy).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    commands = [["person", "Asya", "Tulesova", "--json"], ["person", "Tulesova", "--json"], ["search", "Tulesova"]]
    before = [run_main(["--data", copy, *args]) for args in commands]
    # Two people bearing the very name typed: kz asks rather than picking one.
    assert before[0].code == 1 and "could be several" in before[0].err
    assert "asya-tulesova-twin" in before[0].err  # namesakes are told apart by id
    assert run_main(["index", copy]).code == 0
    after = [run_main(["--data", copy, *args]) for args in commands]
    for args, plain, indexed in zip(commands, before, after, strict=True):
        assert (indexed.code, indexed.out, indexed.err) == (plain.code, plain.out, plain.err), args


def test_a_lone_surrogate_is_an_invalid_corpus_not_a_crash(copy: str) -> None:
    text = Path(copy).read_text(encoding="utf-8").replace('"Tulesova"', '"Tule\\ud800sova"', 1)
    Path(copy).write_text(text, encoding="utf-8")
    for args in (["index", copy], ["--data", copy, "sections"], ["validate", copy]):
        run = run_main(args)
        # kz validate lists problems on stdout; the others fail with one line on stderr.
        assert run.code == 3 and "lone surrogate" in run.out + run.err, args


def test_searches_and_lookups_read_only_the_index_file(copy: str) -> None:
    from kzcli.entities import speller
    from kzcli.names import resolve
    from kzcli.records import entity_profile, event_record
    from kzcli.search import search
    from kzcli.timeline import covered_until, period_from, select

    run_main(["index", copy])
    corpus = load(copy)
    index = corpus.search_index()
    for query in ("torture", "Semyonova", "tortre", "Adil Soz", '"peaceful protest"'):
        assert search(index, query, respell=speller(corpus)).hits, query
    tulesova = resolve(corpus, "Tulesova", ("person",)).entity
    assert tulesova is not None and entity_profile(corpus, tulesova)["events"]
    # A typo is compared with every name key, an ambiguous pair asked about: from the file too.
    assert resolve(corpus, "tulesva", ("person",)).entity == tulesova
    assert resolve(corpus, "Ospan Osinovskaya", ("person",)).ambiguous
    june = period_from(month="2020-06")
    assert june is not None
    events = select(corpus.events_between(june.start, june.end), june, covered_until(corpus))
    assert [event_record(corpus, e, june) for e in events]
    # None of that needed every record: the JSON was never read whole.
    assert "records not read" in repr(corpus)


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any, Any]:
    from kzcli.store import write

    folder = tmp_path_factory.mktemp("both")
    path = str(folder / "report.json")
    shutil.copyfile(DATA, path)
    plain = load(path)
    write(path)
    indexed = load(path)
    assert isinstance(indexed.lookups, SqliteLookups)
    return plain, plain.search_index(), indexed, indexed.search_index()


VOCABULARY = st.sampled_from(
    [
        "torture",
        "tortre",
        "asylum",
        "Semyonova",
        "Adil",
        "Soz",
        "Nur-Otan",
        "15-day",
        "of",
        "against",
        "protest",
        '"peaceful protest"',
        '"asylum seekers"',
        "co-operation",
        "1,626",
        "Tulesova",
        "freedom",
        "covid",
        "xyzzy",
        "[bold]",
        "/",
        "-",
        "labour",
        "detentions",
        "children",
        # The query language and names: operators, exclusions, prefixes, groups.
        "OR",
        "NOT",
        "AND",
        "-prison",
        "tort*",
        "pri*",
        "asyl*",
        '"peaceful assem"*',
        "(",
        ")",
        "UN",
        "United",
        "Nations",
        "Islamic",
        "State",
    ]
)


@given(query=st.lists(VOCABULARY, min_size=1, max_size=4).map(" ".join), exact=st.booleans())
@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_searches_answer_alike_from_memory_and_from_the_index_file(
    both_ways: tuple[Any, Any, Any, Any], query: str, exact: bool
) -> None:
    from kzcli.commands.search import name_lookup
    from kzcli.entities import speller
    from kzcli.errors import UsageError
    from kzcli.names import mentioned_in_query
    from kzcli.search import search

    plain, plain_index, indexed, indexed_index = both_ways
    try:
        expected = search(plain_index, query, exact, respell=speller(plain), names=name_lookup(plain))
    except UsageError as refused:
        with pytest.raises(UsageError, match=re.escape(str(refused))):
            search(indexed_index, query, exact, respell=speller(indexed), names=name_lookup(indexed))
        return
    found = search(indexed_index, query, exact, respell=speller(indexed), names=name_lookup(indexed))
    assert (found.hits, found.total, found.corrections, found.unmatched, found.title_only, found.expression) == (
        expected.hits,
        expected.total,
        expected.corrections,
        expected.unmatched,
        expected.title_only,
        expected.expression,
    )
    assert [(p.entities, p.found_as) for p in found.parts] == [(p.entities, p.found_as) for p in expected.parts]
    assert [e.id for e in mentioned_in_query(indexed, query)] == [e.id for e in mentioned_in_query(plain, query)]
