"""kz's query language answers as SQLite FTS5 does: a differential test over kz's own export.

``kz export --format sqlite`` writes the paragraphs and an FTS5 index of
them. That index stems (``porter``) as sqlite-utils users expect, and
``kz search --exact`` does not, so the test adds to the exported file a
second FTS5 index over the same ``paragraphs`` table with FTS5's own
tokeniser and no stemmer (``unicode61 remove_diacritics 2``, which folds case
and accents as kz does), and compares, query by query, the set of paragraphs
each matches: words, phrases, prefixes, OR, AND, NOT, ``-word`` and groups.

The queries are built from the words both tokenise alike: words kz never
takes apart (no hyphen, apostrophe or separator inside, never part of a
compound such as "anti-torture", which kz indexes whole and in parts and FTS5
in parts only) that stand in the same paragraphs for both; phrases are runs
of those words as the report writes them; prefixes are those under which
both see only such words. That agreement is checked first, then the queries
(rendered in kz's syntax, with its own forms such as ``-word`` and groups
beside words, and in FTS5's) are compared.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli.export import export
from kzcli.loading import load
from kzcli.search import SearchIndex, search
from kzcli.text import fold, tokens

from .conftest import DATA, examples

SAME_TOKENS_SQL = """
CREATE VIRTUAL TABLE words_fts USING fts5(
  text, content="paragraphs", content_rowid="id", tokenize="unicode61 remove_diacritics 2"
);
INSERT INTO words_fts (words_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE words_vocabulary USING fts5vocab(words_fts, 'instance');
"""

Place = tuple[str, int]
# A generated query: ("word", w), ("phrase", (w, ...)), ("prefix", p), ("phrase*", (w, ..., p)),
# ("and", [q, ...]), ("or", [q, ...]), ("not", q, q), ("minus", [q, ...], [q, ...]).
Query = tuple[Any, ...]


class Oracle:
    """The export with its same-tokens index, and the words, phrases and prefixes to build queries from."""

    def __init__(self, folder: Path) -> None:
        corpus = load(str(DATA))
        path = folder / "kz.db"
        export(corpus, "sqlite", str(path))
        self.db = sqlite3.connect(path)
        self.db.executescript(SAME_TOKENS_SQL)
        self.index: SearchIndex = corpus.search_index()
        place_of = {
            row[0]: (row[1], row[2]) for row in self.db.execute("SELECT id, section, paragraph FROM paragraphs")
        }
        self.fts_places: dict[str, set[Place]] = {}
        for term, doc in self.db.execute("SELECT term, doc FROM words_vocabulary"):
            self.fts_places.setdefault(term, set()).add(place_of[doc])
        self.kz_places = {
            word: {(self.index.paragraphs[doc].section, self.index.paragraphs[doc].number) for doc in postings}
            for word, postings in self.index.surface_postings.items()
        }
        taken_apart = self._taken_apart()
        self.words = sorted(
            w for w, found in self.kz_places.items() if w not in taken_apart and self.fts_places.get(w) == found
        )
        self.phrases = self._phrases(set(self.words))
        self.prefixes = self._prefixes(set(self.words))
        # Phrases ending in a prefix: a run of the report with its last word cut to a prefix.
        cuts = {word: max((p for p in self.prefixes if word.startswith(p)), key=len, default="") for word in self.words}
        self.phrase_prefixes = sorted({(*run[:-1], cuts[run[-1]]) for run in self.phrases if cuts[run[-1]]})

    def _taken_apart(self) -> set[str]:
        """Words kz reads otherwise than FTS5 somewhere: a compound, a part of one, a possessive, "1,626"."""
        found: set[str] = set()
        for paragraph in self.index.paragraphs:
            for token in tokens(paragraph.text, stemmed=False):
                if token.part or fold(paragraph.text[token.start : token.end]) != token.surface:
                    found.add(token.surface)
        return found

    def _phrases(self, words: set[str]) -> list[tuple[str, ...]]:
        """Runs of two or three alike-read words standing side by side in the report."""
        runs: set[tuple[str, ...]] = set()
        for paragraph in self.index.paragraphs:
            whole = [t for t in tokens(paragraph.text, stemmed=False) if not t.part]
            for at in range(len(whole) - 1):
                for length in (2, 3):
                    run = whole[at : at + length]
                    if len(run) == length and all(t.surface in words for t in run):
                        runs.add(tuple(t.surface for t in run))
        return sorted(runs)

    def _prefixes(self, words: set[str]) -> list[str]:
        """Beginnings of words under which both tokenisations hold only alike-read words."""
        every = set(self.kz_places) | set(self.fts_places)
        candidates = {w[:n] for w in words for n in range(2, len(w))}
        return sorted(p for p in candidates if all(w in words for w in every if w.startswith(p)))

    def fts5(self, query: str) -> set[Place]:
        sql = (
            "SELECT p.section, p.paragraph FROM words_fts JOIN paragraphs p ON p.id = words_fts.rowid"
            " WHERE words_fts MATCH ?"
        )
        return {(row[0], row[1]) for row in self.db.execute(sql, (query,))}

    def kz(self, query: str) -> set[Place]:
        return {(hit.section, hit.paragraph) for hit in search(self.index, query, exact=True).hits}


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Oracle:
    return Oracle(tmp_path_factory.mktemp("fts5"))


def test_the_two_tokenisations_agree_where_the_queries_are_drawn(oracle: Oracle) -> None:
    assert len(oracle.words) > 500 and len(oracle.phrases) > 500 and len(oracle.prefixes) > 300
    # The words FTS5 keys otherwise are left out ("anti-torture" is "anti", "torture" to FTS5).
    assert "antitorture" not in oracle.words and "torture" not in oracle.words
    assert "tortured" in oracle.words and "or" in oracle.words and "not" in oracle.words
    for word in oracle.words[::25]:
        assert oracle.kz(word) == oracle.fts5(f'"{word}"') == oracle.kz_places[word]


# --- generated queries ---------------------------------------------------------------


def leaves(oracle: Oracle) -> st.SearchStrategy[Query]:
    # Words the report uses in several paragraphs as often as any word, and phrases taken from
    # the text, so that many queries match something.
    common = [w for w in oracle.words if len(oracle.kz_places[w]) >= 3]
    word = st.one_of(st.sampled_from(common), st.sampled_from(oracle.words))
    return st.one_of(
        st.tuples(st.just("word"), word),
        st.tuples(st.just("phrase"), st.sampled_from(oracle.phrases)),
        st.tuples(st.just("phrase"), st.tuples(word, word)),
        st.tuples(st.just("prefix"), st.sampled_from(oracle.prefixes)),
        st.tuples(st.just("phrase*"), st.sampled_from(oracle.phrase_prefixes)),
    )


def queries(oracle: Oracle) -> st.SearchStrategy[Query]:
    def combine(children: st.SearchStrategy[Query]) -> st.SearchStrategy[Query]:
        some = st.lists(children, min_size=1, max_size=2)
        return st.one_of(
            st.tuples(st.just("and"), st.lists(children, min_size=2, max_size=3)),
            st.tuples(st.just("or"), st.lists(children, min_size=2, max_size=3)),
            st.tuples(st.just("not"), children, children),
            st.tuples(st.just("minus"), some, some),
        )

    return st.recursive(leaves(oracle), combine, max_leaves=6)


def as_fts5(query: Query) -> str:
    """The query in FTS5's syntax: every term quoted, every operator explicit, every group bracketed."""
    kind = query[0]
    if kind == "word":
        return f'"{query[1]}"'
    if kind == "prefix":
        return f'"{query[1]}"*'
    if kind in ("phrase", "phrase*"):
        return f'"{" ".join(query[1])}"' + ("*" if kind == "phrase*" else "")
    if kind in ("and", "or"):
        return f" {kind.upper()} ".join(f"({as_fts5(q)})" for q in query[1])
    if kind == "not":
        return f"({as_fts5(query[1])}) NOT ({as_fts5(query[2])})"
    kept = " AND ".join(f"({as_fts5(q)})" for q in query[1])
    dropped = " OR ".join(f"({as_fts5(q)})" for q in query[2])
    return f"({kept}) NOT ({dropped})"


def as_kz(query: Query, choose: Callable[[int], int]) -> str:
    """The query in kz's syntax, its forms chosen by ``choose(n)`` (0 to n - 1): words side by
    side or with AND, ``-word`` before or after the words, a phrase's prefix star inside or out."""
    kind = query[0]
    if kind == "word":
        return str(query[1])
    if kind == "prefix":
        return f"{query[1]}*"
    if kind == "phrase":
        return f'"{" ".join(query[1])}"'
    if kind == "phrase*":
        return f'"{" ".join(query[1])}"*' if choose(2) else f'"{" ".join(query[1])}*"'
    if kind == "and":
        return (" AND " if choose(2) else " ").join(_bracketed(q, choose) for q in query[1])
    if kind == "or":
        return " OR ".join(_bracketed(q, choose) for q in query[1])
    if kind == "not":
        return f"{_bracketed(query[1], choose)} NOT {_bracketed(query[2], choose)}"
    kept = [_bracketed(q, choose) for q in query[1]]
    for dropped in query[2]:
        kept.insert(choose(len(kept) + 1), "-" + _bracketed(dropped, choose))
    if kept[0].startswith("-") and choose(2):
        kept = [*kept[1:], kept[0]]
    return " ".join(kept)


def _bracketed(query: Query, choose: Callable[[int], int]) -> str:
    text = as_kz(query, choose)
    return f"({text})" if query[0] in ("and", "or", "not", "minus") else text


@settings(max_examples=examples(600), deadline=None)
@given(data=st.data())
def test_kz_exact_answers_as_fts5(oracle: Oracle, data: st.DataObject) -> None:
    query = data.draw(queries(oracle), label="query")
    typed = as_kz(query, lambda n: data.draw(st.integers(0, n - 1)))
    written = as_fts5(query)
    assert oracle.kz(typed) == oracle.fts5(written), (typed, written)


def test_the_differential_test_sees_what_it_should() -> None:
    """Not vacuous: the renderings mean what they say on a query whose answer is known."""
    query: Query = ("minus", [("word", "torture")], [("word", "prison")])
    assert as_fts5(query) == '(("torture")) NOT (("prison"))'
    assert as_kz(query, lambda n: 1 if n == 2 else n - 1) == "torture -prison"
