"""Citations of the report that point at a place in it: the chapter, a section, paragraphs,
an event's, a figure's or an entity's quote.

The target grammar, shared by ``kz cite`` and ``kz read``:

- nothing: the whole chapter;
- ``SECTION`` (an id or a title, ``torture``, ``"Civil Society"``);
- ``SECTION:N`` and ``SECTION:N-M`` (``torture:2``, ``torture:2-3``);
- an event id (``2020-08-12-tulesova-convicted``) or a figure id;
- ``entity:NAME`` (``person:NAME`` for people only), NAME as ``kz entity`` takes it;
- ``section:``, ``event:`` and ``figure:`` prefixes force the kind.

Written so, a target is read silently. Looser forms are read and said
(``kz: 'torture 2' read as torture:2``): a paragraph written ``torture 2``,
``torture/2``, ``torture ¶2``, ``torture #2`` or ``torture para 2``; words of one
section title or a typo of one (``women``, ``tortre``); a name without
``entity:`` (``Tulesova``), spelt as ``kz person`` forgives. A paragraph is
never widened to its section: a paragraph form whose section or number is wrong
is refused. Words that fit several places are asked about (``labor``: the
section or the ILO). Any other phrase is refused with the grammar, unless it is
quoted from the report (two words or more, as written, in one paragraph only):
then the paragraph holding it is cited, and kz says so.

Search hits, timeline events and profile mentions carry a ``cite`` key in their
JSON records whose value is a target written so. How a place is written as a
citation is ``kzcli.citation``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kzcli.corpus import Corpus, Section, paragraph_ref
from kzcli.errors import NotFoundError, UsageError
from kzcli.sections import check_paragraph
from kzcli.text import words

GRAMMAR = "SECTION, SECTION:N, SECTION:N-M, an event id, entity:NAME, or nothing for the whole chapter"

# Event ids start with their date ("2020-08-12-tulesova-convicted").
_EVENT_ID_RE = re.compile(r"^\d{4}(?:-\d{2}){0,2}-[a-z]")
_PREFIX_RE = re.compile(r"^(?P<kind>section|event|entity|person|figure)\s*:\s*(?P<rest>.*\S)\s*$", re.IGNORECASE)
# SECTION:N or SECTION:N-M as written; and the looser ways people write a paragraph
# ("torture 2", "torture/2", "torture ¶2", "torture #2", "torture para 2", "torture paragraphs 2-3").
_CANONICAL_RE = re.compile(r"^(?P<section>[^\s:]+):(?P<first>\d+)(?:-(?P<last>\d+))?$")
# The section ends at a non-space (the spaces before a mark are the mark's), so each run of
# spaces is tried once: "a<80,000 spaces>b" took 74 s with a lazy ".+?" before "\s*".
_PARAGRAPH_RE = re.compile(
    r"^(?P<section>.*?\S)(?:\s*[:/#¶§]+\s*|\s+(?:para(?:graph)?s?\.?|pp?\.)\s*|\s+)"
    r"(?P<first>\d+)(?:\s*[-\u2010-\u2015]\s*(?P<last>\d+))?$",
    re.IGNORECASE,
)
# A paragraph form whose number is missing or malformed ("torture:", "torture para", "torture:2.5").
_BROKEN_PARAGRAPH_RE = re.compile(
    r"^(?P<section>.*?\S)(?:\s*[:/#¶§]+\s*|\s+(?:para(?:graph)?s?\.?|pp?\.)\s*)(?P<rest>[^:/#¶§]*)$", re.IGNORECASE
)
# What separates a section from its paragraph number: "torture:" is never the section "torture".
_SEPARATOR_RE = re.compile(r"[:/#¶§]")
# A phrase cited by the words it quotes has at least this many words.
QUOTED_MIN_WORDS = 2


@dataclass(frozen=True, slots=True)
class Place:
    """What a citation points at."""

    kind: str  # chapter | section | paragraph | paragraphs | event | entity | figure
    target: str  # the canonical target string (what `kz cite` accepts back; "" for the chapter)
    section: Section | None  # None for the chapter
    paragraph: int | None
    quote: str | None
    label: str | None  # the event's summary, the entity's or figure's name
    last: int | None = None  # the last paragraph of a range
    note: str | None = None  # how a loosely written target was read: said on stderr


def resolve_target(corpus: Corpus, target: str | None, command: str = "cite") -> Place:
    """The place ``target`` names (None: the chapter); UsageError for an empty target or a
    malformed paragraph form, NotFoundError if nothing or several places fit (its hint: a
    ``kz COMMAND`` line, the command that asked)."""
    if target is None:
        return Place("chapter", "", None, None, None, None)
    text = target.strip()
    if not words(text) and not _SEPARATOR_RE.search(text):
        # Given but empty ("$UNSET"): not taken for "nothing", which would cite the whole chapter.
        raise UsageError(f"a target is needed, got {target!r}: give {GRAMMAR}")
    prefixed = _PREFIX_RE.match(text)
    if prefixed:
        return _explicit(corpus, text, prefixed.group("kind").lower(), prefixed.group("rest"))
    return (
        (None if _SEPARATOR_RE.search(text) else _by_section(corpus, text))
        or _by_id(corpus, text)
        or _by_paragraph(corpus, text, target)
        or _by_name(corpus, text, exact_only=True)
        or _loosely(corpus, text, target, command)
    )


def _said(typed: str, place: Place, how: str | None = None) -> Place:
    """``place``, saying how ``typed`` was read (``how``, or which target it was read as)."""
    return replace(place, note=how or f"{typed!r} read as {place.target}")


def _by_section(corpus: Corpus, text: str) -> Place | None:
    from kzcli.sections import exact_section

    found = exact_section(corpus, text)
    return None if found is None else section_place(found)


def _by_paragraph(corpus: Corpus, text: str, typed: str) -> Place | None:
    """SECTION:N or SECTION:N-M, or a looser way of writing one, said; never widened to the section.

    None when the words before the number fit no section ("June 6"): then they may be something else.
    """
    from kzcli.sections import find_section, fitting_sections

    numbered = _PARAGRAPH_RE.match(text)
    if numbered is None:
        if _BROKEN_PARAGRAPH_RE.match(text) and _names_nothing(corpus, text):
            raise UsageError(f"{typed!r}: give SECTION:N or SECTION:N-M with paragraph numbers, e.g. torture:2")
        return None
    if not fitting_sections(corpus, numbered.group("section")):
        return None
    found = find_section(corpus, numbered.group("section"))  # one, or asked about: never guessed
    first = int(numbered.group("first"))
    place = paragraphs_place(found.section, first, int(numbered.group("last") or first))
    written = _CANONICAL_RE.match(text) is not None and found.match == "exact"
    return place if written else _said(typed, place)


def _names_nothing(corpus: Corpus, text: str) -> bool:
    """Whether ``text`` is neither a section title nor a name as written ("U.S. State Department"):
    a paragraph form gone wrong."""
    from kzcli.names import EXACT, resolve
    from kzcli.sections import exact_section

    if text.rstrip().endswith((":", "/", "#", "¶", "§")):
        return True
    return exact_section(corpus, text) is None and resolve(corpus, text).match != EXACT


def _by_id(corpus: Corpus, text: str) -> Place | None:
    """An exact event or figure id; an id-like target of no event is refused with that month's."""
    if any(event.id == text for event in corpus.events):
        return _event_place(corpus, text)
    if any(figure.id == text for figure in corpus.figures):
        return _figure_place(corpus, text)
    if _EVENT_ID_RE.match(text):
        close = [e.id for e in corpus.events if e.id.startswith(text[:7])][:3]
        hint = f"; events of that month: {', '.join(close)}" if close else ""
        raise NotFoundError(f"no event with id {text!r}{hint}")
    return None


def _by_name(corpus: Corpus, text: str, exact_only: bool, types: tuple[str, ...] | None = None) -> Place | None:
    """An entity by a name as written (``exact_only``), or as ``kz entity`` reads it (said when spelt otherwise)."""
    from kzcli.names import EXACT, ID, correction, resolve

    resolution = resolve(corpus, text, types)
    if resolution.entity is None or (exact_only and resolution.match not in (EXACT, ID)):
        return None
    place = _entity_place(corpus, resolution.entity.id)
    said = correction(resolution)
    return _said(text, place, said) if said else place


def _loosely(corpus: Corpus, text: str, typed: str, command: str) -> Place:
    """Words of a section title, or a name, written loosely: one place only, said; several asked about."""
    from kzcli.names import AMBIGUOUS, COMMON, OTHER_NAME, correction, resolve, unresolved_message
    from kzcli.sections import fitting_sections

    resolution = resolve(corpus, text)
    if resolution.match == COMMON:  # "the" is in many titles and names, and names none of them
        raise NotFoundError(f"{typed!r} is only common words, no place in the report: give {GRAMMAR}")
    sections = fitting_sections(corpus, text)
    named = [c.entity for c in resolution.candidates] if resolution.match == AMBIGUOUS else []
    if resolution.entity is not None:
        named = [resolution.entity]
    typed_words = len(words(text))
    whole_titles = [fit for fit in sections if fit.whole]
    if len(whole_titles) == 1 and all(typed_words < len(c.matched.split()) for c in resolution.candidates):
        # A section's whole title (maybe mistyped: "tortre") is the section, not a name it is
        # one word of ("Coalition Against Torture"); a name typed whole is still asked about.
        sections, named = whole_titles, []
    options = [f"section:{fit.section.id}" for fit in sections] + [f"entity:{e.name}" for e in named]
    if len(options) > 1:
        # A citation goes into print: when the words fit several places, ask.
        from kzcli.names import shell_word

        example = shell_word(options[-1])
        listed = "; ".join(options)
        raise NotFoundError(f"{text!r} could be several: {listed}; say which, e.g. `kz {command} {example}`")
    if sections:
        return _said(text, section_place(sections[0].section))
    if resolution.entity is not None:
        place = _entity_place(corpus, resolution.entity.id)
        return _said(text, place, correction(resolution) or f"{text!r} read as entity:{resolution.entity.name}")
    if resolution.match == OTHER_NAME:
        raise NotFoundError(unresolved_message(corpus, text, None, resolution))
    quoted = _quoted(corpus, text, command)
    if quoted is not None:
        return quoted
    from kzcli.sections import rank_sections

    closest = [section.id for _, section in rank_sections(corpus, text)[:2]]
    hint = f"; closest sections: {', '.join(closest)}" if closest else ""
    raise NotFoundError(f"{typed!r} names no place in the report: give {GRAMMAR}{hint}")


def _quoted(corpus: Corpus, text: str, command: str) -> Place | None:
    """The one paragraph holding ``text`` word for word (folded), cited and said; None if no paragraph does."""
    typed = words(text)
    if len(typed) < QUOTED_MIN_WORDS:
        return None
    phrase = f" {' '.join(typed)} "
    holding = [
        (section, number)
        for section in corpus.sections
        for number, paragraph in enumerate(section.paragraphs, 1)
        if phrase in f" {' '.join(words(paragraph))} "
    ]
    if not holding:
        return None
    if len(holding) > 1:
        places = ", ".join(paragraph_ref(s.id, n) for s, n in holding)
        first = paragraph_ref(holding[0][0].id, holding[0][1])
        raise NotFoundError(f"{text!r} stands in several paragraphs: {places}; say which, e.g. `kz {command} {first}`")
    section, number = holding[0]
    place = paragraphs_place(section, number, number)
    return _said(text, place, f"{text!r} read as {place.target}, the paragraph that says it")


def _explicit(corpus: Corpus, typed: str, kind: str, rest: str) -> Place:
    """A target with its kind written: section:, event:, figure:, entity:, person:."""
    if kind == "section":
        return _explicit_section(corpus, typed, rest)
    if kind == "event":
        if not any(e.id == rest for e in corpus.events):
            raise NotFoundError(f"no event with id {rest!r}; see `kz timeline --json`")
        return _event_place(corpus, rest)
    if kind == "figure":
        if not any(f.id == rest for f in corpus.figures):
            raise NotFoundError(f"no figure with id {rest!r}; see `kz figures --json`")
        return _figure_place(corpus, rest)
    from kzcli.names import PERSON, candidate_records, resolve, unresolved_message

    types = PERSON if kind == "person" else None
    found = _by_name(corpus, rest, exact_only=False, types=types)
    if found is None:
        resolution = resolve(corpus, rest, types)
        raise NotFoundError(unresolved_message(corpus, rest, types, resolution), candidate_records(resolution))
    return found


def _explicit_section(corpus: Corpus, typed: str, rest: str) -> Place:
    from kzcli.sections import find_section, read_as

    numbered = _PARAGRAPH_RE.match(rest)
    if numbered is not None:
        found = find_section(corpus, numbered.group("section"))
        first = int(numbered.group("first"))
        place = paragraphs_place(found.section, first, int(numbered.group("last") or first))
        written = _CANONICAL_RE.match(rest) is not None and found.match == "exact"
        return place if written else _said(typed, place)
    found = find_section(corpus, rest)
    said = read_as(rest, found)
    place = section_place(found.section)
    return _said(typed, place, said) if said else place


def section_place(section: Section) -> Place:
    return Place("section", section.id, section, None, None, None)


def paragraph_place(corpus: Corpus, section: Section, number: int) -> Place:
    check_paragraph(section, number)
    return Place("paragraph", paragraph_ref(section.id, number), section, number, None, None)


def paragraphs_place(section: Section, first: int, last: int) -> Place:
    """Paragraphs ``first`` to ``last`` of a section (one paragraph when they are the same)."""
    if last < first:
        raise UsageError(f"paragraphs {first}-{last}: give the first one first, e.g. `{section.id}:{last}-{first}`")
    check_paragraph(section, first)
    check_paragraph(section, last)
    if first == last:
        return Place("paragraph", paragraph_ref(section.id, first), section, first, None, None)
    return Place("paragraphs", f"{section.id}:{first}-{last}", section, first, None, None, last)


def _event_place(corpus: Corpus, event_id: str) -> Place:
    event = next(e for e in corpus.events if e.id == event_id)
    return Place("event", event.id, corpus.section(event.section), event.paragraph, event.quote, event.summary)


def _figure_place(corpus: Corpus, figure_id: str) -> Place:
    figure = next(f for f in corpus.figures if f.id == figure_id)
    return Place("figure", figure.id, corpus.section(figure.section), figure.paragraph, figure.quote, figure.text)


def _entity_place(corpus: Corpus, entity_id: str) -> Place:
    """An entity is cited where the report first names it."""
    entity = corpus.entity(entity_id)
    first = entity.mentions[0]
    return Place("entity", entity.id, corpus.section(first.section), first.paragraph, first.quote, entity.name)


def paragraphs_of(corpus: Corpus, place: Place) -> list[tuple[Section, int]]:
    """The paragraphs a place covers, in report order, for ``kz read``: all of the chapter or a
    section, a range, the paragraph of an event or figure, every paragraph naming an entity."""
    if place.section is None:
        return [(s, n) for s in corpus.sections for n in range(1, len(s.paragraphs) + 1)]
    if place.kind == "section":
        return [(place.section, n) for n in range(1, len(place.section.paragraphs) + 1)]
    if place.kind == "entity":
        order = {section_id: i for i, (section_id, _) in enumerate(corpus.section_titles())}
        named = sorted(
            {(m.section, m.paragraph) for m in corpus.entity(place.target).mentions}, key=lambda p: (order[p[0]], p[1])
        )
        return [(corpus.section(s), n) for s, n in named]
    first = place.paragraph or 1
    return [(place.section, n) for n in range(first, (place.last or first) + 1)]
