"""Bootstrap a corpus from another Human Rights Watch World Report chapter's plain text.

The chapter must have the layout of ``data/source.txt``: page furniture lines,
the country heading, ``Events of YEAR``, an optional photo caption and credit
(a line starting with ``©``), an untitled opening paragraph, then short
heading lines each followed by paragraphs.

What comes out is a draft, not a curated corpus: sections and paragraphs are
exact, but events, entities and figures are machine candidates found with the
same scanner the coverage tests use (``kzcli.scan``). Each one quotes the
sentence it was found in, and every summary, role and description starts with
``unreviewed:`` (the corpus shape has fixed keys, so the flag lives in the
text, and in a note). The result passes ``kz validate`` and can be queried at
once with ``kz --data corpus.json ...``.

Dates are found by ``kzcli.dates``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kzcli.corpus import SCHEMA_VERSION
from kzcli.dates import PAST_PERFECT_NOTE, RELATIVE_NOTE, WRITING_NOTE, find_dates, relative_dates
from kzcli.document import MAX_CORPUS_BYTES, NotText, decode_text, read_given
from kzcli.drafting import Budget, Ids, Sentences, too_large
from kzcli.errors import CorpusError, UsageError
from kzcli.gazetteer import ORG_AFTER, PERSON_CUES, PLACE_CUES
from kzcli.layout import CREDIT_RE, Chapter, id_slug, lists_publications, parse_chapter, title_like

__all__ = ["Chapter", "build_corpus", "draft", "ingest", "parse_chapter", "read_chapter"]
from kzcli.naming import Evidence, NameRun, guess_type, name_runs, strip_possessive
from kzcli.scan import lower_case_words, quoted_titles, scan
from kzcli.text import NUMBER_VALUES, fold
from kzcli.validation import validate

MAX_CHAPTER_BYTES = 8 * 1024 * 1024
UNREVIEWED = "unreviewed: "
SUMMARY_CHARS = 160
# The note saying invisible characters were taken out of the chapter's text.
REMOVED_NOTE = "invisible-characters"
# The notes saying why a date's year was read from the date before it, and what a reviewer should look at first.
YEAR_NOTE = "year-from-context"
WEAK = " (weak evidence)"
# Words of an apposition that say a name is a person's or an organisation's.
_DESCRIBING = PERSON_CUES | ORG_AFTER
REVIEW_NOTE = "review-first"

_UNIT_RE = re.compile(r"\s+(?:of\s+)?([a-z][\w-]*)")


# --- numbers ---------------------------------------------------------------------


def number_value(text: str) -> int | float | None:
    plain = text.replace(",", "")
    if re.fullmatch(r"\d+", plain):
        return int(plain)
    if re.fullmatch(r"\d+\.\d+", plain):
        return float(plain)
    return NUMBER_VALUES.get(text.lower())


# --- building the corpus -------------------------------------------------------


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "\u2026"


@dataclass
class _Entity:
    name: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[str, int, str]] = field(default_factory=list)
    evidence: Evidence = field(default_factory=lambda: Evidence(set(), set(), set()))
    roles: list[str] = field(default_factory=list)


# A paragraph as records cite it: (section id, number from 1, text, its sentences, its quoted titles of
# publications), split once for every pass.
_Paragraph = tuple[str, int, str, Sentences, list[tuple[int, int]]]
# A name where it stands: (section id, paragraph number, the sentence it is in, the name run).
_NamePlace = tuple[str, int, str, NameRun]


def _paragraphs(chapter: Chapter) -> list[_Paragraph]:
    """Every paragraph with the section and number a record cites it by, its sentences and titles."""
    return [
        (section_id, number, paragraph, Sentences(paragraph), _titles(paragraph, lists_publications(title)))
        for section_id, title, paragraphs in chapter.sections
        for number, paragraph in enumerate(paragraphs, 1)
    ]


def _titles(paragraph: str, listing: bool) -> list[tuple[int, int]]:
    """Spans of a paragraph's titles of publications: its quoted titles, or the whole of it when it is
    an item of a list of publications (spans include one character either side, as a quote's would)."""
    if listing and title_like(paragraph):
        return [(-1, len(paragraph) + 1)]
    return quoted_titles(paragraph)


def _name_places(paragraphs: list[_Paragraph], ordinary: frozenset[str]) -> list[_NamePlace]:
    """Pass 1: every name run, with the sentence it stands in (its mention's quote)."""
    return [
        (section_id, number, split.at(run.start), run)
        for section_id, number, paragraph, split, titles in paragraphs
        for run in name_runs(paragraph, ordinary, titles)
    ]


@dataclass
class _EntityIndex:
    """The entities found so far, and every folded name or alias that leads to one: a later
    mention by acronym or surname joins the entity instead of starting another."""

    entities: dict[str, _Entity] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)  # folded name or alias -> entity key

    def entity_for(self, run: NameRun) -> _Entity:
        """The entity this name already leads to, else a new one under it."""
        key = fold(run.name)
        if key in self.by_key:
            return self.entities[self.by_key[key]]
        entity = self.entities.setdefault(key, _Entity(run.name))
        self.by_key[key] = key
        return entity

    def alias(self, entity: _Entity, alias: str | None) -> None:
        if alias and alias not in entity.aliases and fold(alias) != fold(entity.name):
            entity.aliases.append(alias)
            self.by_key.setdefault(fold(alias), fold(entity.name))


def _mention(entity: _Entity, place: _NamePlace) -> None:
    """Record a mention and what stands around it: guess_type reads the evidence ("in", "activist", a title)."""
    run, evidence = place[3], entity.evidence
    entity.mentions.append(place[:3])
    evidence.mentions += 1
    evidence.cues.add(run.cue)
    evidence.place_cued += run.cue in PLACE_CUES
    if run.after:
        evidence.after.add(run.after)
    evidence.described |= run.described
    if run.role:
        evidence.titled = True
        if run.role not in entity.roles:
            entity.roles.append(run.role)


def _index_full_names(index: _EntityIndex, places: list[_NamePlace]) -> list[_NamePlace]:
    """Names of several words, acronyms, titled names and words already known become mentions at once;
    the other single words are returned, to be judged once every full name (and so every surname) is known."""
    singles: list[_NamePlace] = []
    for place in places:
        run = place[3]
        if " " not in run.name and fold(run.name) not in index.by_key and not run.acronym:
            singles.append(place)
            continue
        entity = index.entity_for(run)
        index.alias(entity, run.acronym)
        index.alias(entity, run.other)
        _mention(entity, place)
    return singles


def _person_short_names(
    entities: dict[str, _Entity], country: str, ordinary: frozenset[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Folded surname -> entity key, and folded given name -> entity key, for names guessed to be
    people's: the report names them again by surname, now and then by given name alone. A given name
    two people share leads to neither."""
    surnames: dict[str, str] = {}
    given: dict[str, str | None] = {}
    for key, entity in entities.items():
        parts = entity.name.split()
        if len(parts) >= 2 and guess_type(entity.name, entity.evidence, country, ordinary)[0] == "person":
            surnames.setdefault(fold(strip_possessive(parts[-1])), key)
            first = fold(parts[0])
            given[first] = key if given.get(first, key) == key else None
    return surnames, {name: key for name, key in given.items() if key is not None and name not in surnames}


def _single_word_entity(
    index: _EntityIndex, run: NameRun, short_names: tuple[dict[str, str], dict[str, str]], mid_sentence: set[str]
) -> _Entity | None:
    """The entity a single word names: a known name or acronym, a person's surname or given name (kept
    as an alias), the singular or plural of a name already found ("Dungan", "Dungans"), or a name of its
    own if it is ever capitalised mid-sentence; None for an ordinary word."""
    key = fold(run.name)
    if key in index.by_key:
        return index.entities[index.by_key[key]]
    for names in short_names:
        if key in names:
            entity = index.entities[names[key]]
            index.alias(entity, run.name)
            return entity
    for variant in (key + "s", key[:-1] if key.endswith("s") else ""):
        if variant in index.by_key:
            entity = index.entities[index.by_key[variant]]
            index.alias(entity, run.name)
            return entity
    if key in mid_sentence:
        return index.entity_for(run)
    return None


def _find_entities(places: list[_NamePlace], country: str, ordinary: frozenset[str]) -> dict[str, _Entity]:
    """Entities by folded name, from every name run: full names first, then the single words (pass 2),
    which are mostly acronyms or surnames of names already found."""
    index = _EntityIndex()
    singles = _index_full_names(index, places)
    short_names = _person_short_names(index.entities, country, ordinary)
    # A lone capitalised word seen only at sentence starts is most likely an ordinary word ("Residents ...").
    # One that opens a sentence is a name when what follows it says what it is ("Kesh, a blogger, was").
    # So is one that owns something there ("Feminita's appeal") when the text never writes it in lower case.
    mid_sentence = {
        fold(place[3].name)
        for place in singles
        if not place[3].initial
        or place[3].described & _DESCRIBING
        or (place[3].possessive and place[3].name.lower() not in ordinary)
    }
    for place in singles:
        entity = _single_word_entity(index, place[3], short_names, mid_sentence)
        if entity is not None:
            index.alias(entity, place[3].other)
            _mention(entity, place)
    return index.entities


def _entity_records(
    entities: dict[str, _Entity], country: str, ordinary: frozenset[str], budget: Budget, review: list[str]
) -> tuple[list[dict[str, Any]], dict[tuple[str, int, str], list[str]]]:
    """The entities as corpus records, and the ids mentioned in each (section, paragraph, sentence):
    an event lists the entities of the sentence it quotes. A type read on weak evidence goes to ``review``."""
    ids = Ids()
    records: list[dict[str, Any]] = []
    ids_by_place: dict[tuple[str, int, str], list[str]] = {}
    for entity in entities.values():
        kind, why, weak = guess_type(entity.name, entity.evidence, country, ordinary)
        entity_id = ids.unique(id_slug(entity.name))
        mentions = list(dict.fromkeys(entity.mentions))
        roles = f"; named with the title {' / '.join(entity.roles)}" if kind == "person" and entity.roles else ""
        budget.spend(entity.name, *entity.aliases, *(quote for _, _, quote in mentions), roles)
        for mention in mentions:
            ids_by_place.setdefault(mention, []).append(entity_id)
        if weak:
            review.append(f"entity {entity.name!r}: typed {kind} on weak evidence ({why})")
        records.append(
            {
                "id": entity_id,
                "type": kind,
                "name": entity.name,
                "aliases": entity.aliases,
                "role": f"{UNREVIEWED}{kind} guessed by kz ingest from {why}{WEAK if weak else ''}{roles}",
                "mentions": [{"section": s, "paragraph": n, "quote": q} for s, n, q in mentions],
            }
        )
    return records, ids_by_place


def _event_records(
    paragraphs: list[_Paragraph],
    year: int,
    ids_by_place: dict[tuple[str, int, str], list[str]],
    budget: Budget,
    left: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One event per date candidate, quoting its sentence and listing the entities named there; a
    relative date that cannot be read goes to ``left`` (the corpus's left_out)."""
    events: list[dict[str, Any]] = []
    ids = Ids()
    for section_id, number, paragraph, split, titles in paragraphs:
        dated = find_dates(paragraph, year, titles)
        relative, unread = relative_dates(paragraph, dated)
        for text, reason in unread:
            left.append({"kind": "date", "text": text, "section": section_id, "paragraph": number, "reason": reason})
        for candidate in sorted(dated + relative, key=lambda c: c.start):
            span = split.span_at(candidate.start)
            inside = span is not None and candidate.start + len(candidate.date_text) <= span[1]
            # A range across a sentence break: quote the paragraph.
            quote = split.at(candidate.start) if inside else paragraph
            summary = UNREVIEWED + _shorten(quote)
            budget.spend(quote, summary, candidate.date_text)
            base = candidate.date + (f"-to-{candidate.end}" if candidate.end else "")
            events.append(
                {
                    "id": ids.unique(f"{base}-{section_id}-p{number}"),
                    "date": candidate.date,
                    "end": candidate.end,
                    "precision": candidate.precision,
                    "ongoing": candidate.ongoing,
                    "date_text": candidate.date_text,
                    # A bare month or day takes the chapter's year unless a full date before it in its paragraph
                    # gives another (then its year is inferred); a relative date is inferred whole.
                    "inferred": candidate.inferred,
                    "date_note": (candidate.reason or YEAR_NOTE) if candidate.inferred else None,
                    "summary": summary,
                    "section": section_id,
                    "paragraph": number,
                    "quote": quote,
                    "entities": list(dict.fromkeys(ids_by_place.get((section_id, number, quote), []))),
                }
            )
    return events


def _figure_records(paragraphs: list[_Paragraph], ordinary: frozenset[str], budget: Budget) -> list[dict[str, Any]]:
    """One figure per number the scanner finds, quoting its sentence, with the word after it as its unit."""
    figures: list[dict[str, Any]] = []
    ids = Ids()
    for section_id, number, paragraph, split, _ in paragraphs:
        for item in scan(paragraph, ordinary):
            # After a hyphen a number is the tail of a token ("COVID-19"), not a figure of its own.
            if item.kind != "number" or paragraph[max(0, item.start - 1) : item.start] == "-":
                continue
            quote = split.at(item.start)
            what = UNREVIEWED + _shorten(quote)
            budget.spend(quote, what, item.text)
            unit = _UNIT_RE.match(paragraph, item.end)
            qualifier = _qualifier_before(paragraph, item.start)
            text = paragraph[item.start - len(qualifier) - 1 if qualifier else item.start : item.end]
            figures.append(
                {
                    "id": ids.unique(f"{section_id}-p{number}-{id_slug(item.text)}"),
                    "value": number_value(item.text),
                    "qualifier": qualifier or None,
                    "text": text if text in quote else item.text,
                    "unit": unit.group(1) if unit else "",
                    "what": what,
                    "section": section_id,
                    "paragraph": number,
                    "quote": quote,
                }
            )
    return figures


def _qualifier_before(paragraph: str, start: int) -> str:
    """The qualifier the number at ``start`` follows ("at least", "nearly", "up to"), as written;
    "" for none. A figure keeps it: "at least 1,626" is not 1,626 (kzcli.figures.QUALIFIERS).
    Only the words just before are read, whole: a paragraph of many numbers stays linear."""
    from kzcli.figures import QUALIFIERS

    before = paragraph[max(0, start - _QUALIFIER_REACH) : start]
    if start > _QUALIFIER_REACH:
        before = before.partition(" ")[2]  # the first word may be cut
    found = _QUALIFIER_RE.search(before)
    if found is None:
        return ""
    for phrase in (found.group(0).strip(), found.group(2)):
        if fold(phrase) in QUALIFIERS:
            return phrase
    return ""


# The one or two words just before a number, within this many characters.
_QUALIFIER_REACH = 48
_QUALIFIER_RE = re.compile(r"(?:([A-Za-z]+) )?([A-Za-z]+) $")


# How the dates read from their sentence rather than their words were dated.
_DATE_NOTES = {
    WRITING_NOTE: "'At time of writing' is dated to the chapter's year, marked inferred: the state of things when "
    "the chapter was written, with no calendar date given.",
    PAST_PERFECT_NOTE: "A month without a year told in the past perfect after an earlier month of its paragraph "
    "('in March adopted the review. In November, states had called ...') happened before it: the year before, "
    "marked inferred.",
}


def _notes(chapter: Chapter, source_file: str, events: list[dict[str, Any]], review: list[str]) -> list[dict[str, str]]:
    """What a reader of the draft must know: nothing is reviewed, what was left out, how dates were read,
    and what to look at first."""
    year = chapter.year
    years = {
        "events-line": f"its 'Events of {year}' line",
        "series-line": f"its 'World Report {year + 1}' line (no 'Events of YEAR' line)",
        "given": "the year given with --year",
    }[chapter.year_source]
    notes = [
        {
            "id": "unreviewed",
            "text": (
                f"Generated by `kz ingest` from {source_file}. Sections and paragraphs are the source's text; "
                "events, entities and figures are machine candidates, each quoting the sentence it was found in, "
                "and none has been reviewed by a person: every summary, role and description starts with "
                "'unreviewed:'. Entity types are guesses from the words of the name and the words around its "
                "mentions (a title before it, an organisation or law word after it, a known place)."
            ),
        },
        {
            "id": "page-furniture",
            "text": "Lines before the body, not in any section: " + " | ".join(chapter.furniture),
        },
        {
            "id": "dates",
            "text": (
                f"The chapter covers {year}, from {years}. Months and days given without a year are taken as {year}, "
                "unless a full date of another year, or a sentence opening with another year ('In 2019, ...'), "
                "stands before them in the paragraph (then its year, marked inferred). Ranges ('between X and Y', "
                "'from X to Y', 'late X and early Y', 'August and September', 'Month D-D', '2019-2020') have an "
                "end at the coarser precision of their two ends; 'since X' is ongoing, with no end; 'mid-Month' "
                "has month precision; dates in a quoted title of a publication are not events."
            ),
        },
    ]
    if chapter.headings and any(level == 2 for _, level in chapter.headings):
        outline = " | ".join(("  > " if level == 2 else "") + title for title, level in chapter.headings)
        notes.append({"id": "headings", "text": f"The chapter's headings, subheadings after '>': {outline}"})
    if any(e["date_note"] == YEAR_NOTE for e in events):
        notes.append(
            {
                "id": YEAR_NOTE,
                "text": "A month or day without a year, after a full date of another year in its paragraph "
                "('on October 27, 2001 ...; he was released on November 16'), takes that year, or the next one "
                "when its month comes earlier in the calendar (never past the chapter's year).",
            }
        )
    if any(e["date_note"] == RELATIVE_NOTE for e in events):
        notes.append(
            {
                "id": RELATIVE_NOTE,
                "text": "A relative date ('the same month', 'days later') takes the period of the date before it "
                "in its paragraph: the same day, month or year; days later is read as that date's month, the "
                "following month as the next. Each is marked inferred.",
            }
        )
    notes += [
        {"id": key, "text": text} for key, text in _DATE_NOTES.items() if any(e["date_note"] == key for e in events)
    ]
    if review:
        notes.append({"id": REVIEW_NOTE, "text": "Review first: " + " | ".join(review)})
    if chapter.removed:
        notes.append(
            {
                "id": REMOVED_NOTE,
                "text": (
                    f"{chapter.removed} invisible character{'s' if chapter.removed != 1 else ''} (bidi controls, "
                    "zero-width characters, byte order marks) were taken out of the source's text: a corpus may "
                    "not hold them. The paragraphs are otherwise verbatim."
                ),
            }
        )
    if any(s[0] == "overview" for s in chapter.sections):
        notes.append(
            {"id": "overview-untitled", "text": "The opening paragraph has no heading; 'Overview' is kz's label."}
        )
    return notes


def build_corpus(chapter: Chapter, source_file: str, review: list[str] | None = None) -> dict[str, Any]:
    """The corpus document for a parsed chapter; every candidate marked unreviewed. What kz was unsure
    of (a heading, the year, a weak type, a relative date) is added to ``review`` and the notes.

    UsageError when it would be larger than kz loads (``Budget``).
    """
    doubts = review if review is not None else []
    doubts.extend(f"{what}: {why}" for what, why in chapter.doubts)
    everything = "\n".join(p for _, _, paragraphs in chapter.sections for p in paragraphs)
    budget = Budget(source_file)
    budget.spend(everything)
    ordinary = lower_case_words(everything)
    paragraphs = _paragraphs(chapter)
    places = _name_places(paragraphs, ordinary)
    country = chapter.country
    entities, ids_by_place = _entity_records(
        _find_entities(places, country, ordinary), country, ordinary, budget, doubts
    )
    # "© 2020 REUTERS/...": a photo credit's copyright year is not an event, nor its numbers figures.
    text_paragraphs = [p for p in paragraphs if not CREDIT_RE.match(p[2])]
    year = chapter.year
    left: list[dict[str, Any]] = _title_left_out(text_paragraphs)
    events = _event_records(text_paragraphs, year, ids_by_place, budget, left)
    doubts.extend(
        f"date {e['date_text']!r} ({e['section']} \u00b6{e['paragraph']}): {e['date']}, {e['inferred']} inferred"
        for e in events
        if e["inferred"]
    )
    doubts.extend(
        f"date {item['text']!r} ({item['section']} \u00b6{item['paragraph']}): left out"
        for item in left
        if item["kind"] == "date"
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "report": {
            "title": f"{chapter.country}: Events of {year}",
            "country": chapter.country,
            "period": str(year),
            "series": f"World Report {year + 1}",
            "publisher": "Human Rights Watch",
            "source_file": source_file,
        },
        "sections": [{"id": i, "title": t, "paragraphs": p} for i, t, p in chapter.sections],
        "entities": entities,
        "events": events,
        "figures": _figure_records(text_paragraphs, ordinary, budget),
        "notes": _notes(chapter, source_file, events, doubts),
        "left_out": left,
    }


def _title_left_out(paragraphs: list[_Paragraph]) -> list[dict[str, Any]]:
    """Quoted titles of publications, left out: neither an entity nor, for their dates, an event."""
    return [
        {
            "kind": "name",
            "text": paragraph[max(a + 1, 0) : b - 1].rstrip(",.;:"),
            "section": section_id,
            "paragraph": number,
            "reason": "the quoted title of a publication: not an entity, and its dates are not events",
        }
        for section_id, number, paragraph, _, titles in paragraphs
        for a, b in titles
    ]


def read_chapter(path: str) -> str:
    """The chapter's text, UTF-8 or (with its byte order mark) UTF-16; every OS or encoding failure
    becomes a one-line UsageError."""
    try:
        return decode_text(read_given(path, MAX_CHAPTER_BYTES), chapter=True)
    except NotText as exc:  # said as kz validate says it: "PATH: is empty"
        raise UsageError(f"{path}: {exc}") from None


def draft(text: str, source_file: str, year: int | None = None) -> tuple[dict[str, Any], list[str]]:
    """A validated draft corpus from a chapter's text, no larger than kz loads (else UsageError), and
    what kz was unsure of, to review first. ``year``: the year the chapter covers, where its text does
    not say (``--year``)."""
    review: list[str] = []
    document = build_corpus(parse_chapter(text, year), source_file, review)
    # As kz writes it (UTF-8, indented; nothing to escape in a valid corpus) and reads it back.
    if len(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")) + 1 > MAX_CORPUS_BYTES:
        raise too_large(source_file)
    problems = validate(document)
    if problems:  # a bug in ingest, never the user's: say so rather than write a broken file
        raise CorpusError(source_file, f"ingest built an invalid corpus: {problems[0]}")
    return document, review


def ingest(text: str, source_file: str, year: int | None = None) -> dict[str, Any]:
    """The draft corpus alone (``draft``)."""
    return draft(text, source_file, year)[0]
