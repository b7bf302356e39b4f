"""``kz person`` and ``kz entity``: everything the report says about one named entity."""

from __future__ import annotations

from kzcli.formats import Result
from kzcli.session import Session


def run(session: Session, command: str, name: str, types: tuple[str, ...] | None) -> Result:
    from kzcli.names import (
        PERSON,
        candidate_records,
        correction,
        require_name,
        resolution_block,
        resolve,
        unresolved_message,
    )
    from kzcli.records import entity_profile

    require_name(name, "kz people" if types == PERSON else "kz entities")
    corpus = session.corpus()
    resolution = resolve(corpus, name, types)
    # The query block says how the name was read: as written, or spelt otherwise (and said so).
    query = resolution_block(resolution)
    if resolution.entity is None:
        # Not found is a result too: JSON consumers get an empty envelope, exit 1.
        message = unresolved_message(corpus, name, types, resolution)
        return Result(command, query, [], 0, [message], {"candidates": candidate_records(resolution)})
    from kzcli.entities import events_of
    from kzcli.timeline import inferred_dates

    said = correction(resolution)
    messages = ([said] if said else []) + inferred_dates(events_of(corpus, resolution.entity.id))
    return Result(command, query, [entity_profile(corpus, resolution.entity)], 1, messages)
