"""Which stated numbers a user asks for: ``kz figures WORDS``.

A number typed ("7", "1,626", "4.5 million", "4500000") asks for figures of
that value, so ``7`` finds "seven journalists" and not "February 7" in a
description. Words ask for figures whose text, description, quote or section
title holds them all, compared as search compares (``covid`` finds the
Covid-19 section's numbers, ``dead`` finds "10 Dungans and one Kazakh dead").
"""

from __future__ import annotations

from kzcli.corpus import Corpus, Figure
from kzcli.text import holds_words, words

# Scale words a typed number may end with ("4.5 million").
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def typed_number(text: str) -> float | None:
    """The value of a typed number ("1,626", "4.5 million", "300000"), or None for words."""
    parts = words(text)
    if not parts or len(parts) > 2:
        return None
    scale = 1
    if len(parts) == 2:
        if parts[1] not in _SCALES:
            return None
        scale = _SCALES[parts[1]]
    try:
        # words() folds "1,626" to "1626"; a decimal point stays ("4.5").
        return float(parts[0]) * scale
    except ValueError:
        return None


def select_figures(corpus: Corpus, wanted: str | None, section: str | None = None) -> list[Figure]:
    """Figures in report order, of one section if given, matching ``wanted`` if given."""
    chosen = [f for f in corpus.figures if section is None or f.section == section]
    if wanted is None:
        return chosen
    value = typed_number(wanted)
    if value is not None:
        return [f for f in chosen if f.value is not None and float(f.value) == value]
    return [
        f
        for f in chosen
        if holds_words(f"{f.text} {f.what} {f.unit} {f.quote} {corpus.section(f.section).title}", wanted)
    ]
