"""What a hostile or careless user types, and what kz must do with it, for any command.

Shared by the in-process property tests (``test_robustness``) and the
real-process ones (``test_process``).
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

from .kzprocess import Run

EXIT_CODES = {0, 1, 2, 3}

ANSI = st.sampled_from(
    ["\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b]0;owned\x07", "\x1b[1;1H", "\x9b31m", "\x1bc", "\x1b", "\x07", "\x08"]
)
MARKUP = st.sampled_from(
    ["[bold red]", "[/]", "[/bold]", "[link=https://x.test]", "[", "]", "[[", "\\[", ":smile:", "[bold]torture[/bold]"]
)
QUOTES = st.sampled_from(['"', "'", '"torture', "torture'", "\u201c", "\u201d", "\u2018", "`", '""', "'\""])
SPACES = st.sampled_from(["", " ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\u200b", "   "])
OPTION_LIKE = st.sampled_from(
    ["-", "--", "-x", "--limit", "--json", "--format", "-h", "--help", "--data", "--version", "-n", "--=", "-s-"]
)
KNOWN = st.sampled_from(["torture", "Tulesova", "2020-06", "2020", "2019-12-27", "freedom", "Désir", "covid", "OSCE"])
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x9F).filter(lambda c: not c.isprintable())
# Lone surrogates: what Python makes of argv bytes that are not UTF-8.
SURROGATE = st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)
PIECE = st.one_of(
    st.text(max_size=12), ANSI, MARKUP, QUOTES, SPACES, OPTION_LIKE, KNOWN, CONTROL, SURROGATE, st.characters()
)
FUZZ = st.lists(PIECE, max_size=6).map("".join)
# 100,000 characters, built from a few shapes (generating them at random is slow and adds nothing).
LONG_SHAPES = ["a", "torture ", "\x1b[31m", "[bold]", "é ", '"', "-", " ", "\u202e", "Tulesova"]
LONG = st.sampled_from(LONG_SHAPES).map(lambda s: (s * (100_000 // len(s) + 1))[:100_000])
ARGUMENT = st.one_of(FUZZ, FUZZ, FUZZ, LONG)

# Every free-text argument and option of every command, each with a slot for the fuzz.
TEMPLATES: list[tuple[str, ...]] = [
    ("search", "{}"),
    ("search", "{}", "--exact"),
    ("search", "torture", "--section", "{}"),
    ("search", "torture", "--limit", "{}"),
    ("search", "torture", "--format", "{}"),
    ("person", "{}"),
    ("entity", "{}"),
    ("read", "{}"),
    ("figures", "{}"),
    ("timeline", "--month", "{}"),
    ("timeline", "--year", "{}"),
    ("timeline", "--from", "{}"),
    ("timeline", "--to", "{}"),
    ("timeline", "--from", "{}", "--to", "{}"),
    ("timeline", "--person", "{}"),
    ("timeline", "--section", "{}"),
    ("timeline", "--search", "{}"),
    ("timeline", "--month", "{}", "--within"),
    ("search", "{}", "--count"),
    ("search", "{}", "--full"),
    ("people", "--role", "{}"),
    ("people", "--section", "{}"),
    ("entities", "--type", "{}"),
    ("{}",),
    ("sections", "{}"),
    ("--data", "{}", "sections"),
    ("cite", "{}"),
    ("cite", "{}", "--style", "bibtex"),
    ("cite", "torture", "--style", "{}"),
    ("validate", "{}"),
    ("ingest", "{}", "--output", "-"),
    ("export", "--format", "{}", "--output", "-"),
]
FORMATS = st.sampled_from([(), ("--json",), ("--format", "csv"), ("--format", "table")])


def fill(template: tuple[str, ...], value: str, fmt: tuple[str, ...]) -> list[str]:
    return [value if part == "{}" else part for part in template] + list(fmt)


def assert_well_behaved(run: Run, argv: list[str]) -> None:
    """The contract for any input: see the module docstring and DESIGN.md, principle 6."""
    shown = f"argv={[a[:80] for a in argv]!r} code={run.code} err={run.err[:300]!r}"
    assert "Traceback" not in run.err, shown
    assert "Exception ignored" not in run.err, shown
    assert run.code in EXIT_CODES, shown
    if run.code != 0:
        assert len(run.err_lines) <= 1, shown
    # No control character typed by the user reaches the output (the corpus holds none):
    # stdout keeps only its own newlines and tab separators, stderr only its newlines.
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", run.out), shown
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", run.err), shown
