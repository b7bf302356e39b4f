"""The corpus says only what the report says: summaries hold no name or number their quote lacks,
links are to entities involved, an inferred date says so and its note is reachable."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from kzcli.corpus import Corpus, Event
from kzcli.document import build
from kzcli.text import NUMBER_VALUES, SCALES, fold, words
from kzcli.timeline import display_date

from .kzprocess import run_main

_CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z\u00c0-\u024f]*")
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _numbers(text: str) -> set[float]:
    """The numbers a text states, in digits or words ("27", "1,626", "seven", "4.5"; scales left as words)."""
    found: set[float] = set()
    for word in words(text):
        if re.fullmatch(r"\d+(?:\.\d+)?", word):
            found.add(float(word))
        elif word in NUMBER_VALUES and word not in SCALES:
            found.add(float(NUMBER_VALUES[word]))
    return found


def _names(text: str) -> set[str]:
    """The capitalised words of a text, folded ("UN", "Tokaev", "Covid" of "Covid-19")."""
    return {fold(m.group()) for m in _CAPITALISED_RE.finditer(text)}


def _named_otherwise(corpus: Corpus, event: Event) -> set[str]:
    """Words a summary may use for an entity of the event that its quote names by another of its names
    ("UN" for "United Nations", "Tokaev" for "Kasym-Jomart Tokaev")."""
    quote = f" {' '.join(words(event.quote))} "
    allowed: set[str] = set()
    for entity_id in event.entities:
        entity = corpus.entity(entity_id)
        names = (entity.name, *entity.aliases)
        if any(f" {' '.join(words(name))} " in quote for name in names if words(name)):
            allowed.update(fold(w) for name in names for w in _LETTERS_RE.findall(name))
    return allowed


def summary_problems(corpus: Corpus) -> list[str]:
    """Every number or name an event's summary states that its quote does not."""
    problems = []
    for event in corpus.events:
        missing_numbers = _numbers(event.summary) - _numbers(event.quote)
        quote_words = {fold(w) for w in _LETTERS_RE.findall(event.quote)} | _named_otherwise(corpus, event)
        missing_names = _names(event.summary) - quote_words
        if missing_numbers:
            problems.append(f"{event.id}: numbers {sorted(missing_numbers)} are not in its quote")
        if missing_names:
            problems.append(f"{event.id}: names {sorted(missing_names)} are not in its quote")
    return problems


def test_every_summary_holds_only_its_quotes_names_and_numbers(corpus: Corpus) -> None:
    assert summary_problems(corpus) == []


@pytest.mark.parametrize(
    ("event_id", "added", "reported"),
    [
        # What the issue found: facts of the next sentence in a summary whose quote stops before them.
        ("2020-06-22-ilyashev-convicted", "; he must also report for 40 days", "numbers [40.0]"),
        ("2020-08-12-tulesova-convicted", " in Shymkent", "names ['shymkent']"),
        ("2020-01-batyrbekov-acquitted", ", seven months on", "numbers [7.0]"),
        ("2019-mazhenov-alleged-torture", ", says the Justice Ministry", "names ['justice', 'ministry']"),
    ],
)
def test_the_summary_check_finds_a_fact_the_quote_lacks(
    raw_copy: dict[str, Any], event_id: str, added: str, reported: str
) -> None:
    event = next(e for e in raw_copy["events"] if e["id"] == event_id)
    event["summary"] = event["summary"].rstrip(".") + added + "."
    problems = summary_problems(build(raw_copy))
    assert problems == [f"{event_id}: {reported} are not in its quote"]


def test_the_summary_check_finds_a_quote_cut_short(raw_copy: dict[str, Any]) -> None:
    """The issue's case the other way round: the summary as it was, the quote back to its first sentence."""
    event = next(e for e in raw_copy["events"] if e["id"] == "2020-03-03-dzhakishev-paroled")
    event["quote"] = event["quote"].split(". ")[0] + "."
    problems = summary_problems(build(raw_copy))
    assert problems == ["2020-03-03-dzhakishev-paroled: numbers [11.0] are not in its quote"]


def _event(corpus: Corpus, event_id: str) -> Event:
    return next(e for e in corpus.events if e.id == event_id)


def test_an_allegation_is_told_as_one(corpus: Corpus) -> None:
    mazhenov = _event(corpus, "2019-mazhenov-alleged-torture")
    assert mazhenov.summary.startswith("Mazhenov alleged that he was tortured")
    note = next(n for n in corpus.notes if n.id == "allegation-dates")
    assert mazhenov.summary.rstrip(".") in note.text


def test_semenovas_verdicts_are_their_own_event(corpus: Corpus) -> None:
    lawsuits = _event(corpus, "2020-03-to-07-semenova-defamation-lawsuits")
    assert "guilty" not in lawsuits.summary and "At time of writing" not in lawsuits.quote
    assert (lawsuits.date, lawsuits.end) == ("2020-03", "2020-07")
    verdicts = _event(corpus, "2020-semenova-found-guilty-in-two-cases")
    assert (verdicts.date_text, verdicts.date, verdicts.inferred) == ("At time of writing", "2020", "year")
    assert verdicts.date_note == "time-of-writing" and "guilty of defamation" in verdicts.quote


def test_only_the_deaths_are_dated_to_may(corpus: Corpus) -> None:
    deaths = _event(corpus, "2020-05-children-die-in-residential-institution")
    assert "the report dates only the deaths" in deaths.summary
    role = corpus.entity("eastern-kazakhstan").role
    assert "died in May 2020; 16 others were hospitalized" in role


def test_links_are_to_entities_involved(corpus: Corpus) -> None:
    assert "kazatomprom" not in _event(corpus, "2020-03-03-dzhakishev-paroled").entities
    assert _event(corpus, "2014-trade-union-law").entities == ("trade-union-law",)
    assert "pavlodar" not in _event(corpus, "2020-03-to-07-semenova-defamation-lawsuits").entities
    # Still named alongside: the paragraph names both.
    assert any(e.id == "kazatomprom" for e in corpus.entities_at("civil-society", 5))


@pytest.mark.parametrize(
    ("entity_id", "absent", "present"),
    [
        ("democratic-party-of-kazakhstan", "its February 2020 founding assembly", "in February 2020 authorities"),
        ("democratic-choice-of-kazakhstan", "movement", "banned"),
        ("cerd", "treaty body", "UN committee"),
        ("karaganda", "city", "bolted shut"),
        ("almaty", "city", "rally"),
        ("whatsapp", "messaging platform", "Taurbekov"),
    ],
)
def test_roles_without_outside_knowledge(corpus: Corpus, entity_id: str, absent: str, present: str) -> None:
    role = corpus.entity(entity_id).role
    assert absent not in role and present in role


def test_no_alias_names_someone_else(corpus: Corpus) -> None:
    taurbekov = corpus.entity("zhuldyzbek-taurbekov")
    assert not any(fold(a).endswith("taurbek") for a in taurbekov.aliases)
    assert "for all children with disabilities" in _event(corpus, "2019-11-upr-recommendations").summary


def test_notes_describe_the_corpus_as_it_is(corpus: Corpus) -> None:
    notes = {n.id: n.text for n in corpus.notes}
    # Batyrbekov's two dates stand in two sentences: not a two-date sentence.
    assert "Batyrbekov\u2019s acquittal (January 2020) and sentence (September 2019)" in notes["two-date-sentences"]
    assert "stand in separate sentences" in notes["two-date-sentences"]
    # The Shymkent activist's sentence is undated: a figure, not an event.
    assert "shymkent-activist-35-days" in notes["unnamed-people"]
    assert any(f.id == "shymkent-activist-35-days" for f in corpus.figures)
    assert not any("35 days" in e.quote for e in corpus.events)


# --- an inferred date says so ------------------------------------------------------------


def test_in_november_is_2019_and_says_it_was_inferred(corpus: Corpus) -> None:
    november = _event(corpus, "2019-11-upr-recommendations")
    assert (november.date, november.date_text, november.inferred, november.date_note) == (
        "2019-11",
        "November",
        "year",
        "november-2019",
    )
    assert display_date(november) == "November 2019 (year inferred)"
    assert sum(e.inferred is not None for e in corpus.events) == 2  # November, and Semenova's verdicts


def test_the_timeline_shows_and_says_the_inferred_year() -> None:
    done = run_main(["timeline", "--year", "2019"])
    line = next(line for line in done.out.splitlines() if "Member states" in line)
    assert line.startswith("November 2019 (year inferred)\t")
    assert done.err_lines == [
        "kz: a date marked 'inferred' is read from context, not stated in the report: see `kz notes november-2019`"
    ]
    record = next(
        r for r in json.loads(run_main(["timeline", "--year", "2019", "--json"]).out)["records"] if r["inferred"]
    )
    assert (record["inferred"], record["date_note"], record["display_date"]) == (
        "year",
        "november-2019",
        "November 2019 (year inferred)",
    )


def test_the_note_is_reachable_from_the_cli(corpus: Corpus) -> None:
    done = run_main(["notes", "november-2019"])
    text = next(n.text for n in corpus.notes if n.id == "november-2019")
    assert done.code == 0 and done.out == f"november-2019\t{text}\n"
    record = json.loads(run_main(["notes", "november-2019", "--json"]).out)["records"][0]
    assert record["events"] == ["2019-11-upr-recommendations"]
    assert len(json.loads(run_main(["notes", "--json"]).out)["records"]) == len(corpus.notes)
    missing = run_main(["notes", "november"])
    assert missing.code == 1 and missing.err_lines == ["kz: no note 'november'; did you mean: november-2019?"]


def test_an_inferred_date_needs_a_note_that_exists(raw_copy: dict[str, Any]) -> None:
    from kzcli.validation import validate

    event = next(e for e in raw_copy["events"] if e["id"] == "2019-11-upr-recommendations")
    event["date_note"] = None
    assert validate(raw_copy) == [
        "event '2019-11-upr-recommendations': an inferred date needs the 'date_note' that says why"
    ]
    event["date_note"] = "no-such-note"
    assert validate(raw_copy) == ["event '2019-11-upr-recommendations': unknown note 'no-such-note'"]
    event["inferred"] = "decade"
    assert "inferred 'decade' is not null or one of year, month, day" in validate(raw_copy)[0]


def test_a_qualifier_must_be_the_figures_own_words(raw_copy: dict[str, Any]) -> None:
    from kzcli.validation import validate

    figure = next(f for f in raw_copy["figures"] if f["id"] == "covid-at-least-1626-jailed")
    figure["qualifier"] = "more than"
    assert validate(raw_copy) == ["figure 'covid-at-least-1626-jailed': qualifier 'more than' is not in its text"]


def test_corpora_without_the_optional_keys_still_load(raw_copy: dict[str, Any]) -> None:
    for event in raw_copy["events"]:
        event.pop("inferred"), event.pop("date_note")
    for figure in raw_copy["figures"]:
        figure.pop("qualifier")
    corpus = build(raw_copy)
    assert all(e.inferred is None for e in corpus.events) and all(f.qualifier is None for f in corpus.figures)
