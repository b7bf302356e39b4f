"""Datasette metadata for ``kz export --format sqlite --metadata FILE``.

``datasette kz.db -m kz-metadata.json`` then shows the export as its users
expect: what the data is and where it comes from, a description of every
table and column, links that read as ``torture ¶2`` and as an event's
summary, facets and a sort order that fit each table, and canned queries for
the questions asked most. Datasette keys a database's settings by the file's
name without its extension (``kz.db`` is ``kz``), so the metadata is made for
the database file it is written with.

The licence line states only what is known: the chapter is Human Rights
Watch's text; the report itself states no licence (its one credit line is a
photo's). kz's own additions (ids, summaries, dates read from the text) are
marked as kz's reading.
"""

from __future__ import annotations

import os
from typing import Any

from kzcli.corpus import Corpus
from kzcli.publication import where_published

_PLACE_COLUMNS = {
    "section": "Section id (sections.id), as `kz read` and `kz cite` take it.",
    "paragraph": "Paragraph number within the section, from 1, as citations give it.",
    "paragraph_id": "The paragraph (paragraphs.id), shown as its place: section ¶number.",
}
_QUOTE = "The report's words, verbatim, in that paragraph."
_CITE = "What `kz cite` and `kz read` take for it: section:number."

# Table: (description, column descriptions, label column, facets, sort column; None: key order).
_TABLES: dict[str, tuple[str, dict[str, str], str | None, list[Any], str | None]] = {
    "report": (
        "The report this database holds, and the versions of kz's corpus and table layout.",
        {
            "schema_version": "Version of the corpus format (report.json).",
            "tables_version": "Version of these tables: raised when a table or column changes meaning.",
            "source_file": "The text file the corpus was read from.",
        },
        None,
        [],
        None,
    ),
    "sections": (
        "The chapter's sections in reading order; the untitled opening paragraph is 'overview'.",
        {"id": "Section id, as `kz read` takes it.", "position": "Order in the chapter.", "title": "Heading."},
        "title",
        [],
        "position",
    ),
    "paragraphs": (
        "Every paragraph of the chapter, verbatim, in reading order. Full-text search: paragraphs_fts.",
        {
            "id": "Reading order across the chapter.",
            "section": _PLACE_COLUMNS["section"],
            "paragraph": _PLACE_COLUMNS["paragraph"],
            "place": "Where it stands, as kz prints places: section ¶number.",
            "text": "The paragraph, verbatim.",
            "cite": _CITE,
        },
        "place",
        ["section"],
        None,
    ),
    "entities": (
        "Every named person, organization, place and law, with kz's description of its role.",
        {
            "type": "person, organization, place or law.",
            "name": "The name as the report gives it.",
            "aliases": "Other spellings and short forms (JSON array).",
            "role": "Who or what it is, in kz's words from the report.",
            "mentions": "How many times the report names it (rows in mentions).",
        },
        "name",
        ["type"],
        "name",
    ),
    "mentions": (
        "Each place where the report names an entity, with the words that name it.",
        {
            "entity": "The entity named (entities.id).",
            "position": "Order among the entity's mentions.",
            **_PLACE_COLUMNS,
            "quote": _QUOTE,
            "cite": _CITE,
        },
        None,
        ["entity", "section"],
        None,
    ),
    "notes": (
        "kz's notes on how the corpus reads the text (dates read from context, what is left out and why).",
        {"text": "The note, in kz's words."},
        "id",
        [],
        None,
    ),
    "events": (
        "Dated events the report states, in kz's summary, each with the sentence it comes from.",
        {
            "date": "The date as precisely as the report gives it: YYYY, YYYY-MM or YYYY-MM-DD.",
            "end": "For a range, its end in the same form; empty otherwise.",
            "first_day": "First day the date covers, as a full ISO date (2020-05 → 2020-05-01): sort and facet here.",
            "last_day": "Last day the date covers (2020-05 → 2020-05-31); an ongoing event runs to the report's end.",
            "precision": "day, month or year.",
            "ongoing": "1 when the report gives no end (“Since 2018”).",
            "date_text": "The date as the report writes it.",
            "inferred": "The part of the date read from context, not stated (e.g. year); empty when all is stated.",
            "date_note": "The note explaining an inferred date (notes.id).",
            "summary": "What happened, in kz's words; the quote is the report's.",
            **_PLACE_COLUMNS,
            "quote": _QUOTE,
            "cite": "The event's id: what `kz cite` and `kz read` take for it.",
        },
        "summary",
        ["precision", "section", {"date": "first_day"}],
        "first_day",
    ),
    "event_entities": (
        "Which entities each event involves.",
        {"event": "The event (events.id).", "entity": "The entity (entities.id).", "position": "Order in the event."},
        None,
        ["entity"],
        None,
    ),
    "figures": (
        "Every number the report states, with what it counts.",
        {
            "value": "The number; empty for vague quantities (“dozens”).",
            "qualifier": "The report's words qualifying or standing for the number (“at least”, “dozens”).",
            "text": "The number as written.",
            "unit": "What is counted.",
            "what": "What the number says, in kz's words.",
            **_PLACE_COLUMNS,
            "quote": _QUOTE,
            "cite": _CITE,
        },
        "text",
        ["unit", "section"],
        None,
    ),
    "left_out": (
        "Names, numbers and dates in the text that the corpus deliberately does not record, and why.",
        {
            "kind": "name, number or date.",
            "text": "The words left out.",
            **_PLACE_COLUMNS,
            "reason": "Why.",
            "cite": _CITE,
        },
        None,
        ["kind"],
        None,
    ),
    "topics": (
        "kz's topics: themes and groups of affected persons, in the manner of the UN's Universal Human Rights "
        "Index, each tagging the paragraphs and events about it (kz's judgement, explained in notes).",
        {
            "position": "Order in the corpus.",
            "label": "The topic's name.",
            "vocabulary": "theme or affected persons.",
            "scope": "What the topic covers, in kz's words.",
            "terms": "Words people search for it by (a JSON array); kz search reads them as the topic.",
        },
        "label",
        ["vocabulary"],
        None,
    ),
    "topic_paragraphs": (
        "Which paragraphs each topic tags.",
        {"topic": "The topic (topics.id).", **_PLACE_COLUMNS, "cite": _CITE},
        None,
        ["topic", "section"],
        None,
    ),
    "topic_events": (
        "Which events each topic tags.",
        {"topic": "The topic (topics.id).", "event": "The event (events.id)."},
        None,
        ["topic"],
        None,
    ),
}

_QUERIES: dict[str, dict[str, str]] = {
    "events_by_month": {
        "title": "Events by month",
        "description": "Events dated to a month or a day, counted by the month they start in "
        "(year-only dates have no month and are left out).",
        "sql": "select substr(first_day, 1, 7) as month, count(*) as events, "
        "sum(precision = 'day') as dated_to_the_day, sum(\"end\" is not null) as ranges "
        "from events where precision != 'year' group by month order by month",
    },
    "people_with_the_most_mentions": {
        "title": "People with the most mentions",
        "description": "Every person the report names, by how often it names them.",
        "sql": "select e.id, e.name, e.role, count(m.id) as mentions, count(distinct m.section) as sections "
        "from entities e join mentions m on m.entity = e.id where e.type = 'person' "
        "group by e.id order by mentions desc, e.name",
    },
    "events_of_an_entity": {
        "title": "Events of a person or organization",
        "description": "The dated events an entity takes part in, in date order (a part of a name is enough).",
        "sql": "select v.first_day, v.last_day, v.date_text, v.summary, p.place, v.quote "
        "from events v join event_entities ve on ve.event = v.id join entities e on e.id = ve.entity "
        "join paragraphs p on p.id = v.paragraph_id "
        "where e.name like '%' || :name || '%' order by v.first_day, v.last_day",
    },
    "passages_about": {
        "title": "Passages about…",
        "description": 'Paragraphs matching SQLite FTS5 words (torture, "peaceful assembly", journalist*), '
        "best first, as kz search ranks them in SQLite.",
        "sql": "select p.place, snippet(paragraphs_fts, 0, '[', ']', '…', 24) as snippet "
        "from paragraphs_fts join paragraphs p on p.id = paragraphs_fts.rowid "
        "where paragraphs_fts match :words order by rank",
    },
}


def database_name(path: str) -> str:
    """The name Datasette gives the database file at ``path``: its file name without the extension."""
    return os.path.splitext(os.path.basename(path))[0]


def _table(description: str, columns: dict[str, str], label: str | None, facets: list[Any], sort: str | None) -> Any:
    table: dict[str, Any] = {"description": description, "columns": columns}
    if label is not None:
        table["label_column"] = label
    if facets:
        table["facets"] = facets
    if sort is not None:
        table["sort"] = sort
    return table


def metadata(corpus: Corpus, database_path: str) -> dict[str, Any]:
    """Datasette's metadata for the export of ``corpus`` written to ``database_path``."""
    r = corpus.report
    tables = {name: _table(*settings) for name, settings in _TABLES.items()}
    tables["paragraphs"]["fts_table"] = "paragraphs_fts"
    tables["paragraphs"]["fts_pk"] = "id"
    return {
        "title": f"{r.title} ({r.series})",
        "description": (
            f"{r.publisher}'s chapter “{r.title}” from {r.series}, as kz's corpus: every paragraph verbatim, "
            "and the people, organizations, places, laws, dated events and numbers it names, each with the "
            "report's own words and its place (section ¶paragraph). Findings are the report's, as reported; "
            "ids, summaries and dates read from the text are kz's."
        ),
        "source": f"{r.publisher}, {r.series}",
        **({"source_url": url} if (url := where_published(r)[0]) else {}),
        "license": f"Text © {r.publisher}; the report states no licence of its own",
        "databases": {database_name(database_path): {"tables": tables, "queries": _QUERIES}},
    }
