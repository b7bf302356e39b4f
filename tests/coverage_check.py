"""The coverage check: every date, number and name kzcli.scan finds in a paragraph is accounted for.

Only the tests use it (kz itself never judges a corpus's coverage), so it
lives here rather than in the package.
"""

from __future__ import annotations

import re

from kzcli.corpus import Corpus
from kzcli.scan import lower_case_words, scan
from kzcli.text import fold, fold_with_offsets

Spans = list[tuple[int, int]]
# Per (section id, paragraph number): the spans that account for each kind of scanned item.
Covers = dict[tuple[str, int], dict[str, Spans]]


def _no_spans() -> dict[str, Spans]:
    """A fresh, empty entry per kind: one paragraph's spans never leak into another's."""
    return {"date": [], "number": [], "name": []}


def _occurrences(haystack: str, needle: str) -> Spans:
    """Word-bounded, case- and accent-insensitive occurrences of ``needle``."""
    folded, offsets = fold_with_offsets(haystack)
    target = fold(needle)
    if not target.strip():
        return []
    pattern = re.compile(r"(?<!\w)" + re.escape(target) + r"(?!\w)")
    return [(offsets[m.start()], offsets[m.end() - 1] + 1) for m in pattern.finditer(folded)]


def _find_all(text: str, needle: str) -> list[int]:
    """Plain substring positions (for left-out texts that are not whole words)."""
    found, start = [], text.find(needle)
    while needle and start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def _add_cover(corpus: Corpus, covers: Covers, place: tuple[str, int], kinds: tuple[str, ...], needle: str) -> None:
    """Let ``needle``'s spans in that paragraph account for scanned items of ``kinds``; a needle
    that is not a whole word (some left-out texts) is found as a plain substring."""
    text = corpus.paragraph(*place)
    spans = _occurrences(text, needle) or [(i, i + len(needle)) for i in _find_all(text, needle)]
    kind_spans = covers.setdefault(place, _no_spans())
    for kind in kinds:
        kind_spans[kind].extend(spans)


def _covers(corpus: Corpus) -> Covers:
    """What accounts for each kind of item, paragraph by paragraph: an event's ``date_text`` for any
    kind, a figure's ``text`` for numbers, an entity's name or alias for names and numbers, and a
    ``left_out`` entry for its own kind."""
    covers: Covers = {}
    for event in corpus.events:
        _add_cover(corpus, covers, (event.section, event.paragraph), ("date", "number", "name"), event.date_text)
    for figure in corpus.figures:
        _add_cover(corpus, covers, (figure.section, figure.paragraph), ("number",), figure.text)
    for entity in corpus.entities:
        for mention in entity.mentions:
            for name in (entity.name, *entity.aliases):
                _add_cover(corpus, covers, (mention.section, mention.paragraph), ("name", "number"), name)
    for left in corpus.left_out:
        _add_cover(corpus, covers, (left.section, left.paragraph), (left.kind,), left.text)
    return covers


def _overlaps(start: int, end: int, spans: Spans) -> bool:
    """Whether [start, end) shares a character with any span: a partial capture still accounts for it."""
    return any(s < end and start < e for s, e in spans)


def uncovered(corpus: Corpus) -> list[str]:
    """Every date, number or name in the corpus's paragraphs that nothing accounts for.

    A scanned item is accounted for when it overlaps, in the same paragraph, an
    event's ``date_text``, a figure's ``text``, the name or an alias of an
    entity mentioned there, or a ``left_out`` entry (for dates: only events and
    ``left_out``; for numbers: events, figures, entity names and ``left_out``).
    """
    ordinary = lower_case_words("\n".join(p for s in corpus.sections for p in s.paragraphs))
    covers = _covers(corpus)
    problems = []
    for section in corpus.sections:
        for number, text in enumerate(section.paragraphs, 1):
            kind_spans = covers.get((section.id, number), _no_spans())
            for item in scan(text, ordinary):
                if not _overlaps(item.start, item.end, kind_spans[item.kind]):
                    problems.append(f"{section.id} ¶{number}: {item.kind} '{item.text}' is not captured")
    return problems
