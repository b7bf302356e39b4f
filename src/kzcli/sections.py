"""Finding a section by id or by a loosely typed title ("freedom of expr", "covid")."""

from __future__ import annotations

from kzcli.corpus import Corpus, Section
from kzcli.errors import NotFoundError, UsageError
from kzcli.text import words

SECTION_CUTOFF = 70.0


def resolve_section(corpus: Corpus, name: str) -> Section:
    """The section whose id or title best matches ``name``; NotFoundError if none is close."""
    typed = " ".join(words(name))
    if not typed:
        raise UsageError("a section name is needed; see `kz sections`")
    by_key: list[tuple[float, Section]] = []
    from rapidfuzz import fuzz

    for section in corpus.sections:
        keys = {" ".join(words(section.id)), " ".join(words(section.title))}
        if typed in keys:
            return section
        best = 0.0
        for key in keys:
            if key.startswith(typed) or f" {typed}" in f" {key}":
                best = max(best, 90.0 + 10.0 * len(typed) / len(key))
            best = max(best, fuzz.ratio(typed, key), fuzz.partial_ratio(typed, key) * 0.9)
        by_key.append((best, section))
    by_key.sort(key=lambda pair: -pair[0])
    if by_key and by_key[0][0] >= SECTION_CUTOFF:
        return by_key[0][1]
    hint = ", ".join(s.id for _, s in by_key[:3])
    raise NotFoundError(f"no section matches {name!r}; closest: {hint} (see `kz sections`)")
