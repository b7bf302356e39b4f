"""Bookkeeping for a draft corpus while ``kz ingest`` builds it: each paragraph's sentences,
cut once; ids handed out without counting up from scratch; and the size budget.

Each keeps ingest's work near linear in the chapter: a paragraph of 8,000
names or 10,000 dates took minutes when every candidate walked every
sentence, copied its sentence again and counted its id up from 2.
"""

from __future__ import annotations

from bisect import bisect_right

from kzcli.errors import UsageError
from kzcli.text import sentences
from kzcli.validity import MAX_CORPUS_BYTES


class Sentences:
    """A paragraph's sentences, found by bisection and cut once each: every date, name and
    number of a sentence quotes the same string (8,000 names in one 64 KB sentence were
    8,000 copies of it, and each took a walk over every sentence to find)."""

    def __init__(self, paragraph: str) -> None:
        self.paragraph = paragraph
        self.spans = sentences(paragraph)
        self._cut: dict[int, str] = {}

    def span_at(self, position: int) -> tuple[int, int] | None:
        at = bisect_right(self.spans, (position, len(self.paragraph) + 1)) - 1
        return self.spans[at] if at >= 0 and position < self.spans[at][1] else None

    def at(self, position: int) -> str:
        """The sentence holding ``position`` (the whole paragraph if none does)."""
        span = self.span_at(position)
        if span is None:
            return self.paragraph
        if span[0] not in self._cut:
            self._cut[span[0]] = self.paragraph[span[0] : span[1]]
        return self._cut[span[0]]


class Ids:
    """Ids handed out so far: ``base``, then ``base-2``, ``base-3``... Each base remembers its
    next number, so 10,000 events on one day of one paragraph do not each count up from 2."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def unique(self, base: str) -> str:
        n = self._next.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._next[base] = n + 1
        self._used.add(candidate)
        return candidate


class Budget:
    """Characters of the draft's text so far, against what kz loads (``MAX_CORPUS_BYTES``): a chapter
    whose dates, names and numbers would quote more than that is refused while the draft is built,
    before it fills the memory (an 18 KB chapter of "June 6 x" made a 37 MB draft, an 8 MB one
    would have made terabytes)."""

    def __init__(self, source_file: str) -> None:
        self.source_file = source_file
        self.spent = 0

    def spend(self, *texts: str) -> None:
        self.spent += sum(len(text) for text in texts)
        if self.spent > MAX_CORPUS_BYTES:
            raise too_large(self.source_file)


def too_large(source_file: str) -> UsageError:
    return UsageError(
        f"{source_file}: the draft corpus would be larger than the {MAX_CORPUS_BYTES >> 20} MiB kz loads "
        "(every date, name and number quotes its sentence); split the chapter or its longest paragraphs"
    )
