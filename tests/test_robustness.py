"""Any input, in process: never a traceback, a known exit code, one line when it fails.

These property tests call ``kzcli.cli.main`` itself (not just the Typer app, as
``CliRunner`` would), so kz's own top-level error handling is what they test,
hundreds of times a second. Stdout is a ``StringIO``, never a terminal, so the
plain writers are in play. What needs a real process (pipes, pseudo-terminals,
encodings, signals, imports) is in ``test_process.py``.
"""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcli import loading as corpus_module
from kzcli.corpus import date_problem
from kzcli.document import build
from kzcli.errors import CorpusError, UsageError
from kzcli.text import MESSAGE_LIMIT, printable
from kzcli.timeline import period_from
from kzcli.validation import validate

from .conftest import examples
from .hostile_input import ARGUMENT, FORMATS, LONG_SHAPES, MARKUP, TEMPLATES, assert_well_behaved, fill
from .kzprocess import run_main


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(TEMPLATES), value=ARGUMENT, fmt=FORMATS)
def test_any_argument_to_any_command_is_handled(template: tuple[str, ...], value: str, fmt: tuple[str, ...]) -> None:
    argv = fill(template, value, fmt)
    assert_well_behaved(run_main(argv), argv)


@settings(max_examples=examples(100), deadline=None)
@given(values=st.lists(ARGUMENT, min_size=1, max_size=4))
def test_any_words_after_kz_are_handled(values: list[str]) -> None:
    assert_well_behaved(run_main(values), values)


# Every template with two of the shapes, every shape with several templates (all pairs took 14 s).
LONG_CASES = [
    (template, LONG_SHAPES[(i + step) % len(LONG_SHAPES)]) for i, template in enumerate(TEMPLATES) for step in (0, 5)
]


@pytest.mark.parametrize(
    ("template", "shape"), LONG_CASES, ids=lambda v: " ".join(v)[:40] if isinstance(v, tuple) else repr(v)
)
def test_a_100000_character_argument_is_handled(template: tuple[str, ...], shape: str) -> None:
    value = (shape * (100_000 // len(shape) + 1))[:100_000]
    argv = fill(template, value, ())
    run = run_main(argv)
    assert_well_behaved(run, argv)
    # Echoed, it is cut in the middle: a message stays a line a person can read.
    assert all(len(line) <= MESSAGE_LIMIT + 20 for line in run.err.splitlines())


# --- markup and escapes are shown literally ------------------------------------


def test_markup_in_a_search_is_echoed_literally() -> None:
    run = run_main(["search", "[bold]xyzzy[/bold]"])
    assert run.code == 1
    assert "[bold]xyzzy[/bold]" in run.err
    # Brackets around a word are punctuation around a word: the word is still searched. ("[bold]"
    # holds a word, "bold", which every passage would have to hold too: every word must match.)
    for query in ("[torture]", "[/]torture[/]", "torture [i]"):
        found = run_main(["search", query])
        assert found.code == 0 and found.out.startswith("torture ¶1"), query


@given(
    markup=st.lists(st.one_of(MARKUP, st.sampled_from(["x", "zz", "Tulesva", " "])), min_size=1, max_size=5).map(
        "".join
    ),
    command=st.sampled_from(["person", "entity", "read", "figures"]),
)
@settings(max_examples=examples(100), deadline=None)
def test_markup_in_any_name_is_echoed_literally_or_not_at_all(markup: str, command: str) -> None:
    run = run_main([command, markup])
    assert_well_behaved(run, [command, markup])
    if run.code != 0:
        # The message quotes the input as typed, brackets and all: nothing was read as markup.
        assert repr(markup) in run.err or "is needed" in run.err


def test_an_escape_sequence_in_a_name_is_neutralised() -> None:
    run = run_main(["person", "\x1b[2J\x1b[31mTulesva"])
    assert "\x1b" not in run.err
    assert run.code in (0, 1, 2)


def test_a_failing_search_says_one_line_even_with_corrections() -> None:
    # "bold" is corrected to a corpus word and nothing matches: one line, outcome first.
    run = run_main(["search", "[bold]torture[/bold]"])
    if run.code == 1:
        assert len(run.err_lines) == 1
        assert run.err.startswith("kz: no passage matches")


@pytest.mark.parametrize(
    "argv",
    [
        ["timeline", "--section", ""],
        ["people", "--section", ""],
        ["search", "torture", "--section", ""],
        ["person", ""],
        ["person", "  "],
        ["entity", "[/]"],
        ["timeline", "--person", ""],
        ["read", ""],
        ["search", ""],
    ],
)
def test_empty_or_wordless_input_is_bad_usage(argv: list[str]) -> None:
    run = run_main(argv)
    assert run.code == 2, run
    assert len(run.err_lines) == 1


# --- printable: the one gate for echoed input -----------------------------------


@given(st.text())
def test_printable_leaves_no_unsafe_character_and_one_line(text: str) -> None:
    from kzcli.characters import first_unsafe

    shown = printable(text)
    assert len(shown.splitlines()) <= 1
    assert first_unsafe(shown) is None  # no control, bidi or zero-width character, no separator
    shown.encode("utf-8")  # no lone surrogate left


# --- dates: ASCII digits, nothing after ------------------------------------------


@pytest.mark.parametrize("value", ["2020-06-06\n", "2020\n", "\uff12\uff10\uff12\uff10", "\u0662\u0660\u0662\u0660-06"])
def test_dates_are_ascii_digits_and_nothing_after(value: str) -> None:
    assert date_problem(value) is not None


@pytest.mark.parametrize("option", ["month", "year", "since", "until"])
def test_timeline_periods_reject_non_ascii_digits(option: str) -> None:
    value = "\u0662\u0660\u0662\u0660-\u0660\u0666" if option == "month" else "\u0662\u0660\u0662\u0660"
    with pytest.raises(UsageError):
        period_from(**{option: value})


def test_json_on_an_ascii_stream_is_escaped_not_replaced() -> None:
    from kzcli.formats import Result, write_json

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii", errors="replace")
    report = corpus_module.load().report
    write_json(Result("search", {"text": "Désir"}, [{"quote": "Ní Aoláin ¶"}], 1), report, out)
    out.flush()
    text = raw.getvalue().decode("ascii")
    assert "?" not in text
    assert json.loads(text)["records"][0]["quote"] == "Ní Aoláin ¶"


# --- any corpus document: CorpusError or a corpus, nothing else -------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        st.text(max_size=10),
        st.sampled_from(["2020-02-30", "2020-13", "", " ", "photo", "person", "day", "kazakhstan"]),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON document (keys and indices), for picking a node to break."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:3]):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_broken_corpus_is_a_corpus_error_never_a_crash(raw_corpus: dict[str, Any], data: st.DataObject) -> None:
    document = copy.deepcopy(raw_corpus)
    for _ in range(data.draw(st.integers(1, 3), label="breaks")):
        paths = _paths(document)
        path = data.draw(st.sampled_from(paths), label="path")
        replacement = data.draw(JSON_VALUES, label="value")
        if not path:
            document = replacement
            continue
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans(), label="delete") and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacement
    problems = validate(document)
    assert all(isinstance(p, str) for p in problems)
    if not problems:
        build(document)  # a document validate accepts always builds


def test_load_turns_every_problem_into_one_corpus_error(tmp_path: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"schema_version": 1}', encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        corpus_module.load(str(path))
    assert str(path) in caught.value.message
    assert "\n" not in caught.value.message
