"""A place in the report (``kzcli.cite``) written as a citation: plain, BibTeX, CSL-JSON or pandoc.

One work is cited, the chapter, under one key (``hrw2021-kazakhstan``) in every
style. A place in it is a locator of that work, never a work of its own, so
citeproc, pandoc and reference managers merge three cited places into one
bibliography entry, as they merge three pages of one book.

Paragraph numbers start again in each section, so a paragraph's locator names
its section after the number: CSL ``label: paragraph``, ``locator: "2"``,
``suffix: ", sec. Torture"``; pandoc ``[@hrw2021-kazakhstan, para. 2, sec. Torture]``;
a section alone is ``label: section``, ``locator: "Torture"``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from kzcli.cite import Place, resolve_target
from kzcli.corpus import Corpus
from kzcli.errors import UsageError
from kzcli.publication import where_published
from kzcli.text import slug

STYLES = ("plain", "bibtex", "csl-json", "pandoc")

# Parts of the report printed under no heading: cited by what they are, not by kz's label.
_UNTITLED = {"overview": "untitled opening", "photo": "photo caption and credit"}

_ISO_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Work:
    """The chapter as a bibliography names it: the same for every place cited in it."""

    key: str
    author: str
    title: str
    series: str
    publisher: str
    year: int | None
    url: str | None
    place: str | None  # of publication: "New York"
    accessed: date | None


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in the work: ``label`` is a CSL locator label, ``value`` what it labels."""

    label: str  # paragraph | section
    value: str  # "2", "2–3", "Torture"
    section: str | None = None  # a paragraph's section, said after it: "sec. Torture", "untitled opening"


def report_year(corpus: Corpus) -> int | None:
    """The publication year: the series' year ("World Report 2021"), else the year after the period."""
    found = re.search(r"\b(\d{4})\b", corpus.report.series)
    if found:
        return int(found.group(1))
    period = re.match(r"^(\d{4})", corpus.report.period)
    return int(period.group(1)) + 1 if period else None


def citation_key(corpus: Corpus) -> str:
    """The one BibTeX / CSL / pandoc key of the chapter: hrw2021-kazakhstan."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", corpus.report.publisher)).lower() or "report"
    return slug(f"{initials}{report_year(corpus) or ''}-{corpus.report.country}")


def accessed_date(text: str) -> date:
    """``--accessed``: a day written YYYY-MM-DD that exists; UsageError (exit 2) otherwise."""
    try:
        if _ISO_DAY_RE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"--accessed {text!r}: give the day as YYYY-MM-DD, e.g. 2021-01-13")


def accessed_between(corpus: Corpus, day: date, today: date | None = None) -> date:
    """``day`` if the chapter could have been read online then: not before its publication year, not
    after today (a day ahead allowed: the reader's calendar may be ahead of this machine's); else UsageError."""
    from datetime import timedelta

    published = report_year(corpus)
    if published is not None and day.year < published:
        raise UsageError(f"--accessed {day.isoformat()} is before the chapter was published ({published})")
    today = today or date.today()
    if day > today + timedelta(days=1):
        raise UsageError(f"--accessed {day.isoformat()} is in the future (today is {today.isoformat()})")
    return day


def work_of(corpus: Corpus, accessed: date | None = None) -> Work:
    r = corpus.report
    url, place = where_published(r)
    return Work(
        citation_key(corpus), r.publisher, r.title, r.series, r.publisher, report_year(corpus), url, place, accessed
    )


def locator_of(place: Place) -> Locator | None:
    """The place as a locator of the chapter; None for the whole chapter."""
    if place.section is None:
        return None
    untitled = _UNTITLED.get(place.section.id)
    if place.paragraph is None:
        return Locator("section", untitled or place.section.title)
    value = f"{place.paragraph}\u2013{place.last}" if place.last is not None else str(place.paragraph)
    return Locator("paragraph", value, untitled or f"sec. {place.section.title}")


def passage(corpus: Corpus, place: Place) -> str | None:
    """The words a citation quotes: an event's, entity's or figure's quote, a paragraph target's whole text."""
    if place.quote:
        return place.quote
    if place.kind == "paragraph" and place.section is not None and place.paragraph is not None:
        return corpus.paragraph(place.section.id, place.paragraph)
    return None


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


# --- plain ----------------------------------------------------------------------


def _where(place: Place) -> list[str]:
    """'section “Torture”', 'paragraph 2' (or 'paragraphs 2–3'): the parts of a place, for ``_joined``."""
    if place.section is None:
        return []
    untitled = _UNTITLED.get(place.section.id)
    parts = [untitled if untitled is not None else f"section \u201c{place.section.title}\u201d"]
    if place.last is not None:
        parts.append(f"paragraphs {place.paragraph}\u2013{place.last}")
    elif place.paragraph is not None:
        parts.append(f"paragraph {place.paragraph}")
    return parts


def _joined(parts: list[str], end: str) -> str:
    """Parts joined by commas, and ``end`` after them, a comma or full stop going inside a closing
    quotation mark, as in the rest of the citation (“Kazakhstan: Events of 2020,”)."""
    text = ""
    for part, mark in zip(parts, [","] * (len(parts) - 1) + [end], strict=True):
        text += part
        if mark in (",", ".") and text.endswith("\u201d"):
            text = text[:-1] + mark + "\u201d"
        else:
            text += mark
        if mark == ",":
            text += " "
    return text


def plain(corpus: Corpus, place: Place, work: Work) -> str:
    """Human Rights Watch, “Kazakhstan: Events of 2020,” in World Report 2021 (New York: Human Rights
    Watch, 2021), section “Torture,” paragraph 2, https://...: “the paragraph's words”"""
    published = ", ".join(str(p) for p in (work.publisher, work.year) if p)
    if work.place:
        published = f"{work.place}: {published}"
    parts = [f"{work.author}, \u201c{work.title},\u201d in {work.series} ({published})", *_where(place)]
    if work.url:
        parts.append(work.url)
    if work.accessed:
        parts.append(f"accessed {_long_date(work.accessed)}")
    quoted = passage(corpus, place)
    if not quoted:
        return _joined(parts, ".")
    # Plain text, as kz prints it elsewhere: the report's no-break spaces as spaces.
    quote = nest_quotes(quoted.replace("\u00a0", " "))
    text = _joined(parts, ":") + f" \u201c{quote}\u201d"
    # The quote's own full stop ends the citation: no second one.
    return text if quote.rstrip("\u2019\u201d")[-1:] in (".", "?", "!") else text + "."


def nest_quotes(text: str) -> str:
    """A quote's own quotation marks one level in, for printing it inside quotation marks:
    “...” becomes ‘...’, and ‘...’ within those becomes “...”.

    A ’ before a letter is an apostrophe (Kazakhstan’s), a ‘ before a digit an
    elision (‘90s): both stay as they are, and so does a ‘...’ outside any “...”,
    which is one level in already.
    """
    (single_open, single_close), (double_open, double_close) = ("\u2018", "\u2019"), ("\u201c", "\u201d")
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


# --- BibTeX ---------------------------------------------------------------------

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
    "\u2013": "--",
}


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in text)


def bibtex_entry(work: Work) -> str:
    """The chapter's entry: the same for every place cited in it."""
    fields = [
        ("author", f"{{{bibtex_escape(work.author)}}}"),
        ("title", bibtex_escape(work.title)),
        ("booktitle", bibtex_escape(work.series)),
        ("publisher", bibtex_escape(work.publisher)),
    ]
    if work.place:
        fields.append(("address", bibtex_escape(work.place)))
    if work.year:
        fields.append(("year", str(work.year)))
    if work.url:
        fields.append(("url", work.url))  # kz's own address table: no TeX specials to escape
    if work.accessed:
        fields.append(("urldate", work.accessed.isoformat()))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@incollection{{{work.key},\n{body}\n}}"


def tex_cite(place: Place, work: Work) -> str:
    r"""\cite[para.~2, sec.~Torture]{hrw2021-kazakhstan}: how a LaTeX text cites the place."""
    locator = locator_of(place)
    if locator is None:
        return f"\\cite{{{work.key}}}"
    words = [_short_label(locator) + "~" + bibtex_escape(locator.value)]
    if locator.section is not None:
        words.append(bibtex_escape(locator.section).replace("sec. ", "sec.~", 1))
    # An @ outside an entry would start one for BibTeX: none stands in the hint line.
    return f"\\cite[{', '.join(words).replace('@', '(at)')}]{{{work.key}}}"


def bibtex(corpus: Corpus, place: Place, work: Work) -> str:
    """The hint line (a comment, which BibTeX skips) that cites the place, then the chapter's entry."""
    return f"% {tex_cite(place, work)}\n{bibtex_entry(work)}"


def _short_label(locator: Locator) -> str:
    """The abbreviation CSL's English terms print for the label: para., paras., sec."""
    if locator.label == "section":
        return "sec."
    return "paras." if "\u2013" in locator.value else "para."


# --- CSL-JSON and pandoc --------------------------------------------------------


def csl_item(work: Work) -> dict[str, object]:
    """The chapter as one CSL-JSON bibliography item."""
    item: dict[str, object] = {
        "id": work.key,
        "type": "chapter",
        "title": work.title,
        "container-title": work.series,
        "publisher": work.publisher,
        "author": [{"literal": work.author}],
    }
    if work.place:
        item["publisher-place"] = work.place
    if work.year:
        item["issued"] = {"date-parts": [[work.year]]}
    if work.url:
        item["URL"] = work.url
    if work.accessed:
        day = work.accessed
        item["accessed"] = {"date-parts": [[day.year, day.month, day.day]]}
    return item


def citation_item(place: Place, work: Work) -> dict[str, object]:
    """A CSL citation item: the chapter's id with the place as ``locator``, ``label`` and ``suffix``."""
    item: dict[str, object] = {"id": work.key}
    locator = locator_of(place)
    if locator is not None:
        item.update(locator=locator.value, label=locator.label)
        if locator.section is not None:
            item["suffix"] = f", {locator.section}"
    return item


def csl_json(corpus: Corpus, place: Place, work: Work) -> dict[str, object]:
    """``{"items": [the chapter], "citation": {...}, "place": {...}}``.

    ``items`` is the bibliography (what pandoc's ``--bibliography`` and
    citeproc-py's ``CiteProcJSON`` load); ``citation`` is a citation as
    citeproc-js takes it (``citationItems``, ``properties``); ``place`` is
    kz's own record of what was cited (its target and the passage).
    """
    return {
        "items": [csl_item(work)],
        "citation": {"citationItems": [citation_item(place, work)], "properties": {"noteIndex": 0}},
        "place": {
            "target": place.target,
            "kind": place.kind,
            "section": place.section.id if place.section else None,
            "paragraph": place.paragraph,
            "last_paragraph": place.last,
            "quote": passage(corpus, place),
        },
    }


# Characters pandoc's markdown could read as syntax inside a citation: written escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]@;*_`<>~^$#|])")


def pandoc(corpus: Corpus, place: Place, work: Work) -> str:
    """[@hrw2021-kazakhstan, para. 2, sec. Torture]: the citation as pandoc's markdown writes it."""
    locator = locator_of(place)
    if locator is None:
        return f"[@{work.key}]"
    words = [f"{_short_label(locator)} {locator.value}"]
    if locator.section is not None:
        words.append(locator.section)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", ", ".join(words))
    return f"[@{work.key}, {escaped}]"


def bibliography(work: Work, path: str) -> str:
    """The chapter's bibliography file for ``--bib``: a BibTeX entry for a ``.bib`` file, else a CSL-JSON array."""
    if path.lower().endswith(".bib"):
        return bibtex_entry(work) + "\n"
    return json.dumps([csl_item(work)], ensure_ascii=False, indent=2) + "\n"


def cite(
    corpus: Corpus, target: str | None, style: str = "plain", ascii_only: bool = False, accessed: date | None = None
) -> str:
    """The citation of ``target`` (None: the chapter) in ``style``, without a final newline."""
    return cite_place(corpus, resolve_target(corpus, target), style, ascii_only, accessed)


def cite_place(
    corpus: Corpus, place: Place, style: str = "plain", ascii_only: bool = False, accessed: date | None = None
) -> str:
    """The citation of a resolved place in ``style``; ``ascii_only`` escapes JSON for an output that
    cannot encode UTF-8."""
    work = work_of(corpus, accessed)
    if style == "csl-json":
        return json.dumps(csl_json(corpus, place, work), ensure_ascii=ascii_only, indent=2)
    return {"plain": plain, "bibtex": bibtex, "pandoc": pandoc}[style](corpus, place, work)
