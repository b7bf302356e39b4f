"""Dynamic values for shell completion: names, section ids and months with events.

Completion must never fail loudly: a broken corpus completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from kzcli.corpus import Corpus
from kzcli.entities import surname
from kzcli.errors import KzError
from kzcli.text import fold


def _load() -> Corpus | None:
    from kzcli.cli import corpus

    try:
        return corpus()
    except KzError:
        return None


def _matching(values: list[str], incomplete: str) -> list[str]:
    typed = fold(incomplete)
    return [v for v in dict.fromkeys(values) if fold(v).startswith(typed)]


def _complete(pick: Callable[[Corpus], list[str]], incomplete: str) -> list[str]:
    data = _load()
    return [] if data is None else _matching(pick(data), incomplete)


def people(incomplete: str) -> list[str]:
    """Full names and surnames of people."""
    return _complete(
        lambda c: [n for e in c.entities if e.type == "person" for n in (e.name, surname(e))],
        incomplete,
    )


def entity_names(incomplete: str) -> list[str]:
    """Names and aliases of every entity."""
    return _complete(lambda c: [n for e in c.entities for n in (e.name, *e.aliases)], incomplete)


def section_ids(incomplete: str) -> list[str]:
    return _complete(lambda c: [s.id for s in c.sections], incomplete)


def months(incomplete: str) -> list[str]:
    """Months (YYYY-MM) that a month- or day-dated event, or a range of them, falls in."""
    from kzcli.timeline import month_counts

    return _complete(lambda c: [m for m, dated, ranges in month_counts(list(c.events)) if dated or ranges], incomplete)
