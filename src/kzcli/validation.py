"""The rules a corpus file must keep: shape, ids, references, dates and provenance.

Validation is strict because provenance is the product: every quote must stand
verbatim in the paragraph it names, every reference must resolve and every date
must be a well-formed ISO prefix. ``validate`` collects every problem, each
naming the record it is in (``kz validate`` lists them; loading stops at the
first). The JSON Schema beside this module (``report.schema.json``) states the
shape for other tools; the provenance rules are kz's alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from kzcli.corpus import (
    ENTITY_TYPES,
    INFERRED_PARTS,
    LEFT_OUT_KINDS,
    PRECISIONS,
    SCHEMA_VERSION,
    TOPIC_VOCABULARIES,
    date_problem,
    precision_of,
)

SCHEMA_FILE = "report.schema.json"
REPORT_KEYS = ("title", "country", "period", "series", "publisher", "source_file")


def schema_path() -> str:
    """Where the bundled JSON Schema for corpus files is (inside the installed package)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), SCHEMA_FILE)


# The shape of each record: key -> accepted JSON types (one place, used by validate).
Shape = Mapping[str, "type | tuple[type, ...]"]
_MENTION_KEYS: Shape = {"section": str, "paragraph": int, "quote": str}
_ENTITY_KEYS: Shape = {"id": str, "type": str, "name": str, "aliases": list, "role": str, "mentions": list}
_EVENT_KEYS: Shape = {
    "id": str,
    "date": str,
    "end": (str, type(None)),
    "precision": str,
    "ongoing": bool,
    "date_text": str,
    "summary": str,
    "entities": list,
    **_MENTION_KEYS,
}
_FIGURE_KEYS: Shape = {
    "id": str,
    "value": (int, float, type(None)),
    "text": str,
    "unit": str,
    "what": str,
    **_MENTION_KEYS,
}
_NOTE_KEYS: Shape = {"id": str, "text": str}
_LEFT_OUT_KEYS: Shape = {"kind": str, "text": str, "section": str, "paragraph": int, "reason": str}
_TOPIC_KEYS: Shape = {
    "id": str,
    "label": str,
    "vocabulary": str,
    "scope": str,
    "terms": list,
    "paragraphs": list,
    "events": list,
}


class _Checker:
    """Collects problems while walking untrusted JSON, never raising on bad shapes."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        # Each section's paragraphs, as read so far: what provenance is checked against.
        self.paragraphs: dict[str, list[str]] = {}
        # The ids seen of each kind of record.
        self.ids: dict[str, set[str]] = {
            "entity": set(),
            "event": set(),
            "figure": set(),
            "note": set(),
            "topic": set(),
        }
        # (where, note id) of every event's date_note: notes come after events in a corpus file.
        self.note_refs: list[tuple[str, str]] = []
        # Where the last quote of each paragraph was found: the next is looked for from there.
        self.found_at: dict[tuple[str, int], int] = {}
        # Characters of paragraph text: what bounds the searching of quotes out of reading order.
        self.text_size = 0
        self.searched = 0
        self.search_exceeded = False

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")

    def obj(self, value: Any, where: str, keys: Shape) -> bool:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, got {_kind(value)}")
            return False
        ok = True
        for key, expected in keys.items():
            if key not in value:
                self.fail(where, f"missing key '{key}'")
                ok = False
            elif type(value[key]) is not expected and not _is(value[key], expected):
                self.fail(where, f"'{key}' should be {_type_name(expected)}, got {_kind(value[key])}")
                ok = False
            elif key == "id" and not value[key].strip():
                self.fail(where, "empty id")
                ok = False
        return ok

    def unique(self, kind: str, record_id: str, where: str) -> None:
        if record_id in self.ids[kind]:
            self.fail(where, "duplicate id")
        self.ids[kind].add(record_id)

    def provenance(self, record: dict[str, Any], where: str) -> None:
        """The record's quote stands verbatim in the paragraph it names."""
        section_id, number, quote = record["section"], record["paragraph"], record["quote"]
        if section_id not in self.paragraphs:
            self.fail(where, f"unknown section '{section_id}'")
        elif not 1 <= number <= len(self.paragraphs[section_id]):
            self.fail(where, f"section '{section_id}' has no paragraph {number}")
        elif not quote.strip():
            self.fail(where, "empty quote")
        elif not self._stands_in(quote, section_id, number):
            self.fail(where, f"quote is not verbatim in {section_id} paragraph {number}")

    def _stands_in(self, quote: str, section_id: str, number: int) -> bool:
        """Whether ``quote`` stands in the paragraph, looked for from where its last quote was found.

        Records quote a paragraph in reading order (ingest's always do), so the searches
        together read each paragraph about once. Every search that has to start again
        from the top counts a whole paragraph; past ``_SEARCH_FACTOR`` times the corpus's
        text (never reached by a real corpus), the rest are not searched and the corpus
        is refused: a paragraph of 16 MB quoted a million times backwards would
        otherwise take hours.
        """
        paragraph = self.paragraphs[section_id][number - 1]
        at = paragraph.find(quote, self.found_at.get((section_id, number), 0))
        if at < 0:
            self.searched += len(paragraph)
            if self.searched > _SEARCH_BASE + _SEARCH_FACTOR * self.text_size:
                if not self.search_exceeded:
                    self.search_exceeded = True
                    self.fail("corpus", _SEARCH_EXCEEDED)
                return True  # said once, for the corpus: not once per record
            at = paragraph.find(quote)
        if at >= 0:
            self.found_at[section_id, number] = at
        return at >= 0

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(where, f"expected an array, got {_kind(value)}")
            return []
        return value


# How much searching for quotes out of reading order a corpus may ask for, in characters:
# a corpus of the report's size needs ~200,000, one 100 times its size ~20 million.
_SEARCH_BASE = 1 << 26
_SEARCH_FACTOR = 64
_SEARCH_EXCEEDED = (
    "too many quotes out of reading order to check against their paragraphs; "
    "list each paragraph's records in the order their quotes stand in it"
)


def _is(value: Any, expected: type | tuple[type, ...]) -> bool:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool):
        return bool in kinds
    if value is None:
        return type(None) in kinds
    return isinstance(value, kinds)


def _type_name(expected: type | tuple[type, ...]) -> str:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    names.update({list: "an array", dict: "an object", type(None): "null"})
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", str: "a string", int: "an integer", float: "a number"}.get(
        type(value), "an array" if isinstance(value, list) else "an object"
    )


_CORPUS_KEYS: Shape = {
    "schema_version": int,
    "report": dict,
    "sections": list,
    "entities": list,
    "events": list,
    "figures": list,
    "notes": list,
    "left_out": list,
}


def validate(raw: Any, source: bytes | None = None) -> list[str]:
    """Every problem with a raw corpus document, each naming the record it is in.

    ``source``, the UTF-8 JSON the document was parsed from, lets the control-character
    check skip its walk over every string when the text cannot hold one.
    """
    check = _Checker()
    if not check.obj(raw, "corpus", _CORPUS_KEYS):
        return check.problems
    if raw["schema_version"] != SCHEMA_VERSION:
        check.fail("corpus", f"schema_version {raw['schema_version']} is not {SCHEMA_VERSION}")
    check.obj(raw["report"], "report", dict.fromkeys(REPORT_KEYS, str))
    for i, section in enumerate(check.array(raw["sections"], "sections")):
        _check_section(check, i, section)
    for i, entity in enumerate(check.array(raw["entities"], "entities")):
        _check_entity(check, i, entity)
    for i, event in enumerate(check.array(raw["events"], "events")):
        _check_event(check, i, event)
    for i, figure in enumerate(check.array(raw["figures"], "figures")):
        _check_figure(check, i, figure)
    _check_notes(check, raw["notes"])
    for i, left in enumerate(check.array(raw["left_out"], "left_out")):
        _check_left_out(check, i, left)
    # Optional: a corpus made by `kz ingest` has no topics until someone tags it.
    for i, topic in enumerate(check.array(raw.get("topics", []), "topics")):
        _check_topic(check, i, topic)
    if source is None or _may_hold_controls(source):
        check.problems.extend(_control_characters(raw))
    return check.problems


def _check_section(check: _Checker, i: int, section: Any) -> None:
    if not check.obj(section, f"sections[{i}]", {"id": str, "title": str, "paragraphs": list}):
        return
    where = f"section '{section['id']}'"
    if section["id"] in check.paragraphs:
        check.fail(where, "duplicate id")
    texts = section["paragraphs"]
    if not texts:
        check.fail(where, "has no paragraphs")
    for n, text in enumerate(texts, 1):
        if not isinstance(text, str) or not text.strip():
            check.fail(where, f"paragraph {n} should be non-empty text")
    check.paragraphs[section["id"]] = [t if isinstance(t, str) else "" for t in texts]
    check.text_size += sum(len(t) for t in check.paragraphs[section["id"]])


def _check_entity(check: _Checker, i: int, entity: Any) -> None:
    if not check.obj(entity, f"entities[{i}]", _ENTITY_KEYS):
        return
    where = f"entity '{entity['id']}'"
    check.unique("entity", entity["id"], where)
    if entity["type"] not in ENTITY_TYPES:
        check.fail(where, f"type '{entity['type']}' is not one of {', '.join(ENTITY_TYPES)}")
    if not all(isinstance(a, str) and a.strip() for a in entity["aliases"]):
        check.fail(where, "aliases should be non-empty strings")
    if not entity["mentions"]:
        check.fail(where, "has no mentions")
    for j, mention in enumerate(entity["mentions"]):
        if check.obj(mention, f"{where} mention {j + 1}", _MENTION_KEYS):
            check.provenance(mention, f"{where} mention {j + 1}")


def _placed(check: _Checker, kind: str, i: int, record: Any, keys: Shape, words: str) -> str | None:
    """Where a dated or counted record is, once its shape, id, quote and own words (``words``:
    the key whose text must stand in the quote) are checked; None when its shape is wrong."""
    if not check.obj(record, f"{kind}s[{i}]", keys):
        return None
    where = f"{kind} '{record['id']}'"
    check.unique(kind, record["id"], where)
    check.provenance(record, where)
    if record[words] not in record["quote"]:
        check.fail(where, f"{words} '{record[words]}' is not in its quote")
    return where


def _check_event(check: _Checker, i: int, event: Any) -> None:
    where = _placed(check, "event", i, event, _EVENT_KEYS, "date_text")
    if where is None:
        return
    _check_dates(check, where, event)
    for ref in event["entities"]:
        if not isinstance(ref, str) or ref not in check.ids["entity"]:
            check.fail(where, f"unknown entity {ref!r}")
    _check_inferred(check, where, event)


def _check_inferred(check: _Checker, where: str, event: dict[str, Any]) -> None:
    """Optional keys: ``inferred`` (the part of the date read from context) needs a ``date_note`` saying why."""
    inferred, note = event.get("inferred"), event.get("date_note")
    if inferred is not None and inferred not in INFERRED_PARTS:
        check.fail(where, f"inferred {inferred!r} is not null or one of {', '.join(INFERRED_PARTS)}")
    if note is not None and not isinstance(note, str):
        check.fail(where, f"'date_note' should be a string or null, got {_kind(note)}")
    elif note is not None:
        check.note_refs.append((where, note))
    elif inferred is not None:
        check.fail(where, "an inferred date needs the 'date_note' that says why")


def _check_figure(check: _Checker, i: int, figure: Any) -> None:
    where = _placed(check, "figure", i, figure, _FIGURE_KEYS, "text")
    if where is None:
        return
    qualifier = figure.get("qualifier")
    if qualifier is not None and (not isinstance(qualifier, str) or not qualifier.strip()):
        check.fail(where, "'qualifier' should be null or words of the figure's text")
    elif qualifier is not None and qualifier not in figure["text"]:
        # The qualifier is the report's own words: shown with the number, it must be what the report says.
        check.fail(where, f"qualifier {qualifier!r} is not in its text")


def _check_notes(check: _Checker, notes: Any) -> None:
    """Each note's shape; then the events' date notes name one (notes come after events)."""
    for i, note in enumerate(check.array(notes, "notes")):
        if check.obj(note, f"notes[{i}]", _NOTE_KEYS):
            check.ids["note"].add(note["id"])
    for where, note_id in check.note_refs:
        if note_id not in check.ids["note"]:
            check.fail(where, f"unknown note {note_id!r}")


def _check_left_out(check: _Checker, i: int, left: Any) -> None:
    if not check.obj(left, f"left_out[{i}]", _LEFT_OUT_KEYS):
        return
    where = f"left_out '{left['text']}'"
    if left["kind"] not in LEFT_OUT_KINDS:
        check.fail(where, f"kind '{left['kind']}' is not one of {', '.join(LEFT_OUT_KINDS)}")
    check.provenance({**left, "quote": left["text"]}, where)


def _check_topic(check: _Checker, i: int, topic: Any) -> None:
    """A topic's shape, and every tag a reference to a paragraph or event that exists, once."""
    if not check.obj(topic, f"topics[{i}]", _TOPIC_KEYS):
        return
    where = f"topic '{topic['id']}'"
    check.unique("topic", topic["id"], where)
    if topic["vocabulary"] not in TOPIC_VOCABULARIES:
        check.fail(where, f"vocabulary {topic['vocabulary']!r} is not one of {', '.join(TOPIC_VOCABULARIES)}")
    if not topic["label"].strip() or not topic["scope"].strip():
        check.fail(where, "label and scope should be non-empty text")
    if not all(isinstance(term, str) and term.strip() for term in topic["terms"]):
        check.fail(where, "terms should be non-empty strings")
    elif len({term.casefold() for term in topic["terms"]}) != len(topic["terms"]):
        check.fail(where, "a term is listed twice")
    for ref in _repeated(topic["paragraphs"], where, check):
        section, _, number = ref.rpartition(":") if isinstance(ref, str) else ("", "", "")
        if not (number.isascii() and number.isdigit() and section in check.paragraphs):
            check.fail(where, f"paragraph {ref!r} is not SECTION:N of a known section")
        elif not 1 <= int(number) <= len(check.paragraphs[section]):
            check.fail(where, f"section '{section}' has no paragraph {number}")
    for ref in _repeated(topic["events"], where, check):
        if not isinstance(ref, str) or ref not in check.ids["event"]:
            check.fail(where, f"unknown event {ref!r}")


def _repeated(refs: list[Any], where: str, check: _Checker) -> list[Any]:
    """``refs``, each once: a ref listed twice is a problem (said once)."""
    seen: list[Any] = []
    for ref in refs:
        if ref in seen:
            check.fail(where, f"{ref!r} is tagged twice")
        else:
            seen.append(ref)
    return seen


# The one character policy (``kzcli.characters``): C0 and C1 controls, bidi controls,
# zero-width characters and line separators, and lone surrogates. A corpus string
# holding one could move a reader's cursor, recolour the terminal or hide what a
# line says when kz prints it.
# Their UTF-8 forms, raw: DEL; C1 (C2 80-9F); ALM (D8 9C); ZWSP to RLM, the separators
# and LRE to RLO (E2 80 ...); the word joiner to the isolates (E2 81 ...); the BOM.
_RAW_UNSAFE = rb"\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa4\xa6-\xa9]|\xef\xbb\xbf"
# Escaped: \n, \u001b, \u009b, \ud800, \u061c, \u20xx (a few too many: a false alarm
# only costs the exact walk), \ufeff. An escaped backslash before "n" is a false alarm too.
_ESCAPED_UNSAFE = rb"\\(?:[bfnrt]|u00[01]|u007[fF]|u00[89]|u[dD][89a-fA-F]|u061[cC]|u20[0-6]|u[fF][eE][fF][fF])"


def _may_hold_controls(source: bytes) -> bool:
    """Whether UTF-8 JSON could hold an unsafe character in a string, escaped or raw.
    A few byte scans (~10 ms for 13 MB), where one str pattern over the text took ~80 ms."""
    return bool(b"\x7f" in source or re.search(_ESCAPED_UNSAFE, source) or re.search(_RAW_UNSAFE, source))


def _control_characters(raw: Any) -> list[str]:
    """Every string of the document (keys too) that breaks the character policy, by where it is."""
    from kzcli.characters import describe, first_unsafe

    problems: list[str] = []

    def check(where: str, value: str, what: str) -> None:
        at = first_unsafe(value)
        if at is not None:
            shown = value[max(0, at - 20) : at + 20]
            problems.append(f"{where}: {what}contains {describe(value[at])} ({shown!r})")

    stack: list[tuple[str, Any]] = [("corpus", raw)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            check(where, value, "")
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    check(where, key, f"key {key[:40]!r} ")
                stack.append((f"{where}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
    return sorted(problems)


def _check_dates(check: _Checker, where: str, event: dict[str, Any]) -> None:
    start, end, precision = event["date"], event["end"], event["precision"]
    if precision not in PRECISIONS:
        check.fail(where, f"precision '{precision}' is not one of {', '.join(PRECISIONS)}")
        return
    for value in (start, end):
        if value is None:
            continue
        problem = date_problem(value)
        if problem:
            check.fail(where, problem)
            return
        if precision_of(value) != precision:
            check.fail(where, f"'{value}' does not have precision '{precision}'")
            return
    if end is not None and end < start:
        check.fail(where, f"end {end} is before date {start}")
    if end is not None and event["ongoing"]:
        check.fail(where, "an ongoing event has no end")
