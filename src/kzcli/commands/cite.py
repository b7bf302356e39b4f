"""``kz cite``: a citation of a place in the report, in the style asked for."""

from __future__ import annotations

import sys

from kzcli.session import Session


def run(session: Session, target: str, style: str) -> str:
    from kzcli.cite import cite
    from kzcli.formats import writes_utf8

    return cite(session.corpus(), target, style, not writes_utf8(sys.stdout))
