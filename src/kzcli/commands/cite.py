"""``kz cite``: a citation of a place in the report, in the style asked for."""

from __future__ import annotations

import sys

from kzcli.session import Session


def run(session: Session, target: str, style: str) -> str:
    """The citation as printed: JSON escaped as kz's JSON is, other styles with unsafe characters escaped."""
    from kzcli.characters import json_safe, printable
    from kzcli.cite import cite
    from kzcli.formats import writes_utf8

    text = cite(session.corpus(), target, style, not writes_utf8(sys.stdout))
    return json_safe(text) if style == "csl-json" else printable(text, layout=True)
