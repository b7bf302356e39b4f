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
    metadata: Annotated[
        str | None,
        typer.Option(
            "--metadata",
            metavar="PATH",
            help="SQLite: also write Datasette's metadata (descriptions, labels, facets, canned queries) "
            "for `datasette FILE -m PATH`.",
            show_default=False,
        ),
    ] = None,
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
    `datasette FILE` (with --metadata, `datasette FILE -m METADATA`). Written
    beside the target and renamed into place, so an interrupted export leaves
    nothing half-written.

    \b
    Examples:
      kz export --format sqlite --output kz.db --metadata kz-metadata.json
      kz export -f csv -o kz-tables
    """
    from kzcli.commands.writes import export as command

    chosen = export_format.value if export_format else None
    done = command(common.SESSION, output, chosen, force, guard_formulas, metadata)
    if done is not None:
        say(done)


@app.command()
def cite(
    target: Annotated[
        str | None,
        typer.Argument(metavar="[TARGET]", help=TARGET_HELP, autocompletion=complete_cite, show_default=False),
    ] = None,
    style: Annotated[
        CiteStyle,
        typer.Option("--style", help="plain, bibtex, csl-json or pandoc ([@KEY, para. 2, ...]).", case_sensitive=False),
    ] = CiteStyle.plain,
    accessed: Annotated[
        str | None,
        typer.Option(
            "--accessed", metavar="YYYY-MM-DD", help="The day you read the chapter online.", show_default=False
        ),
    ] = None,
    bib: Annotated[
        str | None,
        typer.Option(
            "--bib",
            metavar="FILE",
            help="Also write the chapter's bibliography entry to FILE (BibTeX for .bib, else CSL-JSON).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --bib file if it exists.")] = False,
) -> None:
    """A citation of the report: the chapter, a section, paragraphs or a quote.

    Every place is cited as the one chapter (one key, one bibliography entry)
    with the place as a locator. Events and names are cited with the report's
    words, a paragraph with its text. Looser forms (torture 2, torture para 2,
    words of a title, a quoted phrase) are read and said on stderr; a paragraph
    is never widened, and several fits are asked about.

    \b
    Examples:
      kz cite torture:2
      kz cite torture:2-3 --style bibtex
      kz cite entity:Tulesova --accessed 2021-01-13
      kz cite torture:2 --style pandoc --bib kz.json
    """
    from kzcli.commands import cite as command

    sys.stdout.write(command.run(common.SESSION, target, style.value, accessed, bib, force) + "\n")


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
      kz validate data/report.json
      kz validate data/report.json --json
    """
    from kzcli.commands import validate as command

    chosen = chosen_format(fmt, as_json)
    result = command.run(path)
    if chosen in (OutputFormat.json, OutputFormat.jsonl) or (chosen is OutputFormat.table and rich_terminal()):
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
            metavar="CHAPTER",
            help="Plain text of an HRW World Report chapter, this edition's layout or an older one's.",
            show_default=False,
        ),
    ],
    output: Annotated[
        str,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Corpus JSON to write, or - for stdout.", show_default=False
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace the output if it exists.")] = False,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            min=1900,
            max=2099,
            help="The year the chapter covers, when it has no 'Events of YEAR' or 'World Report YEAR' line.",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        bool, typer.Option("--report", help="Also list on stderr what kz was unsure of, to review first.")
    ] = False,
) -> None:
    """Draft a corpus from another HRW chapter's text, unreviewed.

    Sections and paragraphs come verbatim; dated events, names and numbers are
    candidates found by kz's scanner.

    Every candidate quotes its sentence and is marked "unreviewed:". The result
    passes `kz validate` and can be queried at once with --data.

    In the example the report's own text stands in for another chapter.

    \b
    Examples:
      kz ingest data/source.txt -o draft.json --force && kz --data draft.json search torture
      kz ingest data/source.txt -o draft.json --force --year 2020 --report
    """
    from kzcli.commands.writes import ingest as command

    for line in command(chapter, output, force, year, report):
        say(line)


@app.command()
def index(
    path: Annotated[
        str,
        typer.Argument(metavar="CORPUS", help="Corpus JSON file to index (as given to --data).", show_default=False),
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a regular file at CORPUS.kzindex that is not a kz index (never a link)."),
    ] = False,
) -> None:
    """Index a large corpus so queries read only what they need.

    Writes CORPUS.kzindex beside CORPUS. kz uses the index file whenever it is up to date with the corpus beside
    it (same bytes, same kz), and says so once when it is not; run this again
    after editing the corpus. It replaces an index file it wrote before; with
    --force, a regular file damaged past recognition; never a link, folder or FIFO.

    In the example a copy of the report stands in for a large corpus.

    \b
    Example:
      cp data/report.json big.json
      kz index big.json && kz --data big.json search torture
    """
    from kzcli.commands.writes import index as command

    say(command(path, force))


def _schema_names(incomplete: str) -> list[str]:
    from kzcli.commands.schema import NAMES

    return common.complete_choices(NAMES, incomplete)


@app.command()
def schema(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            help="A command (search, timeline, person, ...), error, or corpus; nothing lists them.",
            autocompletion=_schema_names,
            show_default=False,
        ),
    ] = None,
    jsonl: Annotated[
        bool, typer.Option("--jsonl", help="The schema of one --format jsonl line (a record) instead.")
    ] = False,
) -> None:
    """The JSON Schema (draft 2020-12) of a command's --json output or a corpus.

    The schemas ship with kz; each has an $id under https://kz.invalid/schema/v1/
    (a name that never resolves: nothing is fetched).

    \b
    Examples:
      kz schema
      kz schema search
      kz schema timeline --jsonl
      kz schema corpus
    """
    from kzcli.commands import schema as command

    command.write(name, jsonl, sys.stdout)
