"""The output contract: the JSON envelope, CSV, and plain text for pipes.

Plain text is what ``--format table`` prints when stdout is not a terminal: no
ANSI codes, no box drawing, nothing cut short, one record per line (or one
block per profile), so grep, less and wc work on it. Rich is never imported here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO, Any

from kzcli.characters import json_safe as json_safe
from kzcli.characters import printable
from kzcli.corpus import Report
from kzcli.records import Record

OUTPUT_SCHEMA_VERSION = 1

# Columns of each command's CSV and plain listing, in order.
# How an event's date is given in CSV: the ISO interval, its precision, and the words for it.
_EVENT_DATES = ("date", "end", "precision", "ongoing", "date_text", "inferred", "date_note", "display_date")
COLUMNS: dict[str, tuple[str, ...]] = {
    "search": ("rank", "section", "paragraph", "score", "snippet", "quote"),
    # Listings end with the first mention, as the plain and terminal listings do: a place to cite.
    "people": ("id", "name", "role", "aliases", "sections", "events", "mentions", "section", "paragraph", "quote"),
    "entities": (
        "id",
        "type",
        "name",
        "role",
        "aliases",
        "sections",
        "events",
        "mentions",
        "section",
        "paragraph",
        "quote",
    ),
    "timeline": ("id", *_EVENT_DATES, "partial", "summary", "people", "section", "paragraph", "quote"),
    "sections": ("id", "title", "paragraphs"),
    "read": ("section", "paragraph", "quote"),
    "figures": ("id", "value", "qualifier", "text", "unit", "what", "section", "paragraph", "quote"),
    "notes": ("id", "text", "events"),
    # A profile's event rows are dated as the timeline's are, so the two sort and join alike.
    "profile": (
        "entity",
        "name",
        "type",
        "kind",
        "id",
        *_EVENT_DATES,
        "summary",
        "section",
        "paragraph",
        "quote",
        "cite",
    ),
    "chart": ("month", "dated", "ranges"),
}
# The plain (pipe) listing shows fewer columns than CSV: the ones a reader scans.
PLAIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("name", "role", "sections", "events", "mentions"),
    "entities": ("type", "name", "role", "sections", "mentions"),
    "sections": ("id", "title", "paragraphs"),
}


class Result:
    """What a command found: records plus the query as understood.

    A plain class, not a dataclass: creating one costs ~0.3 ms at import, on every run.
    """

    __slots__ = ("command", "exit_code", "extra", "messages", "query", "records", "report", "total")

    def __init__(
        self,
        command: str,
        query: dict[str, Any],
        records: list[Record],
        total: int,
        messages: list[str] | None = None,
        extra: dict[str, Any] | None = None,
        exit_code: int | None = None,
    ) -> None:
        self.command = command
        self.query = query
        self.records = records
        self.total = total
        self.messages: list[str] = messages if messages is not None else []
        self.extra: dict[str, Any] = extra if extra is not None else {}
        # 0 with records, 1 (nothing found) without, unless the command says otherwise.
        self.exit_code = exit_code if exit_code is not None else (0 if records else 1)
        # The envelope's report block, when it is not the corpus's (``kz validate`` shows the file's own).
        self.report: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"Result({self.command!r}, {self.query!r}, {len(self.records)} records, total={self.total})"


def envelope(result: Result, report: Report | None) -> dict[str, Any]:
    """The one JSON shape every command prints (``report`` None: no corpus was read)."""
    return {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "command": result.command,
        "query": result.query,
        "report": result.report
        if result.report is not None or report is None
        else {"title": report.title, "series": report.series, "publisher": report.publisher},
        "total": result.total,
        "returned": len(result.records),
        **result.extra,
        "records": result.records,
    }


def writes_utf8(out: IO[str]) -> bool:
    """Whether a text stream encodes as UTF-8 (a file kz opens always does)."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8", "utf-8-sig")


def dump_json(value: Any, out: IO[str]) -> None:
    """Every JSON kz writes: UTF-8 as is; any other output encoding
    (PYTHONIOENCODING=ascii, a latin-1 locale) gets \\u escapes, so the JSON
    stays lossless instead of holding '?'."""
    out.write(json_safe(json.dumps(value, ensure_ascii=not writes_utf8(out), indent=2)))
    out.write("\n")


def write_json(result: Result, report: Report | None, out: IO[str]) -> None:
    dump_json(envelope(result, report), out)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def csv_cell(value: Any) -> str:
    """A CSV cell as kz writes it: unsafe characters shown escaped (``kzcli.characters``), as everywhere but JSON."""
    return printable(_cell(value))


def profile_rows(record: Record) -> list[Record]:
    """A profile flattened to rows: its events (dated as the timeline's CSV dates them), then its mentions."""
    who = {"entity": record["id"], "name": record["name"], "type": record["type"]}
    rows = [{**who, "kind": "event", **e} for e in record["events"]]
    rows += [{**who, "kind": "mention", **m} for m in record["mentions"]]
    return rows


# CSV injection (OWASP): a spreadsheet may run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# KZ_CSV_GUARD=1: every CSV kz writes puts a ' before such a cell (opt-in: it changes the report's text).
CSV_GUARD_ENV = "KZ_CSV_GUARD"


def csv_guard_wanted() -> bool:
    import os

    return os.environ.get(CSV_GUARD_ENV) == "1"


def guard_formula(value: Any) -> Any:
    """``value`` with a ``'`` in front if it is text a spreadsheet would read as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def write_csv(result: Result, out: IO[str]) -> None:
    import csv

    guard = guard_formula if csv_guard_wanted() else str
    kind = "profile" if result.command in ("person", "entity") else result.command
    rows = result.records if kind != "profile" else [r for rec in result.records for r in profile_rows(rec)]
    if "chart" in result.extra:
        kind, rows = "chart", result.extra["chart"]
    columns = COLUMNS[kind]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([guard(csv_cell(row.get(c))) for c in columns])


def _place_id(record: Record) -> str:
    """Where a record is, as ``read`` and ``cite`` take it: ``torture ¶2``."""
    return f"{record['section']} ¶{record['paragraph']}"


def _chart_lines(rows: list[Record]) -> list[str]:
    """--chart in a pipe: the month rows, with ASCII bars (# dated, - ranges) where a terminal draws Rich ones."""
    lines = []
    for row in rows:
        bar = "#" * row["dated"] + "-" * row["ranges"]
        lines.append(f"{row['month']}\t{row['dated']}\t{row['ranges']}\t{bar}")
    return lines


def _search_lines(result: Result, snippet: Callable[[Record], str] = lambda r: str(r["snippet"])) -> list[str]:
    """One passage a line: where it is and its score first, for sort and cut."""
    return [f"{printable(_place_id(r))}\t{r['score']}\t{snippet(r)}" for r in result.records]


def _timeline_lines(result: Result) -> list[str]:
    """One event a line, its date first (marked when it only overlaps the asked period)."""
    lines = []
    for r in result.records:
        mark = " (overlaps)" if r["partial"] else ""
        lines.append(f"{r['display_date']}{mark}\t{r['summary']}\t{', '.join(r['people'])}\t{_place_id(r)}")
    return lines


def _profile_block_lines(result: Result) -> list[str]:
    """A profile is a block, not a line: it holds lists (events, mentions) of its own."""
    return [line for r in result.records for line in profile_lines(r)]


def _read_lines(result: Result) -> list[str]:
    """One paragraph a line: its number (after its section's id when several sections are read),
    then its text as the report gives it."""
    if len({r["section"] for r in result.records}) > 1:
        return [f"{_place_id(r)}\t{r['quote']}" for r in result.records]
    return [f"¶{r['paragraph']}\t{r['quote']}" for r in result.records]


def _figures_lines(result: Result) -> list[str]:
    """One figure a line: the number as written and what it counts, then where it is and its quote."""
    return [f"{r['text']}\t{r['what']}\t{_place_id(r)}\t{r['quote']}" for r in result.records]


def _notes_lines(result: Result) -> list[str]:
    """One note a line: its id, then its text (a note is not from a place in the report)."""
    return [f"{r['id']}\t{r['text']}" for r in result.records]


def _listing_lines(result: Result) -> list[str]:
    """Listings end with where the report first names the record: something to cite."""
    return [
        "\t".join([*(_cell(r.get(c)) for c in PLAIN_COLUMNS[result.command]), _place_id(r)]) for r in result.records
    ]


# Each command's plain lines; any other command is a listing of PLAIN_COLUMNS (as in render._RENDERERS).
_PLAIN_LINES: dict[str, Callable[[Result], list[str]]] = {
    "search": _search_lines,
    "timeline": _timeline_lines,
    "person": _profile_block_lines,
    "entity": _profile_block_lines,
    "read": _read_lines,
    "figures": _figures_lines,
    "notes": _notes_lines,
}


def write_plain(result: Result, out: IO[str], colour: bool = False) -> None:
    """Plain text for pipes and dumb terminals; ``colour`` (``--color always``): a search's matches in ANSI."""
    if "chart" in result.extra:
        lines = _chart_lines(result.extra["chart"])
    elif colour and result.command == "search":
        lines = _search_lines(result, _marked)
    else:
        lines = _PLAIN_LINES.get(result.command, _listing_lines)(result)
    text = "".join(f"{line}\n" for line in lines)
    for space in _NO_BREAK_SPACES:
        # str.replace, not translate: ~20 times faster on 1,000 lines.
        text = text.replace(space, " ")
    if colour and result.command == "search":
        out.write(text)  # every piece already shown safe by _marked, around kz's own escape codes
        return
    # Tabs and newlines are the layout's own: no field holds one (kzcli.characters).
    out.write(printable(text, layout=True))


# --color always in a pipe: the matched words of a passage as a terminal shows them (for less -R).
_MATCH_ON, _MATCH_OFF = "\x1b[1;30;43m", "\x1b[0m"


def _marked(record: Record) -> str:
    """A passage with its matches between ANSI codes, each piece made printable on its own."""
    text, pieces, done = record["snippet"], [], 0
    for start, end in record["snippet_matches"]:
        pieces += [printable(text[done:start]), _MATCH_ON, printable(text[start:end]), _MATCH_OFF]
        done = end
    pieces.append(printable(text[done:]))
    return "".join(pieces)


# The report's no-break spaces ("police\u00a0and using") print as spaces in plain
# text, so that `grep "police and using"` finds them; JSON and CSV keep them verbatim.
_NO_BREAK_SPACES = ("\u00a0", "\u2007", "\u202f")


def profile_lines(r: Record) -> list[str]:
    lines = [f"{r['name']} ({r['type']})", f"role: {r['role']}"]
    if r["aliases"]:
        lines.append(f"aliases: {', '.join(r['aliases'])}")
    lines.append(f"events ({len(r['events'])}):")
    for e in r["events"]:
        lines.append(f"  {e['display_date']}\t{e['summary']}\t{_place_id(e)}")
    lines.append(f"mentions ({len(r['mentions'])}):")
    for m in r["mentions"]:
        lines.append(f"  {_place_id(m)}\t{m['quote']}")
    if r["co_mentioned"]:
        names = ", ".join(f"{c['name']} ({c['type']})" for c in r["co_mentioned"])
        lines.append(f"named alongside: {names}")
    return lines
