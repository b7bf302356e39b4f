"""``kz read``: the paragraphs a target names (the target grammar of ``kz cite``), numbered."""

from __future__ import annotations

from typing import Any

from kzcli.formats import Result
from kzcli.session import Session


def run(session: Session, target: str | None) -> Result:
    from kzcli.cite import paragraphs_of, resolve_target
    from kzcli.records import paragraph_record

    corpus = session.corpus()
    place = resolve_target(corpus, target, "read")
    records = [paragraph_record(corpus, section, number) for section, number in paragraphs_of(corpus, place)]
    query: dict[str, Any] = {
        "target": target,
        "resolved": place.target,
        "kind": place.kind,
        "section": place.section.id if place.section else None,
        "title": place.section.title if place.section else corpus.report.title,
        # How a loosely written target was read (also said on stderr), or null.
        "correction": place.note,
    }
    return Result("read", query, records, len(records), [place.note] if place.note else [])
