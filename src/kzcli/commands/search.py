"""``kz search``: ranked passages for a query, with what was corrected and who was named."""

from __future__ import annotations

from typing import Any

from kzcli.commands.filters import sections_filter
from kzcli.formats import Result
from kzcli.session import Session


def run(session: Session, words: list[str], sections: list[str] | None, limit: int, exact: bool) -> Result:
    from kzcli.entities import speller
    from kzcli.names import mentioned_in_query
    from kzcli.records import hit_record
    from kzcli.search import search

    text = " ".join(words)
    corpus = session.corpus()
    wanted = sections_filter(corpus, sections)
    result = search(corpus.search_index(), text, exact, wanted, limit or None, speller(corpus))
    messages = [f"showing results for {searched!r} (you typed {typed!r})" for typed, searched in result.corrections]
    if result.hits:
        messages += [f"no passage contains {missing!r}" for missing in result.unmatched]
        messages += [f"{word!r} is only in section titles: their passages match" for word in result.title_only]
    # Named as typed, or as searched after a correction ("Kazatomprum" searched as "Kazatomprom").
    named = mentioned_in_query(corpus, text)
    searched = " ".join(part.text for part in result.parts)
    named += [e for e in mentioned_in_query(corpus, searched) if e not in named] if searched != text else []
    messages += [_profile_hint(e) for e in named]
    hidden = result.total - len(result.hits)
    if hidden:
        messages.append(f"{hidden} more {'passage' if hidden == 1 else 'passages'}; use --limit 0 to see all")
    if not result.hits:
        where = f" in {', '.join(corpus.section(s).title for s in sorted(wanted))}" if wanted else ""
        messages.insert(0, f"no passage{where} matches {text!r}")
    query: dict[str, Any] = {
        "text": text,
        "understood": [
            {"text": p.text, "phrase": p.is_phrase, "corrected_from": " ".join(p.corrected_from) or None}
            for p in result.parts
        ],
        "exact": exact,
        "sections": sorted(wanted) if wanted else None,
        "limit": limit,
    }
    records = [hit_record(i, hit) for i, hit in enumerate(result.hits, 1)]
    extra = {"entities": [{"id": e.id, "type": e.type, "name": e.name} for e in named]}
    return Result("search", query, records, result.total, messages, extra)


def _profile_hint(entity: Any) -> str:
    """Where to read more about an entity the query names."""
    from kzcli.entities import surname
    from kzcli.names import shell_word

    command = "person" if entity.type == "person" else "entity"
    handle = entity.name if entity.type != "person" else surname(entity)
    return f"{entity.name} is a named {entity.type}: see `kz {command} {shell_word(handle)}`"
