"""Paragraph search: an inverted index, BM25 ranking, phrases and typo correction.

Ranking, in order of weight:
1. passages holding every query word (or phrase) come before partial matches;
2. BM25 over the paragraph's words (frequent and rare words weighed fairly);
3. a boost when the section's title holds the word (``torture`` puts the
   Torture section first); a word no passage holds but a title does selects
   that section's passages, ranked by the title alone (``asylum``);
4. a proximity bonus when the words stand close together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from kzcli.corpus import Section
from kzcli.errors import UsageError
from kzcli.text import (
    STOPWORDS,
    TYPO_MIN_LENGTH,
    WORD_RE,
    Token,
    fold,
    sentences,
    stem,
    stemmer_version,
    terms,
    tokens,
    words,
)

BM25_K1 = 1.2
BM25_B = 0.75
TITLE_BOOST = 1.5
PROXIMITY_BONUS = 1.0
EXACT_FORM_BONUS = 1.0

_QUERY_PART_RE = re.compile(r'"([^"]*)"?|(\S+)')


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


class QueryPart(NamedTuple):
    """One word or one quoted phrase of a query, as understood."""

    text: str
    keys: tuple[str, ...]
    is_phrase: bool
    corrected_from: tuple[str, ...] = ()
    # The folded words searched for, after any correction (the forms typed).
    surfaces: tuple[str, ...] = ()
    # What each word of corrected_from was corrected to, in the same order.
    corrected_to: tuple[str, ...] = ()


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

    __slots__ = ("hits", "parts", "title_only", "total", "unmatched")

    def __init__(self, parts: list[QueryPart]) -> None:
        # The query as understood: words and phrases, after any correction.
        self.parts = parts
        self.hits: list[Hit] = []
        # Every match, shown or not (``hits`` may stop at the search's limit).
        self.total = 0
        # Query parts found nowhere in the report (after any correction).
        self.unmatched: list[str] = []
        # Query parts found only in section titles: those sections' passages match.
        self.title_only: list[str] = []

    def __repr__(self) -> str:
        return f"SearchResult({[p.text for p in self.parts]!r}, {len(self.hits)} hits of {self.total})"

    @property
    def corrections(self) -> list[tuple[str, str]]:
        """(typed, searched) pairs for every word corrected against the vocabulary."""
        pairs: list[tuple[str, str]] = []
        for part in self.parts:
            if part.is_phrase and part.corrected_to:
                # Word by word: "domestic" for "domestc", not the whole phrase for one word.
                pairs += zip(part.corrected_from, part.corrected_to, strict=True)
            elif part.corrected_from:
                pairs.append((" ".join(part.corrected_from), part.text))
        return list(dict.fromkeys(pairs))


def split_query(query: str) -> list[tuple[str, bool]]:
    """Words and ``"quoted phrases"`` of a query, folded (curly quotes too)."""
    parts: list[tuple[str, bool]] = []
    for match in _QUERY_PART_RE.finditer(fold(query)):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if tokens(phrase, stemmed=False):
                parts.append((phrase.strip(), True))
        elif word is not None:
            # Words joined by other marks ("torture/prison", "[red]torture") are separate
            # words, each as typed ("nur-otan/party": "nur-otan" and "party"); "co-operation"
            # and "1,626" are one.
            pieces = WORD_RE.findall(word)
            parts.extend([(word, False)] if len(pieces) == 1 else [(piece, False) for piece in pieces])
    return parts


def parse_query(
    index: SearchIndex, query: str, exact: bool = False, respell: Callable[[str], str | None] | None = None
) -> list[QueryPart]:
    """Turn a raw query into parts with index keys; correct typos unless ``exact``.

    A word the report never uses is first given to ``respell`` (another
    spelling of a name: "semyonova" -> "semenova"), then corrected as a typo.
    """
    raw_parts = split_query(query)
    if not raw_parts:
        raise UsageError("the query has no words to search for; try e.g. `kz search torture`")
    parts = (
        [(text, is_phrase, "") for text, is_phrase in raw_parts] if exact else _spaced_like_the_report(index, raw_parts)
    )
    understood: list[QueryPart] = []
    for text, is_phrase, split_as in parts:
        surfaces = words(text)
        keys = tuple(surfaces if exact else [stem(w) for w in surfaces])
        postings = index.surface_postings if exact else index.stem_postings
        corrected: list[str] = [split_as] if split_as else []
        corrected_to: list[str] = [text] if split_as else []
        if not exact:
            fixed = []
            # Each distinct word is corrected once: a 100 KB query of one repeated
            # typo took seconds when every occurrence re-ran correct() and replace().
            fixes: dict[str, str | None] = {}
            # The corrections made, applied to the words and the text once, after the loop:
            # a phrase of 8,000 typos rebuilt both 8,000 times (22.8 s).
            applied: dict[str, str] = {}
            for word, key in zip(surfaces, keys, strict=True):
                if key in postings:
                    fixed.append(key)
                    continue
                if word not in fixes:
                    respelt = respell(word) if respell else None
                    known = respelt is not None and stem(respelt) in postings
                    fixes[word] = respelt if known else correct(index, word)
                    if fixes[word] is not None:
                        applied[word] = corrected_to_word = str(fixes[word])
                        corrected.append(word)
                        corrected_to.append(corrected_to_word)
                replacement = fixes[word]
                fixed.append(key if replacement is None else stem(replacement))
            if applied:
                surfaces = [applied.get(w, w) for w in surfaces]
                replaced = _replace_words(text, applied)
                # A one-word part whose typed form differs from its surface ("co-opration").
                text = replaced if replaced != text or len(surfaces) > 1 else next(iter(applied.values()))
            keys = tuple(fixed)
        understood.append(QueryPart(text, keys, is_phrase, tuple(corrected), tuple(surfaces), tuple(corrected_to)))
    return understood


def _spaced_like_the_report(index: SearchIndex, parts: list[tuple[str, bool]]) -> list[tuple[str, bool, str]]:
    """Query parts, with two typed words the report never uses but writes as one joined
    ("adil soz" -> "adilsoz"), and a hyphenated word it writes as two split ("nur-otan" ->
    the phrase "nur otan"); the third value is what was typed for a joined word, else ""."""
    joined: list[tuple[str, bool, str]] = []
    for text, is_phrase in parts:
        pieces = words(text.replace("-", " ")) if not is_phrase and "-" in text else []
        # Only a hyphenated word the report never writes ("15-day" it does write).
        written_apart = len(pieces) > 1 and all(stem(w) not in index.stem_postings for w in words(text))
        if written_apart and all(stem(piece) in index.stem_postings for piece in pieces):
            # "Nur-Otan", which the report writes "Nur Otan": the words as a phrase.
            joined.append((" ".join(pieces), True, ""))
            continue
        if joined and not is_phrase and not joined[-1][1] and not joined[-1][2]:
            before = joined[-1][0]
            pair = words(before) + words(text)
            missing = len(pair) == 2 and all(stem(w) not in index.stem_postings for w in pair)
            if missing and stem(pair[0] + pair[1]) in index.stem_postings:
                joined[-1] = (pair[0] + pair[1], False, f"{before} {text}")
                continue
        joined.append((text, is_phrase, ""))
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
        order, candidates = by_length.get(length, ((), []))
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


# The vocabulary typo correction walks, by length, for the last index it walked: read once a
# run (an index file re-read it for every typo), not once a word.
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


def _title_docs(index: SearchIndex, part: QueryPart, only: set[str] | None) -> set[int]:
    """The paragraphs of the sections (of ``only``, if given) whose title holds a part
    ("asylum": the Asylum Seekers and Refugees section)."""
    if not part.keys:
        return set()
    # Every word of a phrase in the same title ("asylum seekers").
    titled = set(index.title_postings.get(part.keys[0], ()))
    for key in part.keys[1:]:
        titled &= set(index.title_postings.get(key, ()))
    return {doc for section in sorted(titled) if only is None or section in only for doc in index.section_docs[section]}


def _positions(index: SearchIndex, part: QueryPart, exact: bool) -> dict[int, list[tuple[int, int]]]:
    """For each paragraph holding ``part``: (first, last) token positions of each occurrence."""
    postings = index.surface_postings if exact else index.stem_postings
    if not all(key in postings for key in part.keys):
        return {}
    first = postings[part.keys[0]]
    if len(part.keys) == 1:
        return {doc: [(p, p) for p in places] for doc, places in first.items()}
    found: dict[int, list[tuple[int, int]]] = {}
    for doc, places in first.items():
        others = [set(postings[key].get(doc, ())) for key in part.keys[1:]]
        if not all(others):
            continue
        runs = [
            (p, p + len(others)) for p in places if all(p + i + 1 in positions for i, positions in enumerate(others))
        ]
        if runs:
            found[doc] = runs
    return found


def search(
    index: SearchIndex,
    query: str,
    exact: bool = False,
    sections: set[str] | None = None,
    limit: int | None = None,
    respell: Callable[[str], str | None] | None = None,
) -> SearchResult:
    """Rank paragraphs for ``query``; see the module docstring for the order.

    All matches are counted (``total``); match spans and snippets are worked
    out only for the first ``limit`` (all when None), the ones that are shown.
    """
    parts = parse_query(index, query, exact, respell)
    result = SearchResult(parts)
    count = len(index.paragraphs)
    per_part = [_positions(index, part, exact) for part in parts]
    content = [not (len(p.keys) == 1 and p.text in STOPWORDS) for p in parts]
    # A word the text never uses may still be a section's title word (not with --exact: text only).
    titled = [
        _title_docs(index, part, sections) if is_content and not found and not exact else set()
        for part, found, is_content in zip(parts, per_part, content, strict=True)
    ]
    # Documents holding each part, in their words or (titled) in their section's title.
    frequency = [len(titled_docs.union(found)) for found, titled_docs in zip(per_part, titled, strict=True)]
    result.unmatched = list(dict.fromkeys(part.text for part, df in zip(parts, frequency, strict=True) if not df))
    result.title_only = list(
        dict.fromkeys(part.text for part, titled_docs in zip(parts, titled, strict=True) if titled_docs)
    )
    candidates: set[int] = set()
    for found, titled_docs, is_content in zip(per_part, titled, content, strict=True):
        # Stopwords rank passages but never select one, unless nothing else was asked.
        if is_content or not any(content):
            candidates.update(found)
            candidates.update(titled_docs)
    ranked: list[tuple[int, float, int, list[tuple[int, int, tuple[str, ...]]]]] = []
    for doc in candidates:
        paragraph = index.paragraphs[doc]
        if sections is not None and paragraph.section not in sections:
            continue
        length = paragraph.length or 1
        score = 0.0
        matched = 0
        occurrences: list[tuple[int, int, tuple[str, ...]]] = []
        firsts: list[list[int]] = []
        for part, found, titled_docs, df, is_content in zip(parts, per_part, titled, frequency, content, strict=True):
            runs = found.get(doc)
            idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
            if not runs:
                if doc in titled_docs:
                    # Only its section's title holds the word: a match, weighed as the title alone.
                    matched += 1
                    score += TITLE_BOOST * idf
                continue
            # "Holds every word" counts the words that select passages, not "of" or "the".
            matched += is_content or not any(content)
            occurrences.extend((first, last, part.keys) for first, last in runs)
            if is_content:
                firsts.append([start for start, _ in runs])
            tf = len(runs)
            norm = BM25_K1 * (1 - BM25_B + BM25_B * length / index.average_length)
            score += idf * tf * (BM25_K1 + 1) / (tf + norm)
            if any(key in index.title_terms[paragraph.section] for key in part.keys):
                score += TITLE_BOOST * idf
            if not exact and len(part.surfaces) == 1 and doc in index.surface_postings.get(part.surfaces[0], {}):
                # The very form typed ("protesters") beats a sibling form ("protest").
                score += EXACT_FORM_BONUS * idf
        if len(firsts) > 1:
            # Adjacent words (a window of 1) earn the full bonus; it fades as they drift apart.
            window = _smallest_window(firsts)
            score += PROXIMITY_BONUS * len(firsts) / max(window, 1)
        ranked.append((matched, score, doc, occurrences))
    ranked.sort(key=lambda item: (-item[0], -item[1], item[2]))
    result.total = len(ranked)
    shown = ranked if limit is None else ranked[:limit]
    result.hits = [_hit(index.paragraphs[doc], matched, score, runs, exact) for matched, score, doc, runs in shown]
    return result


def _hit(
    paragraph: Paragraph, matched: int, score: float, runs: list[tuple[int, int, tuple[str, ...]]], exact: bool
) -> Hit:
    spans = _char_spans(paragraph, runs, exact)
    snippet, snippet_spans = make_snippet(paragraph.text, spans)
    return Hit(
        paragraph.section,
        paragraph.section_title,
        paragraph.number,
        paragraph.text,
        round(score, 3),
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


def _char_spans(
    paragraph: Paragraph, runs: list[tuple[int, int, tuple[str, ...]]], exact: bool
) -> tuple[tuple[int, int], ...]:
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
            if (t.surface if exact else t.term) in keys
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

    Matches are counted per sentence by bisection over the spans (sorted and
    apart, as ``_char_spans`` gives them): a 520 KB paragraph of short
    sentences, every one a match, took 38 s when each sentence counted them all.
    """
    from bisect import bisect_left, bisect_right

    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    apart = starts == sorted(starts) and ends == sorted(ends)
    best = (0, len(text))
    best_count = -1
    for start, end in sentences(text):
        if apart:
            inside = max(0, bisect_right(ends, end) - bisect_left(starts, start))
        else:
            inside = sum(1 for s, e in spans if s >= start and e <= end)
        if inside > best_count:
            best, best_count = (start, end), inside
    start, end = best
    local = tuple((s - start, e - start) for s, e in spans if s >= start and e <= end)
    return text[start:end], local
