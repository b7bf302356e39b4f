"""``kz search``: ranked passages for a query, with what was corrected and who was named."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzcli.commands.filters import sections_filter, topic_filter
from kzcli.formats import Result
from kzcli.session import Session

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kzcli.corpus import Corpus
    from kzcli.search import SearchResult
    from kzcli.topics import TopicTerms
    from kzcli.understanding import NamedEntity, NameLookup, QueryPart


def run(
    session: Session,
    words: list[str],
    sections: list[str] | None,
    limit: int,
    exact: bool,
    count: bool = False,
    full: bool = False,
    topic: str | None = None,
) -> Result:
    """Ranked passages; ``count``: only how many (no passage worked out); ``full``: each passage's
    whole paragraph in place of its best sentence, its matches marked as in the snippet; ``topic``: only
    the passages the corpus tags with it."""
    from kzcli.entities import speller
    from kzcli.names import mentioned_in_query
    from kzcli.records import hit_record
    from kzcli.search import search

    typed = " ".join(words)
    # --exact reads the query as typed: Cyrillic is not transliterated either.
    text, read = (typed, None) if exact else read_query(typed)
    corpus = session.corpus()
    wanted = sections_filter(corpus, sections)
    within = topic_filter(corpus, topic)
    names = name_lookup(corpus)
    terms = topic_terms(corpus)
    places = set(within.paragraphs) if within is not None else None
    shown = 0 if count else limit or None
    result = search(corpus.search_index(), text, exact, wanted, shown, speller(corpus), names, terms, places)
    bridges = bridged(result.parts, terms, found=bool(result.total))
    messages = ([read] if read else []) + said_about(corpus, result, [line for _, line in bridges])
    messages += [_option_as_word(word) for word in words if word.startswith("--") and word.strip("-")]
    # Named as typed, or as searched after a correction ("Kazatomprum" searched as "Kazatomprom").
    named = mentioned_in_query(corpus, text)
    searched = " ".join(part.text for part in result.parts)
    named += [e for e in mentioned_in_query(corpus, searched) if e not in named] if searched != text else []
    messages += [_profile_hint(e) for e in named] if not count else []
    hidden = result.total - len(result.hits)
    if hidden and not count:
        messages.append(f"{hidden} more {'passage' if hidden == 1 else 'passages'}; use --limit 0 to see all")
    if not result.total:
        where = f" in {', '.join(corpus.section(s).title for s in sorted(wanted))}" if wanted else ""
        where += f" on {within.label}" if within is not None else ""
        messages.insert(0, f"no passage{where} matches {typed!r}")
    # Said once, however often the query repeats what it is said about.
    messages = list(dict.fromkeys(messages))
    query: dict[str, Any] = {
        "text": typed,
        # Cyrillic typed: the query in Latin letters, as searched (kzcli.transliteration); else null.
        "read_as": text if read else None,
        "expression": result.expression,
        "understood": [understood(part) for part in result.parts],
        # Bare tokens that hold no word ("-", "&"), left out of the query (and said on stderr).
        "left_out": result.left_out,
        "exact": exact,
        "sections": sorted(wanted) if wanted else None,
        "topic": within.id if within is not None else None,
        "bridged": [bridge for bridge, _ in bridges],
        "limit": limit,
        "count": count,
        "full": full,
    }
    records = [hit_record(i, hit, full) for i, hit in enumerate(result.hits, 1)]
    extra: dict[str, Any] = {"entities": [{"id": e.id, "type": e.type, "name": e.name} for e in named]}
    if count:
        extra["count"] = result.total
    return Result("search", query, records, result.total, messages, extra, 0 if result.total else 1)


def read_query(typed: str) -> tuple[str, str | None]:
    """The query as searched, and what kz says of it: Cyrillic is read in Latin letters
    ("read 'Тулесова' as 'Tulesova'"); the transliteration is imported for such input only."""
    if typed.isascii():
        return typed, None
    from kzcli.transliteration import reading, to_latin

    return to_latin(typed) or typed, reading(typed)


def said_about(corpus: Corpus, result: SearchResult, bridges: Sequence[str] = (), what: str = "passage") -> list[str]:
    """What kz says of how it read a query: the marks it left out, its corrections, the words
    searched as topics (``bridges``), the words no passage holds, the words only in titles and
    the other names a name brings in (``kz search``; ``timeline --search``, whose ``what`` is "event")."""
    messages = [_left_out(token) for token in result.left_out]
    # "showing results" where there are some; where none, what was searched all the same.
    shown = "showing results for" if result.total else "searched for"
    messages += [f"{shown} {searched!r} (you typed {typed!r})" for typed, searched in result.corrections]
    messages += bridges
    if result.total or len(result.parts) > 1:
        messages += [f"no passage contains {missing!r}" for missing in result.unmatched]
    messages += [f"{word!r} is only in section titles: their passages match" for word in result.title_only]
    names_typed = {(p.text, p.entities, p.excluded): p for p in result.parts if p.entities}
    messages += [line for part in names_typed.values() for line in _other_names(corpus, part, what, result.unnamed)]
    return messages


def _option_as_word(word: str) -> str:
    """What kz says of a word like an option in the query: one only ``--`` lets through, where
    it is a query word ("--limit" excludes "limit"), not the option it looks like."""
    return f"{word!r} came after '--', so it is part of the query, not an option: put options before '--'"


def _left_out(token: str) -> str:
    """What kz says of a bare token of the query that holds no word: it is left out."""
    if not token.strip("-"):
        return f"{token!r} stands apart from any word, so it excludes nothing: left out (to leave out a word: -prison)"
    return f"{token!r} holds no word: left out"


def name_lookup(corpus: Corpus) -> NameLookup:
    """Where search finds the entities a query names: the corpus's own name lookups (in memory
    or from an index file alike) and ``names.name_keys``, the forms a name is known by."""
    from kzcli.names import name_keys
    from kzcli.understanding import NameLookup

    # Each key looked up once, however often a query repeats it.
    known: dict[str, tuple[NamedEntity, ...]] = {}
    holding: dict[str, tuple[str, ...]] = {}

    def named(key: str) -> tuple[NamedEntity, ...]:
        if key not in known:
            known[key] = tuple(
                (entity.id, tuple(name_keys(entity)), tuple((m.section, m.paragraph) for m in entity.mentions))
                for entity in corpus.entities_named(key)
            )
        return known[key]

    def keys_with_word(word: str) -> tuple[str, ...]:
        if word not in holding:
            holding[word] = tuple(corpus.name_keys_with_word(word))
        return holding[word]

    return NameLookup(keys_with_word, named)


def understood(part: QueryPart) -> dict[str, Any]:
    """A part of the query as the JSON query block shows it."""
    return {
        "text": part.text,
        "kind": part.kind,
        "phrase": part.is_phrase,
        "excluded": part.excluded,
        "optional": part.optional,
        "entities": list(part.entities),
        "corrected_from": " ".join(part.corrected_from) or None,
        "topics": list(part.topics),
    }


def topic_terms(corpus: Corpus) -> Callable[[], TopicTerms]:
    """The topic terms, worked out (and ``kzcli.topics`` imported) on first use only: most
    searches use none, and pay nothing for them."""
    made: list[TopicTerms] = []

    def terms() -> TopicTerms:
        if not made:
            from kzcli.topics import TopicTerms

            made.append(TopicTerms(lambda: corpus.topics))
        return made[0]

    return terms


def bridged(
    parts: list[QueryPart], terms: Callable[[], TopicTerms], what: str = "passage", found: bool = True
) -> list[tuple[dict[str, Any], str]]:
    """Each word the report never uses that was searched as a topic: for the JSON, and the line
    saying so (of passages, or ``what`` else was searched: "event"). When nothing was ``found``
    the line says what the word was read as, not that its passages are shown: none are."""
    said: dict[tuple[str, tuple[str, ...]], tuple[dict[str, Any], str]] = {}
    for part in parts:
        if part.topics and (part.text, part.topics) not in said:
            labels = " and ".join(terms().topics[topic_id].label for topic_id in part.topics)
            record = {"typed": part.text, "topics": list(part.topics)}
            done = f"showing {what}s on {labels}" if found else f"searched it as {what}s on {labels}"
            said[part.text, part.topics] = (record, f"no {what} says {part.text!r}; {done}")
    return list(said.values())


def _other_names(
    corpus: Corpus, part: QueryPart, what: str = "passage", unnamed: dict[str, list[tuple[str, int]]] | None = None
) -> list[str]:
    """What a name in the query brings in besides the words typed: "'un' is United Nations:
    passages naming it as 'United Nations' match too" (the names the report uses, only); for an
    alias the report never uses, that no passage says it: "no passage says 'ISIL'; showing
    passages naming Islamic State (as 'Islamic State', 'ISIS')"."""
    from kzcli.text import words

    key_typed = " ".join(part.surfaces)
    typed = f" {key_typed} "
    said = []
    for entity_id in part.entities:
        entity = corpus.entity(entity_id)
        spelt: dict[str, str] = {}  # one name per folded form: "Co-operation" and "Cooperation" are one
        for name in (entity.name, *entity.aliases):
            spelt.setdefault(" ".join(words(name)), name)
        others = [name for key, name in spelt.items() if key in part.found_as and typed not in f" {key} "]
        shown = ", ".join(repr(name) for name in others)
        if others and key_typed not in part.found_as:
            verb = "leaving out" if part.excluded else "showing"
            said.append(f"no {what} says {part.text!r}; {verb} {what}s naming {entity.name} (as {shown})")
        elif others:
            verb = "are left out too" if part.excluded else "match too"
            said.append(f"{part.text!r} is {entity.name}: {what}s saying {shown} {verb}")
        places = (unnamed or {}).get(entity_id, []) if what == "passage" else []
        if places:
            said.append(_unnamed_mentions(entity.name, places))
    return said


def _unnamed_mentions(name: str, places: list[tuple[str, int]]) -> str:
    """What kz says of passages matched that the corpus records as speaking of an entity in none
    of its names ("signed by the president"): else such a passage would show without the name."""
    verb, them = ("matches too", "it") if len(places) == 1 else ("match too", "them")
    where = ", ".join(f"{section} ¶{number}" for section, number in places)
    return f"{where} {verb}: the corpus records {them} as speaking of {name}, in none of its names"


def _profile_hint(entity: Any) -> str:
    """Where to read more about an entity the query names."""
    from kzcli.entities import surname
    from kzcli.names import shell_word

    command = "person" if entity.type == "person" else "entity"
    handle = entity.name if entity.type != "person" else surname(entity)
    return f"{entity.name} is a named {entity.type}: see `kz {command} {shell_word(handle)}`"
