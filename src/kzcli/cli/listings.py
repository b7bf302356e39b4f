"""kz's commands over named records: people, person, entity, entities, sections, notes."""

from typing import Annotated

import typer

import kzcli.cli.common as common
from kzcli.cli.common import (
    FormatOption,
    JsonOption,
    PeopleOrder,
    TopicOption,
    complete_entity_words,
    complete_person_words,
    complete_topics,
    complete_types,
    emit_result,
    section_option,
)
from kzcli.output import OutputFormat

app = common.app


@app.command()
def people(
    role_words: Annotated[
        list[str] | None,
        typer.Option("--role", "-r", metavar="WORDS", help="Only people whose role contains this text."),
    ] = None,
    section: Annotated[list[str] | None, section_option("Only people named in this section.")] = None,
    sort: Annotated[
        PeopleOrder, typer.Option("--sort", help="name (surname order) or appearance.", case_sensitive=False)
    ] = PeopleOrder.name,
    topic: TopicOption = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """Every named person: role, sections, events.

    \b
    Examples:
      kz people --section civil-society
      kz people --topic journalists
    """
    from kzcli.commands.listings import people as command

    emit_result(command(common.SESSION, role_words, section, sort is PeopleOrder.appearance, topic), fmt, as_json)


@app.command()
def person(
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Full name, surname or alias; spelling is forgiven (and said), another name is not.",
            autocompletion=complete_person_words,
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

    emit_result(profile.run(common.SESSION, "person", " ".join(name), ("person",)), fmt, as_json)


@app.command()
def entity(
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Name, acronym or alias of any entity.",
            autocompletion=complete_entity_words,
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

    emit_result(profile.run(common.SESSION, "entity", " ".join(name), None), fmt, as_json)


@app.command()
def entities(
    entity_type: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-t",
            metavar="TYPE",
            help="person, organization (or organisation), place or law.",
            autocompletion=complete_types,
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
    from kzcli.commands.filters import once
    from kzcli.commands.listings import entities as command

    emit_result(command(common.SESSION, once(entity_type, "--type")), fmt, as_json)


@app.command()
def sections(fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False) -> None:
    """The report's sections: id, title, paragraphs.

    \b
    Example:
      kz sections
    """
    from kzcli.commands.listings import sections as command

    emit_result(command(common.SESSION), fmt, as_json)


@app.command()
def notes(
    note_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="One note by id.", show_default=False)] = None,
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """The corpus's judgement calls: why a date, name or number was read so.

    \b
    Example:
      kz notes november-2019
    """
    from kzcli.commands.listings import notes as command

    emit_result(command(common.SESSION, note_id), fmt, as_json)


@app.command()
def topics(fmt: FormatOption = OutputFormat.table, as_json: JsonOption = False) -> None:
    """The corpus's topics (themes, affected persons): passages, events, people.

    \b
    Example:
      kz topics
    """
    from kzcli.commands.topics import topics as command

    emit_result(command(common.SESSION), fmt, as_json)


@app.command()
def topic(
    name: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME",
            help="Id, label or a term of a topic (covid, LGBT, torture); loosely typed names are said.",
            autocompletion=complete_topics,
            show_default=False,
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    as_json: JsonOption = False,
) -> None:
    """One topic: its scope note and terms, its passages, events and people.

    \b
    Examples:
      kz topic covid
      kz topic "freedom of expression"
    """
    from kzcli.commands.topics import topic as command

    emit_result(command(common.SESSION, " ".join(name)), fmt, as_json)
