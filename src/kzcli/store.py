"""An index file for a large corpus: ``kz index corpus.json`` writes ``corpus.json.kzindex``.

Loading a corpus means parsing, validating and typing all of it, and a
search builds an index of every paragraph: work that grows with the corpus
(a corpus 100 times the report's size took ~470 ms a search). With an index
file beside it, a command reads only what it needs: the postings of the
words searched for, one person's record and events, one month's events
(SQLite, from the standard library).

The file is used only when it provably belongs to the corpus beside it: it
records the corpus's size and CRC-32, kz's version and the stemmer's. A stale
or unreadable one is passed over (kz says so once, on stderr) and never
rewritten unasked: kz writes it only when ``kz index`` is run. The same corpus
and kz always write the same file. Commands that need every record (listings,
export) still read the JSON, without validating it again: the index file
proves it is the corpus that was validated when the index was made.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from kzcli import __version__
from kzcli.corpus import STORE_SUFFIX, Corpus, Entity, Event, Mention, Report, Section
from kzcli.errors import CorpusError, UsageError

STORE_FORMAT = 1
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE sections (id TEXT PRIMARY KEY, title TEXT, paragraphs BLOB, title_terms BLOB) WITHOUT ROWID;
CREATE TABLE paragraphs (doc INTEGER PRIMARY KEY, section TEXT, title TEXT, number INTEGER, text TEXT, length INTEGER);
CREATE TABLE postings (kind INTEGER, key TEXT, docs BLOB, PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE entities (position INTEGER PRIMARY KEY, id TEXT UNIQUE, record BLOB);
CREATE TABLE names (key TEXT, position INTEGER, PRIMARY KEY (key, position)) WITHOUT ROWID;
CREATE TABLE name_words (word TEXT, key TEXT, PRIMARY KEY (word, key)) WITHOUT ROWID;
CREATE TABLE events (position INTEGER PRIMARY KEY, first TEXT, last TEXT, record BLOB);
CREATE TABLE event_entities (entity TEXT, position INTEGER, PRIMARY KEY (entity, position)) WITHOUT ROWID;
CREATE TABLE mentions (section TEXT, paragraph INTEGER, position INTEGER,
                       PRIMARY KEY (section, paragraph, position)) WITHOUT ROWID;
"""
_STEMS, _SURFACES = 0, 1
# Ids per "IN (...)" query: under SQLite's smallest limit on parameters (999).
_CHUNK = 500
_Value = TypeVar("_Value")


def store_path(corpus_path: str) -> str:
    return corpus_path + STORE_SUFFIX


def _header(corpus_bytes: bytes) -> dict[str, Any]:
    """What must match for an index file to stand in for a corpus."""
    from kzcli.text import stemmer_version

    return {
        "format": STORE_FORMAT,
        "kz": __version__,
        "stemmer": stemmer_version(),
        "size": len(corpus_bytes),
        "crc32": zlib.crc32(corpus_bytes),
    }


# --- writing -------------------------------------------------------------------


def write(corpus_path: str) -> str:
    """Validate the corpus at ``corpus_path`` and write its index file beside it; return that path.

    Replaces an index file kz wrote before, never anything else.
    """
    from kzcli.corpus import build, read_bounded, validate
    from kzcli.export import check_target, staged

    target = store_path(corpus_path)
    if os.path.lexists(target) and not _is_store(target):
        raise UsageError(f"{target} exists and is not a kz index file; kz will not replace it")
    check_target(target, force=True)
    source = _corpus_bytes(corpus_path, read_bounded)
    import json

    try:
        raw = json.loads(source.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CorpusError(corpus_path, f"not valid JSON: {exc}") from None
    problems = validate(raw, source)
    if problems:
        more = f" (and {len(problems) - 1} more; run `kz validate`)" if len(problems) > 1 else ""
        raise CorpusError(corpus_path, problems[0] + more)
    corpus = build(raw, corpus_path)
    try:
        with staged(target, directory=False) as temporary:
            _fill(temporary, corpus, _header(source))
    except (OSError, sqlite3.Error) as exc:
        from kzcli.errors import OutputError

        raise OutputError(f"cannot write {target}: {exc}") from None
    return target


def _corpus_bytes(corpus_path: str, read_bounded: Any) -> bytes:
    from kzcli.corpus import MAX_CORPUS_BYTES

    try:
        data: bytes = read_bounded(corpus_path, MAX_CORPUS_BYTES)
    except (OSError, ValueError) as exc:
        raise CorpusError(corpus_path, str(getattr(exc, "strerror", None) or exc)) from None
    return data


def _is_store(path: str) -> bool:
    """True for a file kz's ``kz index`` wrote (whatever corpus or version it was for)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_SQLITE_MAGIC)) != _SQLITE_MAGIC:
                return False
        with _connect(path) as db:
            return db.execute("SELECT 1 FROM meta WHERE key = 'format'").fetchone() is not None
    except (OSError, sqlite3.Error):
        return False


def _fill(path: str, corpus: Corpus, header: dict[str, Any]) -> None:
    """Every table, in corpus order: the same corpus always gives the same file."""
    from kzcli.search import build_index
    from kzcli.timeline import covered_until, interval

    if os.path.exists(path):
        os.unlink(path)  # the staged temporary file: SQLite writes its own
    index = build_index(corpus)
    positions = {entity.id: i for i, entity in enumerate(corpus.entities)}
    until = covered_until(corpus)
    db = sqlite3.connect(path)
    try:
        db.executescript(_SCHEMA)
        meta = {
            **header,
            "schema_version": corpus.schema_version,
            "report": marshal.dumps(tuple(corpus.report)),
            "paragraph_count": len(index.paragraphs),
            "average_length": index.average_length,
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        db.executemany(
            "INSERT INTO sections VALUES (?, ?, ?, ?)",
            [
                (s.id, s.title, marshal.dumps(s.paragraphs), marshal.dumps(sorted(index.title_terms[s.id])))
                for s in corpus.sections
            ],
        )
        db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?)",
            [(doc, *paragraph) for doc, paragraph in enumerate(index.paragraphs)],
        )
        for kind, postings in ((_STEMS, index.stem_postings), (_SURFACES, index.surface_postings)):
            db.executemany(
                "INSERT INTO postings VALUES (?, ?, ?)",
                [(kind, key, marshal.dumps(dict(places))) for key, places in sorted(postings.items())],
            )
        db.executemany(
            "INSERT INTO entities VALUES (?, ?, ?)",
            [
                (i, e.id, marshal.dumps((*e[:5], tuple(tuple(m) for m in e.mentions))))
                for i, e in enumerate(corpus.entities)
            ],
        )
        names = corpus.name_table()
        db.executemany(
            "INSERT INTO names VALUES (?, ?)",
            sorted((key, positions[e.id]) for key, named in names.items() for e in named),
        )
        db.executemany(
            "INSERT INTO name_words VALUES (?, ?)",
            sorted({(word, key) for key in names for word in key.split()}),
        )
        db.executemany(
            "INSERT INTO events VALUES (?, ?, ?, ?)",
            [(i, *interval(e, until), marshal.dumps(tuple(e))) for i, e in enumerate(corpus.events)],
        )
        db.executemany(
            "INSERT INTO event_entities VALUES (?, ?)",
            sorted({(named, i) for i, e in enumerate(corpus.events) for named in e.entities}),
        )
        db.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?)",
            sorted({(m.section, m.paragraph, positions[e.id]) for e in corpus.entities for m in e.mentions}),
        )
        db.commit()
    finally:
        db.close()


# --- reading -------------------------------------------------------------------


def _connect(path: str) -> sqlite3.Connection:
    # Read-only, by URI: opening never creates or changes a file.
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro", uri=True)


def open_corpus(corpus_path: str, warn: Any = None) -> Corpus | None:
    """The corpus at ``corpus_path`` backed by its index file, or None when there is no usable one."""
    target = store_path(corpus_path)
    if not os.path.isfile(target):
        return None
    from kzcli.corpus import read_bounded

    source = _corpus_bytes(corpus_path, read_bounded)
    try:
        db = _connect(target)
        stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        if warn is not None:
            warn(f"{target} is not a readable kz index file; reading {corpus_path} without it")
        return None
    if any(stored.get(key) != value for key, value in _header(source).items()):
        db.close()
        if warn is not None:
            warn(f"{target} is out of date (the corpus or kz changed); run `kz index {corpus_path}` to refresh it")
        return None
    store = Store(db, target, stored)
    return Corpus.backed_by(store, lambda: _whole(corpus_path, stored), corpus_path)


def _whole(corpus_path: str, stored: dict[str, Any]) -> Corpus:
    """Every record, from the JSON the index file vouches for (so not validated again)."""
    import json

    from kzcli.corpus import build, read_bounded

    source = _corpus_bytes(corpus_path, read_bounded)
    if len(source) != stored["size"] or zlib.crc32(source) != stored["crc32"]:
        raise CorpusError(corpus_path, "changed while kz was reading it; run the command again")
    return build(json.loads(source.decode("utf-8")), corpus_path)


def _entity(record: bytes) -> Entity:
    entity_id, kind, name, aliases, role, mentions = marshal.loads(record)
    return Entity(entity_id, kind, name, aliases, role, tuple(Mention(*m) for m in mentions))


def _event(record: bytes) -> Event:
    return Event(*marshal.loads(record))


class Store:
    """The lookups of ``Corpus`` (``CorpusStore``), answered from an index file."""

    def __init__(self, db: sqlite3.Connection, path: str, meta: dict[str, Any]) -> None:
        self._db = db
        self._path = path
        self._meta = meta
        self._sections: dict[str, Section | None] = {}
        self._entities: dict[str, Entity | None] = {}

    def _rows(self, sql: str, *args: object) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise CorpusError(self._path, f"cannot be read ({exc}); run `kz index` again") from None

    def schema_version(self) -> int:
        return int(self._meta["schema_version"])

    def report(self) -> Report:
        return Report(*marshal.loads(self._meta["report"]))

    def section(self, section_id: str) -> Section | None:
        if section_id not in self._sections:
            rows = self._rows("SELECT title, paragraphs FROM sections WHERE id = ?", section_id)
            self._sections[section_id] = Section(section_id, rows[0][0], marshal.loads(rows[0][1])) if rows else None
        return self._sections[section_id]

    def entity(self, entity_id: str) -> Entity | None:
        if entity_id not in self._entities:
            rows = self._rows("SELECT record FROM entities WHERE id = ?", entity_id)
            self._entities[entity_id] = _entity(rows[0][0]) if rows else None
        return self._entities[entity_id]

    def entity_position(self, entity_id: str) -> int:
        rows = self._rows("SELECT position FROM entities WHERE id = ?", entity_id)
        if not rows:
            raise KeyError(entity_id)
        return int(rows[0][0])

    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        rows = self._rows(
            "SELECT e.record FROM event_entities AS x JOIN events AS e ON e.position = x.position "
            "WHERE x.entity = ? ORDER BY e.position",
            entity_id,
        )
        return tuple(_event(r[0]) for r in rows)

    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        rows = self._rows(
            "SELECT e.record FROM mentions AS m JOIN entities AS e ON e.position = m.position "
            "WHERE m.section = ? AND m.paragraph = ? ORDER BY e.position",
            section_id,
            number,
        )
        return tuple(_entity(r[0]) for r in rows)

    def entities_named(self, key: str) -> tuple[Entity, ...]:
        rows = self._rows(
            "SELECT e.record FROM names AS n JOIN entities AS e ON e.position = n.position "
            "WHERE n.key = ? ORDER BY e.position",
            key,
        )
        return tuple(_entity(r[0]) for r in rows)

    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        return tuple(r[0] for r in self._rows("SELECT key FROM name_words WHERE word = ? ORDER BY key", word))

    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        rows = self._rows("SELECT record FROM events WHERE first <= ? AND last >= ? ORDER BY position", end, start)
        events = tuple(_event(r[0]) for r in rows)
        # Whoever lists events shows their entities and sections: read those a few
        # queries at a time rather than one per event (1,100 events in a month at 100x).
        named = {i for e in events for i in e.entities}
        self._read_ahead(self._entities, "SELECT id, record FROM entities", named, lambda row: _entity(row[1]))
        self._read_ahead(
            self._sections,
            "SELECT id, title, paragraphs FROM sections",
            {e.section for e in events},
            lambda row: Section(row[0], row[1], marshal.loads(row[2])),
        )
        return events

    def _read_ahead(
        self, cache: dict[str, _Value], select: str, ids: set[str], decode: Callable[[Any], _Value]
    ) -> None:
        """Fill ``cache`` (records by id) for ``ids``, _CHUNK ids per query."""
        wanted = sorted(ids - cache.keys())
        for first in range(0, len(wanted), _CHUNK):
            chunk = wanted[first : first + _CHUNK]
            for row in self._rows(f"{select} WHERE id IN ({', '.join('?' * len(chunk))})", *chunk):
                cache[row[0]] = decode(row)

    def search_index(self) -> Any:
        from kzcli.search import Index

        return Index(
            _Paragraphs(self),
            _Postings(self, _STEMS),
            _Postings(self, _SURFACES),
            _TitleTerms(self),
            float(self._meta["average_length"]),
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
        rows = self._store._rows("SELECT docs FROM postings WHERE kind = ? AND key = ?", self._kind, key)
        return marshal.loads(rows[0][0]) if rows else None

    def __iter__(self) -> Iterator[str]:
        # The whole vocabulary: only typo correction walks it.
        return iter([r[0] for r in self._store._rows("SELECT key FROM postings WHERE kind = ?", self._kind)])


class _TitleTerms(_Lazy[set[str]]):
    """Section id -> the words of its title (search's title boost)."""

    def _read(self, key: str) -> set[str] | None:
        rows = self._store._rows("SELECT title_terms FROM sections WHERE id = ?", key)
        return set(marshal.loads(rows[0][0])) if rows else None

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

            rows = self._store._rows("SELECT section, title, number, text, length FROM paragraphs WHERE doc = ?", doc)
            if not rows:
                raise IndexError(doc)
            self._cache[doc] = Paragraph(*rows[0])
        return self._cache[doc]
