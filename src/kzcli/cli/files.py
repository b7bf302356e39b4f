"""kz's commands that cite, check or write files: export, cite, validate, ingest, index."""

import sys
from typing import Annotated

import typer

import kzcli.cli.common as common
from kzcli.cli.common import (
    TARGET_HELP,
    CiteStyle,
    ExportFormat,
    FormatOption,
    JsonOption,
    complete_cite,
)
from kzcli.output import OutputFormat, chosen_format, emit
from kzcli.streams import rich_terminal, say

app = common.app


@app.command()
def export(
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File (json, sqlite), directory (csv), or - for JSON on stdout.",
            show_default=False,
        ),
    ],
    export_format: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json, csv or sqlite; default: from the extension (.json, .db, .sqlite).",
            case_sensitive=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output if it exists.")] = False,
    guard_formulas: Annotated[
        bool,
        typer.Option(
            "--guard-formulas",
            help="CSV: put ' before a cell starting with = + - @ (a spreadsheet would run it as a formula). "
            "Changes the report's text, so it is off unless asked for.",
        ),
    ] = False,
) -> None:
    """The whole corpus as JSON, CSV tables or SQLite with search.

    CSV is one file per table in a directory. The SQLite file has keys and an
    FTS5 index: it works with `sqlite-utils search FILE paragraphs WORDS` and
    `datasette FILE`. Written beside the target and renamed into place, so an
    interrupted export leaves nothing half-written.

    \b
    Examples:
      kz export --format sqlite --output kz.db
      kz export -f csv -o kz-tables
    """
    from kzcli.commands.writes import export as command

    done = command(common.SESSION, output, export_format.value if export_format else None, force, guard_formulas)
    if done is not None:
        say(done)


@app.command()
def cite(
    target: Annotated[
        str | None,
        typer.Argument(metavar="[TARGET]", help=TARGET_HELP, autocompletion=complete_cite, show_default=False),
    ] = None,
    style: Annotated[
        CiteStyle, typer.Option("--style", help="plain, bibtex or csl-json.", case_sensitive=False)
    ] = CiteStyle.plain,
) -> None:
    """A citation of the report: the chapter, a section, paragraphs or a quote.

    Events and names are cited with the report's words. Looser forms (torture 2,
    torture para 2, words of a title, a quoted phrase) are read and said on
    stderr; a paragraph is never widened, and several fits are asked about.

    \b
    Examples:
      kz cite torture:2
      kz cite torture:2-3 --style bibtex
      kz cite entity:Tulesova
    """
    from kzcli.commands import cite as command

    sys.stdout.write(command.run(common.SESSION, target, style.value) + "\n")


@app.command()
def validate(
    path: Annotated[str, typer.Argument(metavar="PATH", help="Corpus JSON file to check.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Check a corpus file: every schema and provenance problem.

    One problem per line on stdout; exit 0 when the file is valid, 3 when not.

    \b
    Examples:
      kz validate corpus.json
      kz validate corpus.json --json
    """
    from kzcli.commands import validate as command

    chosen = chosen_format(fmt, as_json)
    result = command.run(path)
    if chosen is OutputFormat.json or (chosen is OutputFormat.table and rich_terminal()):
        # JSON: the file's own report block, not the corpus's; a terminal: a table that wraps at words.
        emit(result, chosen, False, lambda: None)
    else:
        command.write_lines(result, chosen.value, sys.stdout)
        sys.stdout.flush()
        for message in result.messages:
            say(message)
    raise typer.Exit(result.exit_code)


@app.command()
def ingest(
    chapter: Annotated[
        str,
        typer.Argument(
            metavar="CHAPTER", help="Plain text of an HRW World Report chapter (same layout).", show_default=False
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Corpus JSON to write, or - for stdout.", show_default=False
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the output if it exists.")] = False,
) -> None:
    """Draft a corpus from another HRW chapter's text, unreviewed.

    Sections and paragraphs come verbatim; dated events, names and numbers are
    candidates found by kz's scanner.

    Every candidate quotes its sentence and is marked "unreviewed:". The result
    passes `kz validate` and can be queried at once with --data.

    \b
    Example:
      kz ingest chapter.txt -o draft.json && kz --data draft.json search torture
    """
    from kzcli.commands.writes import ingest as command

    say(command(chapter, output, force))


@app.command()
def index(
    path: Annotated[
        str,
        typer.Argument(metavar="CORPUS", help="Corpus JSON file to index (as given to --data).", show_default=False),
    ],
) -> None:
    """Index a large corpus so queries read only what they need.

    Writes CORPUS.kzindex beside CORPUS. kz uses the index file whenever it is up to date with the corpus beside
    it (same bytes, same kz), and says so once when it is not; run this again
    after editing the corpus. It replaces an index file it wrote before, never
    anything else.

    \b
    Example:
      kz index big.json && kz --data big.json search torture
    """
    from kzcli.commands.writes import index as command

    say(command(path))
