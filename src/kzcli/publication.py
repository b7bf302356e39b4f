"""Where a chapter is published: facts its text does not state, so not in the corpus.

kz knows them for the chapter it ships (keyed by what its corpus says it is);
a corpus of another chapter is cited and exported without an address or a
place of publication. Citations and the Datasette metadata both read them here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kzcli.corpus import Report

_PUBLISHED = {
    ("Human Rights Watch", "World Report 2021", "Kazakhstan"): (
        "https://www.hrw.org/world-report/2021/country-chapters/kazakhstan",
        "New York",
    ),
}


def where_published(report: Report) -> tuple[str | None, str | None]:
    """The chapter's web address and place of publication, each None when kz does not know it."""
    return _PUBLISHED.get((report.publisher, report.series, report.country), (None, None))
