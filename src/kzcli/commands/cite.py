"""``kz cite``: a citation of a place in the report, in the style asked for."""

from __future__ import annotations

import sys

from kzcli.session import Session


def run(session: Session, target: str | None, style: str) -> str:
    """The citation as printed (JSON escaped as kz's JSON is, other styles with unsafe characters
    escaped); how a loosely written target was read is said first, on stderr."""
    from kzcli.characters import json_safe, printable
    from kzcli.cite import cite_place, resolve_target
    from kzcli.formats import writes_utf8
    from kzcli.streams import say

    corpus = session.corpus()
    place = resolve_target(corpus, target)
    if place.note:
        say(place.note)
    text = cite_place(corpus, place, style, not writes_utf8(sys.stdout))
    return json_safe(text) if style == "csl-json" else printable(text, layout=True)
