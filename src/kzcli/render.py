"""Rich rendering for a real terminal: the only module that imports Rich.

Every string goes in as ``rich.text.Text`` (never as markup), so neither the
user's input nor the report's text can be read as Rich markup, and through
``printable`` (``_text``), so no control, bidi or zero-width character reaches
the terminal raw (``kzcli.characters``).
"""

from __future__ import annotations

from contextlib import suppress

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kzcli.formats import Result, related_lines
from kzcli.records import Record
from kzcli.text import message_line, printable

# Wider than any screen: COLUMNS=999999999 asked Rich for lines a gigabyte long (over a minute of padding).
MAX_WIDTH = 1000
console = Console(markup=False, highlight=False, emoji=False)
err_console = Console(stderr=True, markup=False, highlight=False, emoji=False)
for _console in (console, err_console):
    if _console.width > MAX_WIDTH:
        _console.width = MAX_WIDTH
MATCH_STYLE = "bold black on yellow"
BAR = "█"
RANGE_BAR = "░"
# Narrower than this, tables cannot show their text columns: see show().
MIN_TABLE_WIDTH = 80


def _text(value: str, style: str = "") -> Text:
    """A cell of corpus or index text: never markup, unsafe characters shown escaped."""
    return Text(printable(value), style=style)


def _place_label(record: Record) -> str:
    """Section title and paragraph: wraps at words, unlike the slug the plain output uses."""
    return printable(f"{record.get('section_title') or record['section']} ¶{record['paragraph']}")


def _with_place(text: Text, record: Record) -> Text:
    """A cell's text with its source on a dim line below: one column fewer to squeeze."""
    cell = text.copy()
    cell.append(f"\n{_place_label(record)}", style="dim")
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


def show(result: Result) -> None:
    """Render a result for a terminal, then its messages.

    Below ``MIN_TABLE_WIDTH`` columns Rich squeezes a table's text column to
    nothing (a 20-column search showed ranks and scores but no passage), so a
    narrow terminal gets the plain lines of a pipe, which it wraps itself.
    Messages are soft-wrapped: one line each, however narrow the terminal.
    """
    if not result.records:
        pass  # nothing to draw: the messages say why
    elif console.width < MIN_TABLE_WIDTH:
        from kzcli.formats import write_plain

        write_plain(result, console.file)
    else:
        renderer = _RENDERERS.get(result.command, _listing)
        console.print(renderer(result))
    for message in result.messages:
        with suppress(OSError, ValueError):  # a closed stderr loses the note, not the result
            err_console.print(Text(f"kz: {message_line(message)}", style="dim"), soft_wrap=True)


_SINGULAR = {"people": "person", "entities": "entity", "passages": "passage", "events": "event"}


def _counted(total: int, plural: str) -> str:
    """A table title's count as a reader writes it: "1 figure", "2 figures"."""
    return f"{total} {plural if total != 1 else _SINGULAR.get(plural, plural.removesuffix('s'))}"


def _search(result: Result) -> Table:
    searched = result.query["expression"]  # the query as understood: corrections, operators
    table = Table(title=Text(f"{_counted(result.total, 'passages')} for {printable(searched)}"), expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Section", ratio=1, overflow="fold")
    table.add_column("¶", justify="right", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Passage", ratio=4, overflow="fold")
    for r in result.records:
        table.add_row(
            str(r["rank"]),
            _text(r["section_title"]),
            str(r["paragraph"]),
            f"{r['score']:.3f}",
            _highlighted(r["snippet"], r["snippet_matches"]),
        )
    return table


def _timeline(result: Result) -> Group | Text:
    if "chart" in result.extra:
        # --chart shows the picture alone, as it does in a pipe; the events are a command away.
        return _chart(result.extra["chart"])
    table = Table(expand=True, title=Text(_counted(result.total, "events")))
    table.add_column("Date", no_wrap=True)
    table.add_column("Event (where the report says it)", ratio=3, overflow="fold")
    table.add_column("People", ratio=1, overflow="fold")
    for r in result.records:
        date = _text(r["display_date"])
        if r["partial"]:
            date.append(" ≈", style="yellow")
        style = "italic" if r["partial"] else ""
        summary = _with_place(_text(r["summary"], style=style), r)
        table.add_row(date, summary, _text(", ".join(r["people"])))
    parts: list[Table | Text] = [table]
    if any(r["partial"] for r in result.records):
        parts.append(Text("≈ a range or a coarser date that overlaps the period asked for", style="yellow"))
    return Group(*parts)


def _chart(rows: list[dict[str, int | str]]) -> Text:
    chart = Text()
    chart.append("Events per month (█ dated in the month, ░ ranges covering it)\n", style="bold")
    for row in rows:
        chart.append(printable(f"{row['month']} "))
        chart.append(BAR * int(row["dated"]), style="cyan")
        chart.append(RANGE_BAR * int(row["ranges"]), style="cyan")
        chart.append(f" {row['dated']}" + (f"+{row['ranges']}" if row["ranges"] else "") + "\n")
    return chart


def _profile(result: Result) -> Group:
    r = result.records[0]
    head = Text()
    head.append(printable(r["name"]), style="bold")
    head.append(printable(f"  ({r['type']})") + "\n")
    head.append(printable(r["role"]))
    if r["aliases"]:
        head.append("\n" + printable(f"also: {', '.join(r['aliases'])}"), style="dim")
    events = Table(title="Events (reported)", expand=True)
    events.add_column("Date", no_wrap=True)
    events.add_column("What (where the report says it)", ratio=1, overflow="fold")
    for e in r["events"]:
        events.add_row(_text(e["display_date"]), _with_place(_text(e["summary"]), e))
    mentions = Table(title="Mentions", expand=True)
    mentions.add_column("Where", ratio=1, overflow="fold")
    mentions.add_column("Quote", ratio=4, overflow="fold")
    for m in r["mentions"]:
        mentions.add_row(_place_label(m), _text(m["quote"]))
    parts: list[Panel | Table | Text] = [Panel(head, expand=True)]
    if r["events"]:
        parts.append(events)
    parts.append(mentions)
    parts.extend(_text(line[0].upper() + line[1:]) for line in related_lines(r))
    return Group(*parts)


def _read(result: Result) -> Group:
    parts: list[Text] = [_text(result.query["title"], style="bold underline")]
    several = len({r["section"] for r in result.records}) > 1
    shown = None
    for r in result.records:
        if several and r["section"] != shown:
            # The chapter, or an entity's paragraphs: each section under its own title.
            shown = r["section"]
            parts += [Text(""), Text(r["section_title"], style="bold")]
        paragraph = Text()
        paragraph.append(f"¶{r['paragraph']}  ", style="dim")  # the number only: the text stays full strength
        body = _text(r["quote"])
        body.highlight_words([printable(name) for name in r["named"]], style="bold", case_sensitive=True)
        paragraph.append_text(body)
        parts.append(Text(""))
        parts.append(paragraph)
    return Group(*parts)


def _figures(result: Result) -> Table:
    table = Table(expand=True, title=Text(_counted(result.total, "figures")))
    table.add_column("Figure", ratio=1, overflow="fold")
    table.add_column("What it counts (where)", ratio=2, overflow="fold")
    table.add_column("Quote", ratio=3, overflow="fold")
    for r in result.records:
        table.add_row(_text(r["text"]), _with_place(_text(r["what"]), r), _text(r["quote"]))
    return table


def _notes(result: Result) -> Table:
    table = Table(expand=True, title=Text(_counted(result.total, "notes")))
    table.add_column("Id", ratio=1, overflow="fold")
    table.add_column("Note", ratio=4, overflow="fold")
    for r in result.records:
        table.add_row(Text(r["id"]), Text(r["text"]))
    return table


def _listing(result: Result) -> Table:
    from kzcli.formats import PLAIN_COLUMNS

    columns = PLAIN_COLUMNS[result.command]
    table = Table(expand=True, title=Text(_counted(result.total, result.command)))
    for column in columns:
        table.add_column(column.replace("_", " ").capitalize(), overflow="fold")
    table.add_column("First named" if result.command != "sections" else "Opens", overflow="fold")
    for r in result.records:
        cells = []
        for column in columns:
            value = r.get(column)
            cells.append(_text(", ".join(value) if isinstance(value, list) else str(value)))
        table.add_row(*cells, Text(_place_label(r)))
    return table


def _topics(result: Result) -> Table:
    table = Table(expand=True, title=Text(_counted(result.total, "topics")))
    for column in ("Id", "Topic", "Vocabulary", "Passages", "Events", "People"):
        table.add_column(column, overflow="fold")
    for r in result.records:
        cells = (r["id"], r["label"], r["vocabulary"], str(r["passages"]), str(r["events"]), str(r["people"]))
        table.add_row(*(_text(cell) for cell in cells))
    return table


def _topic(result: Result) -> Group:
    r = result.records[0]
    head = Text()
    head.append(printable(r["label"]), style="bold")
    head.append(printable(f"  ({r['vocabulary']}; {r['id']})") + "\n")
    head.append(printable(r["scope"]))
    head.append("\n" + printable(f"terms: {', '.join(r['terms'])}"), style="dim")
    passages = Table(title=Text(_counted(len(r["passages"]), "passages")), expand=True)
    passages.add_column("Where", ratio=1, overflow="fold")
    passages.add_column("Passage", ratio=4, overflow="fold")
    for p in r["passages"]:
        passages.add_row(_place_label(p), _text(p["quote"]))
    parts: list[Panel | Table | Text] = [Panel(head, expand=True), passages]
    if r["events"]:
        events = Table(title=Text(_counted(len(r["events"]), "events")), expand=True)
        events.add_column("Date", no_wrap=True)
        events.add_column("What (where the report says it)", ratio=1, overflow="fold")
        for e in r["events"]:
            events.add_row(_text(e["display_date"]), _with_place(_text(e["summary"]), e))
        parts.append(events)
    if r["people"]:
        parts.append(_text(f"People: {', '.join(p['name'] for p in r['people'])}"))
    return Group(*parts)


# Every column folds rather than cutting with "…": an id or a quote shown in
# part is one a user can neither type nor cite.
_RENDERERS = {
    "search": _search,
    "timeline": _timeline,
    "person": _profile,
    "entity": _profile,
    "read": _read,
    "figures": _figures,
    "notes": _notes,
    "topics": _topics,
    "topic": _topic,
}
