"""``kz cite``: a citation of a place in the report, in the style asked for."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kzcli.errors import UsageError
from kzcli.session import Session

if TYPE_CHECKING:
    from datetime import date

    from kzcli.corpus import Corpus


def run(
    session: Session,
    target: str | None,
    style: str,
    accessed: str | None = None,
    bib: str | None = None,
    force: bool = False,
) -> str:
    """The citation as printed (JSON escaped as kz's JSON is, other styles with unsafe characters
    escaped); how a loosely written target was read is said first, on stderr. With ``bib`` the
    chapter's bibliography is written to that file (kz's safe write: never over a file without ``force``)."""
    from kzcli.characters import json_safe, printable
    from kzcli.citation import accessed_between, accessed_date, cite_place
    from kzcli.cite import resolve_target
    from kzcli.formats import writes_utf8
    from kzcli.streams import say

    if bib is not None and bib.strip() == "-":
        raise UsageError("--bib takes a file; for the bibliography on stdout: kz cite --style csl-json | jq .items")
    day = accessed_date(accessed) if accessed is not None else None
    if day is not None and style == "pandoc" and bib is None:
        raise UsageError("--accessed with --style pandoc goes in the bibliography: give --bib FILE too")
    corpus = session.corpus()
    if day is not None:
        accessed_between(corpus, day)
    place = resolve_target(corpus, target)
    if place.note:
        say(place.note)
    if bib is not None:
        say(write_bibliography(corpus, bib, force, day))
    text = cite_place(corpus, place, style, not writes_utf8(sys.stdout), day)
    return json_safe(text) if style == "csl-json" else printable(text, layout=True)


def write_bibliography(corpus: Corpus, path: str, force: bool, day: date | None) -> str:
    """Write the chapter's bibliography to ``path``; the line to say."""
    from kzcli.citation import bibliography, work_of
    from kzcli.files import check_target, staged_file

    target = check_target(path, force)
    work = work_of(corpus, day)
    with staged_file(target) as handle:
        handle.write(bibliography(work, path))
    kind = "BibTeX" if path.lower().endswith(".bib") else "CSL-JSON"
    return f"wrote the bibliography ({kind}, key {work.key}) to {path}"
