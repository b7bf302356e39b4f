"""Each shortcut taken for startup speed answers exactly as the plain computation does.

benchmarks/startup.py drove these: folding by ``str.translate``, indexing by
``terms`` (no offsets), finding a name as written through the name lookups
(no whole name table, no rapidfuzz), skipping entities a query cannot name, and
finding a section named exactly without ranking every section (rapidfuzz again). Each is
checked here against the straightforward version it replaced.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli import names as entities_module
from kzcli import sections as sections_module
from kzcli.corpus import Corpus, Section
from kzcli.names import mentioned_in_query, name_keys, resolve
from kzcli.sections import rank_sections, resolve_section
from kzcli.text import _fold_char, fold, fold_with_offsets, terms, tokens, words

from .conftest import examples

TEXT = st.lists(
    st.one_of(
        st.characters(),
        st.sampled_from(list("-'’‘“”\u00ad\u2011\u00a0ﬁß İſ,.0123456789 ")),
        st.sampled_from(["anti-torture", "Covid-19-related", "co-operation", "Feminita’s", "1,626", "4.5"]),
    ),
    max_size=20,
).map("".join)


@given(TEXT)
def test_fold_is_the_per_character_fold(text: str) -> None:
    assert fold(text) == "".join(_fold_char(c) for c in text)


@given(TEXT)
def test_fold_offsets_point_back_to_the_original(text: str) -> None:
    folded, offsets = fold_with_offsets(text)
    assert folded == fold(text)
    assert len(offsets) == len(folded) + 1 and offsets[-1] == len(text)
    for index, char in enumerate(text):
        piece = _fold_char(char)
        start = sum(len(_fold_char(c)) for c in text[:index])
        assert all(offsets[start + k] == index for k in range(len(piece)))


@settings(max_examples=examples(200))
@given(TEXT, st.booleans())
def test_terms_are_the_tokens_without_offsets(text: str, stemmed: bool) -> None:
    assert terms(text, stemmed) == [(t.term, t.surface, t.position) for t in tokens(text, stemmed)]


def _typed_names(corpus: Corpus) -> list[str]:
    """What people type: names, aliases, single words of them, and typos of each."""
    chooser = random.Random(2020)
    typed: set[str] = {"Tokaev", "Tokayev", "desir", "osce", "un", "Kazakh", "police", "zz", "a b c"}
    for entity in corpus.entities:
        for key in (entity.name, *entity.aliases):
            typed.update([key, key.lower()[:-1], key[1:], *key.split()])
            letters = list(key)
            if len(letters) > 3:
                i = chooser.randrange(len(letters) - 1)
                letters[i], letters[i + 1] = letters[i + 1], letters[i]
                typed.add("".join(letters))
    # A fixed sample keeps this under a second; the shortcut's proof does not depend on which names.
    return chooser.sample(sorted(typed), min(250, len(typed)))


def _outright_plainly(corpus: Corpus, typed: str, types: tuple[str, ...] | None) -> list[str]:
    """The entities a name typed as written names, read off every name key: the name itself, or
    else every key holding each typed word."""
    folded = words(typed)
    wanted = " ".join(folded)
    table = corpus.name_table()
    named = [e.id for key, found in table.items() if key == wanted for e in found if not types or e.type in types]
    if named:
        return named
    holding = [
        e.id
        for key, found in sorted(table.items(), key=lambda pair: len(pair[0]))
        if all(key.split().count(w) >= folded.count(w) for w in folded)
        for e in found
        if not types or e.type in types
    ]
    return sorted(dict.fromkeys(holding), key=corpus.entity_position)


@pytest.mark.parametrize("types", [None, ("person",)])
def test_names_as_written_are_found_by_lookups_as_by_reading_every_name(
    corpus: Corpus, types: tuple[str, ...] | None
) -> None:
    """``resolve`` finds a name as written through the name lookups (the keys holding each
    word), never reading the whole name table: it answers as reading it would."""
    outright = 0
    for typed in _typed_names(corpus):
        if not words(typed) or entities_module._several_named(corpus, typed, types):
            continue
        plain = _outright_plainly(corpus, typed, types)
        resolution = resolve(corpus, typed, types)
        if resolution.match in (entities_module.EXACT, entities_module.WORDS, entities_module.PART):
            found = [resolution.entity] if resolution.entity else [c.entity for c in resolution.candidates]
            assert [e.id for e in found] == plain, typed
            outright += 1
        elif resolution.match != entities_module.ID:
            # Common words alone ("in") are no name, however many names hold them.
            assert plain == [] or resolution.match in (entities_module.AMBIGUOUS, entities_module.COMMON), typed
    assert outright > 25  # the lookups answer most of what people type, or this proves little


def test_kz_person_with_a_full_surname_reads_no_name_table(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    def unread() -> dict[str, object]:
        raise AssertionError("the whole name table was read")

    monkeypatch.setattr(corpus.lookups, "name_table", unread)
    found = resolve(corpus, "Tulesova", ("person",))
    assert found.entity is not None and found.match == entities_module.EXACT


def _mentioned_plainly(corpus: Corpus, query: str) -> list[str]:
    folded_query = f" {' '.join(words(query))} "
    return [
        e.id
        for e in corpus.entities
        if e.type != "place" and any(len(k) >= 3 and f" {k} " in folded_query for k in name_keys(e))
    ]


def test_entities_named_in_a_query_are_found_as_before(corpus: Corpus) -> None:
    queries = [*_typed_names(corpus), *(p[:200] for s in corpus.sections for p in s.paragraphs[:2])]
    queries += [f"torture {q} 2020" for q in _typed_names(corpus)[:50]]
    for query in queries:
        assert [e.id for e in mentioned_in_query(corpus, query)] == _mentioned_plainly(corpus, query), query


def _typed_sections(corpus: Corpus) -> list[str]:
    """Every section's id and title as typed: as written, in other cases, with other spacing."""
    typed: list[str] = []
    for section_id, title in corpus.section_titles():
        for name in (section_id, title):
            typed += [name, name.lower(), name.upper(), name.swapcase(), f"  {name}\t", name.replace(" ", "   ")]
    return typed


def test_an_exact_section_name_finds_the_section_ranking_puts_first(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = _typed_sections(corpus)
    ranked_first = {name: rank_sections(corpus, name)[0][1] for name in typed}

    def refused(corpus: Corpus, name: str) -> list[tuple[float, Section]]:
        raise AssertionError(f"{name!r} fell through to rank_sections")

    # With ranking refused, each is found all the same: by the exact-name loop alone (no rapidfuzz).
    monkeypatch.setattr(sections_module, "rank_sections", refused)
    for name in typed:
        assert resolve_section(corpus, name) == ranked_first[name], name
