"""The name policy (kzcli.names, kzcli.spelling): a spelling is forgiven and said, another name is not the person."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli.corpus import Corpus
from kzcli.document import build
from kzcli.names import (
    AMBIGUOUS,
    EXACT,
    OTHER_NAME,
    PERSON,
    PREFIX,
    SPELLING,
    UNKNOWN,
    WORDS,
    completions,
    correction,
    resolve,
    unresolved_message,
)
from kzcli.spelling import (
    BEGINS,
    GIVEN,
    OTHER,
    PLAIN,
    SAME,
    SPELT,
    SURNAME,
    TYPO,
    UNRELATED,
    another_form,
    relation,
    skeleton,
)

from .conftest import examples
from .kzprocess import run_main


@pytest.mark.parametrize(
    ("typed", "name", "match"),
    [
        # As written: a name, an alias, whole words of a name, an id.
        ("Asya Tulesova", "Asya Tulesova", EXACT),
        ("Tulesova", "Asya Tulesova", EXACT),
        ("TULESOVA", "Asya Tulesova", EXACT),
        ("Asya", "Asya Tulesova", WORDS),
        ("Tulesova Asya", "Asya Tulesova", WORDS),
        ("Kasym", "Kasym-Jomart Tokaev", WORDS),
        ("Kasym-Jomart", "Kasym-Jomart Tokaev", WORDS),
        ("Yelena Semenova", "Elena Semenova", EXACT),
        ("Kasym-Zhomart Tokayev", "Kasym-Jomart Tokaev", EXACT),
        ("Qasym-Jomart Toqaev", "Kasym-Jomart Tokaev", EXACT),
        ("desir", "Harlem Désir", EXACT),
        ("asya-tulesova", "Asya Tulesova", "id"),
        # Spelt otherwise: said.
        ("tulesva", "Asya Tulesova", SPELLING),
        ("Tuelsova", "Asya Tulesova", SPELLING),  # two letters swapped
        ("Iskandar", "Iskander Erimbetov", SPELLING),
        ("Iskandar Erimbetov", "Iskander Erimbetov", SPELLING),
        ("Dadosh", "Dadash Mazhenov", SPELLING),
        ("Muktar Dzhakishev", "Mukhtar Dzhakishev", SPELLING),
        ("Qasym Toqayev", "Kasym-Jomart Tokaev", SPELLING),
        # A spelling beats a typo: "toqayev" is Tokaev in other letters, one letter from Bokaev.
        ("Toqayev", "Kasym-Jomart Tokaev", SPELLING),
        ("Semyonova Yelena", "Elena Semenova", WORDS),
        ("Mikheyev", "Pavel Mikheyev", EXACT),
        ("Pavel Mikhejev", "Pavel Mikheyev", SPELLING),
        ("Musahanuly", "Kaster Musakhanuly", SPELLING),
        ("Fionnula", "Fionnuala Ní Aoláin", SPELLING),
        ("Tule", "Asya Tulesova", PREFIX),
        ("Osinovsk", "Arina Osinovskaya", PREFIX),
    ],
)
def test_names_as_written_or_spelt_otherwise_resolve(corpus: Corpus, typed: str, name: str, match: str) -> None:
    resolution = resolve(corpus, typed, PERSON)
    assert resolution.entity is not None and resolution.entity.name == name, resolution
    assert resolution.match == match
    said = correction(resolution)
    if match in (SPELLING, PREFIX):
        assert said == f"showing {name} (you typed {typed!r})"
    else:
        assert said is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # The issue's: another first name, a surname ending of the other gender or another form.
        ("Aslan Tulesov", "Asya Tulesova"),
        ("Fariz Ospanov", "Fariza Ospan"),
        ("Alena", "Elena Semenova"),
        ("Tulesov", "Asya Tulesova"),
        ("Asya Tulesov", "Asya Tulesova"),
        ("Aslan Tulesova", "Asya Tulesova"),
        ("Semenov", "Elena Semenova"),
        ("Osinovsky", "Arina Osinovskaya"),
        ("Osinovskiy", "Arina Osinovskaya"),
        ("Ospanov", "Fariza Ospan"),
        ("Fariza Ospanova", "Fariza Ospan"),
        ("Fariz", "Fariza Ospan"),
        # Beyond the issue: -ev/-eva, -in/-ina forms, a woman's form of a man's surname,
        # the name a surname is made from, a patronymic cut short, a first name built on another.
        ("Tokaeva", "Kasym-Jomart Tokaev"),
        ("Mazhenova", "Dadash Mazhenov"),
        ("Yerimbetova", "Iskander Erimbetov"),
        ("Taurbek", "Zhuldyzbek Taurbekov"),
        ("Alim", "Murager Alimuly"),
        ("Musakhankyzy", "Kaster Musakhanuly"),
        ("Zhuldyz", "Zhuldyzbek Taurbekov"),
        ("Arlan Baltabay", "Erlan Baltabay"),
        ("Irina Osinovskaya", "Arina Osinovskaya"),
        ("Daulet Agadil", "Dulat Agadil"),
    ],
)
def test_another_name_is_not_the_person(corpus: Corpus, typed: str, meant: str) -> None:
    resolution = resolve(corpus, typed, PERSON)
    assert resolution.entity is None and resolution.match == OTHER_NAME, resolution
    assert resolution.candidates[0].entity.name == meant
    message = unresolved_message(corpus, typed, PERSON, resolution)
    assert message.startswith(f"no person named {typed!r} in the report (") and f"did you mean: {meant}" in message


def test_the_refusal_names_the_words_it_would_not_take(corpus: Corpus) -> None:
    resolution = resolve(corpus, "Aslan Tulesov", PERSON)
    assert resolution.refused == (("aslan", "asya", GIVEN), ("tulesov", "tulesova", SURNAME))
    message = unresolved_message(corpus, "Aslan Tulesov", PERSON, resolution)
    assert "'aslan' is another first name than 'asya'" in message
    assert "'tulesov' is another form of the name than 'tulesova'" in message


@pytest.mark.parametrize(
    ("typed", "types", "expected"),
    [
        ("Democratic", None, {"Democratic Party of Kazakhstan", "Democratic Choice of Kazakhstan"}),
        ("state", None, {"Islamic State", "US State Department"}),
        ("Dem", None, {"Democratic Party of Kazakhstan", "Democratic Choice of Kazakhstan"}),
        ("Ospan Osinovskaya", PERSON, {"Fariza Ospan", "Arina Osinovskaya"}),
        ("Ba", PERSON, None),  # too short to be a beginning: nobody
    ],
)
def test_words_that_fit_several_are_asked_about(
    corpus: Corpus, typed: str, types: tuple[str, ...] | None, expected: set[str] | None
) -> None:
    resolution = resolve(corpus, typed, types)
    assert resolution.entity is None
    if expected is None:
        assert resolution.match == UNKNOWN
        return
    assert resolution.match == AMBIGUOUS and {c.entity.name for c in resolution.candidates} == expected
    assert "could be several" in unresolved_message(corpus, typed, types, resolution)


def test_a_first_name_two_people_share_is_ambiguous(raw_copy: dict[str, Any]) -> None:
    raw_copy["entities"].append(
        {
            "id": "asya-other",
            "type": "person",
            "name": "Asya Bekova",
            "aliases": ["Bekova"],
            "role": "invented namesake",
            "mentions": raw_copy["entities"][3]["mentions"][:1],
        }
    )
    corpus = build(raw_copy)
    asya = resolve(corpus, "Asya", PERSON)
    assert asya.match == AMBIGUOUS and {c.entity.name for c in asya.candidates} == {"Asya Tulesova", "Asya Bekova"}
    assert resolve(corpus, "Asya Bekova", PERSON).match == EXACT
    # A beginning two names share is ambiguous too; one letter more decides.
    assert resolve(corpus, "Asy", PERSON).match in (AMBIGUOUS, OTHER_NAME)
    assert resolve(corpus, "Bekov", PERSON).match == OTHER_NAME  # -ov is not -ova


@pytest.mark.parametrize(
    ("typed", "absent"),
    [
        ("police", "Organization for Security and Co-operation in Europe"),
        ("Nazarbayev", None),
        ("zzzzzz", None),
    ],
)
def test_did_you_mean_only_above_a_floor(corpus: Corpus, typed: str, absent: str | None) -> None:
    resolution = resolve(corpus, typed)
    assert resolution.entity is None and resolution.match == UNKNOWN
    assert resolution.candidates == ()
    message = unresolved_message(corpus, typed, None, resolution)
    assert "did you mean" not in message and "kz search" in message
    if absent:
        assert absent not in message


def test_close_names_are_suggested(corpus: Corpus) -> None:
    tlsova = resolve(corpus, "Tlsova", PERSON)  # two letters off: not taken, offered
    assert tlsova.entity is None and [c.entity.name for c in tlsova.candidates] == ["Asya Tulesova"]
    smith = resolve(corpus, "Asya Smith", PERSON)  # a first name right, a surname unknown
    assert smith.entity is None and [c.entity.name for c in smith.candidates] == ["Asya Tulesova"]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("ISIL", "Islamic State"),
        ("Daesh", "Islamic State"),
        ("ISIS", "Islamic State"),
        ("Islamic State of Iraq and the Levant", "Islamic State"),
        ("Alma-Ata", "Almaty"),
        ("Nur-Otan", "Nur Otan"),
        ("UN", "United Nations"),
        ("Chimkent", "Shymkent"),
    ],
)
def test_common_forms_are_aliases(corpus: Corpus, typed: str, name: str) -> None:
    resolution = resolve(corpus, typed)
    assert resolution.entity is not None and resolution.entity.name == name
    assert resolution.match == EXACT and correction(resolution) is None


def test_organisations_and_places_forgive_typos_and_prefer_the_whole_name(corpus: Corpus) -> None:
    country = resolve(corpus, "kazakhstn")
    assert country.entity is not None and country.entity.name == "Kazakhstan" and country.match == SPELLING
    coalition = resolve(corpus, "Coalition Aganst Torture")
    assert coalition.entity is not None and coalition.entity.id == "coalition-against-torture"
    assert resolve(corpus, "Shimkent").entity is not None  # ы as i


def test_nothing_typed_finds_nothing(corpus: Corpus) -> None:
    for typed in ("", "  ", "--", "’"):
        resolution = resolve(corpus, typed, PERSON)
        assert (resolution.entity, resolution.candidates, resolution.match) == (None, (), UNKNOWN)


@pytest.mark.parametrize(
    ("typed", "written", "role", "expected"),
    [
        ("tulesova", "tulesova", SURNAME, SAME),
        ("tulesva", "tulesova", SURNAME, TYPO),
        ("tules", "tulesova", SURNAME, OTHER),  # what -ova is added to
        ("tule", "tulesova", SURNAME, BEGINS),
        ("tulesov", "tulesova", SURNAME, OTHER),
        ("semyonova", "semenova", SURNAME, SPELT),
        ("toqaev", "tokaev", SURNAME, SPELT),
        ("tokayev", "tokaev", SURNAME, SPELT),
        ("alimkyzy", "alimuly", SURNAME, OTHER),
        ("yelena", "elena", GIVEN, SPELT),
        ("alena", "elena", GIVEN, OTHER),
        ("aslan", "asya", GIVEN, OTHER),
        ("iskandar", "iskander", GIVEN, SPELT),
        ("alina", "arina", GIVEN, OTHER),  # a consonant inside a short first name: another name
        ("muktar", "mukhtar", GIVEN, SPELT),
        ("fariz", "fariza", GIVEN, OTHER),
        ("maks", "max", GIVEN, SPELT),
        ("kasym", "asya", GIVEN, UNRELATED),
        ("torure", "torture", PLAIN, TYPO),
        ("tortur", "torture", PLAIN, BEGINS),
        ("osce", "police", PLAIN, UNRELATED),
        ("zzzzzz", "s", PLAIN, UNRELATED),
    ],
)
def test_word_relations(typed: str, written: str, role: str, expected: int) -> None:
    assert relation(typed, written, role) == expected


def test_skeletons_make_transliterations_one() -> None:
    assert skeleton("dzhakishev") == skeleton("jakishev") == skeleton("djakishev") == skeleton("zhakishev")
    assert skeleton("kassym") == skeleton("qasym") == skeleton("kasim")
    assert skeleton("mikheyev") == skeleton("mikheev")
    assert skeleton("alena") != skeleton("elena")


def test_every_completion_resolves_silently_to_its_entity(corpus: Corpus) -> None:
    for types in (PERSON, None):
        offered = completions(corpus, "", types) + completions(corpus, "t", types) + completions(corpus, "k", types)
        assert offered
        for name in offered:
            resolution = resolve(corpus, name, types)
            assert resolution.entity is not None and correction(resolution) is None, name


# --- through the command line ----------------------------------------------------


def test_a_correction_is_said_on_stderr_and_in_json() -> None:
    done = run_main(["person", "tulesva"])
    assert done.code == 0 and done.out.startswith("Asya Tulesova (person)")
    assert done.err_lines == ["kz: showing Asya Tulesova (you typed 'tulesva')"]
    as_json = run_main(["person", "tulesva", "--json"])
    query = json.loads(as_json.out)["query"]
    assert query == {
        "name": "tulesva",
        "resolved": "asya-tulesova",
        "matched": "tulesova",
        "match": "spelling",
        "correction": "showing Asya Tulesova (you typed 'tulesva')",
        "read_as": None,
    }


def test_a_name_as_written_is_silent() -> None:
    for args in (["person", "Tulesova"], ["person", "Asya"], ["entity", "OSCE"], ["person", "Kasym-Zhomart Tokayev"]):
        done = run_main(args)
        assert (done.code, done.err) == (0, ""), args


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["person", "Aslan Tulesov"], "did you mean: Asya Tulesova?"),
        (["person", "Fariz Ospanov"], "did you mean: Fariza Ospan?"),
        (["person", "Alena"], "did you mean: Elena Semenova"),
        (["entity", "police"], "no entity named 'police' in the report; see `kz entities` or try `kz search police`"),
        (["entity", "Democratic"], "could be several: Democratic Party of Kazakhstan"),
        (["timeline", "--person", "Aslan Tulesov"], "did you mean: Asya Tulesova?"),
        (["timeline", "--person", "Democratic"], "could be several"),
    ],
)
def test_not_the_person_exits_1_with_one_line(args: list[str], said: str) -> None:
    done = run_main(args)
    assert done.code == 1 and done.out == ""
    assert len(done.err_lines) == 1 and said in done.err_lines[0]


def test_json_of_a_refused_name_carries_the_candidates() -> None:
    done = run_main(["person", "Aslan Tulesov", "--json"])
    document = json.loads(done.out)
    assert done.code == 1 and document["records"] == []
    assert document["query"]["match"] == "other" and document["query"]["resolved"] is None
    assert [c["id"] for c in document["candidates"]] == ["asya-tulesova"]


def test_timeline_person_says_its_correction() -> None:
    done = run_main(["timeline", "--person", "tulesva", "--json"])
    document = json.loads(done.out)
    assert done.code == 0 and "kz: showing Asya Tulesova (you typed 'tulesva')" in done.err_lines
    assert document["query"]["person"] == "asya-tulesova"
    assert document["query"]["person_name"]["match"] == "spelling"
    assert {r["id"] for r in document["records"]} >= {"2020-08-12-tulesova-convicted"}


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="abdeiklmnorstuvyzhjq", min_size=1, max_size=10), st.sampled_from([GIVEN, SURNAME, PLAIN]))
def test_word_rules_are_consistent(word: str, role: str) -> None:
    assert relation(word, word, role) == SAME
    # Another form of a name is another form both ways: Tulesov of Tulesova, Tulesova of Tulesov.
    for ending in ("a", "ov", "ova", "in"):
        assert another_form(word, word + ending, role) == another_form(word + ending, word, role)


def test_a_name_longer_than_any_name_is_refused_without_comparing(corpus: Corpus) -> None:
    from kzcli.names import MAX_NAME_WORDS, name_keys

    longest = max(len(key.split()) for entity in corpus.entities for key in name_keys(entity))
    assert longest < MAX_NAME_WORDS  # the bound leaves every real name room
    found = resolve(corpus, "Asya Tulesova " * MAX_NAME_WORDS)
    assert (found.entity, found.candidates) == (None, ())


# --- the trial's findings: common words, the report's own words, generic words of names ------------


@pytest.mark.parametrize("typed", ["the", "of", "of the", "The"])
@pytest.mark.parametrize("command", [["entity"], ["person"], ["cite"], ["read"], ["timeline", "--person"]])
def test_common_words_alone_are_no_name(typed: str, command: list[str]) -> None:
    """`kz cite the` listed every entity whose name holds "the"."""
    done = run_main([*command, typed, "--json"] if command[0] != "cite" else [*command, typed])
    assert done.code == 1 and len(done.err_lines) == 1
    assert "is only common words" in done.err_lines[0] and "could be several" not in done.err_lines[0]


@pytest.mark.parametrize("typed", ["Kazakh", "kazakhs"])
def test_a_word_the_report_uses_is_not_the_beginning_of_a_name(corpus: Corpus, typed: str) -> None:
    """ "Kazakh" is the report's ethnonym ("one Kazakh dead"), not Kazakhstan: offered, not shown."""
    resolution = resolve(corpus, typed)
    assert resolution.entity is None and resolution.match == "word"
    assert [c.entity.name for c in resolution.candidates] == ["Kazakhstan"]
    done = run_main(["entity", typed])
    assert (done.code, done.out) == (1, "")
    assert done.err_lines == [
        f"kz: no entity named {typed!r} in the report: it is a word the report uses itself, not the beginning of "
        f"Kazakhstan; see `kz entity Kazakhstan`, or try `kz search {typed}`"
    ]
    assert resolve(corpus, "Kazakhstn").entity is not None  # a typo of the name is still forgiven, and said


def test_a_generic_word_of_a_name_is_said(corpus: Corpus) -> None:
    """`kz entity Court` showed the Supreme Court silently, though the report names other courts."""
    resolution = resolve(corpus, "Court")
    assert resolution.entity is not None and resolution.entity.name == "Supreme Court"
    assert resolution.match == "part" and resolution.corrected
    done = run_main(["entity", "Court", "--json"])
    assert done.code == 0 and done.err_lines == ["kz: showing Supreme Court (you typed 'Court', words of its name)"]
    assert json.loads(done.out)["query"]["correction"] == "showing Supreme Court (you typed 'Court', words of its name)"
    # A person's first name or surname is their name: still silent.
    assert resolve(corpus, "Asya").match == "words" and not resolve(corpus, "Asya").corrected
