"""The corpus: a typed model of ``report.json``, its loader and its validator.

Validation is strict because provenance is the product: every quote must stand
verbatim in the paragraph it names, every reference must resolve and every date
must be a well-formed ISO prefix. ``validate`` collects every problem (for
``kz validate``); ``load`` stops at the first and raises ``CorpusError``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol, TypeVar

from kzcli.errors import CorpusError

SCHEMA_VERSION = 1
ENTITY_TYPES = ("person", "organization", "place", "law")
PRECISIONS = ("year", "month", "day")
LEFT_OUT_KINDS = ("date", "number", "name")
DATA_ENV = "KZ_DATA"
# `kz index corpus.json` writes corpus.json.kzindex (kzcli.store); loading looks for it.
STORE_SUFFIX = ".kzindex"
# What a corpus works out from all its records once (Corpus.memo), and an index file keeps.
COVERED_UNTIL = "covered_until"  # timeline.covered_until
REPORT_SPELLINGS = "report_spellings"  # entities.report_spellings
# Refuse absurd files before reading them: the real corpus is ~100 KB.
MAX_CORPUS_BYTES = 32 * 1024 * 1024

# ASCII digits only and \Z, not $: "２０２０" and "2020-06-06\n" are not dates.
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z", re.ASCII)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
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


class Figure(NamedTuple):
    id: str
    value: float | int | None
    text: str
    unit: str
    what: str
    section: str
    paragraph: int
    quote: str


class Note(NamedTuple):
    id: str
    text: str


class LeftOut(NamedTuple):
    kind: str
    text: str
    section: str
    paragraph: int
    reason: str


_Table = TypeVar("_Table")


class Corpus:
    """The whole report, typed, with the lookups the query commands make.

    A plain class (and the records above named tuples), not dataclasses: each
    frozen dataclass cost ~0.4 ms to create at import, ~5 ms of every run of kz.
    Treat it as immutable.

    A corpus is either whole in memory, or backed by an index file
    (``kzcli.store``, written by ``kz index``): then the lookups below read
    only what they need from it, and the record lists are read from the JSON
    only when a command asks for all of them.
    """

    __slots__ = (
        "_entities",
        "_events",
        "_figures",
        "_left_out",
        "_materialize",
        "_memo",
        "_notes",
        "_sections",
        "index_data",
        "path",
        "report",
        "schema_version",
        "store",
    )

    def __init__(
        self,
        schema_version: int,
        report: Report,
        sections: tuple[Section, ...],
        entities: tuple[Entity, ...],
        events: tuple[Event, ...],
        figures: tuple[Figure, ...],
        notes: tuple[Note, ...],
        left_out: tuple[LeftOut, ...],
        path: str = "",
    ) -> None:
        self.schema_version = schema_version
        self.report = report
        self._sections = sections
        self._entities = entities
        self._events = events
        self._figures = figures
        self._notes = notes
        self._left_out = left_out
        self.path = path
        # A prebuilt search index (kzcli.snapshot), when the corpus came with one.
        self.index_data: Any = None
        # An index file answering the lookups (kzcli.store), and how to read the rest.
        self.store: CorpusStore | None = None
        self._materialize: Callable[[], Corpus] | None = None
        self._memo: dict[str, Any] = {}

    @classmethod
    def backed_by(
        cls, store: CorpusStore, materialize: Callable[[], Corpus], path: str, known: dict[str, Any]
    ) -> Corpus:
        """A corpus whose lookups ``store`` answers; ``materialize`` reads everything else;
        ``known`` holds what was worked out from every record when the store was made (see ``memo``)."""
        corpus = cls(store.schema_version(), store.report(), (), (), (), (), (), (), path)
        corpus.store, corpus._materialize = store, materialize
        corpus._memo.update(known)
        return corpus

    def _whole(self) -> None:
        """Read every record (a store-backed corpus, when a command needs them all)."""
        if self._materialize is not None:
            whole, self._materialize = self._materialize(), None
            self._sections, self._entities, self._events = whole.sections, whole.entities, whole.events
            self._figures, self._notes, self._left_out = whole.figures, whole.notes, whole.left_out

    @property
    def sections(self) -> tuple[Section, ...]:
        self._whole()
        return self._sections

    @property
    def entities(self) -> tuple[Entity, ...]:
        self._whole()
        return self._entities

    @property
    def events(self) -> tuple[Event, ...]:
        self._whole()
        return self._events

    @property
    def figures(self) -> tuple[Figure, ...]:
        self._whole()
        return self._figures

    @property
    def notes(self) -> tuple[Note, ...]:
        self._whole()
        return self._notes

    @property
    def left_out(self) -> tuple[LeftOut, ...]:
        self._whole()
        return self._left_out

    def _key(self) -> tuple[object, ...]:
        return (
            self.schema_version,
            self.report,
            self.sections,
            self.entities,
            self.events,
            self.figures,
            self.notes,
            self.left_out,
            self.path,
        )

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, Corpus) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        if self._materialize is not None:
            return f"Corpus(path={self.path!r}, from its index file)"
        return (
            f"Corpus(path={self.path!r}, {len(self.sections)} sections, {len(self.entities)} entities, "
            f"{len(self.events)} events, {len(self.figures)} figures)"
        )

    def memo(self, name: str, build: Callable[[], _Table]) -> _Table:
        """Something worked out from the records (a lookup table, a date), once per corpus."""
        if name not in self._memo:
            self._memo[name] = build()
        table: _Table = self._memo[name]
        return table

    # --- lookups: from the index file when there is one, else from memory ------

    def section(self, section_id: str) -> Section:
        found = self.section_or_none(section_id)
        if found is None:
            raise KeyError(section_id)
        return found

    def section_or_none(self, section_id: str) -> Section | None:
        if self.store is not None:
            return self.store.section(section_id)
        return self.memo("sections", lambda: {s.id: s for s in self.sections}).get(section_id)

    def entity(self, entity_id: str) -> Entity:
        found = self.entity_or_none(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def entity_or_none(self, entity_id: str) -> Entity | None:
        if self.store is not None:
            return self.store.entity(entity_id)
        return self.memo("entities", lambda: {e.id: e for e in self.entities}).get(entity_id)

    def section_titles(self) -> tuple[tuple[str, str], ...]:
        """(id, title) of every section, in report order: enough to find one by name."""
        if self.store is not None:
            return self.memo("titles", self.store.section_titles)
        return self.memo("titles", lambda: tuple((s.id, s.title) for s in self.sections))

    def paragraph(self, section_id: str, number: int) -> str:
        """Paragraph text by 1-based number, as citations use it."""
        return self.section(section_id).paragraphs[number - 1]

    def entity_position(self, entity_id: str) -> int:
        """Where an entity stands in the corpus's order (listings and hints keep it)."""
        if self.store is not None:
            return self.store.entity_position(entity_id)
        return self.memo("positions", lambda: {e.id: i for i, e in enumerate(self.entities)})[entity_id]

    def events_involving(self, entity_id: str) -> tuple[Event, ...]:
        """The events naming an entity, in corpus order."""
        if self.store is not None:
            return self.store.events_involving(entity_id)

        def build() -> dict[str, tuple[Event, ...]]:
            table: dict[str, list[Event]] = {}
            for event in self.events:
                for named in dict.fromkeys(event.entities):
                    table.setdefault(named, []).append(event)
            return {key: tuple(events) for key, events in table.items()}

        return self.memo("events_involving", build).get(entity_id, ())

    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]:
        """The entities mentioned in one paragraph, in corpus order."""
        if self.store is not None:
            return self.store.entities_at(section_id, number)

        def build() -> dict[tuple[str, int], tuple[Entity, ...]]:
            table: dict[tuple[str, int], dict[str, Entity]] = {}
            for entity in self.entities:
                for mention in entity.mentions:
                    table.setdefault((mention.section, mention.paragraph), {})[entity.id] = entity
            return {place: tuple(found.values()) for place, found in table.items()}

        return self.memo("entities_at", build).get((section_id, number), ())

    def entities_named(self, key: str) -> tuple[Entity, ...]:
        """Entities one of whose name keys (``entities.name_keys``) is ``key``, in corpus order."""
        if self.store is not None:
            return self.store.entities_named(key)
        return self.name_table().get(key, ())

    def name_table(self) -> dict[str, tuple[Entity, ...]]:
        """Every name key and its entities (kept in the wheel's snapshot: ~1.5 ms to build)."""
        if self.store is not None:
            return self.memo("named", self.store.name_table)
        return self.memo("named", self._name_table)

    def name_keys_with_word(self, word: str) -> tuple[str, ...]:
        """Every name key holding ``word`` as one of its words."""
        if self.store is not None:
            return self.store.name_keys_with_word(word)

        def build() -> dict[str, tuple[str, ...]]:
            table: dict[str, list[str]] = {}
            for key in self.name_table():
                for word in dict.fromkeys(key.split()):
                    table.setdefault(word, []).append(key)
            return {word: tuple(keys) for word, keys in table.items()}

        return self.memo("name_words", build).get(word, ())

    def _name_table(self) -> dict[str, tuple[Entity, ...]]:
        from kzcli.entities import name_keys

        table: dict[str, list[Entity]] = {}
        for entity in self.entities:
            for key in name_keys(entity):
                table.setdefault(key, []).append(entity)
        return {key: tuple(found) for key, found in table.items()}

    def events_between(self, start: str, end: str) -> tuple[Event, ...]:
        """At least every event whose interval (``timeline.interval``) overlaps ``start``..``end``.

        In memory that is simply every event (the caller selects); an index
        file narrows it down first, so a corpus of thousands of events is not
        read whole for one month.
        """
        if self.store is not None:
            return self.store.events_between(start, end)
        return self.events


class CorpusStore(Protocol):
    """What an index file answers for a corpus (``kzcli.store``); see ``Corpus``'s lookups."""

    def schema_version(self) -> int: ...
    def report(self) -> Report: ...
    def section(self, section_id: str) -> Section | None: ...
    def entity(self, entity_id: str) -> Entity | None: ...
    def entity_position(self, entity_id: str) -> int: ...
    def events_involving(self, entity_id: str) -> tuple[Event, ...]: ...
    def entities_at(self, section_id: str, number: int) -> tuple[Entity, ...]: ...
    def entities_named(self, key: str) -> tuple[Entity, ...]: ...
    def name_keys_with_word(self, word: str) -> tuple[str, ...]: ...
    def events_between(self, start: str, end: str) -> tuple[Event, ...]: ...
    def search_index(self) -> Any: ...
    def name_table(self) -> dict[str, tuple[Entity, ...]]: ...
    def section_titles(self) -> tuple[tuple[str, str], ...]: ...


def bundled_path() -> str:
    """Where the shipped corpus is: inside the package (wheel), else the checkout.

    Plain ``os.path`` rather than ``importlib.resources``: the corpus is a real
    file in both layouts, and the resources machinery costs ~20 ms of imports.
    """
    packaged = packaged_path()
    if os.path.isfile(packaged):
        return packaged
    # Editable install: src/kzcli/ -> repository root data/.
    here = os.path.dirname(packaged)
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "data", "report.json")


def packaged_path() -> str:
    """Where a wheel puts the corpus: kzcli/data/report.json."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "report.json")


def resolve_path(explicit: str | None) -> str:
    """``--data`` beats ``KZ_DATA`` beats the bundled corpus."""
    if explicit:
        return explicit
    from_env = os.environ.get(DATA_ENV)
    return from_env if from_env else bundled_path()


def read_bounded(path: str, limit: int) -> bytes:
    """A file's bytes, never more than ``limit``; ValueError saying what is wrong otherwise.

    Bounded by reading, not by ``getsize``: /dev/zero or a pipe reports size 0
    and never ends. One reader for corpora and ingested chapters alike.
    """
    try:
        if os.path.isdir(path):
            raise ValueError("is a directory, not a file")
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # a NUL in the name, say
        raise ValueError(f"is not a usable file name ({exc})") from None
    if len(raw) > limit:
        raise ValueError(f"is larger than the {limit // (1024 * 1024)} MiB limit")
    return raw


def read_json(path: str) -> Any:
    """Read and parse a corpus file, turning every OS or JSON failure into CorpusError."""
    return _read_json_text(path)[0]


def _read_json_text(path: str) -> tuple[Any, bytes]:
    """The parsed corpus file and the bytes it was parsed from."""
    try:
        raw = read_bounded(path, MAX_CORPUS_BYTES)
    except ValueError as exc:
        raise CorpusError(path, str(exc)) from None
    if not raw.strip():
        raise CorpusError(path, "is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text), raw
    except json.JSONDecodeError as exc:
        raise CorpusError(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise CorpusError(path, "invalid JSON: nested too deeply") from None


def load(explicit: str | None = None, warn: Callable[[str], None] | None = None) -> Corpus:
    """Load, validate and type the corpus; raise CorpusError on the first problem.

    A corpus with an up-to-date index file beside it (``kz index``) is read
    through that file instead; ``warn`` hears why one that exists is passed over.
    """
    path = resolve_path(explicit)
    if os.path.isfile(path + STORE_SUFFIX):
        from kzcli import store

        backed = store.open_corpus(path, warn)
        if backed is not None:
            return backed
    if path == packaged_path():
        # The wheel's own corpus: use the snapshot made (and validated) at build time.
        from kzcli import snapshot

        found = snapshot.read(path)
        if found is not None:
            raw, corpus_index, names = found
            corpus = build(raw, path)
            corpus.index_data = corpus_index
            entities = corpus.entities
            corpus._memo["named"] = {key: tuple(entities[i] for i in found) for key, found in names.items()}
            return corpus
    raw, _ = read_valid(path)
    return build(raw, path)


def read_valid(path: str) -> tuple[Any, bytes]:
    """The parsed corpus file and its bytes; CorpusError naming its first problem (and how many more)."""
    raw, source = _read_json_text(path)
    problems = validate(raw, source)
    if problems:
        more = f" (and {len(problems) - 1} more; run `kz validate`)" if len(problems) > 1 else ""
        raise CorpusError(path, problems[0] + more)
    return raw, source


# --- validation -------------------------------------------------------------


# The shape of each record: key -> accepted JSON types (one place, used by validate).
Shape = Mapping[str, "type | tuple[type, ...]"]
_MENTION_KEYS: Shape = {"section": str, "paragraph": int, "quote": str}
_ENTITY_KEYS: Shape = {"id": str, "type": str, "name": str, "aliases": list, "role": str, "mentions": list}
_EVENT_KEYS: Shape = {
    "id": str,
    "date": str,
    "end": (str, type(None)),
    "precision": str,
    "ongoing": bool,
    "date_text": str,
    "summary": str,
    "entities": list,
    **_MENTION_KEYS,
}
_FIGURE_KEYS: Shape = {
    "id": str,
    "value": (int, float, type(None)),
    "text": str,
    "unit": str,
    "what": str,
    **_MENTION_KEYS,
}
_NOTE_KEYS: Shape = {"id": str, "text": str}
_LEFT_OUT_KEYS: Shape = {"kind": str, "text": str, "section": str, "paragraph": int, "reason": str}


class _Checker:
    """Collects problems while walking untrusted JSON, never raising on bad shapes."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def obj(self, value: Any, where: str, keys: Shape) -> bool:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {_kind(value)}")
            return False
        ok = True
        for key, expected in keys.items():
            if key not in value:
                self.fail(where, f"missing key '{key}'")
                ok = False
            elif type(value[key]) is not expected and not _is(value[key], expected):
                self.fail(where, f"'{key}' should be {_type_name(expected)}, got {_kind(value[key])}")
                ok = False
            elif key == "id" and not value[key].strip():
                self.fail(where, "empty id")
                ok = False
        return ok

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(where, f"expected an array, got {_kind(value)}")
            return []
        return value


def _is(value: Any, expected: type | tuple[type, ...]) -> bool:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool):
        return bool in kinds
    if value is None:
        return type(None) in kinds
    return isinstance(value, kinds)


def _type_name(expected: type | tuple[type, ...]) -> str:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    names.update({list: "an array", dict: "an object", type(None): "null"})
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", str: "a string", int: "an integer", float: "a number"}.get(
        type(value), "an array" if isinstance(value, list) else "an object"
    )


def date_problem(value: str) -> str | None:
    """Why ``value`` is not an ISO date prefix (YYYY, YYYY-MM, YYYY-MM-DD), or None."""
    match = _DATE_RE.match(value)
    if not match:
        return f"'{value}' is not YYYY, YYYY-MM or YYYY-MM-DD"
    month, day = match.group(2), match.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        return f"'{value}' has no month {month}"
    if day is not None and month is not None and not 1 <= int(day) <= days_in_month(int(match.group(1)), int(month)):
        return f"'{value}' has no day {day}"
    return None


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the Gregorian calendar (no ``calendar`` import on the query path)."""
    if month == 2 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 28
    return _DAYS_IN_MONTH[month - 1]


def precision_of(value: str) -> str:
    """'year', 'month' or 'day' by the form of an ISO prefix."""
    return PRECISIONS[value.count("-")]


_REPORT_KEYS = ("title", "country", "period", "series", "publisher", "source_file")


def validate(raw: Any, source: bytes | None = None) -> list[str]:
    """Every problem with a raw corpus document, each naming the record it is in.

    ``source``, the UTF-8 JSON the document was parsed from, lets the control-character
    check skip its walk over every string when the text cannot hold one.
    """
    check = _Checker()
    if not check.obj(
        raw,
        "corpus",
        {
            "schema_version": int,
            "report": dict,
            "sections": list,
            "entities": list,
            "events": list,
            "figures": list,
            "notes": list,
            "left_out": list,
        },
    ):
        return check.problems
    if raw["schema_version"] != SCHEMA_VERSION:
        check.fail("corpus", f"schema_version {raw['schema_version']} is not {SCHEMA_VERSION}")
    check.obj(raw["report"], "report", dict.fromkeys(_REPORT_KEYS, str))

    paragraphs: dict[str, list[str]] = {}
    for i, section in enumerate(check.array(raw["sections"], "sections")):
        where = f"sections[{i}]"
        if not check.obj(section, where, {"id": str, "title": str, "paragraphs": list}):
            continue
        where = f"section '{section['id']}'"
        if section["id"] in paragraphs:
            check.fail(where, "duplicate id")
        texts = section["paragraphs"]
        if not texts:
            check.fail(where, "has no paragraphs")
        for n, text in enumerate(texts, 1):
            if not isinstance(text, str) or not text.strip():
                check.fail(where, f"paragraph {n} should be non-empty text")
        paragraphs[section["id"]] = [t if isinstance(t, str) else "" for t in texts]

    def provenance(record: dict[str, Any], where: str) -> None:
        section_id, number, quote = record["section"], record["paragraph"], record["quote"]
        if section_id not in paragraphs:
            check.fail(where, f"unknown section '{section_id}'")
        elif not 1 <= number <= len(paragraphs[section_id]):
            check.fail(where, f"section '{section_id}' has no paragraph {number}")
        elif not quote.strip():
            check.fail(where, "empty quote")
        elif quote not in paragraphs[section_id][number - 1]:
            check.fail(where, f"quote is not verbatim in {section_id} paragraph {number}")

    entity_ids: set[str] = set()
    for i, entity in enumerate(check.array(raw["entities"], "entities")):
        if not check.obj(entity, f"entities[{i}]", _ENTITY_KEYS):
            continue
        where = f"entity '{entity['id']}'"
        if entity["id"] in entity_ids:
            check.fail(where, "duplicate id")
        entity_ids.add(entity["id"])
        if entity["type"] not in ENTITY_TYPES:
            check.fail(where, f"type '{entity['type']}' is not one of {', '.join(ENTITY_TYPES)}")
        if not all(isinstance(a, str) and a.strip() for a in entity["aliases"]):
            check.fail(where, "aliases should be non-empty strings")
        if not entity["mentions"]:
            check.fail(where, "has no mentions")
        for j, mention in enumerate(entity["mentions"]):
            if check.obj(mention, f"{where} mention {j + 1}", _MENTION_KEYS):
                provenance(mention, f"{where} mention {j + 1}")

    event_ids: set[str] = set()
    for i, event in enumerate(check.array(raw["events"], "events")):
        if not check.obj(event, f"events[{i}]", _EVENT_KEYS):
            continue
        where = f"event '{event['id']}'"
        if event["id"] in event_ids:
            check.fail(where, "duplicate id")
        event_ids.add(event["id"])
        provenance(event, where)
        if event["date_text"] not in event["quote"]:
            check.fail(where, f"date_text '{event['date_text']}' is not in its quote")
        _check_dates(check, where, event)
        for ref in event["entities"]:
            if not isinstance(ref, str) or ref not in entity_ids:
                check.fail(where, f"unknown entity {ref!r}")

    figure_ids: set[str] = set()
    for i, figure in enumerate(check.array(raw["figures"], "figures")):
        if not check.obj(figure, f"figures[{i}]", _FIGURE_KEYS):
            continue
        where = f"figure '{figure['id']}'"
        if figure["id"] in figure_ids:
            check.fail(where, "duplicate id")
        figure_ids.add(figure["id"])
        provenance(figure, where)
        if figure["text"] not in figure["quote"]:
            check.fail(where, f"text '{figure['text']}' is not in its quote")

    for i, note in enumerate(check.array(raw["notes"], "notes")):
        check.obj(note, f"notes[{i}]", _NOTE_KEYS)
    for i, left in enumerate(check.array(raw["left_out"], "left_out")):
        if not check.obj(left, f"left_out[{i}]", _LEFT_OUT_KEYS):
            continue
        where = f"left_out '{left['text']}'"
        if left["kind"] not in LEFT_OUT_KINDS:
            check.fail(where, f"kind '{left['kind']}' is not one of {', '.join(LEFT_OUT_KINDS)}")
        provenance({**left, "quote": left["text"]}, where)
    if source is None or _may_hold_controls(source):
        check.problems.extend(_control_characters(raw))
    return check.problems


# C0 and C1 controls (escape sequences, newlines, tabs): a corpus string holding
# one could move a reader's cursor or recolour the terminal when kz prints it.
# A pattern string: compiled by re on first use, so loading a snapshot never pays for it.
# Control characters, and surrogates: JSON's \ud800 escapes decode to code points no
# UTF-8 file (nor an index file) can hold; a pair decodes to one character, not these.
_CONTROL = r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]"


def _may_hold_controls(source: bytes) -> bool:
    """Whether UTF-8 JSON could hold a control character in a string: escaped (\\n,
    \\u001b; an escaped backslash before "n" is a false alarm that only costs the exact
    walk) or raw (DEL is byte 7F, C1 is C2 80-9F). Three byte scans: ~7 ms for 13 MB,
    where one str pattern took ~80 ms."""
    return bool(
        re.search(rb"\\(?:[bfnrt]|u00[01]|u007[fF]|u00[89]|u[dD][89a-fA-F])", source)
        or b"\x7f" in source
        or re.search(rb"\xc2[\x80-\x9f]", source)
    )


def _control_characters(raw: Any) -> list[str]:
    """Every string of the document (keys too) that holds a control character, by where it is."""
    control = re.compile(_CONTROL)
    problems: list[str] = []
    stack: list[tuple[str, Any]] = [("corpus", raw)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if control.search(value):
                problems.append(f"{where}: contains a control character or lone surrogate ({value[:40]!r})")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and control.search(key):
                    problems.append(f"{where}: key {key[:40]!r} contains a control character or lone surrogate")
                stack.append((f"{where}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return sorted(problems)


def _check_dates(check: _Checker, where: str, event: dict[str, Any]) -> None:
    start, end, precision = event["date"], event["end"], event["precision"]
    if precision not in PRECISIONS:
        check.fail(where, f"precision '{precision}' is not one of {', '.join(PRECISIONS)}")
        return
    for value in (start, end):
        if value is None:
            continue
        problem = date_problem(value)
        if problem:
            check.fail(where, problem)
            return
        if precision_of(value) != precision:
            check.fail(where, f"'{value}' does not have precision '{precision}'")
            return
    if end is not None and end < start:
        check.fail(where, f"end {end} is before date {start}")
    if end is not None and event["ongoing"]:
        check.fail(where, "an ongoing event has no end")


# --- building the typed model ----------------------------------------------


def _mention(raw: dict[str, Any]) -> Mention:
    return Mention(raw["section"], raw["paragraph"], raw["quote"])


def build(raw: dict[str, Any], path: str = "") -> Corpus:
    """Type a document that ``validate`` accepted."""
    return Corpus(
        schema_version=raw["schema_version"],
        report=Report(*(raw["report"][key] for key in _REPORT_KEYS)),
        sections=tuple(Section(s["id"], s["title"], tuple(s["paragraphs"])) for s in raw["sections"]),
        entities=tuple(
            Entity(
                e["id"],
                e["type"],
                e["name"],
                tuple(e["aliases"]),
                e["role"],
                tuple(_mention(m) for m in e["mentions"]),
            )
            for e in raw["entities"]
        ),
        events=tuple(
            Event(
                v["id"],
                v["date"],
                v["end"],
                v["precision"],
                v["ongoing"],
                v["date_text"],
                v["summary"],
                v["section"],
                v["paragraph"],
                v["quote"],
                tuple(v["entities"]),
            )
            for v in raw["events"]
        ),
        figures=tuple(
            Figure(
                f["id"],
                f["value"],
                f["text"],
                f["unit"],
                f["what"],
                f["section"],
                f["paragraph"],
                f["quote"],
            )
            for f in raw["figures"]
        ),
        notes=tuple(Note(n["id"], n["text"]) for n in raw["notes"]),
        left_out=tuple(
            LeftOut(o["kind"], o["text"], o["section"], o["paragraph"], o["reason"]) for o in raw["left_out"]
        ),
        path=path,
    )
