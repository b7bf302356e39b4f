"""The query options users expect: ``timeline --within`` and ``--search``, ``read SECTION:N-M``,
``search --count`` and ``--full`` (issue 11, item 7). Commands run on every corpus backend."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from kzcli.commands import read, search, timeline
from kzcli.corpus import Corpus
from kzcli.errors import UsageError
from kzcli.session import Session
from kzcli.text import words
from kzcli.timeline import covered_until, is_partial, period_from

from .kzprocess import COLOUR_SGR_RE, run_kz_pty, run_main


@pytest.fixture
def session(corpus: Corpus) -> Iterator[Session]:
    """A session over the corpus of one backend (JSON, snapshot or index file)."""
    opened = Session()
    opened._corpus = corpus
    yield opened


def june(session: Session, **options: Any) -> list[dict[str, Any]]:
    return timeline.run(session, ["2020-06"], None, None, None, None, None, False, **options).records


# --- timeline --within ------------------------------------------------------------------


def test_within_keeps_only_the_events_wholly_inside_the_period(session: Session, corpus: Corpus) -> None:
    every = june(session)
    inside = june(session, within=True)
    assert inside, "June 2020 has events dated inside it"
    assert [r["id"] for r in inside] == [r["id"] for r in every if not r["partial"]]
    assert len(inside) < len(every), "the overlaps left out are not vacuous"
    period = period_from(month="2020-06")
    assert period is not None
    events = {e.id: e for e in corpus.events}
    for record in inside:
        assert not is_partial(events[record["id"]], period, covered_until(corpus))
        assert record["date"].startswith("2020-06") and (record["end"] or record["date"]).startswith("2020-06")


def test_within_a_year_keeps_what_is_dated_to_that_year() -> None:
    done = run_main(["timeline", "--year", "2020", "--within", "--json"])
    records = json.loads(done.out)["records"]
    assert records and all(r["date"].startswith("2020") and not r["partial"] for r in records)
    # An event known only as "2020" is wholly inside 2020; "since 2018" is not.
    assert any(r["precision"] == "year" for r in records)
    assert not any(r["ongoing"] for r in records)
    assert json.loads(done.out)["query"]["within"] is True


def test_within_needs_a_period(session: Session) -> None:
    with pytest.raises(UsageError, match="--within needs a period"):
        timeline.run(session, None, None, None, None, None, None, False, within=True)
    done = run_main(["timeline", "--within"])
    assert done.code == 2 and done.err_lines == ["kz: --within needs a period: --month, --year, --from or --to"]


# --- timeline --search ------------------------------------------------------------------


def searched(session: Session, text: str) -> Any:
    return timeline.run(session, None, None, None, None, None, None, False, search=[text])


def test_search_keeps_the_events_whose_summary_or_quote_match(session: Session, corpus: Corpus) -> None:
    ids = [r["id"] for r in searched(session, "defamation").records]
    expected = [e.id for e in corpus.events if any(w.startswith("defam") for w in words(f"{e.summary} {e.quote}"))]
    assert ids and sorted(ids) == sorted(expected)
    # In date order, as every timeline.
    dates = [r["date"] for r in searched(session, "defamation").records]
    assert dates == sorted(dates)


def test_search_reads_words_as_kz_search_does(session: Session, corpus: Corpus) -> None:
    # Stemming: "tortured" finds events saying "torture".
    tortured = {r["id"] for r in searched(session, "tortured").records}
    assert any("torture" in corpus_event(corpus, i).quote.lower() for i in tortured)
    # NOT: a word left out.
    without = {r["id"] for r in searched(session, "torture -Erimbetov").records}
    erimbetov = {e.id for e in corpus.events if "iskander-erimbetov" in e.entities}
    assert without and erimbetov & tortured and not without & erimbetov
    # A phrase: the words side by side, in this order, stemmed ("peaceful protest" is not it).
    phrase = searched(session, '"protest peacefully"').records
    side_by_side = re.compile(r"protest\w*\s+peaceful", re.IGNORECASE)
    assert phrase and all(side_by_side.search(f"{r['summary']}\n{r['quote']}") for r in phrase)
    loose = searched(session, "protest peacefully").records
    assert len(loose) > len(phrase)
    # A name: the events that record the person, under any of her names.
    tulesova = {r["id"] for r in searched(session, "Tulesova").records}
    assert tulesova == {e.id for e in corpus.events if "asya-tulesova" in e.entities}


def corpus_event(corpus: Corpus, event_id: str) -> Any:
    return next(e for e in corpus.events if e.id == event_id)


def test_search_says_its_corrections_on_stderr_and_in_json() -> None:
    done = run_main(["timeline", "--search", "torturd", "--json"])
    assert done.code == 0
    assert "kz: showing results for 'torture' (you typed 'torturd')" in done.err_lines
    block = json.loads(done.out)["query"]["search"]
    assert block["text"] == "torturd" and block["expression"] == "torture"
    assert block["understood"][0]["corrected_from"] == "torturd"
    # The same reading as kz search's.
    assert json.loads(run_main(["search", "torturd", "--json"]).out)["query"]["expression"] == block["expression"]


def test_search_combines_with_the_other_filters() -> None:
    both = json.loads(run_main(["timeline", "--search", "Tulesova", "--month", "2020-06", "--json"]).out)
    assert [r["date"] for r in both["records"]] == ["2020-06-06"]
    assert run_main(["timeline", "--search", "banana"]).code == 1
    assert run_main(["timeline", "--search", "torture NOT"]).code == 2


# --- read SECTION:N-M -------------------------------------------------------------------


def test_read_a_paragraph_range(session: Session, corpus: Corpus) -> None:
    records = read.run(session, "torture:2-3").records
    assert [(r["section"], r["paragraph"]) for r in records] == [("torture", 2), ("torture", 3)]
    assert [r["quote"] for r in records] == list(corpus.section("torture").paragraphs[1:3])


@pytest.mark.parametrize(
    ("target", "said"),
    [
        # An open range is refused, not read to the end: the same grammar as kz cite, where a
        # citation must say where it ends.
        ("torture:2-", "give SECTION:N or SECTION:N-M with paragraph numbers"),
        ("torture:3-2", "give the first one first, e.g. `torture:2-3`"),
    ],
)
def test_open_and_reversed_ranges_are_refused(target: str, said: str) -> None:
    done = run_main(["read", target])
    assert done.code == 2 and len(done.err_lines) == 1 and said in done.err


# --- search --count ---------------------------------------------------------------------


def test_count_is_the_number_of_passages_and_nothing_else(session: Session) -> None:
    every = search.run(session, ["torture"], None, 0, False)
    counted = search.run(session, ["torture"], None, 10, False, count=True)
    assert counted.total == len(every.records) > 0
    assert counted.records == [] and counted.extra["count"] == len(every.records)
    assert counted.exit_code == 0
    done = run_main(["search", "torture", "--count"])
    assert (done.code, done.out) == (0, f"{len(every.records)}\n")


def test_count_in_json_and_csv_and_none() -> None:
    as_json = json.loads(run_main(["search", "Tulesova police", "--count", "--json"]).out)
    shown = json.loads(run_main(["search", "Tulesova police", "--limit", "0", "--json"]).out)
    assert as_json["count"] == as_json["total"] == len(shown["records"]) and as_json["records"] == []
    assert as_json["query"]["count"] is True
    rows = list(csv.reader(io.StringIO(run_main(["search", "Tulesova police", "--count", "-f", "csv"]).out)))
    assert rows == [["count"], [str(len(shown["records"]))]]
    none = run_main(["search", "banana", "--count"])
    assert (none.code, none.out) == (1, "0\n")
    assert none.err_lines == ["kz: no passage matches 'banana'"]


# --- search --full ----------------------------------------------------------------------


def test_full_shows_the_whole_paragraph_and_its_matches(session: Session) -> None:
    best = search.run(session, ["Tulesova"], None, 0, False).records
    full = search.run(session, ["Tulesova"], None, 0, False, full=True).records
    assert [r["quote"] for r in full] == [r["quote"] for r in best]
    assert any(r["snippet"] != r["quote"] for r in best), "the best sentence is not already the paragraph"
    for record in full:
        assert record["snippet"] == record["quote"]
        assert record["snippet_matches"] == record["matches"]
        assert all("tulesova" in record["quote"][s:e].lower() for s, e in record["snippet_matches"])


def test_full_in_a_pipe_prints_each_paragraph_whole(corpus: Corpus) -> None:
    done = run_main(["search", "Tulesova", "--full"])
    paragraph = corpus.section("civil-society").paragraphs[0]
    assert "civil-society ¶1\t" in done.out and paragraph.replace("\u00a0", " ") in done.out
    assert json.loads(run_main(["search", "Tulesova", "--full", "--json"]).out)["query"]["full"] is True


@pytest.mark.linux
def test_count_on_a_terminal_is_the_number_alone() -> None:
    run = run_kz_pty(["search", "torture", "--count"], columns=120)
    assert run.code == 0 and run.out.strip() == str(len(run_main(["search", "torture", "-n", "0"]).out.splitlines()))


@pytest.mark.linux
def test_full_on_a_terminal_shows_the_paragraph_with_highlights() -> None:
    # Wide enough for the whole paragraph on one table line: wrapped lines interleave the other columns.
    run = run_kz_pty(["search", "Tulesova", "--full"], columns=1000)
    assert run.code == 0 and COLOUR_SGR_RE.search(run.out)
    shown = " ".join(re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", run.out).split())
    # The paragraph's second sentence, which the best-sentence snippet leaves out.
    assert "knocking off an officer’s hat, in response to police forcefully detaining dozens" in shown


@pytest.mark.parametrize(("typed", "token"), [(["torture", "-"], "-"), (["torture --"], "--")])
def test_a_dangling_minus_is_said_on_stderr_and_in_the_json(typed: list[str], token: str) -> None:
    done = run_main(["search", *typed, "--json"])
    assert done.code == 0
    assert f"kz: {token!r} stands apart from any word, so it excludes nothing: left out" in done.err
    assert json.loads(done.out)["query"]["left_out"] == [token]


def test_an_unclosed_quote_is_refused_as_an_unclosed_parenthesis_is() -> None:
    for query in ['"torture', "(torture"]:
        done = run_main(["search", query])
        assert done.code == 2 and "is never closed" in done.err and len(done.err_lines) == 1


def test_an_option_after_the_double_dash_is_said_to_be_part_of_the_query() -> None:
    """``kz search -- torture --limit`` searched "torture -limit" without a word."""
    done = run_main(["search", "--json", "--", "torture", "--limit"])
    assert done.code == 0
    said = "kz: '--limit' came after '--', so it is part of the query, not an option: put options before '--'"
    assert said in done.err_lines
    assert json.loads(done.out)["query"]["expression"] == "torture -limit"


def test_a_correction_that_finds_nothing_does_not_claim_results() -> None:
    """ "showing results for 'arbitrary'" was said above an empty answer."""
    done = run_main(["search", "arbitary", "xyzzy"])
    assert done.code == 1 and "kz: no passage matches 'arbitary xyzzy'" in done.err_lines[0]
    assert "searched for 'arbitrary' (you typed 'arbitary')" in done.err and "showing results" not in done.err
