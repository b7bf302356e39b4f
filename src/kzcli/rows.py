"""The rows of an index file (``kzcli.store``): their shapes, how they are packed, and the
checks every row passes before kz uses it.

A row is a tuple marshalled into a BLOB. The file's CRC-32 catches accidents,
not a forger (``kzcli.validity``), so each row is held, when it is read, to
what kz writes: the types and arity of its fields, ids and numbers in range,
dates that are dates, and every string kept to the same character rules as
a corpus (``kzcli.characters``: no control, bidi or zero-width character).
A row that fails is ``BadRow``: the index file is passed over and kz answers
from the JSON. ``marshal`` is not hardened against crafted input either: the
file is opened at all only when the user running kz or the corpus's owner
owns it (``validity.open_copy``).
"""

from __future__ import annotations

import marshal
import math
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from kzcli.characters import first_unsafe
from kzcli.corpus import ENTITY_TYPES, PRECISIONS, date_problem, precision_of

# The two kinds of postings rows: by stem and by surface word.
STEMS, SURFACES = 0, 1


class BadRow(Exception):
    """A row of an index file that is not what kz writes: damage or forgery, never used."""


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


def pack(row: tuple[Any, ...]) -> bytes:
    return marshal.dumps(tuple(row))


# --- what each field may hold ----------------------------------------------------------

Check = Callable[[Any], bool]


def _text(value: Any) -> bool:
    """A string kz could print: no control, bidi or zero-width character, no lone surrogate."""
    return type(value) is str and first_unsafe(value) is None


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _number(value: Any) -> bool:
    """A 1-based paragraph number."""
    return type(value) is int and value >= 1


def _day(value: Any) -> bool:
    return _text(value) and date_problem(value) is None


def _length(value: Any) -> bool:
    """Search's average paragraph length: BM25 divides by it."""
    return type(value) in (int, float) and 0 < value < math.inf


def _sequence(item: Check) -> Check:
    return lambda value: type(value) in (tuple, list) and all(item(v) for v in value)


def _fields(*items: Check) -> Check:
    def fits(value: Any) -> bool:
        return (
            type(value) in (tuple, list)
            and len(value) == len(items)
            and all(c(v) for c, v in zip(items, value, strict=True))
        )

    return fits


def _mapping(key: Check, item: Check) -> Check:
    return lambda value: type(value) is dict and all(key(k) and item(v) for k, v in value.items())


def _either(*checks: Check) -> Check:
    return lambda value: any(check(value) for check in checks)


def _one_of(values: tuple[str, ...]) -> Check:
    return lambda value: type(value) is str and value in values


def _event(value: Any) -> bool:
    """An Event's fields, with dates as validation requires: valid, of its precision, in order."""
    shape = _fields(
        _text, _day, _either(_day, lambda v: v is None), _one_of(PRECISIONS), lambda v: type(v) is bool,
        _text, _text, _text, _number, _text, _sequence(_text),
    )  # fmt: skip
    if not shape(value):
        return False
    date, end, precision = value[1], value[2], value[3]
    same = precision_of(date) == precision and (end is None or precision_of(end) == precision)
    return same and (end is None or end >= date)


_CHECKS: dict[type[tuple[Any, ...]], Check] = {
    MetaRow: _fields(
        lambda v: type(v) is tuple, lambda v: type(v) is int, _fields(*[_text] * 6), _day,
        _sequence(_fields(_text, _text)), _count, _length, _text,
    ),
    SectionRow: _fields(_text, _text, _sequence(_text), _sequence(_text), _sequence(_count)),
    ParagraphRow: _fields(_count, _text, _number, _count),
    PostingRow: _fields(_count, _text, _mapping(_count, _sequence(_count))),
    EntityRow: _fields(
        _count, _text, _one_of(ENTITY_TYPES), _text, _sequence(_text), _text,
        _sequence(_fields(_text, _number, _text)),
    ),
    EventRow: _fields(_count, _day, _day, _event),
    KeyedRow: _fields(_text, _sequence(_either(_count, _text))),
    MentionsRow: _fields(_text, _number, _sequence(_count)),
}  # fmt: skip
_TABLES = {
    MetaRow: "meta",
    SectionRow: "sections",
    ParagraphRow: "paragraphs",
    PostingRow: "postings",
    EntityRow: "entities",
    EventRow: "events",
    KeyedRow: "lookup",
    MentionsRow: "mentions",
}

_Row = TypeVar("_Row", bound=tuple[Any, ...])


def unpack(kind: type[_Row], packed: Any) -> _Row:
    """The row of ``kind`` that ``packed`` holds; BadRow when it is not one kz wrote.

    Never EOFError (which click reports as "interrupted") nor any other
    exception of a damaged BLOB: damage is reported as damage.
    """
    table = _TABLES[kind]
    if type(packed) is not bytes:
        raise BadRow(f"a row of its {table} table is not a BLOB")
    try:
        value = marshal.loads(packed)
    except (EOFError, ValueError, TypeError, MemoryError):
        raise BadRow(f"a row of its {table} table cannot be decoded") from None
    if not _CHECKS[kind](value):
        raise BadRow(f"a row of its {table} table is not as kz writes it")
    return kind(*value)


def text(value: Any) -> str:
    """A string read from an index file's own columns, held to the same rules; BadRow otherwise."""
    if not _text(value):
        raise BadRow("a key is not text kz writes")
    return str(value)


def count(value: Any) -> int:
    """A position read from an index file's own columns; BadRow otherwise."""
    if not _count(value):
        raise BadRow("a position is not a number kz writes")
    return int(value)
