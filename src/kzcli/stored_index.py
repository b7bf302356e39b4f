"""Reading an index file (``kzcli.store``) as a cache: every lookup, and the search index
read on demand (a mapping per part of ``search.SearchIndex`` whose values are read from
the file on first use).

Each answers from the JSON once the lookups have fallen back on it
(``SqliteLookups.fall_back``, ``or_json``): a row that is not what kz writes
is never used, however far into a command it turns up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from kzcli.rows import STEMS, SURFACES, BadRow, KeyedRow, ParagraphRow, PostingRow, count, text

if TYPE_CHECKING:
    from kzcli.search import Paragraph, SearchIndex
    from kzcli.store import SqliteLookups

_Value = TypeVar("_Value")


_Answer = TypeVar("_Answer")


def or_json(method: Callable[..., _Answer]) -> Callable[..., _Answer]:
    """A lookup answered from the index file, or from the JSON once a row of the file
    has turned out not to be what kz writes (``SqliteLookups.fall_back``)."""
    name = method.__name__

    def answer(self: SqliteLookups, *args: Any) -> _Answer:
        if self.fallback is None:
            try:
                return method(self, *args)
            except (BadRow, sqlite3.Error) as exc:
                self.fall_back(exc)
        found: _Answer = getattr(self.fallback, name)(*args)
        return found

    answer.__name__ = answer.__qualname__ = name
    answer.__doc__ = method.__doc__
    return answer


def event_fields(fields: tuple[Any, ...]) -> tuple[Any, ...]:
    """An Event's fields as marshal gave them, its entities (the eleventh) as a tuple."""
    return (*fields[:10], tuple(fields[10]), *fields[11:])


def positions_of(row: KeyedRow) -> tuple[int, ...]:
    """The entity positions a name key leads to; BadRow if the row holds anything else."""
    return tuple(count(p) for p in row.found)


def stored_index(lookups: SqliteLookups) -> SearchIndex:
    """The search index the lookups' file holds, each part read as it is needed."""
    from kzcli.search import SearchIndex

    return SearchIndex(
        _Paragraphs(lookups),
        _Postings(lookups, STEMS),
        _Postings(lookups, SURFACES),
        _TitleTerms(lookups),
        float(lookups.meta.average_length),
        _TitlePostings(lookups),
        _SectionDocs(lookups),
        lookups.meta.stemmer,
    )


class _Lazy(Mapping[str, _Value]):
    """A read-only mapping whose values are read from the index file on first use.

    ``field`` names the same mapping in the JSON's own search index: what
    answers once the lookups have fallen back on it.
    """

    field = ""

    def __init__(self, lookups: SqliteLookups) -> None:
        self._lookups = lookups
        self._cache: dict[str, _Value | None] = {}

    def _read(self, key: str) -> _Value | None:
        raise NotImplementedError

    def _memory(self, problem: Exception | None = None) -> Mapping[str, _Value] | None:
        index = self._lookups.memory_index(problem)
        found: Mapping[str, _Value] | None = None if index is None else getattr(index, self.field)
        return found

    def __getitem__(self, key: str) -> _Value:
        memory = self._memory()
        if memory is not None:
            return memory[key]
        if key not in self._cache:
            try:
                self._cache[key] = self._read(key)
            except (BadRow, sqlite3.Error) as exc:
                fallen = self._memory(exc)
                assert fallen is not None
                return fallen[key]
        found = self._cache[key]
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def _prefixed(self, sql: str, column: str, prefix: str, *leading: object) -> list[str]:
        """The keys of ``column`` that begin with ``prefix`` (a search's ``tort*``): a range of the key order."""
        from kzcli.search import prefix_range

        memory = self._memory()
        if memory is None:
            bounds = prefix_range(prefix)
            ranged = f"{sql} AND {column} >= ?" + f" AND {column} < ?" * (len(bounds) - 1)
            try:
                return self._lookups.keys(ranged, *leading, *bounds)
            except (BadRow, sqlite3.Error) as exc:
                memory = self._memory(exc)
        assert memory is not None
        return [key for key in memory if key.startswith(prefix)]

    def __iter__(self) -> Iterator[str]:
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError


class _Postings(_Lazy[dict[int, list[int]]]):
    """Stem or surface postings: word -> {paragraph: token positions}."""

    def __init__(self, lookups: SqliteLookups, kind: int) -> None:
        super().__init__(lookups)
        self._kind = kind
        self.field = "stem_postings" if kind == STEMS else "surface_postings"

    def _read(self, key: str) -> dict[int, list[int]] | None:
        row = self._lookups.one(PostingRow, "SELECT row FROM postings WHERE kind = ? AND key = ?", self._kind, key)
        return None if row is None else row.places

    def __iter__(self) -> Iterator[str]:
        # The whole vocabulary: only typo correction walks it, once per run however many typos.
        memory = self._memory()
        if memory is None:
            try:
                return iter(self._lookups.vocabulary(self._kind))
            except (BadRow, sqlite3.Error) as exc:
                memory = self._memory(exc)
        assert memory is not None
        return iter(memory)

    def with_prefix(self, prefix: str) -> list[str]:
        return self._prefixed("SELECT key FROM postings WHERE kind = ?", "key", prefix, self._kind)


class _TitleTerms(_Lazy[set[str]]):
    """Section id -> the words of its title."""

    field = "title_terms"

    def _read(self, key: str) -> set[str] | None:
        row = self._lookups.section_row(key)
        return None if row is None else set(row.title_terms)


class _TitlePostings(_Lazy[tuple[str, ...]]):
    """A stem or word -> the sections whose title holds it."""

    field = "title_postings"

    def _read(self, key: str) -> tuple[str, ...] | None:
        row = self._lookups.one(KeyedRow, "SELECT row FROM title_postings WHERE term = ?", key)
        return None if row is None else tuple(text(section) for section in row.found)

    def with_prefix(self, prefix: str) -> list[str]:
        return self._prefixed("SELECT term FROM title_postings WHERE 1", "term", prefix)


class _SectionDocs(_Lazy[tuple[int, ...]]):
    """Section id -> its paragraphs' numbers in the index."""

    field = "section_docs"

    def _read(self, key: str) -> tuple[int, ...] | None:
        row = self._lookups.section_row(key)
        return None if row is None else tuple(row.docs)


class _Paragraphs(Sequence["Paragraph"]):
    """Paragraph number (in corpus order) -> search's Paragraph, read on first use; its text from its section."""

    def __init__(self, lookups: SqliteLookups) -> None:
        self._lookups = lookups
        self._cache: dict[int, Paragraph] = {}

    def __len__(self) -> int:
        memory = self._lookups.memory_index()
        return int(self._lookups.meta.paragraph_count) if memory is None else len(memory.paragraphs)

    @overload
    def __getitem__(self, doc: int) -> Paragraph: ...
    @overload
    def __getitem__(self, doc: slice) -> Sequence[Paragraph]: ...
    def __getitem__(self, doc: int | slice) -> Paragraph | Sequence[Paragraph]:
        if isinstance(doc, slice):
            return [self[i] for i in range(len(self))[doc]]
        memory = self._lookups.memory_index()
        if memory is not None:
            return memory.paragraphs[doc]
        if doc not in self._cache:
            try:
                self._cache[doc] = self._read(doc)
            except (BadRow, sqlite3.Error) as exc:
                fallen = self._lookups.memory_index(exc)
                assert fallen is not None
                return fallen.paragraphs[doc]
        return self._cache[doc]

    def _read(self, doc: int) -> Paragraph:
        from kzcli.search import Paragraph

        if not 0 <= doc < len(self):
            raise IndexError(doc)
        row = self._lookups.one(ParagraphRow, "SELECT row FROM paragraphs WHERE doc = ?", doc)
        section = None if row is None else self._lookups.section_row(row.section)
        if row is None or section is None or row.number > len(section.paragraphs):
            raise BadRow(f"paragraph {doc} of the search index is not in the file")
        text = section.paragraphs[row.number - 1]
        return Paragraph(row.section, section.title, row.number, text, row.length)
