"""``kz person`` and ``kz entity``: everything the report says about one named entity."""

from __future__ import annotations

from typing import Any

from kzcli.formats import Result
from kzcli.session import Session


def run(session: Session, command: str, name: str, types: tuple[str, ...] | None) -> Result:
    from kzcli.names import PERSON, candidate_records, require_name, resolve, unresolved_message
    from kzcli.records import entity_profile

    require_name(name, "kz people" if types == PERSON else "kz entities")
    corpus = session.corpus()
    resolution = resolve(corpus, name, types)
    if resolution.entity is None:
        # Not found is a result too: JSON consumers get an empty envelope, exit 1.
        query: dict[str, Any] = {"name": name, "resolved": None, "matched": None}
        message = unresolved_message(corpus, name, types, resolution)
        return Result(command, query, [], 0, [message], {"candidates": candidate_records(resolution)})
    entity = resolution.entity
    query = {"name": name, "resolved": entity.id, "matched": resolution.candidates[0].matched}
    return Result(command, query, [entity_profile(corpus, entity)], 1)
