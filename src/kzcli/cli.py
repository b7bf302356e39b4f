"""The Typer app: thin declarations of kz's commands and options.

Each command hands its arguments to its module in ``kzcli.commands`` and the
result to ``kzcli.output``; ``kzcli.entry`` turns failures into exit codes.
Core modules, rapidfuzz and Rich are imported inside the commands that need
them, never at module level: startup is the cost users feel. No ``from
__future__ import annotations`` here: Typer would then compile and eval every
parameter's annotation string on each run (~4 ms).
"""

import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from kzcli import __version__
from kzcli.argv import QueryCommand
from kzcli.errors import UsageError
from kzcli.output import OutputFormat, chosen_format, emit
from kzcli.session import Session
from kzcli.streams import say

if TYPE_CHECKING:
    from kzcli.formats import Result

DEFAULT_LIMIT = 10

app = typer.Typer(
    name="kz",
    help=(
        'Query Human Rights Watch\'s "Kazakhstan: Events of 2020" (World Report 2021).\n\nExample: kz search torture'
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class PeopleOrder(str, Enum):
    name = "name"
    appearance = "appearance"


# The corpus this process works on.
SESSION = Session()


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kz {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    data: Annotated[
        str | None,
        typer.Option(
            "--data", envvar="KZ_DATA", metavar="PATH", help="Corpus JSON file to use instead of the bundled one."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Query Human Rights Watch's "Kazakhstan: Events of 2020" (World Report 2021)."""
    if data is not None and not data.strip():
        raise UsageError("--data needs the path of a corpus file (or leave it out for the bundled corpus)")
    SESSION.use(data)


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="table (Rich on a terminal, plain text in a pipe), json or csv.", case_sensitive=False
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]


def _completion_corpus(ctx: typer.Context) -> None:
    """Complete from the corpus the command line names: `kz --data draft.json person <TAB>`.

    While completing, click parses the options but runs no callback, so
    ``--data`` is read from the root context here. Typer passes ``ctx`` to a
    completion callback by that parameter name.
    """
    SESSION.completing = True
    data = ctx.find_root().params.get("data")
    if data:
        SESSION.use(data)


def _complete_people(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import people

    _completion_corpus(ctx)
    return people(SESSION, incomplete)


def _complete_entities(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import entity_names

    _completion_corpus(ctx)
    return entity_names(SESSION, incomplete)


def _complete_sections(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import section_ids

    _completion_corpus(ctx)
    return section_ids(SESSION, incomplete)


def _complete_types(incomplete: str) -> list[str]:
    from kzcli.corpus import ENTITY_TYPES

    return [t for t in ENTITY_TYPES if t.startswith(incomplete.casefold())]


def _complete_months(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import months

    _completion_corpus(ctx)
    return months(SESSION, incomplete)


def _complete_cite(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import entity_names, section_ids

    _completion_corpus(ctx)
    return section_ids(SESSION, incomplete) + entity_names(SESSION, incomplete)


def _emit(result: "Result", fmt: OutputFormat, as_json: bool) -> None:
    """Write a command's result; its exit code ends the command."""
    code = emit(result, fmt, as_json, lambda: SESSION.corpus().report)
    if code:
        raise typer.Exit(code)


@app.command(cls=QueryCommand)
def search(
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY", help='Words, "phrases", OR, NOT, -word, x*.', show_default=False)
    ],
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="SECTION",
            help="Only this section (id or fuzzy title); repeatable.",
            autocompletion=_complete_sections,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, metavar="N", help="Passages to show; 0 shows all.")
    ] = DEFAULT_LIMIT,
    exact: Annotated[bool, typer.Option("--exact", help="As typed: no stemming, corrections or names.")] = False,
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
    """
    from kzcli.commands import search as command

    _emit(command.run(SESSION, query, section, limit, exact), fmt, as_json)


@app.command()
def people(
    role_words: Annotated[
        list[str] | None,
        typer.Option("--role", "-r", metavar="WORDS", help="Only people whose role contains this text."),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="SECTION",
            help="Only people named in this section.",
            autocompletion=_complete_sections,
        ),
    ] = None,
    sort: Annotated[
        PeopleOrder, typer.Option("--sort", help="name (surname order) or appearance.", case_sensitive=False)
    ] = PeopleOrder.name,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every named person: role, sections, events.

    \b
    Example:
      kz people --section civil-society
    """
    from kzcli.commands.listings import people as command

    _emit(command(SESSION, role_words, section, sort is PeopleOrder.appearance), fmt, as_json)


@app.command()
def person(
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Full name, surname or variant; typos are forgiven.",
            autocompletion=_complete_people,
            show_default=False,
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Profile of a person: role, events, every mention.

    \b
    Examples:
      kz person Tulesova
      kz person Asya Tulesova
    """
    from kzcli.commands import profile

    _emit(profile.run(SESSION, "person", " ".join(name), ("person",)), fmt, as_json)


@app.command()
def entity(
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Name, acronym or alias of any entity.",
            autocompletion=_complete_entities,
            show_default=False,
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Profile of any person, organisation, place or law.

    \b
    Examples:
      kz entity Adilsoz
      kz entity Koshe Party
    """
    from kzcli.commands import profile

    _emit(profile.run(SESSION, "entity", " ".join(name), None), fmt, as_json)


@app.command()
def timeline(
    month: Annotated[
        list[str] | None,
        typer.Option(
            "--month", "-m", metavar="YYYY-MM", help="YYYY-MM, e.g. 2020-06.", autocompletion=_complete_months
        ),
    ] = None,
    year: Annotated[list[str] | None, typer.Option("--year", "-y", metavar="YYYY", help="YYYY, e.g. 2019.")] = None,
    since: Annotated[
        list[str] | None, typer.Option("--from", metavar="DATE", help="Start: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    until: Annotated[
        list[str] | None, typer.Option("--to", metavar="DATE", help="End: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    person_name: Annotated[
        list[str] | None,
        typer.Option(
            "--person",
            "-p",
            metavar="NAME",
            help="Only events involving this person (or any named organisation, place or law).",
            autocompletion=_complete_entities,
        ),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="SECTION",
            help="Only events from this section.",
            autocompletion=_complete_sections,
        ),
    ] = None,
    chart: Annotated[
        bool,
        typer.Option("--chart", help="Events per month: drawn on a terminal; month rows in a pipe or CSV."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Dated events in order, at the precision reported.

    Events that only overlap the period (ranges, or dates known only to the
    month or year) are included and marked.

    \b
    Examples:
      kz timeline --month 2020-06
      kz timeline --from 2020-03 --to 2020-05
    """
    from kzcli.commands import timeline as command

    _emit(command.run(SESSION, month, year, since, until, person_name, section, chart), fmt, as_json)


@app.command()
def sections(fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False) -> None:
    """The report's sections: id, title, paragraphs.

    \b
    Example:
      kz sections
    """
    from kzcli.commands.listings import sections as command

    _emit(command(SESSION), fmt, as_json)


@app.command()
def read(
    section: Annotated[
        str,
        typer.Argument(
            metavar="SECTION",
            help="Section id or (fuzzy) title; SECTION:PARAGRAPH (torture:2) for one paragraph.",
            autocompletion=_complete_sections,
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """One section's paragraphs, numbered.

    \b
    Examples:
      kz read torture
      kz read "freedom of expression"
    """
    from kzcli.commands import read as command

    _emit(command.run(SESSION, section), fmt, as_json)


@app.command()
def entities(
    entity_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help="person, organization (or organisation), place or law.",
            autocompletion=_complete_types,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every named person, organisation, place and law.

    \b
    Example:
      kz entities --type law
    """
    from kzcli.commands.listings import entities as command

    _emit(command(SESSION, entity_type), fmt, as_json)


@app.command()
def figures(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="WORDS",
            help="A number (7, 1626, 4.5 million) for figures of that value, or words the figure's text, "
            "description, quote or section holds (stemmed, folded).",
            show_default=False,
        ),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="SECTION",
            help="Only figures from this section.",
            autocompletion=_complete_sections,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every number the report states, with its quote.

    \b
    Examples:
      kz figures
      kz figures journalists
      kz figures 7
      kz figures --section covid
    """
    from kzcli.commands.listings import figures as command

    _emit(command(SESSION, words, section), fmt, as_json)


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    sqlite = "sqlite"


class CiteStyle(str, Enum):
    plain = "plain"
    bibtex = "bibtex"
    csl_json = "csl-json"


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

    done = command(SESSION, output, export_format.value if export_format else None, force, guard_formulas)
    if done is not None:
        say(done)


@app.command()
def cite(
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="Section (id or fuzzy title), SECTION:PARAGRAPH, event id, or a name.",
            autocompletion=_complete_cite,
            show_default=False,
        ),
    ],
    style: Annotated[
        CiteStyle, typer.Option("--style", help="plain, bibtex or csl-json.", case_sensitive=False)
    ] = CiteStyle.plain,
) -> None:
    """A citation of the report: a section, a paragraph or a quote.

    TARGET is SECTION:PARAGRAPH (torture:2), a section, an event id or a name;
    events and names are cited with the report's words about them.
    Search, timeline and profile JSON records carry a "cite" value to pass here.

    \b
    Examples:
      kz cite torture:2
      kz cite Tulesova --style bibtex
    """
    from kzcli.commands import cite as command

    sys.stdout.write(command.run(SESSION, target, style.value) + "\n")


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
    if chosen is OutputFormat.json:
        emit(result, chosen, False, lambda: None)  # the file's own report block, not the corpus's
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
