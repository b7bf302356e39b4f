"""T, the floor: a Typer 0.28 app with kz's commands and options, each doing nothing.

Startup of this app is what any Typer CLI with kz's surface pays before doing
any work (importing typer and vendored click, building the command tree,
parsing argv), so ``startup.py`` holds kz to a small margin over it. Keep it a
mirror: same app settings, same commands, same options and arguments with the
same types, envvars, callbacks and completion hooks; no bodies.
``tests/test_benchmarks.py`` checks the mirror against ``kzcli.cli.app``.

Like ``kzcli/cli.py`` it has no ``from __future__ import annotations`` (which
makes Typer eval every annotation string at startup).

Run it as kz is run: ``python typer_floor.py search torture``.
"""

import sys
from enum import Enum
from typing import Annotated

import typer

app = typer.Typer(
    name="kz",
    help='Query Human Rights Watch\'s "Kazakhstan: Events of 2020" (World Report 2021).\n\nExample: kz search torture',
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class PeopleOrder(str, Enum):
    name = "name"
    appearance = "appearance"


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    sqlite = "sqlite"


class CiteStyle(str, Enum):
    plain = "plain"
    bibtex = "bibtex"
    csl_json = "csl-json"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write("kz 0\n")
        raise typer.Exit()


def _complete(ctx: typer.Context, incomplete: str) -> list[str]:
    return []


@app.callback()
def main_options(
    data: Annotated[str | None, typer.Option("--data", envvar="KZ_DATA", help="Corpus JSON file.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Version.")] = False,
) -> None:
    """Query the report."""


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="table, json or csv.", case_sensitive=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]
SectionOption = Annotated[list[str] | None, typer.Option("--section", "-s", help="Section.", autocompletion=_complete)]


@app.command()
def search(
    query: Annotated[list[str], typer.Argument(help="Words.", show_default=False)],
    section: Annotated[
        list[str] | None, typer.Option("--section", "-s", help="Section.", autocompletion=_complete)
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Passages.")] = 10,
    exact: Annotated[bool, typer.Option("--exact", help="Exact.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Search."""


@app.command()
def people(
    role: Annotated[list[str] | None, typer.Option("--role", "-r", help="Role.")] = None,
    section: SectionOption = None,
    sort: Annotated[PeopleOrder, typer.Option("--sort", help="Order.", case_sensitive=False)] = PeopleOrder.name,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """People."""


@app.command()
def person(
    name: Annotated[list[str], typer.Argument(help="Name.", autocompletion=_complete, show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Person."""


@app.command()
def entity(
    name: Annotated[list[str], typer.Argument(help="Name.", autocompletion=_complete, show_default=False)],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Entity."""


@app.command()
def timeline(
    month: Annotated[list[str] | None, typer.Option("--month", "-m", help="Month.", autocompletion=_complete)] = None,
    year: Annotated[list[str] | None, typer.Option("--year", "-y", help="Year.")] = None,
    since: Annotated[list[str] | None, typer.Option("--from", help="Start.")] = None,
    until: Annotated[list[str] | None, typer.Option("--to", help="End.")] = None,
    person_name: Annotated[
        list[str] | None, typer.Option("--person", "-p", help="Person.", autocompletion=_complete)
    ] = None,
    section: SectionOption = None,
    chart: Annotated[bool, typer.Option("--chart", help="Chart.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Timeline."""


@app.command()
def sections(fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False) -> None:
    """Sections."""


@app.command()
def read(
    section: Annotated[str, typer.Argument(help="Section.", autocompletion=_complete)],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Read."""


@app.command()
def entities(
    entity_type: Annotated[str | None, typer.Option("--type", "-t", help="Type.", autocompletion=_complete)] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Entities."""


@app.command()
def figures(
    words: Annotated[list[str] | None, typer.Argument(help="Words.", show_default=False)] = None,
    section: SectionOption = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Figures."""


@app.command()
def export(
    output: Annotated[str, typer.Option("--output", "-o", help="Output.")],
    export_format: Annotated[
        ExportFormat | None, typer.Option("--format", "-f", help="Format.", case_sensitive=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Force.")] = False,
) -> None:
    """Export."""


@app.command()
def cite(
    target: Annotated[str, typer.Argument(help="Target.", autocompletion=_complete)],
    style: Annotated[CiteStyle, typer.Option("--style", help="Style.", case_sensitive=False)] = CiteStyle.plain,
) -> None:
    """Cite."""


@app.command()
def validate(
    path: Annotated[str, typer.Argument(help="Path.")],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Validate."""


@app.command()
def ingest(
    chapter: Annotated[str, typer.Argument(help="Chapter.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output.")],
    force: Annotated[bool, typer.Option("--force", help="Force.")] = False,
) -> None:
    """Ingest."""


@app.command()
def index(path: Annotated[str, typer.Argument(help="Corpus.", show_default=False)]) -> None:
    """Index."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
