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

from kzcli.characters import INVISIBLE
from kzcli.corpus import SCHEMA_VERSION
from kzcli.dates import find_dates
from kzcli.document import MAX_CORPUS_BYTES, read_given
from kzcli.drafting import Budget, Ids, Sentences, too_large
from kzcli.errors import CorpusError, UsageError
from kzcli.naming import NameRun, guess_type, name_runs, strip_possessive
from kzcli.scan import lower_case_words, scan
from kzcli.text import NUMBER_VALUES, fold, slug
from kzcli.validation import validate

MAX_CHAPTER_BYTES = 8 * 1024 * 1024
UNREVIEWED = "unreviewed: "
SUMMARY_CHARS = 160
# The note saying invisible characters were taken out of the chapter's text.
REMOVED_NOTE = "invisible-characters"

_YEAR_LINE_RE = re.compile(r"^Events of ((?:19|20)\d{2})$")
_CREDIT_RE = re.compile(r"^(?:©|\(c\)\s|Photo(?:graph)?:\s)", re.IGNORECASE)


# --- the layout ---------------------------------------------------------------


@dataclass
class Chapter:
    country: str
    year: int
    furniture: list[str]
    sections: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (id, title, paragraphs)
    removed: int = 0  # invisible characters taken out of the text (bidi controls, zero-width characters)


def _id_slug(text: str) -> str:
    """``slug``, never empty: an id is needed even for a line of punctuation."""
    return slug(text) or "section"


def is_heading(line: str) -> bool:
    """A short title-like line: no sentence punctuation at its end or inside."""
    if len(line) > 100 or len(line.split()) > 12:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if line[-1] in '.!?:;,"\u201d\u2019)\u2026':
        return False
    return not re.search(r"[.!?]\s", line)


def parse_chapter(text: str) -> Chapter:
    """Split a chapter into its furniture, photo caption/credit, opening and headed sections."""
    # Control characters inside a line (a tab, an escape) become spaces, and invisible ones
    # (bidi controls, zero-width characters) go: a corpus holds none (kzcli.characters).
    # Line and paragraph separators end a line, as newlines do (str.splitlines).
    visible = re.sub(f"[{INVISIBLE}]", "", text)
    lines = [re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", line).strip() for line in visible.splitlines()]
    lines = [line for line in lines if line]
    marker = next((i for i, line in enumerate(lines) if _YEAR_LINE_RE.match(line)), None)
    if marker is None or marker == 0:
        raise UsageError(
            "not an HRW World Report chapter in the expected layout: no 'COUNTRY' line followed by "
            "an 'Events of YEAR' line"
        )
    match = _YEAR_LINE_RE.match(lines[marker])
    assert match is not None
    chapter = Chapter(country=lines[marker - 1], year=int(match.group(1)), furniture=lines[: marker + 1])
    chapter.removed = len(text) - len(visible)
    body = lines[marker + 1 :]
    if not body:
        raise UsageError("the chapter has no text after its 'Events of YEAR' line")
    ids = Ids()

    def add(section_id: str, title: str, paragraphs: list[str]) -> None:
        chapter.sections.append((ids.unique(section_id), title, paragraphs))

    credit = next((i for i, line in enumerate(body[:3]) if _CREDIT_RE.match(line)), None)
    if credit is not None:
        add("photo", "Photo caption and credit", body[: credit + 1])
        body = body[credit + 1 :]
    heads = [i for i, line in enumerate(body) if is_heading(line) and i + 1 < len(body) and not is_heading(body[i + 1])]
    opening = body[: heads[0]] if heads else body
    if opening:
        add("overview", "Overview", opening)
    for k, start in enumerate(heads):
        stop = heads[k + 1] if k + 1 < len(heads) else len(body)
        paragraphs = body[start + 1 : stop]
        if paragraphs:
            add(_id_slug(body[start]), body[start], paragraphs)
    if not chapter.sections:
        raise UsageError("the chapter has no paragraphs")
    return chapter


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
    cues: set[str] = field(default_factory=set)


# A paragraph as records cite it: (section id, number from 1, text, its sentences), split once for every pass.
_Paragraph = tuple[str, int, str, Sentences]
# A name where it stands: (section id, paragraph number, the sentence it is in, the name run).
_NamePlace = tuple[str, int, str, NameRun]


def _paragraphs(chapter: Chapter) -> list[_Paragraph]:
    """Every paragraph with the section and number a record cites it by, and its sentences."""
    return [
        (section_id, number, paragraph, Sentences(paragraph))
        for section_id, _, paragraphs in chapter.sections
        for number, paragraph in enumerate(paragraphs, 1)
    ]


def _name_places(paragraphs: list[_Paragraph], ordinary: frozenset[str]) -> list[_NamePlace]:
    """Pass 1: every name run, with the sentence it stands in (its mention's quote)."""
    return [
        (section_id, number, split.at(run.start), run)
        for section_id, number, paragraph, split in paragraphs
        for run in name_runs(paragraph, ordinary)
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


def _mention(entity: _Entity, place: _NamePlace) -> None:
    """Record a mention, and the word before it: guess_type reads the cues ("in", "activist")."""
    entity.mentions.append(place[:3])
    entity.cues.add(place[3].cue)


def _index_full_names(index: _EntityIndex, places: list[_NamePlace]) -> list[_NamePlace]:
    """Names of several words, acronyms and words already known become mentions at once; the other
    single words are returned, to be judged once every full name (and so every surname) is known."""
    singles: list[_NamePlace] = []
    for place in places:
        run = place[3]
        if " " not in run.name and fold(run.name) not in index.by_key and not run.acronym:
            singles.append(place)
            continue
        entity = index.entity_for(run)
        if run.acronym and run.acronym not in entity.aliases:
            entity.aliases.append(run.acronym)
            index.by_key.setdefault(fold(run.acronym), fold(entity.name))
        _mention(entity, place)
    return singles


def _person_surnames(entities: dict[str, _Entity], country: str) -> dict[str, str]:
    """Folded surname -> entity key, for names guessed to be people's: the report names them again by surname."""
    surnames: dict[str, str] = {}
    for key, entity in entities.items():
        parts = entity.name.split()
        if len(parts) >= 2 and guess_type(entity.name, entity.cues, country)[0] == "person":
            surnames.setdefault(fold(strip_possessive(parts[-1])), key)
    return surnames


def _single_word_entity(
    index: _EntityIndex, run: NameRun, surnames: dict[str, str], mid_sentence: set[str]
) -> _Entity | None:
    """The entity a single word names: a known name or acronym, a person's surname (kept as an alias),
    or a name of its own if it is ever capitalised mid-sentence; None for an ordinary word."""
    key = fold(run.name)
    if key in index.by_key:
        return index.entities[index.by_key[key]]
    if key in surnames:
        entity = index.entities[surnames[key]]
        if run.name not in entity.aliases:
            entity.aliases.append(run.name)
        return entity
    if key in mid_sentence:
        return index.entity_for(run)
    return None


def _find_entities(places: list[_NamePlace], country: str) -> dict[str, _Entity]:
    """Entities by folded name, from every name run: full names first, then the single words (pass 2),
    which are mostly acronyms or surnames of names already found."""
    index = _EntityIndex()
    singles = _index_full_names(index, places)
    surnames = _person_surnames(index.entities, country)
    # A lone capitalised word seen only at sentence starts is most likely an ordinary word ("Residents ...").
    mid_sentence = {fold(place[3].name) for place in singles if not place[3].initial}
    for place in singles:
        entity = _single_word_entity(index, place[3], surnames, mid_sentence)
        if entity is not None:
            _mention(entity, place)
    return index.entities


def _entity_records(
    entities: dict[str, _Entity], country: str, budget: Budget
) -> tuple[list[dict[str, Any]], dict[tuple[str, int, str], list[str]]]:
    """The entities as corpus records, and the ids mentioned in each (section, paragraph, sentence):
    an event lists the entities of the sentence it quotes."""
    ids = Ids()
    records: list[dict[str, Any]] = []
    ids_by_place: dict[tuple[str, int, str], list[str]] = {}
    for entity in entities.values():
        kind, why = guess_type(entity.name, entity.cues, country)
        entity_id = ids.unique(_id_slug(entity.name))
        mentions = list(dict.fromkeys(entity.mentions))
        budget.spend(entity.name, *entity.aliases, *(quote for _, _, quote in mentions))
        for mention in mentions:
            ids_by_place.setdefault(mention, []).append(entity_id)
        records.append(
            {
                "id": entity_id,
                "type": kind,
                "name": entity.name,
                "aliases": entity.aliases,
                "role": f"{UNREVIEWED}{kind} guessed by kz ingest from {why}",
                "mentions": [{"section": s, "paragraph": n, "quote": q} for s, n, q in mentions],
            }
        )
    return records, ids_by_place


def _event_records(
    paragraphs: list[_Paragraph], year: int, ids_by_place: dict[tuple[str, int, str], list[str]], budget: Budget
) -> list[dict[str, Any]]:
    """One event per date candidate, quoting its sentence and listing the entities named there."""
    events: list[dict[str, Any]] = []
    ids = Ids()
    for section_id, number, paragraph, split in paragraphs:
        for candidate in find_dates(paragraph, year):
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
                    # The year of a bare month or day is the chapter's own ("Events of 2020"), not read from context.
                    "inferred": None,
                    "date_note": None,
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
    for section_id, number, paragraph, split in paragraphs:
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
                    "id": ids.unique(f"{section_id}-p{number}-{_id_slug(item.text)}"),
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


def _notes(chapter: Chapter, source_file: str) -> list[dict[str, str]]:
    """What a reader of the draft must know: nothing is reviewed, what was left out, how dates were read."""
    year = chapter.year
    notes = [
        {
            "id": "unreviewed",
            "text": (
                f"Generated by `kz ingest` from {source_file}. Sections and paragraphs are the source's text; "
                "events, entities and figures are machine candidates, each quoting the sentence it was found in, "
                "and none has been reviewed by a person: every summary, role and description starts with "
                "'unreviewed:'. Entity types are guesses from the words of the name and the word before it."
            ),
        },
        {
            "id": "page-furniture",
            "text": "Lines before the body, not in any section: " + " | ".join(chapter.furniture),
        },
        {
            "id": "dates",
            "text": (
                f"Months and days given without a year are taken as {year}. Ranges ('between X and Y', "
                "'from X to Y', 'Month D and D') have an end at the coarser precision of their two ends; "
                "'since YYYY' is ongoing, with no end; 'mid-Month' has month precision."
            ),
        },
    ]
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


def build_corpus(chapter: Chapter, source_file: str) -> dict[str, Any]:
    """The corpus document for a parsed chapter; every candidate marked unreviewed.

    UsageError when it would be larger than kz loads (``Budget``).
    """
    everything = "\n".join(p for _, _, paragraphs in chapter.sections for p in paragraphs)
    budget = Budget(source_file)
    budget.spend(everything)
    ordinary = lower_case_words(everything)
    paragraphs = _paragraphs(chapter)
    places = _name_places(paragraphs, ordinary)
    entities, ids_by_place = _entity_records(_find_entities(places, chapter.country), chapter.country, budget)
    # "© 2020 REUTERS/...": a photo credit's copyright year is not an event, nor its numbers figures.
    text_paragraphs = [p for p in paragraphs if not _CREDIT_RE.match(p[2])]
    year = chapter.year
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
        "events": _event_records(text_paragraphs, year, ids_by_place, budget),
        "figures": _figure_records(text_paragraphs, ordinary, budget),
        "notes": _notes(chapter, source_file),
        "left_out": [],
    }


def read_chapter(path: str) -> str:
    """The chapter's text; every OS or encoding failure becomes a one-line UsageError."""
    raw = read_given(path, MAX_CHAPTER_BYTES)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text (byte {exc.start})") from None


def ingest(text: str, source_file: str) -> dict[str, Any]:
    """A validated draft corpus from a chapter's text, no larger than kz loads (else UsageError)."""
    document = build_corpus(parse_chapter(text), source_file)
    # As kz writes it (UTF-8, indented; nothing to escape in a valid corpus) and reads it back.
    if len(json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")) + 1 > MAX_CORPUS_BYTES:
        raise too_large(source_file)
    problems = validate(document)
    if problems:  # a bug in ingest, never the user's: say so rather than write a broken file
        raise CorpusError(source_file, f"ingest built an invalid corpus: {problems[0]}")
    return document
