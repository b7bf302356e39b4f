"""The Typer app, its root options and what its commands share.

The commands are declared in ``kzcli.cli.queries``, ``kzcli.cli.listings``
and ``kzcli.cli.files`` (``kzcli.cli`` imports all three). Each command hands
its arguments to its module in ``kzcli.commands`` and the result to
``kzcli.output``; ``kzcli.entry`` turns failures into exit codes.
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
from kzcli.errors import UsageError
from kzcli.output import OutputFormat, emit
from kzcli.session import Session
from kzcli.streams import Display

if TYPE_CHECKING:
    from collections.abc import Callable

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


class ColorWhen(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


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
    color: Annotated[
        ColorWhen,
        typer.Option(
            "--color",
            metavar="WHEN",
            case_sensitive=False,
            help="auto (colour on a terminal), always (also in a pipe: search highlights as ANSI), never. "
            "Also after any command.",
        ),
    ] = ColorWhen.auto,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Print at once, even when taller than the terminal (else: KZ_PAGER, PAGER or less). "
            "Also after any command.",
        ),
    ] = False,
) -> None:
    """Query Human Rights Watch's "Kazakhstan: Events of 2020" (World Report 2021)."""
    Display.color = color.value
    Display.pager = not no_pager
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


def completer(values: str) -> "Callable[[typer.Context, str], list[str]]":
    """A completion callback giving ``kzcli.completion``'s ``values`` from the corpus the command line names
    (`kz --data x.json person <TAB>`): completing runs no callback, so ``--data`` comes from the root ``ctx``."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from kzcli import completion

        SESSION.completing = True
        data = ctx.find_root().params.get("data")
        if data:
            SESSION.use(data)
        return list(getattr(completion, values)(SESSION, incomplete))

    return complete


complete_people = completer("people")
complete_entities = completer("entity_names")
complete_sections = completer("section_ids")
complete_months = completer("months")
complete_cite = completer("cite_targets")


def complete_types(incomplete: str) -> list[str]:
    from kzcli.corpus import ENTITY_TYPES

    return [t for t in ENTITY_TYPES if t.startswith(incomplete.casefold())]


def emit_result(result: "Result", fmt: OutputFormat, as_json: bool) -> None:
    """Write a command's result; its exit code ends the command."""
    code = emit(result, fmt, as_json, lambda: SESSION.corpus().report)
    if code:
        raise typer.Exit(code)


TARGET_HELP = "SECTION, SECTION:N, SECTION:N-M, an event id, entity:NAME, figure:ID; nothing: the whole chapter."


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    sqlite = "sqlite"


class CiteStyle(str, Enum):
    plain = "plain"
    bibtex = "bibtex"
    csl_json = "csl-json"
