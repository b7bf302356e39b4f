"""``kz timeline``: dated events in order, for a period, a person or a section, and their chart."""

from __future__ import annotations

from typing import Any

from kzcli.commands.filters import once, section_id, topic_filter
from kzcli.errors import UsageError
from kzcli.formats import Result
from kzcli.session import Session


def run(
    session: Session,
    month: list[str] | None,
    year: list[str] | None,
    since: list[str] | None,
    until: list[str] | None,
    person: list[str] | None,
    section: list[str] | None,
    chart: bool,
    within: bool = False,
    search: list[str] | None = None,
    topic: list[str] | None = None,
) -> Result:
    """Events in date order; ``within``: only those wholly inside the period; ``search``: only those
    whose summary or quote match the words, read as ``kz search`` reads them; ``topic``: only those
    the corpus tags with it."""
    from kzcli.records import event_record
    from kzcli.timeline import OPEN_END, OPEN_START, covered_until, is_partial, period_from, select

    period = period_from(once(month, "--month"), once(year, "--year"), once(since, "--from"), once(until, "--to"))
    if within and period is None:
        raise UsageError("--within needs a period: --month, --year, --from or --to")
    name = once(person, "--person")
    words = once(search, "--search")
    corpus = session.corpus()
    events = list(corpus.events_between(*((OPEN_START, OPEN_END) if period is None else (period.start, period.end))))
    notes: list[str] = []
    subject = None
    resolved_name: dict[str, Any] | None = None
    if name is not None:
        from kzcli.names import correction, resolution_block, resolve_subject

        resolution = resolve_subject(corpus, name)
        subject = resolution.entity
        assert subject is not None
        resolved_name = resolution_block(resolution)
        said = correction(resolution)
        if said:
            notes.append(said)
        elif name.strip().casefold() != subject.name.casefold():
            notes.append(f"events of {subject.name} ({subject.type})")
        events = [e for e in events if subject.id in e.entities]
    wanted_section = section_id(corpus, once(section, "--section"))
    if wanted_section is not None:
        events = [e for e in events if e.section == wanted_section]
    on_topic = topic_filter(corpus, once(topic, "--topic"))
    if on_topic is not None:
        events = [e for e in events if e.id in on_topic.events]
    searched: dict[str, Any] | None = None
    if words is not None:
        events, searched = _matching(corpus, events, words, notes)
    # Events wholly inside the period first; ranges and coarser dates after (or, --within, not at all).
    open_until = covered_until(corpus)
    chosen = sorted(select(events, period, open_until), key=lambda e: is_partial(e, period, open_until))
    if within:
        chosen = [e for e in chosen if not is_partial(e, period, open_until)]
    records = [event_record(corpus, e, period) for e in chosen]
    if not chart:
        from kzcli.timeline import inferred_dates

        notes += inferred_dates(chosen)
    query: dict[str, Any] = {
        "period": None if period is None else {"start": period.start, "end": period.end, "label": period.label},
        "person": None if subject is None else subject.id,
        # How --person was read: as written, or spelt otherwise (kzcli.names.resolution_block).
        "person_name": resolved_name,
        "section": wanted_section,
        "within": within,
        # --search: the words as understood (as `kz search` shows them), else null.
        "search": searched,
        "topic": None if on_topic is None else on_topic.id,
    }
    extra: dict[str, Any] = {}
    if chart:
        extra = _chart(chosen, period, notes)
    messages = notes if records else ["no dated event matches these filters", *notes]
    return Result("timeline", query, records, len(records), messages, extra)


def _matching(corpus: Any, events: list[Any], words: str, notes: list[str]) -> tuple[list[Any], dict[str, Any]]:
    """The events whose summary or quote match ``words`` (said as ``kz search`` says how it read
    them), and the query block's account of the words."""
    from kzcli.commands.search import bridged, name_lookup, read_query, said_about, topic_terms, understood
    from kzcli.entities import speller
    from kzcli.text import words as words_of
    from kzcli.timeline import events_matching

    if not words_of(words):
        raise UsageError("--search needs words to look for in the events, e.g. kz timeline --search protest")
    text, read = read_query(words)
    found, result = events_matching(corpus.events, text, speller(corpus), name_lookup(corpus), lambda: corpus.topics)
    bridges = bridged(result.parts, topic_terms(corpus), "event", found=bool(found))
    notes += ([read] if read else []) + said_about(corpus, result, [line for _, line in bridges], "event")
    ids = {event.id for event in found}
    block = {
        "text": words,
        "read_as": text if read else None,
        "expression": result.expression,
        "understood": [understood(part) for part in result.parts],
        "left_out": result.left_out,
        "bridged": [bridge for bridge, _ in bridges],
    }
    return [e for e in events if e.id in ids], block


def _chart(chosen: list[Any], period: Any, notes: list[str]) -> dict[str, Any]:
    """Events per month, and a note for the events no month bar can show."""
    from kzcli.timeline import charted, month_counts

    undrawn = sum(not charted(e) for e in chosen)
    if undrawn:
        notes.append(
            f"{undrawn} {'event' if undrawn == 1 else 'events'} dated only to a year, or open-ended, "
            f"{'is' if undrawn == 1 else 'are'} not in the chart"
        )
    return {
        "chart": [{"month": m, "dated": d, "ranges": r} for m, d, r in month_counts(chosen, period)],
        "undrawn": undrawn,
    }
