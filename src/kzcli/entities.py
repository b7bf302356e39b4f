"""What listings and profiles say about entities: types, surnames, spellings, events, who else is named with them.

Finding the entity a typed name means is ``kzcli.names``'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from kzcli.corpus import ENTITY_TYPES, Corpus, Entity, Event
from kzcli.errors import UsageError
from kzcli.spelling import skeleton
from kzcli.text import fold, words

T = TypeVar("T")

# What users type for a type besides its own name: British spelling and plurals.
_TYPE_SPELLINGS = {
    "organisation": "organization",
    "org": "organization",
    "people": "person",
    "persons": "person",
}


def entity_type_named(text: str) -> str:
    """The entity type ``text`` means (``Organisation``, ``laws``), or UsageError."""
    word = fold(text).strip()
    word = _TYPE_SPELLINGS.get(word, word)
    if word not in ENTITY_TYPES and word.endswith("s"):
        word = _TYPE_SPELLINGS.get(word[:-1], word[:-1])
    if word not in ENTITY_TYPES:
        raise UsageError(f"unknown entity type {text!r}; use one of {', '.join(ENTITY_TYPES)}")
    return word


def surname(entity: Entity) -> str:
    """The last word of a name: what people are sorted by, completed and called by in hints."""
    return entity.name.split()[-1]


def speller(corpus: Corpus) -> Callable[[str], str | None]:
    """``report_spellings`` as a lookup, built on first use: most searches never need it. A word
    it does not hold is looked up by its skeleton (``spelling.skeleton``: "toqayev" and "tokaev"
    are one) among the report's spellings it leads to, as ``kz person`` reads a name spelt
    otherwise; a skeleton two spellings share stands for neither."""
    table: dict[str, str] | None = None
    by_skeleton: dict[str, str] | None = None

    def respell(word: str) -> str | None:
        nonlocal table, by_skeleton
        if table is None:
            table = report_spellings(corpus)
        found = table.get(word)
        if found is not None:
            return found
        if by_skeleton is None:
            by_skeleton = _skeletons(table)
        return by_skeleton.get(skeleton(word))

    return respell


def _skeletons(table: dict[str, str]) -> dict[str, str]:
    """The report's spellings in ``table`` (its values: every word of a person's or place's name
    as the report writes it) by skeleton: only the table, which every backend keeps, so a
    search from an index file reads no record for it."""
    return _one_each((skeleton(word), word) for word in sorted(set(table.values())))


def report_spellings(corpus: Corpus) -> dict[str, str]:
    """Folded alias words mapped to the word the report itself writes ("semyonova" -> "semenova"),
    and each word of a person's or place's name as the report writes it, to itself.

    An alias is aligned with the end of the name ("Yelena Semyonova" with "Elena
    Semenova", "Jakishev" with "Dzhakishev"), word by word. A word two names
    spell differently is left out: it has no one report spelling. People and
    places only: their aliases are spellings, while an organisation's are
    acronyms and short forms ("OSCE", "Street Party"). Worked out once per corpus.
    """
    return corpus.lookups.report_spellings()


def aligned_spellings(entities: tuple[Entity, ...]) -> dict[str, str]:
    """``report_spellings`` worked out from every entity (``kzcli.memory`` keeps the table)."""
    spelt = [entity for entity in entities if entity.type in ("person", "place")]
    table = _one_each(
        (typed, written)
        for entity in spelt
        for alias in entity.aliases
        for typed, written in _aligned(words(alias), words(entity.name))
        if typed != written
    )
    # The report's own spellings too, each as itself: the words a spelling in other letters is
    # read as (``speller``: "majenov" is "mazhenov", a name with no alias).
    for entity in spelt:
        for word in words(entity.name):
            table.setdefault(word, word)
    return table


def _aligned(alias_words: list[str], name_words: list[str]) -> list[tuple[str, str]]:
    """An alias's words beside the last words of the name ("Jakishev" beside "Dzhakishev");
    none for an alias longer than the name."""
    if len(alias_words) > len(name_words):
        return []
    return list(zip(alias_words, name_words[len(name_words) - len(alias_words) :], strict=True))


def _one_each(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The pairs as a table, leaving out a key paired with two values: it stands for neither."""
    found: dict[str, str | None] = {}
    for key, value in pairs:
        found[key] = value if found.get(key, value) == value else None
    return {key: value for key, value in found.items() if value is not None}


def events_of(corpus: Corpus, entity_id: str) -> list[Event]:
    """Events that involve an entity, in date order."""
    from kzcli.timeline import sort_key

    return sorted(corpus.events_involving(entity_id), key=sort_key)


def named_in_same_paragraphs(corpus: Corpus, entity: Entity) -> list[tuple[Entity, list[tuple[str, int]]]]:
    """Entities named in a paragraph that names ``entity``, with those paragraphs, most shared first.

    Sharing a paragraph is all it says: the paragraph may tell of two unrelated
    cases (Almaty's courts and Dadash Mazhenov). ``in_same_events`` says who is
    part of the same events.
    """
    shared: dict[str, list[tuple[str, int]]] = {}
    for place in dict.fromkeys((m.section, m.paragraph) for m in entity.mentions):
        for other in corpus.entities_at(*place):
            if other.id != entity.id:
                shared.setdefault(other.id, []).append(place)
    return _most_first(corpus, shared)


def in_same_events(corpus: Corpus, entity: Entity) -> list[tuple[Entity, list[Event]]]:
    """Entities that take part in an event of ``entity``, with those events (date order), most shared first."""
    shared: dict[str, list[Event]] = {}
    for event in events_of(corpus, entity.id):
        for other_id in dict.fromkeys(event.entities):
            if other_id != entity.id:
                shared.setdefault(other_id, []).append(event)
    return _most_first(corpus, shared)


def _most_first(corpus: Corpus, shared: dict[str, list[T]]) -> list[tuple[Entity, list[T]]]:
    pairs = [(corpus.entity(i), found) for i, found in shared.items()]
    pairs.sort(key=lambda pair: (-len(pair[1]), pair[0].name))
    return pairs


def sections_of(entity: Entity) -> list[str]:
    """Section ids where an entity is mentioned, in first-mention order."""
    return list(dict.fromkeys(m.section for m in entity.mentions))


def by_first_appearance(corpus: Corpus) -> Callable[[Entity], tuple[int, int]]:
    """A sort key: (section order, paragraph) of an entity's first mention, for 'sort by appearance'.

    The section order is worked out once per sort, not once per entity sorted.
    """
    order = {section_id: i for i, (section_id, _) in enumerate(corpus.section_titles())}
    return lambda entity: min((order[m.section], m.paragraph) for m in entity.mentions)
