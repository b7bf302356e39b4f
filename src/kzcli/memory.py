"""Lookups over records held in memory, and their marshalled form: the wheel's snapshot.

Each lookup table is worked out from the records on first use. For the corpus
that ships inside the wheel that work gives the same answer every time, so the
wheel build (``hatch_build.py``) does it once and stores the records, the
tables and the search index as ``report.snapshot`` beside ``report.json``, in
``marshal`` format (built in, nothing to import): about 5 ms of a 65 ms
``kz search torture`` saved. ``to_snapshot`` writes it and ``from_snapshot``
reads it; nothing else does. Each record is stored once: the search index
keeps paragraph lengths, not their text, and each word's postings marshalled
on their own, unpacked when a query asks for that word (``_Packed``): unpacking
all of them took ~0.8 ms of every search, which looks up a few words.

A snapshot is used only when its header (``kzcli.validity``) matches the
corpus beside it; anything else (no snapshot, another corpus, another kz, a
Python whose marshal cannot read it) falls back to parsing and validating the
JSON. Nothing is ever written at run time.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kzcli.corpus import Entity, Event, Figure, LeftOut, Mention, Note, Records, Report, Section, Topic
from kzcli.named import NamedTuple

if TYPE_CHECKING:
    from kzcli.search import SearchIndex


class LookupTables(NamedTuple):
    """What lookups work out from every record, by record position: one form for the
    snapshot (marshalled whole) and the index file (a row per key, ``kzcli.store``)."""

    names: dict[str, tuple[int, ...]]  # name key -> entity positions
    name_words: dict[str, tuple[str, ...]]  # a word -> the name keys holding it
    event_entities: dict[str, tuple[int, ...]]  # entity id -> positions of the events naming it
    mentions: dict[tuple[str, int], tuple[int, ...]]  # (section, paragraph) -> entity positions
    report_spellings: dict[str, str]  # entities.report_spellings
    latest_day: str  # timeline.latest_day


def lookup_tables(records: Records) -> LookupTables:
    """Every table, worked out from the records (in corpus order: ties come out alike everywhere)."""
    from kzcli.entities import aligned_spellings
    from kzcli.names import name_keys
    from kzcli.timeline import latest_day

    position = {entity.id: i for i, entity in enumerate(records.entities)}
    names: dict[str, list[int]] = {}
    for i, entity in enumerate(records.entities):
        for key in name_keys(entity):
            names.setdefault(key, []).append(i)
    name_words: dict[str, list[str]] = {}
    for key in names:
        for word in dict.fromkeys(key.split()):
            name_words.setdefault(word, []).append(key)
    event_entities: dict[str, list[int]] = {}
    for i, event in enumerate(records.events):
        for named in dict.fromkeys(event.entities):
            event_entities.setdefault(named, []).append(i)
    mentions: dict[tuple[str, int], dict[int, None]] = {}
    for entity in records.entities:
        for mention in entity.mentions:
            mentions.setdefault((mention.section, mention.paragraph), {})[position[entity.id]] = None
    return LookupTables(
        {key: tuple(found) for key, found in names.items()},
        {word: tuple(keys) for word, keys in name_words.items()},
        {entity_id: tuple(found) for entity_id, found in event_entities.items()},
        {place: tuple(found) for place, found in mentions.items()},
        aligned_spellings(records.entities),
        latest_day(records.events),
    )


class MemoryLookups:
    """``corpus.Lookups`` over records in memory."""

    def __init__(
        self,
        report: Report,
        records: Records,
        tables: LookupTables | None = None,
        index: SearchIndex | None = None,
    ) -> None:
        self.report = report
        self.records = records
        self._tables = tables
        self._index = index
        # The snapshot's search index as marshal left it: made an index on first search only,
        # so commands that never search never import the stemmer.
        self._stored_index: tuple[Any, ...] | None = None
        self._sections: dict[str, Section] | None = None
        self._position_of: dict[str, int] | None = None
        self._titles: tuple[tuple[str, str], ...] | None = None
        self._name_table: dict[str, tuple[Entity, ...]] | None = None

    @property
    def tables(self) -> LookupTables:
        if self._tables is None:
            self._tables = lookup_tables(self.records)
        return self._tables

    def section(self, section_id: str) -> Section | None:
        if self._sections is None:
            self._sections = {s.id: s for s in self.records.sections}
        return self._sections.get(section_id)

    def section_titles(self) -> tuple[tuple[str, str], ...]:
        if self._titles is None:
            self._titles = tuple((s.id, s.title) for s in self.records.sections)
        return self._titles

    def _positions(self) -> dict[str, int]:
        if self._position_of is None:
            self._position_of = {e.id: i for i, e in enumerate(self.records.entities)}
        return self._position_of

    def entity(self, entity_id: str) -> Entity | None:
        found = self._positions().get(entity_id)
        return None if found is None else self.records.entities[found]

    def entity_position(self, entity_id: str) -> int:
        return self._positions()[entity_id]

    def _by_position(self, positions: tuple[int, ...]) -> tuple[Entity, ...]:
        entities = self.records.entities
        return tuple(entities[i] for i in positions)

    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        events = self.records.events
        return tuple(events[i] for i in self.tables.event_entities.get(entity_id, ()))

    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        return self._by_position(self.tables.mentions.get((section_id, number), ()))

    def entities_named(self, key: str) -> tuple[Entity, ...]:
        return self._by_position(self.tables.names.get(key, ()))

    def name_table(self) -> dict[str, tuple[Entity, ...]]:
        if self._name_table is None:
            self._name_table = {key: self._by_position(found) for key, found in self.tables.names.items()}
        return self._name_table

    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        return self.tables.name_words.get(word, ())

    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        return self.records.events

    def latest_day(self) -> str:
        return self.tables.latest_day

    def report_spellings(self) -> dict[str, str]:
        return self.tables.report_spellings

    def topics(self) -> tuple[Topic, ...]:
        return self.records.topics

    def search_index(self) -> SearchIndex:
        from kzcli.search import build_index
        from kzcli.text import stemmer_version

        if self._stored_index is not None:
            self._index, self._stored_index = _index_from_snapshot(self.records.sections, self._stored_index), None
        if self._index is None or self._index.stemmer != stemmer_version():
            self._index = build_index(self.records.sections)
        return self._index

    # --- the snapshot -------------------------------------------------------------

    def to_snapshot(self, schema_version: int, header: tuple[object, ...]) -> bytes:
        """These records, tables and search index in marshal form, behind ``header``."""
        records = self.records
        plain_records = (
            tuple(tuple(s) for s in records.sections),
            tuple((*e[:5], tuple(tuple(m) for m in e.mentions)) for e in records.entities),
            tuple(tuple(v) for v in records.events),
            tuple(tuple(f) for f in records.figures),
            tuple(tuple(n) for n in records.notes),
            tuple(tuple(o) for o in records.left_out),
            tuple(t.fields() for t in records.topics),
        )
        index = self.search_index()
        plain_index = (
            index.stemmer,
            tuple(p.length for p in index.paragraphs),
            _packed(index.stem_postings),
            _packed(index.surface_postings),
            index.title_terms,
            index.average_length,
        )
        body = (schema_version, tuple(self.report), plain_records, tuple(self.tables), plain_index)
        return marshal.dumps((header, body))  # type: ignore[arg-type]  # plain tuples, dicts, sets

    @classmethod
    def from_snapshot(cls, payload: bytes, header: tuple[object, ...]) -> tuple[int, MemoryLookups] | None:
        """(schema version, lookups) from a snapshot made behind ``header``; None if it is another's or unreadable."""
        try:
            stored_header, body = marshal.loads(payload)
            if tuple(stored_header) != header:
                return None
            schema_version, report, plain_records, tables, plain_index = body
            records = Records(
                tuple(Section(*s) for s in plain_records[0]),
                tuple(Entity(*e[:5], tuple(Mention(*m) for m in e[5])) for e in plain_records[1]),  # type: ignore[call-arg]
                tuple(Event(*v) for v in plain_records[2]),
                tuple(Figure(*f) for f in plain_records[3]),
                tuple(Note(*n) for n in plain_records[4]),
                tuple(LeftOut(*o) for o in plain_records[5]),
                tuple(Topic(*t) for t in plain_records[6]),
            )
            lookups = cls(Report(*report), records, LookupTables(*tables))
            if len(plain_index) != 6:
                return None
            lookups._stored_index = tuple(plain_index)
        except (EOFError, ValueError, TypeError, IndexError):
            return None
        return int(schema_version), lookups


def _index_from_snapshot(sections: tuple[Section, ...], plain: tuple[Any, ...]) -> SearchIndex:
    from kzcli.search import Paragraph, SearchIndex, section_tables

    stemmer, lengths, stem_postings, surface_postings, title_terms, average = plain
    paragraphs = [
        Paragraph(s.id, s.title, number, text, 0) for s in sections for number, text in enumerate(s.paragraphs, 1)
    ]
    if len(paragraphs) != len(lengths):
        raise ValueError("the snapshot's index is not of these sections")
    paragraphs = [p._replace(length=length) for p, length in zip(paragraphs, lengths, strict=True)]
    return SearchIndex(
        paragraphs,
        _Packed(stem_postings),
        _Packed(surface_postings),
        title_terms,
        average,
        *section_tables(paragraphs, title_terms),
        stemmer,
    )


def _packed(postings: Mapping[str, Mapping[int, list[int]]]) -> dict[str, bytes]:
    return {word: marshal.dumps(dict(places)) for word, places in postings.items()}


class _Packed(Mapping[str, dict[int, list[int]]]):
    """A word's postings as the snapshot keeps them, unpacked on first lookup of that word."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._unpacked: dict[str, dict[int, list[int]]] = {}

    def __getitem__(self, word: str) -> dict[int, list[int]]:
        found = self._unpacked.get(word)
        if found is None:
            found = self._unpacked[word] = marshal.loads(self._packed[word])
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)
