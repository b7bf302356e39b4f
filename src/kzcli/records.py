"""Core results turned into the records of the output contract (plain dicts).

One function per kind of record, so JSON, CSV, plain text and Rich all show
the same fields. Every record that comes from a place in the report carries
``section``, ``paragraph`` and ``quote``; events carry ``date``, ``end``,
``precision``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzcli.corpus import Corpus, Entity, Event, Figure, Mention, Section, paragraph_ref

if TYPE_CHECKING:
    # Types only: `kz person` need not import the search engine, nor `kz search` the timeline.
    from kzcli.search import Hit
    from kzcli.timeline import Period

Record = dict[str, Any]


def hit_record(rank: int, hit: Hit, full: bool = False) -> Record:
    """A passage found; ``full`` (``search --full``): its whole paragraph shown in place of its best
    sentence, so the snippet is the paragraph (``quote``) and its matches are the paragraph's."""
    if full:
        return {**hit_record(rank, hit), "snippet": hit.text, "snippet_matches": [list(span) for span in hit.spans]}
    return {
        "rank": rank,
        "section": hit.section,
        "section_title": hit.section_title,
        "paragraph": hit.paragraph,
        "score": hit.score,
        "matched_parts": hit.matched,
        "snippet": hit.snippet,
        "snippet_matches": [list(span) for span in hit.snippet_spans],
        "quote": hit.text,
        "matches": [list(span) for span in hit.spans],
        "cite": paragraph_ref(hit.section, hit.paragraph),
    }


def event_record(corpus: Corpus, event: Event, period: Period | None = None) -> Record:
    from kzcli.timeline import covered_until, display_date, interval, is_partial

    named = [corpus.entity(i) for i in event.entities]
    open_until = covered_until(corpus)
    first_day, last_day = interval(event, open_until)
    return {
        "id": event.id,
        "date": event.date,
        "end": event.end,
        # The days the date covers, as full ISO dates (an ongoing event runs to the end of the report's period).
        "first_day": first_day,
        "last_day": last_day,
        "precision": event.precision,
        "ongoing": event.ongoing,
        "display_date": display_date(event),
        "date_text": event.date_text,
        # The part of the date read from context, not the text ("year"), and the note saying why (`kz notes ID`).
        "inferred": event.inferred,
        "date_note": event.date_note,
        "partial": is_partial(event, period, open_until),
        "summary": event.summary,
        "people": [e.name for e in named if e.type == "person"],
        "entities": list(event.entities),
        "section": event.section,
        "section_title": corpus.section(event.section).title,
        "paragraph": event.paragraph,
        "quote": event.quote,
        "cite": event.id,
    }


def mention_record(corpus: Corpus, mention: Mention) -> Record:
    return {
        "section": mention.section,
        "section_title": corpus.section(mention.section).title,
        "paragraph": mention.paragraph,
        "quote": mention.quote,
        "cite": paragraph_ref(mention.section, mention.paragraph),
    }


def entity_summary(corpus: Corpus, entity: Entity) -> Record:
    """An entity in a listing: who or what, where first, how often."""
    from kzcli.entities import sections_of

    first = entity.mentions[0]
    return {
        "id": entity.id,
        "type": entity.type,
        "name": entity.name,
        "role": entity.role,
        "aliases": list(entity.aliases),
        "sections": sections_of(entity),
        "mentions": len(entity.mentions),
        "events": len(corpus.events_involving(entity.id)),
        "section": first.section,
        "paragraph": first.paragraph,
        "quote": first.quote,
    }


def entity_profile(corpus: Corpus, entity: Entity) -> Record:
    """Everything the report says about one entity: the summary's fields, with lists in place of counts."""
    from kzcli.entities import events_of, in_same_events, named_in_same_paragraphs

    return {
        **entity_summary(corpus, entity),
        "events": [event_record(corpus, e) for e in events_of(corpus, entity.id)],
        "mentions": [mention_record(corpus, m) for m in entity.mentions],
        "named_in_same_paragraphs": [
            {
                **_entity_ref(other),
                "shared_paragraph_count": len(places),
                "shared_paragraphs": [paragraph_ref(*place) for place in places],
            }
            for other, places in named_in_same_paragraphs(corpus, entity)
        ],
        "in_same_events": [
            {**_entity_ref(other), "shared_event_count": len(events), "shared_events": [e.id for e in events]}
            for other, events in in_same_events(corpus, entity)
        ],
    }


def _entity_ref(entity: Entity) -> Record:
    return {"id": entity.id, "type": entity.type, "name": entity.name}


def section_record(section: Section) -> Record:
    return {
        "id": section.id,
        "title": section.title,
        "paragraphs": len(section.paragraphs),
        "section": section.id,
        "section_title": section.title,
        "paragraph": 1,
        "quote": section.paragraphs[0],
    }


def paragraph_record(corpus: Corpus, section: Section, number: int) -> Record:
    """A paragraph with the entities it names and the exact words naming them."""
    text = section.paragraphs[number - 1]
    here = corpus.entities_at(section.id, number)
    return {
        "section": section.id,
        "section_title": section.title,
        "paragraph": number,
        "quote": text,
        "entities": [e.id for e in here],
        "named": sorted({n for e in here for n in (e.name, *e.aliases) if n in text}, key=lambda n: (-len(n), n)),
    }


def figure_record(corpus: Corpus, figure: Figure) -> Record:
    return {
        "id": figure.id,
        "value": figure.value,
        # The report's words qualifying the value ("at least", "nearly") or standing for one ("dozens").
        "qualifier": figure.qualifier,
        "text": figure.text,
        "unit": figure.unit,
        "what": figure.what,
        "section": figure.section,
        "section_title": corpus.section(figure.section).title,
        "paragraph": figure.paragraph,
        "quote": figure.quote,
    }
