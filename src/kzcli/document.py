"""The corpus file: where it is, reading it within bounds, and typing a valid document.

Every failure to read or parse becomes ``CorpusError`` naming the file, so no
corpus file, however broken, ends in a traceback.
"""

from __future__ import annotations

import json
import os
from typing import Any

from kzcli.corpus import Corpus, Entity, Event, Figure, LeftOut, Mention, Note, Records, Report, Section, Topic
from kzcli.errors import CorpusError
from kzcli.validation import REPORT_KEYS, validate
from kzcli.validity import MAX_CORPUS_BYTES as MAX_CORPUS_BYTES

DATA_ENV = "KZ_DATA"


def bundled_path() -> str:
    """Where the shipped corpus is: inside the package (wheel), else the checkout.

    Plain ``os.path`` rather than ``importlib.resources``: the corpus is a real
    file in both layouts, and the resources machinery costs ~20 ms of imports.
    """
    packaged = packaged_path()
    if os.path.isfile(packaged):
        return packaged
    # Editable install: src/kzcli/ -> repository root data/.
    here = os.path.dirname(packaged)
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "data", "report.json")


def packaged_path() -> str:
    """Where a wheel puts the corpus: kzcli/data/report.json."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "report.json")


def resolve_path(explicit: str | None) -> str:
    """``--data`` beats ``KZ_DATA`` beats the bundled corpus."""
    if explicit:
        return explicit
    from_env = os.environ.get(DATA_ENV)
    return from_env if from_env else bundled_path()


def read_bounded(path: str, limit: int) -> bytes:
    """A file's bytes, never more than ``limit``; ValueError saying what is wrong otherwise.

    Bounded by reading, not by ``getsize``: /dev/zero or a pipe reports size 0
    and never ends. One reader for corpora and ingested chapters alike.
    """
    try:
        if os.path.isdir(path):
            raise ValueError("is a directory, not a file")
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except PermissionError:
        raise ValueError("permission denied") from None
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # a NUL in the name, say
        raise ValueError(f"is not a usable file name ({exc})") from None
    if len(raw) > limit:
        raise ValueError(f"is larger than the {limit // (1024 * 1024)} MiB limit")
    return raw


def read_json(path: str) -> tuple[Any, bytes]:
    """The parsed corpus file and the bytes it was parsed from; CorpusError for any failure."""
    try:
        raw = read_bounded(path, MAX_CORPUS_BYTES)
    except ValueError as exc:
        raise CorpusError(path, str(exc)) from None
    if not raw.strip():
        raise CorpusError(path, "is empty")
    return parse_json(path, raw), raw


def parse_json(path: str, raw: bytes) -> Any:
    """A corpus file's bytes parsed; CorpusError naming what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"is not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise CorpusError(path, "invalid JSON: nested too deeply") from None


def read_valid(path: str) -> tuple[Any, bytes]:
    """The parsed corpus file and its bytes; CorpusError naming its first problem (and how many more)."""
    raw, source = read_json(path)
    problems = validate(raw, source)
    if problems:
        more = f" (and {len(problems) - 1} more; run `kz validate`)" if len(problems) > 1 else ""
        raise CorpusError(path, problems[0] + more)
    return raw, source


def report_of(raw: dict[str, Any]) -> Report:
    return Report(*(raw["report"][key] for key in REPORT_KEYS))


def records_of(raw: dict[str, Any]) -> Records:
    """Type every record of a document that ``validate`` accepted."""
    return Records(
        sections=tuple(Section(s["id"], s["title"], tuple(s["paragraphs"])) for s in raw["sections"]),
        entities=tuple(
            Entity(
                e["id"],
                e["type"],
                e["name"],
                tuple(e["aliases"]),
                e["role"],
                tuple(Mention(m["section"], m["paragraph"], m["quote"]) for m in e["mentions"]),
            )
            for e in raw["entities"]
        ),
        events=tuple(
            Event(
                v["id"],
                v["date"],
                v["end"],
                v["precision"],
                v["ongoing"],
                v["date_text"],
                v["summary"],
                v["section"],
                v["paragraph"],
                v["quote"],
                tuple(v["entities"]),
                v.get("inferred"),
                v.get("date_note"),
            )
            for v in raw["events"]
        ),
        figures=tuple(
            Figure(
                f["id"],
                f["value"],
                f["text"],
                f["unit"],
                f["what"],
                f["section"],
                f["paragraph"],
                f["quote"],
                f.get("qualifier"),
            )
            for f in raw["figures"]
        ),
        notes=tuple(Note(n["id"], n["text"]) for n in raw["notes"]),
        left_out=tuple(
            LeftOut(o["kind"], o["text"], o["section"], o["paragraph"], o["reason"]) for o in raw["left_out"]
        ),
        topics=tuple(topic_of(t) for t in raw.get("topics", ())),
    )


def topic_of(raw: dict[str, Any]) -> Topic:
    """A topic as typed: its paragraphs' "section:N" refs as (section, N)."""
    places = tuple((ref.rpartition(":")[0], int(ref.rpartition(":")[2])) for ref in raw["paragraphs"])
    return Topic(
        raw["id"], raw["label"], raw["vocabulary"], raw["scope"], tuple(raw["terms"]), places, tuple(raw["events"])
    )


def build(raw: dict[str, Any], path: str = "") -> Corpus:
    """A corpus held in memory, from a document that ``validate`` accepted."""
    from kzcli.memory import MemoryLookups

    report = report_of(raw)
    records = records_of(raw)
    return Corpus(raw["schema_version"], report, MemoryLookups(report, records), records, path=path)
