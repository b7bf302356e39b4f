"""Which stated numbers a user asks for: ``kz figures WORDS``.

A number typed ("7", "seven", "1,626", "4.5 million", "4500000") asks for
figures of that value, so ``7`` finds "seven journalists" and not "February
7" in a description. Words ask for figures whose text, description, quote or section
title holds them all, compared as search compares (``covid`` finds the
Covid-19 section's numbers, ``dead`` finds "10 Dungans and one Kazakh dead").
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from kzcli.corpus import Corpus, Figure
from kzcli.text import NUMBER_VALUES, SCALES, TENS, holds_words, words

# A number in digits, and a group of three digits continuing one ("300 000").
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?\Z", re.ASCII)
_THOUSANDS_RE = re.compile(r"\d{3}\Z", re.ASCII)
# Number words a typed number may start with: units and tens ("seven", "twenty one").
_NUMBER_WORDS = {word: value for word, value in NUMBER_VALUES.items() if word in TENS or value < 20}


class TypedNumber(NamedTuple):
    value: float
    typed: str  # the number as typed, folded ("4.5", "seven")
    rest: str  # the words after it ("journalists" in "7 journalists")


def typed_number(text: str) -> TypedNumber | None:
    """A query that starts with a number ("1,626", "4.5 million", "seven", "7 journalists"), or None."""
    parts = words(text)
    if not parts:
        return None
    first, rest = parts[0], parts[1:]
    count = len(rest)
    if first in _NUMBER_WORDS:
        value = float(_NUMBER_WORDS[first])
        if value >= 20 and value % 10 == 0 and rest and 0 < _NUMBER_WORDS.get(rest[0], 0) < 10:
            value += _NUMBER_WORDS[rest.pop(0)]  # "twenty one"
    elif _DIGITS_RE.match(first):
        # words() folds "1,626" to "1626"; a decimal point stays ("4.5"). Not float()
        # alone: it also reads "nan" and "inf". Groups of three digits after a whole
        # number continue it ("300 000").
        while "." not in first and rest and _THOUSANDS_RE.match(rest[0]):
            first += rest.pop(0)
        value = float(first)
    elif (compound := _tens_and_unit(first)) is not None:
        value = float(compound)
    else:
        return None
    if rest and rest[0] in SCALES:
        value *= SCALES[rest.pop(0)]
    # The number as typed, every word of it ("twenty one", "4.5 million"): what a figure's own words must hold.
    typed = " ".join(parts[: len(parts) - len(rest)]) if len(rest) < count else first
    return TypedNumber(value, typed, " ".join(rest))


def _tens_and_unit(word: str) -> int | None:
    """21 for "twentyone" (how "twenty-one" folds); None for anything else."""
    for tens, value in TENS.items():
        unit = _NUMBER_WORDS.get(word[len(tens) :], 0) if word.startswith(tens) else 0
        if 0 < unit < 10:
            return value + unit
    return None


def _same(value: float, typed: float) -> bool:
    """Equal as numbers a person writes: 4.1 x 1,000,000 is 4099999.9999999995 in floating point."""
    return math.isclose(value, typed, rel_tol=1e-9)


def select_figures(corpus: Corpus, wanted: str | None, section: str | None = None) -> list[Figure]:
    """Figures in report order, of one section if given, matching ``wanted`` if given.

    A number matches a figure of that value, or one whose own text holds it
    ("4.5" is in "4.5 million"); words after it must be held as words are.
    """
    chosen = [f for f in corpus.figures if section is None or f.section == section]
    if wanted is None:
        return chosen
    number = typed_number(wanted)
    if number is not None:
        chosen = [
            f
            for f in chosen
            if (f.value is not None and _same(f.value, number.value)) or holds_words(f.text, number.typed)
        ]
        if not number.rest:
            return chosen
        wanted = number.rest
    return [f for f in chosen if holds_words(_described(corpus, f), wanted)]


def _described(corpus: Corpus, figure: Figure) -> str:
    """Everything a reader would look in for a figure: its words, what it counts, its quote, its section."""
    return f"{figure.text} {figure.what} {figure.unit} {figure.quote} {corpus.section(figure.section).title}"
