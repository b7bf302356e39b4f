"""``kz people``, ``kz entities``, ``kz sections`` and ``kz figures``: every record of a kind, filtered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kzcli.commands.filters import once, section_id, topic_filter
from kzcli.formats import Result
from kzcli.session import Session

if TYPE_CHECKING:
    from kzcli.corpus import Corpus
    from kzcli.figures import Choice


def people(
    session: Session,
    role_words: list[str] | None,
    section: list[str] | None,
    by_appearance: bool,
    topic: list[str] | None = None,
) -> Result:
    from kzcli.entities import by_first_appearance, sections_of, surname
    from kzcli.names import require_name, shell_word
    from kzcli.records import entity_summary
    from kzcli.text import fold, holds_words

    corpus = session.corpus()
    chosen = [e for e in corpus.entities if e.type == "person"]
    wanted_section = section_id(corpus, once(section, "--section"))
    if wanted_section is not None:
        chosen = [e for e in chosen if wanted_section in sections_of(e)]
    within = _topic_people(corpus, once(topic, "--topic"))
    if within is not None:
        chosen = [e for e in chosen if e.id in within[1]]
    role = once(role_words, "--role")
    if role is not None:
        require_name(role, "kz people", "a word of a role")
        # Words as search compares them: "activists" finds "activist".
        chosen = [e for e in chosen if holds_words(e.role, role)]
    if by_appearance:
        chosen.sort(key=by_first_appearance(corpus))
    else:
        chosen.sort(key=lambda e: (fold(surname(e)), fold(e.name)))
    records = [entity_summary(corpus, e) for e in chosen]
    query: dict[str, Any] = {"role": role, "section": wanted_section, "sort": "appearance" if by_appearance else "name"}
    query["topic"] = None if within is None else within[0]
    messages = []
    if within is not None:
        # A passage is tagged whole: it may name a person on another matter (kz topic says which).
        passages_only = [r["id"] for r in records if r["id"] not in within[2]]
        query["named_only_in_passages"] = passages_only
        if passages_only:
            messages.append(
                f"{len(passages_only)} of these {'is' if len(passages_only) == 1 else 'are'} named only in the "
                f"topic's passages, maybe on other matters (kz topic {within[0]} tells which); "
                "the events counted are all of each person's"
            )
    if not records:
        # Roles are in the report's own words: Batyrbekov is an "editor", never a "journalist".
        hint = f"; roles hold the report's words, try `kz search {shell_word(role)}`" if role else ""
        messages = [f"no person matches these filters{hint}"]
    return Result("people", query, records, len(records), messages)


def _topic_people(corpus: Corpus, name: str | None) -> tuple[str, set[str], set[str]] | None:
    """(the topic's id, the ids of its people, the ids of those its events name) for a --topic, or None."""
    found = topic_filter(corpus, name)
    if found is None:
        return None
    from kzcli.topics import people_of_events, topic_events, topic_people

    events = topic_events(corpus, found)
    return found.id, {p.id for p in topic_people(corpus, found, events)}, people_of_events(corpus, events)


def entities(session: Session, entity_type: str | None) -> Result:
    from kzcli.entities import entity_type_named
    from kzcli.records import entity_summary
    from kzcli.text import fold

    wanted = None if entity_type is None else entity_type_named(entity_type)
    corpus = session.corpus()
    chosen = [e for e in corpus.entities if wanted is None or e.type == wanted]
    chosen.sort(key=lambda e: (e.type, fold(e.name)))
    records = [entity_summary(corpus, e) for e in chosen]
    # Another spelling of a type ("organisations") is read, and said, as everything kz reads otherwise.
    said = (
        []
        if entity_type is None or fold(entity_type).strip() == wanted
        else [f"--type {entity_type!r} read as {wanted}"]
    )
    return Result("entities", {"type": wanted}, records, len(records), said)


def sections(session: Session) -> Result:
    from kzcli.records import section_record

    records = [section_record(s) for s in session.corpus().sections]
    return Result("sections", {}, records, len(records))


def notes(session: Session, note_id: str | None) -> Result:
    """The corpus's judgement calls (why a date, a name or a number was read as it was); one by id."""
    from kzcli.errors import NotFoundError

    corpus = session.corpus()
    chosen = [n for n in corpus.notes if note_id is None or n.id == note_id.strip()]
    if note_id is not None and not chosen:
        close = [n.id for n in corpus.notes if note_id.strip().casefold() in n.id]
        hint = f"; did you mean: {', '.join(close[:3])}?" if close else "; see `kz notes`"
        raise NotFoundError(f"no note {note_id!r}{hint}")
    dated: dict[str, list[str]] = {}
    for event in corpus.events:
        if event.date_note:
            dated.setdefault(event.date_note, []).append(event.id)
    records = [{"id": n.id, "text": n.text, "events": dated.get(n.id, [])} for n in chosen]
    return Result("notes", {"id": note_id}, records, len(records))


def figures(
    session: Session,
    words: list[str] | None,
    section: list[str] | None,
    least: str | None = None,
    most: str | None = None,
) -> Result:
    from kzcli.figures import bound, choose_figures, typed_number
    from kzcli.names import require_name, shell_word
    from kzcli.records import figure_record

    corpus = session.corpus()
    wanted = " ".join(words) if words else None
    if wanted is not None:
        require_name(wanted, "kz figures --help", "a number, a comparison or a word to look for")
    wanted_section = section_id(corpus, once(section, "--section"))
    choice = choose_figures(corpus, wanted, wanted_section, bound(least, "--min"), bound(most, "--max"))
    records = [figure_record(corpus, f) for f in choice.figures]
    messages = _undecided(choice)
    if not records:
        where = f" in {corpus.section(wanted_section).title}" if wanted_section else ""
        number = None if wanted is None else typed_number(wanted)
        # Why a negative number finds nothing, said where it is true: every figure counts something.
        signed = (choice.compared is not None and choice.compared.wanted.high < 0) or (number and number.value < 0)
        reason = " (no figure is below 0)" if signed and all((f.value or 0) >= 0 for f in corpus.figures) else ""
        if choice.compared is not None:
            messages.insert(0, f"no figure{where} is certainly {choice.compared.said}{reason}")
        elif wanted is None:
            messages = [f"no figure is stated{where}"]
        elif number is not None:
            messages = [f"no figure{where} has the value {wanted!r}{reason}; see `kz figures`"]
        else:
            messages = [f"no figure{where} holds {wanted!r}; try `kz search {shell_word(wanted)}`"]
    query = {
        "words": wanted,
        "section": wanted_section,
        # A comparison as understood (">100", --min, --max): the figures listed certainly satisfy it.
        "compare": None if choice.compared is None else choice.compared.said,
    }
    return Result("figures", query, records, len(records), messages)


def _undecided(choice: Choice) -> list[str]:
    """What a comparison left out and why: said, so that no figure is dropped silently."""
    if choice.compared is None:
        return []
    said = choice.compared.said
    messages = []
    if choice.undecided:
        texts = ", ".join(f"{f.text!r} ({f.section} ¶{f.paragraph})" for f in choice.undecided)
        messages.append(f"not listed, their words leave open whether they are {said}: {texts}")
    if choice.unnumbered:
        texts = ", ".join(repr(f.text) for f in choice.unnumbered)
        messages.append(f"not compared, they state no number: {texts}")
    return messages
