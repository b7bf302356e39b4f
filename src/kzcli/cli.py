"""The Typer app: parse arguments, call the core, hand results to formats/render.

Startup is the cost users feel, so core modules, rapidfuzz and Rich are
imported inside the commands that need them, never at module level.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from kzcli import __version__
from kzcli.errors import EXIT_INTERRUPTED, EXIT_USAGE, KzError, NotFoundError

if TYPE_CHECKING:
    from kzcli.corpus import Corpus
    from kzcli.formats import Result

# Exit code for a bug in kz itself (sysexits' EX_SOFTWARE): never a traceback.
EXIT_INTERNAL = 70
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


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class EntityType(str, Enum):
    person = "person"
    organization = "organization"
    place = "place"
    law = "law"


class PeopleOrder(str, Enum):
    name = "name"
    appearance = "appearance"


class _State:
    data: str | None = None
    corpus: Corpus | None = None


def corpus() -> Corpus:
    """The corpus for this process, loaded once (``--data`` / ``KZ_DATA`` / bundled)."""
    if _State.corpus is None:
        from kzcli import corpus as corpus_module

        _State.corpus = corpus_module.load(_State.data)
    return _State.corpus


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kz {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    data: Annotated[
        str | None,
        typer.Option("--data", envvar="KZ_DATA", help="Corpus JSON file to use instead of the bundled one."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Query Human Rights Watch's "Kazakhstan: Events of 2020" (World Report 2021)."""
    _State.data = data


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="table (Rich on a terminal, plain text in a pipe), json or csv."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]


def _complete_people(incomplete: str) -> list[str]:
    from kzcli.completion import people

    return people(incomplete)


def _complete_entities(incomplete: str) -> list[str]:
    from kzcli.completion import entity_names

    return entity_names(incomplete)


def _complete_sections(incomplete: str) -> list[str]:
    from kzcli.completion import section_ids

    return section_ids(incomplete)


def _complete_months(incomplete: str) -> list[str]:
    from kzcli.completion import months

    return months(incomplete)


def emit(result: Result, fmt: OutputFormat, as_json: bool) -> None:
    """Write a result in the chosen format; messages go to stderr; exit 1 when empty."""
    chosen = OutputFormat.json if as_json else fmt
    try:
        _write(result, chosen)
    except BrokenPipeError:
        _quiet_broken_pipe()
    if not result.records:
        raise typer.Exit(1)


def _write(result: Result, chosen: OutputFormat) -> None:
    out = sys.stdout
    if chosen is OutputFormat.json:
        from kzcli.formats import write_json

        write_json(result, corpus().report, out)
    elif chosen is OutputFormat.csv:
        from kzcli.formats import write_csv

        write_csv(result, out)
    elif _rich_terminal():
        from kzcli import render

        render.show(result)
    else:
        from kzcli.formats import write_plain

        write_plain(result, out)
        for message in result.messages:
            _stderr(message)
    out.flush()


def _rich_terminal() -> bool:
    """Rich only for a real terminal that can show it."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _stderr(message: str) -> None:
    from kzcli.text import printable

    sys.stderr.write(f"kz: {printable(message)}\n")
    sys.stderr.flush()


def _sections_filter(names: list[str] | None) -> set[str] | None:
    if not names:
        return None
    from kzcli.sections import resolve_section

    return {resolve_section(corpus(), name).id for name in names}


@app.command()
def search(
    query: Annotated[list[str], typer.Argument(help='Words and "quoted phrases" to look for.', show_default=False)],
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            help="Only this section (id or fuzzy title); repeatable.",
            autocompletion=_complete_sections,
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Passages to show; 0 shows all.")] = DEFAULT_LIMIT,
    exact: Annotated[bool, typer.Option("--exact", help="No stemming and no typo correction.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Ranked passages for a query, matches highlighted.

    Example: kz search torture    kz search "peaceful assemblies" --limit 3
    """
    from kzcli.entities import mentioned_in_query
    from kzcli.formats import Result
    from kzcli.records import hit_record
    from kzcli.search import build_index
    from kzcli.search import search as run_search

    text = " ".join(query)
    data = corpus()
    sections = _sections_filter(section)
    result = run_search(build_index(data), text, exact=exact, sections=sections)
    shown = result.hits if limit == 0 else result.hits[:limit]
    messages = [f"showing results for {searched!r} (you typed {typed!r})" for typed, searched in result.corrections]
    named = mentioned_in_query(data, text)
    for entity in named:
        command = "person" if entity.type == "person" else "entity"
        surname = entity.name if entity.type != "person" else entity.name.split()[-1]
        messages.append(f"{entity.name} is a named {entity.type}: see `kz {command} {surname}`")
    if len(result.hits) > len(shown):
        messages.append(f"{len(result.hits) - len(shown)} more passages; use --limit 0 to see all")
    if not result.hits:
        messages.append(f"no passage matches {text!r}")
    query_info = {
        "text": text,
        "understood": [
            {"text": p.text, "phrase": p.is_phrase, "corrected_from": " ".join(p.corrected_from) or None}
            for p in result.parts
        ],
        "exact": exact,
        "sections": sorted(sections) if sections else None,
        "limit": limit,
    }
    records = [hit_record(i, hit) for i, hit in enumerate(shown, 1)]
    extra = {"entities": [{"id": e.id, "type": e.type, "name": e.name} for e in named]}
    emit(Result("search", query_info, records, len(result.hits), messages, extra), fmt, as_json)


@app.command()
def people(
    role: Annotated[str | None, typer.Option("--role", "-r", help="Only people whose role contains this text.")] = None,
    section: Annotated[
        str | None,
        typer.Option("--section", "-s", help="Only people named in this section.", autocompletion=_complete_sections),
    ] = None,
    sort: Annotated[PeopleOrder, typer.Option("--sort", help="name (surname order) or appearance.")] = PeopleOrder.name,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every named person: role, sections, events.

    Example: kz people --section civil-society
    """
    from kzcli.entities import first_appearance, sections_of
    from kzcli.formats import Result
    from kzcli.records import entity_summary
    from kzcli.text import fold

    data = corpus()
    chosen = [e for e in data.entities if e.type == "person"]
    section_id = _sections_filter([section]) if section else None
    if section_id:
        chosen = [e for e in chosen if section_id & set(sections_of(e))]
    if role:
        wanted = fold(role).strip()
        chosen = [e for e in chosen if wanted in fold(e.role)]
    if sort is PeopleOrder.appearance:
        chosen.sort(key=lambda e: first_appearance(data, e))
    else:
        chosen.sort(key=lambda e: (fold(e.name.split()[-1]), fold(e.name)))
    records = [entity_summary(data, e) for e in chosen]
    query = {"role": role, "section": sorted(section_id)[0] if section_id else None, "sort": sort.value}
    messages = [] if records else ["no person matches these filters"]
    emit(Result("people", query, records, len(records), messages), fmt, as_json)


def _profile(command: str, name: str, types: tuple[str, ...] | None, fmt: OutputFormat, as_json: bool) -> None:
    from kzcli.entities import resolve
    from kzcli.formats import Result
    from kzcli.records import entity_profile

    data = corpus()
    resolution = resolve(data, name, types)
    if resolution.entity is None:
        kind = "person" if types == ("person",) else "entity"
        if resolution.ambiguous:
            names = "; ".join(f"{c.entity.name} ({c.entity.type})" for c in resolution.candidates)
            raise NotFoundError(f"{name!r} could be several: {names}. Give a more specific name.")
        if resolution.candidates:
            names = ", ".join(c.entity.name for c in resolution.candidates)
            raise NotFoundError(f"no {kind} named {name!r} in the report; did you mean: {names}?")
        raise NotFoundError(
            f"no {kind} named {name!r} in the report; see `kz {'people' if kind == 'person' else 'entities'}`"
        )
    entity = resolution.entity
    record = entity_profile(data, entity)
    query = {"name": name, "resolved": entity.id, "matched": resolution.candidates[0].matched}
    emit(Result(command, query, [record], 1), fmt, as_json)


@app.command()
def person(
    name: Annotated[
        str,
        typer.Argument(help="Full name, surname or variant; typos are forgiven.", autocompletion=_complete_people),
    ],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Profile of a person: role, events, every mention.

    Example: kz person Tulesova
    """
    _profile("person", name, ("person",), fmt, as_json)


@app.command()
def entity(
    name: Annotated[
        str, typer.Argument(help="Name, acronym or alias of any entity.", autocompletion=_complete_entities)
    ],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Profile of any person, organisation, place or law.

    Example: kz entity Adilsoz    kz entity OSCE
    """
    _profile("entity", name, None, fmt, as_json)


@app.command()
def timeline(
    month: Annotated[
        str | None,
        typer.Option("--month", "-m", help="YYYY-MM, e.g. 2020-06.", autocompletion=_complete_months),
    ] = None,
    year: Annotated[str | None, typer.Option("--year", "-y", help="YYYY, e.g. 2019.")] = None,
    since: Annotated[str | None, typer.Option("--from", help="Start: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="End: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    person_name: Annotated[
        str | None,
        typer.Option("--person", "-p", help="Only events involving this person.", autocompletion=_complete_people),
    ] = None,
    section: Annotated[
        str | None,
        typer.Option("--section", "-s", help="Only events from this section.", autocompletion=_complete_sections),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the number of events per month.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Dated events in order, at the precision reported.

    Events that only overlap the period (ranges, or dates known only to the
    month or year) are included and marked.

    Example: kz timeline --month 2020-06    kz timeline --from 2020-03 --to 2020-05
    """
    from kzcli.entities import resolve
    from kzcli.formats import Result
    from kzcli.records import event_record
    from kzcli.timeline import is_partial, month_counts, period_from, select

    period = period_from(month, year, since, until)
    data = corpus()
    events = list(data.events)
    person_id = None
    if person_name is not None:
        resolution = resolve(data, person_name, ("person",))
        if resolution.entity is None:
            raise NotFoundError(f"no single person matches {person_name!r}; try `kz person {person_name}`")
        person_id = resolution.entity.id
        events = [e for e in events if person_id in e.entities]
    section_ids = _sections_filter([section]) if section else None
    if section_ids:
        events = [e for e in events if e.section in section_ids]
    # Events wholly inside the period first; ranges and coarser dates after.
    chosen = sorted(select(events, period), key=lambda e: is_partial(e, period))
    records = [event_record(data, e, period) for e in chosen]
    query: dict[str, Any] = {
        "period": None if period is None else {"start": period.start, "end": period.end, "label": period.label},
        "person": person_id,
        "section": sorted(section_ids)[0] if section_ids else None,
    }
    extra: dict[str, Any] = {}
    if chart:
        extra["chart"] = [{"month": m, "dated": d, "ranges": r} for m, d, r in month_counts(chosen)]
        extra["undrawn"] = sum(1 for e in chosen if e.precision == "year" or e.ongoing)
    messages = [] if records else ["no dated event matches these filters"]
    emit(Result("timeline", query, records, len(records), messages, extra), fmt, as_json)


@app.command()
def sections(fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False) -> None:
    """The report's sections: id, title, paragraphs.

    Example: kz sections
    """
    from kzcli.formats import Result
    from kzcli.records import section_record

    records = [section_record(s) for s in corpus().sections]
    emit(Result("sections", {}, records, len(records)), fmt, as_json)


@app.command()
def read(
    section: Annotated[str, typer.Argument(help="Section id or (fuzzy) title.", autocompletion=_complete_sections)],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """One section's paragraphs, numbered.

    Example: kz read torture    kz read "freedom of expression"
    """
    from kzcli.formats import Result
    from kzcli.records import paragraph_record
    from kzcli.sections import resolve_section

    data = corpus()
    found = resolve_section(data, section)
    records = [paragraph_record(data, found, n) for n in range(1, len(found.paragraphs) + 1)]
    query = {"section": section, "resolved": found.id, "title": found.title}
    emit(Result("read", query, records, len(records)), fmt, as_json)


@app.command()
def entities(
    entity_type: Annotated[
        EntityType | None, typer.Option("--type", "-t", help="person, organization, place or law.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every named person, organisation, place and law.

    Example: kz entities --type law
    """
    from kzcli.formats import Result
    from kzcli.records import entity_summary
    from kzcli.text import fold

    data = corpus()
    chosen = [e for e in data.entities if entity_type is None or e.type == entity_type.value]
    chosen.sort(key=lambda e: (e.type, fold(e.name)))
    records = [entity_summary(data, e) for e in chosen]
    query = {"type": entity_type.value if entity_type else None}
    emit(Result("entities", query, records, len(records)), fmt, as_json)


@app.command()
def figures(
    contains: Annotated[str | None, typer.Argument(help="Only figures whose description contains this.")] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every number the report states, with its quote.

    Example: kz figures    kz figures journalists
    """
    from kzcli.formats import Result
    from kzcli.records import figure_record
    from kzcli.text import fold

    data = corpus()
    chosen = list(data.figures)
    if contains:
        wanted = fold(contains).strip()
        chosen = [f for f in chosen if wanted in fold(f"{f.what} {f.unit} {f.text} {f.quote}")]
    records = [figure_record(data, f) for f in chosen]
    messages = [] if records else [f"no figure matches {contains!r}"]
    emit(Result("figures", {"contains": contains}, records, len(records), messages), fmt, as_json)


def _fail(message: str, code: int) -> NoReturn:
    _stderr(message)
    raise SystemExit(code)


def main() -> None:
    """Console entry point: run the app and turn every failure into one line and an exit code."""
    for stream in (sys.stdout, sys.stderr):
        # A non-UTF-8 terminal gets '?' for what it cannot show, never a crash.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    # typer 0.28 vendors click; its exceptions are the ones the parser raises.
    from typer._click import exceptions as click

    try:
        code = app(standalone_mode=False)
    except KzError as exc:
        _fail(exc.message, exc.exit_code)
    except click.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        raise SystemExit(0) from None
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        _fail(f"{exc.format_message()}{hint}", EXIT_USAGE)
    except click.ClickException as exc:
        _fail(exc.format_message(), EXIT_USAGE)
    except (typer.Abort, KeyboardInterrupt):
        _fail("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:
        _quiet_broken_pipe()
    except RecursionError:
        _fail("input too deeply nested", EXIT_USAGE)
    except Exception as exc:
        _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INTERNAL)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    raise SystemExit(code if isinstance(code, int) else 0)


def _quiet_broken_pipe() -> NoReturn:
    """The reader stopped early (``kz timeline | head -1``): not an error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)
