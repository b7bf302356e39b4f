"""The output contract: the JSON envelope, CSV, and plain text for pipes.

Plain text is what ``--format table`` prints when stdout is not a terminal: no
ANSI codes, no box drawing, nothing cut short, one record per line (or one
block per profile), so grep, less and wc work on it. Rich is never imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from kzcli.characters import json_safe as json_safe
from kzcli.characters import printable
from kzcli.corpus import Report, paragraph_ref
from kzcli.records import Record

OUTPUT_SCHEMA_VERSION = 1

# Columns of each command's CSV and plain listing, in order.
# How an event's date is given in CSV: the ISO interval, the days it covers (full dates a
# spreadsheet sorts), its precision, and the words for it.
_EVENT_DATES = (
    "date",
    "end",
    "first_day",
    "last_day",
    "precision",
    "ongoing",
    "date_text",
    "inferred",
    "date_note",
    "display_date",
)
COLUMNS: dict[str, tuple[str, ...]] = {
    # Every row with a place ends with ``cite``: the target ``kz cite`` (and ``kz read``) takes for it.
    "search": ("rank", "section", "paragraph", "score", "snippet", "quote", "cite"),
    # Listings end with the first mention, as the plain and terminal listings do: a place to cite.
    "people": (
        "id",
        "name",
        "role",
        "aliases",
        "sections",
        "events",
        "mentions",
        "section",
        "paragraph",
        "quote",
        "cite",
    ),
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
        "cite",
    ),
    "timeline": ("id", *_EVENT_DATES, "partial", "summary", "people", "section", "paragraph", "quote", "cite"),
    "sections": ("id", "title", "paragraphs"),
    "read": ("section", "paragraph", "quote", "cite"),
    "figures": ("id", "value", "qualifier", "text", "unit", "what", "section", "paragraph", "quote", "cite"),
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
    # search --count
    "count": ("count",),
    "topics": ("id", "label", "vocabulary", "passages", "events", "people", "scope", "terms"),
    # One row per passage, event and person of the topic.
    "topic": ("topic", "kind", "id", "date", "text", "section", "paragraph", "cite"),
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
    import json  # for JSON only: ~2 ms a plain or terminal query need not pay

    out.write(json_safe(json.dumps(value, ensure_ascii=not writes_utf8(out), indent=2)))
    out.write("\n")


def write_json(result: Result, report: Report | None, out: IO[str]) -> None:
    dump_json(envelope(result, report), out)


# The one CSV convention, in the export's tables and in every command's CSV alike (README,
# "CSV for spreadsheets"): booleans `true`/`false`, which csvkit, pandas and spreadsheets read
# as booleans (0/1 reads as a number); lists joined by LIST_SEPARATOR, which a spreadsheet shows
# as words and splits with one function, where a JSON array shows brackets and doubled quotes.
# No name, alias, person or section id in kz's corpus holds "; " (tests/test_csv_convention.py).
LIST_SEPARATOR = "; "


def csv_text(value: Any) -> str:
    """A value as CSV text by the convention: '' for None, ``true``/``false``, lists ``; ``-joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(csv_text(v) for v in value)
    return str(value)


_cell = csv_text


def csv_cell(value: Any) -> str:
    """A CSV cell as kz writes it: unsafe characters shown escaped (``kzcli.characters``), as everywhere but JSON."""
    return printable(csv_text(value))


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


def write_csv_rows(out: IO[str], header: list[str] | tuple[str, ...], rows: Any, guard: bool = False) -> None:
    """Every CSV kz writes (the export's tables, each command's ``--format csv``): UTF-8, a header,
    ``\n`` line ends, every cell quoted; ``guard`` (or ``KZ_CSV_GUARD=1``) guards formula starts.

    Every cell is quoted so that tools which guess the dialect read commas. csvkit's
    tools (``csvstat``, ``csvlook``, ``csvjson``) hand the first 1,024 characters to
    Python's ``csv.Sniffer``, which counts, for each candidate delimiter, quoted
    stretches that open and close next to it: text quoting words in straight quotes
    (``the lines ""Skip to main content"" are``) votes for the space. Quoting only the
    cells that needed it left few comma votes, and notes.csv and left_out.csv were
    read as space-separated. With every cell quoted each cell boundary votes for the
    comma (tests/test_csv_convention.py feeds csvkit prose full of straight quotes).
    A table of two columns, one of them such prose, can still outvote it: the
    corpus's own notes quote with the report's curly quotes.
    """
    import csv

    guarded = guard or csv_guard_wanted()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([guard_formula(cell) for cell in row] if guarded else row)


def csv_row_cite(row: Record) -> str | None:
    """The ``cite`` cell: the record's own target (an event id, ``torture:2``), else its place."""
    if "cite" in row:
        return row["cite"]  # type: ignore[no-any-return]
    if row.get("section") is not None and row.get("paragraph") is not None:
        return paragraph_ref(row["section"], row["paragraph"])
    return None


def write_csv(result: Result, out: IO[str]) -> None:
    kind = "profile" if result.command in ("person", "entity") else result.command
    rows = result.records if kind != "profile" else [r for rec in result.records for r in profile_rows(rec)]
    rows = rows if kind != "topic" else [r for rec in result.records for r in topic_rows(rec)]
    if "chart" in result.extra:
        kind, rows = "chart", result.extra["chart"]
    if "count" in result.extra:
        kind, rows = "count", [{"count": result.extra["count"]}]
    columns = COLUMNS[kind]
    cells = ([csv_cell(csv_row_cite(row) if c == "cite" else row.get(c)) for c in columns] for row in rows)
    write_csv_rows(out, columns, cells)


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
    """One paragraph a line: its number (after its section's id unless the target named the
    section: an entity's or an event's paragraph, or several sections), then its text as the
    report gives it."""
    named_section = result.query.get("kind") in ("section", "paragraph", "paragraphs")
    if not named_section or len({r["section"] for r in result.records}) > 1:
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


def _topics_lines(result: Result) -> list[str]:
    """One topic a line: its id, label and vocabulary, then its passages, events and people counted."""
    return [
        f"{r['id']}\t{r['label']}\t{r['vocabulary']}\t{counted(r['passages'], 'passages')}\t"
        f"{counted(r['events'], 'events')}\t{counted(r['people'], 'people')}"
        for r in result.records
    ]


# Plurals whose singular is not the plural less its "s".
_SINGULAR = {"people": "person", "entities": "entity"}


def counted(total: int, plural: str) -> str:
    """A count as a reader writes it: "1 figure", "2 figures", "1 person" (plain lines and tables alike)."""
    return f"{total} {plural if total != 1 else _SINGULAR.get(plural, plural.removesuffix('s'))}"


def topic_lines(r: Record) -> list[str]:
    """A topic is a block: its scope note and terms, then its passages, events and people."""
    lines = [f"{r['label']} ({r['vocabulary']}; {r['id']})", f"scope: {r['scope']}", f"terms: {', '.join(r['terms'])}"]
    lines.append(f"passages ({len(r['passages'])}):")
    lines += [f"  {_place_id(p)}\t{p['quote']}" for p in r["passages"]]
    lines.append(f"events ({len(r['events'])}):")
    lines += [f"  {e['display_date']}\t{e['summary']}\t{_place_id(e)}" for e in r["events"]]
    for named_in, label in TOPIC_PEOPLE:
        people = [p for p in r["people"] if p["named_in"] == named_in]
        lines.append(f"{label} ({len(people)}):")
        lines += [f"  {p['name']}\t{p['role']}" for p in people]
    return lines


# A topic's people, as its "named_in" sorts them: those its events name are of the topic; a
# passage is tagged whole, and may name a person for another matter.
TOPIC_PEOPLE = (
    ("events", "people in its events"),
    ("passages", "people named only in its passages, maybe on other matters"),
)


def topic_rows(record: Record) -> list[Record]:
    """A topic as CSV rows: one per passage, event and person, each with the topic's id (a person
    only its passages name is a "passage person")."""
    rows: list[Record] = []
    for p in record["passages"]:
        rows.append({"topic": record["id"], "kind": "passage", "id": p["cite"], "text": p["quote"], **_place(p)})
    for e in record["events"]:
        rows.append({"topic": record["id"], "kind": "event", "id": e["id"], "date": e["date"], "text": e["summary"]})
        rows[-1].update(_place(e))
    rows += [
        {"topic": record["id"], "kind": _person_kind(p), "id": p["id"], "text": p["name"]} for p in record["people"]
    ]
    return rows


def _person_kind(person: Record) -> str:
    """A topic's person as its CSV and TSV rows name it: "person" if its events name them, else
    "passage person" (only its passages name them, maybe on other matters)."""
    return "person" if person["named_in"] == "events" else "passage person"


def _place(record: Record) -> Record:
    return {"section": record["section"], "paragraph": record["paragraph"]}


# Each command's plain lines; any other command is a listing of PLAIN_COLUMNS (as in render._RENDERERS).
_PLAIN_LINES: dict[str, Callable[[Result], list[str]]] = {
    "search": _search_lines,
    "timeline": _timeline_lines,
    "person": _profile_block_lines,
    "entity": _profile_block_lines,
    "read": _read_lines,
    "figures": _figures_lines,
    "notes": _notes_lines,
    "topics": _topics_lines,
    "topic": lambda result: [line for r in result.records for line in topic_lines(r)],
}


def write_plain(result: Result, out: IO[str], colour: bool = False) -> None:
    """Plain text for pipes and dumb terminals; ``colour`` (``--color always``): a search's matches in ANSI."""
    if "chart" in result.extra:
        lines = _chart_lines(result.extra["chart"])
    elif "count" in result.extra:
        lines = [str(result.extra["count"])]
    elif colour and result.command == "search":
        lines = _search_lines(result, _marked)
    else:
        lines = _PLAIN_LINES.get(result.command, _listing_lines)(result)
    write_plain_lines(lines, out, marked=colour and result.command == "search")


def write_plain_lines(lines: list[str], out: IO[str], marked: bool = False) -> None:
    """Lines as plain output prints them: no-break spaces as spaces, unsafe characters escaped
    (``marked``: already made safe piece by piece by ``_marked``, around kz's own escape codes)."""
    text = "".join(f"{line}\n" for line in lines)
    for space in _NO_BREAK_SPACES:
        # str.replace, not translate: ~20 times faster on 1,000 lines.
        text = text.replace(space, " ")
    if marked:
        out.write(text)
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
    return lines + related_lines(r)


def related_lines(r: Record) -> list[str]:
    """Who else a profile's paragraphs name, and who shares its events: two things, said apart."""
    lines = []
    if r["named_in_same_paragraphs"]:
        names = ", ".join(_related(c, c["shared_paragraph_count"], "paragraphs") for c in r["named_in_same_paragraphs"])
        lines.append(f"named in the same paragraphs: {names}")
    if r["in_same_events"]:
        names = ", ".join(_related(c, c["shared_event_count"], "events") for c in r["in_same_events"])
        lines.append(f"in the same events: {names}")
    return lines


def _related(entity: Record, count: int, plural: str) -> str:
    return f"{entity['name']} ({entity['type']}, {counted(count, plural)})"


def jsonl_records(result: Result) -> list[Record]:
    """What ``--format jsonl`` writes: the envelope's records (a chart's month rows under ``--chart``;
    under ``search --count``, one record holding the count)."""
    if "count" in result.extra:
        return [{"count": result.extra["count"]}]
    chosen: list[Record] = result.extra.get("chart", result.records)
    return chosen


def write_jsonl(result: Result, out: IO[str]) -> None:
    """JSON Lines: one record a line, compact, UTF-8 (escaped as JSON is, for another output encoding).

    No envelope: every line is a record, so mlr, DuckDB and ``jq -c`` read the
    stream as a table. What the envelope adds (the query as understood, the
    total, the report) is ``--json``'s; messages go to stderr as in every format.
    """
    import json

    ascii_only = not writes_utf8(out)
    for record in jsonl_records(result):
        out.write(json_safe(json.dumps(record, ensure_ascii=ascii_only, separators=(",", ":"))))
        out.write("\n")


# --format tsv: the names of the plain lines' columns, in order. A place ("torture ¶2") is where a
# record is, as `read` and `cite` take it; a listing's plain columns are PLAIN_COLUMNS and a place.
TSV_HEADERS: dict[str, tuple[str, ...]] = {
    "search": ("place", "score", "snippet"),
    "timeline": ("display_date", "summary", "people", "place"),
    "read": ("place", "quote"),
    "figures": ("text", "what", "place", "quote"),
    "notes": ("id", "text"),
    "chart": ("month", "dated", "ranges", "bar"),
    # A profile's plain form is a block; as TSV it is one row per event and per mention.
    "profile": ("name", "kind", "display_date", "summary", "place", "quote"),
    "count": ("count",),
    "topics": ("id", "label", "vocabulary", "passages", "events", "people"),
    # A topic's plain form is a block too: one row per passage, event and person.
    "topic": ("topic", "kind", "id", "display_date", "text", "place"),
    **{command: (*columns, "place") for command, columns in PLAIN_COLUMNS.items()},
}


def _profile_tsv_lines(result: Result) -> list[str]:
    """A profile's events and mentions as rows of one table: a block has no header to give."""
    lines = []
    for r in result.records:
        lines += [
            f"{r['name']}\tevent\t{e['display_date']}\t{e['summary']}\t{_place_id(e)}\t{e['quote']}"
            for e in r["events"]
        ]
        lines += [f"{r['name']}\tmention\t\t\t{_place_id(m)}\t{m['quote']}" for m in r["mentions"]]
    return lines


def _read_tsv_lines(result: Result) -> list[str]:
    """Every paragraph with its place, however many sections were read: a column that never changes name."""
    return [f"{_place_id(r)}\t{r['quote']}" for r in result.records]


def _topics_tsv_lines(result: Result) -> list[str]:
    """One topic a row, its counts as bare numbers (the plain lines say "12 passages")."""
    return [
        f"{r['id']}\t{r['label']}\t{r['vocabulary']}\t{r['passages']}\t{r['events']}\t{r['people']}"
        for r in result.records
    ]


def _topic_tsv_lines(result: Result) -> list[str]:
    """A topic's passages, events and people as rows of one table, as its CSV has them."""
    lines = []
    for r in result.records:
        lines += [f"{r['id']}\tpassage\t\t\t{p['quote']}\t{_place_id(p)}" for p in r["passages"]]
        lines += [
            f"{r['id']}\tevent\t{e['id']}\t{e['display_date']}\t{e['summary']}\t{_place_id(e)}" for e in r["events"]
        ]
        lines += [f"{r['id']}\t{_person_kind(p)}\t{p['id']}\t\t{p['name']}\t" for p in r["people"]]
    return lines


_TSV_LINES: dict[str, Callable[[Result], list[str]]] = {
    "topics": _topics_tsv_lines,
    "topic": _topic_tsv_lines,
    "person": _profile_tsv_lines,
    "entity": _profile_tsv_lines,
    "read": _read_tsv_lines,
}


def tsv_kind(result: Result) -> str:
    """Which TSV_HEADERS row names ``result``'s columns."""
    if "chart" in result.extra:
        return "chart"
    if "count" in result.extra:
        return "count"
    return "profile" if result.command in ("person", "entity") else result.command


def write_tsv(result: Result, out: IO[str]) -> None:
    """``--format tsv``: a header row, then the plain lines (tab-separated; no field holds a tab)."""
    out.write("\t".join(TSV_HEADERS[tsv_kind(result)]) + "\n")
    lines = _TSV_LINES.get(result.command)
    if lines is None or "chart" in result.extra or "count" in result.extra:
        write_plain(result, out)
        return
    write_plain_lines(lines(result), out)
