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
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kzcli import __version__
from kzcli.argv import KzGroup, KzTyper
from kzcli.errors import UsageError
from kzcli.output import OutputFormat, emit
from kzcli.session import Session
from kzcli.streams import Display

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from kzcli.formats import Result

DEFAULT_LIMIT = 10

app = KzTyper(
    name="kz",
    cls=KzGroup,
    help=(
        'Query Human Rights Watch\'s "Kazakhstan: Events of 2020" (World Report 2021).\n\nExample: kz search torture'
    ),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,  # kz's own --show-completion and --install-completion (kzcli.shells)
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


# --version and --data are both eager, so that `kz --data x.json --version` and `kz --version
# --data x.json` both name x.json: whichever of the two is processed second prints (click
# processes eager options in command-line order, then those not given).
_VERSION_ASKED = "kz.version"
_DATA_SEEN = "kz.data"


def _print_version(data: str | None) -> None:
    sys.stdout.write(f"kz {__version__}\n")
    sys.stdout.flush()
    from kzcli.commands.version import describe

    sys.stdout.write("".join(f"{line}\n" for line in describe(data)))
    raise typer.Exit()


def _version(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        ctx.meta[_VERSION_ASKED] = True
        if _DATA_SEEN in ctx.meta:
            _print_version(ctx.meta[_DATA_SEEN])


def _data_seen(ctx: typer.Context, value: str | None) -> str | None:
    ctx.meta[_DATA_SEEN] = value
    if ctx.meta.get(_VERSION_ASKED):
        _print_version(value)
    return value


def _show_completion(shell: str | None) -> None:
    if shell is not None:
        from kzcli.shells import script

        sys.stdout.write(script(shell))
        raise typer.Exit()


def _install_completion(shell: str | None) -> None:
    if shell is not None:
        from kzcli.shells import install
        from kzcli.streams import say

        say(install(shell))
        raise typer.Exit()


@app.callback()
def main_options(
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            envvar="KZ_DATA",
            metavar="PATH",
            help="Corpus JSON file to use instead of the bundled one.",
            callback=_data_seen,
            is_eager=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show kz's version, the report and its corpus (path, SHA-256) and exit.",
        ),
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
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            callback=_show_completion,
            is_eager=True,
            expose_value=False,
            help="Print kz's completion script for SHELL (bash, zsh or fish).",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            callback=_install_completion,
            is_eager=True,
            expose_value=False,
            help="Install kz's completion for SHELL (bash, zsh or fish) in its start-up files.",
        ),
    ] = None,
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
        "--format",
        "-f",
        help="table (Rich on a terminal, plain text in a pipe), json, jsonl (one record a line), csv "
        "or tsv (the plain lines under a header row).",
        case_sensitive=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]


def completer(values: str, words_of: str | None = None) -> "Callable[[typer.Context, str], list[str]]":
    """A completion callback giving ``kzcli.completion``'s ``values`` from the corpus the command line names
    (`kz --data x.json person <TAB>`): completing runs no callback, so ``--data`` comes from the root ``ctx``.

    ``words_of``: the argument whose earlier words belong to the value being typed (a name of several
    words, `kz person Asya T<TAB>`), handed on as ``before``.
    """

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from kzcli import completion

        SESSION.completing = True
        data = ctx.find_root().params.get("data")
        if data:
            SESSION.use(data)
        pick = getattr(completion, values)
        if words_of is None:
            return list(pick(SESSION, incomplete))
        return list(pick(SESSION, incomplete, list(ctx.params.get(words_of) or ())))

    return complete


complete_person_words = completer("people", words_of="name")
complete_entities = completer("entity_names")
complete_entity_words = completer("entity_names", words_of="name")
complete_sections = completer("section_ids")
complete_months = completer("months")
complete_years = completer("years")
complete_dates = completer("dates")
complete_cite = completer("targets")
complete_topics = completer("topic_names")


def section_option(help: str) -> Any:
    """The ``--section`` option, as every command filtering by section declares it; ``help`` says what it keeps."""
    return typer.Option("--section", "-s", metavar="SECTION", help=help, autocompletion=complete_sections)


TopicOption = Annotated[
    list[str] | None,
    typer.Option(
        "--topic",
        "-t",
        metavar="TOPIC",
        help="Only what the corpus tags with this topic: id, label or a term (see kz topics).",
        autocompletion=complete_topics,
    ),
]


def complete_choices(values: "Iterable[str]", incomplete: str) -> list[str]:
    """Completion of a fixed set of choices (entity types, schema names, commands): kz's one prefix
    rule, ``kzcli.text.starting_with`` (folded as the commands fold what is typed)."""
    from kzcli.text import starting_with

    return starting_with(list(values), incomplete)


def complete_types(incomplete: str) -> list[str]:
    from kzcli.corpus import ENTITY_TYPES

    return complete_choices(ENTITY_TYPES, incomplete)


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
    pandoc = "pandoc"
