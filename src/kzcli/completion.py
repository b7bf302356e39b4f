"""Dynamic values for shell completion: what makes a command line kz then runs as it was completed.

Completion must never fail loudly: a broken corpus completes nothing. Which
names fit what was typed is ``kzcli.names``'s policy, as for every command,
folded as the commands fold (``tul``, ``des`` -> Tulesova, Désir). Every word
of a name typed so far counts: ``kz person Asya T<TAB>`` is completed as
"Asya T", and the shell is handed only the rest of the name for the word being
typed (``Tulesova``), since it replaces that word alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kzcli.corpus import Corpus
from kzcli.errors import KzError
from kzcli.session import Session
from kzcli.text import fold, starting_with

# Prefixes of the target grammar (kzcli.cite) whose rest is a name.
_NAME_PREFIXES = {"entity:": None, "person:": ("person",)}


def _complete(session: Session, pick: Callable[[Corpus], list[str]]) -> list[str]:
    try:
        corpus = session.corpus()
    except KzError:
        return []
    return pick(corpus)


def rest_of_names(spellings: Sequence[str], before: Sequence[str]) -> list[str]:
    """What completes the word being typed, for names whose first words were typed as ``before``.

    ``["Asya Tulesova"]`` after ``["Asya"]`` is ``["Tulesova"]``; a spelling whose first words
    are not those is left out (the shell could not insert it in place of one word).
    """
    if not before:
        return list(spellings)
    typed = fold(" ".join(before))
    rests: list[str] = []
    for spelling in spellings:
        words = spelling.split(" ")
        if len(words) > len(before) and fold(" ".join(words[: len(before)])) == typed:
            rests.append(" ".join(words[len(before) :]))
    return list(dict.fromkeys(rests))


def _names(session: Session, incomplete: str, before: Sequence[str], types: tuple[str, ...] | None) -> list[str]:
    from kzcli.names import completions

    typed = " ".join([*before, incomplete])
    return _complete(session, lambda c: rest_of_names(completions(c, typed, types), before))


def people(session: Session, incomplete: str, before: Sequence[str] = ()) -> list[str]:
    """One spelling per person (name, surname or alias) that continues every word typed."""
    return _names(session, incomplete, before, ("person",))


def entity_names(session: Session, incomplete: str, before: Sequence[str] = ()) -> list[str]:
    """One spelling per entity (name or alias) that continues every word typed."""
    return _names(session, incomplete, before, None)


def section_ids(session: Session, incomplete: str) -> list[str]:
    return _complete(session, lambda c: starting_with([s.id for s in c.sections], incomplete))


def targets(session: Session, incomplete: str) -> list[str]:
    """What `kz cite` and `kz read` take: section ids, ``SECTION:N`` once the colon is typed, event ids,
    ``entity:NAME`` (and ``person:``, ``event:``, ``figure:``, ``section:``), and bare names (read silently)."""
    from kzcli.names import completions

    def pick(corpus: Corpus) -> list[str]:
        kind, colon, rest = incomplete.partition(":")
        if colon:
            prefix = kind + colon
            if fold(prefix) in _NAME_PREFIXES:
                return [prefix + name for name in completions(corpus, rest, _NAME_PREFIXES[fold(prefix)])]
            return [prefix + value for value in _after_colon(corpus, fold(kind), rest)]
        sections = starting_with([s.id for s in corpus.sections], incomplete)
        events = starting_with([e.id for e in corpus.events], incomplete)
        return list(dict.fromkeys(sections + events + completions(corpus, incomplete, None)))

    return _complete(session, pick)


def _after_colon(corpus: Corpus, kind: str, rest: str) -> list[str]:
    """``torture:`` -> its paragraph numbers; ``event:``, ``figure:``, ``section:`` -> ids of that kind."""
    if kind == "event":
        return starting_with([e.id for e in corpus.events], rest)
    if kind == "figure":
        return starting_with([f.id for f in corpus.figures], rest)
    if kind == "section":
        return starting_with([s.id for s in corpus.sections], rest)
    section = next((s for s in corpus.sections if fold(s.id) == kind), None)
    if section is None:
        return []
    return [str(n) for n in range(1, len(section.paragraphs) + 1) if str(n).startswith(rest)]


def topic_names(session: Session, incomplete: str) -> list[str]:
    """Topic ids that begin with what was typed (`kz topic`, `--topic`): the one name of a topic
    a shell can offer as one word (labels hold spaces, and shells filter by case)."""
    return _complete(session, lambda c: starting_with([t.id for t in c.topics], incomplete))


def months(session: Session, incomplete: str) -> list[str]:
    """Months (YYYY-MM) that a month- or day-dated event, or a range of them, falls in: the
    earliest that fit what was typed, a bounded number of them however long the ranges."""
    from kzcli.timeline import event_months

    def pick(corpus: Corpus) -> list[str]:
        return event_months(list(corpus.events), fold(incomplete))

    return _complete(session, pick)


# Years a range adds, at most: a range from 0001 to 9999 must not cost a loop of 9999.
MAX_RANGE_YEARS = 100


def years(session: Session, incomplete: str) -> list[str]:
    """Years (YYYY) an event is dated in or a range covers, earliest first, that fit what was typed."""

    def pick(corpus: Corpus) -> list[str]:
        found: set[int] = set()
        for event in corpus.events:
            first, last = _year(event.date), _year(event.end or event.date)
            found.update(range(first, min(last, first + MAX_RANGE_YEARS) + 1))
        return [year for year in (f"{y:04d}" for y in sorted(found) if y > 0) if year.startswith(incomplete)]

    return _complete(session, pick)


def _year(date: str) -> int:
    return int(date[:4]) if date[:4].isascii() and date[:4].isdigit() else 0


def dates(session: Session, incomplete: str) -> list[str]:
    """What ``--from`` and ``--to`` take: the years, then the months, the corpus has events in."""
    return years(session, incomplete) + months(session, incomplete)
