"""Partial dates, periods and overlap.

An event's date is an ISO prefix at the precision the report gives ("2020",
"2020-06", "2020-06-06"), optionally with an ``end``. Each becomes a closed
interval of days: "2020-06" is June 1-30. An event is in a period when the
intervals overlap. An ``ongoing`` event ("Since 2018") runs to the end of the
period the corpus covers (``covered_until``: 2020-12-31 for this report), the
last day the report can speak for.

Events that only overlap the period (ranges reaching outside it, or dates
coarser than the period asked for) are marked ``partial``, so a reader never
mistakes "in 2020" for "on a June day".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from kzcli.corpus import MONTH_NAMES, Corpus, Event, Topic, date_problem, days_in_month, precision_of
from kzcli.errors import UsageError
from kzcli.named import NamedTuple

if TYPE_CHECKING:
    from kzcli.search import SearchResult
    from kzcli.understanding import NamedEntity, NameLookup

# The ends of a period given only --from or only --to.
OPEN_START, OPEN_END = "0001-01-01", "9999-12-31"
_MONTH_RE = re.compile(r"^\d{4}-\d{2}\Z", re.ASCII)
_YEAR_RE = re.compile(r"^\d{4}\Z", re.ASCII)
_MONTH_ABBR = tuple(name[:3] for name in MONTH_NAMES)


def first_day(prefix: str) -> str:
    """Earliest day an ISO prefix covers: '2020-06' -> '2020-06-01'."""
    if len(prefix) == 4:
        return f"{prefix}-01-01"
    if len(prefix) == 7:
        return f"{prefix}-01"
    return prefix


def last_day(prefix: str) -> str:
    """Latest day an ISO prefix covers: '2020-02' -> '2020-02-29'."""
    if len(prefix) == 4:
        return f"{prefix}-12-31"
    if len(prefix) == 7:
        return f"{prefix}-{days_in_month(int(prefix[:4]), int(prefix[5:7])):02d}"
    return prefix


def covered_until(corpus: Corpus) -> str:
    """The last day the report speaks for: the end of its period ("2020" -> 2020-12-31).

    An ongoing event ("Since 2018") runs to here. A corpus whose period is not
    a date (an ingested draft, say) falls back to its latest dated day.
    """
    if date_problem(corpus.report.period) is None:
        return last_day(corpus.report.period)
    # Every event record asks: worked out once per corpus (kept in an index file too).
    return corpus.lookups.latest_day()


def latest_day(events: tuple[Event, ...]) -> str:
    """The last day any event reaches (the end of time when there are none)."""
    return max((last_day(e.end or e.date) for e in events), default=OPEN_END)


def interval(event: Event, open_until: str) -> tuple[str, str]:
    """The days an event covers, as ISO dates (strings compare in date order).

    ``open_until`` ends an ongoing event: see ``covered_until``.
    """
    if event.ongoing:
        return first_day(event.date), max(open_until, last_day(event.date))
    return first_day(event.date), last_day(event.end or event.date)


def sort_key(event: Event) -> tuple[str, str, int]:
    """Date order; at the same start, the more precise (shorter) event first, the open-ended last."""
    start, end = interval(event, "9999-12-31")
    return start, end, len(event.id)


class Period(NamedTuple):
    """A closed interval of days, with the words the user gave for it."""

    start: str
    end: str
    label: str


def parse_prefix(value: str, option: str, expected: str = "YYYY, YYYY-MM or YYYY-MM-DD") -> str:
    """Validate an ISO prefix given on the command line (exit 2 on anything else)."""
    problem = date_problem(value.strip())
    if problem:
        if problem.endswith("is not YYYY, YYYY-MM or YYYY-MM-DD"):
            problem = f"{value.strip()!r} is not a date"
        raise UsageError(f"{option}: {problem}; expected {expected} (e.g. 2020-06)")
    return value.strip()


def period_from(
    month: str | None = None,
    year: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Period | None:
    """The period the filters describe, or None for all time."""
    if month is not None:
        if not _MONTH_RE.match(month.strip()):
            raise UsageError(f"--month: '{month}' is not YYYY-MM (e.g. --month 2020-06)")
        value = parse_prefix(month, "--month", "YYYY-MM")
        if year is not None or since is not None or until is not None:
            raise UsageError("--month cannot be combined with --year, --from or --to")
        return Period(first_day(value), last_day(value), describe(value))
    if year is not None:
        if not _YEAR_RE.match(year.strip()):
            raise UsageError(f"--year: '{year}' is not YYYY (e.g. --year 2020)")
        if since is not None or until is not None:
            raise UsageError("--year cannot be combined with --from or --to")
        value = year.strip()
        return Period(first_day(value), last_day(value), value)
    if since is None and until is None:
        return None
    start = first_day(parse_prefix(since, "--from")) if since else OPEN_START
    end = last_day(parse_prefix(until, "--to")) if until else OPEN_END
    if end < start:
        raise UsageError(f"--to {until} is before --from {since}")
    label = f"{since or 'the beginning'} to {until or 'the end'}"
    return Period(start, end, label)


def overlaps(event: Event, period: Period, open_until: str) -> bool:
    start, end = interval(event, open_until)
    return start <= period.end and end >= period.start


def is_partial(event: Event, period: Period | None, open_until: str) -> bool:
    """True when the event is a range or coarser date not wholly inside ``period``.

    With no period, ranges and open-ended events are marked partial-free: the
    mark only says "this may not all fall in what you asked for".
    """
    if period is None:
        return False
    start, end = interval(event, open_until)
    return start < period.start or end > period.end


def select(events: tuple[Event, ...] | list[Event], period: Period | None, open_until: str) -> list[Event]:
    """Events overlapping ``period`` (all events if None), in date order."""
    chosen = [e for e in events if period is None or overlaps(e, period, open_until)]
    return sorted(chosen, key=sort_key)


# The one section of the events' own little index (``events_matching``): not a section of the report.
_EVENTS = "events"


def events_matching(
    events: Sequence[Event],
    query: str,
    respell: Callable[[str], str | None],
    names: NameLookup,
    topics: Callable[[], Sequence[Topic]] | None = None,
) -> tuple[list[Event], SearchResult]:
    """The events whose summary or quote match ``query``, as ``kz search`` matches passages (its
    query language, stems, folding and corrections, names under any of their names, a word no
    event says that a topic lists standing for the topic), and how the query was read.

    The events are indexed as passages of their own, each its summary and quote; an entity
    a query names matches the events that record it, as a passage matches where the corpus
    records a mention, and a topic the events tagged with it.
    """
    from kzcli.corpus import Section
    from kzcli.search import build_index, search
    from kzcli.topics import TopicTerms
    from kzcli.understanding import NameLookup

    texts = tuple(f"{event.summary}\n{event.quote}" for event in events)
    index = build_index([Section(_EVENTS, "", texts)])

    def named(key: str) -> tuple[NamedEntity, ...]:
        return tuple(
            (entity_id, keys, tuple((_EVENTS, at) for at, e in enumerate(events, 1) if entity_id in e.entities))
            for entity_id, keys, _ in names.named(key)
        )

    def tagged() -> tuple[Topic, ...]:
        """The topics with their events as the index's passages (a topic's places)."""
        at = {event.id: number for number, event in enumerate(events, 1)}
        return tuple(
            Topic(*topic.fields()[:5], tuple((_EVENTS, at[i]) for i in topic.events if i in at), topic.events)
            for topic in (topics() if topics is not None else ())
        )

    made: list[TopicTerms] = []

    def terms() -> TopicTerms:
        if not made:
            made.append(TopicTerms(tagged))
        return made[0]

    lookup = NameLookup(names.keys_with_word, named)
    result = search(index, query, respell=respell, names=lookup, topics=terms if topics is not None else None)
    return [events[hit.paragraph - 1] for hit in result.hits], result


def describe(prefix: str) -> str:
    """Human form of one ISO prefix: '2020-06' -> 'June 2020'."""
    precision = precision_of(prefix)
    if precision == "year":
        return prefix
    month = MONTH_NAMES[int(prefix[5:7]) - 1]
    if precision == "month":
        return f"{month} {prefix[:4]}"
    return f"{month} {int(prefix[8:10])}, {prefix[:4]}"


def display_date(event: Event) -> str:
    """An event's date at its own precision: '2020-06-06', 'June 2020', 'Mar–Jul 2020'; a part the
    report does not state but the corpus reads from context is marked: 'Nov 2019 (year inferred)'."""
    if not event.inferred:
        return _stated_date(event)
    if event.precision == "year" and event.end is None and not event.ongoing:
        return f"{event.date} ({event.inferred} inferred)"  # not "2020 (year) (year inferred)"
    return f"{_stated_date(event)} ({event.inferred} inferred)"


def inferred_dates(events: list[Event]) -> list[str]:
    """What kz says when shown events have a date partly read from context: one line, naming the notes."""
    notes = list(dict.fromkeys(e.date_note for e in events if e.inferred and e.date_note))
    if not notes:
        return []
    where = ", ".join(f"`kz notes {note}`" for note in notes)
    return [f"a date marked 'inferred' is read from context, not stated in the report: see {where}"]


def _stated_date(event: Event) -> str:
    if event.ongoing:
        return f"since {event.date}"
    if event.end is None:
        if event.precision == "day":
            return event.date
        if event.precision == "month":
            return describe(event.date)
        return f"{event.date} (year)"
    if event.precision == "day":
        if event.date[:7] == event.end[:7]:
            return f"{event.date}–{event.end[8:]}"
        return f"{event.date}–{event.end}"
    if event.precision == "month":
        start_month = _MONTH_ABBR[int(event.date[5:7]) - 1]
        end_month = _MONTH_ABBR[int(event.end[5:7]) - 1]
        if event.date[:4] == event.end[:4]:
            return f"{start_month}–{end_month} {event.date[:4]}"
        return f"{start_month} {event.date[:4]}–{end_month} {event.end[:4]}"
    return f"{event.date}–{event.end}"


def charted(event: Event) -> bool:
    """Whether the month chart can draw an event: year-only and open-ended ones have no month."""
    return event.precision != "year" and not event.ongoing


# A chart draws a row per month: at most a century of them (a wider one is asked for with
# --from/--to or --year; --from 2020 --to 9999-12-30 drew 1.2 million rows, 4.7 s, 506 MB).
MAX_CHART_MONTHS = 1200
# Months offered when completing --month: the earliest that fit what was typed.
MAX_COMPLETED_MONTHS = 240


def _month_number(prefix: str) -> int:
    """A month as a number (months since year 0), so that months compare and count as dates."""
    return int(prefix[:4]) * 12 + int(prefix[5:7]) - 1


def _month_name(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _charted_months(events: list[Event]) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Events dated within one month (counted per month), and the months ranges span (first, last)."""
    dated: dict[int, int] = {}
    spans: list[tuple[int, int]] = []
    for event in events:
        if not charted(event):
            continue
        first, last = _month_number(event.date), _month_number(event.end or event.date)
        if first == last:
            dated[first] = dated.get(first, 0) + 1
        else:
            spans.append((first, last))
    return dated, spans


def month_counts(events: list[Event], period: Period | None = None) -> list[tuple[str, int, int]]:
    """(YYYY-MM, events dated within that month, ranges covering it) for the chart.

    Year-only and open-ended events have no month and are not drawn; the
    chart's caller reports how many there are. With a period, its months are
    drawn, all of them (an empty month is a finding too) and only them: a range
    reaching outside it (Mar-Jul for --month 2020-06) must not draw March,
    where the other March events were never selected. An open end (only
    --from, say) stops at the last month with an event. More than
    ``MAX_CHART_MONTHS`` rows is a UsageError. The work is the events plus the
    rows drawn, whatever the ranges span.
    """
    dated, spans = _charted_months(events)
    low, high = (0, 10_000 * 12) if period is None else (_month_number(period.start), _month_number(period.end))
    # The months with something to draw, within the period: dated ones and the clipped ranges.
    ends = [m for m in dated if low <= m <= high]
    ends += [edge for a, b in spans if a <= high and b >= low for edge in (max(a, low), min(b, high))]
    first, last = (min(ends), max(ends)) if ends else (None, None)
    if period is not None:
        first = first if period.start == OPEN_START else low
        last = last if period.end == OPEN_END else high
    if first is None or last is None:
        return []
    if last - first + 1 > MAX_CHART_MONTHS:
        raise UsageError(
            f"--chart would draw {last - first + 1:,} months ({_month_name(first)} to {_month_name(last)}), more "
            f"than the {MAX_CHART_MONTHS:,} a chart shows; narrow it with --year or --from/--to"
        )
    # Ranges covering each month: those open at the first, then +1 where one opens, -1 after one closes.
    covering = sum(1 for a, b in spans if a <= first <= b)
    change: dict[int, int] = {}
    for a, b in spans:
        if first < a <= last:
            change[a] = change.get(a, 0) + 1
        if first <= b < last:
            change[b + 1] = change.get(b + 1, 0) - 1
    rows = []
    for month in range(first, last + 1):
        covering += change.get(month, 0) if month > first else 0
        rows.append((_month_name(month), dated.get(month, 0), covering))
    return rows


def months_between(start: str, end: str) -> list[str]:
    """Every YYYY-MM from ``start`` to ``end`` inclusive (compared as months, not as strings)."""
    return [_month_name(m) for m in range(_month_number(start), _month_number(end) + 1)]


def event_months(events: list[Event], typed: str, limit: int = MAX_COMPLETED_MONTHS) -> list[str]:
    """The months (YYYY-MM) an event is dated in or a range covers that begin with ``typed``,
    earliest first, at most ``limit``: what ``--month <TAB>`` offers.

    Walks only the years ``typed`` can begin (all of them when it is empty), and
    stops at ``limit``: a range from 0001-01 to 9999-12 costs no more than a month.
    """
    dated, spans = _charted_months(events)
    digits = typed[:4]
    if not digits.isascii() or not digits.isdigit():
        return [] if typed else _first_months(dated, spans, 0, 9999, typed, limit)
    scale = 10 ** (4 - len(digits))
    return _first_months(dated, spans, int(digits) * scale, (int(digits) + 1) * scale - 1, typed, limit)


def _first_months(
    dated: dict[int, int], spans: list[tuple[int, int]], from_year: int, to_year: int, typed: str, limit: int
) -> list[str]:
    """The first ``limit`` months from ``from_year`` to ``to_year`` with an event that begin with ``typed``."""
    low, high = from_year * 12, to_year * 12 + 11
    # Every month with something in it, as merged intervals within the years asked for.
    intervals = sorted(
        [(m, m) for m in dated if low <= m <= high]
        + [(max(a, low), min(b, high)) for a, b in spans if a <= high and b >= low]
    )
    found: list[str] = []
    reached = low - 1
    for a, b in intervals:
        for month in range(max(a, reached + 1), b + 1):
            name = _month_name(month)
            if name.startswith(typed):
                found.append(name)
                if len(found) == limit:
                    return found
        reached = max(reached, b)
    return found
