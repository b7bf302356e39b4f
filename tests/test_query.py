"""The search query language: its syntax, what each form means on the report, and its errors.

``test_fts5_differential`` compares kz with SQLite FTS5 on the real report; here the
precedence of operators is compared on a made-up one, query strings unchanged.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli.corpus import Corpus, Section
from kzcli.errors import UsageError
from kzcli.query import parse, render, term_text
from kzcli.search import SearchIndex, build_index, search

from .conftest import examples
from .kzprocess import run_main
from .test_completion import complete, needs_script

Place = tuple[str, int]


@pytest.fixture(scope="module")
def index(corpus: Corpus) -> SearchIndex:
    return corpus.search_index()


def places(index: SearchIndex, query: str, **options: object) -> set[Place]:
    return {(h.section, h.paragraph) for h in search(index, query, **options).hits}  # type: ignore[arg-type]


def with_word(index: SearchIndex, stem_of: str) -> set[Place]:
    """Every paragraph whose text holds a word beginning with ``stem_of`` (case folded)."""
    return {
        (p.section, p.number)
        for p in index.paragraphs
        if any(word.startswith(stem_of) for word in p.text.lower().replace("-", " ").split())
    }


# --- the syntax ------------------------------------------------------------------


def test_precedence_is_fts5s() -> None:
    """Words side by side bind first, then NOT, then AND, then OR, each from the left."""
    written = render(parse("a b NOT c d OR e"), term_text)
    assert written == "a b NOT c d OR e"
    assert parse("a b NOT c d OR e")[0] == "any"
    # (a NOT b) NOT c, kept as a NOT (b OR c): one level however long the chain.
    assert parse("a NOT b NOT c") == (
        "but",
        ("term", "word", "a"),
        ("any", (("term", "word", "b"), ("term", "word", "c"))),
    )
    assert parse("x OR y z")[1][1] == ("all", (("term", "word", "y"), ("term", "word", "z")))


def test_lower_case_operators_are_words() -> None:
    assert parse("torture or prison") == (
        "all",
        (("term", "word", "torture"), ("term", "word", "or"), ("term", "word", "prison")),
    )
    assert parse("not")[2] == "not" and parse("And")[2] == "and"


def test_the_forms_of_a_term() -> None:
    assert parse("tort*") == ("term", "prefix", "tort")
    assert parse('"peaceful assem"*') == parse('"peaceful assem*"') == ("term", "phrase*", "peaceful assem")
    assert parse("torture -prison") == ("all", (("term", "word", "torture"), ("minus", ("term", "word", "prison"))))
    # A minus sign or dash typed as a Unicode one, and curly quotes, read alike.
    assert parse("torture \u2212prison") == parse("torture -prison")
    assert parse("torture -\u201cpeaceful assemblies\u201d")[1][1] == (
        "minus",
        ("term", "phrase", "peaceful assemblies"),
    )
    assert parse("torture -(prison OR camp)")[1][1][0] == "minus"
    # Words inside a word are still separate words; one word keeps its marks for the echo.
    assert parse("torture/prison") == ("all", (("term", "word", "torture"), ("term", "word", "prison")))
    assert parse("[red]") == ("term", "word", "[red]")
    assert parse("co-operation") == ("term", "word", "co-operation")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("NOT prison", "NOT needs words on both sides"),
        ("torture NOT", "NOT needs words on both sides"),
        ("torture OR", "OR needs words on both sides"),
        ("OR", "OR needs words on both sides"),
        ("torture AND AND prison", "AND needs words on both sides"),
        ("-prison", "only excludes words"),
        ("-prison -camp", "only excludes words"),
        ("torture OR -prison", "only excludes words"),
        ("(torture", "'(' is never closed"),
        ("torture)", "')' closes no '('"),
        ("torture ()", "empty parentheses"),
        ("", "no words to search for"),
        ("!!! * -", "no words to search for"),
    ],
)
def test_what_fts5_refuses_kz_refuses_saying_how(query: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(query)


# FTS5 syntax kz does not have (trial finding 5): refused, never searched as words.
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("NEAR(torture prison)", "NEAR(...) is FTS5 syntax kz does not have"),
        ("NEAR (torture prison, 5)", "NEAR(...) is FTS5 syntax kz does not have"),
        ("torture NEAR/3 prison", "NEAR/3 is FTS5 syntax kz does not have"),
        # Not "torture, excluding the word near".
        ("torture -NEAR(prison court)", "-NEAR(...) is FTS5 syntax kz does not have"),
        ("text:torture", "'text:torture' is an FTS5 column filter"),
        ("torture -quote:prison", "'-quote:prison' is an FTS5 column filter"),
        ("torture:3", "'torture:3' is a passage's id, not words: read it with `kz read torture:3`"),
        ("^torture", "'^torture' is FTS5's word at the start of a passage"),
        ("torture + prison", "'+': kz has no '+'"),
        ("+prison torture", "'+prison': kz has no '+'"),
        ('"torture', "a '\"' is never closed"),
        ('torture "peaceful assemblies', "a '\"' is never closed"),
    ],
)
def test_fts5_syntax_kz_lacks_is_refused(query: str, message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        parse(query)


@pytest.mark.parametrize("query", ["near(torture prison)", "NEAR torture", "LGBT+", "torture 10:30", '"^torture"'])
def test_what_only_looks_like_that_syntax_is_searched(query: str) -> None:
    left_out: list[str] = []
    parse(query, left_out)
    assert left_out == []


@pytest.mark.parametrize(
    ("query", "tokens"), [("torture -", ["-"]), ("torture --", ["--"]), ('torture "" &', ['""', "&"])]
)
def test_a_token_holding_no_word_is_listed_to_be_said(query: str, tokens: list[str]) -> None:
    left_out: list[str] = []
    assert parse(query, left_out) == ("term", "word", "torture")
    assert left_out == tokens


def test_long_and_deep_queries_are_answered_or_refused_not_crashed(index: SearchIndex) -> None:
    chain = " NOT ".join(["torture"] + ["prison"] * 20_000)
    assert places(index, chain) == places(index, "torture -prison")
    with pytest.raises(UsageError, match="nested more than 50 deep"):
        parse("(" * 10_000 + "torture" + ")" * 10_000)
    assert parse("(" * 50 + "torture" + ")" * 50) == ("term", "word", "torture")


def test_an_operator_says_how_to_search_for_the_word() -> None:
    with pytest.raises(UsageError) as raised:
        parse("NOT")
    assert "write 'not' or \"NOT\"" in str(raised.value)


# --- precedence against FTS5 on a made-up report ---------------------------------------

TOY = ["x y", "x z", "y z", "x", "y", "z", "x y z", "w", "w x", "y w z"]


@pytest.fixture(scope="module")
def toy() -> tuple[SearchIndex, sqlite3.Connection]:
    index = build_index([Section("toy", "Toy", tuple(TOY))])
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61')")
    db.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", enumerate(TOY, 1))
    return index, db


def _expressions() -> st.SearchStrategy[str]:
    """Queries FTS5 accepts: terms side by side, operators between groups, optional parentheses."""
    term = st.sampled_from(["x", "y", "z", "w", "x*", '"x y"', '"y z"'])
    side_by_side = st.lists(term, min_size=1, max_size=3).map(" ".join)

    def combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        operand = st.one_of(inner, inner.map(lambda q: f"({q})"))
        return st.tuples(operand, st.sampled_from([" OR ", " AND ", " NOT "]), operand).map("".join)

    return st.recursive(side_by_side, combine, max_leaves=6)


@settings(max_examples=examples(300), deadline=None)
@given(query=_expressions())
def test_the_same_query_string_means_the_same_to_kz_and_fts5(
    toy: tuple[SearchIndex, sqlite3.Connection], query: str
) -> None:
    index, db = toy
    found = {h.paragraph for h in search(index, query, exact=True).hits}
    assert found == {row[0] for row in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (query,))}, query


def test_kz_takes_what_fts5_3_40_refuses_a_group_beside_words(toy: tuple[SearchIndex, sqlite3.Connection]) -> None:
    index, _ = toy
    beside = {h.paragraph for h in search(index, "(x OR w) z", exact=True).hits}
    explicit = {h.paragraph for h in search(index, "(x OR w) AND z", exact=True).hits}
    assert beside == explicit == {2, 7, 10}


# --- what each form finds in the report ------------------------------------------------


def test_not_and_minus_exclude(index: SearchIndex) -> None:
    torture, prison = places(index, "torture"), places(index, "prison")
    assert torture & prison  # there is something to exclude
    assert places(index, "torture NOT prison") == places(index, "torture -prison") == torture - prison
    assert places(index, "-prison torture") == torture - prison
    # Nothing excluded ranks first: "not" is no word to rank by.
    assert all("prison" not in h.text.lower() for h in search(index, "torture NOT prison").hits)
    assert places(index, "torture NOT prison") | places(index, "torture prison") == torture


def test_or_is_either_and_words_are_both(index: SearchIndex) -> None:
    torture, prison = places(index, "torture"), places(index, "prison")
    assert places(index, "torture OR prison") == torture | prison
    assert places(index, "torture prison") == places(index, "torture AND prison") == torture & prison
    assert places(index, "(torture OR prison) women") == (torture | prison) & places(index, "women")


def test_lower_case_or_and_not_are_searched_as_words(index: SearchIndex) -> None:
    result = search(index, "torture not prison")
    assert [p.text for p in result.parts] == ["torture", "not", "prison"]
    assert places(index, "torture not prison") <= places(index, "torture prison")


def test_a_prefix_finds_every_word_it_begins(index: SearchIndex) -> None:
    assert places(index, "tort*") == with_word(index, "tortur") | with_word(index, "anti-tortur")
    assert places(index, "tort*", exact=True) == places(index, "tort*")
    hits = search(index, "tort*").hits
    assert all(h.text[s:e].lower().startswith("tortur") for h in hits for s, e in h.spans)
    # The prefix is not corrected and selects only words beginning with it.
    assert search(index, "tortre*").hits == [] and search(index, "tortre*").corrections == []


def test_a_phrase_may_end_in_a_prefix(index: SearchIndex) -> None:
    found = places(index, '"peaceful assem"*')
    assert found == places(index, '"peaceful assemblies"') | places(index, '"peaceful assembly"')
    assert found and places(index, '"peaceful assem*"') == found


def test_a_group_may_be_excluded(index: SearchIndex) -> None:
    expected = places(index, "torture") - places(index, "prison OR camp")
    assert places(index, "torture -(prison OR camp)") == expected
    assert places(index, 'torture -"labor camp"') == places(index, "torture") - places(index, '"labor camp"')


@settings(max_examples=examples(120), deadline=None)
@given(
    query=st.lists(
        st.sampled_from(
            ["torture", "prison", "OR", "NOT", "-camp", "tort*", '"peaceful assemblies"', "women", "UN", "freedom"]
        ),
        min_size=1,
        max_size=5,
    ).map(" ".join)
)
def test_passages_come_in_the_order_of_the_score_shown(query: str) -> None:
    from kzcli.loading import load

    index = load().search_index()
    try:
        hits = search(index, query).hits
    except UsageError:
        return
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True), query
    assert all(h.score > 0 for h in hits)


# --- on the command line ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["torture prison", "torture OR prison", "freedom of assembly", "UN"])
def test_the_scores_printed_go_down_the_list(query: str) -> None:
    run = run_main(["search", *query.split(), "--limit", "0"])
    scores = [float(line.split("\t")[1]) for line in run.out.splitlines()]
    assert len(scores) > 1 and scores == sorted(scores, reverse=True), run.out


def test_an_excluded_word_is_no_option() -> None:
    excluded = run_main(["search", "torture", "-prison"])
    assert excluded.code == 0 and excluded.err == "", excluded.err
    assert excluded.out == run_main(["search", "torture NOT prison"]).out
    # Words that begin like kz's short options are words too: -n, -s, -f, -h.
    for word in ("-newspaper", "-sentenced", "-fined", "-hours"):
        run = run_main(["search", "torture", word, "--limit", "0"])
        assert run.code in (0, 1) and "option" not in run.err, (word, run.err)


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "torture", "-prison", "--limit", "1"],
        ["search", "--limit", "1", "torture", "-prison"],
        ["search", "torture", "-prison", "-n", "1"],
        ["search", "torture", "-prison", "-n1"],
        ["search", "torture", "-prison", "--limit=1"],
        ["search", "-n", "1", "--", "torture", "-prison"],
    ],
)
def test_real_options_still_work_beside_excluded_words(argv: list[str]) -> None:
    run = run_main(argv)
    assert run.code == 0 and len(run.out.splitlines()) == 1 and run.out.startswith("torture ¶1"), run.err
    assert "1 more passage" in run.err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["--search", "torture", "-prison"], "kz: -prison: to leave a word out of --search, quote the words: "),
        (["--search=torture", "-section"], "kz: -section: to leave a word out of --search, quote the words: "),
        # A short option's value glued to it reads as a word too: the line says both ways.
        (["--search", "torture", "-pErimbetov"], "kz: -pErimbetov: to leave a word out of --search, quote"),
        (["--search", "torture", "prison"], "kz: prison: to search several words with --search, quote the words: "),
    ],
)
def test_timeline_refuses_a_word_after_the_search_words_saying_how_to_quote(argv: list[str], line: str) -> None:
    """Trial finding 7: ``-prison`` was read as ``-p rison`` (--person), said as no entity 'rison'."""
    run = run_main(["timeline", *argv])
    assert run.code == 2 and len(run.err_lines) == 1 and run.err_lines[0].startswith(line), run.err
    quoted = run.err_lines[0].split("--search ", 1)[1].split(" (see", 1)[0].split(";", 1)[0]
    fixed = run_main(["timeline", "--search", quoted.strip("'"), "--json"])
    assert fixed.code == 0 and '"expression"' in fixed.out


@pytest.mark.parametrize("after", [["-p", "Erimbetov"], ["--person", "Erimbetov"], ["--person=Erimbetov"]])
def test_timeline_options_after_the_search_words_are_still_options(after: list[str]) -> None:
    run = run_main(["timeline", "--search", "torture", *after])
    assert run.code == 0 and run.out and all("Erimbetov" in line for line in run.out.splitlines()), run.err


@needs_script
def test_completion_after_a_word_after_the_search_words_still_completes() -> None:
    done = complete("bash", "kz timeline --search torture prison --person Tul")
    assert (done.returncode, done.stdout.split()) == (0, ["Tulesova"]), done.stderr


def test_a_mistyped_long_option_is_still_refused() -> None:
    run = run_main(["search", "torture", "--limt", "2"])
    assert run.code == 2 and "No such option: --limt" in run.err


def test_only_excluded_words_is_bad_usage() -> None:
    run = run_main(["search", "-prison"])
    assert run.code == 2 and "only excludes words" in run.err
    assert run_main(["search", "torture", "-h"]).out.startswith("Usage: kz search")


def test_the_json_query_block_shows_the_query_as_understood() -> None:
    import json

    run = run_main(["search", "tortre", "-prison", "UN*", "--json"])
    query = json.loads(run.out)["query"]
    assert query["expression"] == "torture -prison un*"
    assert [(p["text"], p["kind"], p["excluded"]) for p in query["understood"]] == [
        ("torture", "word", False),
        ("prison", "word", True),
        ("un", "prefix", False),
    ]
    assert query["understood"][0]["corrected_from"] == "tortre"


def test_what_a_name_brings_in_is_said() -> None:
    run = run_main(["search", "UN"])
    assert run.code == 0
    assert "kz: 'un' is United Nations: passages saying 'United Nations' match too" in run.err
    back = run_main(["search", "United", "Nations"])
    assert "kz: 'united nations' is United Nations: passages saying 'UN' match too" in back.err
    left_out = run_main(["search", "Kazakhstan", "-UN"])
    assert "passages saying 'United Nations' are left out too" in left_out.err
    # Only the names the report uses are said, each once; a name that holds the words typed is no news.
    osce = run_main(["search", "OSCE"]).err
    assert "passages saying 'Organization for Security and Co-operation in Europe' match too" in osce
    assert "Cooperation" not in osce
    assert "passages saying" not in run_main(["search", "Tulesova"]).err
