"""The corpus file: parsing, validating and typing a valid document (where it is and reading
it within bounds: ``kzcli.paths``, re-exported here).

Every failure to read or parse becomes ``CorpusError`` naming the file, so no
corpus file, however broken, ends in a traceback.
"""

from __future__ import annotations

import json
from typing import Any

from kzcli.corpus import Corpus, Entity, Event, Figure, LeftOut, Mention, Note, Records, Report, Section, Topic
from kzcli.errors import CorpusError, UsageError
from kzcli.paths import DATA_ENV as DATA_ENV
from kzcli.paths import bundled_path as bundled_path
from kzcli.paths import packaged_path as packaged_path
from kzcli.paths import read_bounded as read_bounded
from kzcli.paths import resolve_path as resolve_path
from kzcli.validation import REPORT_KEYS, validate
from kzcli.validity import MAX_CORPUS_BYTES as MAX_CORPUS_BYTES


def read_given(path: str, limit: int) -> bytes:
    """The bytes of a file a command was given to read (``validate``, ``ingest``, ``index``).

    One that cannot be read (missing, a directory, no permission, too large) is bad input:
    a UsageError saying so (one line on stderr, exit 2, the same for the three commands),
    never a problem of a corpus. A ``--data`` corpus that cannot be read is exit 3 instead:
    kz could not load the corpus it was to query.
    """
    try:
        return read_bounded(path, limit)
    except ValueError as exc:
        raise UsageError(f"{path}: {exc}") from None


def read_json(path: str, given: bool = False) -> tuple[Any, bytes]:
    """The parsed corpus file and the bytes it was parsed from; CorpusError for any failure
    (a file that cannot be read at all: UsageError when it was ``given`` to a command, as read_given says)."""
    if given:
        raw = read_given(path, MAX_CORPUS_BYTES)
    else:
        try:
            raw = read_bounded(path, MAX_CORPUS_BYTES)
        except ValueError as exc:
            raise CorpusError(path, str(exc)) from None
    return parse_json(path, raw), raw


class NotText(ValueError):
    """Why a file's bytes are no text kz reads: "is empty", "is not UTF-8 (byte 3)"."""


def decode_text(raw: bytes, chapter: bool = False) -> str:
    """A file's bytes as text, or NotText in the one wording ``validate``, ``--data`` and ``ingest`` share.

    ``chapter``: a chapter given to ``kz ingest`` may also be UTF-16 with its byte order
    mark, or UTF-8 with one; a corpus is UTF-8 alone (JSON).
    """
    if not raw.strip():
        raise NotText("is empty")
    if chapter and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NotText(f"is not UTF-8, nor UTF-16 as its first bytes say (byte {exc.start})") from None
    try:
        return raw.decode("utf-8-sig" if chapter else "utf-8")
    except UnicodeDecodeError as exc:
        raise NotText(f"is not UTF-8 (byte {exc.start})") from None


def parse_json(path: str, raw: bytes) -> Any:
    """A corpus file's bytes parsed; CorpusError naming what is wrong (empty, not UTF-8, not JSON)."""
    try:
        text = decode_text(raw)
    except NotText as exc:
        raise CorpusError(path, str(exc)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorpusError(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise CorpusError(path, "invalid JSON: nested too deeply") from None


def read_valid(path: str, given: bool = False) -> tuple[Any, bytes]:
    """The parsed corpus file and its bytes; CorpusError naming its first problem (and how many more)."""
    raw, source = read_json(path, given)
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
