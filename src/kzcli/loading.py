"""Opening a corpus: from its index file, from the wheel's snapshot, or from the JSON itself.

The one place that knows every backend. A corpus with an up-to-date index
file beside it (``kz index``) is read through that file; the wheel's own
corpus through the snapshot made when the wheel was built; anything else is
parsed, validated and held in memory. Each answers alike
(tests/test_backends.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from kzcli import validity
from kzcli.corpus import Corpus
from kzcli.memory import MemoryLookups
from kzcli.paths import packaged_path, resolve_path
from kzcli.validity import SNAPSHOT_NAME, STORE_SUFFIX


def load(
    explicit: str | None = None, warn: Callable[[str], None] | None = None, snapshot: bool | None = None
) -> Corpus:
    """Load the corpus (``--data`` / ``KZ_DATA`` / bundled); CorpusError on its first problem.

    ``warn`` hears why an index file that exists is passed over. ``snapshot``
    says whether a snapshot beside the corpus may be used: by default only
    for the wheel's own corpus (tests ask for it elsewhere).
    """
    path = resolve_path(explicit)
    # Whatever is there (a link, a FIFO, someone else's file) is looked at, and passed over with a word.
    if os.path.lexists(path + STORE_SUFFIX):
        from kzcli import store

        backed = store.open_corpus(path, warn)
        if backed is not None:
            return backed
    if snapshot if snapshot is not None else path == packaged_path():
        found = read_snapshot(path)
        if found is not None:
            return found
    # Only a corpus read as JSON needs the parser and the validator (json, kzcli.validation:
    # ~1.8 ms of imports that a query from the wheel's snapshot or an index file does without).
    from kzcli.document import build, read_valid

    raw, _ = read_valid(path)
    return build(raw, path)


def snapshot_path(corpus_path: str) -> str:
    return os.path.join(os.path.dirname(corpus_path), SNAPSHOT_NAME)


def make_snapshot(corpus_path: str) -> bytes:
    """The snapshot of the corpus file at ``corpus_path``; CorpusError if it is invalid."""
    from kzcli.document import build, read_valid

    raw, source = read_valid(corpus_path)
    corpus = build(raw, corpus_path)
    lookups = corpus.lookups
    assert isinstance(lookups, MemoryLookups)
    return lookups.to_snapshot(corpus.schema_version, validity.header_of(source))


def read_snapshot(corpus_path: str) -> Corpus | None:
    """The corpus from the snapshot beside ``corpus_path``, or None if there is none that matches it."""
    try:
        with open(snapshot_path(corpus_path), "rb") as handle:
            payload = handle.read()
    except OSError:
        return None  # no snapshot: the corpus need not be checksummed at all
    expected = validity.corpus_header(corpus_path)
    if expected is None:
        return None
    found = MemoryLookups.from_snapshot(payload, expected)
    if found is None:
        return None
    schema_version, lookups = found
    return Corpus(schema_version, lookups.report, lookups, lookups.records, path=corpus_path)
