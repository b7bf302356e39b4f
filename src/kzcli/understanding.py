"""From a query's tree to the parts ``kzcli.search`` looks up: each term's index keys.

Unless ``--exact``: a word the report never uses is corrected (another
spelling of a name, else a typo one edit away; always said), two words the
report writes as one are joined and a hyphenated one it writes as two split,
words side by side that are an entity's name or alias stand for that entity
under any of its names, and a common word beside others ranks passages but
selects none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kzcli.query import PHRASE, PHRASE_PREFIX, PREFIX, WORD, Node, term_text
from kzcli.text import STOPWORDS, TYPO_MIN_LENGTH, normalise_word, stem, tokens, words

if TYPE_CHECKING:
    from kzcli.search import SearchIndex
    from kzcli.topics import Bridge, TopicTerms

# A part of the query that is a name: the entities it names, under any of their names.
NAME = "name"
# Words the report never uses that a topic lists as a term: they stand for the topic's passages.
TOPIC = "topic"

# (id, folded name keys, (section, paragraph) of every mention) of an entity a query names.
NamedEntity = tuple[str, tuple[str, ...], tuple[tuple[str, int], ...]]


class QueryPart:
    """One term of a query, as understood: a word, a phrase, a prefix or a name.

    A plain class: a NamedTuple costs ~0.25 ms to create at import, on every search.
    """

    __slots__ = (
        "corrected_from",
        "corrected_to",
        "entities",
        "excluded",
        "found_as",
        "is_phrase",
        "keys",
        "kind",
        "optional",
        "surfaces",
        "text",
        "topics",
    )

    def __init__(
        self,
        text: str,
        keys: tuple[str, ...],
        is_phrase: bool,
        corrected_from: tuple[str, ...] = (),
        surfaces: tuple[str, ...] = (),
        corrected_to: tuple[str, ...] = (),
        kind: str = WORD,
        excluded: bool = False,
        entities: tuple[str, ...] = (),
    ) -> None:
        self.text = text
        # Index keys, one per word (stems, or folded words under --exact); a prefix's last key is the prefix.
        self.keys = keys
        self.is_phrase = is_phrase
        self.corrected_from = corrected_from
        # The folded words searched for, after any correction (the forms typed).
        self.surfaces = surfaces
        # What each word of corrected_from was corrected to, in the same order.
        self.corrected_to = corrected_to
        self.kind = kind  # query.WORD, PHRASE, PREFIX, PHRASE_PREFIX, or NAME
        # Under NOT or "-": it excludes passages, and neither selects nor ranks one.
        self.excluded = excluded
        # A common word (text.STOPWORDS) beside other words: it ranks passages but selects none.
        self.optional = False
        # A name: the ids of the entities it names; their passages match under any of their names.
        self.entities = entities
        # A name: those of its entities' names (folded) that the report's text holds (set by the search).
        self.found_as: tuple[str, ...] = ()
        # A topic term: the ids of the topics it stands for.
        self.topics: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"QueryPart({self.written()!r}, {self.kind}, keys={self.keys!r})"

    def written(self) -> str:
        """The part in the query language: word, "phrase", prefix*, "phrase prefix"*."""
        return term_text(("term", WORD if self.kind in (NAME, TOPIC) else self.kind, self.text))


class NameLookup:
    """Where search finds the entities a query names (the command builds it from the corpus):
    the name keys holding a word, and the entities bearing a key."""

    __slots__ = ("keys_with_word", "named")

    def __init__(
        self, keys_with_word: Callable[[str], Sequence[str]], named: Callable[[str], Sequence[NamedEntity]]
    ) -> None:
        self.keys_with_word = keys_with_word
        self.named = named


class Reader:
    """Reads a query's tree into parts with index keys: a word the report never uses is
    corrected (said), words the report writes joined or apart are spaced as it does, a
    name stands for its entities, and a common word beside others only ranks."""

    def __init__(
        self,
        index: SearchIndex,
        exact: bool,
        respell: Callable[[str], str | None] | None,
        names: NameLookup | None,
        topics: Callable[[], TopicTerms] | None = None,
        together: Callable[[str], bool] | None = None,
    ) -> None:
        self.index = index
        self.exact = exact
        self.respell = respell
        self.names = names if not exact else None
        # Topic terms bridge the report's vocabulary, unless --exact: then every word is as typed.
        # Asked for (and worked out) only when a word of the query is one the report never uses,
        # or words stand side by side that may be a term of several (``together``).
        self.topics = topics if not exact else None
        # Whether words (folded, space-separated) match a passage together, as a query of them
        # would: a topic's term of several words the report uses, but in no passage together
        # ("arbitrary detention"), is bridged as a word it never uses is, since as words it could
        # find nothing (``search`` gives it; None: not asked).
        self.together = together
        self.parts: list[QueryPart] = []
        # Part position -> the entities a name part names.
        self.named: dict[int, Sequence[NamedEntity]] = {}
        # Each distinct word is corrected once: a 100 KB query of one repeated typo took
        # seconds when every occurrence re-ran correct().
        self.fixes: dict[str, str | None] = {}

    def read(self, node: Node, excluded: bool = False) -> Node:
        """``node`` with a ("part", position) leaf for each of its terms."""
        kind = node[0]
        if kind == "any":
            return ("any", tuple(self.read(item, excluded) for item in node[1]))
        if kind == "but":
            return ("but", self.read(node[1], excluded), self.read(node[2], True))
        if kind == "minus":
            return ("minus", self.read(node[1], True))
        items = self._items(node[1] if kind == "all" else (node,), excluded)
        return items[0] if len(items) == 1 else ("all", tuple(items))

    def _items(self, items: Sequence[Node], excluded: bool) -> list[Node]:
        """The items of a group, words standing side by side read together."""
        read: list[Node] = []
        run: list[str] = []
        for item in items:
            if item[0] == "term" and item[1] == WORD:
                run.append(item[2])
                continue
            read += self._words(run, excluded)
            run = []
            bridged = self._bridged_phrase(item[2], excluded) if item[0] == "term" and item[1] == PHRASE else None
            if bridged is not None:
                read.append(bridged)
            elif item[0] == "term":
                read.append(self._add(self._keyed(item[2], item[1], excluded)))
            else:
                read.append(self.read(item, excluded))
        read += self._words(run, excluded)
        self._mark_optional(read)
        return read

    def _add(self, part: QueryPart, named: Sequence[NamedEntity] = ()) -> Node:
        self.parts.append(part)
        if named:
            self.named[len(self.parts) - 1] = named
        return ("part", len(self.parts) - 1)

    def _words(self, run: list[str], excluded: bool) -> list[Node]:
        if not run:
            return []
        folded = [w for t in run for w in words(t)]
        several = self.together is not None and len(folded) > 1  # a term of several words may be one
        if self.topics is not None and (several or not all(self.uses(stem(w)) for w in folded)):
            return self._bridged(run, excluded, self.topics())
        return self._plain_words(run, excluded)

    def _bridged(self, run: list[str], excluded: bool, terms: TopicTerms) -> list[Node]:
        """Words side by side, a topic's term the report never uses made one part standing for its topics."""
        from kzcli.topics import Bridge, bridges

        read: list[Node] = []
        pending: list[str] = []
        for item in bridges(self.says, run, terms, self._begins_name):
            if isinstance(item, Bridge):
                read += [*self._plain_words(pending, excluded), self._topic_part(item, excluded, terms)]
                pending = []
            else:
                pending.append(item)
        return read + self._plain_words(pending, excluded)

    def _bridged_phrase(self, text: str, excluded: bool) -> Node | None:
        """A quoted phrase that is, word for word, a topic's term the report never uses, as its topic's part."""
        from kzcli.topics import Bridge, bridges

        typed = words(text)
        if self.topics is None or self.says(typed):
            return None
        terms = self.topics()
        found = bridges(self.says, typed, terms, self._begins_name)
        if len(found) == 1 and isinstance(found[0], Bridge):
            return self._topic_part(found[0], excluded, terms)
        return None

    def uses(self, key: str) -> bool:
        """Whether the report uses a word (its stem): in a passage's text or a section's title.
        A word of a title is searched as itself (its section's passages match, and that is said),
        never bridged to a topic: only a word the report never uses is."""
        return key in self.index.stem_postings or key in self.index.title_postings

    def says(self, typed: Sequence[str]) -> bool:
        """Whether the report says a topic's term (its words as typed): uses each of its words,
        and, for several, has a passage they match together (``together``)."""
        folded = [w for t in typed for w in words(t)]
        if not all(self.uses(stem(w)) for w in folded):
            return False
        return len(folded) < 2 or self.together is None or self.together(" ".join(folded))

    def _begins_name(self, text: str) -> bool:
        """Whether folded words begin an entity's name: then they are the names', not a topic's
        ("islamic state"; not "domestic abuse", though "domestic" is a word of a law's name)."""
        if self.names is None:
            return False
        return any(f"{key} ".startswith(f"{text} ") for key in self.names.keys_with_word(text.split(" ", 1)[0]))

    def _topic_part(self, bridge: Bridge, excluded: bool, topics: TopicTerms) -> Node:
        """A part matching the passages tagged with the topics, ranked and lit by the report's own words for them."""
        surfaces = tuple(w for typed in bridge.typed for w in words(typed))
        text = " ".join(bridge.typed)
        part = QueryPart(
            text, tuple(stem(w) for w in surfaces), False, surfaces=surfaces, kind=TOPIC, excluded=excluded
        )
        part.topics = bridge.topics
        named = [(i, topics.own_words(i), topics.topics[i].paragraphs) for i in bridge.topics]
        return self._add(part, named)

    def _plain_words(self, run: list[str], excluded: bool) -> list[Node]:
        if not run:
            return []
        spaced = [(word, WORD, "") for word in run] if self.exact else _spaced_like_the_report(self.index, run)
        parts = [self._keyed(text, kind, excluded, split_as) for text, kind, split_as in spaced]
        if self.names is None:
            return [self._add(part) for part in parts]
        return [self._add(part, named) for part, named in _names_in(parts, self.names)]

    def _mark_optional(self, items: list[Node]) -> None:
        """Common words rank passages but never select one, unless nothing else was asked
        (not with --exact: every word typed counts, as in FTS5)."""
        positive = [item for item in items if item[0] != "minus"]
        common = [item for item in positive if item[0] == "part" and self._is_common(self.parts[item[1]])]
        if self.exact or len(common) == len(positive):
            return
        for _, position in common:
            self.parts[position].optional = True

    @staticmethod
    def _is_common(part: QueryPart) -> bool:
        return part.kind == WORD and len(part.surfaces) == 1 and part.surfaces[0] in STOPWORDS

    def _keyed(self, text: str, kind: str, excluded: bool, split_as: str = "") -> QueryPart:
        """A term with its index keys; its words corrected unless ``exact`` (a prefix never is)."""
        if kind == PREFIX:
            prefix = normalise_word(text)
            return QueryPart(text, (prefix,), False, surfaces=(prefix,), kind=PREFIX, excluded=excluded)
        whole_words = [t for t in tokens(text, stemmed=False) if not t.part]  # text.words, with offsets
        surfaces = [t.surface for t in whole_words]
        typed = surfaces[:-1] if kind == PHRASE_PREFIX else surfaces
        keys = [word if self.exact else stem(word) for word in typed]
        corrected: list[str] = [split_as] if split_as else []
        corrected_to: list[str] = [text] if split_as else []
        if not self.exact:
            postings = self.index.stem_postings
            # The corrections made, applied to the text once, after the loop: a phrase of
            # 8,000 typos searched its whole text, and its list of corrections, for each (22.8 s).
            applied: dict[str, str] = {}
            for at, word in enumerate(typed):
                if keys[at] in postings:
                    continue
                if word not in self.fixes:
                    self.fixes[word] = self._fix(word)
                replacement = self.fixes[word]
                if replacement is None:
                    continue
                keys[at] = stem(replacement)
                surfaces[at] = replacement
                if word not in applied:
                    applied[word] = replacement
                    # As written, for saying what was corrected ("alma-ata", not "almaata").
                    corrected.append(text[whole_words[at].start : whole_words[at].end])
                    corrected_to.append(replacement)
            if applied:
                replaced = _replace_words(text, applied)
                # A one-word part whose typed form differs from its surface ("co-opration").
                text = replaced if replaced != text or len(surfaces) > 1 else next(iter(applied.values()))
        if kind == PHRASE_PREFIX:
            keys.append(surfaces[-1])
        is_phrase = kind in (PHRASE, PHRASE_PREFIX)
        return QueryPart(
            text, tuple(keys), is_phrase, tuple(corrected), tuple(surfaces), tuple(corrected_to), kind, excluded
        )

    def _fix(self, word: str) -> str | None:
        """A word the report never uses: another spelling of a name ("semyonova" -> "semenova"),
        else a typo one edit from a word of the report, else None."""
        respelt = self.respell(word) if self.respell else None
        if respelt is not None and stem(respelt) in self.index.stem_postings:
            return respelt
        return correct(self.index, word)


def _names_in(parts: list[QueryPart], names: NameLookup) -> list[tuple[QueryPart, Sequence[NamedEntity]]]:
    """Words side by side that are an entity's name or alias, as whole words (longest first):
    one part standing for the entities bearing it, under any of their names."""
    found: list[tuple[QueryPart, Sequence[NamedEntity]]] = []
    at = 0
    while at < len(parts):
        end, named = _longest_name(parts, at, names)
        if not named:
            found.append((parts[at], ()))
            at += 1
            continue
        group = parts[at:end]
        part = QueryPart(
            " ".join(p.text for p in group),
            tuple(k for p in group for k in p.keys),
            False,
            tuple(w for p in group for w in p.corrected_from),
            tuple(w for p in group for w in p.surfaces),
            tuple(w for p in group for w in p.corrected_to),
            NAME,
            group[0].excluded,
            entities=tuple(entity[0] for entity in named),
        )
        found.append((part, named))
        at = end
    return found


def _longest_name(parts: list[QueryPart], at: int, names: NameLookup) -> tuple[int, Sequence[NamedEntity]]:
    """(end, entities) of the longest name starting at part ``at``; (at, ()) when none does."""
    if not parts[at].surfaces:
        return at, ()
    best: tuple[int, str] = (at, "")
    for key in names.keys_with_word(parts[at].surfaces[0]):
        wanted = key.split()
        held: list[str] = []
        end = at
        while len(held) < len(wanted) and end < len(parts):
            held += parts[end].surfaces
            end += 1
        if held == wanted and end > best[0]:
            best = (end, key)
    return (best[0], names.named(best[1])) if best[1] else (at, ())


def _spaced_like_the_report(index: SearchIndex, typed: list[str]) -> list[tuple[str, str, str]]:
    """Query words, with two typed words the report never uses but writes as one joined
    ("adil soz" -> "adilsoz"), and a hyphenated word it writes as two split ("nur-otan" ->
    the phrase "nur otan"): (text, kind, what was typed for a joined word, else "")."""
    joined: list[tuple[str, str, str]] = []
    for text in typed:
        pieces = words(text.replace("-", " ")) if "-" in text else []
        # Only a hyphenated word the report never writes ("15-day" it does write).
        written_apart = len(pieces) > 1 and all(stem(w) not in index.stem_postings for w in words(text))
        if written_apart and all(stem(piece) in index.stem_postings for piece in pieces):
            # "Nur-Otan", which the report writes "Nur Otan": the words as a phrase.
            joined.append((" ".join(pieces), PHRASE, ""))
            continue
        if joined and joined[-1][1] == WORD and not joined[-1][2]:
            before = joined[-1][0]
            pair = words(before) + words(text)
            missing = len(pair) == 2 and all(stem(w) not in index.stem_postings for w in pair)
            if missing and stem(pair[0] + pair[1]) in index.stem_postings:
                joined[-1] = (pair[0] + pair[1], WORD, f"{before} {text}")
                continue
        joined.append((text, WORD, ""))
    return joined


def _replace_words(text: str, replacements: dict[str, str]) -> str:
    """``text`` with each whole word that ``replacements`` names replaced ("activis" inside
    "activist" stays), in one pass however many there are. The words are runs of word
    characters (``text.words``), so each is a maximal run of word characters of the text."""
    return re.sub(r"\w+", lambda match: replacements.get(match.group(), match.group()), text)


def correct(index: SearchIndex, word: str) -> str | None:
    """The corpus word one edit away from a misspelt ``word``, or None.

    Only one edit (insertion, deletion, substitution or transposition) and
    only for words of five letters or more: a real word the report does not
    use ("rape", "murder", "elections") must find nothing, not a look-alike
    ("rare", "murager", "relations"). Ties go to the word the report uses most.
    """
    if len(word) < TYPO_MIN_LENGTH or not word.isalpha():
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    by_length = _vocabulary(index)
    near: list[tuple[int, str]] = []
    for length in (len(word) - 1, len(word), len(word) + 1):
        order, candidates = by_length.get(length, ([], []))
        # Compared in C (rapidfuzz), not one Python call per word of the report.
        found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=1, limit=None)
        near += [(order[at], candidate) for candidate, _, at in found]
    best: tuple[int, str] | None = None
    for _, candidate in sorted(near):  # in the vocabulary's order: ties go to the first, as always
        # Postings read for the near words only: an index file reads them on demand.
        uses = sum(len(p) for p in index.surface_postings[candidate].values())
        if best is None or uses > best[0]:
            best = (uses, candidate)
    return None if best is None else best[1]


# The vocabulary typo correction walks, by length, for the last index it walked: worked
# out once a run (an index file read it again for every typo), not once a word.
_VOCABULARY: list[tuple[object, dict[int, tuple[list[int], list[str]]]]] = []


def _vocabulary(index: SearchIndex) -> dict[int, tuple[list[int], list[str]]]:
    """Words of letters only, by length: (their places in the vocabulary's order, the words)."""
    if not _VOCABULARY or _VOCABULARY[0][0] is not index.surface_postings:
        by_length: dict[int, tuple[list[int], list[str]]] = {}
        for place, candidate in enumerate(index.surface_postings):
            if candidate.isalpha():
                order, words_of_length = by_length.setdefault(len(candidate), ([], []))
                order.append(place)
                words_of_length.append(candidate)
        _VOCABULARY[:] = [(index.surface_postings, by_length)]
    return _VOCABULARY[0][1]
