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
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any, TypeVar

from kzcli.characters import first_unsafe
from kzcli.corpus import ENTITY_TYPES, PRECISIONS, TOPIC_VOCABULARIES, date_problem
from kzcli.named import NamedTuple

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


class TopicRow(NamedTuple):
    position: int
    id: str
    label: str
    vocabulary: str
    scope: str
    terms: tuple[str, ...]
    paragraphs: tuple[tuple[str, int], ...]
    events: tuple[str, ...]


def pack(row: tuple[Any, ...]) -> bytes:
    return marshal.dumps(tuple(row))


# --- what each field may hold ----------------------------------------------------------
# Each check walks one row's shape (types, arity, ranges) and gathers the sequences its
# strings are in; joining them then checks in C that each is a string, and the joined text
# is held to the character policy in one pass. Written out per kind rather than composed:
# a month's events at 100 times the report are 1,100 rows, each checked as it is read.

Texts = list[Sequence[Any]]
Check = Callable[[Any, Texts], bool]
_SEQUENCES = (tuple, list)


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


def _number(value: Any) -> bool:
    """A 1-based paragraph number."""
    return type(value) is int and value >= 1


def _strings(values: Any, texts: Texts) -> bool:
    """A sequence, gathered into ``texts``: ``unpack`` joins them, which fails on anything but strings."""
    if type(values) not in _SEQUENCES:
        return False
    texts.append(values)
    return True


def _counts(values: Any) -> bool:
    return type(values) in _SEQUENCES and all(type(v) is int and v >= 0 for v in values)


def _shaped(value: Any, size: int) -> bool:
    return type(value) in _SEQUENCES and len(value) == size


def _meta(v: Any, texts: Texts) -> bool:
    if not _shaped(v, 8) or type(v[0]) is not tuple or type(v[1]) is not int or not _shaped(v[2], 6):
        return False
    spellings = v[4]
    if type(spellings) not in _SEQUENCES or not all(_shaped(pair, 2) and _strings(pair, texts) for pair in spellings):
        return False
    length = v[6]
    averaged = type(length) in (int, float) and 0 < length < math.inf  # BM25 divides by it
    return _strings(v[2], texts) and _strings((v[3], v[7]), texts) and _day(v[3]) and _count(v[5]) and averaged


def _section(v: Any, texts: Texts) -> bool:
    return (
        _shaped(v, 5) and _strings(v[:2], texts) and _strings(v[2], texts) and _strings(v[3], texts) and _counts(v[4])
    )


def _paragraph(v: Any, texts: Texts) -> bool:
    return _shaped(v, 4) and _count(v[0]) and _strings(v[1:2], texts) and _number(v[2]) and _count(v[3])


def _posting(v: Any, texts: Texts) -> bool:
    if not _shaped(v, 3) or not _count(v[0]) or not _strings(v[1:2], texts) or type(v[2]) is not dict:
        return False
    return all(_count(doc) and _counts(places) for doc, places in v[2].items())


def _entity(v: Any, texts: Texts) -> bool:
    if type(v) not in _SEQUENCES or len(v) != 7:
        return False
    position, _id, kind, name, aliases, role, mentions = v
    if type(position) is not int or position < 0 or type(kind) is not str or kind not in ENTITY_TYPES:
        return False
    if type(aliases) not in _SEQUENCES or type(mentions) not in _SEQUENCES:
        return False
    texts += ((_id, name, role), aliases)
    for mention in mentions:
        if type(mention) not in _SEQUENCES or len(mention) != 3 or type(mention[1]) is not int or mention[1] < 1:
            return False
        texts.append(mention[::2])
    return True


def _day(value: Any) -> bool:
    """A valid ISO date prefix. Remembered: a corpus names few dates, over and over."""
    if type(value) is not str:
        return False
    known = _DATES.get(value)
    if known is None:
        known = _DATES[value] = date_problem(value) is None
    return known


_DATES: dict[str, bool] = {}


def _event(v: Any, texts: Texts) -> bool:
    """An event row: its interval, then the Event's fields, dates as validation requires them.
    Written out in full: the hottest check (a month's events at 100 times the report)."""
    if type(v) not in _SEQUENCES or len(v) != 4 or type(v[0]) is not int or v[0] < 0:
        return False
    fields = v[3]
    if type(fields) not in _SEQUENCES or len(fields) != 13:
        return False
    _id, date, end, precision, ongoing, date_text, summary, section, paragraph, quote, named, inferred, note = fields
    if type(ongoing) is not bool or type(paragraph) is not int or paragraph < 1 or type(named) not in _SEQUENCES:
        return False
    if (inferred is not None and inferred not in PRECISIONS) or (note is not None and type(note) is not str):
        return False
    if precision not in PRECISIONS or not _day(date) or (end is not None and not (_day(end) and end >= date)):
        return False
    if date.count("-") != PRECISIONS.index(precision) or (end is not None and end.count("-") != date.count("-")):
        return False
    texts += ((v[1], v[2], _id, date, precision, date_text, summary, section, quote, note or ""), named)
    return True


def _keyed(v: Any, texts: Texts) -> bool:
    if not _shaped(v, 2) or not _strings(v[:1], texts) or type(v[1]) not in _SEQUENCES:
        return False
    found = [f for f in v[1] if type(f) is not int or f < 0]
    return _strings(found, texts)  # positions, or keys and ids


def _mentions(v: Any, texts: Texts) -> bool:
    return _shaped(v, 3) and _strings(v[:1], texts) and _number(v[1]) and _counts(v[2])


def _topic(v: Any, texts: Texts) -> bool:
    if not _shaped(v, 8) or not _count(v[0]) or not _strings(v[1:5], texts) or v[3] not in TOPIC_VOCABULARIES:
        return False
    places = v[6]
    if type(places) not in _SEQUENCES or not all(_shaped(p, 2) and _number(p[1]) for p in places):
        return False
    return _strings(v[5], texts) and _strings([p[0] for p in places], texts) and _strings(v[7], texts)


_CHECKS: dict[type[tuple[Any, ...]], Check] = {
    MetaRow: _meta,
    SectionRow: _section,
    ParagraphRow: _paragraph,
    PostingRow: _posting,
    EntityRow: _entity,
    EventRow: _event,
    KeyedRow: _keyed,
    MentionsRow: _mentions,
    TopicRow: _topic,
}
_TABLES = {
    MetaRow: "meta",
    SectionRow: "sections",
    ParagraphRow: "paragraphs",
    PostingRow: "postings",
    EntityRow: "entities",
    EventRow: "events",
    KeyedRow: "lookup",
    MentionsRow: "mentions",
    TopicRow: "topics",
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
    texts: Texts = []
    try:
        # Strings joined form no unsafe character: each is one code point (surrogates stay apart in str).
        fits = _CHECKS[kind](value, texts) and first_unsafe("".join(chain.from_iterable(texts))) is None
    except TypeError:  # something other than a string where one belongs
        fits = False
    if not fits:
        raise BadRow(f"a row of its {table} table is not as kz writes it")
    return kind(*value)


def text(value: Any) -> str:
    """A string read from an index file's own columns, held to the same rules; BadRow otherwise."""
    if type(value) is not str or first_unsafe(value) is not None:
        raise BadRow("a key is not text kz writes")
    return str(value)


def count(value: Any) -> int:
    """A position read from an index file's own columns; BadRow otherwise."""
    if not _count(value):
        raise BadRow("a position is not a number kz writes")
    return int(value)
