"""``kz topics`` and ``kz topic NAME``: the corpus's themes and affected-person groups as a way in."""

from __future__ import annotations

from typing import Any

from kzcli.corpus import paragraph_ref
from kzcli.formats import Result
from kzcli.session import Session


def topics(session: Session) -> Result:
    """Every topic with how many passages, events and people it holds."""
    from kzcli.topics import topic_events, topic_people

    corpus = session.corpus()
    records = []
    for topic in corpus.topics:
        events = topic_events(corpus, topic)
        records.append(
            {
                "id": topic.id,
                "label": topic.label,
                "vocabulary": topic.vocabulary,
                "passages": len(topic.paragraphs),
                "events": len(events),
                "people": len(topic_people(corpus, topic, events)),
                "scope": topic.scope,
                "terms": list(topic.terms),
            }
        )
    messages = [] if records else ["this corpus tags no topics"]
    return Result("topics", {}, records, len(records), messages)


def topic(session: Session, name: str) -> Result:
    """One topic: its scope note and terms, then its passages, events and people."""
    from kzcli.records import event_record
    from kzcli.topics import find_topic, people_of_events, read_as, topic_events, topic_people

    corpus = session.corpus()
    found = find_topic(corpus, name)
    chosen = found.topic
    events = topic_events(corpus, chosen)
    in_events = people_of_events(corpus, events)
    # Those its events name first: they are of the topic; then those only its passages name,
    # which may be there for other matters (the overview names Max Bokaev beside the pandemic).
    people = sorted(topic_people(corpus, chosen, events), key=lambda person: person.id not in in_events)
    record: dict[str, Any] = {
        "id": chosen.id,
        "label": chosen.label,
        "vocabulary": chosen.vocabulary,
        "scope": chosen.scope,
        "terms": list(chosen.terms),
        "passages": [
            {
                "section": section_id,
                "section_title": corpus.section(section_id).title,
                "paragraph": number,
                "quote": corpus.paragraph(section_id, number),
                "cite": paragraph_ref(section_id, number),
            }
            for section_id, number in chosen.paragraphs
        ],
        "events": [event_record(corpus, event) for event in sorted(events, key=lambda e: (e.date, e.end or ""))],
        "people": [
            {"id": p.id, "name": p.name, "role": p.role, "named_in": "events" if p.id in in_events else "passages"}
            for p in people
        ],
    }
    said = read_as(name, found)
    return Result("topic", {"name": name, "topic": chosen.id}, [record], 1, [said] if said else [])
