"""``kz export``, ``kz ingest`` and ``kz index``: the commands that write files.

Each returns the one line it says on stderr when done; the files themselves
are written by ``kzcli.files``'s safe rules.
"""

from __future__ import annotations

import sys

from kzcli.session import Session

EXPORT_COUNTS = ("sections", "paragraphs", "entities", "mentions", "events", "figures")


def export(session: Session, output: str, fmt: str | None, force: bool) -> str | None:
    """Write the whole corpus; the line to say (None when it went to stdout)."""
    from kzcli.export import export as write_export
    from kzcli.export import format_for

    chosen = format_for(output, fmt)
    written = write_export(session.corpus(), chosen, output, force, sys.stdout)
    sys.stdout.flush()
    if output == "-":
        return None
    counts = ", ".join(f"{written.counts[name]} {name}" for name in EXPORT_COUNTS)
    return f"wrote {chosen} {output}: {counts}"


def ingest(chapter: str, output: str, force: bool) -> str:
    """Draft a corpus from a chapter's text and write it."""
    from kzcli.export import write_json_document
    from kzcli.ingest import REMOVED_NOTE, read_chapter
    from kzcli.ingest import ingest as draft_corpus

    document = draft_corpus(read_chapter(chapter), chapter)
    write_json_document(document, output, force, sys.stdout)
    sys.stdout.flush()
    paragraphs = sum(len(s["paragraphs"]) for s in document["sections"])
    removed = any(note["id"] == REMOVED_NOTE for note in document["notes"])
    return (
        f"wrote {output}: {len(document['sections'])} sections, {paragraphs} paragraphs, "
        f"{len(document['events'])} events, {len(document['entities'])} entities, "
        f"{len(document['figures'])} figures (all unreviewed)"
        + (f"; invisible characters were taken out of the text (note '{REMOVED_NOTE}')" if removed else "")
    )


def index(path: str) -> str:
    """Write the index file beside a corpus."""
    from kzcli.store import write

    return f"wrote {write(path)}"
