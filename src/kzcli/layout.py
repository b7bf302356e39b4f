"""A chapter's layout, for ``kz ingest``: its furniture, country and year, headings and paragraphs.

Chapters come as the web edition prints them (``data/source.txt``: one
paragraph a line, ``COUNTRY`` then ``Events of YEAR``), as older editions do
(``World Report 2003``, a table-of-contents trail, all-caps headings, a
parent heading straight above a subheading), or hard-wrapped at 80 columns
with CRLF line ends. The rules, each a decision the issue left open:

- Blocks are runs of lines between blank lines. In a hard-wrapped text (no
  line longer than 100 characters, many near the longest) a short line ends
  a paragraph and the lines of a paragraph are joined by one space.
- A heading is a short title-like line; one ending in ":" counts when most
  of its words are capitalised ("Recommendations:", not "could mean:").
  Two heading lines in a row are a parent and its subheading; three or more
  are a list (a page's key sections), kept as paragraphs of the section
  they stand in, except the last when text follows it.
- The year is the ``Events of YEAR`` line's; failing that, one less than a
  ``World Report YEAR`` line's; failing that, the one given (``--year``),
  else the chapter is refused with a line saying so. A year given and a year
  read that differ: the given one is used, and a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kzcli.characters import INVISIBLE
from kzcli.drafting import Ids
from kzcli.errors import UsageError
from kzcli.scan import TITLE_SMALL_WORDS
from kzcli.text import slug

YEAR_LINE_RE = re.compile(r"^Events of ((?:19|20)\d{2})$", re.IGNORECASE)
_SERIES_RE = re.compile(r"^(?:Human Rights Watch\s+)?World Report ((?:19|20)\d{2})\b", re.IGNORECASE)
# Lines of a web page around the chapter, not its text.
_FURNITURE_RE = re.compile(
    r"^(?:Skip to main content|Table of Contents\b.*|.*\s>\s*|(?:Human Rights Watch\s+)?World Report (?:19|20)\d{2}.*"
    r"|Map|Printer[- ]friendly.*|en fran\u00e7ais|Key Sections)$",
    re.IGNORECASE,
)
# A web page's links among the chapter's lines, wherever they stand ("Map" under a heading): furniture.
_LINK_LINE_RE = re.compile(
    r"^(?:Map|Printer[- ]friendly(?: version)?|en fran\u00e7ais|Back to top|Top|Share this via [\w ]{1,20}"
    r"|Share this|Download (?:the )?(?:full report|PDF|chapter)|Print)$",
    re.IGNORECASE,
)
CREDIT_RE = re.compile(r"^(?:\u00a9|\(c\)\s|Photo(?:graph)?:\s)", re.IGNORECASE)
_WRAP_WIDTH = 100


@dataclass
class Chapter:
    country: str
    year: int
    furniture: list[str]
    sections: list[tuple[str, str, list[str]]] = field(default_factory=list)  # (id, title, paragraphs)
    removed: int = 0  # invisible characters taken out of the text (bidi controls, zero-width characters)
    # Every heading as the chapter gives it, in order, with its level (1 a heading, 2 a subheading).
    headings: list[tuple[str, int]] = field(default_factory=list)
    # What a reviewer should look at first: (what, why), e.g. a heading guessed or a year inferred.
    doubts: list[tuple[str, str]] = field(default_factory=list)
    year_source: str = "events-line"  # "events-line" | "series-line" | "given"


def id_slug(text: str) -> str:
    """``slug``, never empty: an id is needed even for a line of punctuation."""
    return slug(text) or "section"


def is_heading(line: str) -> bool:
    """A short title-like line: no sentence punctuation at its end or inside; a trailing ":" only
    when most of its words are capitalised."""
    if len(line) > 100 or len(line.split()) > 12:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if line[-1] in ":?" and line[-2:] not in ("::", "??"):
        # "Recommendations:", "Bucking the Trend?": short and capitalised like a title
        return len(line.split()) <= 8 and title_like(line[:-1]) and not re.search(r"[.!?;:]\s", line[:-1])
    if line[-1] in '.!?:;,"\u201d\u2019)\u2026':
        return False
    return not re.search(r"[.!?]\s", line)


def title_like(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", text) if w.lower() not in TITLE_SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) * 2 > len(words)


def lists_publications(heading: str) -> bool:
    """A section listing publications ("Relevant Human Rights Watch Reports:"): its title-like lines are
    titles, not text that names people or dates events."""
    return bool(re.search(r"\b(?:reports|publications)\b", heading, re.IGNORECASE))


def _clean_lines(text: str) -> tuple[list[str], int]:
    """The text's lines, stripped, blank ones kept as ""; and how many invisible characters went."""
    visible = re.sub(f"[{INVISIBLE}]", "", text)
    lines = [re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", line).strip() for line in visible.splitlines()]
    return lines, len(text) - len(visible)


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped: no line past 100 characters and many lines near the longest."""
    filled = [line for line in lines if line]
    if len(filled) < 4:
        return False
    width = max(len(line) for line in filled)
    if width > _WRAP_WIDTH or width < 40:
        return False
    long_lines = sum(len(line) >= 0.75 * width for line in filled)
    return long_lines >= max(3, len(filled) // 3)


def reflow(lines: list[str]) -> list[str]:
    """A hard-wrapped text's paragraphs: a blank line or a short line ends one; lines join with a space."""
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    current: list[str] = []

    def joined() -> str:
        # A line broken after a hyphen ("mid-" / "September") joins without a space.
        return "".join(a + ("" if re.search(r"\w-$", a) else " ") for a in current[:-1]) + current[-1]

    for line in [*lines, ""]:
        if not line:
            if current:
                out.append(joined())
                current = []
            continue
        short = len(line) < 0.75 * width or line.isupper()  # a wrapped paragraph's first line is long
        if not current and short and is_heading(line) and title_like(line):
            out.append(line)  # a heading, or an item of a list of titles, stands alone
            continue
        current.append(line)
        if len(line) < 0.6 * width:
            out.append(joined())
            current = []
    return out


def _year_of(lines: list[str], given: int | None, chapter_doubts: list[tuple[str, str]]) -> tuple[int, int, str]:
    """(year, index of the line that ends the furniture, where the year came from)."""
    marker = next((i for i, line in enumerate(lines) if YEAR_LINE_RE.match(line)), None)
    if marker is not None and marker > 0:
        read = int(YEAR_LINE_RE.match(lines[marker]).group(1))  # type: ignore[union-attr]
        if given is not None and given != read:
            chapter_doubts.append((f"Events of {read}", f"the year given, {given}, is used instead"))
            return given, marker, "given"
        return read, marker, "events-line"
    series = next((_SERIES_RE.match(line) for line in lines[:12] if _SERIES_RE.match(line)), None)
    if given is not None:
        return given, -1, "given"
    if series is not None:
        year = int(series.group(1)) - 1
        chapter_doubts.append((series.group(0), f"no 'Events of YEAR' line: the chapter is read as covering {year}"))
        return year, -1, "series-line"
    raise UsageError(
        "not an HRW World Report chapter in the expected layout: no 'Events of YEAR' line and no "
        "'World Report YEAR' line; if it is one, say which year it covers with --year YEAR"
    )


def _country_line(lines: list[str]) -> int:
    """Index of the chapter's title (its country) when no 'Events of YEAR' line follows it: the first
    line past the page furniture."""
    for i, line in enumerate(lines):
        if not _FURNITURE_RE.match(line):
            if len(line) > 80 or not is_heading(line):
                break
            return i
    raise UsageError(
        "not an HRW World Report chapter in the expected layout: no title line (the country) before its text"
    )


def parse_chapter(text: str, year: int | None = None) -> Chapter:
    """Split a chapter into its furniture, photo caption/credit, opening and headed sections."""
    raw, removed = _clean_lines(text)
    doubts: list[tuple[str, str]] = []
    found_year, marker, source = _year_of([line for line in raw if line], year, doubts)
    filled = [line for line in raw if line]
    if marker > 0:
        country, furniture = filled[marker - 1], filled[: marker + 1]
        cut = _nth_filled(raw, marker)
    else:
        title = _country_line(filled)
        country, furniture = filled[title], filled[: title + 1]
        cut = _nth_filled(raw, title)
    rest = [line for line in raw[cut + 1 :] if not _LINK_LINE_RE.match(line)]
    furniture.extend(line for line in raw[cut + 1 :] if _LINK_LINE_RE.match(line))
    wrapped = _is_wrapped(rest)
    body_lines = reflow(rest) if wrapped else [line for line in rest if line]
    if wrapped:
        doubts.append(("the text", f"hard-wrapped: re-flowed into {len(body_lines)} paragraphs and headings"))
    chapter = Chapter(country=country, year=found_year, furniture=furniture, removed=removed, year_source=source)
    chapter.doubts.extend(doubts)
    if not body_lines:
        raise UsageError("the chapter has no text after its title and year lines")
    _sections(chapter, body_lines)
    if not chapter.sections:
        raise UsageError("the chapter has no paragraphs")
    return chapter


def _nth_filled(raw: list[str], n: int) -> int:
    """Index in ``raw`` (blank lines kept) of the n-th non-blank line."""
    seen = -1
    for i, line in enumerate(raw):
        if line:
            seen += 1
            if seen == n:
                return i
    return len(raw) - 1


def _sections(chapter: Chapter, body: list[str]) -> None:
    """Headed sections from the body's lines: headings, subheadings, lists and paragraphs."""
    ids = Ids()

    def add(section_id: str, title: str, paragraphs: list[str]) -> None:
        chapter.sections.append((ids.unique(section_id), title, paragraphs))

    credit = next((i for i, line in enumerate(body[:3]) if CREDIT_RE.match(line)), None)
    if credit is not None:
        add("photo", "Photo caption and credit", body[: credit + 1])
        body = body[credit + 1 :]
    roles = _roles(body)
    # A page's links and its list of key sections before any text are furniture, not the chapter's text.
    lead = 0
    while lead < len(body) and (roles[lead] == "list" or (roles[lead] == "text" and _FURNITURE_RE.match(body[lead]))):
        lead += 1
    chapter.furniture.extend(body[:lead])
    if any(role == "list" for role in roles[:lead]):
        chapter.doubts.append((body[0], f"the {lead} lines before the first heading read as the page's links and list"))
    title, parent, paragraphs = "", "", []
    for line, role in zip(body[lead:], roles[lead:], strict=True):
        if role in ("text", "list"):
            paragraphs.append(line)
            continue
        if paragraphs:
            add(id_slug(title) if title else "overview", title or "Overview", paragraphs)
        paragraphs = []
        if role == "parent":
            parent, title = line, ""
            chapter.doubts.append((line, "read as a parent heading: the heading after it is its subheading"))
            chapter.headings.append((line, 1))
        else:
            title = line
            # Under an all-caps parent, a heading not in capitals is one more of its subheadings.
            nested = bool(parent) and (role == "sub" or (parent.isupper() and not line.isupper()))
            chapter.headings.append((line, 2 if nested else 1))
            if not nested:
                parent = ""
    if paragraphs:
        add(id_slug(title) if title else "overview", title or "Overview", paragraphs)
    elif title:
        chapter.doubts.append((title, "a heading with no text after it: left out of the sections"))


def _roles(body: list[str]) -> list[str]:
    """Each line's part: "text", "heading", "parent" (a heading straight above a subheading) or "sub"."""
    flags = [is_heading(line) for line in body]
    roles = ["text"] * len(body)
    i = 0
    while i < len(body):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(body) and flags[j]:
            j += 1
        run = j - i  # heading-like lines i..j-1, then text (or the end)
        if body[i].endswith(":") and run > 1:  # "Recommendations:" and its list
            roles[i], roles[i + 1 : j] = "heading", ["list"] * (run - 1)
        elif j == len(body):
            roles[i:j] = ["heading"] * run  # a trailing heading: no text to head
        elif run == 1:
            roles[i] = "heading"
        elif run == 2:
            roles[i], roles[i + 1] = "parent", "sub"
        else:  # a list of short lines (key sections, names), then the heading of the text after it
            roles[i : j - 1] = ["list"] * (run - 1)
            roles[j - 1] = "heading"
        i = j
    return roles
