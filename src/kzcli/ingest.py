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
from kzcli.dates import MONTH_KEYS, find_dates
from kzcli.document import MAX_CORPUS_BYTES, read_bounded
from kzcli.drafting import Budget, Ids, Sentences, too_large
from kzcli.errors import CorpusError, UsageError
from kzcli.scan import FUNCTION_WORDS, Found, lower_case_words, opens_sentence, scan
from kzcli.text import NUMBER_VALUES, fold, slug
from kzcli.validation import validate

MAX_CHAPTER_BYTES = 8 * 1024 * 1024
UNREVIEWED = "unreviewed: "
SUMMARY_CHARS = 160
# The note saying invisible characters were taken out of the chapter's text.
REMOVED_NOTE = "invisible-characters"

_YEAR_LINE_RE = re.compile(r"^Events of ((?:19|20)\d{2})$")
_CREDIT_RE = re.compile(r"^(?:©|\(c\)\s|Photo(?:graph)?:\s)", re.IGNORECASE)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PERSON_TITLES = _wordset(
    "President Prime Minister Deputy Mr Mrs Ms Dr Judge Prosecutor General Activist Journalist "
    "Blogger Lawyer Senator Ambassador Commissioner Rapporteur Chairman Chairwoman Chair Governor "
    "Mayor Speaker Editor Reporter Professor Defender Officer Director Head Leader Spokesperson "
    "Spokesman Spokeswoman Poet Writer"
)
_LAW_WORDS = _wordset(
    "Law Laws Code Convention Covenant Protocol Act Constitution Charter Treaty Declaration "
    "Amendment Amendments Decree Resolution Article Bill Principles Rules Guidelines Regulations "
    "Statute Agreement"
)
_ORG_WORDS = _wordset(
    "Court Courts Ministry Committee Council Party Union Commission Office Bureau Service Police "
    "Parliament Government Agency Organization Organisation Association Movement Foundation Fund "
    "Group Bank Nations Watch Network Center Centre Institute Federation Department Coalition Front "
    "Alliance Assembly Senate Mazhilis Company Corporation University School Prison Colony Army "
    "Forces Guard Procuracy Secretariat Mission Delegation Board Authority Authorities Church "
    "Community Club Society Unit Team Media Radio Television TV News Inc Ltd LLP Choice State Review "
    "Partnership Programme Program Plan Strategy Initiative Info Times Post Press Daily Channel "
    "Portal"
)
_PLACE_CUES = _wordset("in from to near across throughout into outside inside around")
_NAME_JOINERS = ("of", "on", "for", "the", "of the", "for the", "on the", "against", "de", "and", "in", "in the")
# Joiners that only continue a name already joined by of/on/for ("... Co-operation in Europe").
_INSTITUTION_ONLY_JOINERS = ("and", "in", "in the")
# Capitalised words that open a sentence without being names (when the text never uses them in lower case).
_NOT_NAMES = (
    _wordset(
        "he she it we they i you his her its our their him them this that these those there here however "
        "but and yet also then thus still meanwhile moreover instead nevertheless yes no"
    )
    | FUNCTION_WORDS
)
_COMPOUND_SUFFIX_RE = re.compile(r"-(?:based|related|led|run|owned|backed|born|style|linked|affiliated)$")


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


# --- dates ------------------------------------------------------------------------


# --- names ------------------------------------------------------------------------


@dataclass
class NameRun:
    name: str
    start: int
    end: int
    acronym: str | None
    cue: str  # the word before the name, lower-cased ("in", "activist", ...)
    initial: bool  # opens a sentence, where any word is capitalised


# A name opening a sentence (where any word is capitalised): what may follow the sentence's
# end ("." and closing quotes or brackets) and precede the name (an opening one).
_CLOSERS, _OPENERS = '"\u201d\u2019)]', '"\u201c\u2018(['


def _strip_possessive(word: str) -> str:
    return re.sub(r"[\u2019']s$", "", word)


def _joined_runs(paragraph: str, words: list[Found]) -> list[list[Found]]:
    """Capitalised words joined where a space, a hyphen or a joining word stands between them."""
    runs: list[list[Found]] = []
    # Whether each run is already joined by of/on/for (what lets "and"/"in" join more): kept
    # as the run grows, where searching its whole text at every word was quadratic.
    institutional: list[bool] = []
    for word in words:
        if runs:
            previous = runs[-1][-1]
            gap = paragraph[previous.end : word.start]
            joiner = gap.strip().lower()
            possessive = bool(re.search(r"[\u2019']s$", previous.text))
            joined_by_word = gap.startswith(" ") and gap.endswith(" ") and joiner in _NAME_JOINERS
            adjacent = not possessive and (gap in (" ", "-") or joined_by_word)
            if adjacent and (joiner not in _INSTITUTION_ONLY_JOINERS or institutional[-1]):
                runs[-1].append(word)
                institutional[-1] = institutional[-1] or bool(_INSTITUTION_JOINER_RE.search(gap))
                continue
        runs.append([word])
        institutional.append(False)
    return runs


def name_runs(paragraph: str, ordinary: frozenset[str]) -> list[NameRun]:
    """Capitalised words joined into names: "Asya Tulesova", "Ministry of Internal Affairs"."""
    found: list[NameRun] = []
    for whole in _joined_runs(paragraph, [f for f in scan(paragraph, ordinary) if f.kind == "name"]):
        titles = 0
        while titles < len(whole) - 1 and whole[titles].text in _PERSON_TITLES:
            titles += 1
        run = whole[titles:]
        if len(run) == 1 and run[0].text in _PERSON_TITLES:
            continue
        start, end = run[0].start, run[-1].end
        name = _COMPOUND_SUFFIX_RE.sub("", _strip_possessive(paragraph[start:end]))
        if len(name) < 2 or fold(name) in MONTH_KEYS or fold(name) in _NOT_NAMES:
            continue
        acronym_match = _ACRONYM_RE.match(paragraph, end)
        acronym = acronym_match.group("acronym") if acronym_match and len(run) > 1 else None
        cue = _word_before(paragraph, start).lower()
        initial = opens_sentence(paragraph, start, _OPENERS, _CLOSERS, quoted_start=True)
        found.append(NameRun(name, start, start + len(name), acronym, cue, initial))
    return found


_INSTITUTION_JOINER_RE = re.compile(r"\s(?:of|on|for)\s")
_UNIT_RE = re.compile(r"\s+(?:of\s+)?([a-z][\w-]*)")
_ACRONYM_RE = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&.\-]*[A-Z0-9])\)")


def _word_before(paragraph: str, start: int) -> str:
    """The run of ASCII letters before ``start``, past any non-word characters ("in" of "in Almaty"),
    or "" when a digit, an underscore or another letter comes first. Read backwards: the work is
    the gap and the word, not the paragraph before them."""
    stop = start
    while stop > 0 and not (paragraph[stop - 1].isalnum() or paragraph[stop - 1] == "_"):
        stop -= 1
    begin = stop
    while begin > 0 and paragraph[begin - 1].isascii() and paragraph[begin - 1].isalpha():
        begin -= 1
    return paragraph[begin:stop]


def guess_type(name: str, cues: set[str], country: str = "") -> tuple[str, str]:
    """(type, why) for a name, from its words and the words before its mentions."""
    if country and fold(name) == fold(country):
        return "place", "the chapter's country"
    words = [_strip_possessive(w) for w in re.split(r"[\s-]+", name)]
    singular = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words]
    if any(w in _LAW_WORDS for w in words + singular):
        return "law", "a legal word in the name"
    if any(w in _ORG_WORDS for w in words + singular) or re.fullmatch(r"[A-Z][A-Z0-9&.]+", name):
        return "organization", "an institutional word or an acronym"
    if name.endswith("stan") or cues & _PLACE_CUES:
        return "place", "a place word before it (in, from, to...)"
    if len(words) >= 2 and all(w[:1].isupper() for w in words):
        return "person", "a name of two or more capitalised words"
    return "organization", "nothing else fitted"


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
            surnames.setdefault(fold(_strip_possessive(parts[-1])), key)
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
            figures.append(
                {
                    "id": ids.unique(f"{section_id}-p{number}-{_id_slug(item.text)}"),
                    "value": number_value(item.text),
                    "text": item.text,
                    "unit": unit.group(1) if unit else "",
                    "what": what,
                    "section": section_id,
                    "paragraph": number,
                    "quote": quote,
                }
            )
    return figures


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
    try:
        raw = read_bounded(path, MAX_CHAPTER_BYTES)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None
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
