"""An index file for a large corpus: ``kz index corpus.json`` writes ``corpus.json.kzindex``.

Loading a corpus means parsing, validating and typing all of it, and a
search builds an index of every paragraph: work that grows with the corpus
(a corpus 100 times the report's size took ~550 ms a search). With an index
file beside it, a command reads only what it needs: the postings of the
words searched for, one person's records, one period's events (SQLite, from
the standard library). ``SqliteLookups`` answers ``corpus.Lookups`` from it.

The file is used only when its header (``kzcli.validity``) matches the corpus
beside it. It carries a CRC-32 of itself too (in the SQLite header's "user
version", over every other byte), checked before each use. A stale, damaged
or unreadable file is passed over (kz says so once, on stderr, and answers
from the JSON) and never rewritten unasked. The same corpus and kz always
write the same file. Commands that need every record read the JSON without
validating it again, since its checksum matches the corpus validated when
the index was made.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

from kzcli import validity
from kzcli.corpus import Corpus, Entity, Event, Mention, Records, Report, Section
from kzcli.errors import CorpusError, OutputError, UsageError

if TYPE_CHECKING:
    from kzcli.search import Paragraph, SearchIndex

_SQLITE_MAGIC = b"SQLite format 3\x00"
# Each table: the columns lookups search by, then the whole row (marshal), those columns included.
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, row BLOB) WITHOUT ROWID;
CREATE TABLE sections (id TEXT PRIMARY KEY, position INTEGER, title TEXT, row BLOB) WITHOUT ROWID;
CREATE TABLE paragraphs (doc INTEGER PRIMARY KEY, row BLOB);
CREATE TABLE postings (kind INTEGER, key TEXT, row BLOB, PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE entities (position INTEGER PRIMARY KEY, id TEXT UNIQUE, row BLOB);
CREATE TABLE names (key TEXT PRIMARY KEY, row BLOB) WITHOUT ROWID;
CREATE TABLE name_words (word TEXT PRIMARY KEY, row BLOB) WITHOUT ROWID;
CREATE TABLE events (position INTEGER PRIMARY KEY, first TEXT, last TEXT, row BLOB);
CREATE TABLE event_entities (entity TEXT PRIMARY KEY, row BLOB) WITHOUT ROWID;
CREATE TABLE mentions (section TEXT, paragraph INTEGER, row BLOB, PRIMARY KEY (section, paragraph)) WITHOUT ROWID;
CREATE TABLE title_postings (term TEXT PRIMARY KEY, row BLOB) WITHOUT ROWID;
"""
_STEMS, _SURFACES = 0, 1
# Ids per "IN (...)" query: under SQLite's smallest limit on parameters (999).
_CHUNK = 500
# The SQLite header's "user version" (4 bytes at offset 60): where the file's own CRC-32 goes.
_CRC_AT = 60
# Its "application id" (offset 68): what marks a file as kz's, whichever kz wrote it.
_APPLICATION_ID = int.from_bytes(b"kzix", "big")
_APPLICATION_ID_AT = 68
_Value = TypeVar("_Value")


# --- the rows of each table (marshalled as plain tuples) ------------------------------


class MetaRow(NamedTuple):
    header: tuple[Any, ...]  # validity.header
    schema_version: int
    report: tuple[str, ...]
    latest_day: str
    report_spellings: tuple[tuple[str, str], ...]
    paragraph_count: int
    average_length: float
    stemmer: str


class SectionRow(NamedTuple):
    id: str
    title: str
    paragraphs: tuple[str, ...]
    title_terms: tuple[str, ...]
    docs: tuple[int, ...]  # its paragraphs' numbers in the search index


class ParagraphRow(NamedTuple):
    doc: int
    section: str
    number: int
    length: int


class PostingRow(NamedTuple):
    kind: int
    key: str
    places: dict[int, list[int]]  # paragraph -> token positions


class EntityRow(NamedTuple):
    position: int
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    role: str
    mentions: tuple[tuple[str, int, str], ...]


class EventRow(NamedTuple):
    position: int
    first: str
    last: str
    event: tuple[Any, ...]  # the Event's fields


class KeyedRow(NamedTuple):
    """names, name_words, event_entities, title_postings: a key and what it leads to."""

    key: str
    found: tuple[Any, ...]


class MentionsRow(NamedTuple):
    section: str
    paragraph: int
    positions: tuple[int, ...]


def _pack(row: tuple[Any, ...]) -> bytes:
    return marshal.dumps(tuple(row))


_Row = TypeVar("_Row", bound=tuple[Any, ...])


def _unpack(kind: type[_Row], packed: bytes) -> _Row:
    """A row of ``kind``; the whole file's checksum vouched for it when the file was opened."""
    return kind(*marshal.loads(packed))


def store_path(corpus_path: str) -> str:
    return corpus_path + validity.STORE_SUFFIX


# --- writing -------------------------------------------------------------------


def write(corpus_path: str) -> str:
    """Validate the corpus at ``corpus_path`` and write its index file beside it; return that path.

    Replaces an index file kz wrote before, never anything else, and only if
    it is still that file when the new one is renamed into place (``kzcli.files``).
    The database is built in memory: SQLite creates no file, journal or not.
    """
    from kzcli.document import build, bundled_path, read_valid
    from kzcli.files import check_target, sqlite_image, staged_file

    if os.path.realpath(corpus_path) == os.path.realpath(bundled_path()):
        raise UsageError("the bundled corpus needs no index file (kz ships it prebuilt); index a --data corpus")
    raw, source = read_valid(corpus_path)
    path = store_path(corpus_path)
    target = check_target(path, force=True)
    if target.found is not None and not _is_store(path, target.found):
        raise UsageError(f"{path} exists and is not a kz index file kz can read; kz will not replace it")
    corpus = build(raw, corpus_path)
    header = validity.header(len(source), zlib.crc32(source))
    try:
        image = _stamped(sqlite_image(lambda db: _fill(db, corpus, header)))
        with staged_file(target, encoding=None) as handle:
            handle.write(image)
    except sqlite3.Error as exc:
        raise OutputError(f"cannot build {path}: {exc}") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def _is_store(path: str, checked: os.stat_result | None = None) -> bool:
    """True for a file ``kz index`` wrote (whatever corpus or kz version it was for), damaged or not.

    Opened without following a link and without waiting on a FIFO; with
    ``checked``, only if it is still the file that was checked.
    """
    import stat

    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as handle:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            return False
        if checked is not None and (found.st_dev, found.st_ino) != (checked.st_dev, checked.st_ino):
            return False
        head = handle.read(_APPLICATION_ID_AT + 4)
    marked = int.from_bytes(head[_APPLICATION_ID_AT:], "big") == _APPLICATION_ID
    return head.startswith(_SQLITE_MAGIC) and marked


def _stamped(image: bytes) -> bytes:
    """The database with its CRC-32 in its checksum bytes, computed as ``validity.file_crc`` reads it:
    over every other byte, those four counted as zeros."""
    if len(image) < _CRC_AT + 4:
        raise OutputError("the index database came out empty")
    crc = zlib.crc32(image[_CRC_AT + 4 :], zlib.crc32(b"\0\0\0\0", zlib.crc32(image[:_CRC_AT])))
    return image[:_CRC_AT] + crc.to_bytes(4, "big") + image[_CRC_AT + 4 :]


def _rows(corpus: Corpus, header: tuple[Any, ...]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a fixed order: the same corpus always gives the same file.

    The lookup tables are the in-memory lookups' own (``memory.lookup_tables``):
    what the index file answers is then what the corpus in memory answers, ties included.
    """
    from kzcli.memory import MemoryLookups
    from kzcli.timeline import covered_until, interval

    lookups = corpus.lookups
    assert isinstance(lookups, MemoryLookups)
    tables, index = lookups.tables, lookups.search_index()
    until = covered_until(corpus)
    meta = MetaRow(
        header,
        corpus.schema_version,
        tuple(corpus.report),
        tables.latest_day,
        tuple(sorted(tables.report_spellings.items())),
        len(index.paragraphs),
        index.average_length,
        index.stemmer,
    )
    return {
        "meta": [("header", _pack(meta))],
        "sections": [
            (
                s.id,
                i,
                s.title,
                _pack(
                    SectionRow(
                        s.id,
                        s.title,
                        s.paragraphs,
                        tuple(sorted(index.title_terms[s.id])),
                        tuple(index.section_docs.get(s.id, ())),
                    )
                ),
            )
            for i, s in enumerate(corpus.sections)
        ],
        "paragraphs": [
            (doc, _pack(ParagraphRow(doc, p.section, p.number, p.length))) for doc, p in enumerate(index.paragraphs)
        ],
        "postings": [
            (kind, key, _pack(PostingRow(kind, key, dict(places))))
            for kind, postings in ((_STEMS, index.stem_postings), (_SURFACES, index.surface_postings))
            for key, places in sorted(postings.items())
        ],
        "entities": [
            (
                i,
                e.id,
                _pack(
                    EntityRow(
                        i,
                        e.id,
                        e.type,
                        e.name,
                        e.aliases,
                        e.role,
                        tuple((m.section, m.paragraph, m.quote) for m in e.mentions),
                    )
                ),
            )
            for i, e in enumerate(corpus.entities)
        ],
        "names": [(key, _pack(KeyedRow(key, found))) for key, found in sorted(tables.names.items())],
        "name_words": [(word, _pack(KeyedRow(word, keys))) for word, keys in sorted(tables.name_words.items())],
        "events": [
            (i, *span, _pack(EventRow(i, *span, tuple(e))))
            for i, e in enumerate(corpus.events)
            for span in [interval(e, until)]
        ],
        "event_entities": [(key, _pack(KeyedRow(key, found))) for key, found in sorted(tables.event_entities.items())],
        "title_postings": [
            (term, _pack(KeyedRow(term, tuple(found)))) for term, found in sorted(index.title_postings.items())
        ],
        "mentions": [(*at, _pack(MentionsRow(*at, found))) for at, found in sorted(tables.mentions.items())],
    }


def _fill(db: sqlite3.Connection, corpus: Corpus, header: tuple[Any, ...]) -> None:
    rows = _rows(corpus, header)
    db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
    db.executescript(_SCHEMA)
    for table, table_rows in rows.items():
        if table_rows:
            marks = ", ".join("?" * len(table_rows[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", table_rows)
    db.commit()


# --- reading -------------------------------------------------------------------


def _connect(path: str) -> sqlite3.Connection:
    # Read-only, by URI: opening never creates or changes a file.
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)


def open_corpus(corpus_path: str, warn: Callable[[str], None] | None = None) -> Corpus | None:
    """The corpus at ``corpus_path`` backed by its index file, or None when there is no usable one."""
    target = store_path(corpus_path)
    expected = validity.corpus_header(corpus_path)
    if expected is None:
        return None  # the ordinary load says what is wrong with the corpus
    checked = validity.file_crc(target, _CRC_AT)
    try:
        if checked is None or checked[1] != checked[2]:
            raise ValueError("checksum")
        db = _connect(target)
        meta = _unpack(MetaRow, db.execute("SELECT row FROM meta WHERE key = 'header'").fetchone()[0])
    except (sqlite3.Error, ValueError, TypeError, EOFError):
        if warn is not None:
            warn(
                f"{target} is damaged or not a kz index file; reading {corpus_path} without it "
                f"(`kz index {corpus_path}` rebuilds it)"
            )
        return None
    if tuple(meta.header) != expected:
        db.close()
        if warn is not None:
            warn(f"{target} is out of date (the corpus or kz changed); run `kz index {corpus_path}` to refresh it")
        return None
    lookups = SqliteLookups(db, target, corpus_path, meta)
    report = Report(*meta.report)
    return Corpus(meta.schema_version, report, lookups, read_records=lookups.read_records, path=corpus_path)


class SqliteLookups:
    """``corpus.Lookups`` answered from an index file."""

    def __init__(self, db: sqlite3.Connection, path: str, corpus_path: str, meta: MetaRow) -> None:
        self._db = db
        self._path = path
        self._corpus_path = corpus_path
        self.meta = meta
        self._section_rows: dict[str, SectionRow | None] = {}
        self._entities: dict[int, Entity] = {}
        self._positions: dict[str, int | None] = {}
        self._titles: tuple[tuple[str, str], ...] | None = None
        self._name_table: dict[str, tuple[Entity, ...]] | None = None
        self._index: SearchIndex | None = None

    def read_records(self) -> Records:
        """Every record, from the JSON the index file vouches for (so not validated again)."""
        from kzcli.document import MAX_CORPUS_BYTES, parse_json, read_bounded, records_of

        try:
            source = read_bounded(self._corpus_path, MAX_CORPUS_BYTES)
        except ValueError as exc:
            raise CorpusError(self._corpus_path, str(exc)) from None
        if validity.header(len(source), zlib.crc32(source)) != tuple(self.meta.header):
            raise CorpusError(self._corpus_path, "changed while kz was reading it; run the command again")
        return records_of(parse_json(self._corpus_path, source))

    def _rows(self, sql: str, *args: object) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            # Checked when opened, so changed since (or a disk error): say how to recover.
            raise CorpusError(self._path, f"cannot be read ({exc}); run `kz index {self._corpus_path}` again") from None

    def one(self, kind: type[_Row], sql: str, *keys: object) -> _Row | None:
        """The row of ``kind`` looked up by ``keys``, or None if there is none."""
        rows = self._rows(sql, *keys)
        return _unpack(kind, rows[0][0]) if rows else None

    def _in(self, sql: str, ids: Sequence[object]) -> list[Any]:
        """Rows of ``sql`` (ending in "IN") for every id, _CHUNK ids per query."""
        rows: list[Any] = []
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first : first + _CHUNK]
            rows += self._rows(f"{sql} ({', '.join('?' * len(chunk))})", *chunk)
        return rows

    def keys(self, sql: str, *args: object) -> list[str]:
        """The first column of every row of ``sql``."""
        return [r[0] for r in self._rows(sql, *args)]

    def section_row(self, section_id: str) -> SectionRow | None:
        if section_id not in self._section_rows:
            self._section_rows[section_id] = self.one(SectionRow, "SELECT row FROM sections WHERE id = ?", section_id)
        return self._section_rows[section_id]

    def section(self, section_id: str) -> Section | None:
        row = self.section_row(section_id)
        return None if row is None else Section(row.id, row.title, row.paragraphs)

    def section_titles(self) -> tuple[tuple[str, str], ...]:
        if self._titles is None:
            self._titles = tuple((r[0], r[1]) for r in self._rows("SELECT id, title FROM sections ORDER BY position"))
        return self._titles

    def _entities_at(self, positions: Sequence[int]) -> tuple[Entity, ...]:
        """Entities by position, in that order."""
        # Set differences with the caches cost as much as the caches are big: test each id instead.
        missing = sorted({p for p in positions if p not in self._entities})
        for (packed,) in self._in("SELECT row FROM entities WHERE position IN", missing):
            row = _unpack(EntityRow, packed)
            mentions = tuple(Mention(*m) for m in row.mentions)
            self._entities[row.position] = Entity(row.id, row.type, row.name, row.aliases, row.role, mentions)
            self._positions[row.id] = row.position
        return tuple(self._entities[p] for p in positions)

    def _position(self, entity_id: str) -> int | None:
        if entity_id not in self._positions:
            rows = self._rows("SELECT position FROM entities WHERE id = ?", entity_id)
            self._positions[entity_id] = int(rows[0][0]) if rows else None
        return self._positions[entity_id]

    def entity_position(self, entity_id: str) -> int:
        found = self._position(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def entity(self, entity_id: str) -> Entity | None:
        position = self._position(entity_id)
        return None if position is None else self._entities_at([position])[0]

    def _events(self, rows: list[Any]) -> tuple[Event, ...]:
        return tuple(Event(*_unpack(EventRow, packed).event) for (packed,) in rows)

    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        row = self.one(KeyedRow, "SELECT row FROM event_entities WHERE entity = ?", entity_id)
        return () if row is None else self._events(self._in("SELECT row FROM events WHERE position IN", row.found))

    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        sql = "SELECT row FROM mentions WHERE section = ? AND paragraph = ?"
        row = self.one(MentionsRow, sql, section_id, number)
        return () if row is None else self._entities_at(row.positions)

    def entities_named(self, key: str) -> tuple[Entity, ...]:
        row = self.one(KeyedRow, "SELECT row FROM names WHERE key = ?", key)
        return () if row is None else self._entities_at(row.found)

    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        row = self.one(KeyedRow, "SELECT row FROM name_words WHERE word = ?", word)
        return () if row is None else tuple(row.found)

    def name_table(self) -> dict[str, tuple[Entity, ...]]:
        """Every name key and its entities: what a name typed with a typo is compared with."""
        if self._name_table is None:
            keyed = [_unpack(KeyedRow, packed) for (packed,) in self._rows("SELECT row FROM names ORDER BY key")]
            self._entities_at(sorted({p for row in keyed for p in row.found}))
            self._name_table = {row.key: tuple(self._entities[p] for p in row.found) for row in keyed}
        return self._name_table

    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        sql = "SELECT row FROM events WHERE first <= ? AND last >= ? ORDER BY position"
        events = self._events(self._rows(sql, end, start))
        # Whoever lists events shows their entities and sections: read those a few
        # queries at a time rather than one per event (1,100 events in a month at 100x).
        named = sorted({i for e in events for i in e.entities if i not in self._positions})
        for entity_id, position in self._in("SELECT id, position FROM entities WHERE id IN", named):
            self._positions[entity_id] = int(position)
        self._entities_at([p for i in named if (p := self._positions.get(i)) is not None])
        wanted = sorted({e.section for e in events if e.section not in self._section_rows})
        for section_id, packed in self._in("SELECT id, row FROM sections WHERE id IN", wanted):
            self._section_rows[section_id] = _unpack(SectionRow, packed)
        return events

    def latest_day(self) -> str:
        return self.meta.latest_day

    def report_spellings(self) -> dict[str, str]:
        return dict(self.meta.report_spellings)

    def search_index(self) -> SearchIndex:
        from kzcli.search import SearchIndex, build_index
        from kzcli.text import stemmer_version

        if self._index is None:
            if self.meta.stemmer != stemmer_version():
                # Stems of another stemmer: the postings would not match what is searched for.
                self._index = build_index(self.read_records().sections)
            else:
                self._index = SearchIndex(
                    _Paragraphs(self),
                    _Postings(self, _STEMS),
                    _Postings(self, _SURFACES),
                    _TitleTerms(self),
                    float(self.meta.average_length),
                    _TitlePostings(self),
                    _SectionDocs(self),
                    self.meta.stemmer,
                )
        return self._index


class _Lazy(Mapping[str, _Value]):
    """A read-only mapping whose values are read from the index file on first use."""

    def __init__(self, lookups: SqliteLookups) -> None:
        self._lookups = lookups
        self._cache: dict[str, _Value | None] = {}

    def _read(self, key: str) -> _Value | None:
        raise NotImplementedError

    def __getitem__(self, key: str) -> _Value:
        if key not in self._cache:
            self._cache[key] = self._read(key)
        found = self._cache[key]
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class _Postings(_Lazy[dict[int, list[int]]]):
    """Stem or surface postings: word -> {paragraph: token positions}."""

    def __init__(self, lookups: SqliteLookups, kind: int) -> None:
        super().__init__(lookups)
        self._kind = kind

    def _read(self, key: str) -> dict[int, list[int]] | None:
        row = self._lookups.one(PostingRow, "SELECT row FROM postings WHERE kind = ? AND key = ?", self._kind, key)
        return None if row is None else row.places

    def __iter__(self) -> Iterator[str]:
        # The whole vocabulary: only typo correction walks it.
        return iter(self._lookups.keys("SELECT key FROM postings WHERE kind = ?", self._kind))

    def with_prefix(self, prefix: str) -> list[str]:
        return _with_prefix(self._lookups, "SELECT key FROM postings WHERE kind = ?", "key", prefix, self._kind)


class _TitleTerms(_Lazy[set[str]]):
    """Section id -> the words of its title."""

    def _read(self, key: str) -> set[str] | None:
        row = self._lookups.section_row(key)
        return None if row is None else set(row.title_terms)


class _TitlePostings(_Lazy[tuple[str, ...]]):
    """A stem or word -> the sections whose title holds it."""

    def _read(self, key: str) -> tuple[str, ...] | None:
        row = self._lookups.one(KeyedRow, "SELECT row FROM title_postings WHERE term = ?", key)
        return None if row is None else row.found

    def with_prefix(self, prefix: str) -> list[str]:
        return _with_prefix(self._lookups, "SELECT term FROM title_postings WHERE 1", "term", prefix)


def _with_prefix(lookups: SqliteLookups, sql: str, column: str, prefix: str, *leading: object) -> list[str]:
    """The keys of ``column`` that begin with ``prefix`` (a search's ``tort*``): a range of the key order."""
    from kzcli.search import prefix_range

    bounds = prefix_range(prefix)
    return lookups.keys(f"{sql} AND {column} >= ?" + f" AND {column} < ?" * (len(bounds) - 1), *leading, *bounds)


class _SectionDocs(_Lazy[tuple[int, ...]]):
    """Section id -> its paragraphs' numbers in the index."""

    def _read(self, key: str) -> tuple[int, ...] | None:
        row = self._lookups.section_row(key)
        return None if row is None else row.docs


class _Paragraphs(Sequence["Paragraph"]):
    """Paragraph number (in corpus order) -> search's Paragraph, read on first use; its text from its section."""

    def __init__(self, lookups: SqliteLookups) -> None:
        self._lookups = lookups
        self._cache: dict[int, Paragraph] = {}

    def __len__(self) -> int:
        return int(self._lookups.meta.paragraph_count)

    @overload
    def __getitem__(self, doc: int) -> Paragraph: ...
    @overload
    def __getitem__(self, doc: slice) -> Sequence[Paragraph]: ...
    def __getitem__(self, doc: int | slice) -> Paragraph | Sequence[Paragraph]:
        if isinstance(doc, slice):
            return [self[i] for i in range(len(self))[doc]]
        if doc not in self._cache:
            from kzcli.search import Paragraph

            row = self._lookups.one(ParagraphRow, "SELECT row FROM paragraphs WHERE doc = ?", doc)
            section = None if row is None else self._lookups.section_row(row.section)
            if row is None or section is None:
                raise IndexError(doc)
            text = section.paragraphs[row.number - 1]
            self._cache[doc] = Paragraph(row.section, section.title, row.number, text, row.length)
        return self._cache[doc]
