"""An index file for a large corpus: ``kz index corpus.json`` writes ``corpus.json.kzindex``.

Loading a corpus means parsing, validating and typing all of it, and a
search builds an index of every paragraph: work that grows with the corpus
(a corpus 100 times the report's size took ~550 ms a search). With an index
file beside it, a command reads only what it needs: the postings of the
words searched for, one person's records, one period's events (SQLite, from
the standard library). ``SqliteLookups`` answers ``corpus.Lookups`` from it.

The file is a cache, never an authority: used only when it is a regular file
of a sane size owned by the user or the corpus's owner (``validity.open_copy``),
its header matches the corpus, its own CRC-32 holds (in the SQLite header's
"user version"), and it holds kz's tables alone, opened read-only and
immutable (no side file). Every row is checked as read (``kzcli.rows``). A
stale, damaged or foreign file is passed over (one line on stderr, then the
JSON answers; ``SqliteLookups.fall_back`` when a bad row turns up mid-command)
and never rewritten unasked. The same corpus and kz always write the same
file. The JSON, read whole by listings, is validated again: a checksum proves
nothing about who wrote a file.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from kzcli import validity
from kzcli.corpus import Corpus, Entity, Event, Mention, Records, Report, Section, Topic
from kzcli.errors import CorpusError, OutputError, UsageError
from kzcli.rows import (
    STEMS,
    SURFACES,
    BadRow,
    EntityRow,
    EventRow,
    KeyedRow,
    MentionsRow,
    MetaRow,
    ParagraphRow,
    PostingRow,
    SectionRow,
    TopicRow,
    count,
    text,
    unpack,
)
from kzcli.rows import pack as _pack
from kzcli.stored_index import event_fields, or_json, positions_of

if TYPE_CHECKING:
    from kzcli.memory import MemoryLookups
    from kzcli.search import SearchIndex

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
CREATE TABLE topics (position INTEGER PRIMARY KEY, row BLOB);
"""
_STEMS, _SURFACES = STEMS, SURFACES
# Ids per "IN (...)" query: under SQLite's smallest limit on parameters (999).
_CHUNK = 500
# The SQLite header's "user version" (4 bytes at offset 60): where the file's own CRC-32 goes.
_CRC_AT = 60
# Its "application id" (offset 68): what marks a file as kz's, whichever kz wrote it.
_APPLICATION_ID = int.from_bytes(b"kzix", "big")
_APPLICATION_ID_AT = 68


def store_path(corpus_path: str) -> str:
    return corpus_path + validity.STORE_SUFFIX


# --- writing -------------------------------------------------------------------


def write(corpus_path: str, force: bool = False) -> str:
    """Validate the corpus at ``corpus_path`` and write its index file beside it; return that path.

    Replaces an index file kz wrote before; with ``force``, any regular file
    (one damaged past recognition), never a link, folder, FIFO or device; and
    only if it is still that file when the new one is renamed into place (``kzcli.files``).
    The database is built in memory: SQLite creates no file, journal or not.
    """
    from kzcli.document import build, bundled_path, read_valid
    from kzcli.files import check_target, sqlite_image, staged_file

    raw, source = read_valid(corpus_path, given=True)  # first: a path that is no file name is said as such
    if os.path.realpath(corpus_path) == os.path.realpath(bundled_path()):
        raise UsageError("the bundled corpus needs no index file (kz ships it prebuilt); index a --data corpus")
    path = store_path(corpus_path)
    target = check_target(path, force=True)
    if target.found is not None and not force and not _is_store(path, target.found):
        raise UsageError(
            f"{path} exists and is not a kz index file kz can read; `kz index --force {corpus_path}` replaces it"
        )
    corpus = build(raw, corpus_path)
    header = validity.header_of(source)
    try:
        image = _stamped(sqlite_image(lambda db: _fill(db, corpus, header)))
        _within_bounds(image, len(source))
        with staged_file(target, encoding=None) as handle:
            handle.write(image)
    except sqlite3.Error as exc:
        raise OutputError(f"cannot build {path}: {exc}") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def remedy(corpus_path: str) -> str:
    """The command that replaces what is at the corpus's index path, as a warning ends with it.

    What ``kz index`` itself would do there: rebuild a file it wrote, replace any
    other regular file with ``--force``, and never replace a link, folder or FIFO.
    """
    import stat

    path = store_path(corpus_path)
    try:
        found = os.lstat(path)
    except OSError:
        return f"`kz index {corpus_path}` rebuilds it"
    if _is_store(path, found):
        return f"`kz index {corpus_path}` rebuilds it"
    if stat.S_ISREG(found.st_mode):
        return f"`kz index --force {corpus_path}` replaces it"
    return f"kz will not replace it: remove it, then `kz index {corpus_path}` writes one"


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


def _within_bounds(image: bytes, corpus_size: int) -> None:
    """UsageError if the index file would be larger than kz reads for its corpus (``validity.max_copy_bytes``)."""
    limit = validity.max_copy_bytes(corpus_size)
    if len(image) > limit:
        raise UsageError(
            f"the index file would be {len(image) >> 20} MiB, more than kz reads for a corpus of this size "
            f"({limit >> 20} MiB); query the JSON without it"
        )


def _stamped(image: bytes) -> bytes:
    """The database with its CRC-32 in its checksum bytes, as ``validity.file_crc`` reads it."""
    if len(image) < _CRC_AT + 4:
        raise OutputError("the index database came out empty")
    crc = validity.crc_skipping(image, _CRC_AT)
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
        "topics": [(i, _pack(TopicRow(i, *t.fields()))) for i, t in enumerate(corpus.records.topics)],
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

# What kz writes, as SQLite records it: every table (its statement as written) and the one
# index SQLite makes for "UNIQUE". Anything else (a view, a trigger, another table) is not kz's.
_OBJECTS = frozenset(
    {("table", sql.split()[2], sql.split()[2], sql.strip()) for sql in _SCHEMA.split(";") if sql.strip()}
    | {("index", "sqlite_autoindex_entities_1", "entities", None)}
)
# The SQLite header's file format bytes (offsets 18, 19): 1 for a rollback journal, as kz writes;
# 2 is write-ahead logging, whose reader would make -wal and -shm files beside the index.
_FORMAT_AT = 18


class _PassedOver(Exception):
    """Why an index file is not used: said in one line, then kz answers from the JSON."""


def _connect(path: str) -> sqlite3.Connection:
    """Read-only and immutable, by URI: opening never creates, changes or locks a file
    (no journal, no -wal or -shm files, whatever the file's header says)."""
    from urllib.parse import quote

    return sqlite3.connect(f"file:{quote(os.path.abspath(path))}?mode=ro&immutable=1", uri=True)


def _open_checked(target: str, corpus_path: str, corpus_size: int) -> sqlite3.Connection:
    """A connection to the index file, checked whole.

    _PassedOver unless it is a regular file of a sane size owned by this user or
    the corpus's owner (``validity.open_copy``), whose CRC-32 holds, in the format
    kz writes, opened as the very file checked, holding kz's tables and nothing else.
    """
    try:
        fd = validity.open_copy(target, corpus_path, corpus_size)
    except validity.Unusable as exc:
        raise _PassedOver(str(exc)) from None
    try:
        checked = validity.descriptor_crc(fd, _CRC_AT)
        head = os.pread(fd, _APPLICATION_ID_AT + 4, 0)
        if checked is None or checked[1] != checked[2] or not head.startswith(_SQLITE_MAGIC):
            raise _PassedOver("is damaged or not a kz index file")
        if head[_FORMAT_AT : _FORMAT_AT + 2] != b"\x01\x01":
            raise _PassedOver("is not in the format kz writes (write-ahead logging)")
        db = _connect(target)
        try:
            here = os.stat(target, follow_symlinks=False)
            opened = os.fstat(fd)
            if (here.st_dev, here.st_ino) != (opened.st_dev, opened.st_ino):
                raise _PassedOver("was replaced while kz was checking it")
            found = {tuple(row) for row in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}
            if found != _OBJECTS:
                raise _PassedOver("holds tables, views or triggers kz does not write")
        except BaseException:
            db.close()
            raise
    except OSError as exc:
        raise _PassedOver(f"cannot be read ({exc.strerror or exc})") from None
    except sqlite3.Error:
        raise _PassedOver("is damaged or not a kz index file") from None
    finally:
        os.close(fd)
    return db


def open_corpus(corpus_path: str, warn: Callable[[str], None] | None = None) -> Corpus | None:
    """The corpus at ``corpus_path`` backed by its index file, or None when there is no usable one.

    An index file is a cache, never an authority: anything but a file kz wrote
    for this very corpus is passed over, with one line to ``warn``.
    """
    target = store_path(corpus_path)
    expected = validity.corpus_header(corpus_path)
    if expected is None:
        return None  # the ordinary load says what is wrong with the corpus
    try:
        db = _open_checked(target, corpus_path, expected[3])
        try:
            meta = unpack(MetaRow, db.execute("SELECT row FROM meta WHERE key = 'header'").fetchone()[0])
        except (BadRow, sqlite3.Error, TypeError):  # TypeError: no such row
            db.close()
            raise _PassedOver("is damaged or not a kz index file") from None
    except _PassedOver as exc:
        if warn is not None:
            warn(f"{target} {exc}; reading {corpus_path} without it ({remedy(corpus_path)})")
        return None
    if tuple(meta.header) != expected:
        db.close()
        if warn is not None:
            warn(f"{target} is out of date (the corpus or kz changed); run `kz index {corpus_path}` to refresh it")
        return None
    lookups = SqliteLookups(db, target, corpus_path, meta, warn)
    report = Report(*meta.report)
    return Corpus(meta.schema_version, report, lookups, read_records=lookups.read_records, path=corpus_path)


_Row = TypeVar("_Row", bound=tuple[Any, ...])


class SqliteLookups:
    """``corpus.Lookups`` answered from an index file.

    Every row is checked as it is read (``kzcli.rows``). One that fails, or a
    file that stops being readable, makes the lookups fall back on the JSON
    for the rest of the run (``fall_back``): kz says so once and answers from it.
    """

    def __init__(
        self,
        db: sqlite3.Connection,
        path: str,
        corpus_path: str,
        meta: MetaRow,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self._db = db
        self._path = path
        self._corpus_path = corpus_path
        self.meta = meta
        self._warn = warn
        self.fallback: MemoryLookups | None = None
        self._section_rows: dict[str, SectionRow | None] = {}
        self._entities: dict[int, Entity] = {}
        self._positions: dict[str, int | None] = {}
        self._titles: tuple[tuple[str, str], ...] | None = None
        self._name_table: dict[str, tuple[Entity, ...]] | None = None
        self._index: SearchIndex | None = None
        self._vocabulary: dict[int, list[str]] = {}
        self._topics: tuple[Topic, ...] | None = None

    def read_records(self) -> Records:
        """Every record, from the JSON whose checksum the index file carries, validated:
        the index file vouches for nothing (a forged one can carry any JSON's checksum,
        and files unpacked from an archive belong to whoever unpacks them)."""
        from kzcli.document import MAX_CORPUS_BYTES, parse_json, read_bounded, records_of
        from kzcli.validation import validate

        try:
            source = read_bounded(self._corpus_path, MAX_CORPUS_BYTES)
        except ValueError as exc:
            raise CorpusError(self._corpus_path, str(exc)) from None
        if validity.header_of(source) != tuple(self.meta.header):
            raise CorpusError(self._corpus_path, "changed while kz was reading it; run the command again")
        raw = parse_json(self._corpus_path, source)
        problems = validate(raw, source)
        if problems:
            more = f" (and {len(problems) - 1} more; run `kz validate`)" if len(problems) > 1 else ""
            raise CorpusError(self._corpus_path, problems[0] + more)
        return records_of(raw)

    def fall_back(self, problem: Exception) -> MemoryLookups:
        """From now on, answer from the JSON: the index file has shown it is not what kz wrote."""
        if self.fallback is None:
            from kzcli.memory import MemoryLookups

            why = f": {problem}" if isinstance(problem, BadRow) else f" ({problem})"
            if self._warn is not None:
                self._warn(
                    f"{self._path} is damaged{why}; reading {self._corpus_path} without it "
                    f"({remedy(self._corpus_path)})"
                )
            self.fallback = MemoryLookups(Report(*self.meta.report), self.read_records())
        return self.fallback

    def memory_index(self, problem: Exception | None = None) -> SearchIndex | None:
        """The search index of the JSON once the lookups have fallen back on it (``problem``: fall back now)."""
        if problem is not None:
            self.fall_back(problem)
        return None if self.fallback is None else self.fallback.search_index()

    def _rows(self, sql: str, *args: object) -> list[Any]:
        return self._db.execute(sql, args).fetchall()

    def one(self, kind: type[_Row], sql: str, *keys: object) -> _Row | None:
        """The row of ``kind`` looked up by ``keys``, or None if there is none."""
        rows = self._rows(sql, *keys)
        return unpack(kind, rows[0][0]) if rows else None

    def _in(self, sql: str, ids: Sequence[object]) -> list[Any]:
        """Rows of ``sql`` (ending in "IN") for every id, _CHUNK ids per query."""
        rows: list[Any] = []
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first : first + _CHUNK]
            rows += self._rows(f"{sql} ({', '.join('?' * len(chunk))})", *chunk)
        return rows

    def keys(self, sql: str, *args: object) -> list[str]:
        """The first column of every row of ``sql``, each held to the rules of a key."""
        return [text(key) for (key, *_) in self._rows(sql, *args)]

    def vocabulary(self, kind: int) -> list[str]:
        """Every key of one kind of postings (what typo correction walks), read once per run."""
        if kind not in self._vocabulary:
            self._vocabulary[kind] = self.keys("SELECT key FROM postings WHERE kind = ?", kind)
        return self._vocabulary[kind]

    def section_row(self, section_id: str) -> SectionRow | None:
        if section_id not in self._section_rows:
            self._section_rows[section_id] = self.one(SectionRow, "SELECT row FROM sections WHERE id = ?", section_id)
        return self._section_rows[section_id]

    @or_json
    def section(self, section_id: str) -> Section | None:
        row = self.section_row(section_id)
        return None if row is None else Section(row.id, row.title, tuple(row.paragraphs))

    @or_json
    def section_titles(self) -> tuple[tuple[str, str], ...]:
        if self._titles is None:
            rows = self._rows("SELECT id, title FROM sections ORDER BY position")
            self._titles = tuple((text(r[0]), text(r[1])) for r in rows)
        return self._titles

    def _entities_at(self, positions: Sequence[int]) -> tuple[Entity, ...]:
        """Entities by position, in that order."""
        # Set differences with the caches cost as much as the caches are big: test each id instead.
        missing = sorted({p for p in positions if p not in self._entities})
        for (packed,) in self._in("SELECT row FROM entities WHERE position IN", missing):
            row = unpack(EntityRow, packed)
            mentions = tuple(Mention(*m) for m in row.mentions)
            self._entities[row.position] = Entity(row.id, row.type, row.name, tuple(row.aliases), row.role, mentions)
            self._positions[row.id] = row.position
        if any(p not in self._entities for p in positions):
            raise BadRow("a lookup leads to an entity the file does not hold")
        return tuple(self._entities[p] for p in positions)

    def _position(self, entity_id: str) -> int | None:
        if entity_id not in self._positions:
            rows = self._rows("SELECT position FROM entities WHERE id = ?", entity_id)
            self._positions[entity_id] = count(rows[0][0]) if rows else None
        return self._positions[entity_id]

    @or_json
    def entity_position(self, entity_id: str) -> int:
        found = self._position(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    @or_json
    def entity(self, entity_id: str) -> Entity | None:
        position = self._position(entity_id)
        return None if position is None else self._entities_at([position])[0]

    def _events(self, rows: list[Any]) -> tuple[Event, ...]:
        return tuple(Event(*event_fields(unpack(EventRow, packed).event)) for (packed,) in rows)

    @or_json
    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        row = self.one(KeyedRow, "SELECT row FROM event_entities WHERE entity = ?", entity_id)
        return () if row is None else self._events(self._in("SELECT row FROM events WHERE position IN", row.found))

    @or_json
    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        sql = "SELECT row FROM mentions WHERE section = ? AND paragraph = ?"
        row = self.one(MentionsRow, sql, section_id, number)
        return () if row is None else self._entities_at(row.positions)

    @or_json
    def entities_named(self, key: str) -> tuple[Entity, ...]:
        row = self.one(KeyedRow, "SELECT row FROM names WHERE key = ?", key)
        return () if row is None else self._entities_at(positions_of(row))

    @or_json
    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        row = self.one(KeyedRow, "SELECT row FROM name_words WHERE word = ?", word)
        return () if row is None else tuple(text(key) for key in row.found)

    @or_json
    def name_table(self) -> dict[str, tuple[Entity, ...]]:
        """Every name key and its entities: what a name typed with a typo is compared with."""
        if self._name_table is None:
            keyed = [unpack(KeyedRow, packed) for (packed,) in self._rows("SELECT row FROM names ORDER BY key")]
            found = {row.key: positions_of(row) for row in keyed}
            self._entities_at(sorted({p for positions in found.values() for p in positions}))
            self._name_table = {key: tuple(self._entities[p] for p in positions) for key, positions in found.items()}
        return self._name_table

    @or_json
    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        sql = "SELECT row FROM events WHERE first <= ? AND last >= ? ORDER BY position"
        events = self._events(self._rows(sql, end, start))
        # Whoever lists events shows their entities and sections: read those a few
        # queries at a time rather than one per event (1,100 events in a month at 100x).
        named = sorted({i for e in events for i in e.entities if i not in self._positions})
        for entity_id, position in self._in("SELECT id, position FROM entities WHERE id IN", named):
            self._positions[text(entity_id)] = count(position)
        self._entities_at([p for i in named if (p := self._positions.get(i)) is not None])
        wanted = sorted({e.section for e in events if e.section not in self._section_rows})
        for section_id, packed in self._in("SELECT id, row FROM sections WHERE id IN", wanted):
            self._section_rows[text(section_id)] = unpack(SectionRow, packed)
        return events

    @or_json
    def topics(self) -> tuple[Topic, ...]:
        if self._topics is None:
            rows = [unpack(TopicRow, packed) for (packed,) in self._rows("SELECT row FROM topics ORDER BY position")]
            places = [tuple((section, number) for section, number in row.paragraphs) for row in rows]
            self._topics = tuple(Topic(*row[1:6], at, row.events) for row, at in zip(rows, places, strict=True))
        return self._topics

    @or_json
    def latest_day(self) -> str:
        return self.meta.latest_day

    @or_json
    def report_spellings(self) -> dict[str, str]:
        return dict(self.meta.report_spellings)

    @or_json
    def search_index(self) -> SearchIndex:
        from kzcli.search import build_index
        from kzcli.text import stemmer_version

        if self._index is None:
            if self.meta.stemmer != stemmer_version():
                # Stems of another stemmer: the postings would not match what is searched for.
                self._index = build_index(self.read_records().sections)
            else:
                from kzcli.stored_index import stored_index

                self._index = stored_index(self)
        return self._index
