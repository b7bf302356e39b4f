"""kz's commands over passages and dates: search, read, timeline, figures."""

from typing import Annotated

import typer

import kzcli.cli.common as common
from kzcli.argv import QueryCommand, SearchValueCommand, SignedNumberCommand
from kzcli.cli.common import (
    DEFAULT_LIMIT,
    TARGET_HELP,
    FormatOption,
    JsonOption,
    TopicOption,
    complete_cite,
    complete_dates,
    complete_entities,
    complete_months,
    complete_years,
    emit_result,
    section_option,
)
from kzcli.output import OutputFormat

app = common.app


@app.command(cls=QueryCommand)
def search(
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY", help='Words, "phrases", OR, NOT, -word, x*.', show_default=False)
    ],
    section: Annotated[list[str] | None, section_option("Only this section (id or fuzzy title); repeatable.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, metavar="N", help="Passages to show; 0 shows all.")
    ] = DEFAULT_LIMIT,
    exact: Annotated[bool, typer.Option("--exact", help="As typed: no stemming, corrections or names.")] = False,
    count: Annotated[
        bool,
        typer.Option(
            "--count", help="Only the number of passages that match, all of them whatever --limit (exit 1 for none)."
        ),
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Whole paragraphs, matches highlighted, not the best sentence.")
    ] = False,
    topic: TopicOption = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Ranked passages for a query, matches highlighted.

    Every word must match (common words such as "of" only rank); "quoted
    phrases" match as phrases; OR, AND and NOT (upper case) combine them as in
    SQLite FTS5; -word leaves a word out; tort* is a prefix; parentheses group.

    \b
    Examples:
      kz search torture
      kz search "peaceful assemblies" --limit 3
      kz search torture -prison
      kz search '(torture OR ill-treatment) prison'
      kz search tortured --exact
      kz search Tulesova --full
      kz search torture --count
      kz search court --topic "freedom of expression"

    A word the report never uses but a topic lists as a term (coronavirus,
    LGBT, capital punishment) finds that topic's passages, and says so.
    """
    from kzcli.commands import search as command
    from kzcli.commands.filters import once

    emit_result(
        command.run(common.SESSION, query, section, limit, exact, count, full, once(topic, "--topic")), fmt, as_json
    )


@app.command()
def read(
    target: Annotated[
        str | None,
        typer.Argument(metavar="[TARGET]", help=TARGET_HELP, autocompletion=complete_cite, show_default=False),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """The paragraphs a target names, numbered (TARGET as for kz cite).

    An entity's are every paragraph naming it. Looser forms are said on stderr.

    \b
    Examples:
      kz read torture
      kz read torture:2-3
      kz read "freedom of expression"
    """
    from kzcli.commands import read as command

    emit_result(command.run(common.SESSION, target), fmt, as_json)


@app.command(cls=SearchValueCommand)
def timeline(
    month: Annotated[
        list[str] | None,
        typer.Option("--month", "-m", metavar="YYYY-MM", help="YYYY-MM, e.g. 2020-06.", autocompletion=complete_months),
    ] = None,
    year: Annotated[
        list[str] | None,
        typer.Option("--year", "-y", metavar="YYYY", help="YYYY, e.g. 2019.", autocompletion=complete_years),
    ] = None,
    since: Annotated[
        list[str] | None,
        typer.Option(
            "--from", metavar="DATE", help="Start: YYYY, YYYY-MM or YYYY-MM-DD.", autocompletion=complete_dates
        ),
    ] = None,
    until: Annotated[
        list[str] | None,
        typer.Option("--to", metavar="DATE", help="End: YYYY, YYYY-MM or YYYY-MM-DD.", autocompletion=complete_dates),
    ] = None,
    person_name: Annotated[
        list[str] | None,
        typer.Option(
            "--person",
            "-p",
            metavar="NAME",
            help="Only events involving this person (or any named organisation, place or law).",
            autocompletion=complete_entities,
        ),
    ] = None,
    section: Annotated[list[str] | None, section_option("Only events from this section.")] = None,
    within: Annotated[
        bool,
        typer.Option("--within", help="Only events wholly inside the period: no range or coarser date overlapping it."),
    ] = False,
    words: Annotated[
        list[str] | None,
        typer.Option(
            "--search",
            metavar="WORDS",
            help="Only events whose summary or quote match WORDS, read as kz search reads them.",
        ),
    ] = None,
    chart: Annotated[
        bool,
        typer.Option("--chart", help="Events per month: drawn on a terminal; month rows in a pipe or CSV."),
    ] = False,
    topic: TopicOption = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Dated events in order, at the precision reported.

    Events that only overlap the period (ranges, or dates known only to the
    month or year) are included and marked; --within leaves them out.

    \b
    Examples:
      kz timeline --month 2020-06
      kz timeline --month 2020-06 --within
      kz timeline --from 2020-03 --to 2020-05
      kz timeline --search 'detained OR arrested'
      kz timeline --topic covid
    """
    from kzcli.commands import timeline as command

    period = (month, year, since, until)
    emit_result(command.run(common.SESSION, *period, person_name, section, chart, within, words, topic), fmt, as_json)


@app.command(cls=SignedNumberCommand)
def figures(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="WORDS",
            help="A number (7, 1626, 4.5 million) for figures of that value, a comparison first (>100, <=15), "
            "or words the figure's text, description, quote or section holds (stemmed, folded).",
            show_default=False,
        ),
    ] = None,
    section: Annotated[list[str] | None, section_option("Only figures from this section.")] = None,
    least: Annotated[
        list[str] | None, typer.Option("--min", metavar="N", help="Only figures certainly N or more.")
    ] = None,
    most: Annotated[
        list[str] | None, typer.Option("--max", metavar="N", help="Only figures certainly N or less.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every number the report states, with its qualifier and quote.

    A comparison keeps the figures their qualifiers make certain; others: stderr.

    \b
    Examples:
      kz figures journalists
      kz figures 7
      kz figures '>100'
      kz figures --min 10 --max 100 --section covid
    """
    from kzcli.commands.filters import once
    from kzcli.commands.listings import figures as command

    emit_result(command(common.SESSION, words, section, once(least, "--min"), once(most, "--max")), fmt, as_json)
