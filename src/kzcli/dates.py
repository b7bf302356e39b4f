"""Dates in a chapter's running text, for ``kz ingest``: each found date as an ISO interval.

A month without a year takes the year of the nearest full date before it in
its paragraph when that is another year ("on October 27, 2001 ...; he was
released on November 16" is 2001, marked inferred), else the chapter's;
``Month D, YYYY``, ``Month YYYY``, ``Month D and D``, ``Month D-D``;
ranges written ``between X and Y``, ``from X to Y``, ``late X and early Y``
and ``August and September 2002``; ``since X`` (also ``since late 2000``,
``since the beginning of 2002``) is ongoing, with no end; ``mid-Month`` has
month precision. Relative dates ("the same month", "days later") take their
anchor's period, marked inferred; with no date before them in the paragraph
they are left out, with the reason. Dates inside a quoted title of a
publication are not events.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kzcli.corpus import PRECISIONS, date_problem
from kzcli.scan import DATE_RE, MONTHS, SENTENCE_CLOSERS, inside, opens_sentence
from kzcli.text import fold

_MONTH_NUMBER = {m: i for i, m in enumerate(MONTHS, 1)}
_DATE_PARTS_RE = re.compile(
    r"^(?:mid-)?(?P<month>" + "|".join(MONTHS) + r")"
    r"(?:\s(?P<day>\d{1,2})(?:(?:\s(?:and|to)\s|[-\u2013])(?P<day2>\d{1,2}))?)?"
    r"(?:,?\s(?P<year>\d{4}))?$"
    r"|^(?P<year_only>\d{4})$"
)
_RANGE_JOINERS = ("and", "to", "until", "through", "-", "\u2013", "\u2014")
# How far back (characters) the words that open a date are looked for: bounded, so a paragraph of
# 10,000 dates stays linear.
_REACH = 72
_OPENERS = ("from",)
# "late 2001", "the beginning of 2002", "mid-2003": where in a period, kept in the date's words.
_MODIFIER_RE = re.compile(
    r"\b(?:early|late|mid|the\s+(?:beginning|start|end|middle|spring|summer|autumn|fall|winter)\s+of)[\s-]*$",
    re.IGNORECASE,
)
_SINCE_RE = re.compile(r"\bsince\s+$", re.IGNORECASE)
# "between election day on June 9 and June 13": "between" a few words back, in the same clause, no number between.
_BETWEEN_RE = re.compile(r"\bbetween\b[^.;:!?\d]{0,60}$", re.IGNORECASE)
# Words of a gap between two dates that say where in a period, not what joins them.
_GAP_FILLERS = frozenset(["early", "late", "mid", "the", "beginning", "start", "end", "middle", "of"])


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
    # The part of the date read from context ("year": a month after "October 27, 2001"), and why.
    inferred: str | None = None
    reason: str | None = None


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


def _before(paragraph: str, position: int, floor: int, pattern: re.Pattern[str]) -> int | None:
    """Where ``pattern`` (anchored at the end) starts in the few characters before ``position``."""
    window_start = max(floor, position - _REACH)
    found = pattern.search(paragraph[window_start:position])
    return window_start + found.start() if found else None


def _joined(gap: str) -> bool:
    """Whether the words between two dates join them into a range ("and early", " to ", "-")."""
    words = [w for w in re.split(r"[\s]+|(?<=-)|(?=-)", gap.strip().lower()) if w and w not in _GAP_FILLERS]
    return len(words) == 1 and words[0] in _RANGE_JOINERS


# Words that make a bare year opening a sentence the time of what follows: "In 2019, ...", "During 2018,".
_YEAR_TIME_WORDS = ("in", "during", "throughout")
# A month name in capitals where it can only be a date: before a day or a year ("MAY 3", "MAY 2019"),
# or after a word that opens a date ("ON MAY", "IN MAY"); "POLICE MAY DETAIN" is no date.
_CAPITAL_MONTH_RE = re.compile(r"\b(?:" + "|".join(m.upper() for m in MONTHS) + r")\b")
_CAPITAL_OPENERS = ("in", "on", "by", "since", "until", "from", "between", "early", "late", "and", "to", "of")


def _months_as_written(paragraph: str) -> str:
    """The paragraph with month names in capitals ("ON MAY 3") written as in running text, same length."""

    def written(match: re.Match[str]) -> str:
        end = match.end()
        dated = re.match(r"\s+\d", paragraph[end : end + 3]) is not None
        opened = word_before(paragraph, match.start(), _CAPITAL_OPENERS) is not None
        return match.group().title() if dated or opened else match.group()

    if not any(m.upper() in paragraph for m in MONTHS):
        return paragraph
    return _CAPITAL_MONTH_RE.sub(written, paragraph)


@dataclass
class _Reader:
    """One paragraph's dates, read in order: the chapter's year, and the last full date (its year carries)."""

    paragraph: str
    year: int
    anchor: DateValue | None = None

    def value(self, text: str, start: int = -1) -> tuple[DateValue, DateValue | None, str | None] | None:
        """The date's value(s), its year carried from the anchor where it states none (and "year" then).
        A full date anchors what follows; so does a bare year said as a time ("In 2019, ..."), not one
        that qualifies a noun ("the 2014 law")."""
        parsed = parse_date(text, self.year)
        if parsed is None:
            return None
        first, second = parsed
        if first.explicit_year:
            if first.precision != "year" or self._said_as_time(start):
                self.anchor = first
            return first, second, None
        carried = self._carried(first)
        if carried is None:
            return first, second, None
        first = DateValue(carried + first.value[4:], first.precision, False)
        second = DateValue(carried + second.value[4:], second.precision, False) if second else None
        return first, second, "year"

    def _said_as_time(self, start: int) -> bool:
        """Whether a bare year opens its sentence as the time of what follows ("In 2019, ..."); one said
        in passing ("sentenced in 2019 to five years") sets no year for the months after it."""
        if start < 0 or self.paragraph[start + 4 : start + 5] != ",":
            return False
        opener = word_before(self.paragraph, start, _YEAR_TIME_WORDS)
        return opener is not None and opens_sentence(self.paragraph, opener, '"\u201c(', SENTENCE_CLOSERS)

    def _carried(self, value: DateValue) -> str | None:
        """The year a yearless month takes from the last full date, when that is not the chapter's."""
        anchor = self.anchor
        if anchor is None or int(anchor.value[:4]) == self.year:
            return None
        year = int(anchor.value[:4]) + (value.value[5:7] < anchor.value[5:7])
        return f"{min(year, self.year):04d}"


def find_dates(paragraph: str, year: int, skip: list[tuple[int, int]] | None = None) -> list[DateCandidate]:
    """Dated-event candidates of a paragraph, ranges merged, in order; none inside a ``skip`` span
    (a quoted title of a publication)."""
    spans = skip or []
    text = _months_as_written(paragraph)
    matches = [m for m in DATE_RE.finditer(text) if not inside(spans, m.start())]
    reader = _Reader(text, year)
    found: list[DateCandidate] = []
    i, floor = 0, 0
    while i < len(matches):
        taken = _candidate(reader, matches, i, floor)
        if taken is None:
            i += 1
            continue
        candidate, used = taken
        found.append(candidate)
        floor = matches[i + used - 1].end()
        i += used
    if text is not paragraph:  # each date's words as the paragraph writes them ("ON MAY 3")
        found = [replace(c, date_text=paragraph[c.start : c.start + len(c.date_text)]) for c in found]
    found = _before_the_last(paragraph, found)
    found = sorted(found + _time_of_writing(paragraph, year, spans), key=lambda c: c.start)
    return [c for c in found if date_problem(c.date) is None and (c.end is None or date_problem(c.end) is None)]


# "At time of writing": the report's own time, so its year, inferred.
_WRITING_RE = re.compile(r"\b(?:at|by)\s+(?:the\s+)?time\s+of\s+(?:this\s+)?writing\b", re.IGNORECASE)
WRITING_NOTE = "time-of-writing"
PAST_PERFECT_NOTE = "past-perfect"
# A past perfect: "had called", "had been held", "had found", "had begun".
_PAST_PERFECT_RE = re.compile(r"\bhad\s+(?:not\s+)?(?:been\s+)?[a-z]+(?:ed|en|wn|ne|un|ught|ound|ld|de|t)\b")


def _time_of_writing(paragraph: str, year: int, spans: list[tuple[int, int]]) -> list[DateCandidate]:
    """ "At time of writing": the state of things when the chapter was written, dated to its year, inferred."""
    return [
        DateCandidate(f"{year:04d}", None, "year", False, m.group(), m.start(), "year", WRITING_NOTE)
        for m in _WRITING_RE.finditer(paragraph)
        if not inside(spans, m.start())
    ]


def _before_the_last(paragraph: str, found: list[DateCandidate]) -> list[DateCandidate]:
    """A yearless month told in the past perfect after an earlier month of the same year ("in March
    adopted the review. In November, states had called for ...") happened before it: the year before,
    inferred."""
    out: list[DateCandidate] = []
    previous: DateCandidate | None = None
    for c in found:
        if (
            previous is not None
            and c.precision != "year"
            and previous.precision != "year"
            and c.inferred is None
            and not re.search(r"\d{4}", c.date_text)
            and c.date[:4] == previous.date[:4]
            and c.date[5:7] > previous.date[5:7]
            and word_before(paragraph, c.start, ("by", "until", "of")) is None  # "By June, police had held 90"
            and _PAST_PERFECT_RE.search(_sentence_at(paragraph, c.start))
        ):
            earlier = f"{int(c.date[:4]) - 1:04d}"
            end = earlier + c.end[4:] if c.end else None
            c = replace(c, date=earlier + c.date[4:], end=end, inferred="year", reason=PAST_PERFECT_NOTE)
        out.append(c)
        if c.precision != "year":
            previous = c
    return out


def _sentence_at(paragraph: str, position: int) -> str:
    """The sentence around ``position`` (a bounded window, so a long paragraph stays linear)."""
    low, high = max(0, position - 240), min(len(paragraph), position + 240)
    begin = max(paragraph.rfind(mark, low, position) for mark in ".!?") + 1 or low
    ends = [i for i in (paragraph.find(mark, position, high) for mark in ".!?") if i >= 0]
    return paragraph[max(begin, low) : min(ends) if ends else high]


def _candidate(reader: _Reader, matches: list[re.Match[str]], i: int, floor: int) -> tuple[DateCandidate, int] | None:
    """The candidate that starts at ``matches[i]``, and how many matches it used (2 for a range)."""
    paragraph, match = reader.paragraph, matches[i]
    read = reader.value(match.group(), match.start())
    if read is None:
        return None
    start, second, inferred = read
    modifier = _before(paragraph, match.start(), floor, _MODIFIER_RE)
    text_start = modifier if modifier is not None else match.start()
    if i + 1 < len(matches):
        ranged = _range_to(reader, (start, inferred), (match, matches[i + 1]), text_start, floor)
        if ranged is not None:
            return ranged, 2
    if second is not None:
        date, end, precision = _range(start, second)
        return DateCandidate(date, end, precision, False, match.group(), match.start(), inferred, None), 1
    since = _before(paragraph, text_start, floor, _SINCE_RE)
    if since is not None:
        text = paragraph[since : match.end()]
        return DateCandidate(start.value, None, start.precision, True, text, since, inferred, None), 1
    text = paragraph[text_start : match.end()]
    return DateCandidate(start.value, None, start.precision, False, text, text_start, inferred, None), 1


def _range_to(
    reader: _Reader,
    first: tuple[DateValue, str | None],
    pair: tuple[re.Match[str], re.Match[str]],
    text_start: int,
    floor: int,
) -> DateCandidate | None:
    """A range from the first date to the next, when the words around them say it is one."""
    paragraph = reader.paragraph
    (start, inferred), (match, following) = first, pair
    gap = paragraph[match.end() : following.start()]
    if not _joined(gap):
        return None
    parsed_next = parse_date(following.group(), reader.year)
    if parsed_next is None:
        return None
    end_value = parsed_next[1] or parsed_next[0]
    opener = word_before(paragraph, text_start, _OPENERS)
    between = None if opener is not None else _before(paragraph, text_start, floor, _BETWEEN_RE)
    # "late 2001 and early 2002": a place in a period on either side makes the pair a span.
    modifiers = text_start != match.start() or any(w in gap.lower() for w in ("early", "late", "mid", "end of"))
    hyphened = gap in ("-", "\u2013") and start.precision == end_value.precision == "year"  # "2019-2020"
    if (
        opener is None
        and between is None
        and not modifiers
        and not hyphened
        and not _months_span(start, end_value, gap)
    ):
        return None
    if not start.explicit_year and end_value.explicit_year and inferred is None:
        start = DateValue(end_value.value[:4] + start.value[4:], start.precision, True)
    if inferred == "year" and not end_value.explicit_year:  # the end of a range whose year was carried
        later = end_value.value[5:7] < start.value[5:7]
        carried = min(int(start.value[:4]) + later, reader.year)
        end_value = DateValue(f"{carried:04d}{end_value.value[4:]}", end_value.precision, False)
    reader.value(following.group())  # the end's full date is the anchor now
    date, end, precision = _range(start, end_value)
    begin = opener if opener is not None else between if between is not None else text_start
    return DateCandidate(date, end, precision, False, paragraph[begin : following.end()], begin, inferred, None)


def _months_span(start: DateValue, end: DateValue, gap: str) -> bool:
    """Two months that read as one span: "August and September 2002" (consecutive), "May to July"."""
    if not start.precision == end.precision == "month":
        return False
    if gap.strip().lower() in ("to", "through", "until", "-", "\u2013"):
        return True
    return (int(end.value[5:7]) - int(start.value[5:7])) % 12 == 1


# Relative dates: the phrase, and how it reads its anchor (the date before it in the paragraph).
_RELATIVE_RE = re.compile(
    r"\b(?:(?:the\s+)?same\s+(?P<same>day|month|year)|that\s+(?P<that>day|month|year)|later\s+that\s+(?P<later>month|year)"
    r"|(?P<after>(?:a\s+few\s+|several\s+)?days\s+later|the\s+(?:next|following)\s+day|a\s+day\s+later)"
    r"|(?P<month_after>the\s+(?:next|following)\s+month|a\s+month\s+later)"
    r"|(?P<vague>(?:a\s+few\s+|several\s+)?(?:weeks|months)\s+later|the\s+(?:next|following)\s+week|a\s+week\s+later))\b",
    re.IGNORECASE,
)
RELATIVE_NOTE = "relative-dates"


def relative_dates(paragraph: str, dated: list[DateCandidate]) -> tuple[list[DateCandidate], list[tuple[str, str]]]:
    """Relative dates ("The same month", "Days later") read from the date before them in the paragraph,
    marked inferred; and (text, reason) for those with no date before them or too vague to date."""
    resolved: list[DateCandidate] = []
    left: list[tuple[str, str]] = []
    at = 0
    for match in _RELATIVE_RE.finditer(paragraph):
        while at < len(dated) and dated[at].start < match.start():
            at += 1
        anchor = dated[at - 1] if at else None
        text = match.group()
        if anchor is None:
            left.append((text, "a relative date with no date before it in its paragraph to read it from"))
            continue
        value = _relative_value(match, anchor)
        if value is None:
            left.append((text, f"a relative date too vague to date from {anchor.date_text!r} before it"))
            continue
        date, precision = value
        resolved.append(DateCandidate(date, None, precision, False, text, match.start(), precision, RELATIVE_NOTE))
    return resolved, left


def _relative_value(match: re.Match[str], anchor: DateCandidate) -> tuple[str, str] | None:
    """(date, precision) a relative date names, from its anchor's period; None when too vague."""
    base = anchor.end or anchor.date
    unit = (match.group("same") or match.group("that") or match.group("later") or "").lower()
    if unit:
        precision = min(unit, anchor.precision, key=PRECISIONS.index)
        return _coarsen(base, precision), precision
    if match.group("after"):  # days after a day: the same month, read as the anchor's month
        return (base[:7], "month") if anchor.precision != "year" else None
    if match.group("month_after") and anchor.precision != "year":
        year, month = int(base[:4]), int(base[5:7])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return f"{year:04d}-{month:02d}", "month"
    return None
