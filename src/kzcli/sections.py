"""Finding a section by id or by a loosely typed title ("freedom of expr", "covid")."""

from __future__ import annotations

import re

from kzcli.corpus import Corpus, Section
from kzcli.errors import NotFoundError, UsageError
from kzcli.text import words

SECTION_CUTOFF = 70.0
# Scores from here up mean the typed words begin the title or one of its words.
WORD_MATCH = 90.0
# Below the cutoff, sections scoring at least this are offered as suggestions.
SUGGEST_CUTOFF = 40.0
# Two sections this close are ambiguous ("freedom", "rights"): kz asks, never guesses.
AMBIGUITY_MARGIN = 3.0


# "torture:2", "civil society ¶4", "torture#3": a section and a paragraph number.
# The section ends at a non-space (the spaces before the mark are the mark's), so each
# run of spaces is tried once: "a<80,000 spaces>b" took 74 s with a lazy ".+?" before "\s*".
PARAGRAPH_REF_RE = re.compile(r"^(?P<section>.*?\S)\s*[:¶#]\s*(?P<number>\d+)$")


def check_paragraph(section: Section, number: int) -> None:
    """NotFoundError unless ``section`` has paragraph ``number``: one message for read and cite."""
    count = len(section.paragraphs)
    if not 1 <= number <= count:
        raise NotFoundError(f"section {section.id!r} has {count} paragraph{'s' if count != 1 else ''}, not {number}")


def rank_sections(corpus: Corpus, name: str) -> list[tuple[float, Section]]:
    """The sections scoring at least SUGGEST_CUTOFF (0-100) against a typed name, best first.

    Scored from ids and titles alone (``Corpus.section_titles``): an index file
    need not read every section's paragraphs to find one.
    """
    from rapidfuzz import fuzz

    typed = " ".join(words(name))
    ranked: list[tuple[float, str]] = []
    for section_id, title in corpus.section_titles():
        keys = {" ".join(words(section_id)), " ".join(words(title))}
        best = 0.0
        for key in keys:
            if typed == key:
                best = 100.0
            elif key.startswith(typed) or f" {typed}" in f" {key}":
                best = max(best, WORD_MATCH + 9.0 * len(typed) / len(key))
            best = max(best, fuzz.ratio(typed, key), fuzz.partial_ratio(typed, key) * 0.9)
        if best >= SUGGEST_CUTOFF:
            ranked.append((best, section_id))
    ranked.sort(key=lambda pair: -pair[0])
    return [(score, corpus.section(section_id)) for score, section_id in ranked]


def resolve_section(corpus: Corpus, name: str) -> Section:
    """The one section ``name`` means; NotFoundError when none or several are close."""
    typed = " ".join(words(name))
    if not typed:
        raise UsageError("a section name is needed; see `kz sections`")
    for section_id, title in corpus.section_titles():
        # An exact id or title needs no fuzzy matching (nor rapidfuzz's ~6 ms import).
        if typed in (" ".join(words(section_id)), " ".join(words(title))):
            return corpus.section(section_id)
    ranked = rank_sections(corpus, name)
    top_score, top = ranked[0] if ranked else (0.0, None)
    if top is not None and top_score >= SECTION_CUTOFF:
        close = [s for score, s in ranked if score >= SECTION_CUTOFF and top_score - score <= AMBIGUITY_MARGIN]
        if len(close) > 1 and top_score < 100.0:
            options = ", ".join(s.id for s in close)
            raise NotFoundError(f"section {name!r} could be several: {options}; give more of the name")
        return top
    suggestions = [s.id for _, s in ranked[:3]]
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    raise NotFoundError(f"no section matches {name!r}{hint} (see `kz sections`)")
