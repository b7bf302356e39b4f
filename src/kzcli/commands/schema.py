"""``kz schema``: the JSON Schema of a command's ``--json`` output, of one ``--format jsonl`` line, or of a corpus.

The schemas ship in the package: ``report.schema.json`` (corpus files, also
``kzcli.validation.schema_path``) and ``output.schema.json`` (every command's
envelope, one ``$defs`` entry each). A command's schema is printed as a
document of its own: its definition as the root, with only the ``$defs`` it
refers to, and an ``$id`` of its own.

Every ``$id`` is under ``https://kz.invalid/schema/v1/``: ``.invalid`` is the
name reserved never to resolve (RFC 6761), so no tool fetches anything, and
the ids are still URLs against which relative ``$ref``s resolve; ``v1`` is the
``schema_version`` the documents carry.
"""

from __future__ import annotations

import json
import os
from typing import IO, Any

from kzcli.errors import UsageError

BASE = "https://kz.invalid/schema/v1/"
OUTPUT_FILE = "output.schema.json"
CORPUS = "corpus"
ERROR = "error"
# The commands with a JSON envelope, as `kz schema` lists them, and what each prints.
COMMANDS = (
    "search",
    "read",
    "timeline",
    "figures",
    "people",
    "person",
    "entity",
    "entities",
    "sections",
    "notes",
    "topics",
    "topic",
    "validate",
)
# The record each command's envelope holds (a --format jsonl line), by $defs name.
RECORD_DEFS = {
    "search": ("searchRecord", "countRecord"),
    "read": ("paragraphRecord",),
    "timeline": ("eventRecord", "chartRow"),
    "figures": ("figureRecord",),
    "people": ("entitySummary",),
    "person": ("profile",),
    "entity": ("profile",),
    "entities": ("entitySummary",),
    "sections": ("sectionRecord",),
    "notes": ("noteRecord",),
    "topics": ("topicSummary",),
    "topic": ("topicRecord",),
    "validate": ("problemRecord",),
}
NAMES = (*COMMANDS, ERROR, CORPUS)


def _load(file_name: str) -> dict[str, Any]:
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(here, file_name), encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


def output_document() -> dict[str, Any]:
    """The shipped schema of every command's output (a schema itself: any one of them)."""
    return _load(OUTPUT_FILE)


def corpus_schema() -> dict[str, Any]:
    from kzcli.validation import schema_path

    return _load(os.path.basename(schema_path()))


def _refs(value: Any) -> set[str]:
    """The names of the ``$defs`` that ``value`` refers to directly."""
    if isinstance(value, dict):
        found = {value["$ref"].rpartition("/")[2]} if isinstance(value.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def _standalone(root: dict[str, Any], defs: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    """``root`` as a schema of its own, with the ``$defs`` it reaches and nothing else."""
    needed: set[str] = set()
    todo = _refs(root)
    while todo:
        current = todo.pop()
        if current not in needed:
            needed.add(current)
            todo |= _refs(defs[current])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE}{name}.json",
        "title": title,
        **root,
        "$defs": {key: defs[key] for key in sorted(needed)},
    }


def schema(name: str, line: bool = False) -> dict[str, Any]:
    """The schema ``kz schema NAME`` prints (``line``: of one ``--format jsonl`` line)."""
    if name == CORPUS:
        if line:
            raise UsageError("--jsonl is for a command's output; a corpus is one JSON document")
        return corpus_schema()
    defs = output_document()["$defs"]
    if line:
        if name == ERROR:
            raise UsageError("--jsonl is for a command's records; an error is one JSON document")
        records = [{"$ref": f"#/$defs/{d}"} for d in RECORD_DEFS[name]]
        root = records[0] if len(records) == 1 else {"anyOf": records}
        described = f"One line of kz {name} --format jsonl: one record of its --json envelope."
        return _standalone({"description": described, **root}, defs, f"{name}.line", f"kz {name} --format jsonl line")
    definition = ERROR if name == ERROR else f"{name}Output"
    title = "kz --json error" if name == ERROR else f"kz {name} --json"
    return _standalone({"$ref": f"#/$defs/{definition}"}, defs, name, title)


def checked_name(name: str) -> str:
    """``name`` as ``kz schema`` knows it (case folded); a UsageError naming the close ones otherwise."""
    wanted = name.strip().casefold()
    if wanted in NAMES:
        return wanted
    import difflib

    close = difflib.get_close_matches(wanted, NAMES, n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise UsageError(f"no schema named {name!r}{hint} (`kz schema` lists them)")


def listing() -> list[str]:
    """``kz schema`` alone: each name it takes and what its schema is of, tab-separated."""
    defs = output_document()["$defs"]
    lines = [f"{name}\t{defs[f'{name}Output']['description']}" for name in COMMANDS]
    lines.append(f"{ERROR}\t{defs[ERROR]['description']}")
    lines.append(f"{CORPUS}\ta corpus file: data/report.json, kz ingest's drafts, kz export --format json")
    return lines


def write(name: str | None, line: bool, out: IO[str]) -> None:
    """What ``kz schema`` prints: the names it takes, or one schema as indented JSON."""
    if name is None:
        if line:
            raise UsageError("--jsonl needs a command: kz schema COMMAND --jsonl")
        out.write("".join(f"{entry}\n" for entry in listing()))
        return
    from kzcli.formats import dump_json

    dump_json(schema(checked_name(name), line), out)
