"""Dates in a chapter's running text, for ``kz ingest``: each found date as an ISO interval.

A month without a year takes the chapter's year; ``Month D, YYYY``,
``Month YYYY``, ``Month D and D`` and ``between X and Y`` / ``from X to Y``
ranges, ``since YYYY`` (ongoing, no end) and ``mid-Month`` (month precision).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kzcli.corpus import PRECISIONS, date_problem
from kzcli.scan import DATE_RE, MONTHS
from kzcli.text import fold

_MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS, 1)}
_DATE_PARTS_RE = re.compile(
    r"^(?:mid-)?(?P<month>" + "|".join(MONTHS) + r")"
    r"(?:\s(?P<day>\d{1,2})(?:\s(?:and|to)\s(?P<day2>\d{1,2}))?)?"
    r"(?:,?\s(?P<year>\d{4}))?$"
    r"|^(?P<year_only>\d{4})$"
)
_RANGE_JOINERS = ("and", "to", "until", "through", "-", "\u2013", "\u2014")
# Words that make a date open-ended ("since 2018") or open a range ("between March and July").
_SINCE = ("since",)
_OPENERS = ("between", "from")


@dataclass(frozen=True, slots=True)
class DateValue:
    value: str  # ISO prefix
    precision: str
    explicit_year: bool


@dataclass(frozen=True, slots=True)
class DateCandidate:
    date: str
    end: str | None
    precision: str
    ongoing: bool
    date_text: str
    start: int  # offset in the paragraph


def parse_date(text: str, year: int) -> tuple[DateValue, DateValue | None] | None:
    """One scanned date ("June 6", "mid-September", "May 2019", "February 7 and 8", "2018") as ISO."""
    match = _DATE_PARTS_RE.match(text)
    if not match:
        return None
    if match.group("year_only"):
        return DateValue(match.group("year_only"), "year", True), None
    explicit = match.group("year") is not None
    y = int(match.group("year")) if explicit else year
    month = _MONTH_NUMBER[match.group("month")]
    if match.group("day") is None:
        return DateValue(f"{y:04d}-{month:02d}", "month", explicit), None
    first = DateValue(f"{y:04d}-{month:02d}-{int(match.group('day')):02d}", "day", explicit)
    second = None
    if match.group("day2"):
        second = DateValue(f"{y:04d}-{month:02d}-{int(match.group('day2')):02d}", "day", explicit)
    return first, second


MONTH_KEYS = frozenset(fold(m) for m in MONTHS)


def _coarsen(value: str, precision: str) -> str:
    return value[: {"year": 4, "month": 7, "day": 10}[precision]]


def _range(start: DateValue, end: DateValue) -> tuple[str, str | None, str]:
    """(date, end, precision) of a range, at the coarser of its two precisions."""
    precision = min(start.precision, end.precision, key=PRECISIONS.index)
    first, last = _coarsen(start.value, precision), _coarsen(end.value, precision)
    if last < first and not start.explicit_year:
        # "between November and February": the start is in the year before.
        first = f"{int(first[:4]) - 1:04d}{first[4:]}"
    if last <= first:
        return first, None, precision
    return first, last, precision


def word_before(text: str, position: int, wanted: tuple[str, ...]) -> int | None:
    """Where one of ``wanted`` (any case, a whole word) stands before ``position``, spaces between; else None.

    Read backwards from ``position``: the work is the spaces and the word, never the
    text before them (a pattern anchored at the end of ``text[:position]``, searched for
    every date, made 10,000 dates in a paragraph take minutes).
    """
    end = position
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == position:
        return None
    for word in wanted:
        start = end - len(word)
        boundary = start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")
        if start >= 0 and boundary and text[start:end].lower() == word:
            return start
    return None


def find_dates(paragraph: str, year: int) -> list[DateCandidate]:
    """Dated-event candidates of a paragraph, ranges merged, in order."""
    matches = [m for m in DATE_RE.finditer(paragraph)]
    found: list[DateCandidate] = []
    i = 0
    while i < len(matches):
        match = matches[i]
        parsed = parse_date(match.group(), year)
        if parsed is None:
            i += 1
            continue
        start, second = parsed
        text_start, text_end = match.start(), match.end()
        opener = word_before(paragraph, match.start(), _OPENERS)
        if opener is not None and i + 1 < len(matches):
            following = matches[i + 1]
            joiner = paragraph[match.end() : following.start()].strip().lower()
            parsed_next = parse_date(following.group(), year)
            if joiner in _RANGE_JOINERS and parsed_next is not None:
                end_value = parsed_next[1] or parsed_next[0]
                if not start.explicit_year and end_value.explicit_year:
                    start = DateValue(end_value.value[:4] + start.value[4:], start.precision, True)
                date, end, precision = _range(start, end_value)
                text = paragraph[opener : following.end()]
                found.append(DateCandidate(date, end, precision, False, text, opener))
                i += 2
                continue
        if second is not None:
            date, end, precision = _range(start, second)
            found.append(DateCandidate(date, end, precision, False, match.group(), text_start))
        else:
            since = word_before(paragraph, match.start(), _SINCE)
            if since is not None:
                text = paragraph[since:text_end]
                found.append(DateCandidate(start.value, None, start.precision, True, text, since))
            else:
                found.append(DateCandidate(start.value, None, start.precision, False, match.group(), text_start))
        i += 1
    return [c for c in found if date_problem(c.date) is None and (c.end is None or date_problem(c.end) is None)]
