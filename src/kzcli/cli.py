"""The Typer app: parse arguments, call the core, hand results to formats/render.

Startup is the cost users feel, so core modules, rapidfuzz and Rich are
imported inside the commands that need them, never at module level. No
``from __future__ import annotations`` here: Typer would then compile and eval
every parameter's annotation string on each run (~4 ms); the few annotations
naming types imported only for type checking are quoted instead.
"""

import contextlib
import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from kzcli import __version__
from kzcli.entry import discard_stdout
from kzcli.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OUTPUT, EXIT_USAGE, KzError, NotFoundError, UsageError

if TYPE_CHECKING:
    from kzcli.corpus import Corpus
    from kzcli.entities import Resolution
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


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class PeopleOrder(str, Enum):
    name = "name"
    appearance = "appearance"


class _State:
    data: str | None = None
    corpus: "Corpus | None" = None
    # Completing a word on the user's command line: nothing may be said on the terminal.
    completing = False


def corpus() -> "Corpus":
    """The corpus for this process, loaded once (``--data`` / ``KZ_DATA`` / bundled)."""
    if _State.corpus is None:
        from kzcli import corpus as corpus_module

        _State.corpus = corpus_module.load(_State.data, None if _State.completing else _stderr)
    return _State.corpus


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
    _State.data = data


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
    _State.completing = True
    data = ctx.find_root().params.get("data")
    if data and data != _State.data:
        _State.data, _State.corpus = data, None


def _complete_people(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import people

    _completion_corpus(ctx)
    return people(incomplete)


def _complete_entities(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import entity_names

    _completion_corpus(ctx)
    return entity_names(incomplete)


def _complete_sections(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import section_ids

    _completion_corpus(ctx)
    return section_ids(incomplete)


def _complete_types(incomplete: str) -> list[str]:
    from kzcli.corpus import ENTITY_TYPES

    return [t for t in ENTITY_TYPES if t.startswith(incomplete.casefold())]


def _complete_months(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import months

    _completion_corpus(ctx)
    return months(incomplete)


def emit(result: "Result", fmt: OutputFormat, as_json: bool) -> None:
    """Write a result in the chosen format; messages go to stderr; exit 1 when empty."""
    chosen = _chosen_format(fmt, as_json)
    if not result.records and len(result.messages) > 1:
        # A command that fails says one line on stderr: the first message, then the notes.
        result.messages = ["; ".join(result.messages)]
    try:
        _write(result, chosen)
    except BrokenPipeError:
        _quiet_broken_pipe()
    if not result.records:
        raise typer.Exit(1)


def _chosen_format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    """--json is --format json; with another explicit --format it is a contradiction (exit 2)."""
    if as_json and fmt is not OutputFormat.table and fmt is not OutputFormat.json:
        raise UsageError(f"--json and --format {fmt.value} disagree; give one of them")
    return OutputFormat.json if as_json else fmt


def _write(result: "Result", chosen: OutputFormat) -> None:
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
    out.flush()
    if chosen is not OutputFormat.table or not _rich_terminal():
        # Notes ("showing results for", "3 more passages") reach the user in
        # every format, on stderr, so a CSV or JSON consumer is never misled.
        for message in result.messages:
            _stderr(message)


def _rich_terminal() -> bool:
    """Rich only for a real terminal that can show it."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _shell_quote(text: str) -> str:
    """``text`` as one shell word, for the commands messages suggest (shlex: ~1 ms, messages only)."""
    import shlex

    return shlex.quote(text)


def _stderr(message: str) -> None:
    """One line on stderr; if stderr is closed or full, the message is lost, never the exit code."""
    from kzcli.text import message_line

    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.write(f"kz: {message_line(message)}\n")
        sys.stderr.flush()


def _sections_filter(names: list[str] | None) -> set[str] | None:
    """The ids of the sections a repeatable --section names (None: no filter)."""
    if not names:
        return None
    return {section_id for section_id in map(_section_id, names) if section_id is not None}


def _once(values: list[str] | None, option: str) -> str | None:
    """The one value of an option a filter takes once; two would be ambiguous (exit 2), not "the last"."""
    if not values:
        return None
    if len(values) > 1:
        raise UsageError(f"{option} was given {len(values)} times; give it once")
    return values[0]


def _section_id(name: str | None) -> str | None:
    """The id of the section a single --section names (None: no filter)."""
    if name is None:
        return None
    from kzcli.sections import resolve_section

    return resolve_section(corpus(), name).id


@app.command()
def search(
    query: Annotated[
        list[str], typer.Argument(metavar="QUERY", help='Words and "quoted phrases" to look for.', show_default=False)
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
    exact: Annotated[bool, typer.Option("--exact", help="No stemming and no typo correction.")] = False,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Ranked passages for a query, matches highlighted.

    \b
    Examples:
      kz search torture
      kz search "peaceful assemblies" --limit 3
      kz search tortured --exact
    """
    from kzcli.entities import mentioned_in_query, speller, surname
    from kzcli.formats import Result
    from kzcli.records import hit_record
    from kzcli.search import build_index
    from kzcli.search import search as run_search

    text = " ".join(query)
    data = corpus()
    sections = _sections_filter(section)
    result = run_search(build_index(data), text, exact, sections, limit or None, speller(data))
    shown = result.hits
    messages = [f"showing results for {searched!r} (you typed {typed!r})" for typed, searched in result.corrections]
    if result.hits:
        messages += [f"no passage contains {missing!r}" for missing in result.unmatched]
        messages += [f"{word!r} is only in section titles: their passages match" for word in result.title_only]
    # Named as typed, or as searched after a correction ("Kazatomprum" searched as "Kazatomprom").
    named = mentioned_in_query(data, text)
    searched = " ".join(part.text for part in result.parts)
    named += [e for e in mentioned_in_query(data, searched) if e not in named] if searched != text else []
    for entity in named:
        command = "person" if entity.type == "person" else "entity"
        handle = entity.name if entity.type != "person" else surname(entity)
        messages.append(f"{entity.name} is a named {entity.type}: see `kz {command} {_shell_quote(handle)}`")
    hidden = result.total - len(shown)
    if hidden:
        noun = "passage" if hidden == 1 else "passages"
        messages.append(f"{hidden} more {noun}; use --limit 0 to see all")
    if not result.hits:
        where = f" in {', '.join(data.section(s).title for s in sorted(sections))}" if sections else ""
        messages.insert(0, f"no passage{where} matches {text!r}")
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
    emit(Result("search", query_info, records, result.total, messages, extra), fmt, as_json)


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
    from kzcli.entities import first_appearance, sections_of, surname
    from kzcli.formats import Result
    from kzcli.records import entity_summary
    from kzcli.text import fold, holds_words

    data = corpus()
    chosen = [e for e in data.entities if e.type == "person"]
    section_id = _section_id(_once(section, "--section"))
    if section_id is not None:
        chosen = [e for e in chosen if section_id in sections_of(e)]
    role = _once(role_words, "--role")
    if role is not None:
        _require_name(role, "kz people", "a word of a role")
        # Words as search compares them: "activists" finds "activist".
        chosen = [e for e in chosen if holds_words(e.role, role)]
    if sort is PeopleOrder.appearance:
        chosen.sort(key=lambda e: first_appearance(data, e))
    else:
        chosen.sort(key=lambda e: (fold(surname(e)), fold(e.name)))
    records = [entity_summary(data, e) for e in chosen]
    query = {"role": role, "section": section_id, "sort": sort.value}
    messages = []
    if not records:
        # Roles are in the report's own words: Batyrbekov is an "editor", never a "journalist".
        hint = f"; roles hold the report's words, try `kz search {_shell_quote(role)}`" if role else ""
        messages = [f"no person matches these filters{hint}"]
    emit(Result("people", query, records, len(records), messages), fmt, as_json)


def _require_name(name: str, listing: str, what: str = "a name") -> None:
    """Input with no letters or digits is bad input (exit 2), not an unknown name (exit 1)."""
    from kzcli.text import words

    if not words(name):
        raise UsageError(f"{what} is needed, got {name!r}; see `{listing}`")


def _unresolved_message(data: "Corpus", name: str, types: tuple[str, ...] | None, resolution: "Resolution") -> str:
    """Why ``resolution`` (of ``name`` among ``types``) found no one, with the next thing to try."""
    from kzcli.entities import resolve

    kind = "person" if types == ("person",) else "entity"
    if resolution.ambiguous:
        shown = [c.entity.name for c in resolution.candidates]
        # Namesakes are told apart by id, which `kz person ID` takes.
        names = "; ".join(
            f"{c.entity.name} ({c.entity.type}{', ' + c.entity.id if shown.count(c.entity.name) > 1 else ''})"
            for c in resolution.candidates
        )
        return f"{name!r} could be several: {names}; give a more specific name"
    if types == ("person",):
        other = resolve(data, name)
        if other.entity is not None:
            return (
                f"{other.entity.name} is a named {other.entity.type}, not a person: "
                f"see `kz entity {_shell_quote(name)}`"
            )
    if resolution.candidates:
        names = ", ".join(c.entity.name for c in resolution.candidates)
        return f"no {kind} named {name!r} in the report; did you mean: {names}?"
    return f"no {kind} named {name!r} in the report; see `kz {'people' if kind == 'person' else 'entities'}`"


def _profile(command: str, name: str, types: tuple[str, ...] | None, fmt: OutputFormat, as_json: bool) -> None:
    from kzcli.entities import resolve
    from kzcli.formats import Result
    from kzcli.records import entity_profile

    _require_name(name, "kz people" if types == ("person",) else "kz entities")
    data = corpus()
    resolution = resolve(data, name, types)
    if resolution.entity is None:
        # Not found is a result too: JSON consumers get an empty envelope, exit 1.
        query: dict[str, Any] = {"name": name, "resolved": None, "matched": None}
        candidates = [{"id": c.entity.id, "name": c.entity.name, "type": c.entity.type} for c in resolution.candidates]
        message = _unresolved_message(data, name, types, resolution)
        emit(Result(command, query, [], 0, [message], {"candidates": candidates}), fmt, as_json)
        return
    entity = resolution.entity
    record = entity_profile(data, entity)
    query = {"name": name, "resolved": entity.id, "matched": resolution.candidates[0].matched}
    emit(Result(command, query, [record], 1), fmt, as_json)


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
    _profile("person", " ".join(name), ("person",), fmt, as_json)


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
    _profile("entity", " ".join(name), None, fmt, as_json)


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
    from kzcli.formats import Result
    from kzcli.records import event_record
    from kzcli.timeline import (
        OPEN_END,
        OPEN_START,
        charted,
        covered_until,
        is_partial,
        month_counts,
        period_from,
        select,
    )

    period = period_from(_once(month, "--month"), _once(year, "--year"), _once(since, "--from"), _once(until, "--to"))
    name = _once(person_name, "--person")
    data = corpus()
    events = list(data.events_between(*((OPEN_START, OPEN_END) if period is None else (period.start, period.end))))
    notes: list[str] = []
    person_id = None
    if name is not None:
        from kzcli.entities import resolve

        _require_name(name, "kz people")
        resolution = resolve(data, name, ("person",))
        if resolution.entity is None:
            resolution = resolve(data, name)
        if resolution.entity is None:
            raise NotFoundError(_unresolved_message(data, name, None, resolution))
        person_id = resolution.entity.id
        if name.strip().casefold() != resolution.entity.name.casefold():
            notes.append(f"events of {resolution.entity.name} ({resolution.entity.type})")
        events = [e for e in events if person_id in e.entities]
    section_id = _section_id(_once(section, "--section"))
    if section_id is not None:
        events = [e for e in events if e.section == section_id]
    # Events wholly inside the period first; ranges and coarser dates after.
    open_until = covered_until(data)
    chosen = sorted(select(events, period, open_until), key=lambda e: is_partial(e, period, open_until))
    records = [event_record(data, e, period) for e in chosen]
    query: dict[str, Any] = {
        "period": None if period is None else {"start": period.start, "end": period.end, "label": period.label},
        "person": person_id,
        "section": section_id,
    }
    extra: dict[str, Any] = {}
    if chart:
        extra["chart"] = [{"month": m, "dated": d, "ranges": r} for m, d, r in month_counts(chosen, period)]
        extra["undrawn"] = sum(not charted(e) for e in chosen)
        if extra["undrawn"]:
            undrawn = extra["undrawn"]
            notes.append(
                f"{undrawn} {'event' if undrawn == 1 else 'events'} dated only to a year, or open-ended, "
                f"{'is' if undrawn == 1 else 'are'} not in the chart"
            )
    messages = notes if records else ["no dated event matches these filters", *notes]
    emit(Result("timeline", query, records, len(records), messages, extra), fmt, as_json)


@app.command()
def sections(fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False) -> None:
    """The report's sections: id, title, paragraphs.

    \b
    Example:
      kz sections
    """
    from kzcli.formats import Result
    from kzcli.records import section_record

    records = [section_record(s) for s in corpus().sections]
    emit(Result("sections", {}, records, len(records)), fmt, as_json)


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
    from kzcli.formats import Result
    from kzcli.records import paragraph_record
    from kzcli.sections import PARAGRAPH_REF_RE, check_paragraph, resolve_section

    data = corpus()
    ref = PARAGRAPH_REF_RE.match(section.strip())
    if ref is None and ":" in section:
        raise UsageError(f"{section!r}: give SECTION:PARAGRAPH with a paragraph number, e.g. `kz read torture:2`")
    found = resolve_section(data, ref.group("section") if ref else section)
    numbers = range(1, len(found.paragraphs) + 1)
    if ref:
        number = int(ref.group("number"))
        check_paragraph(found, number)
        numbers = range(number, number + 1)
    records = [paragraph_record(data, found, n) for n in numbers]
    query = {"section": section, "resolved": found.id, "title": found.title}
    notes = [] if section in (found.id, f"{found.id}:{numbers[0]}") else [f"section {found.title} ({found.id})"]
    emit(Result("read", query, records, len(records), notes), fmt, as_json)


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
    from kzcli.entities import entity_type_named
    from kzcli.formats import Result
    from kzcli.records import entity_summary
    from kzcli.text import fold

    wanted = None if entity_type is None else entity_type_named(entity_type)
    data = corpus()
    chosen = [e for e in data.entities if wanted is None or e.type == wanted]
    chosen.sort(key=lambda e: (e.type, fold(e.name)))
    records = [entity_summary(data, e) for e in chosen]
    query = {"type": wanted}
    emit(Result("entities", query, records, len(records)), fmt, as_json)


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
    from kzcli.figures import select_figures, typed_number
    from kzcli.formats import Result
    from kzcli.records import figure_record

    data = corpus()
    wanted = " ".join(words) if words else None
    if wanted is not None:
        _require_name(wanted, "kz figures --help", "a number or a word to look for")
    section_id = _section_id(_once(section, "--section"))
    records = [figure_record(data, f) for f in select_figures(data, wanted, section_id)]
    messages = []
    if not records:
        where = f" in {data.section(section_id).title}" if section_id else ""
        if wanted is None:
            messages = [f"no figure is stated{where}"]
        elif typed_number(wanted) is not None:
            messages = [f"no figure{where} has the value {wanted!r}; see `kz figures`"]
        else:
            messages = [f"no figure{where} holds {wanted!r}; try `kz search {_shell_quote(wanted)}`"]
    query = {"words": wanted, "section": section_id}
    emit(Result("figures", query, records, len(records), messages), fmt, as_json)


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"
    sqlite = "sqlite"


class CiteStyle(str, Enum):
    plain = "plain"
    bibtex = "bibtex"
    csl_json = "csl-json"


def _complete_cite(ctx: typer.Context, incomplete: str) -> list[str]:
    from kzcli.completion import entity_names, section_ids

    _completion_corpus(ctx)
    return section_ids(incomplete) + entity_names(incomplete)


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
    from kzcli.export import export as write_export
    from kzcli.export import format_for

    chosen = format_for(output, export_format.value if export_format else None)
    try:
        written = write_export(corpus(), chosen, output, force, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    if output != "-":
        shown = ("sections", "paragraphs", "entities", "mentions", "events", "figures")
        counts = ", ".join(f"{written.counts[name]} {name}" for name in shown)
        _stderr(f"wrote {chosen} {output}: {counts}")


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
    from kzcli.cite import cite as make_citation
    from kzcli.formats import writes_utf8

    sys.stdout.write(make_citation(corpus(), target, style.value, not writes_utf8(sys.stdout)) + "\n")


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
    from kzcli.errors import EXIT_CORPUS
    from kzcli.formats import OUTPUT_SCHEMA_VERSION
    from kzcli.validation import check_file, summary, write

    chosen = _chosen_format(fmt, as_json)
    check = check_file(path)
    try:
        write(check, chosen.value, sys.stdout, OUTPUT_SCHEMA_VERSION)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    _stderr(summary(check))
    if not check.valid:
        raise typer.Exit(EXIT_CORPUS)


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
    from kzcli.export import write_json_document
    from kzcli.ingest import ingest as draft_corpus
    from kzcli.ingest import read_chapter

    document = draft_corpus(read_chapter(chapter), chapter)
    try:
        write_json_document(document, output, force, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    paragraphs = sum(len(s["paragraphs"]) for s in document["sections"])
    _stderr(
        f"wrote {output}: {len(document['sections'])} sections, {paragraphs} paragraphs, "
        f"{len(document['events'])} events, {len(document['entities'])} entities, "
        f"{len(document['figures'])} figures (all unreviewed)"
    )


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
    from kzcli.store import write

    _stderr(f"wrote {write(path)}")


def _fail(message: str, code: int) -> NoReturn:
    _stderr(message)
    raise SystemExit(code)


def main() -> None:
    """Console entry point: run the app and turn every failure into one line and an exit code."""
    for stream in (sys.stdout, sys.stderr):
        # A non-UTF-8 terminal gets '?' for what it cannot show, never a crash.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    if sys.stdout is None:  # started with stdout closed (`kz sections >&-`)
        if sys.stderr is not None:
            sys.stderr.write("kz: cannot write output: stdout is closed\n")
        raise SystemExit(EXIT_OUTPUT)
    # typer 0.28 vendors click; its exceptions are the ones the parser raises.
    from typer._click import exceptions as click

    try:
        code = app(standalone_mode=False)
    except KzError as exc:
        _fail(exc.message, exc.exit_code)
    except click.NoArgsIsHelpError as exc:
        try:
            sys.stdout.write(exc.ctx.get_help() + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()
        except OSError as write_error:
            _cannot_write(write_error)
        raise SystemExit(0) from None
    except click.UsageError as exc:
        hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
        if "--data" in exc.format_message():
            hint = " (--data is a global option: `kz --data PATH COMMAND ...`)"
        _fail(f"{exc.format_message()}{hint}", EXIT_USAGE)
    except click.ClickException as exc:
        _fail(exc.format_message(), EXIT_USAGE)
    except (typer.Abort, KeyboardInterrupt):
        _fail("interrupted", EXIT_INTERRUPTED)
    except SystemExit as exc:
        # typer's help writer meets a closed pipe with exit 1, after wrapping
        # stdout in click's PacifyFlushWrapper: the same early reader as
        # `kz timeline | head -1`, so the same quiet exit 0.
        if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
            _quiet_broken_pipe()
        raise
    except BrokenPipeError:
        _quiet_broken_pipe()
    except RecursionError:
        _fail("input too deeply nested", EXIT_USAGE)
    except OSError as exc:
        _cannot_write(exc)
    except Exception as exc:
        if isinstance(exc, KeyError) and os.environ.get("_KZ_COMPLETE", "").startswith("complete_"):
            # The completion hook run by hand: the shell's variables (COMP_WORDS, ...) are missing.
            _fail(f"shell completion needs the variables the shell sets ({exc}); see `kz --help`", EXIT_USAGE)
        _fail(f"internal error: {type(exc).__name__}: {exc}", EXIT_INTERNAL)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:
        _cannot_write(exc)
    raise SystemExit(code if isinstance(code, int) else 0)


def _cannot_write(exc: OSError) -> NoReturn:
    """Stdout failed (a full disk): say so once, and drop what is still buffered so that
    Python's own flush at exit does not fail again ("Exception ignored ...", exit 120)."""
    discard_stdout()
    _fail(f"cannot write output: {exc.strerror or exc}", EXIT_OUTPUT)


def _quiet_broken_pipe() -> NoReturn:
    """The reader stopped early (``kz timeline | head -1``): not an error."""
    discard_stdout()
    raise SystemExit(0)
