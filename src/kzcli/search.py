"""Paragraph search: an inverted index, the passages a query matches, and one score to rank them.

What a query means is ``kzcli.query``'s (words, "phrases", OR, AND, NOT,
-word, prefix*, groups); ``kzcli.understanding`` finds its terms' index keys
(stems, folded words, corrections, the names of entities); this module finds
where each term stands and which passages the whole query matches.

A passage matches a term through its text or its section's title (under
``--exact``, its text alone), or, for a name, wherever the corpus records a
mention of the entity. Its score is one number, and passages are shown in
its order (ties in the report's order):
1. BM25F over two fields of each paragraph: its words, and its section's
   title (a field of every paragraph of the section, weighed ``TITLE_WEIGHT``
   times a word of the text), so ``freedom of assembly`` puts the Freedom of
   Assembly section first and ``arrest --section arrest`` finds its section;
   rare terms weigh more than common ones (the inverse document frequency);
2. a passage holding the very form typed ("protesters") earns a small bonus
   over its siblings ("protest");
3. terms standing close together, in the text or in the title, earn a bonus.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kzcli.corpus import Section
from kzcli.named import NamedTuple
from kzcli.query import PHRASE, PHRASE_PREFIX, PREFIX, WORD, Node, parse, render
from kzcli.text import Token, sentences, stemmer_version, terms, tokens
from kzcli.understanding import NAME, TOPIC, NamedEntity, NameLookup, QueryPart, Reader

if TYPE_CHECKING:
    from kzcli.topics import TopicTerms

BM25_K1 = 1.2
BM25_B = 0.75
# A section title's words count this many times a word of a paragraph's text (BM25F's field weight).
TITLE_WEIGHT = 3.0
PROXIMITY_BONUS = 1.0
# A passage holding the very form typed ("protesters", not only "protest") earns this many idfs more.
EXACT_FORM_BONUS = 0.5


class Paragraph(NamedTuple):
    section: str
    section_title: str
    number: int
    text: str
    length: int  # tokens, compound parts included (BM25's document length)


class SearchIndex(NamedTuple):
    """The inverted index of the paragraphs: built in memory (``build_index``), kept in the
    wheel's snapshot (``kzcli.memory``), or read from an index file on demand (``kzcli.store``)."""

    paragraphs: Sequence[Paragraph]
    stem_postings: Mapping[str, Mapping[int, list[int]]]
    surface_postings: Mapping[str, Mapping[int, list[int]]]
    title_terms: Mapping[str, set[str]]  # section id -> the stems and words of its title
    average_length: float
    title_postings: Mapping[str, Sequence[str]]  # a stem or word -> the sections whose title holds it
    section_docs: Mapping[str, Sequence[int]]  # section id -> its paragraphs' numbers in the index
    stemmer: str  # text.stemmer_version() of the stems: another stemmer's index is rebuilt


def section_tables(
    paragraphs: Sequence[Paragraph], title_terms: Mapping[str, set[str]]
) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    """title_postings and section_docs, from the paragraphs and the title terms."""
    title_postings: dict[str, list[str]] = {}
    for section_id, title in title_terms.items():
        for term in sorted(title):
            title_postings.setdefault(term, []).append(section_id)
    section_docs: dict[str, list[int]] = {}
    for doc, paragraph in enumerate(paragraphs):
        section_docs.setdefault(paragraph.section, []).append(doc)
    return title_postings, section_docs


def build_index(sections: Sequence[Section]) -> SearchIndex:
    """Index every paragraph by stem and by folded surface word."""
    paragraphs: list[Paragraph] = []
    stems: dict[str, dict[int, list[int]]] = {}
    surfaces: dict[str, dict[int, list[int]]] = {}
    titles: dict[str, set[str]] = {}
    for section in sections:
        title_tokens = tokens(section.title)
        titles[section.id] = {t.term for t in title_tokens} | {t.surface for t in title_tokens}
        for number, text in enumerate(section.paragraphs, 1):
            doc = len(paragraphs)
            # Terms and positions only: character offsets are worked out for the hits alone.
            paragraph_terms = terms(text)
            paragraphs.append(Paragraph(section.id, section.title, number, text, len(paragraph_terms)))
            for term, surface, position in paragraph_terms:
                stems.setdefault(term, {}).setdefault(doc, []).append(position)
                surfaces.setdefault(surface, {}).setdefault(doc, []).append(position)
    total = sum(p.length for p in paragraphs)
    average = total / len(paragraphs) if paragraphs else 1.0
    return SearchIndex(
        paragraphs, stems, surfaces, titles, average, *section_tables(paragraphs, titles), stemmer_version()
    )


def prefix_range(prefix: str) -> tuple[str, ...]:
    """Where the strings beginning with ``prefix`` lie in key order: from ``prefix`` up to (not
    including) its last character one higher, if any character is higher (SQLite orders text as
    UTF-8 bytes, so by code point too)."""
    head = prefix
    while head:
        following = ord(head[-1]) + 1
        if following == 0xD800:
            following = 0xE000  # past the surrogates, which are no characters
        if following <= 0x10FFFF:
            return prefix, head[:-1] + chr(following)
        head = head[:-1]
    return (prefix,)


def keys_with_prefix(table: Mapping[str, Any], prefix: str) -> list[str]:
    """The keys of a postings table that begin with ``prefix``, in order: an index file
    looks them up (``with_prefix``), a table in memory is scanned."""
    lookup = getattr(table, "with_prefix", None)
    found = lookup(prefix) if lookup is not None else (key for key in table if key.startswith(prefix))
    return sorted(found)


class Hit(NamedTuple):
    section: str
    section_title: str
    paragraph: int
    text: str
    score: float
    matched: int
    spans: tuple[tuple[int, int], ...]
    snippet: str
    snippet_spans: tuple[tuple[int, int], ...]


class SearchResult:
    """What a search found; filled in by ``search``.

    A plain class, as are the other result types on the query path: each
    dataclass costs ~0.3 ms to create at import, on every run of kz.
    """

    __slots__ = ("hits", "left_out", "parts", "title_only", "total", "tree", "unmatched", "unnamed")

    def __init__(self, parts: list[QueryPart], tree: Node) -> None:
        # The query as understood: its terms after any correction, and how they combine.
        self.parts = parts
        self.tree = tree
        self.hits: list[Hit] = []
        # Every match, shown or not (``hits`` may stop at the search's limit).
        self.total = 0
        # Query parts found nowhere in the report (after any correction).
        self.unmatched: list[str] = []
        # Query parts found only in section titles: those sections' passages match.
        self.title_only: list[str] = []
        # Bare tokens of the query that hold no word ("-", "&"): left out, and said.
        self.left_out: list[str] = []
        # Entity id -> the passages matched (shown or not), in reading order, that the corpus
        # records as naming it though none of its names is written there ("the president").
        self.unnamed: dict[str, list[tuple[str, int]]] = {}

    def __repr__(self) -> str:
        return f"SearchResult({self.expression!r}, {len(self.hits)} hits of {self.total})"

    @property
    def expression(self) -> str:
        """The query as understood, in the query language: ``torture -prison`` is "torture -prison"."""
        return render(self.tree, lambda leaf: self.parts[leaf[1]].written())

    @property
    def corrections(self) -> list[tuple[str, str]]:
        """(typed, searched) pairs for every word corrected against the vocabulary, word by word:
        "domestic" for "domestc", not the whole phrase for one word."""
        pairs = [pair for part in self.parts for pair in zip(part.corrected_from, part.corrected_to, strict=True)]
        return list(dict.fromkeys(pairs))


# A passage's occurrence of a part: first and last token positions, and the keys that matched there.
Run = tuple[int, int, tuple[str, ...]]


# --- what each part matches --------------------------------------------------------


class _Found:
    """Where a part matches: its occurrences in the text, the passages matched through their
    section's title, every passage it matches (those, and a name's mentions), the names
    (folded) under which the text holds a name's entities, and for each entity the passages
    that mention it without any of its names written."""

    __slots__ = ("docs", "names", "runs", "titled", "unwritten")

    def __init__(
        self,
        runs: dict[int, list[Run]],
        titled: set[int],
        docs: set[int],
        names: tuple[str, ...],
        unwritten: dict[str, set[int]] | None = None,
    ) -> None:
        self.runs = runs
        self.titled = titled
        self.docs = docs
        self.names = names
        self.unwritten = unwritten or {}


def _found(index: SearchIndex, part: QueryPart, exact: bool, named: Sequence[NamedEntity]) -> _Found:
    runs = _runs(index, part.keys, part.kind, exact)
    mentioned: set[int] = set()
    names_found: dict[str, None] = {}
    unwritten: dict[str, set[int]] = {}
    for entity_id, keys, places in named:
        # Every name of the entity, as written (surface words), and where the corpus says it is named.
        written: set[int] = set()
        for key in keys:
            for doc, found in _runs(index, tuple(key.split()), PHRASE, True).items():
                runs[doc] = sorted(set(runs.get(doc, [])) | set(found))
                names_found[key] = None
                written.add(doc)
        places_named = _place_docs(index, places)
        mentioned.update(places_named)
        unwritten[entity_id] = places_named - written
    if part.kind == TOPIC:
        # A topic's passages are those tagged with it: its words in the text or a section's title rank
        # and light them, no more.
        titled = {doc for _, keys, _ in named for key in keys for doc in _titled_by(index, key.split())}
        in_text = {doc: at for doc, at in runs.items() if doc in mentioned}
        return _Found(in_text, titled & mentioned, mentioned, tuple(names_found))
    # The title is a field of each paragraph, except under --exact, which reads the text as typed.
    titled = set() if exact else _title_docs(index, part)
    return _Found(runs, titled, set(runs) | titled | mentioned, tuple(names_found), unwritten)


def _titled_by(index: SearchIndex, key: list[str]) -> set[int]:
    """The paragraphs of the sections whose title holds every word of ``key``."""
    held = set.intersection(*(set(index.title_postings.get(word, ())) for word in key)) if key else set()
    return {doc for section in sorted(held) for doc in index.section_docs[section]}


def _place_docs(index: SearchIndex, places: Sequence[tuple[str, int]]) -> set[int]:
    docs: set[int] = set()
    for section, number in places:
        in_section = index.section_docs.get(section, ())
        if 0 < number <= len(in_section):
            docs.add(in_section[number - 1])
    return docs


def _slot(index: SearchIndex, key: str, prefix: bool, exact: bool) -> tuple[Mapping[int, Sequence[int]], list[str]]:
    """The postings of one word of a part, and the words a prefix stands for."""
    if not prefix:
        postings = index.surface_postings if exact else index.stem_postings
        return postings.get(key) or {}, []
    expanded = keys_with_prefix(index.surface_postings, key)
    merged: dict[int, set[int]] = {}
    for word in expanded:
        for doc, places in index.surface_postings[word].items():
            merged.setdefault(doc, set()).update(places)
    return {doc: sorted(places) for doc, places in merged.items()}, expanded


def _runs(index: SearchIndex, keys: tuple[str, ...], kind: str, exact: bool) -> dict[int, list[Run]]:
    """For each paragraph holding a part: each occurrence's first and last token positions."""
    slots: list[Mapping[int, Sequence[int]]] = []
    run_keys = list(keys)
    for at, key in enumerate(keys):
        slot, expanded = _slot(index, key, kind in (PREFIX, PHRASE_PREFIX) and at == len(keys) - 1, exact)
        if not slot:
            return {}
        slots.append(slot)
        run_keys += expanded
    matched = tuple(run_keys)
    found: dict[int, list[Run]] = {}
    for doc, places in slots[0].items():
        others = [set(slot.get(doc, ())) for slot in slots[1:]]
        if not all(others):
            continue
        runs = [
            (p, p + len(others), matched)
            for p in places
            if all(p + i + 1 in positions for i, positions in enumerate(others))
        ]
        if runs:
            found[doc] = runs
    return found


def _title_docs(index: SearchIndex, part: QueryPart) -> set[int]:
    """The paragraphs of the sections whose title holds every word of a part ("asylum",
    "asylum seekers": the Asylum Seekers and Refugees section)."""
    titled: set[str] | None = None
    for at, key in enumerate(part.keys):
        if part.kind in (PREFIX, PHRASE_PREFIX) and at == len(part.keys) - 1:
            holders = {s for word in keys_with_prefix(index.title_postings, key) for s in index.title_postings[word]}
        else:
            holders = set(index.title_postings.get(key, ()))
        titled = holders if titled is None else titled & holders
    return {doc for section in sorted(titled or ()) for doc in index.section_docs[section]}


def _select(node: Node, parts: list[QueryPart], found: list[_Found]) -> set[int]:
    """The paragraphs a query's tree matches."""
    kind = node[0]
    if kind == "part":
        return found[node[1]].docs
    if kind == "any":
        return set().union(*(_select(item, parts, found) for item in node[1]))
    if kind == "but":
        return _select(node[1], parts, found) - _select(node[2], parts, found)
    if kind == "minus":  # a group of excluded items alone is refused by the parser
        return set()
    items = node[1]
    wanted = [i for i in items if i[0] != "minus" and not (i[0] == "part" and parts[i[1]].optional)]
    selected = set.intersection(*(_select(item, parts, found) for item in wanted))
    for item in items:
        if item[0] == "minus":
            selected -= _select(item[1], parts, found)
    return selected


# --- answering ------------------------------------------------------------------


def search(
    index: SearchIndex,
    query: str,
    exact: bool = False,
    sections: set[str] | None = None,
    limit: int | None = None,
    respell: Callable[[str], str | None] | None = None,
    names: NameLookup | None = None,
    topics: Callable[[], TopicTerms] | None = None,
    places: set[tuple[str, int]] | None = None,
) -> SearchResult:
    """The paragraphs ``query`` matches, best first; see the module docstring for the score.

    All matches are counted (``total``); match spans and snippets are worked
    out only for the first ``limit`` (all when None), the ones that are shown. ``topics`` gives
    the topic terms that bridge words the report never uses (asked only when a word is one);
    ``places`` keeps to these paragraphs (``--topic``).
    """

    # A topic's term of several words, all the report's, matches as words only where they stand
    # together: asked with the same search, without topics (``Reader.together``).
    def together(text: str) -> bool:
        return _search(index, text, exact, None, 0, respell, names, None, None).total > 0

    return _search(index, query, exact, sections, limit, respell, names, topics, places, together)


def _search(
    index: SearchIndex,
    query: str,
    exact: bool,
    sections: set[str] | None,
    limit: int | None,
    respell: Callable[[str], str | None] | None,
    names: NameLookup | None,
    topics: Callable[[], TopicTerms] | None,
    places: set[tuple[str, int]] | None,
    together: Callable[[str], bool] | None = None,
) -> SearchResult:
    reader = Reader(index, exact, respell, names, topics, together)
    left_out: list[str] = []
    tree = reader.read(parse(query, left_out))
    parts = reader.parts
    result = SearchResult(parts, tree)
    result.left_out = list(dict.fromkeys(left_out))
    # A term typed twice is looked up once (a 100 KB query of one word took seconds otherwise).
    looked_up: dict[tuple[object, ...], _Found] = {}
    found = []
    for at, part in enumerate(parts):
        named = reader.named.get(at, ())
        key = (part.kind, part.keys, tuple(entity[0] for entity in named))
        if key not in looked_up:
            looked_up[key] = _found(index, part, exact, named)
        found.append(looked_up[key])
        part.found_as = looked_up[key].names
    result.unmatched = list(dict.fromkeys(part.text for part, f in zip(parts, found, strict=True) if not f.docs))
    result.title_only = list(
        dict.fromkeys(
            part.text
            for part, f in zip(parts, found, strict=True)
            if not part.excluded and part.kind != TOPIC and f.titled and f.docs == f.titled
        )
    )
    selected = _select(tree, parts, found)
    if sections is not None:
        selected = {doc for doc in selected if index.paragraphs[doc].section in sections}
    if places is not None:
        selected = {doc for doc in selected if (index.paragraphs[doc].section, index.paragraphs[doc].number) in places}
    scorer = _Scorer(index, parts, found, exact)
    ranked = []
    for doc in selected:
        score, matched, occurrences = scorer.score(doc)
        ranked.append((round(score, 3), doc, matched, occurrences))
    # The order shown is the order of the score shown; equal scores in the report's order.
    ranked.sort(key=lambda item: (-item[0], item[1]))
    result.total = len(ranked)
    for part, part_found in zip(parts, found, strict=True):
        if part.kind != NAME:
            continue
        for entity_id, docs in part_found.unwritten.items():
            # None for an excluded part: its passages are left out.
            unnamed = [(index.paragraphs[doc].section, index.paragraphs[doc].number) for doc in sorted(docs & selected)]
            if unnamed:
                result.unnamed[entity_id] = unnamed
    shown = ranked if limit is None else ranked[:limit]
    result.hits = [_hit(index.paragraphs[doc], matched, score, runs) for score, doc, matched, runs in shown]
    return result


class _Scorer:
    """Scores passages for the parts of one query (see the module docstring)."""

    def __init__(self, index: SearchIndex, parts: list[QueryPart], found: list[_Found], exact: bool) -> None:
        self.index = index
        self.exact = exact
        count = len(index.paragraphs)
        # Inverse document frequency: a part most passages match says little about any of them.
        weights = [math.log(1 + (count - len(f.docs) + 0.5) / (len(f.docs) + 0.5)) for f in found]
        # The parts that rank, each distinct one once with how often it was typed: a 100 KB
        # query of one word is weighed as one word, not 50,000 times over.
        self.terms: list[tuple[QueryPart, _Found, float, int]] = []
        seen: dict[tuple[int, tuple[str, ...], bool], int] = {}
        for part, where, weight in zip(parts, found, weights, strict=True):
            key = (id(where), part.surfaces, part.optional)
            if part.excluded:
                continue
            if key in seen:
                typed = self.terms[seen[key]]
                self.terms[seen[key]] = (*typed[:3], typed[3] + 1)
            else:
                seen[key] = len(self.terms)
                self.terms.append((part, where, weight, 1))
        self._titles: dict[str, list[Token]] = {}

    def score(self, doc: int) -> tuple[float, int, list[Run]]:
        """A passage's score, how many parts it matches, and its occurrences of them.

        BM25F: a part's occurrences in the text (normalised by the paragraph's length)
        and in its section's title (TITLE_WEIGHT each) add up before saturating.
        """
        paragraph = self.index.paragraphs[doc]
        norm = 1 - BM25_B + BM25_B * (paragraph.length or 1) / self.index.average_length
        score = 0.0
        matched = 0
        occurrences: list[Run] = []
        firsts: list[list[int]] = []
        titled: list[QueryPart] = []
        distinct: list[_Found] = []
        for part, where, weight, typed in self.terms:
            if doc not in where.docs:
                continue
            runs = where.runs.get(doc, [])
            # A name's mention the index cannot place (named in words it does not hold) counts once.
            in_text = len(runs) or float(doc not in where.titled)
            frequency = in_text / norm + TITLE_WEIGHT * (doc in where.titled)
            bonus = EXACT_FORM_BONUS * weight if self._holds_as_typed(part, doc) else 0.0
            score += typed * (weight * frequency * (BM25_K1 + 1) / (frequency + BM25_K1) + bonus)
            matched += typed * (not part.optional)
            if where in distinct:  # the same term in another form: highlighted and placed once
                continue
            distinct.append(where)
            occurrences += runs
            if runs and not part.optional:
                firsts.append([first for first, _, _ in runs])
            if doc in where.titled and not part.optional:
                titled.append(part)
        return score + self._closeness(firsts, paragraph.section_title, titled), matched, occurrences

    def _holds_as_typed(self, part: QueryPart, doc: int) -> bool:
        """Whether a passage holds the very form typed ("protesters"): a small bonus over a sibling ("protest")."""
        if self.exact or part.kind not in (WORD, NAME) or len(part.surfaces) != 1:
            return False
        return doc in self.index.surface_postings.get(part.surfaces[0], {})

    def _closeness(self, firsts: list[list[int]], title: str, titled: list[QueryPart]) -> float:
        """Words close together in the text, or in the title (a field too), earn a bonus:
        adjacent ones (a window of 1) the full bonus, fading as they drift apart."""
        bonus = PROXIMITY_BONUS * len(firsts) / max(_smallest_window(firsts), 1) if len(firsts) > 1 else 0.0
        if len(titled) > 1:
            if title not in self._titles:
                self._titles[title] = tokens(title)
            places = [[t.position for t in self._titles[title] if _holds(t, part)] for part in titled]
            if all(places):
                bonus = max(bonus, PROXIMITY_BONUS * len(places) / max(_smallest_window(places), 1))
        return bonus


def _holds(token: Token, part: QueryPart) -> bool:
    """Whether a token of a title is (one of the words of) a part."""
    if part.kind in (PREFIX, PHRASE_PREFIX) and token.surface.startswith(part.keys[-1]):
        return True
    return token.term in part.keys or token.surface in part.keys


def _hit(paragraph: Paragraph, matched: int, score: float, runs: list[Run]) -> Hit:
    spans = _char_spans(paragraph, runs)
    snippet, snippet_spans = make_snippet(paragraph.text, spans)
    return Hit(
        paragraph.section,
        paragraph.section_title,
        paragraph.number,
        paragraph.text,
        score,
        matched,
        spans,
        snippet,
        snippet_spans,
    )


def _smallest_window(position_lists: list[list[int]]) -> int:
    """Fewest tokens spanning one occurrence of every part (a sweep over merged lists)."""
    merged = sorted((pos, which) for which, places in enumerate(position_lists) for pos in places)
    need = len(position_lists)
    counts: dict[int, int] = {}
    best = merged[-1][0] - merged[0][0] if merged else 0
    left = 0
    for pos, which in merged:
        counts[which] = counts.get(which, 0) + 1
        while len(counts) == need:
            left_pos, left_which = merged[left]
            best = min(best, pos - left_pos)
            counts[left_which] -= 1
            if not counts[left_which]:
                del counts[left_which]
            left += 1
    return best


def _char_spans(paragraph: Paragraph, runs: list[Run]) -> tuple[tuple[int, int], ...]:
    """Character spans of the tokens that matched, merged where they touch.

    A compound and its parts share a token position ("Co-operation", "Co",
    "operation"), so the span is taken from the token whose key matched.
    """
    at: dict[int, list[Token]] = {}
    for token in tokens(paragraph.text):
        at.setdefault(token.position, []).append(token)
    spans: list[tuple[int, int]] = []
    for first, last, keys in runs:
        matched = [
            t
            for position in range(first, last + 1)
            for t in at.get(position, ())
            if t.term in keys or t.surface in keys
        ]
        if matched:
            spans.append((min(t.start for t in matched), max(t.end for t in matched)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def make_snippet(text: str, spans: tuple[tuple[int, int], ...]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentence holding the most matches (whole, never cut) and spans within it.

    Sentences come in order, and so do the spans (sorted and apart, as
    ``_char_spans`` gives them): the matches inside each sentence are counted
    by two pointers that only move forward. A 520 KB paragraph of short
    sentences, every one a match, took 38 s when each sentence counted them all.
    """
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    ordered = starts == sorted(starts) and ends == sorted(ends)
    best = (0, len(text))
    best_count = -1
    first = last = 0  # the first span starting in the sentence or after; the first ending after it
    for start, end in sentences(text):
        if ordered:
            while first < len(starts) and starts[first] < start:
                first += 1
            while last < len(ends) and ends[last] <= end:
                last += 1
            inside = max(0, last - first)
        else:
            inside = sum(1 for s, e in spans if s >= start and e <= end)
        if inside > best_count:
            best, best_count = (start, end), inside
    start, end = best
    local = tuple((s - start, e - start) for s, e in spans if s >= start and e <= end)
    return text[start:end], local
