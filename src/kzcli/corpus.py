"""The model: the report's records, typed, and the ``Corpus`` that holds them.

A corpus answers two kinds of question. Its records (``sections``,
``entities``, ...) are every record of a kind, for listings and export. Its
lookups (one section, one entity's events, the names holding a word, the
search index) go through ``Lookups``, the one seam to where the records are
kept: in memory (``kzcli.memory``, whose marshalled form is the wheel's
snapshot) or in an index file (``kzcli.store``). This module imports neither,
nor any query code; ``kzcli.loading`` chooses and builds them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

from kzcli.named import NamedTuple

if TYPE_CHECKING:
    from kzcli.search import SearchIndex

SCHEMA_VERSION = 1
ENTITY_TYPES = ("person", "organization", "place", "law")
PRECISIONS = ("year", "month", "day")
# What part of an event's date the corpus may read from context rather than the text (Event.inferred).
INFERRED_PARTS = ("year", "month", "day")
LEFT_OUT_KINDS = ("date", "number", "name")
# The two vocabularies a topic comes from, as the UN's Universal Human Rights Index has them.
TOPIC_VOCABULARIES = ("theme", "affected persons")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class Report(NamedTuple):
    title: str
    country: str
    period: str
    series: str
    publisher: str
    source_file: str


class Section(NamedTuple):
    id: str
    title: str
    paragraphs: tuple[str, ...]


class Mention(NamedTuple):
    section: str
    paragraph: int
    quote: str


class Entity(NamedTuple):
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    role: str
    mentions: tuple[Mention, ...]


class Event(NamedTuple):
    id: str
    date: str
    end: str | None
    precision: str
    ongoing: bool
    date_text: str
    summary: str
    section: str
    paragraph: int
    quote: str
    entities: tuple[str, ...]
    # The part of the date the report does not state but the corpus reads from context
    # ("year": "In November" is 2019 by the tense), and the id of the note that says why; or None.
    inferred: str | None = None
    date_note: str | None = None


class Figure(NamedTuple):
    id: str
    value: float | int | None
    text: str
    unit: str
    what: str
    section: str
    paragraph: int
    quote: str
    # The words of ``text`` that qualify the number ("at least", "nearly", "up to") or stand
    # for one ("dozens", "hundreds"), as the report writes them; None for a number stated plainly.
    qualifier: str | None = None


class Note(NamedTuple):
    id: str
    text: str


class LeftOut(NamedTuple):
    kind: str
    text: str
    section: str
    paragraph: int
    reason: str


class Topic:
    """A theme or a group of affected persons, with the words people search for it by
    and every paragraph (section, number) and event (id) tagged with it.

    A plain class, not a NamedTuple: creating one costs ~0.22 ms at import, on every
    run of kz (this one ~0.01 ms). It iterates and compares as the tuple of its fields.
    """

    __slots__ = ("events", "id", "label", "paragraphs", "scope", "terms", "vocabulary")

    def __init__(
        self,
        id: str,
        label: str,
        vocabulary: str,
        scope: str,
        terms: tuple[str, ...],
        paragraphs: tuple[tuple[str, int], ...],
        events: tuple[str, ...],
    ) -> None:
        self.id = id
        self.label = label
        self.vocabulary = vocabulary  # one of TOPIC_VOCABULARIES
        self.scope = scope  # what the topic covers, in the corpus's own words (not the report's)
        self.terms = terms  # synonyms, abbreviations, common and older words
        self.paragraphs = paragraphs
        self.events = events

    def fields(self) -> tuple[str, str, str, str, tuple[str, ...], tuple[tuple[str, int], ...], tuple[str, ...]]:
        return (self.id, self.label, self.vocabulary, self.scope, self.terms, self.paragraphs, self.events)

    def __iter__(self) -> Iterator[object]:
        return iter(self.fields())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Topic) and self.fields() == other.fields()

    def __hash__(self) -> int:
        return hash(self.fields())

    def __repr__(self) -> str:
        return f"Topic({self.id!r}, {self.label!r})"


class Records(NamedTuple):
    """Every record of a corpus, in the corpus file's order."""

    sections: tuple[Section, ...]
    entities: tuple[Entity, ...]
    events: tuple[Event, ...]
    figures: tuple[Figure, ...]
    notes: tuple[Note, ...]
    left_out: tuple[LeftOut, ...]
    topics: tuple[Topic, ...] = ()


class Lookups(Protocol):
    """What a query asks of a corpus short of every record: answered in memory or from an index file.

    Both implementations answer alike, ties and order included
    (tests/test_backends.py runs the same questions against each).
    """

    def section(self, section_id: str) -> Section | None: ...
    def section_titles(self) -> tuple[tuple[str, str], ...]: ...
    def entity(self, entity_id: str) -> Entity | None: ...
    def entity_position(self, entity_id: str) -> int: ...
    def events_involving(self, entity_id: str) -> tuple[Event, ...]: ...
    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]: ...
    def entities_named(self, key: str) -> tuple[Entity, ...]: ...
    def name_table(self) -> dict[str, tuple[Entity, ...]]: ...
    def name_keys_with_word(self, word: str) -> tuple[str, ...]: ...
    def events_between(self, start: str, end: str) -> tuple[Event, ...]: ...
    def latest_day(self) -> str: ...
    def report_spellings(self) -> dict[str, str]: ...
    def search_index(self) -> SearchIndex: ...
    def topics(self) -> tuple[Topic, ...]: ...


class Corpus:
    """The whole report: its header, its records, and the lookups queries make.

    A plain class (and the records named tuples), not dataclasses: each frozen
    dataclass cost ~0.4 ms to create at import, ~5 ms of every run of kz.
    Treat it as immutable. ``records`` is read on first use when the lookups
    come from an index file: most commands never need every record.
    """

    __slots__ = ("_read_records", "_records", "lookups", "path", "report", "schema_version")

    def __init__(
        self,
        schema_version: int,
        report: Report,
        lookups: Lookups,
        records: Records | None = None,
        read_records: Callable[[], Records] | None = None,
        path: str = "",
    ) -> None:
        if records is None and read_records is None:
            raise ValueError("a corpus needs its records or a way to read them")
        self.schema_version = schema_version
        self.report = report
        self.lookups = lookups
        self._records = records
        self._read_records = read_records
        self.path = path

    @property
    def records(self) -> Records:
        if self._records is None:
            assert self._read_records is not None
            self._records = self._read_records()
        return self._records

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.records.sections

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.records.entities

    @property
    def events(self) -> tuple[Event, ...]:
        return self.records.events

    @property
    def figures(self) -> tuple[Figure, ...]:
        return self.records.figures

    @property
    def notes(self) -> tuple[Note, ...]:
        return self.records.notes

    @property
    def left_out(self) -> tuple[LeftOut, ...]:
        return self.records.left_out

    def __repr__(self) -> str:
        read = "records read" if self._records is not None else "records not read"
        return f"Corpus(path={self.path!r}, lookups={type(self.lookups).__name__}, {read})"

    # --- lookups ------------------------------------------------------------------

    def section(self, section_id: str) -> Section:
        found = self.lookups.section(section_id)
        if found is None:
            raise KeyError(section_id)
        return found

    def section_or_none(self, section_id: str) -> Section | None:
        return self.lookups.section(section_id)

    def entity(self, entity_id: str) -> Entity:
        found = self.lookups.entity(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def entity_or_none(self, entity_id: str) -> Entity | None:
        return self.lookups.entity(entity_id)

    def section_titles(self) -> tuple[tuple[str, str], ...]:
        """(id, title) of every section, in report order: enough to find one by name."""
        return self.lookups.section_titles()

    def paragraph(self, section_id: str, number: int) -> str:
        """Paragraph text by 1-based number, as citations use it."""
        return self.section(section_id).paragraphs[number - 1]

    def entity_position(self, entity_id: str) -> int:
        """Where an entity stands in the corpus's order (listings and hints keep it)."""
        return self.lookups.entity_position(entity_id)

    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        """The events naming an entity, in corpus order."""
        return self.lookups.events_involving(entity_id)

    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        """The entities mentioned in one paragraph, in corpus order."""
        return self.lookups.entities_at(section_id, number)

    def entities_named(self, key: str) -> tuple[Entity, ...]:
        """Entities one of whose name keys (``entities.name_keys``) is ``key``, in corpus order."""
        return self.lookups.entities_named(key)

    def name_table(self) -> dict[str, tuple[Entity, ...]]:
        """Every name key and its entities."""
        return self.lookups.name_table()

    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        """Every name key holding ``word`` as one of its words."""
        return self.lookups.name_keys_with_word(word)

    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        """At least every event whose interval (``timeline.interval``) overlaps ``start``..``end``.

        In memory that is simply every event (the caller selects); an index
        file narrows it down first, so a corpus of thousands of events is not
        read whole for one month.
        """
        return self.lookups.events_between(start, end)

    def search_index(self) -> SearchIndex:
        return self.lookups.search_index()

    @property
    def topics(self) -> tuple[Topic, ...]:
        """Every topic, in corpus order: from the lookups, so an index file need not read every record."""
        return self.lookups.topics()


# --- dates ----------------------------------------------------------------------

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def paragraph_ref(section: str, number: int) -> str:
    """How a paragraph is referred to: ``torture:2``, as topics tag it and ``kz read`` and
    ``kz cite`` take it (the ``cite`` of every record with a place)."""
    return f"{section}:{number}"


def date_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO date prefix (YYYY, YYYY-MM, YYYY-MM-DD), or None.

    ASCII digits only: "２０２０" and "2020-06-06\\n" are not dates.
    """
    parts = value.split("-")
    if not (
        1 <= len(parts) <= 3
        and [len(p) for p in parts] == [4, 2, 2][: len(parts)]
        and all(p.isascii() and p.isdigit() for p in parts)
    ):
        return f"'{value}' is not YYYY, YYYY-MM or YYYY-MM-DD"
    if parts[0] == "0000":
        return f"'{value}' has no year 0000 (the calendar goes from 1 BC to AD 1)"
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        return f"'{value}' has no month {parts[1]}"
    if len(parts) > 2 and not 1 <= int(parts[2]) <= days_in_month(int(parts[0]), int(parts[1])):
        return f"'{value}' has no day {parts[2]}"
    return None


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the Gregorian calendar (no ``calendar`` import on the query path)."""
    if month == 2 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 28
    return _DAYS_IN_MONTH[month - 1]


def precision_of(value: str) -> str:
    """'year', 'month' or 'day' by the form of an ISO prefix."""
    return PRECISIONS[value.count("-")]
