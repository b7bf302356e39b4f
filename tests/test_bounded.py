"""Bounded work (issue 14, reproductions 6 and 7): dates compared as dates, ranges bounded,
every text routine linear or near it in the length of what it reads.

Each hot spot the issue found is timed at 1x and 16x its input (``growth``):
linear work grows ~16 times, the quadratic work it replaced ~256 times.
No absolute time is asserted.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import string
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli import cite, dates, ingest, naming, scan, search, text, timeline
from kzcli.corpus import Event, Section
from kzcli.errors import KzError, UsageError
from kzcli.loading import load
from kzcli.validation import validate

from .conftest import DATA, examples
from .growth import LIMIT, growth
from .kzprocess import run_main

# --- dates as dates, ranges bounded ----------------------------------------------------


def _event(date: str, end: str | None = None, precision: str = "month", event_id: str = "e") -> Event:
    return Event(event_id, date, end, precision, False, date, "s", "x", 1, "q", ())


def test_months_are_counted_as_dates_up_to_year_9999() -> None:
    assert timeline.months_between("9999-11", "9999-12") == ["9999-11", "9999-12"]
    assert timeline.months_between("0999-12", "1000-01") == ["0999-12", "1000-01"]
    rows = timeline.month_counts([_event("9998-12", "9999-12")])
    assert [m for m, _, _ in rows][-2:] == ["9999-11", "9999-12"] and len(rows) == 13
    assert all(len(m) == 7 for m, _, _ in rows)  # never "10000-01"


def test_a_chart_past_a_century_of_months_is_refused_with_its_span() -> None:
    """`--from 2020 --to 9999-12-30 --chart` drew 1,175,640 rows, a million of them impossible months."""
    run = run_main(["timeline", "--from", "2020", "--to", "9999-12-30", "--chart"])
    assert run.code == 2 and run.out == ""
    assert run.err_lines == [
        "kz: --chart would draw 95,760 months (2020-01 to 9999-12), more than the 1,200 a chart shows; "
        "narrow it with --year or --from/--to"
    ]
    # Without --chart the same range is only a filter: every event, as for no range at all.
    listed = run_main(["timeline", "--from", "2020", "--to", "9999-12-30", "--json"])
    assert listed.code == 0 and json.loads(listed.out)["total"] > 30
    # A century is drawn.
    century = run_main(["timeline", "--from", "1921", "--to", "2020", "--chart", "--format", "csv"])
    assert century.code == 0 and len(century.out.splitlines()) == 1 + 1200


def test_a_range_over_all_of_time_charts_and_completes_in_bounded_work(tmp_path: Path) -> None:
    """An event dated 0001-01..9999-12 made `--month <TAB>` hang 42 s."""
    raw = json.loads(Path(DATA).read_text(encoding="utf-8"))
    event = next(e for e in raw["events"] if e["precision"] == "month" and e["end"] is None)
    event.update(date="0001-01", end="9999-12")
    path = tmp_path / "eternal.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    from kzcli.completion import months
    from kzcli.session import Session

    session = Session(str(path))
    session.completing = True
    offered = months(session, "")
    assert offered[:2] == ["0001-01", "0001-02"] and len(offered) == timeline.MAX_COMPLETED_MONTHS
    assert months(session, "2020-0") == [f"2020-0{m}" for m in range(1, 10)]
    assert months(session, "9999-1") == ["9999-10", "9999-11", "9999-12"]
    assert months(session, "x") == []
    chart = run_main(["--data", str(path), "timeline", "--chart"])
    assert chart.code == 2 and "would draw 119,988 months (0001-01 to 9999-12)" in chart.err
    year = run_main(["--data", str(path), "timeline", "--chart", "--year", "2020", "--format", "csv"])
    assert year.code == 0 and '"2020-06",' in year.out


def _naive_counts(events: list[Event], period: timeline.Period | None) -> list[tuple[str, int, int]]:
    """The chart by its definition, month by month over the whole calendar of the events."""
    months: dict[str, tuple[int, int]] = {}
    for e in events:
        if not timeline.charted(e):
            continue
        first, last = e.date[:7], (e.end or e.date)[:7]
        for m in timeline.months_between(first, last):
            dated, ranges = months.get(m, (0, 0))
            months[m] = (dated + 1, ranges) if first == last else (dated, ranges + 1)
    keys = sorted(m for m in months if period is None or period.start[:7] <= m <= period.end[:7])
    low = keys[0] if keys else None
    high = keys[-1] if keys else None
    if period is not None:
        low = low if period.start == timeline.OPEN_START else period.start[:7]
        high = high if period.end == timeline.OPEN_END else period.end[:7]
    if low is None or high is None:
        return []
    return [(m, *months.get(m, (0, 0))) for m in timeline.months_between(low, high)]


MONTH = st.tuples(st.integers(2017, 2022), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}")


@given(
    spans=st.lists(st.tuples(MONTH, MONTH, st.booleans()), max_size=12),
    period=st.one_of(st.none(), st.tuples(st.one_of(st.none(), MONTH), st.one_of(st.none(), MONTH))),
)
@settings(max_examples=examples(200), deadline=None)
def test_chart_counts_are_the_months_by_definition(
    spans: list[tuple[str, str, bool]], period: tuple[str | None, str | None] | None
) -> None:
    events = [_event(min(a, b), max(a, b) if ranged and a != b else None) for a, b, ranged in spans]
    try:
        chosen = None if period is None else timeline.period_from(since=period[0], until=period[1])
    except UsageError:
        return  # --to before --from
    assert timeline.month_counts(events, chosen) == _naive_counts(events, chosen)


# --- text routines: linear in what they read -----------------------------------------


def _assert_linear(make: Callable[[int], Callable[[], object]], base: int) -> None:
    ratio = growth(make, base)
    assert ratio < LIMIT, f"16 times the input took {ratio:.0f} times as long (quadratic is ~256)"


@pytest.mark.parametrize(
    "unit",
    ["Mr. Abc ", "Abc def. ", "St. Petersburg, Dr. Who and U.S. "],
    ids=["abbreviations", "short sentences", "mixed"],
)
def test_sentences_are_linear_in_paragraph_length(unit: str) -> None:
    _assert_linear(lambda n: partial(text.sentences, unit * n), 20_000 // len(unit))


def test_snippets_are_linear_in_paragraph_length_and_matches() -> None:
    """A 520 KB paragraph took 38.7 s to search: every sentence counted every match."""

    def make(n: int) -> Callable[[], object]:
        paragraph = "Torture was reported. " * n
        spans = tuple((i * 22, i * 22 + 7) for i in range(n))
        return lambda: search.make_snippet(paragraph, spans)

    _assert_linear(make, 400)

    def make_search(n: int) -> Callable[[], object]:
        index = search.build_index([Section("big", "Big", ("Torture was reported. " * n,))])
        return lambda: search.search(index, "torture")

    _assert_linear(make_search, 400)


@given(
    sentence_lengths=st.lists(st.integers(1, 30), min_size=1, max_size=12),
    spans=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 8)), max_size=12),
)
@settings(max_examples=examples(200), deadline=None)
def test_the_snippet_is_the_sentence_holding_the_most_matches(
    sentence_lengths: list[int], spans: list[tuple[int, int]]
) -> None:
    paragraph = " ".join("Word" + "x" * n + "." for n in sentence_lengths)
    matches = tuple((start, min(start + size, len(paragraph))) for start, size in spans if start < len(paragraph))
    for shown in (tuple(sorted(matches)), matches):  # sorted (what search gives) or not
        best, best_count = (0, len(paragraph)), -1
        for start, end in text.sentences(paragraph):
            inside = sum(1 for s, e in shown if s >= start and e <= end)
            if inside > best_count:
                best, best_count = (start, end), inside
        local = tuple((s - best[0], e - best[0]) for s, e in shown if s >= best[0] and e <= best[1])
        assert search.make_snippet(paragraph, shown) == (paragraph[best[0] : best[1]], local)


@pytest.mark.parametrize(
    "make_target",
    [
        lambda n: "a" + " " * n + "b",
        lambda n: "a " * n + "b",
        lambda n: "a" + " :" * n + " 1 x",
        lambda n: "a:" + "1" * n + "x",
    ],
    ids=["spaces", "words", "marks", "digits"],
)
def test_paragraph_references_are_parsed_in_linear_time(make_target: Callable[[int], str]) -> None:
    """`kz read "a<80,000 spaces>b"` took 74 s."""
    for pattern in (cite._PARAGRAPH_RE, cite._BROKEN_PARAGRAPH_RE):

        def match(n: int, pattern: re.Pattern[str] = pattern) -> Callable[[], object]:
            return partial(pattern.match, make_target(n))

        _assert_linear(match, 50_000)


def test_reading_a_long_spaced_target_answers_at_once() -> None:
    run = run_main(["read", "a" + " " * 80_000 + "b"])
    assert run.code == 1 and len(run.err_lines) == 1 and "closest sections" in run.err
    found = run_main(["read", "torture" + " " * 80_000 + ":2"])
    assert found.code == 0 and found.out.startswith("¶2\t")


@pytest.mark.parametrize(
    ("routine", "unit"),
    [
        ("scan", "Abc def "),
        ("scan", "Abc def. Ghi "),
        ("scan", "June 6 x 12 Abc "),
        ("names", "Mr. Abc "),
        ("names", "Abc and "),
        ("names", "Abc of Def and "),
        ("dates", "June 6 x "),
        ("dates", "from June 6 to June 8 since 2019 "),
    ],
)
def test_ingest_scanning_is_linear_in_paragraph_length(routine: str, unit: str) -> None:
    """Ingest took 86 s on a 64 KB paragraph of `Abc def `, minutes on `Mr. Abc ` or 10,000 dates."""
    work: dict[str, Callable[[str], object]] = {
        "scan": scan.scan,
        "names": lambda paragraph: naming.name_runs(paragraph, frozenset()),
        "dates": lambda paragraph: dates.find_dates(paragraph, 2020),
    }
    _assert_linear(lambda n: partial(work[routine], unit * n), 8000 // len(unit))


def _chapter(paragraph: str) -> str:
    return f"Page 1\nKAZAKHSTAN\nEvents of 2020\nAn opening paragraph about the year.\nCivil Society\n{paragraph}\n"


def _distinct_dates(n: int) -> str:
    return " ".join(f"On June {i % 28 + 1} in {1990 + i % 30} it rained {i} times." for i in range(n))


def _interleaved_names(n: int) -> str:
    return " ".join(f"Then Abc{i} Defx{i} met Abc{i * 7 % n} Defx{i * 7 % n} again." for i in range(n))


@pytest.mark.parametrize(
    "make_paragraph",
    [
        lambda n: ("Abc def " * (n * 8)).strip(),
        lambda n: ("Mr. Abc " * (n * 8)).strip(),
        _distinct_dates,
        _interleaved_names,
    ],
    ids=["names", "abbreviations", "distinct dates", "interleaved names"],
)
def test_ingest_is_linear_in_paragraph_length(make_paragraph: Callable[[int], str]) -> None:
    _assert_linear(lambda n: partial(ingest.ingest, _chapter(make_paragraph(n)), "x.txt"), 40)


def test_ingest_refuses_a_draft_larger_than_kz_loads(tmp_path: Path) -> None:
    """An 18 KB chapter of `June 6 x` became a 37 MB draft that kz then refused to load."""
    chapter = tmp_path / "dates.txt"
    chapter.write_text(_chapter(("June 6 x " * 2048).strip()), encoding="utf-8")
    draft = tmp_path / "draft.json"
    run = run_main(["ingest", str(chapter), "--output", str(draft)])
    assert run.code == 2
    assert run.err_lines == [
        f"kz: {chapter}: the draft corpus would be larger than the 32 MiB kz loads (every date, name and "
        "number quotes its sentence); split the chapter or its longest paragraphs"
    ]
    assert not draft.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["dates.txt"]
    # The same dates in sentences of their own make a draft kz loads.
    chapter.write_text(_chapter(" ".join(f"It rained on June {d % 28 + 1}." for d in range(2048))), encoding="utf-8")
    assert run_main(["ingest", str(chapter), "--output", str(draft)]).code == 0
    assert run_main(["--data", str(draft), "timeline", "--month", "2020-06", "--json"]).code == 0


def test_validation_reads_each_paragraph_about_once_for_quotes_in_order() -> None:
    raw = json.loads(Path(DATA).read_text(encoding="utf-8"))

    def make(n: int) -> Callable[[], object]:
        document = json.loads(json.dumps(raw))
        sentences = [f"It rained {i} times." for i in range(n)]
        document["sections"][0]["paragraphs"].append(" ".join(sentences))
        number = len(document["sections"][0]["paragraphs"])
        document["figures"] += [
            {"id": f"rain-{i}", "value": i, "text": str(i), "unit": "times", "what": "rain"}
            | {"section": document["sections"][0]["id"], "paragraph": number, "quote": quote}
            for i, quote in enumerate(sentences)
        ]
        assert validate(document) == []
        return lambda: validate(document)

    _assert_linear(make, 1000)


def test_quotes_out_of_order_beyond_a_bound_are_refused_not_searched_for_hours() -> None:
    raw = json.loads(Path(DATA).read_text(encoding="utf-8"))
    section = raw["sections"][0]
    section["paragraphs"].append("x" * 1_000_000 + " It rained.")
    number = len(section["paragraphs"])
    # Each quote stands at the end, and the one before it at the start: every search starts over.
    quotes = ["x" * 8, "It rained."] * 600
    raw["figures"] += [
        {"id": f"q{i}", "value": None, "text": quote[:2], "unit": "", "what": "w"}
        | {"section": section["id"], "paragraph": number, "quote": quote}
        for i, quote in enumerate(quotes)
    ]
    problems = validate(raw)
    assert problems == [
        "corpus: too many quotes out of reading order to check against their paragraphs; "
        "list each paragraph's records in the order their quotes stand in it"
    ]


# --- queries: linear in the query, the vocabulary read once ------------------------------


def _near_typos(vocabulary: list[str], n: int) -> str:
    """A quoted phrase of ``n`` distinct words, each one substitution from a word of the report."""
    typed = []
    for i in range(n):
        word = vocabulary[i % len(vocabulary)]
        at = (i // len(vocabulary)) % (len(word) - 1) + 1
        typed.append(word[:at] + ("q" if word[at] != "q" else "z") + word[at + 1 :])
    return '"' + " ".join(typed) + '"'


def test_a_phrase_of_typos_is_linear_in_its_length() -> None:
    """A quoted phrase of 8,000 typos took 22.8 s."""
    index = load().search_index()
    vocabulary = sorted(w for w in index.surface_postings if len(w) >= 6 and w.isalpha())
    _assert_linear(lambda n: partial(search.search, index, _near_typos(vocabulary, n)), 150)
    result = search.search(index, _near_typos(vocabulary, 3))
    assert len(result.corrections) == 3  # they are typos kz corrects, each said


def _one_edit_typos(words: list[str], n: int) -> str:
    """A quoted phrase of ``n`` distinct typos, each one substitution or insertion from one of ``words``."""
    typos: list[str] = []
    for word in words:
        for at in range(len(word) + 1):
            for letter in string.ascii_lowercase:
                substituted = word[:at] + letter + word[at + 1 :]
                typos += [t for t in (substituted, word[:at] + letter + word[at:]) if t != word]
    unique = list(dict.fromkeys(t for t in typos if t not in words))
    assert len(unique) >= n
    return '"' + " ".join(unique[:n]) + '"'


def test_correcting_a_phrase_is_linear_in_its_typos_whatever_the_vocabulary() -> None:
    """With a small vocabulary, correcting costs little per typo: what remains must not grow as a square
    (the text of the phrase was searched once per corrected word, and the list of corrections too)."""
    words = [string.ascii_lowercase[i : i + 8] for i in range(19)]
    index = search.build_index([Section("s", "S", (" ".join(words * 3) + ".",))])
    _assert_linear(lambda n: partial(search.search, index, _one_edit_typos(words, n)), 400)
    assert len(search.search(index, _one_edit_typos(words, 5)).corrections) == 5


def test_the_vocabulary_is_walked_once_a_query_however_many_typos() -> None:
    class Counted(dict[str, Any]):
        walks = 0

        def __iter__(self) -> Any:
            Counted.walks += 1
            return super().__iter__()

    index = load().search_index()
    counted = index._replace(surface_postings=Counted(index.surface_postings))
    vocabulary = sorted(w for w in index.surface_postings if len(w) >= 6 and w.isalpha())
    found = search.search(counted, _near_typos(vocabulary, 300))
    assert len(found.corrections) == 300
    assert Counted.walks == 1


def test_an_index_file_reads_the_vocabulary_once_however_many_typos(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kzcli.store import SqliteLookups

    corpus_path = tmp_path / "report.json"
    shutil.copyfile(DATA, corpus_path)
    assert run_main(["index", str(corpus_path)]).code == 0
    corpus = load(str(corpus_path))
    assert isinstance(corpus.lookups, SqliteLookups)
    statements: list[str] = []
    real = SqliteLookups._rows

    def counted(self: SqliteLookups, sql: str, *args: object) -> list[Any]:
        statements.append(sql)
        return real(self, sql, *args)

    monkeypatch.setattr(SqliteLookups, "_rows", counted)
    index = corpus.search_index()
    vocabulary = sorted(w for w in load().search_index().surface_postings if len(w) >= 6 and w.isalpha())
    found = search.search(index, _near_typos(vocabulary, 200))
    assert len(found.corrections) == 200
    assert statements.count("SELECT key FROM postings WHERE kind = ?") == 1


def test_random_queries_of_every_length_stay_linear() -> None:
    index = load().search_index()
    rng = random.Random(14)

    def make(n: int) -> Callable[[], object]:
        query = " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(n))
        return lambda: _quietly(lambda: search.search(index, f'"{query}"'))

    _assert_linear(make, 150)


def _quietly(work: Callable[[], object]) -> object:
    try:
        return work()
    except KzError as exc:
        return exc


def test_a_fifo_beside_no_index_never_blocks_the_corpus_header(tmp_path: Path) -> None:
    """The corpus's own checksum opens nothing that could block (a FIFO named as the corpus)."""
    from kzcli import validity

    fifo = tmp_path / "corpus.json"
    os.mkfifo(fifo)
    assert validity.corpus_header(str(fifo)) is None
