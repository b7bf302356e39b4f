"""Search semantics and ranking, tested on the real corpus."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli.corpus import Corpus
from kzcli.entities import speller
from kzcli.errors import UsageError
from kzcli.query import parse
from kzcli.search import SearchIndex, search

from .conftest import examples
from .kzprocess import run_main


@pytest.fixture(scope="module")
def index(corpus: Corpus) -> SearchIndex:
    return corpus.search_index()


def places(result_hits: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(h.section, h.paragraph) for h in result_hits]


def test_torture_puts_the_torture_section_first(index: SearchIndex) -> None:
    hits = search(index, "torture").hits
    assert [h.section for h in hits[:3]] == ["torture"] * 3
    found = set(places(hits))
    # Every paragraph that says "torture" or "tortured" is found.
    expected = {(p.section, p.number) for p in index.paragraphs if "tortur" in p.text.lower()}
    assert found == expected
    assert ("civil-society", 5) in found and ("counterterrorism-and-extremism", 3) in found


def test_matches_highlight_the_exact_words(index: SearchIndex) -> None:
    hit = search(index, "torture").hits[0]
    assert hit.spans
    assert {hit.text[s:e].lower() for s, e in hit.spans} <= {"torture", "tortured", "anti-torture"}
    assert all(hit.snippet[s:e].lower().startswith("tortur") for s, e in hit.snippet_spans)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("desir", "Désir"),
        ("feminita's", "Feminita’s"),
        ("cooperation", "Co-operation"),
        ("Ni Aolain", "Ní Aoláin"),
        ("1626", "1,626"),
    ],
)
def test_folded_queries_find_the_original(index: SearchIndex, query: str, needle: str) -> None:
    hits = search(index, query).hits
    assert hits and needle in hits[0].text
    assert any(needle in hits[0].text[s:e] or hits[0].text[s:e] in needle for s, e in hits[0].spans)


@pytest.mark.parametrize(
    ("query", "form"),
    [("protesters", "protest"), ("detentions", "detained"), ("religious", "religion"), ("hate", "hatred")],
)
def test_inflections_match(index: SearchIndex, query: str, form: str) -> None:
    assert any(form in h.text for h in search(index, query).hits)


def test_typos_are_corrected_and_reported(index: SearchIndex) -> None:
    result = search(index, "tortre")
    assert result.corrections == [("tortre", "torture")]
    assert result.hits[0].section == "torture"


def test_exact_turns_off_stemming_and_correction(index: SearchIndex) -> None:
    assert search(index, "tortre", exact=True).hits == []
    exact = search(index, "tortured", exact=True).hits
    assert exact and all("tortured" in h.text for h in exact)
    assert len(exact) < len(search(index, "tortured").hits)


def test_every_word_must_match(index: SearchIndex) -> None:
    both = search(index, "Tulesova police")
    assert places(both.hits) == [("civil-society", 1)]
    assert all(h.matched == 2 for h in both.hits)
    # Every passage holding both words, and no other.
    tulesova, police = (set(places(search(index, word).hits)) for word in ("Tulesova", "police"))
    assert set(places(both.hits)) == tulesova & police
    # A word found nowhere makes the whole query find nothing (and says which word).
    missing = search(index, "torture xyzzy")
    assert missing.hits == [] and missing.unmatched == ["xyzzy"]


def test_quoted_phrases_match_as_phrases(index: SearchIndex) -> None:
    phrase = search(index, '"knowingly false information"').hits
    assert {(h.section, h.paragraph) for h in phrase} == {("civil-society", 2), ("freedom-of-expression", 3)}
    assert search(index, '"false knowingly"').hits == []


def test_section_filter(index: SearchIndex) -> None:
    hits = search(index, "court", sections={"torture"}).hits
    assert hits and all(h.section == "torture" for h in hits)


def test_queries_without_words_are_usage_errors(index: SearchIndex) -> None:
    for query in ("", "   ", '""', "!!!"):
        with pytest.raises(UsageError):
            search(index, query)


def test_the_query_syntax_folds_curly_quotes() -> None:
    assert parse("“peaceful assemblies” law") == (
        "all",
        (("term", "phrase", "peaceful assemblies"), ("term", "word", "law")),
    )


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=60))
def test_search_never_raises_anything_but_usage_errors(text: str) -> None:
    from kzcli.loading import load

    index = load().search_index()
    try:
        result = search(index, text)
    except UsageError:
        return
    for hit in result.hits:
        assert hit.score > 0


def test_words_said_often_and_close_together_rank_higher(index: SearchIndex) -> None:
    # "peaceful assemblies" side by side ("the new peaceful assemblies law") beats the words apart.
    hits = search(index, "peaceful assemblies").hits
    adjacent = [h for h in hits if "peaceful assemblies" in h.text.lower()]
    apart = [h for h in hits if h.matched == 2 and "peaceful assemblies" not in h.text.lower()]
    assert adjacent and apart
    assert hits.index(adjacent[0]) < hits.index(apart[0])
    # A paragraph that says "torture" four times outranks one that says it once, all else equal in section.
    torture = search(index, "torture").hits
    counts = [h.text.lower().count("tortur") for h in torture]
    assert counts[0] >= max(counts[3:])


def scores(index: SearchIndex, query: str) -> dict[tuple[str, int], float]:
    return {(h.section, h.paragraph): h.score for h in search(index, query).hits}


def test_the_form_typed_earns_a_bonus(index: SearchIndex) -> None:
    as_typed, sibling = scores(index, "protesters"), scores(index, "protests")
    assert as_typed.keys() == sibling.keys()  # one family of words: the same passages
    says = {(p.section, p.number) for p in index.paragraphs if "protesters" in p.text}
    assert says and says < as_typed.keys()
    # The passage saying "protesters" scores more for "protesters" than for "protests"; one saying
    # only "protests" the other way round.
    assert all(as_typed[place] > sibling[place] for place in says)
    other = {(p.section, p.number) for p in index.paragraphs if "protests" in p.text and "protesters" not in p.text}
    assert other and all(sibling[place] > as_typed[place] for place in other)


def test_another_spelling_of_a_name_searches_the_reports(corpus: Corpus, index: SearchIndex) -> None:
    result = search(index, "Semyonova", respell=speller(corpus))
    assert places(result.hits) == [("torture", 2)]
    assert result.corrections == [("semyonova", "semenova")]
    jakishev = search(index, "Jakishev", respell=speller(corpus))
    assert ("civil-society", 5) in places(jakishev.hits)
    # --exact takes the words as typed.
    assert search(index, "Semyonova", exact=True, respell=speller(corpus)).hits == []


def test_two_typed_words_the_report_writes_as_one_are_joined(index: SearchIndex) -> None:
    result = search(index, "Adil Soz")
    assert result.hits and all("Adilsoz" in hit.text for hit in result.hits)
    assert result.corrections == [("adil soz", "adilsoz")]
    # Words the report does use stay apart, and --exact takes what was typed.
    assert search(index, "peaceful protest").corrections == []
    assert search(index, "Adil Soz", exact=True).hits == []


def test_words_joined_by_other_marks_are_separate_words(index: SearchIndex) -> None:
    joined = search(index, "torture/prison")
    assert [p.text for p in joined.parts] == ["torture", "prison"]
    assert joined.hits and joined.total == search(index, "torture prison").total
    # Hyphens, apostrophes and thousands separators still make one word, kept as typed.
    assert [p.text for p in search(index, "co-operation").parts] == ["co-operation"]
    assert [p.text for p in search(index, "1,626").parts] == ["1,626"]


def test_a_word_only_in_a_section_title_selects_its_passages(corpus: Corpus, index: SearchIndex) -> None:
    result = search(index, "asylum")
    asylum = corpus.section("asylum-seekers-and-refugees")
    assert places(result.hits) == [("asylum-seekers-and-refugees", n) for n in range(1, len(asylum.paragraphs) + 1)]
    assert result.title_only == ["asylum"] and result.unmatched == []
    assert all(hit.spans == () for hit in result.hits)  # nothing in the text to highlight
    # A passage holding the word beats one under a title holding it: "torture" keeps its order.
    assert places(search(index, "torture").hits)[:3] == [("torture", 1), ("torture", 2), ("torture", 3)]
    # A phrase too, when every word of it is in one title.
    assert places(search(index, '"asylum seekers"').hits) == places(result.hits)


def test_a_hyphenated_word_the_report_writes_as_two_is_a_phrase(index: SearchIndex) -> None:
    result = search(index, "Nur-Otan")
    assert result.hits and all("Nur Otan" in hit.text for hit in result.hits)
    assert result.parts[0].is_phrase


def test_a_section_title_counts_for_its_paragraphs(corpus: Corpus, index: SearchIndex) -> None:
    # "arrest" is in a section title and in passages: both match; the section's own come first.
    arrest = "arrest-and-harassment-of-opposition-members"
    hits = search(index, "arrest").hits
    in_section = [(arrest, n) for n in range(1, len(corpus.section(arrest).paragraphs) + 1)]
    assert places(hits)[: len(in_section)] == in_section
    elsewhere = [hit for hit in hits if hit.section != arrest]
    assert elsewhere and all(hit.spans for hit in elsewhere)  # the text says it: highlighted
    assert search(index, "arrest").title_only == []
    assert places(search(index, "arrest", sections={arrest}).hits) == in_section
    # --exact is the text as typed: no title words, no stems.
    assert search(index, "asylum", exact=True).hits == []
    assert search(index, "tortur", exact=True).hits == []
    assert all(hit.spans for hit in search(index, "arrest", exact=True).hits)


def test_freedom_of_assembly_puts_its_section_first(index: SearchIndex) -> None:
    hits = search(index, "freedom of assembly").hits
    assert places(hits)[0] == ("freedom-of-assembly", 1)
    assert places(search(index, "freedom of expression").hits)[0][0] == "freedom-of-expression"
    assert places(search(index, "women").hits)[0][0] == "violence-against-women-and-girls"


def test_marks_split_words_as_typed_and_corrections_are_said_once(index: SearchIndex) -> None:
    parts = search(index, "nur-otan/party").parts
    assert [(p.text, p.is_phrase) for p in parts] == [("nur otan", True), ("party", False)]
    assert search(index, "prisn prisn").corrections == [("prisn", "prison")]


def test_a_hyphenated_number_the_report_writes_is_found(index: SearchIndex) -> None:
    assert places(search(index, "15-day").hits) == [("covid-19", 1)]
    assert places(search(index, "21-week").hits) == [("labor-rights", 1)]


def test_function_words_never_select_a_passage(index: SearchIndex) -> None:
    assert search(index, "torture against").total == search(index, "torture").total
    assert search(index, "violence against women").total == search(index, "violence women").total


def test_word_families_a_reader_expects(index: SearchIndex) -> None:
    activists = places(search(index, "activists").hits)
    assert places(search(index, "activism").hits) == activists
    assert set(places(search(index, "terrorism", limit=None).hits)) == set(places(search(index, "terrorist").hits))


def test_a_corrected_word_in_a_phrase_is_reported_alone(index: SearchIndex) -> None:
    assert search(index, '"domestc violence"').corrections == [("domestc", "domestic")]


# --- names stand for their entities --------------------------------------------------


def named_places(corpus: Corpus, entity_id: str) -> set[tuple[str, int]]:
    return {(m.section, m.paragraph) for m in corpus.entity(entity_id).mentions}


def test_a_name_finds_every_passage_naming_its_entity(corpus: Corpus, index: SearchIndex) -> None:
    from kzcli.commands.search import name_lookup

    names = name_lookup(corpus)
    united_nations = named_places(corpus, "united-nations")
    short = search(index, "UN", names=names)
    long = search(index, "United Nations", names=names)
    assert set(places(short.hits)) == set(places(long.hits)) == united_nations
    # Each finds the other spelling: "UN" passages that never say "United Nations", and back.
    says_un = {(h.section, h.paragraph) for h in search(index, "UN", exact=True).hits}
    says_long = {(h.section, h.paragraph) for h in search(index, '"United Nations"', exact=True).hits}
    assert says_un - says_long and says_long - says_un
    assert short.parts[0].kind == "name" and short.parts[0].entities == ("united-nations",)
    # The other name is highlighted where it stands.
    hit = next(h for h in short.hits if (h.section, h.paragraph) in says_long - says_un)
    assert any(hit.text[s:e] == "United Nations" for s, e in hit.spans)
    # Quoted, the words are only words: no other names.
    assert set(places(search(index, '"United Nations"', names=names).hits)) == says_long


def test_an_unquoted_name_is_one_name_not_its_words(corpus: Corpus, index: SearchIndex) -> None:
    from kzcli.commands.search import name_lookup

    result = search(index, "Islamic State", names=name_lookup(corpus))
    assert [p.kind for p in result.parts] == ["name"]
    assert set(places(result.hits)) == named_places(corpus, "isis")
    department = named_places(corpus, "us-state-department")
    assert not department & set(places(result.hits))
    # Without names, "state" alone would have brought the State Department in.
    assert department <= set(places(search(index, "State", names=name_lookup(corpus)).hits))


def test_names_are_taken_longest_first_and_beside_other_words(corpus: Corpus, index: SearchIndex) -> None:
    from kzcli.commands.search import name_lookup

    names = name_lookup(corpus)
    result = search(index, "Asya Tulesova police", names=names)
    assert [(p.text, p.kind) for p in result.parts] == [("asya tulesova", "name"), ("police", "word")]
    # Corrected first, then named: "Tulesva" is Tulesova.
    corrected = search(index, "Tulesva", names=names)
    assert corrected.corrections == [("tulesva", "tulesova")] and corrected.parts[0].kind == "name"
    # A name excluded leaves out every passage naming it.
    assert not set(places(search(index, "Kazakhstan -UN", names=names).hits)) & named_places(corpus, "united-nations")
    # --exact reads words as typed: no names.
    assert [p.kind for p in search(index, "UN", exact=True, names=names).parts] == ["word"]


def test_a_passage_matching_a_name_it_does_not_write_is_said() -> None:
    """``kz search Tokaev`` showed freedom-of-assembly ¶1 ("signed by the president") without a word of why."""
    done = run_main(["search", "Tokaev"])
    assert done.code == 0 and "freedom-of-assembly ¶1" in done.out
    line = (
        "kz: freedom-of-assembly ¶1 matches too: the corpus records it as speaking of Kasym-Jomart Tokaev,"
        " in none of its names"
    )
    assert line in done.err_lines
    assert not any("in none of its names" in said for said in run_main(["search", "Tulesova"]).err_lines)


@pytest.mark.parametrize(
    "args", [["Tokaev", "torture"], ["Tokaev", "--section", "overview"], ["Tokaev", "-president"], ["-Tokaev", "law"]]
)
def test_the_unnamed_passage_is_said_only_when_it_is_matched(args: list[str]) -> None:
    """``kz search Tokaev torture`` found nothing, yet said freedom-of-assembly ¶1 "matches too"."""
    assert not any("in none of its names" in line for line in run_main(["search", *args]).err_lines)


@pytest.mark.parametrize(("typed", "written"), [("Toqayev", "tokaev"), ("Majenov", "mazhenov"), ("Boqayev", "bokaev")])
def test_search_reads_a_name_spelt_in_other_letters_as_kz_person_does(typed: str, written: str) -> None:
    """``kz person Toqayev`` showed Tokaev while ``kz search Toqayev`` found nothing."""
    done = run_main(["search", typed])
    assert done.code == 0
    assert f"kz: showing results for {written!r} (you typed {typed.lower()!r})" in done.err_lines
    if written != "bokaev":  # Max Bokaev has no dated event
        timeline = run_main(["timeline", "--search", typed])
        assert timeline.code == 0 and f"showing results for {written!r}" in timeline.err
