"""Citations of the report that point at a place in it: a section, a paragraph, an event's or an entity's quote.

A target is resolved in this order, so the most specific reading wins:
``SECTION:PARAGRAPH`` (``torture:2``), an explicit ``section:``/``event:``/
``entity:``/``person:``/``figure:`` prefix, an exact event or figure id, an
exact section id or title, an entity name (fuzzy, via kzcli.entities.resolve),
then a fuzzy section title (kzcli.sections.resolve_section).

Search hits, timeline events and profile mentions carry a ``cite`` key in their
JSON records whose value is a target this module resolves.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kzcli.corpus import Corpus, Section
from kzcli.errors import NotFoundError, UsageError
from kzcli.sections import PARAGRAPH_REF_RE, check_paragraph
from kzcli.text import fold, slug

STYLES = ("plain", "bibtex", "csl-json")
# Names offered as "did you mean" when nothing matches: closer than kz person's suggestions,
# since a citation target may be a section or an id as well as a name.
SUGGEST_SCORE = 70.0

# Event ids start with their date ("2020-08-12-tulesova-convicted").
_EVENT_ID_RE = re.compile(r"^\d{4}(?:-\d{2}){0,2}-[a-z]")
_PREFIX_RE = re.compile(r"^(?P<kind>section|event|entity|person|figure)\s*:\s*(?P<rest>.*\S)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Place:
    """What a citation points at."""

    kind: str  # section | paragraph | event | entity | figure
    target: str  # the canonical target string (what `kz cite` accepts back)
    section: Section
    paragraph: int | None
    quote: str | None
    label: str | None  # the event's summary, the entity's or figure's name


def resolve_target(corpus: Corpus, target: str) -> Place:
    """The place ``target`` names; UsageError if empty, NotFoundError if nothing matches."""
    text = target.strip()
    if not text:
        raise UsageError("a citation target is needed: a section, SECTION:PARAGRAPH, an event id or a name")
    prefixed = _PREFIX_RE.match(text)
    if prefixed:
        kind, rest = prefixed.group("kind").lower(), prefixed.group("rest")
        if kind != "section" or not PARAGRAPH_REF_RE.match(rest):
            return _explicit(corpus, kind, rest)
        text = rest
    return _by_paragraph(corpus, text) or _by_id(corpus, text) or _by_name(corpus, text)


def _by_paragraph(corpus: Corpus, text: str) -> Place | None:
    """``SECTION:PARAGRAPH``; a paragraph reference gone wrong is refused, never widened to a section."""
    if text.endswith((":", "¶", "#")):
        raise UsageError(f"{text!r} needs a paragraph number after it, e.g. `kz cite torture:2`")
    numbered = PARAGRAPH_REF_RE.match(text)
    if numbered:
        return paragraph_place(corpus, _section(corpus, numbered.group("section")), int(numbered.group("number")))
    if ":" in text:
        # "torture:-1", "torture:2.5": a paragraph reference gone wrong, never a section to cite whole.
        raise UsageError(f"{text!r}: give SECTION:PARAGRAPH with a paragraph number, e.g. `kz cite torture:2`")
    return None


def _by_id(corpus: Corpus, text: str) -> Place | None:
    """An exact event or figure id, or an exact section id or title."""
    if any(event.id == text for event in corpus.events):
        return _event_place(corpus, text)
    if any(figure.id == text for figure in corpus.figures):
        return _figure_place(corpus, text)
    if _EVENT_ID_RE.match(text):
        close = [e.id for e in corpus.events if e.id.startswith(text[:7])][:3]
        hint = f"; events of that month: {', '.join(close)}" if close else ""
        raise NotFoundError(f"no event with id {text!r}{hint}")
    wanted = fold(text).strip()
    for section_id, title in corpus.section_titles():
        if wanted in (fold(section_id), fold(title)):
            return section_place(corpus.section(section_id))
    return None


def _by_name(corpus: Corpus, text: str) -> Place:
    """An entity's name or a section's title, whichever fits; asked back when both or several do."""
    from kzcli.names import resolve
    from kzcli.sections import WORD_MATCH, rank_sections

    resolution = resolve(corpus, text)
    # Only sections whose title holds what was typed compete with a name ("labor", "freedom").
    sections = [s for score, s in rank_sections(corpus, text) if score >= WORD_MATCH]
    exact_name = resolution.entity is not None and resolution.candidates[0].score >= 100.0
    if resolution.entity is not None and (exact_name or not sections):
        return _entity_place(corpus, resolution.entity.id)
    if sections and resolution.entity is None and not resolution.ambiguous:
        return section_place(_section(corpus, text))
    if sections or resolution.ambiguous:
        # A citation goes into print: when the words fit several places, ask.
        if resolution.entity is not None:
            named = [resolution.entity]
        else:
            named = [c.entity for c in resolution.candidates] if resolution.ambiguous else []
        options = [f"section:{s.id}" for s in sections] + [f"entity:{e.name}" for e in named]
        raise NotFoundError(
            f"{text!r} could be several: {'; '.join(options)}; say which, e.g. `kz cite '{options[-1]}'`"
        )
    close = [c.entity.name for c in resolution.candidates if c.score >= SUGGEST_SCORE]
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise NotFoundError(
        f"nothing in the report matches {text!r}: not a section, SECTION:PARAGRAPH, event id or name{hint}"
    )


def _section(corpus: Corpus, name: str) -> Section:
    from kzcli.sections import resolve_section

    return resolve_section(corpus, name)


def _explicit(corpus: Corpus, kind: str, rest: str) -> Place:
    if kind == "section":
        return section_place(_section(corpus, rest))
    if kind == "event":
        if not any(e.id == rest for e in corpus.events):
            raise NotFoundError(f"no event with id {rest!r}; see `kz timeline --json`")
        return _event_place(corpus, rest)
    if kind == "figure":
        if not any(f.id == rest for f in corpus.figures):
            raise NotFoundError(f"no figure with id {rest!r}; see `kz figures --json`")
        return _figure_place(corpus, rest)
    from kzcli.names import resolve

    types = ("person",) if kind == "person" else None
    resolution = resolve(corpus, rest, types)
    if resolution.entity is None:
        raise NotFoundError(f"no single {kind} matches {rest!r}; try `kz {kind} {rest}`")
    return _entity_place(corpus, resolution.entity.id)


def section_place(section: Section) -> Place:
    return Place("section", section.id, section, None, None, None)


def paragraph_place(corpus: Corpus, section: Section, number: int) -> Place:
    check_paragraph(section, number)
    return Place("paragraph", f"{section.id}:{number}", section, number, None, None)


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


# --- styles ---------------------------------------------------------------------


def report_year(corpus: Corpus) -> int | None:
    """The publication year: the series' year ("World Report 2021"), else the year after the period."""
    found = re.search(r"\b(\d{4})\b", corpus.report.series)
    if found:
        return int(found.group(1))
    period = re.match(r"^(\d{4})", corpus.report.period)
    return int(period.group(1)) + 1 if period else None


# Parts of the report printed under no heading: cited by what they are, not by kz's label.
_UNTITLED = {"overview": "untitled opening", "photo": "photo caption and credit"}


def _locator(place: Place) -> str:
    """'section "Torture", paragraph 2' — where in the report."""
    untitled = _UNTITLED.get(place.section.id)
    where = untitled if untitled is not None else f"section \u201c{place.section.title}\u201d"
    if place.paragraph is not None:
        where += f", paragraph {place.paragraph}"
    return where


def plain(corpus: Corpus, place: Place) -> str:
    """Human Rights Watch, “Kazakhstan: Events of 2020,” in World Report 2021 (Human Rights Watch, 2021), ..."""
    r = corpus.report
    year = report_year(corpus)
    published = f"{r.publisher}, {year}" if year else r.publisher
    text = f"{r.publisher}, \u201c{r.title},\u201d in {r.series} ({published}), {_locator(place)}"
    if place.quote:
        # Plain text, as kz prints it elsewhere: the report's no-break spaces as spaces.
        quote = nest_quotes(place.quote.replace("\u00a0", " "))
        text += f": \u201c{quote}\u201d"
        if quote.rstrip("\u2019\u201d")[-1:] in (".", "?", "!"):
            return text  # the quote's own full stop ends the citation: no second one
    return text + "."


def citation_key(corpus: Corpus, place: Place) -> str:
    """A BibTeX / CSL id: hrw2021-kazakhstan-torture-2."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", corpus.report.publisher)).lower() or "report"
    year = report_year(corpus) or ""
    target = place.target.replace(":", "-")
    raw = f"{initials}{year}-{corpus.report.country}-{target}"
    return slug(raw)


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
    # TeX's own quotation marks and tie: classic BibTeX styles need no Unicode for them.
    "\u201c": "``",
    "\u201d": "''",
    "\u2018": "`",
    "\u2019": "'",
    "\u00a0": "~",
}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


# Quotation marks for a quotation inside the quote, and for one inside that.
PLAIN_MARKS = (("\u2018", "\u2019"), ("\u201c", "\u201d"))
TEX_MARKS = (("`", "'"), ("``", "''"))


def nest_quotes(text: str, marks: tuple[tuple[str, str], tuple[str, str]] = PLAIN_MARKS) -> str:
    """A quote's own quotation marks one level in, for printing it inside quotation marks:
    “...” becomes ‘...’ (TeX: `...'), and ‘...’ within those becomes “...” (TeX: ``...'').

    A ’ before a letter is an apostrophe (Kazakhstan’s), a ‘ before a digit an
    elision (‘90s): both stay as they are, and so does a ‘...’ outside any “...”,
    which is one level in already.
    """
    (single_open, single_close), (double_open, double_close) = marks
    out: list[str] = []
    doubles = singles = 0
    for i, char in enumerate(text):
        after = text[i + 1 : i + 2]
        if char == "\u201c":
            doubles += 1
            out.append(single_open)
        elif char == "\u201d" and doubles:
            doubles -= 1
            out.append(single_close)
        elif char == "\u2018" and doubles and not after.isdigit():
            singles += 1
            out.append(double_open)
        elif char == "\u2019" and singles and not after.isalpha():
            singles -= 1
            out.append(double_close)
        else:
            out.append(char)
    return "".join(out)


def bibtex(corpus: Corpus, place: Place) -> str:
    r = corpus.report
    note = bibtex_escape(_locator(place))
    if place.quote:
        inner = bibtex_escape(nest_quotes(place.quote, TEX_MARKS))
        # ' then '' would read as one mark: a thin space (\,) keeps them apart.
        closing = "\\,''" if inner.endswith("'") else "''"
        note += f": ``{inner}{closing}"
    fields = [
        ("author", f"{{{bibtex_escape(r.publisher)}}}"),
        ("title", bibtex_escape(r.title)),
        ("booktitle", bibtex_escape(r.series)),
        ("publisher", bibtex_escape(r.publisher)),
    ]
    year = report_year(corpus)
    if year:
        fields.append(("year", str(year)))
    fields.append(("note", note))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{citation_key(corpus, place)},\n{body}\n}}"


def csl_item(corpus: Corpus, place: Place) -> dict[str, object]:
    """One CSL-JSON item (a chapter of the series); kz's locator goes in ``custom``."""
    r = corpus.report
    note = _locator(place)
    if place.quote:
        note += f": \u201c{nest_quotes(place.quote)}\u201d"
    item: dict[str, object] = {
        "id": citation_key(corpus, place),
        "type": "chapter",
        "title": r.title,
        "container-title": r.series,
        "publisher": r.publisher,
        "author": [{"literal": r.publisher}],
        "section": _UNTITLED.get(place.section.id, place.section.title),
        "note": note,
    }
    year = report_year(corpus)
    if year:
        item["issued"] = {"date-parts": [[year]]}
    item["custom"] = {
        "kz_target": place.target,
        "kind": place.kind,
        "section_id": place.section.id,
        "paragraph": place.paragraph,
        "quote": place.quote,
    }
    return item


def cite(corpus: Corpus, target: str, style: str = "plain", ascii_only: bool = False) -> str:
    """The citation of ``target`` in ``style`` (plain, bibtex or csl-json), without a final newline.

    ``ascii_only`` escapes CSL-JSON for an output that cannot encode UTF-8.
    """
    place = resolve_target(corpus, target)
    if style == "csl-json":
        return json.dumps([csl_item(corpus, place)], ensure_ascii=ascii_only, indent=2)
    return {"plain": plain, "bibtex": bibtex}[style](corpus, place)
