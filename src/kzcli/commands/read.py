"""``kz read``: one section's paragraphs, or one paragraph, numbered."""

from __future__ import annotations

from kzcli.errors import UsageError
from kzcli.formats import Result
from kzcli.session import Session


def run(session: Session, target: str) -> Result:
    from kzcli.records import paragraph_record
    from kzcli.sections import PARAGRAPH_REF_RE, check_paragraph, resolve_section

    corpus = session.corpus()
    ref = PARAGRAPH_REF_RE.match(target.strip())
    if ref is None and ":" in target:
        raise UsageError(f"{target!r}: give SECTION:PARAGRAPH with a paragraph number, e.g. `kz read torture:2`")
    found = resolve_section(corpus, ref.group("section") if ref else target)
    numbers = range(1, len(found.paragraphs) + 1)
    if ref:
        number = int(ref.group("number"))
        check_paragraph(found, number)
        numbers = range(number, number + 1)
    records = [paragraph_record(corpus, found, n) for n in numbers]
    query = {"section": target, "resolved": found.id, "title": found.title}
    notes = [] if target in (found.id, f"{found.id}:{numbers[0]}") else [f"section {found.title} ({found.id})"]
    return Result("read", query, records, len(records), notes)
