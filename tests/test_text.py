"""Normalisation and stemming: one notion of "the same word"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzcli.text import (
    RELATED_STEMS,
    fold,
    fold_with_offsets,
    holds_words,
    printable,
    stem,
    stemmer_version,
    tokens,
    words,
)


def test_fold_handles_case_accents_quotes_spaces_and_hyphens() -> None:
    assert fold("Harlem Désir") == "harlem desir"
    assert fold("Fionnuala Ní Aoláin") == "fionnuala ni aolain"
    assert fold("Feminita’s “extremist”") == 'feminita\'s "extremist"'
    assert fold("Co\u2011operation\u00a0Agreement") == "co-operation agreement"


def test_hyphens_and_possessives_do_not_break_words() -> None:
    assert words("Co-operation") == words("cooperation") == ["cooperation"]
    assert words("Feminita’s") == words("feminita's") == words("Feminita") == ["feminita"]
    assert words("at least 1,626 people") == ["at", "least", "1626", "people"]


def test_offsets_point_into_the_original_text() -> None:
    text = "Désir welcomed Tokaev’s move"
    for token in tokens(text):
        assert fold(text[token.start : token.end]).replace("'", "").startswith(token.surface[:3])
    folded, offsets = fold_with_offsets("ÉÉ")
    assert folded == "ee" and offsets == [0, 1, 2]


def test_stemming_joins_inflections_and_related_forms() -> None:
    assert stem("tortured") == stem("torture")
    assert stem("protesters") == stem("protest")
    assert stem("detentions") == stem("detained") == stem("detain")
    assert stem("imprisonment") == stem("prison")
    assert stem("journalism") == stem("journalists")
    assert stem("police") != stem("policy")


def test_printable_shows_control_bidi_and_invisible_characters_escaped() -> None:
    assert printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m"
    assert printable("a\u202eb\u2066c\u200bd\u2028e\x9bf") == "a\\u202eb\\u2066c\\u200bd\\u2028e\\x9bf"
    assert printable("lone \udc80 surrogate") == "lone \\udc80 surrogate"
    assert printable("[bold]markup[/]") == "[bold]markup[/]"
    # Plain output keeps its own tabs and newlines; everything else the same.
    assert printable("a\tb\nc\x1b\u2029", layout=True) == "a\tb\nc\\x1b\\u2029"
    # Text that needs nothing comes back as it is: no-break spaces, curly quotes, accents.
    assert printable("Ní Aoláin\u00a0“quoted”") == "Ní Aoláin\u00a0“quoted”"


@given(st.text())
def test_tokens_never_raise_and_offsets_are_in_range(text: str) -> None:
    for token in tokens(text):
        assert 0 <= token.start < token.end <= len(text)


def test_a_defendant_is_not_a_defender() -> None:
    assert stem("defendants") == stem("defendant") != stem("defender") == stem("defenders")
    assert holds_words("human rights defender", "defenders") and not holds_words("a defendant convicted", "defender")


def test_the_stemmer_version_covers_kz_word_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    before = stemmer_version()
    monkeypatch.setitem(RELATED_STEMS, "zzz", "yyy")
    assert stemmer_version() != before
