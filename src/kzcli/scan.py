"""Scan plain text for what a corpus must capture: dates, numbers and names.

The coverage tests (``tests/coverage_check.py``) run this over every
paragraph and fail on anything the corpus neither captures (an event's
``date_text``, a figure's ``text``, an entity's name or alias) nor lists in
``left_out`` with a reason. The scanner is deliberately greedy: it is
cheaper to explain a false alarm in ``left_out`` than to miss a fact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from kzcli.corpus import MONTH_NAMES
from kzcli.text import NUMBER_VALUES

MONTHS = MONTH_NAMES
# Number words as the report writes them, plurals too ("hundreds", "dozens"); "zero" it never writes.
NUMBER_WORDS = [word for word in NUMBER_VALUES if word != "zero"] + ["hundreds", "thousands", "millions", "dozens"]
# Capitalised words that open sentences without naming anything.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "in",
        "on",
        "at",
        "after",
        "although",
        "according",
        "as",
        "between",
        "by",
        "during",
        "for",
        "from",
        "if",
        "it",
        "its",
        "many",
        "most",
        "no",
        "of",
        "since",
        "some",
        "such",
        "that",
        "their",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "until",
        "when",
        "where",
        "while",
        "with",
        "others",
    ]
)

_MONTH = "|".join(MONTHS)
DATE_RE = re.compile(
    rf"\b(?:mid-)?(?:{_MONTH})(?:\s\d{{1,2}}(?:(?:\s(?:and|to)\s|[-\u2013])\d{{1,2}})?)?(?:,?\s(?:19|20)\d{{2}})?\b"
    r"|\b(?:19|20)\d{2}\b"
)
NUMBER_RE = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])|\b(?:" + "|".join(NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
# A capitalised word; a hyphen inside it only between letters ("Kasym-Jomart", not "Affairs--which").
NAME_RE = re.compile(r"\b[A-Z][\w\u2019']*(?:-[\w\u2019']+)*")
# What may stand between a sentence's end and its first word, for the scanner: an opening quote or bracket.
_SCAN_OPENERS = '\u201c"('
# What may close a sentence after its "." ('...early promise." When'): quotes and brackets.
SENTENCE_CLOSERS = '"\u201d\u2019)]'


def opens_sentence(text: str, position: int, openers: str, closers: str = "", quoted_start: bool = False) -> bool:
    """Whether ``text[position:]`` opens a sentence: at the start of the text (after one of
    ``openers`` too, if ``quoted_start``), or after ".", "!" or "?", any of ``closers``, then
    spaces, then at most one of ``openers``.

    Read backwards from ``position``, so the work is what stands between the
    sentence's end and the word, never the text before it (a pattern anchored
    at the end, searched over ``text[:position]`` for every name, was quadratic).
    """
    at = position
    if at == 0:
        return True
    if text[at - 1] in openers:
        at -= 1
        if at == 0:
            return quoted_start
    spaces = at
    while spaces > 0 and text[spaces - 1].isspace():
        spaces -= 1
    if spaces == at:
        return False
    while spaces > 0 and text[spaces - 1] in closers:
        spaces -= 1
    return spaces > 0 and text[spaces - 1] in ".!?"


@dataclass(frozen=True, slots=True)
class Found:
    kind: str  # "date" | "number" | "name"
    text: str
    start: int
    end: int


def scan(text: str, ordinary_words: frozenset[str] = frozenset()) -> list[Found]:
    """Dates, numbers and capitalised names in ``text``, in order.

    ``ordinary_words`` are lower-case words known to be common nouns (for
    example, every word the document also uses in lower case); a capitalised
    one that opens a sentence is then not taken for a name.
    """
    found: list[Found] = []
    date_spans: list[tuple[int, int]] = []
    for match in DATE_RE.finditer(text):
        found.append(Found("date", match.group(), match.start(), match.end()))
        date_spans.append(match.span())
    # Dates do not overlap and come in order: the one that could hold a match is found by bisection
    # (10,000 dates in a paragraph took minutes when each number and name was held against all).
    date_starts = [start for start, _ in date_spans]

    def in_date(start: int, end: int) -> bool:
        at = bisect_right(date_starts, start) - 1
        return at >= 0 and end <= date_spans[at][1]

    for match in NUMBER_RE.finditer(text):
        if not in_date(*match.span()):
            found.append(Found("number", match.group(), match.start(), match.end()))
    for match in NAME_RE.finditer(text):
        word = match.group()
        if in_date(*match.span()) or word.lower() in NUMBER_WORDS:
            continue
        bare = re.sub(r"[\u2019']s$", "", word).lower()
        starts = opens_sentence(text, match.start(), _SCAN_OPENERS, SENTENCE_CLOSERS)
        if starts and (bare in FUNCTION_WORDS or bare in ordinary_words):
            continue
        found.append(Found("name", word, match.start(), match.end()))
    found.sort(key=lambda f: (f.start, f.kind))
    return found


def lower_case_words(text: str) -> frozenset[str]:
    """Words a document uses in lower case at least once: its ordinary vocabulary."""
    return frozenset(w for w in re.findall(r"\b[a-z][\w-]*", text))


_QUOTE_RE = re.compile('[\u201c\u201d"]')
# Small words a title leaves in lower case ("Torture in the Name of Security").
TITLE_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "via",
        "vs",
        "after",
        "before",
        "over",
        "under",
    ]
)


def _is_title(quoted: str) -> bool:
    if not 3 <= len(quoted) <= 240 or "\n" in quoted or quoted[0].isspace() or quoted[-1].isspace():
        return False  # a quote's words touch its marks; the text between two quotations does not
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", quoted)
    content = [w for w in words if w.lower() not in TITLE_SMALL_WORDS]
    return len(words) >= 2 and words[0][0].isupper() and bool(content) and all(w[0].isupper() for w in content)


def quoted_titles(text: str) -> list[tuple[int, int]]:
    """Spans (quotes included) of quoted titles of publications: two words or more, capitalised as a
    title ("Creating Enemies of the State: Religious Persecution After September 11"), not a quoted
    phrase ("disseminating knowingly false information"). Their dates are not events, their words
    not names."""
    spans: list[tuple[int, int]] = []
    # Each quote mark may open a title that ends at the next one: a stray closing quote ('promise." When')
    # then shifts no pairing, as matching quotes in pairs from the left would.
    marks = [m.start() for m in _QUOTE_RE.finditer(text)]
    i = 0
    while i + 1 < len(marks):
        start, end = marks[i], marks[i + 1]
        if text[start] != "\u201d" and text[end] != "\u201c" and _is_title(text[start + 1 : end]):
            spans.append((start, end + 1))
            i += 2
        else:
            i += 1
    return spans


def inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls in one of ``spans`` (in order, not overlapping): by bisection, so a
    paragraph of many titles and many names stays linear."""
    at = bisect_right(spans, (position, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= position < spans[at][1]
