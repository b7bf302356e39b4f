"""Name resolution: forgiving about what the user types, exact about who it is."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli.corpus import Corpus
from kzcli.document import build
from kzcli.entities import entity_type_named, events_of, in_same_events, named_in_same_paragraphs, report_spellings
from kzcli.errors import UsageError
from kzcli.names import mentioned_in_query, resolve

from .conftest import examples


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Tulesova", "Asya Tulesova"),
        ("tulesova", "Asya Tulesova"),
        ("Tulesva", "Asya Tulesova"),
        ("Asya Tulesova", "Asya Tulesova"),
        ("Tokayev", "Kasym-Jomart Tokaev"),
        ("Tokaev", "Kasym-Jomart Tokaev"),
        ("Kassym-Jomart Tokayev", "Kasym-Jomart Tokaev"),
        ("desir", "Harlem Désir"),
        ("Ni Aolain", "Fionnuala Ní Aoláin"),
        ("Bokayev", "Max Bokaev"),
        ("Jakishev", "Mukhtar Dzhakishev"),
    ],
)
def test_people_resolve(corpus: Corpus, typed: str, name: str) -> None:
    resolution = resolve(corpus, typed, ("person",))
    assert resolution.entity is not None and resolution.entity.name == name


@pytest.mark.parametrize(("typed", "name"), [("OSCE", "Organization for Security and Co-operation in Europe")])
def test_acronyms_resolve(corpus: Corpus, typed: str, name: str) -> None:
    resolution = resolve(corpus, typed)
    assert resolution.entity is not None and resolution.entity.name == name


def test_unknown_names_get_suggestions_or_nothing(corpus: Corpus) -> None:
    unknown = resolve(corpus, "Nazarbayev", ("person",))
    assert unknown.entity is None and not unknown.ambiguous
    nothing = resolve(corpus, "zzzzzzzz", ("person",))
    assert nothing.entity is None and nothing.candidates == ()


def test_profile_parts(corpus: Corpus) -> None:
    tulesova = corpus.entity("asya-tulesova")
    dates = [e.date for e in events_of(corpus, tulesova.id)]
    assert dates == sorted(dates) and "2020-08-12" in dates and "2020-06-06" in dates
    assert [(other.id, places) for other, places in named_in_same_paragraphs(corpus, tulesova)] == [
        ("almaty", [("civil-society", 1)])
    ]
    assert [(other.id, [e.id for e in found]) for other, found in in_same_events(corpus, tulesova)] == [
        ("almaty", ["2020-08-12-tulesova-convicted"])
    ]


def test_a_shared_paragraph_is_not_a_shared_event(corpus: Corpus) -> None:
    """Almaty's paragraph on Taurbekov also tells Dadash Mazhenov's unrelated case: he is named with
    Almaty, and in none of its events."""
    almaty = corpus.entity("almaty")
    paragraphs = dict(named_in_same_paragraphs(corpus, almaty))
    events = dict(in_same_events(corpus, almaty))
    mazhenov = corpus.entity("dadash-mazhenov")
    assert paragraphs[mazhenov] == [("counterterrorism-and-extremism", 3)] and mazhenov not in events
    assert [e.id for e in events[corpus.entity("asya-tulesova")]] == ["2020-08-12-tulesova-convicted"]
    # Most shared first; each shared paragraph names both, each shared event involves both.
    assert next(iter(paragraphs)).id == "kazakhstan" and len(paragraphs[corpus.entity("kazakhstan")]) == 3
    for other, places in paragraphs.items():
        assert all({almaty, other} <= set(corpus.entities_at(*place)) for place in places)
    for other, found in events.items():
        assert all({almaty.id, other.id} <= set(event.entities) for event in found)


def test_queries_naming_people_surface_them(corpus: Corpus) -> None:
    assert [e.id for e in mentioned_in_query(corpus, "Tulesova police")] == ["asya-tulesova"]
    assert mentioned_in_query(corpus, "torture") == []


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=40))
def test_resolution_never_raises(text: str) -> None:
    from kzcli.loading import load

    resolve(load(), text)


def test_two_people_named_at_once_are_asked_about(corpus: Corpus) -> None:
    both = resolve(corpus, "Ospan Osinovskaya", ("person",))
    assert both.entity is None and both.ambiguous
    assert {c.entity.name for c in both.candidates} == {"Fariza Ospan", "Arina Osinovskaya"}
    one = resolve(corpus, "Fariza Ospan", ("person",))
    assert one.entity is not None and one.entity.name == "Fariza Ospan"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("organization", "organization"),
        ("Organisation", "organization"),
        ("organisations", "organization"),
        ("people", "person"),
        ("Laws", "law"),
        ("places", "place"),
    ],
)
def test_entity_types_forgive_spelling_and_plurals(typed: str, meant: str) -> None:
    assert entity_type_named(typed) == meant


@pytest.mark.parametrize("typed", ["animal", "", "s", "lawss"])
def test_unknown_entity_types_are_bad_input(typed: str) -> None:
    with pytest.raises(UsageError, match="unknown entity type"):
        entity_type_named(typed)


def test_report_spellings_are_of_names_not_acronyms(corpus: Corpus) -> None:
    spellings = report_spellings(corpus)
    assert spellings["semyonova"] == "semenova" and spellings["chimkent"] == "shymkent"
    assert "osce" not in spellings and "of" not in spellings


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Kasym", "Kasym-Jomart Tokaev"),
        ("Kassym", "Kasym-Jomart Tokaev"),
        ("Iskandar", "Iskander Erimbetov"),
        ("Dadosh", "Dadash Mazhenov"),
        ("Alnyr", "Alnur Ilyashev"),
    ],
)
def test_first_names_and_one_edit_typos_resolve(corpus: Corpus, typed: str, name: str) -> None:
    found = resolve(corpus, typed, ("person",)).entity
    assert found is not None and found.name == name


def test_two_people_are_asked_about_even_if_an_organisation_bears_both_names(raw_copy: dict[str, Any]) -> None:
    fund = next(e for e in raw_copy["entities"] if e["id"] == "adilsoz")
    fund["aliases"].append("Ospan Osinovskaya Fund")
    corpus = build(raw_copy)
    assert resolve(corpus, "Ospan Osinovskaya", ("person",)).ambiguous


def test_a_hyphenated_name_is_a_name_mentioned(corpus: Corpus) -> None:
    assert [e.name for e in mentioned_in_query(corpus, "Nur-Otan")] == ["Nur Otan"]


def test_another_spelling_of_a_type_is_said() -> None:
    from .kzprocess import run_main

    done = run_main(["entities", "--type", "organisations"])
    assert done.code == 0 and done.err_lines == ["kz: --type 'organisations' read as organization"]
    assert run_main(["entities", "--type", "organization"]).err == ""
