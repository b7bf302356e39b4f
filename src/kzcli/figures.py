"""Which stated numbers a user asks for: ``kz figures WORDS``, ``--min``, ``--max``.

A number typed ("7", "seven", "1,626", "4.5 million", "4500000") asks for
figures of that value, so ``7`` finds "seven journalists" and not "February
7" in a description. Words ask for figures whose text, description, quote or section
title holds them all, compared as search compares (``covid`` finds the
Covid-19 section's numbers, ``dead`` finds "10 Dungans and one Kazakh dead").

A comparison (``>100``, ``>=11``, ``<10``, ``≤ 15``; ``--min``/``--max``, both
inclusive) asks for figures whose number certainly satisfies it, read with its
qualifier: "at least 1,626" is above 100, "nearly 11 years" is not 11 or more,
"up to 15-day" may or may not be above 10 (said, not listed). A word standing
for a number makes its lower bound certain and nothing more: "hundreds of
people" is more than 100, "dozens" more than 12, "nearly 11 years" more than 0.
Figures whose words give no bound ("many") are never compared, and that is said too.

A sign is never dropped: ``--max -1`` asks for figures of -1 or less (none:
the report counts), ``kz figures -- -5`` for the value -5.
"""

from __future__ import annotations

import math
import re

from kzcli.corpus import Corpus, Figure
from kzcli.errors import UsageError
from kzcli.named import NamedTuple
from kzcli.text import NUMBER_VALUES, SCALES, TENS, fold, holds_words, words

# A number in digits, and a group of three digits continuing one ("300 000").
_DIGITS_RE = re.compile(r"\d+(?:\.\d+)?\Z", re.ASCII)
_THOUSANDS_RE = re.compile(r"\d{3}\Z", re.ASCII)
# A minus sign (ASCII or U+2212) before a number's first digit: words() would fold it away.
_NEGATIVE_RE = re.compile(r"\s*[-\u2212](?=\d)")
# Number words a typed number may start with: units and tens ("seven", "twenty one").
_NUMBER_WORDS = {word: value for word, value in NUMBER_VALUES.items() if word in TENS or value < 20}


class TypedNumber(NamedTuple):
    value: float
    typed: str  # the number as typed, folded ("4.5", "seven")
    rest: str  # the words after it ("journalists" in "7 journalists")


def typed_number(text: str) -> TypedNumber | None:
    """A query that starts with a number ("1,626", "4.5 million", "seven", "7 journalists", "-5"), or None."""
    negative = _NEGATIVE_RE.match(text) is not None
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
    if negative:
        return TypedNumber(-value, f"-{typed}", " ".join(rest))
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


def select_figures(
    corpus: Corpus,
    wanted: str | None,
    section: str | None = None,
    least: float | None = None,
    most: float | None = None,
) -> list[Figure]:
    """Figures in report order, of one section if given, matching ``wanted`` if given.

    A number matches a figure of that value, or one whose own text holds it
    ("4.5" is in "4.5 million"); words after it must be held as words are. A
    comparison (``>100``, or ``least``/``most``) keeps the figures it certainly holds.
    """
    return choose_figures(corpus, wanted, section, least, most).figures


class Choice(NamedTuple):
    figures: list[Figure]
    compared: Comparison | None
    undecided: list[Figure]  # their words leave the comparison open ("up to 15" for "> 10")
    unnumbered: list[Figure]  # no number to compare ("dozens")


def choose_figures(
    corpus: Corpus,
    wanted: str | None,
    section: str | None = None,
    least: float | None = None,
    most: float | None = None,
) -> Choice:
    """``select_figures``, with what a comparison could not decide."""
    compared = comparison(wanted, least, most)
    if compared is not None:
        wanted = compared.rest or None
    chosen = [f for f in corpus.figures if section is None or f.section == section]
    if wanted is not None:
        chosen = _by_words(corpus, chosen, wanted)
    if compared is None:
        return Choice(chosen, None, [], [])
    verdicts = [(f, verdict(f, compared.wanted)) for f in chosen]
    return Choice(
        [f for f, v in verdicts if v == "yes"],
        compared,
        [f for f, v in verdicts if v == "maybe"],
        [f for f, v in verdicts if v is None],
    )


def _by_words(corpus: Corpus, chosen: list[Figure], wanted: str) -> list[Figure]:
    number = typed_number(wanted)
    if number is not None:
        chosen = [
            f
            for f in chosen
            if (f.value is not None and _same(f.value, number.value))
            # The words of a figure hold no sign: "-5" is not in "five years".
            or (number.value >= 0 and holds_words(f.text, number.typed))
        ]
        if not number.rest:
            return chosen
        wanted = number.rest
    return [f for f in chosen if holds_words(_described(corpus, f), wanted)]


def _described(corpus: Corpus, figure: Figure) -> str:
    """Everything a reader would look in for a figure: its words, what it counts, its quote, its section."""
    return f"{figure.text} {figure.what} {figure.unit} {figure.quote} {corpus.section(figure.section).title}"


# --- comparisons, read with each figure's qualifier -------------------------------------

INFINITY = float("inf")


class Span(NamedTuple):
    """The numbers a figure's words allow, or a comparison asks for: low..high, each end in or out."""

    low: float
    high: float
    low_in: bool = True
    high_in: bool = True


# Qualifiers and what they say about the number they qualify (folded, as written before it).
# Anything else ("about", "a total of") leaves the number as stated.
_AT_LEAST = ("at least", "no fewer than", "no less than")
_ABOVE = ("more than", "over", "upwards of")
_NEAR = ("nearly", "almost", "just under")
_BELOW = (*_NEAR, "fewer than", "less than", "under")
_AT_MOST = ("up to", "at most", "no more than", "as many as")
QUALIFIERS = (*_AT_LEAST, *_ABOVE, *_BELOW, *_AT_MOST, "about", "around", "approximately", "roughly", "some")
# Words that stand for a number, and the number they certainly exceed: "hundreds" are more than
# one hundred, "several" more than two. Nothing certain bounds them above ("hundreds" may be 1,500).
_MORE_THAN = {
    "dozens": 12.0,
    "scores": 20.0,
    "hundreds": 100.0,
    "thousands": 1000.0,
    "tens of thousands": 10_000.0,
    "hundreds of thousands": 100_000.0,
    "millions": 1_000_000.0,
    "several": 2.0,
    "numerous": 2.0,
}
_COMPARISON_RE = re.compile(r"^\s*(>=|<=|=>|=<|≥|≤|>|<|=)\s*(.*)$", re.S)
_COMPARATOR_RE = re.compile(r"[<>=≥≤]")


def span_of(figure: Figure) -> Span | None:
    """The numbers a figure's words allow ("nearly 11": above 0, below 11; "at least 1,626": 1,626
    or more; "hundreds": more than 100); None when its words bound no number ("many")."""
    qualifier = fold(figure.qualifier or "")
    if figure.value is None:
        low = _MORE_THAN.get(qualifier)
        return None if low is None else Span(low, INFINITY, low_in=False)
    value = float(figure.value)
    if qualifier in _AT_LEAST:
        return Span(value, INFINITY)
    if qualifier in _ABOVE:
        return Span(value, INFINITY, low_in=False)
    if qualifier in _BELOW:
        # "nearly 11 years" is some time, not none; "fewer than 5" may be none at all.
        return Span(0.0, value, low_in=qualifier not in _NEAR, high_in=False)
    if qualifier in _AT_MOST:
        return Span(0.0, value)
    return Span(value, value)


class Comparison(NamedTuple):
    wanted: Span
    said: str  # as the query block and messages give it: "> 100", "10 to 100"
    rest: str  # words after the number: "journalists" in ">7 journalists"


def comparison(text: str | None, least: float | None = None, most: float | None = None) -> Comparison | None:
    """The comparison a query starts with (">100 journalists") and/or --min/--max; None for neither.

    UsageError for a comparison kz cannot read: never a number quietly stripped of its ">".
    """
    wanted, said, rest = Span(-INFINITY, INFINITY), [], text or ""
    found = _COMPARISON_RE.match(rest)
    if found:
        operator, rest = found.group(1), found.group(2)
        number = typed_number(rest)
        if number is not None and _COMPARATOR_RE.search(rest):
            raise UsageError(f"{text!r}: one comparison at a time; for a range, kz figures --min 100 --max 200")
        if number is None:
            raise UsageError(f"{text!r}: a comparison needs one number after it, e.g. kz figures '>100'")
        wanted, rest = _operator_span(operator, number.value), number.rest
        said.append(f"{operator} {_plain(number.value)}")
    elif _COMPARATOR_RE.search(rest):
        raise UsageError(f"{text!r}: put the comparison first, e.g. kz figures '>7' journalists")
    if least is not None:
        wanted = _narrowed(wanted, Span(least, INFINITY))
        said.append(f">= {_plain(least)}")
    if most is not None:
        wanted = _narrowed(wanted, Span(-INFINITY, most))
        said.append(f"<= {_plain(most)}")
    if not said:
        return None
    if _empty(wanted):
        raise UsageError(f"no number is {' and '.join(said)}")
    return Comparison(wanted, " and ".join(said), rest.strip())


def bound(text: str | None, option: str) -> float | None:
    """The number --min or --max gives ("100", "1,626", "4.5 million", "seven"); UsageError for anything else."""
    if text is None:
        return None
    number = typed_number(text)
    if number is None or number.rest:
        raise UsageError(f"{option} needs a number, got {text!r} (e.g. {option} 100)")
    return number.value


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _operator_span(operator: str, value: float) -> Span:
    if operator in (">=", "=>", "≥"):
        return Span(value, INFINITY)
    if operator == ">":
        return Span(value, INFINITY, low_in=False)
    if operator in ("<=", "=<", "≤"):
        return Span(-INFINITY, value)
    if operator == "<":
        return Span(-INFINITY, value, high_in=False)
    return Span(value, value)


def _narrowed(a: Span, b: Span) -> Span:
    """The numbers both spans hold (low > high, or an end out at low == high: none)."""
    low, low_out = max((a.low, not a.low_in), (b.low, not b.low_in))
    high, high_in = min((a.high, a.high_in), (b.high, b.high_in))
    return Span(low, high, not low_out, high_in)


def _empty(span: Span) -> bool:
    return span.low > span.high or (span.low == span.high and not (span.low_in and span.high_in))


def _holds(outer: Span, inner: Span) -> bool:
    """Whether every number of ``inner`` is in ``outer``."""
    return _narrowed(outer, inner) == inner


def verdict(figure: Figure, wanted: Span) -> str | None:
    """ "yes" when every number the figure's words allow is wanted, "no" when none is, "maybe"
    when some are; None when the figure states no number."""
    allowed = span_of(figure)
    if allowed is None:
        return None
    if _holds(wanted, allowed):
        return "yes"
    return "no" if _empty(_narrowed(wanted, allowed)) else "maybe"
