"""A validated, pre-indexed copy of the bundled corpus, made when the wheel is built.

Parsing, validating and indexing ``report.json`` is most of what kz itself
adds to a run (about 5 ms of a 65 ms ``kz search torture``). For the corpus
that ships inside the wheel that work gives the same answer every time, so
the wheel build (``hatch_build.py``) does it once and stores the result beside
the corpus as ``report.snapshot``: the parsed document, the search index and
the table of name keys, in ``marshal`` format (built in, nothing to import).

The snapshot is used only when it matches the corpus next to it:
its header holds the corpus's size and CRC-32 and the kz version that made it
(and its index, the stemmer's version).
Anything else (no snapshot, another corpus, another kz, a Python whose marshal
cannot read it) falls back to the ordinary parse-validate-index path, which
is also the only path for ``--data`` / ``KZ_DATA`` corpora and checkouts.
Nothing is ever written at run time.
"""

from __future__ import annotations

import json
import marshal
import os
import zlib
from typing import Any

from kzcli import __version__

SNAPSHOT_FORMAT = 2
SNAPSHOT_NAME = "report.snapshot"


def snapshot_path(report_path: str) -> str:
    return os.path.join(os.path.dirname(report_path), SNAPSHOT_NAME)


def make(report_bytes: bytes) -> bytes:
    """The snapshot of a corpus file's bytes; ValueError if the corpus is invalid."""
    from kzcli.corpus import build, validate
    from kzcli.search import build_index

    raw = json.loads(report_bytes.decode("utf-8"))
    problems = validate(raw)
    if problems:
        raise ValueError(f"corpus is invalid: {problems[0]}")
    corpus = build(raw)
    index = build_index(corpus)
    return marshal.dumps((_header(report_bytes), raw, index_to_builtins(index), name_positions(corpus)))


def name_positions(corpus: Any) -> dict[str, list[int]]:
    """The corpus's name table (``Corpus.entities_named``) as entity positions: what marshal stores."""
    positions = {entity.id: i for i, entity in enumerate(corpus.entities)}
    return {key: [positions[e.id] for e in corpus.entities_named(key)] for key in corpus.name_table()}


def read(report_path: str) -> tuple[Any, Any, dict[str, list[int]]] | None:
    """(document, index data, name table) from the snapshot beside ``report_path``, or None if it does not apply."""
    try:
        with open(snapshot_path(report_path), "rb") as handle:
            payload = handle.read()
        with open(report_path, "rb") as handle:
            report_bytes = handle.read()
        header, raw, index_data, names = marshal.loads(payload)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if tuple(header) != _header(report_bytes):
        return None
    return raw, index_data, names


def _header(report_bytes: bytes) -> tuple[int, str, int, int]:
    """What must match for a snapshot to stand in for this corpus: its bytes and kz's version.

    The stemmer's version is checked where the index is used (``search.build_index``),
    so that commands that never stem never import the stemmer.
    """
    return (SNAPSHOT_FORMAT, __version__, len(report_bytes), zlib.crc32(report_bytes))


def index_to_builtins(index: Any) -> tuple[Any, ...]:
    """An Index as plain tuples, dicts and lists (what marshal stores)."""
    from kzcli.text import stemmer_version

    return (
        stemmer_version(),
        [tuple(p) for p in index.paragraphs],
        index.stem_postings,
        index.surface_postings,
        index.title_terms,
        index.average_length,
    )
