"""Scan plain text for what a corpus must capture: dates, numbers and names.

The coverage tests (``tests/coverage_check.py``) run this over every
paragraph and fail on anything the corpus neither captures (an event's
``date_text``, a figure's ``text``, an entity's name or alias) nor lists in
``left_out`` with a reason. The scanner is deliberately greedy: it is
cheaper to explain a false alarm in ``left_out`` than to miss a fact.
"""

from __future__ import annotations

import re
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
    rf"\b(?:mid-)?(?:{_MONTH})(?:\s\d{{1,2}}(?:\s(?:and|to)\s\d{{1,2}})?)?(?:,?\s(?:19|20)\d{{2}})?\b"
    r"|\b(?:19|20)\d{2}\b"
)
NUMBER_RE = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])|\b(?:" + "|".join(NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
NAME_RE = re.compile(r"\b[A-Z][\w\u2019'-]*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?][\s\u00a0]+[\u201c\"(]?)$")


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

    def in_date(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in date_spans)

    for match in NUMBER_RE.finditer(text):
        if not in_date(*match.span()):
            found.append(Found("number", match.group(), match.start(), match.end()))
    for match in NAME_RE.finditer(text):
        word = match.group()
        if in_date(*match.span()) or word.lower() in NUMBER_WORDS:
            continue
        bare = re.sub(r"[\u2019']s$", "", word).lower()
        opens_sentence = bool(_SENTENCE_START_RE.search(text[: match.start()]))
        if opens_sentence and (bare in FUNCTION_WORDS or bare in ordinary_words):
            continue
        found.append(Found("name", word, match.start(), match.end()))
    found.sort(key=lambda f: (f.start, f.kind))
    return found


def lower_case_words(text: str) -> frozenset[str]:
    """Words a document uses in lower case at least once: its ordinary vocabulary."""
    return frozenset(w for w in re.findall(r"\b[a-z][\w-]*", text))
