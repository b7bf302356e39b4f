"""The whole corpus in other people's tools: JSON, CSV (one file per table) and SQLite.

One table model feeds CSV and SQLite, so both carry the same tables, columns
and rows. SQLite adds primary and foreign keys and an FTS5 index over the
paragraphs in the shape sqlite-utils and Datasette look for (a virtual table
``paragraphs_fts`` declared with ``content="paragraphs"``), so
``sqlite-utils search kz.db paragraphs torture`` and ``datasette kz.db`` work.

Every export is written next to its target under a temporary name kz
created, and renamed into place at the end (``kzcli.files``): an interrupted
or failed export leaves nothing half-written, and an existing target is
replaced only with ``force`` and only if it is still what was checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from kzcli.corpus import Corpus, Mention, paragraph_ref
from kzcli.errors import OutputError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from kzcli.files import Folder, Target

FORMATS = ("json", "csv", "sqlite")
# The SQLite/CSV layout: bump when a table or column changes meaning.
# 2: events.first_day/last_day, paragraphs.place; CSV writes booleans true/false and lists "; "-joined.
# 3: topics, topic_paragraphs and topic_events.
TABLES_VERSION = 4


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql_type: str  # TEXT | INTEGER | REAL | NUMERIC
    nullable: bool = False
    references: str | None = None  # "table(column)"


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    unique: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True, slots=True)
class Written:
    """What an export wrote: the format, the final path and rows per table."""

    fmt: str
    path: str
    counts: dict[str, int]


# --- the corpus as a document (JSON) -------------------------------------------


def _mention_doc(m: Mention) -> dict[str, Any]:
    return {"section": m.section, "paragraph": m.paragraph, "quote": m.quote}


def corpus_document(corpus: Corpus) -> dict[str, Any]:
    """The corpus in the ``report.json`` shape: what kz loaded, ready to load again."""
    r = corpus.report
    return {
        "schema_version": corpus.schema_version,
        "report": {
            "title": r.title,
            "country": r.country,
            "period": r.period,
            "series": r.series,
            "publisher": r.publisher,
            "source_file": r.source_file,
        },
        "sections": [{"id": s.id, "title": s.title, "paragraphs": list(s.paragraphs)} for s in corpus.sections],
        "entities": [
            {
                "id": e.id,
                "type": e.type,
                "name": e.name,
                "aliases": list(e.aliases),
                "role": e.role,
                "mentions": [_mention_doc(m) for m in e.mentions],
            }
            for e in corpus.entities
        ],
        "events": [
            {
                "id": v.id,
                "date": v.date,
                "end": v.end,
                "precision": v.precision,
                "ongoing": v.ongoing,
                "date_text": v.date_text,
                "inferred": v.inferred,
                "date_note": v.date_note,
                "summary": v.summary,
                "section": v.section,
                "paragraph": v.paragraph,
                "quote": v.quote,
                "entities": list(v.entities),
            }
            for v in corpus.events
        ],
        "figures": [
            {
                "id": f.id,
                "value": f.value,
                "qualifier": f.qualifier,
                "text": f.text,
                "unit": f.unit,
                "what": f.what,
                "section": f.section,
                "paragraph": f.paragraph,
                "quote": f.quote,
            }
            for f in corpus.figures
        ],
        "notes": [{"id": n.id, "text": n.text} for n in corpus.notes],
        "left_out": [
            {"kind": o.kind, "text": o.text, "section": o.section, "paragraph": o.paragraph, "reason": o.reason}
            for o in corpus.left_out
        ],
        "topics": topic_documents(corpus),
    }


def topic_documents(corpus: Corpus) -> list[dict[str, Any]]:
    """The topics as ``report.json`` holds them: paragraphs as SECTION:N refs."""
    return [
        {
            "id": t.id,
            "label": t.label,
            "vocabulary": t.vocabulary,
            "scope": t.scope,
            "terms": list(t.terms),
            "paragraphs": [paragraph_ref(*at) for at in t.paragraphs],
            "events": list(t.events),
        }
        for t in corpus.topics
    ]


def write_corpus_json(corpus: Corpus, out: IO[str]) -> None:
    from kzcli.formats import dump_json

    dump_json(corpus_document(corpus), out)


# --- the corpus as tables (CSV and SQLite) ------------------------------------


def _text(name: str, *, nullable: bool = False, references: str | None = None) -> Column:
    return Column(name, "TEXT", nullable, references)


def _int(name: str, *, nullable: bool = False, references: str | None = None) -> Column:
    return Column(name, "INTEGER", nullable, references)


_PLACE = (
    _text("section", references="sections(id)"),
    _int("paragraph"),
    _int("paragraph_id", references="paragraphs(id)"),
)
# The last column of every table whose rows have a place: the target `kz cite` and `kz read`
# take for it (an event's id; else SECTION:N), as in the CSV of every query.
_CITE = _text("cite")


def tables(corpus: Corpus) -> list[Table]:
    """Every table of the export, in an order where each references only earlier ones.

    ``paragraph`` is the 1-based number within the section, as citations use
    it; ``paragraph_id`` is the paragraphs table's key (reading order), and
    ``paragraphs.place`` its label (``torture ¶2``, what Datasette shows for
    a link). Cells keep their Python values (a bool, a list): each format
    writes them its own way, SQLite as 0/1 and JSON arrays (what sqlite-utils
    and Datasette read), CSV by the convention of every CSV kz writes
    (``kzcli.formats.csv_text``). ``first_day``/``last_day`` are the days an
    event's date covers (``kzcli.timeline.interval``), so a date sorts and facets.
    """
    from kzcli.timeline import covered_until, interval

    open_until = covered_until(corpus)
    paragraph_ids: dict[tuple[str, int], int] = {}
    paragraph_rows: list[tuple[Any, ...]] = []
    for section in corpus.sections:
        for number, text in enumerate(section.paragraphs, 1):
            key = len(paragraph_rows) + 1
            paragraph_ids[(section.id, number)] = key
            paragraph_rows.append(
                (key, section.id, number, f"{section.id} ¶{number}", text, paragraph_ref(section.id, number))
            )

    def place(section: str, paragraph: int) -> tuple[str, int, int]:
        return section, paragraph, paragraph_ids[(section, paragraph)]

    r = corpus.report
    mention_rows: list[tuple[Any, ...]] = []
    for entity in corpus.entities:
        for position, m in enumerate(entity.mentions, 1):
            mention_rows.append(
                (
                    len(mention_rows) + 1,
                    entity.id,
                    position,
                    *place(m.section, m.paragraph),
                    m.quote,
                    paragraph_ref(m.section, m.paragraph),
                )
            )

    return [
        Table(
            "report",
            (
                _int("id"),
                _int("schema_version"),
                _int("tables_version"),
                _text("title"),
                _text("country"),
                _text("period"),
                _text("series"),
                _text("publisher"),
                _text("source_file"),
            ),
            ("id",),
            [
                (
                    1,
                    corpus.schema_version,
                    TABLES_VERSION,
                    r.title,
                    r.country,
                    r.period,
                    r.series,
                    r.publisher,
                    r.source_file,
                )
            ],
        ),
        Table(
            "sections",
            (_text("id"), _int("position"), _text("title"), _int("paragraphs")),
            ("id",),
            [(s.id, i, s.title, len(s.paragraphs)) for i, s in enumerate(corpus.sections, 1)],
            unique=(("position",),),
        ),
        Table(
            "paragraphs",
            (
                _int("id"),
                _text("section", references="sections(id)"),
                _int("paragraph"),
                _text("place"),
                _text("text"),
                _CITE,
            ),
            ("id",),
            paragraph_rows,
            unique=(("section", "paragraph"),),
        ),
        Table(
            "entities",
            (_text("id"), _text("type"), _text("name"), _text("aliases"), _text("role"), _int("mentions")),
            ("id",),
            [(e.id, e.type, e.name, list(e.aliases), e.role, len(e.mentions)) for e in corpus.entities],
        ),
        Table(
            "mentions",
            (_int("id"), _text("entity", references="entities(id)"), _int("position"), *_PLACE, _text("quote"), _CITE),
            ("id",),
            mention_rows,
        ),
        Table("notes", (_text("id"), _text("text")), ("id",), [(n.id, n.text) for n in corpus.notes]),
        Table(
            "events",
            (
                _text("id"),
                _text("date"),
                _text("end", nullable=True),
                _text("first_day"),
                _text("last_day"),
                _text("precision"),
                _int("ongoing"),
                _text("date_text"),
                _text("inferred", nullable=True),
                _text("date_note", nullable=True, references="notes(id)"),
                _text("summary"),
                *_PLACE,
                _text("quote"),
                _CITE,
            ),
            ("id",),
            [
                (
                    v.id,
                    v.date,
                    v.end,
                    *interval(v, open_until),
                    v.precision,
                    v.ongoing,
                    v.date_text,
                    v.inferred,
                    v.date_note,
                    v.summary,
                    *place(v.section, v.paragraph),
                    v.quote,
                    v.id,
                )
                for v in corpus.events
            ],
        ),
        Table(
            "event_entities",
            (_text("event", references="events(id)"), _text("entity", references="entities(id)"), _int("position")),
            ("event", "entity"),
            [(v.id, ref, i) for v in corpus.events for i, ref in enumerate(dict.fromkeys(v.entities), 1)],
        ),
        Table(
            "figures",
            (
                _text("id"),
                Column("value", "NUMERIC", nullable=True),
                _text("qualifier", nullable=True),
                _text("text"),
                _text("unit"),
                _text("what"),
                *_PLACE,
                _text("quote"),
                _CITE,
            ),
            ("id",),
            [
                (
                    f.id,
                    f.value,
                    f.qualifier,
                    f.text,
                    f.unit,
                    f.what,
                    *place(f.section, f.paragraph),
                    f.quote,
                    paragraph_ref(f.section, f.paragraph),
                )
                for f in corpus.figures
            ],
        ),
        Table(
            "left_out",
            (_int("id"), _text("kind"), _text("text"), *_PLACE, _text("reason"), _CITE),
            ("id",),
            [
                (i, o.kind, o.text, *place(o.section, o.paragraph), o.reason, paragraph_ref(o.section, o.paragraph))
                for i, o in enumerate(corpus.left_out, 1)
            ],
        ),
        *topic_tables(corpus, place),
    ]


def topic_tables(corpus: Corpus, place: Callable[[str, int], tuple[str, int, int]]) -> list[Table]:
    """The topics, and what each tags: paragraphs and events, one row a tag."""
    topic = _text("topic", references="topics(id)")
    return [
        Table(
            "topics",
            (_text("id"), _int("position"), _text("label"), _text("vocabulary"), _text("scope"), _text("terms")),
            ("id",),
            [(t.id, i, t.label, t.vocabulary, t.scope, list(t.terms)) for i, t in enumerate(corpus.topics, 1)],
            unique=(("position",),),
        ),
        Table(
            "topic_paragraphs",
            (topic, *_PLACE, _CITE),
            ("topic", "paragraph_id"),
            [(t.id, *place(*at), paragraph_ref(*at)) for t in corpus.topics for at in t.paragraphs],
        ),
        Table(
            "topic_events",
            (topic, _text("event", references="events(id)")),
            ("topic", "event"),
            [(t.id, event) for t in corpus.topics for event in t.events],
        ),
    ]


def write_csv_dir(corpus: Corpus, folder: Folder, guard_formulas: bool = False) -> None:
    """One UTF-8 CSV file with a header per table, created in ``folder`` (kz's own, new),
    written as every CSV kz writes (``kzcli.formats.write_csv_rows``).

    ``guard_formulas`` (``kz export --guard-formulas``, or ``KZ_CSV_GUARD=1``)
    puts a ``'`` before any text cell a spreadsheet would read as a formula
    (``=``, ``+``, ``-``, ``@``, tab, carriage return): opt-in, since it
    changes the report's verbatim text.
    """
    from kzcli.formats import csv_text, write_csv_rows

    for table in tables(corpus):
        with folder.create(f"{table.name}.csv") as handle:
            # The corpus's own text as it is: a valid corpus holds nothing CSV output would need to escape.
            cells = ([csv_text(v) for v in row] for row in table.rows)
            write_csv_rows(handle, table.column_names, cells, guard_formulas)


# --- writing safely -------------------------------------------------------------


def format_for(path: str, fmt: str | None) -> str:
    """The export format: as given, else from the target's extension; never one the extension contradicts
    (`-f sqlite -o corpus.json --force` would put a database where a corpus was)."""
    extension = os.path.splitext(path)[1].lower()
    implied = "json" if path == "-" else _EXTENSIONS.get(extension)
    if fmt is not None and path == "-" and fmt != "json":
        raise UsageError("only --format json can be written to standard output (-)")
    if fmt is not None:
        if implied is not None and implied != fmt:
            raise UsageError(f"--format {fmt} does not fit {path!r}, which names a {implied} file")
        return fmt
    if implied is not None:
        return implied
    raise UsageError(f"cannot tell the format from {path!r}; give --format json, csv or sqlite")


# Extensions that name a format (a CSV export is a folder: it has none of its own).
_EXTENSIONS = {".json": "json", ".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite"}


def export(
    corpus: Corpus,
    fmt: str,
    path: str,
    force: bool = False,
    stdout: IO[str] | None = None,
    guard_formulas: bool = False,
    metadata: str | None = None,
) -> Written:
    """Write the corpus as ``fmt`` to ``path`` (``-`` for JSON on ``stdout``), by ``kzcli.files``' rules.

    ``metadata`` (SQLite only) is a second file, Datasette's metadata for the
    database (``kzcli.datasette``): both targets are checked before either is
    written, so a refused one leaves the other untouched too.
    """
    from kzcli.files import check_target, staged_file, staged_folder

    counts = {
        "sections": len(corpus.sections),
        "paragraphs": sum(len(s.paragraphs) for s in corpus.sections),
        "entities": len(corpus.entities),
        "mentions": sum(len(e.mentions) for e in corpus.entities),
        "events": len(corpus.events),
        "figures": len(corpus.figures),
        "topics": len(corpus.topics),
    }
    if path == "-":
        if fmt != "json" or stdout is None:
            raise UsageError("only --format json can be written to standard output (-)")
        write_corpus_json(corpus, stdout)
        return Written(fmt, path, counts)
    target = check_target(path, force, directory=fmt == "csv")
    metadata_target = _metadata_target(fmt, path, metadata, force)
    try:
        if fmt == "csv":
            with staged_folder(target) as folder:
                write_csv_dir(corpus, folder, guard_formulas)
        else:
            with staged_file(target, encoding=None if fmt == "sqlite" else "utf-8") as handle:
                if fmt == "sqlite":
                    from kzcli.sqlite_export import write_sqlite

                    write_sqlite(tables(corpus), handle)
                else:
                    write_corpus_json(corpus, handle)
    except OSError as exc:
        raise OutputError(f"cannot write {target.path}: {exc.strerror or exc}") from None
    if metadata_target is not None:
        from kzcli.datasette import metadata as datasette_metadata

        _write_json(datasette_metadata(corpus, target.path), metadata_target)
    return Written(fmt, target.path, counts)


def _metadata_target(fmt: str, path: str, metadata: str | None, force: bool) -> Target | None:
    """Where Datasette's metadata goes, checked as the database's own target is (None: not asked for)."""
    from kzcli.files import check_target

    if metadata is None:
        return None
    if fmt != "sqlite":
        raise UsageError("--metadata is Datasette's, for --format sqlite")
    if metadata == "-" or not metadata.strip():
        raise UsageError("--metadata needs a file name (e.g. kz-metadata.json)")
    if os.path.abspath(metadata) == os.path.abspath(path):
        raise UsageError("--metadata must name another file than --output")
    return check_target(metadata, force)


def _write_json(document: Any, target: Target) -> None:
    from kzcli.files import staged_file
    from kzcli.formats import dump_json

    try:
        with staged_file(target) as handle:
            dump_json(document, handle)
    except OSError as exc:
        raise OutputError(f"cannot write {target.path}: {exc.strerror or exc}") from None


def write_json_document(document: Any, path: str, force: bool = False, stdout: IO[str] | None = None) -> None:
    """Any JSON document (``kz ingest``'s corpus) to ``path`` or ``-``, by the same safe rules."""
    from kzcli.files import check_target
    from kzcli.formats import dump_json

    if path == "-":
        if stdout is None:
            raise UsageError("no standard output to write to")
        dump_json(document, stdout)
        return
    _write_json(document, check_target(path, force))
