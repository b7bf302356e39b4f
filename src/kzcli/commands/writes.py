"""``kz export``, ``kz ingest`` and ``kz index``: the commands that write files.

Each returns the one line it says on stderr when done; the files themselves
are written by ``kzcli.files``'s safe rules.
"""

from __future__ import annotations

import sys

from kzcli.errors import UsageError
from kzcli.session import Session

EXPORT_COUNTS = ("sections", "paragraphs", "entities", "mentions", "events", "figures", "topics")


def export(
    session: Session,
    output: str,
    fmt: str | None,
    force: bool,
    guard_formulas: bool = False,
    metadata: str | None = None,
) -> str | None:
    """Write the whole corpus (and Datasette's metadata beside a database); the line to say
    (None when it went to stdout)."""
    from kzcli.export import export as write_export
    from kzcli.export import format_for

    chosen = format_for(output, fmt)
    if guard_formulas and chosen != "csv":
        raise UsageError("--guard-formulas is for CSV; JSON and SQLite keep the report's text as it is")
    written = write_export(session.corpus(), chosen, output, force, sys.stdout, guard_formulas, metadata)
    sys.stdout.flush()
    if output == "-":
        return None
    counts = ", ".join(f"{written.counts[name]} {name}" for name in EXPORT_COUNTS)
    also = f"; Datasette metadata {metadata}" if metadata is not None else ""
    return f"wrote {chosen} {output}: {counts}{also}"


def ingest(chapter: str, output: str, force: bool, year: int | None = None, report: bool = False) -> list[str]:
    """Draft a corpus from a chapter's text and write it; the lines to say: what was written, then
    (with ``report``) each thing kz was unsure of, most doubtful first."""
    from kzcli.export import write_json_document
    from kzcli.ingest import REMOVED_NOTE, draft, read_chapter

    document, doubts = draft(read_chapter(chapter), source_name(chapter), year)
    write_json_document(document, output, force, sys.stdout)
    sys.stdout.flush()
    paragraphs = sum(len(s["paragraphs"]) for s in document["sections"])
    removed = any(note["id"] == REMOVED_NOTE for note in document["notes"])
    lines = [
        f"wrote {output}: {len(document['sections'])} sections, {paragraphs} paragraphs, "
        f"{len(document['events'])} events, {len(document['entities'])} entities, "
        f"{len(document['figures'])} figures (all unreviewed)"
        + (f"; invisible characters were taken out of the text (note '{REMOVED_NOTE}')" if removed else "")
        + (f"; {len(doubts)} to review first (note 'review-first'{'' if report else ', --report'})" if doubts else "")
    ]
    if report:
        lines.extend(f"review: {doubt}" for doubt in doubts)
    return lines


def source_name(path: str) -> str:
    """The chapter's path as the draft records it (``report.source_file``, the notes).

    A path may hold what no corpus string may (a tab, a byte that is not
    UTF-8, a bidi control): those are written as escapes (``\\t``, ``\\xff``),
    so the draft stays valid and still says which file it came from.
    """
    import unicodedata

    def shown(char: str) -> str:
        if "\udc80" <= char <= "\udcff":  # an undecodable byte of the path, as Python keeps it
            return f"\\x{ord(char) - 0xDC00:02x}"
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return char.encode("unicode_escape").decode("ascii")
        return char

    return "".join(shown(char) for char in path)


def index(path: str, force: bool = False) -> str:
    """Write the index file beside a corpus (``force``: over a regular file that is not a kz index)."""
    from kzcli.store import write

    return f"wrote {write(path, force)}"
