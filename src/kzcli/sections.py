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
PARAGRAPH_REF_RE = re.compile(r"^(?P<section>.+?)\s*(?::|¶|#)\s*(?P<number>\d+)$")


def check_paragraph(section: Section, number: int) -> None:
    """NotFoundError unless ``section`` has paragraph ``number``: one message for read and cite."""
    count = len(section.paragraphs)
    if not 1 <= number <= count:
        raise NotFoundError(f"section {section.id!r} has {count} paragraph{'s' if count != 1 else ''}, not {number}")


def rank_sections(corpus: Corpus, name: str) -> list[tuple[float, Section]]:
    """Every section scored (0-100) against a typed name, best first."""
    from rapidfuzz import fuzz

    typed = " ".join(words(name))
    ranked: list[tuple[float, Section]] = []
    for section in corpus.sections:
        keys = {" ".join(words(section.id)), " ".join(words(section.title))}
        best = 0.0
        for key in keys:
            if typed == key:
                best = 100.0
            elif key.startswith(typed) or f" {typed}" in f" {key}":
                best = max(best, WORD_MATCH + 9.0 * len(typed) / len(key))
            best = max(best, fuzz.ratio(typed, key), fuzz.partial_ratio(typed, key) * 0.9)
        ranked.append((best, section))
    ranked.sort(key=lambda pair: -pair[0])
    return ranked


def resolve_section(corpus: Corpus, name: str) -> Section:
    """The one section ``name`` means; NotFoundError when none or several are close."""
    typed = " ".join(words(name))
    if not typed:
        raise UsageError("a section name is needed; see `kz sections`")
    for section in corpus.sections:
        # An exact id or title needs no fuzzy matching (nor rapidfuzz's ~6 ms import).
        if typed in (" ".join(words(section.id)), " ".join(words(section.title))):
            return section
    ranked = rank_sections(corpus, name)
    top_score, top = ranked[0]
    if top_score >= SECTION_CUTOFF:
        close = [s for score, s in ranked if score >= SECTION_CUTOFF and top_score - score <= AMBIGUITY_MARGIN]
        if len(close) > 1 and top_score < 100.0:
            options = ", ".join(s.id for s in close)
            raise NotFoundError(f"section {name!r} could be several: {options}; give more of the name")
        return top
    suggestions = [s.id for score, s in ranked[:3] if score >= SUGGEST_CUTOFF]
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    raise NotFoundError(f"no section matches {name!r}{hint} (see `kz sections`)")
