"""Dynamic values for shell completion: names, section ids and months with events.

Completion must never fail loudly: a broken corpus completes nothing. Which
names fit what was typed is ``kzcli.names``'s policy, as for every command.
"""

from __future__ import annotations

from collections.abc import Callable

from kzcli.corpus import Corpus
from kzcli.errors import KzError
from kzcli.session import Session
from kzcli.text import fold, starting_with


def _complete(session: Session, pick: Callable[[Corpus], list[str]]) -> list[str]:
    try:
        corpus = session.corpus()
    except KzError:
        return []
    return pick(corpus)


def people(session: Session, incomplete: str) -> list[str]:
    """Full names and surnames of people."""
    from kzcli.names import PERSON, completions

    return _complete(session, lambda c: completions(c, incomplete, PERSON, surnames=True))


def entity_names(session: Session, incomplete: str) -> list[str]:
    """Names and aliases of every entity."""
    from kzcli.names import completions

    return _complete(session, lambda c: completions(c, incomplete, None, surnames=False))


def section_ids(session: Session, incomplete: str) -> list[str]:
    return _complete(session, lambda c: starting_with([s.id for s in c.sections], incomplete))


def topic_names(session: Session, incomplete: str) -> list[str]:
    """Topic ids that begin with what was typed (`kz topic`, `--topic`): the one name of a topic
    a shell can offer as one word (labels hold spaces, and shells filter by case)."""
    return _complete(session, lambda c: starting_with([t.id for t in c.topics], incomplete))


def cite_targets(session: Session, incomplete: str) -> list[str]:
    """What `kz cite` and `kz read` take whole: section ids, then names and aliases (read silently)."""
    return section_ids(session, incomplete) + entity_names(session, incomplete)


def months(session: Session, incomplete: str) -> list[str]:
    """Months (YYYY-MM) that a month- or day-dated event, or a range of them, falls in: the
    earliest that fit what was typed, a bounded number of them however long the ranges."""
    from kzcli.timeline import event_months

    def pick(corpus: Corpus) -> list[str]:
        return event_months(list(corpus.events), fold(incomplete))

    return _complete(session, pick)
