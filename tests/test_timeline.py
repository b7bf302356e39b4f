"""Partial dates, periods and overlap."""

from __future__ import annotations

import pytest

from kzcli.corpus import Corpus, Event
from kzcli.errors import UsageError
from kzcli.timeline import (
    covered_until,
    display_date,
    interval,
    is_partial,
    last_day,
    month_counts,
    months_between,
    period_from,
    select,
)

Y2020 = "2020-12-31"


def event(date: str, end: str | None = None, precision: str = "day", ongoing: bool = False) -> Event:
    return Event("x", date, end, precision, ongoing, "", "", "s", 1, "", ())


def test_intervals_cover_the_whole_precision() -> None:
    assert interval(event("2020-06", precision="month"), Y2020) == ("2020-06-01", "2020-06-30")
    assert interval(event("2020", precision="year"), Y2020) == ("2020-01-01", "2020-12-31")
    assert interval(event("2020-03", "2020-07", "month"), Y2020) == ("2020-03-01", "2020-07-31")
    assert interval(event("2018", precision="year", ongoing=True), Y2020) == ("2018-01-01", "2020-12-31")
    assert last_day("2020-02") == "2020-02-29" and last_day("2019-02") == "2019-02-28"


def test_display_dates_show_precision() -> None:
    assert display_date(event("2020-06-06")) == "2020-06-06"
    assert display_date(event("2020-06", precision="month")) == "June 2020"
    assert display_date(event("2020", precision="year")) == "2020 (year)"
    assert display_date(event("2020-03", "2020-07", "month")) == "Mar–Jul 2020"
    assert display_date(event("2020-02-07", "2020-02-08")) == "2020-02-07–08"
    assert display_date(event("2018", precision="year", ongoing=True)) == "since 2018"


def test_overlap_and_partial_marks() -> None:
    june = period_from(month="2020-06")
    assert june is not None
    day, month, year, spanning = (
        event("2020-06-06"),
        event("2020-06", precision="month"),
        event("2020", precision="year"),
        event("2020-03", "2020-07", "month"),
    )
    outside = event("2020-07-01")
    assert select([outside, spanning, year, month, day], june, Y2020) == [year, spanning, month, day]
    assert not is_partial(day, june, Y2020) and not is_partial(month, june, Y2020)
    assert is_partial(year, june, Y2020) and is_partial(spanning, june, Y2020)


@pytest.mark.parametrize(
    "kwargs",
    [{"month": "2020-13"}, {"month": "June"}, {"month": "2020"}, {"year": "20"}, {"since": "2020-02-30"}],
)
def test_bad_periods_are_usage_errors(kwargs: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        period_from(**kwargs)


def test_from_after_to_is_rejected() -> None:
    with pytest.raises(UsageError, match="before"):
        period_from(since="2020-06", until="2020-05")


def test_month_counts(corpus: Corpus) -> None:
    rows = month_counts(list(corpus.events))
    months = [m for m, _, _ in rows]
    assert months == months_between(months[0], months[-1])
    by_month = {m: (d, r) for m, d, r in rows}
    assert by_month["2020-06"][0] >= 4 and by_month["2020-06"][1] >= 2


def test_a_chart_of_a_period_draws_only_its_months(corpus: Corpus) -> None:
    june = period_from(month="2020-06")
    assert june is not None
    chosen = select(list(corpus.events), june, Y2020)
    # Mar-Jul ranges overlap June, but March's own events were never selected.
    assert [m for m, _, _ in month_counts(chosen, june)] == ["2020-06"]
    spring = period_from(since="2020-03", until="2020-04")
    assert spring is not None
    rows = month_counts(select(list(corpus.events), spring, Y2020), spring)
    everything = {m: (d, r) for m, d, r in month_counts(list(corpus.events))}
    assert [(m, d, r) for m, d, r in rows] == [(m, *everything[m]) for m in ("2020-03", "2020-04")]


def test_a_bounded_period_charts_every_month_an_open_one_stops_at_its_events(corpus: Corpus) -> None:
    year = period_from(year="2019")
    assert year is not None
    rows = month_counts(select(list(corpus.events), year, Y2020), year)
    assert [m for m, _, _ in rows] == months_between("2019-01", "2019-12")
    assert ("2019-01", 0, 0) in rows
    empty = period_from(year="2018")
    assert empty is not None
    assert [(d, r) for _, d, r in month_counts([], empty)] == [(0, 0)] * 12
    since = period_from(since="2020-09")
    assert since is not None
    rows = month_counts(select(list(corpus.events), since, Y2020), since)
    assert rows[0][0] == "2020-09" and rows[-1][1] + rows[-1][2] > 0


def test_ongoing_events_run_to_the_end_of_the_corpus_period(corpus: Corpus) -> None:
    assert covered_until(corpus) == "2020-12-31"
    since = event("2018", precision="year", ongoing=True)
    year_2021 = period_from(year="2021")
    assert year_2021 is not None
    assert select([since], year_2021, "2021-12-31") == [since]
    assert select([since], year_2021, "2020-12-31") == []
