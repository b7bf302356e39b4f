"""One character policy for all output (issue 14, reproduction 5).

C0 and C1 controls, bidi controls, zero-width characters and line and
paragraph separators are rejected in a corpus by ``kz validate`` (the record
and the character named) and by the JSON Schema; whatever kz prints shows
them escaped in plain text, CSV, Rich and citations, and JSON writes them as
``\\u`` escapes. The second line of defence is tested on a corpus that skips
validation, as an index file that slipped past its checks would.
"""

from __future__ import annotations

import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

import kzcli.cli.common as cli
from kzcli.characters import first_unsafe, printable
from kzcli.document import build
from kzcli.session import Session
from kzcli.validation import schema_path, validate

from .kzprocess import Run, run_main

UNSAFE = {
    "escape": "\x1b",
    "C1 CSI": "\x9b",
    "NEL": "\x85",
    "bell": "\x07",
    "tab": "\t",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "PDI": "\u2069",
    "ALM": "\u061c",
    "RLM": "\u200f",
    "ZWSP": "\u200b",
    "ZWJ": "\u200d",
    "word joiner": "\u2060",
    "BOM": "\ufeff",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
}
# What a terminal acts on, or what hides a line's order or content: none may reach stdout raw.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
OSC = "\x1b]52;c;b3duZWQ=\x07\x1b]0;title\x07\x1b]8;;https://x.test\x07here\x1b]8;;\x07\x1b[2J\x9b31m"


@pytest.mark.parametrize("name", list(UNSAFE))
def test_the_validator_rejects_each_unsafe_character_naming_the_record(raw_corpus: dict[str, Any], name: str) -> None:
    character = UNSAFE[name]
    document = copy.deepcopy(raw_corpus)
    document["entities"][3]["name"] = f"Asya{character}Tulesova"
    problems = validate(document)
    assert len(problems) == 1
    assert problems[0].startswith("corpus.entities[3].name: contains a ")
    assert f"(U+{ord(character):04X})" in problems[0]


@pytest.mark.parametrize("character", ["\u202e", "\u200b", "\u2028", "\x1b"])
def test_paragraphs_and_keys_are_held_to_it_too(raw_corpus: dict[str, Any], character: str) -> None:
    document = copy.deepcopy(raw_corpus)
    document["sections"][2]["paragraphs"][0] += character
    document["notes"][0][f"key{character}"] = "x"
    problems = validate(document)
    assert any(p.startswith("corpus.sections[2].paragraphs[0]: contains") for p in problems)
    assert any(p.startswith("corpus.notes[0]: key ") for p in problems)


def test_the_byte_scan_before_the_walk_misses_no_unsafe_character(raw_corpus: dict[str, Any]) -> None:
    """``validate`` skips its walk over every string when the bytes cannot hold an unsafe character."""
    for character in UNSAFE.values():
        document = copy.deepcopy(raw_corpus)
        document["report"]["title"] += character
        for ascii_only in (True, False):
            source = json.dumps(document, ensure_ascii=ascii_only).encode("utf-8")
            assert validate(json.loads(source), source) != [], (character, ascii_only)
    assert validate(raw_corpus, json.dumps(raw_corpus, ensure_ascii=False).encode("utf-8")) == []


@pytest.fixture(scope="module")
def schema_validator(raw_corpus: dict[str, Any]) -> Any:
    """The bundled JSON Schema, which the real corpus passes whole."""
    import jsonschema

    schema = json.loads(Path(schema_path()).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors(raw_corpus)) == []
    return validator


@pytest.mark.parametrize("name", list(UNSAFE))
def test_the_json_schema_states_the_same_rule(raw_corpus: dict[str, Any], schema_validator: Any, name: str) -> None:
    # A corpus cut to one record of each kind: the rule is the same, the check ~30 times cheaper.
    small: dict[str, Any] = {key: value[:1] if isinstance(value, list) else value for key, value in raw_corpus.items()}
    assert list(schema_validator.iter_errors(small)) == []
    document = copy.deepcopy(small)
    document["figures"][0]["what"] += UNSAFE[name]
    assert list(schema_validator.iter_errors(document)), name
    keyed = copy.deepcopy(small)
    keyed["report"][f"note{UNSAFE[name]}"] = "x"
    assert list(schema_validator.iter_errors(keyed)), name


def test_kz_validate_prints_a_hostile_file_escaped_in_every_format(raw_corpus: dict[str, Any], tmp_path: Path) -> None:
    """`kz validate FILE --format csv` printed a hostile entity type's escapes raw."""
    document = copy.deepcopy(raw_corpus)
    document["entities"][0]["type"] = OSC
    document["entities"][1]["id"] = "id\u202ereversed\u2028split"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    for fmt in ("table", "csv", "json"):
        run = run_main(["validate", str(path), "--format", fmt])
        assert run.code == 3, fmt
        assert not RAW.search(run.out), (fmt, run.out)
        assert not RAW.search(run.err.replace("\n", "")), fmt
    plain = run_main(["validate", str(path)]).out.splitlines()
    assert any("type '\\x1b]52;c;b3duZWQ=\\x07" in line for line in plain)
    assert any("('id\\u202ereversed\\u2028split')" in line for line in plain)
    parsed = json.loads(run_main(["validate", str(path), "--json"]).out)
    assert any(r["problem"].startswith(f"type '{OSC}'") for r in parsed["records"])  # the same data, escaped


# --- the second line of defence: text that skipped validation ---------------------------------


@pytest.fixture
def hostile(raw_corpus: dict[str, Any]) -> Any:
    """kz's session on a corpus whose text breaks the policy everywhere it is printed from."""
    document = copy.deepcopy(raw_corpus)
    torture = next(s for s in document["sections"] if s["id"] == "torture")
    torture["title"] = "Torture\u202e"
    # After every "torture", so whichever sentence a snippet shows holds it.
    torture["paragraphs"] = [
        re.sub("(?i)torture", lambda m: f"{m.group()}{OSC}\u2028", p) for p in torture["paragraphs"]
    ]
    person = next(e for e in document["entities"] if e["id"] == "asya-tulesova")
    person["role"] = f"activist{OSC}\u2029\u200b"
    person["aliases"].append("Tule\u2066sova")
    for mention in person["mentions"]:
        mention["quote"] = f"{OSC}\u2028{mention['quote']}"
    for event in document["events"]:
        if person["id"] in event["entities"]:
            event["summary"] += f" {OSC}\u2028next"
    corpus = build(document, "hostile.json")  # built without validating, as a forged index answers
    session = Session()  # no --data: the session keeps this corpus through run_main
    session._corpus = corpus
    saved = cli.SESSION
    cli.SESSION = session
    yield session
    cli.SESSION = saved


def _in_process(args: list[str]) -> Run:
    """``run_main`` without ``--data``, so that the hostile session stays the one used."""
    return run_main(args)


QUERIES = [
    ["search", "torture"],
    ["search", "torture", "--format", "csv"],
    ["read", "torture"],
    ["read", "torture:1", "--format", "csv"],
    ["person", "Tulesova"],
    ["person", "Tulesova", "--format", "csv"],
    ["timeline", "--person", "Tulesova"],
    ["timeline", "--person", "Tulesova", "--format", "csv"],
    ["people", "--format", "csv"],
    ["cite", "torture:1"],
    ["cite", "Tulesova"],
    # The place is in BibTeX's hint line and pandoc's locator: the section's title.
    ["cite", "torture:1", "--style", "bibtex"],
    ["cite", "torture:1", "--style", "pandoc"],
]


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_plain_csv_and_citations_show_unsafe_text_escaped(hostile: Any, args: list[str]) -> None:
    run = _in_process(args)
    assert run.code == 0, run.err
    assert not RAW.search(run.out), run.out
    assert "\\x1b]52;c;b3duZWQ=\\x07" in run.out or "\\u202e" in run.out or "\\u2066" in run.out


def test_one_record_stays_one_line(hostile: Any) -> None:
    """U+2028 in a paragraph split one record over two lines."""
    run = _in_process(["read", "torture"])
    lines = run.out.splitlines()
    assert len(lines) == 3 and all(line.startswith("¶") for line in lines)


@pytest.mark.parametrize(
    "args",
    [["search", "torture", "--json"], ["person", "Tulesova", "--json"], ["cite", "Tulesova", "--style", "csl-json"]],
    ids=" ".join,
)
def test_json_escapes_them_and_keeps_the_data(hostile: Any, args: list[str]) -> None:
    run = _in_process(args)
    assert run.code == 0 and not RAW.search(run.out)
    assert "\\u001b]52;c;b3duZWQ=\\u0007" in run.out and "\\u2028" in run.out
    assert any(OSC in value for value in _strings(json.loads(run.out)))  # the same text once parsed


def _strings(value: Any) -> list[str]:
    """Every string in a parsed JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_rich_shows_them_escaped(hostile: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from kzcli import render
    from kzcli.commands import profile, read, search

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=120, color_system="truecolor", markup=False)
    monkeypatch.setattr(render, "console", console)
    results = [
        search.run(hostile, ["torture"], None, 10, False),
        read.run(hostile, "torture"),
        profile.run(hostile, "person", "Tulesova", ("person",)),
    ]
    for result in results:
        render.show(result)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())  # Rich's own colours
    assert not RAW.search(shown.replace("\n", "")), shown
    assert "\\x1b]52;c;b3duZWQ=\\x07" in shown and "\\u202e" in shown


def test_printable_is_the_one_policy() -> None:
    from kzcli import text

    assert text.printable is printable
    for character in UNSAFE.values():
        assert first_unsafe(f"a{character}b") == 1
        assert first_unsafe(printable(f"a{character}b")) is None


def test_the_corpus_schemas_pattern_is_the_policy_character_for_character() -> None:
    """``$defs/text`` rejects exactly the characters ``kz validate`` rejects (every code point of
    the basic plane but the surrogates, which no portable pattern names), wherever in a string."""
    import re

    from kzcli.characters import FORBIDDEN_IN_CORPUS

    schema = json.loads(Path(schema_path()).read_text(encoding="utf-8"))
    assert schema["$id"] == "https://kz.invalid/schema/v1/corpus.json"
    stated = re.compile(schema["$defs"]["text"]["not"]["pattern"])
    policy = re.compile(FORBIDDEN_IN_CORPUS)
    for code in [*range(0xD800), *range(0xE000, 0x10000)]:
        character = chr(code)
        assert bool(stated.search(f"a{character}")) == bool(policy.search(character)), f"U+{code:04X}"
    # Not "^[^...]*$": Python's $ (jsonschema's engine) also matches before a final newline.
    assert stated.search("text\n") and stated.search("a\tb")
