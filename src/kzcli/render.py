"""Rich rendering for a real terminal: the only module that imports Rich.

Every string goes in as ``rich.text.Text`` (never as markup), so neither the
user's input nor the report's text can be read as Rich markup, and through
``printable`` (``_text``), so no control, bidi or zero-width character reaches
the terminal raw (``kzcli.characters``).

Layout: a table only where every column has room for its text. kz sets each
column's width itself (``_fitted``): an id, a number or a date is one unbroken
cell as wide as its widest value; a text column wraps at spaces and is never
narrower than its longest word, nor than the width it needs to read
(``Column.least``). When the terminal is too narrow, optional columns go
first, then the table becomes a stacked list (``_stacked``): one block per
record, a heading line, then the text at full width, as ``gh`` lists do.
Nothing is folded mid-word and no line is wider than the terminal.
"""

from __future__ import annotations

from contextlib import suppress

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kzcli.corpus import paragraph_ref
from kzcli.formats import TOPIC_PEOPLE, Result, counted, related_lines
from kzcli.records import Record
from kzcli.streams import colour_choice, paging_wanted
from kzcli.text import message_line, printable

# Wider than any screen: COLUMNS=999999999 asked Rich for lines a gigabyte long (over a minute of padding).
MAX_WIDTH = 1000
# --color never, NO_COLOR, FORCE_COLOR=0: no colour (bold and underline stay: they are not colour).
_NO_COLOUR = colour_choice() is False
console = Console(markup=False, highlight=False, emoji=False, force_terminal=True, no_color=_NO_COLOUR)
err_console = Console(stderr=True, markup=False, highlight=False, emoji=False, no_color=_NO_COLOUR)
for _console in (console, err_console):
    if _console.width > MAX_WIDTH:
        _console.width = MAX_WIDTH
MATCH_STYLE = "bold black on yellow"
BAR = "█"
RANGE_BAR = "░"
# A Rich table's own width beyond its cells: the edges, a separator between columns, a space each side of a cell.
_EDGES = 1
_PER_COLUMN = 3


class Column:
    """One column of a fitted table (a plain class: a NamedTuple costs more to create at import)."""

    __slots__ = ("header", "justify", "least", "optional", "ratio", "wraps")

    def __init__(
        self,
        header: str,
        wraps: bool = True,
        least: int = 0,
        ratio: int = 1,
        optional: bool = False,
        justify: str = "left",
    ) -> None:
        self.header = header
        self.wraps = wraps  # False: an id, number or date, never broken: as wide as its widest cell
        self.least = least  # the narrowest a wrapping column may be and still read (its longest word aside)
        self.ratio = ratio  # how a wrapping column shares the room left
        self.optional = optional  # dropped first when the terminal is narrow
        self.justify = justify


def _text(value: str, style: str = "") -> Text:
    """A cell of corpus or index text: never markup, unsafe characters shown escaped."""
    return Text(printable(value), style=style)


def place_id(record: Record) -> str:
    """Where a record is, as ``read`` and ``cite`` take it: ``torture:2``."""
    return printable(paragraph_ref(record["section"], record["paragraph"]))


def _with_place(text: Text, record: Record) -> Text:
    """A cell's text with its place (``torture:2``) on a dim line below: one column fewer to squeeze."""
    cell = text.copy()
    cell.append(f"\n{place_id(record)}", style="dim")
    return cell


def _highlighted(text: str, spans: list[list[int]]) -> Text:
    """``text`` with the matched spans styled, each piece escaped on its own (an escape
    is longer than the character it shows: the spans must not drift)."""
    rich_text = Text()
    done = 0
    for start, end in spans:
        rich_text.append(printable(text[done:start]))
        rich_text.append(printable(text[start:end]), style=MATCH_STYLE)
        done = end
    rich_text.append(printable(text[done:]))
    return rich_text


def _widest(pieces: list[str]) -> int:
    """The width on screen of the widest piece: the longest by length when every character takes one
    cell (one check for the lot, where one cell_len each cost more than the rest of the layout)."""
    if not pieces:
        return 0
    if cell_len("".join(pieces)) == sum(map(len, pieces)):
        return max(map(len, pieces))
    return max(map(cell_len, pieces))


def _longest_word(cell: Text) -> int:
    return _widest(cell.plain.split())


def _widest_line(cell: Text) -> int:
    return _widest(cell.plain.split("\n"))


def _widths(columns: list[Column], rows: list[list[Text]], width: int) -> list[int] | None:
    """Each column's width in a table ``width`` cells wide, or None when a column would have no room to read."""
    natural = [max([cell_len(c.header), *(_widest_line(row[i]) for row in rows)]) for i, c in enumerate(columns)]
    least = [
        natural[i] if not c.wraps else max([c.least, *(_longest_word(row[i]) for row in rows)])
        for i, c in enumerate(columns)
    ]
    least = [min(low, high) if c.wraps else low for low, high, c in zip(least, natural, columns, strict=True)]
    room = width - _EDGES - _PER_COLUMN * len(columns) - sum(least)
    if room < 0:
        return None
    widths = list(least)
    growing = [i for i, c in enumerate(columns) if c.wraps and widths[i] < natural[i]]
    while room > 0 and growing:
        shares = sum(columns[i].ratio for i in growing)
        given = 0
        for i in growing:
            more = min(max(room * columns[i].ratio // shares, 1), natural[i] - widths[i], room - given)
            widths[i] += more
            given += more
        room -= given
        growing = [i for i in growing if widths[i] < natural[i]]
    return widths


def _fitted(title: Text | str, columns: list[Column], rows: list[list[Text]]) -> Table | None:
    """A table whose every column has room at this terminal's width (optional columns dropped if need be),
    or None: the caller stacks its records instead."""
    chosen = list(range(len(columns)))
    for keep in (chosen, [i for i in chosen if not columns[i].optional]):
        shown = [columns[i] for i in keep]
        cells = [[row[i] for i in keep] for row in rows]
        widths = _widths(shown, cells, console.width)
        if widths is None:
            continue
        table = Table(title=title if isinstance(title, Text) else Text(title))
        for column, column_width in zip(shown, widths, strict=True):
            table.add_column(
                column.header,
                width=column_width,
                no_wrap=not column.wraps,
                justify=column.justify,  # type: ignore[arg-type]
            )
        for row in cells:
            table.add_row(*row)
        return table
    return None


def _stacked(title: Text | str, blocks: list[tuple[Text, list[Text]]]) -> Group:
    """Records one under another: a heading line, then each text at full width, indented by two."""
    parts: list[RenderableType] = [title if isinstance(title, Text) else Text(title, style="bold")]
    for heading, texts in blocks:
        parts.append(Text(""))
        parts.append(_hanging(heading, console.width))
        parts += [Padding(text, (0, 0, 0, 2)) for text in texts]
    return Group(*parts)


# How far a heading's second line is indented: it reads as the heading's, not as the text under it.
_HANGING_INDENT = 4


def _hanging(heading: Text, width: int) -> Text:
    """A heading wider than the terminal, broken between its pieces (a piece wider than a line
    at its spaces), its further lines indented: a score or a count at the left margin read as a
    line of its own, and "2" / "events" as two things."""
    if cell_len(heading.plain) <= width or width <= 2 * _HANGING_INDENT:
        return heading
    lines: list[Text] = []
    for piece in heading.split("  "):
        room = width if not lines else width - _HANGING_INDENT
        if lines and cell_len(lines[-1].plain) + 2 + cell_len(piece.plain) <= room:
            lines[-1] = Text("  ").join([lines[-1], piece])
        else:
            lines.append(piece)
    first, *rest = lines[0].wrap(console, width)
    further = ([Text(" ").join(rest)] if rest else []) + lines[1:]
    out = [first]
    for line in further:
        out += _indented(line, width)
    for line in out:
        line.rstrip()
    return Text("\n").join(out)


def _indented(line: Text, width: int) -> list[Text]:
    """A heading's further line, wrapped and indented; not indented where a word of it (an id)
    would then no longer fit."""
    longest = max((cell_len(word) for word in line.plain.split()), default=0)
    indent = _HANGING_INDENT if longest <= width - _HANGING_INDENT else 0
    return [Text(" " * indent) + part for part in line.wrap(console, width - indent)]


def _heading(*pieces: tuple[str, str]) -> Text:
    """A block's heading: its pieces two spaces apart, each in its style (``_hanging`` breaks it
    between pieces when it is wider than the terminal)."""
    heading = Text()
    for value, style in pieces:
        if value:
            if heading.plain:
                heading.append("  ")
            heading.append(printable(value), style=style)
    return heading


def show(result: Result) -> None:
    """Render a result for a terminal, through the pager when taller than the screen, then its messages.

    Messages are soft-wrapped: one line each, however narrow the terminal.
    """
    if result.records or result.extra.get("chart"):
        drawing = _RENDERERS.get(result.command, _listing)(result)
        _print(drawing)
    for message in result.messages:
        with suppress(OSError, ValueError):  # a closed stderr loses the note, not the result
            err_console.print(Text(f"kz: {message_line(message)}", style="dim"), soft_wrap=True)


def _print(drawing: RenderableType) -> None:
    """Print, or page when the drawing is taller than the screen (``kzcli.paging``)."""
    if not (paging_wanted() and console.file.isatty()):
        console.print(drawing)
        return
    with console.capture() as captured:
        console.print(drawing)
    text = captured.get()
    if text.count("\n") >= console.height:
        from kzcli.paging import page

        if page(text):
            return
    console.file.write(text)


def _search(result: Result) -> RenderableType:
    searched = result.query["expression"]  # the query as understood: corrections, operators
    title = Text(f"{counted(result.total, 'passages')} for {printable(searched)}")
    columns = [
        Column("#", wraps=False, justify="right"),
        Column("Where"),
        Column("Score", wraps=False, justify="right"),
        Column("Passage", least=30, ratio=8),
    ]
    rows = []
    for r in result.records:
        where = Text(place_id(r))
        where.append(f"\n{printable(r['section_title'])}", style="dim")
        passage = _highlighted(r["snippet"], r["snippet_matches"])
        rows.append([Text(str(r["rank"])), where, Text(f"{r['score']:.3f}"), passage])
    table = _fitted(title, columns, rows)
    if table is not None:
        return table  # the usual case: the stacked blocks are not built (startup is budgeted)
    blocks = [
        (
            _heading(
                (f"{r['rank']}.", "bold"),
                (place_id(r), "bold"),
                (r["section_title"], ""),
                (f"{r['score']:.3f}", "dim"),
            ),
            [row[3]],
        )
        for r, row in zip(result.records, rows, strict=True)
    ]
    return _stacked(title, blocks)


def _timeline(result: Result) -> RenderableType:
    if "chart" in result.extra:
        # --chart shows the picture alone, as it does in a pipe; the events are a command away.
        return _chart(result.extra["chart"])
    title = Text(counted(result.total, "events"))
    columns = [
        Column("Date", wraps=False),
        Column("Event (where the report says it)", least=30, ratio=3),
        Column("People", least=14, optional=True),
    ]
    rows = []
    blocks = []
    for r in result.records:
        date = _text(r["display_date"])
        if r["partial"]:
            date.append(" ≈", style="yellow")
        summary = _text(r["summary"], style="italic" if r["partial"] else "")
        people = _text(", ".join(r["people"]))
        rows.append([date, _with_place(summary, r), people])
        heading = _heading((r["display_date"], "bold"), (place_id(r), "dim"))
        if r["partial"]:
            heading.append(" ≈", style="yellow")
        blocks.append((heading, [summary, *([people.copy()] if r["people"] else [])]))
    parts: list[RenderableType] = [_fitted(title, columns, rows) or _stacked(title, blocks)]
    if any(r["partial"] for r in result.records):
        parts.append(Text("≈ a range or a coarser date that overlaps the period asked for", style="yellow"))
    return Group(*parts)


def _chart(rows: list[dict[str, int | str]]) -> Text:
    """Bars per month; when the busiest month's bar would pass the terminal's edge, every bar is scaled
    (a bar at least one block when it counts anything; the counts stay exact)."""
    counts = [(int(row["dated"]), int(row["ranges"])) for row in rows]
    labels = [f" {dated}" + (f"+{ranges}" if ranges else "") for dated, ranges in counts]
    longest = max((dated + ranges for dated, ranges in counts), default=0)
    # The month, its space, the widest count, and one block of rounding to spare.
    room = console.width - len("2020-06 ") - max(map(len, labels), default=0) - 1
    scale = min(1.0, room / longest) if longest and room > 0 else 1.0
    chart = Text()
    chart.append("Events per month (█ dated in the month, ░ ranges covering it)", style="bold")
    if scale < 1:
        chart.append(f" (bars scaled to {scale:.0%})", style="bold")
    chart.append("\n")
    for row, (dated, ranges), label in zip(rows, counts, labels, strict=True):
        chart.append(printable(f"{row['month']} "))
        chart.append(BAR * (round(dated * scale) or min(dated, 1)), style="cyan")
        chart.append(RANGE_BAR * (round(ranges * scale) or min(ranges, 1)), style="cyan")
        chart.append(f"{label}\n")
    return chart


def _profile(result: Result) -> Group:
    r = result.records[0]
    head = Text()
    head.append(printable(r["name"]), style="bold")
    head.append(printable(f"  ({r['type']})") + "\n")
    head.append(printable(r["role"]))
    if r["aliases"]:
        head.append("\n" + printable(f"also: {', '.join(r['aliases'])}"), style="dim")
    parts: list[RenderableType] = [Panel(head, expand=True)]
    if r["events"]:
        parts.append(_profile_events(r["events"]))
    parts.append(_profile_mentions(r["mentions"]))
    parts.extend(_text(line[0].upper() + line[1:]) for line in related_lines(r))
    return Group(*parts)


def _profile_events(events: list[Record], title: str = "Events (reported)") -> RenderableType:
    columns = [Column("Date", wraps=False), Column("What (where the report says it)", least=30)]
    rows = [[_text(e["display_date"]), _with_place(_text(e["summary"]), e)] for e in events]
    blocks = [(_heading((e["display_date"], "bold"), (place_id(e), "dim")), [_text(e["summary"])]) for e in events]
    return _fitted(title, columns, rows) or _stacked(title, blocks)


def _profile_mentions(mentions: list[Record]) -> RenderableType:
    columns = [Column("Where", wraps=False), Column("Quote", least=30)]
    rows = [[Text(place_id(m)), _text(m["quote"])] for m in mentions]
    blocks = [
        (_heading((place_id(m), "bold"), (m.get("section_title") or "", "dim")), [_text(m["quote"])]) for m in mentions
    ]
    return _fitted("Mentions", columns, rows) or _stacked("Mentions", blocks)


def _read(result: Result) -> Group:
    """Paragraphs, each after the id ``read`` and ``cite`` take (``torture:2``)."""
    parts: list[RenderableType] = [_text(result.query["title"], style="bold underline")]
    several = len({r["section"] for r in result.records}) > 1
    shown = None
    for r in result.records:
        if several and r["section"] != shown:
            # The chapter, or an entity's paragraphs: each section under its own title.
            shown = r["section"]
            parts += [Text(""), _text(r["section_title"], style="bold")]
        paragraph = Text()
        paragraph.append(f"{place_id(r)}  ", style="dim")  # the id only: the text stays full strength
        body = _text(r["quote"])
        body.highlight_words([printable(name) for name in r["named"]], style="bold", case_sensitive=True)
        paragraph.append_text(body)
        parts.append(Text(""))
        parts.append(paragraph)
    return Group(*parts)


def _figures(result: Result) -> RenderableType:
    title = Text(counted(result.total, "figures"))
    columns = [
        Column("Figure", least=10),
        Column("What it counts (where)", least=20, ratio=2),
        Column("Quote", least=30, ratio=3, optional=True),
    ]
    rows = [[_text(r["text"]), _with_place(_text(r["what"]), r), _text(r["quote"])] for r in result.records]
    blocks = [
        (_heading((r["text"], "bold"), (place_id(r), "dim")), [_text(r["what"]), _text(r["quote"], style="italic")])
        for r in result.records
    ]
    return _fitted(title, columns, rows) or _stacked(title, blocks)


def _notes(result: Result) -> RenderableType:
    title = Text(counted(result.total, "notes"))
    columns = [Column("Id", wraps=False), Column("Note", least=30)]
    rows = [[_text(r["id"]), _text(r["text"])] for r in result.records]
    blocks = [(_heading((r["id"], "bold")), [_text(r["text"])]) for r in result.records]
    return _fitted(title, columns, rows) or _stacked(title, blocks)


def _validate(result: Result) -> RenderableType:
    title = Text(counted(result.total, "problems"))
    columns = [Column("Where", least=12), Column("Problem", least=30, ratio=3)]
    rows = [[_text(r["where"]), _text(r["problem"])] for r in result.records]
    blocks = [(_heading((r["where"], "bold")), [_text(r["problem"])]) for r in result.records]
    return _fitted(title, columns, rows) or _stacked(title, blocks)


def _opening(quote: str, words: int = 8) -> str:
    """A section's first words, to tell it by."""
    split = quote.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def _listing(result: Result) -> RenderableType:
    """people, entities, sections: the record's name and what it is, then where it is first named."""
    title = Text(counted(result.total, result.command))
    if result.command == "sections":
        columns = [
            Column("Id", wraps=False),
            Column("Title", least=12),
            Column("¶", wraps=False, justify="right"),
            Column("Opens with", least=24, ratio=2, optional=True),
        ]
        rows = [
            [_text(r["id"]), _text(r["title"]), Text(str(r["paragraphs"])), _text(_opening(r["quote"]))]
            for r in result.records
        ]
        blocks = [
            (
                _heading((r["id"], "bold"), (r["title"], ""), (f"{r['paragraphs']} ¶", "dim")),
                [_text(_opening(r["quote"]), style="dim")],
            )
            for r in result.records
        ]
        return _fitted(title, columns, rows) or _stacked(title, blocks)
    typed = result.command == "entities"
    columns = [
        *([Column("Type", wraps=False)] if typed else []),
        Column("Name", least=12),
        Column("Role", least=32, ratio=3),
        Column("Events", wraps=False, justify="right"),
        Column("Mentions", wraps=False, justify="right"),
        Column("First named", wraps=False),
    ]
    rows = []
    blocks = []
    for r in result.records:
        counts = [Text(str(r["events"])), Text(str(r["mentions"]))]
        rows.append(
            [*([_text(r["type"])] if typed else []), _text(r["name"]), _text(r["role"]), *counts, Text(place_id(r))]
        )
        heading = _heading(
            (r["name"], "bold"),
            (r["type"] if typed else "", ""),
            (place_id(r), "dim"),
            (f"{counted(r['events'], 'events')}, {counted(r['mentions'], 'mentions')}", "dim"),
        )
        blocks.append((heading, [_text(r["role"]), _text(f"sections: {', '.join(r['sections'])}", style="dim")]))
    return _fitted(title, columns, rows) or _stacked(title, blocks)


def _topics(result: Result) -> RenderableType:
    title = Text(counted(result.total, "topics"))
    columns = [
        Column("Id", wraps=False),
        Column("Topic", least=16, ratio=2),
        Column("Vocabulary", least=8, optional=True),
        Column("Passages", wraps=False, justify="right"),
        Column("Events", wraps=False, justify="right"),
        Column("People", wraps=False, justify="right"),
    ]
    counts = ("passages", "events", "people")
    rows = [
        [_text(r["id"]), _text(r["label"]), _text(r["vocabulary"]), *(Text(str(r[c])) for c in counts)]
        for r in result.records
    ]
    blocks = [
        (
            _heading((r["id"], "bold"), (r["label"], ""), (r["vocabulary"], "dim")),
            [_text(", ".join(counted(r[c], c) for c in counts), style="dim")],
        )
        for r in result.records
    ]
    return _fitted(title, columns, rows) or _stacked(title, blocks)


def _topic(result: Result) -> Group:
    r = result.records[0]
    head = Text()
    head.append(printable(r["label"]), style="bold")
    head.append(printable(f"  ({r['vocabulary']}; {r['id']})") + "\n")
    head.append(printable(r["scope"]))
    head.append("\n" + printable(f"terms: {', '.join(r['terms'])}"), style="dim")
    parts: list[RenderableType] = [Panel(head, expand=True)]
    passages = r["passages"]
    columns = [Column("Where", wraps=False), Column("Passage", least=30)]
    rows = [[Text(place_id(p)), _text(p["quote"])] for p in passages]
    blocks = [
        (_heading((place_id(p), "bold"), (p.get("section_title") or "", "dim")), [_text(p["quote"])]) for p in passages
    ]
    title = counted(len(passages), "passages")
    parts.append(_fitted(title, columns, rows) or _stacked(title, blocks))
    if r["events"]:
        parts.append(_profile_events(r["events"], counted(len(r["events"]), "events")))
    for named_in, label in TOPIC_PEOPLE:
        people = [p["name"] for p in r["people"] if p["named_in"] == named_in]
        if people:
            parts.append(_text(f"{label[0].upper()}{label[1:]}: {', '.join(people)}"))
    return Group(*parts)


_RENDERERS = {
    "search": _search,
    "timeline": _timeline,
    "person": _profile,
    "entity": _profile,
    "read": _read,
    "figures": _figures,
    "notes": _notes,
    "validate": _validate,
    "topics": _topics,
    "topic": _topic,
}
