"""An index file for a large corpus: ``kz index corpus.json`` writes ``corpus.json.kzindex``.

Loading a corpus means parsing, validating and typing all of it, and a
search builds an index of every paragraph: work that grows with the corpus
(a corpus 100 times the report's size took ~550 ms a search). With an index
file beside it, a command reads only what it needs: the postings of the
words searched for, one person's records, one period's events (SQLite, from
the standard library).

The file is used only when it matches the corpus beside it: it records the
corpus's size and CRC-32 and the versions of kz and the stemmer. It carries
a CRC-32 of itself too (in the SQLite header's "user version", over every
other byte), checked before each use. A stale, damaged or unreadable file is
passed over (kz says so once, on stderr, and answers from the JSON) and never
rewritten unasked: kz writes it only when ``kz index`` is run. The same
corpus and kz always write the same file. Commands that need every record
(listings, export) read the JSON without validating it again, since its
checksum matches the corpus validated when the index was made.

A CRC-32 catches accidents (an edited corpus, a damaged disk, a copy cut
short), not a forger: whoever may change the corpus may change its index
file, and kz trusts both alike.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from kzcli import __version__
from kzcli.corpus import (
    COVERED_UNTIL,
    MAX_CORPUS_BYTES,
    REPORT_SPELLINGS,
    STORE_SUFFIX,
    Corpus,
    Entity,
    Event,
    Mention,
    Report,
    Section,
    build,
    bundled_path,
    read_bounded,
    read_valid,
)
from kzcli.errors import CorpusError, OutputError, UsageError

STORE_FORMAT = 6
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
_Value = TypeVar("_Value")


def store_path(corpus_path: str) -> str:
    return corpus_path + STORE_SUFFIX


def _header(size: int, crc: int) -> dict[str, Any]:
    """What must match for an index file to stand in for a corpus (of ``size`` bytes and CRC-32 ``crc``)."""
    from kzcli.text import stemmer_version

    return {"format": STORE_FORMAT, "kz": __version__, "stemmer": stemmer_version(), "size": size, "crc32": crc}


def _pack(*values: Any) -> bytes:
    """A row's values, the columns it is looked up by first (marshal)."""
    return marshal.dumps(values)


def _unpack(packed: bytes) -> tuple[Any, ...]:
    """A row's values; the whole file's checksum vouched for them when it was opened."""
    values: tuple[Any, ...] = marshal.loads(packed)
    return values


# The SQLite header's "user version" (4 bytes at offset 60): where the file's own CRC-32 goes.
_CRC_AT = 60
# Its "application id" (offset 68): what marks a file as kz's, whichever kz wrote it.
_APPLICATION_ID = int.from_bytes(b"kzix", "big")
_APPLICATION_ID_AT = 68


def _file_crc(path: str, skip: int | None = None) -> tuple[int, int, int] | None:
    """(size, CRC-32, the 4 bytes at ``skip`` as a number) of a file, those bytes counted as zeros;
    None if it cannot be mapped (missing, empty, not a regular file).

    Through mmap, without copying the file: ~7 ms for the 23 MB index of a
    corpus 100 times the report, where reading it first took twice that.
    """
    import mmap

    try:
        with (
            open(path, "rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
            memoryview(mapped) as view,
        ):
            if skip is None:
                return len(view), zlib.crc32(view), 0
            if len(view) < skip + 4:
                return None
            crc = zlib.crc32(view[skip + 4 :], zlib.crc32(b"\0\0\0\0", zlib.crc32(view[:skip])))
            return len(view), crc, int.from_bytes(view[skip : skip + 4], "big")
    except (OSError, ValueError):
        return None


def _stamp(path: str) -> None:
    """Write the file's CRC-32 into its checksum bytes (the database is closed: no transaction changes them)."""
    found = _file_crc(path, _CRC_AT)
    if found is None:
        raise OSError(f"cannot read back {path}")
    with open(path, "r+b") as handle:
        handle.seek(_CRC_AT)
        handle.write(found[1].to_bytes(4, "big"))


# --- writing -------------------------------------------------------------------


def write(corpus_path: str) -> str:
    """Validate the corpus at ``corpus_path`` and write its index file beside it; return that path.

    Replaces an index file kz wrote before, never anything else.
    """
    from kzcli.export import check_target, staged

    if os.path.realpath(corpus_path) == os.path.realpath(bundled_path()):
        raise UsageError("the bundled corpus needs no index file (kz ships it prebuilt); index a --data corpus")
    raw, source = read_valid(corpus_path)
    target = store_path(corpus_path)
    if os.path.lexists(target) and not _is_store(target):
        raise UsageError(f"{target} exists and is not a kz index file kz can read; kz will not replace it")
    check_target(target, force=True)
    try:
        with staged(target, directory=False) as temporary:
            _fill(temporary, build(raw, corpus_path), _header(len(source), zlib.crc32(source)))
            _stamp(temporary)
    except (OSError, sqlite3.Error) as exc:
        raise OutputError(f"cannot write {target}: {exc}") from None
    return target


def _is_store(path: str) -> bool:
    """True for a file ``kz index`` wrote (whatever corpus or kz version it was for), damaged or not."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_APPLICATION_ID_AT + 4)
    except OSError:
        return False
    marked = int.from_bytes(head[_APPLICATION_ID_AT:], "big") == _APPLICATION_ID
    return head.startswith(_SQLITE_MAGIC) and marked


def _fill(path: str, corpus: Corpus, header: dict[str, Any]) -> None:
    """Every table, in a fixed order: the same corpus always gives the same file."""
    from kzcli.entities import report_spellings
    from kzcli.search import build_index
    from kzcli.timeline import covered_until, interval

    if os.path.exists(path):
        os.unlink(path)  # the staged temporary file: SQLite makes its own
    index = build_index(corpus)
    # The Corpus's own lookup tables, written down in their own order: what the
    # index file answers is then what the corpus in memory answers, ties included.
    position = {entity.id: i for i, entity in enumerate(corpus.entities)}
    event_position = {event.id: i for i, event in enumerate(corpus.events)}
    names = corpus.name_table()
    by_entity = {e.id: [event_position[v.id] for v in corpus.events_involving(e.id)] for e in corpus.entities}
    places = sorted({(m.section, m.paragraph) for e in corpus.entities for m in e.mentions})
    words = sorted({word for key in names for word in key.split()})
    until = covered_until(corpus)
    meta = {
        **header,
        "schema_version": corpus.schema_version,
        "report": tuple(corpus.report),
        COVERED_UNTIL: until,
        REPORT_SPELLINGS: sorted(report_spellings(corpus).items()),
        "paragraph_count": len(index.paragraphs),
        "average_length": index.average_length,
    }
    db = sqlite3.connect(path)
    try:
        db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES ('header', ?)", (_pack("header", sorted(meta.items())),))
        db.executemany(
            "INSERT INTO sections VALUES (?, ?, ?, ?)",
            [
                (
                    s.id,
                    position,
                    s.title,
                    _pack(
                        s.id,
                        s.title,
                        s.paragraphs,
                        tuple(sorted(index.title_terms[s.id])),
                        tuple(index.section_docs.get(s.id, ())),
                    ),
                )
                for position, s in enumerate(corpus.sections)
            ],
        )
        db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?)",
            [(doc, _pack(doc, *paragraph)) for doc, paragraph in enumerate(index.paragraphs)],
        )
        for kind, postings in ((_STEMS, index.stem_postings), (_SURFACES, index.surface_postings)):
            db.executemany(
                "INSERT INTO postings VALUES (?, ?, ?)",
                [(kind, key, _pack(kind, key, dict(places))) for key, places in sorted(postings.items())],
            )
        db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?)",
            [
                (i, e.id, _pack(i, e.id, *e[:5], tuple(tuple(m) for m in e.mentions)))
                for i, e in enumerate(corpus.entities)
            ],
        )
        db.executemany(
            "INSERT INTO names VALUES (?, ?)",
            [(key, _pack(key, tuple(position[e.id] for e in named))) for key, named in sorted(names.items())],
        )
        db.executemany(
            "INSERT INTO name_words VALUES (?, ?)",
            [(word, _pack(word, corpus.name_keys_with_word(word))) for word in words],
        )
        db.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?)",
            [(i, *span, _pack(i, *span, *e)) for i, e in enumerate(corpus.events) for span in [interval(e, until)]],
        )
        db.executemany(
            "INSERT INTO event_entities VALUES (?, ?)",
            [(named, _pack(named, tuple(events))) for named, events in sorted(by_entity.items()) if events],
        )
        db.executemany(
            "INSERT INTO title_postings VALUES (?, ?)",
            [(term, _pack(term, tuple(found))) for term, found in sorted(index.title_postings.items())],
        )
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?)",
            [(*at, _pack(*at, tuple(position[e.id] for e in corpus.entities_at(*at)))) for at in places],
        )
        db.commit()
    finally:
        db.close()


# --- reading -------------------------------------------------------------------


def _connect(path: str) -> sqlite3.Connection:
    # Read-only, by URI: opening never creates or changes a file.
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)


def open_corpus(corpus_path: str, warn: Callable[[str], None] | None = None) -> Corpus | None:
    """The corpus at ``corpus_path`` backed by its index file, or None when there is no usable one."""
    target = store_path(corpus_path)
    corpus_crc = _file_crc(corpus_path)
    if corpus_crc is None:
        return None  # the ordinary load says what is wrong with the corpus
    checked = _file_crc(target, _CRC_AT)
    try:
        if checked is None or checked[1] != checked[2]:
            raise ValueError("checksum")
        db = _connect(target)
        meta = dict(_unpack(db.execute("SELECT row FROM meta WHERE key = 'header'").fetchone()[0])[1])
    except (sqlite3.Error, ValueError, TypeError, EOFError):
        if warn is not None:
            warn(
                f"{target} is damaged or not a kz index file; reading {corpus_path} without it "
                f"(`kz index {corpus_path}` rebuilds it)"
            )
        return None
    if any(meta.get(key) != value for key, value in _header(*corpus_crc[:2]).items()):
        db.close()
        if warn is not None:
            warn(f"{target} is out of date (the corpus or kz changed); run `kz index {corpus_path}` to refresh it")
        return None
    store = Store(db, target, corpus_path, meta)
    # Worked out from every record when the index was made: kept, so no lookup reads them all.
    known = {COVERED_UNTIL: meta[COVERED_UNTIL], REPORT_SPELLINGS: dict(meta[REPORT_SPELLINGS])}
    return Corpus.backed_by(store, lambda: _whole(corpus_path, meta), corpus_path, known)


def _whole(corpus_path: str, meta: dict[str, Any]) -> Corpus:
    """Every record, from the JSON the index file vouches for (so not validated again)."""
    import json

    try:
        source = read_bounded(corpus_path, MAX_CORPUS_BYTES)
    except ValueError as exc:
        raise CorpusError(corpus_path, str(exc)) from None
    if len(source) != meta["size"] or zlib.crc32(source) != meta["crc32"]:
        raise CorpusError(corpus_path, "changed while kz was reading it; run the command again")
    return build(json.loads(source.decode("utf-8")), corpus_path)


class Store:
    """The lookups of ``Corpus`` (``CorpusStore``), answered from an index file."""

    def __init__(self, db: sqlite3.Connection, path: str, corpus_path: str, meta: dict[str, Any]) -> None:
        self._db = db
        self._path = path
        self._corpus_path = corpus_path
        self._meta = meta
        self._section_rows: dict[str, tuple[Any, ...] | None] = {}
        self._entities: dict[int, Entity] = {}
        self._positions: dict[str, int | None] = {}

    def _rows(self, sql: str, *args: object) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            # Checked when opened, so changed since (or a disk error): say how to recover.
            raise CorpusError(self._path, f"cannot be read ({exc}); run `kz index {self._corpus_path}` again") from None

    def _one(self, sql: str, *keys: object) -> tuple[Any, ...] | None:
        """The row looked up by ``keys``, or None if there is none."""
        rows = self._rows(sql, *keys)
        return _unpack(rows[0][0]) if rows else None

    def _in(self, sql: str, ids: Sequence[object]) -> list[Any]:
        """Rows of ``sql`` (ending in "IN") for every id, _CHUNK ids per query."""
        rows: list[Any] = []
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first : first + _CHUNK]
            rows += self._rows(f"{sql} ({', '.join('?' * len(chunk))})", *chunk)
        return rows

    def schema_version(self) -> int:
        return int(self._meta["schema_version"])

    def report(self) -> Report:
        return Report(*self._meta["report"])

    def section_row(self, section_id: str) -> tuple[Any, ...] | None:
        """A section's row: id, title, paragraphs, title terms, paragraph numbers in the index."""
        if section_id not in self._section_rows:
            self._section_rows[section_id] = self._one("SELECT row FROM sections WHERE id = ?", section_id)
        return self._section_rows[section_id]

    def section(self, section_id: str) -> Section | None:
        row = self.section_row(section_id)
        return None if row is None else Section(*row[:3])

    def _entities_at(self, positions: Sequence[int]) -> tuple[Entity, ...]:
        """Entities by position, in that order."""
        # Set differences with the caches cost as much as the caches are big: test each id instead.
        missing = sorted({p for p in positions if p not in self._entities})
        for (row,) in self._in("SELECT row FROM entities WHERE position IN", missing):
            position, _, entity_id, kind, name, aliases, role, mentions = _unpack(row)
            self._entities[position] = Entity(
                entity_id, kind, name, aliases, role, tuple(Mention(*m) for m in mentions)
            )
            self._positions[entity_id] = position
        return tuple(self._entities[p] for p in positions)

    def entity_position(self, entity_id: str) -> int:
        found = self._position(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def _position(self, entity_id: str) -> int | None:
        if entity_id not in self._positions:
            rows = self._rows("SELECT position FROM entities WHERE id = ?", entity_id)
            self._positions[entity_id] = int(rows[0][0]) if rows else None
        return self._positions[entity_id]

    def entity(self, entity_id: str) -> Entity | None:
        position = self._position(entity_id)
        return None if position is None else self._entities_at([position])[0]

    def _events(self, rows: list[Any]) -> tuple[Event, ...]:
        return tuple(Event(*_unpack(row)[3:]) for (row,) in rows)

    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        row = self._one("SELECT row FROM event_entities WHERE entity = ?", entity_id)
        if row is None:
            return ()
        return self._events(self._in("SELECT row FROM events WHERE position IN", row[1]))

    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        row = self._one("SELECT row FROM mentions WHERE section = ? AND paragraph = ?", section_id, number)
        return () if row is None else self._entities_at(row[2])

    def entities_named(self, key: str) -> tuple[Entity, ...]:
        row = self._one("SELECT row FROM names WHERE key = ?", key)
        return () if row is None else self._entities_at(row[1])

    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        row = self._one("SELECT row FROM name_words WHERE word = ?", word)
        return () if row is None else tuple(row[1])

    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        events = self._events(
            self._rows("SELECT row FROM events WHERE first <= ? AND last >= ? ORDER BY position", end, start)
        )
        # Whoever lists events shows their entities and sections: read those a few
        # queries at a time rather than one per event (1,100 events in a month at 100x).
        named = sorted({i for e in events for i in e.entities if i not in self._positions})
        for entity_id, position in self._in("SELECT id, position FROM entities WHERE id IN", named):
            self._positions[entity_id] = int(position)
        self._entities_at([p for i in named if (p := self._positions.get(i)) is not None])
        wanted = sorted({e.section for e in events if e.section not in self._section_rows})
        for section_id, row in self._in("SELECT id, row FROM sections WHERE id IN", wanted):
            self._section_rows[section_id] = _unpack(row)
        return events

    def section_titles(self) -> tuple[tuple[str, str], ...]:
        return tuple((r[0], r[1]) for r in self._rows("SELECT id, title FROM sections ORDER BY position"))

    def name_table(self) -> dict[str, tuple[Entity, ...]]:
        """Every name key and its entities: what a name typed with a typo is compared with."""
        keyed = [_unpack(row)[:2] for (row,) in self._rows("SELECT row FROM names ORDER BY key")]
        self._entities_at(sorted({p for _, positions in keyed for p in positions}))
        return {key: tuple(self._entities[p] for p in positions) for key, positions in keyed}

    def search_index(self) -> Any:
        from kzcli.search import Index

        return Index(
            _Paragraphs(self),
            _Postings(self, _STEMS),
            _Postings(self, _SURFACES),
            _TitleTerms(self),
            float(self._meta["average_length"]),
            _TitlePostings(self),
            _SectionDocs(self),
        )


class _Lazy(Mapping[str, _Value]):
    """A read-only mapping whose values are read from the index file on first use."""

    def __init__(self, store: Store) -> None:
        self._store = store
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
        return sum(1 for _ in self)


class _Postings(_Lazy[dict[int, list[int]]]):
    """Stem or surface postings: word -> {paragraph: token positions}."""

    def __init__(self, store: Store, kind: int) -> None:
        super().__init__(store)
        self._kind = kind

    def _read(self, key: str) -> dict[int, list[int]] | None:
        row = self._store._one("SELECT row FROM postings WHERE kind = ? AND key = ?", self._kind, key)
        return None if row is None else row[2]

    def __iter__(self) -> Iterator[str]:
        # The whole vocabulary: only typo correction walks it.
        return iter([r[0] for r in self._store._rows("SELECT key FROM postings WHERE kind = ?", self._kind)])


class _TitleTerms(_Lazy[set[str]]):
    """Section id -> the words of its title (search's title boost)."""

    def _read(self, key: str) -> set[str] | None:
        row = self._store.section_row(key)
        return None if row is None else set(row[3])

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self._store._rows("SELECT id FROM sections")])


class _TitlePostings(_Lazy[tuple[str, ...]]):
    """A stem or word -> the sections whose title holds it."""

    def _read(self, key: str) -> tuple[str, ...] | None:
        row = self._store._one("SELECT row FROM title_postings WHERE term = ?", key)
        return None if row is None else row[1]

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self._store._rows("SELECT term FROM title_postings")])


class _SectionDocs(_Lazy[tuple[int, ...]]):
    """Section id -> its paragraphs' numbers in the index."""

    def _read(self, key: str) -> tuple[int, ...] | None:
        row = self._store.section_row(key)
        return None if row is None else row[4]

    def __iter__(self) -> Iterator[str]:
        return iter([r[0] for r in self._store._rows("SELECT id FROM sections")])


class _Paragraphs(Sequence[Any]):
    """Paragraph number (in corpus order) -> search's Paragraph, read on first use."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[int, Any] = {}

    def __len__(self) -> int:
        return int(self._store._meta["paragraph_count"])

    @overload
    def __getitem__(self, doc: int) -> Any: ...
    @overload
    def __getitem__(self, doc: slice) -> Sequence[Any]: ...
    def __getitem__(self, doc: int | slice) -> Any:
        if isinstance(doc, slice):
            return [self[i] for i in range(len(self))[doc]]
        if doc not in self._cache:
            from kzcli.search import Paragraph

            row = self._store._one("SELECT row FROM paragraphs WHERE doc = ?", doc)
            if row is None:
                raise IndexError(doc)
            self._cache[doc] = Paragraph(*row[1:])
        return self._cache[doc]
