"""kz as a person sees it: every command in a real pseudo-terminal at 60 to 200 columns, read back
through a terminal emulator (pyte), so what is checked is the screen, not Rich's intentions.

At every width: no line wider than the terminal; every word of each record's text and
every id whole on the screen (no word or id split across lines); nothing on the screen
that is a piece of a word; the same records as the plain output of a pipe; a search's
matches highlighted. The 60 runs go two at a time (the machine has two cores).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pyte
import pytest
from wcwidth import wcswidth

from .kzprocess import COLOUR_SGR_RE, Run, kz_env, run_kz, run_kz_pty

pytestmark = pytest.mark.linux

WIDTHS = (60, 80, 100, 120, 200)
ROWS = 1000  # taller than any output here: nothing is paged
CSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PUNCTUATION = ".,;:()[]\"'“”‘’…"
BOX = "│┃┏┓┗┛┡┩└┘┳┻╇┼┴┬├┤━─═╭╮╰╯"


def place(record: dict[str, Any]) -> str:
    return f"{record['section']}:{record['paragraph']}"


def _profile_texts(r: dict[str, Any]) -> list[str]:
    texts = [r["name"], r["role"]]
    texts += [t for e in r["events"] for t in (e["summary"], place(e))]
    texts += [t for m in r["mentions"] for t in (m["quote"], place(m))]
    return texts


def _search_texts(r: dict[str, Any]) -> list[str]:
    return [r["snippet"], r["section_title"], place(r)]


# Each command as run, and the texts of a JSON record that must stand whole on the screen.
COMMANDS: dict[str, tuple[list[str], Callable[[dict[str, Any]], list[str]]]] = {
    "search": (["search", "torture", "--limit", "0"], _search_texts),
    # Long section ids and titles ("Counterterrorism and Extremism" once split mid-word).
    "search-ids": (["search", "extremism", "OR", "opposition", "--limit", "0"], _search_texts),
    "people": (["people"], lambda r: [r["name"], r["role"], place(r)]),
    "person": (["person", "Tulesova"], _profile_texts),
    "entity": (["entity", "Almaty"], _profile_texts),
    "entities": (["entities"], lambda r: [r["type"], r["name"], r["role"], place(r)]),
    "sections": (["sections"], lambda r: [r["id"], r["title"]]),
    "figures": (["figures"], lambda r: [r["text"], r["what"], place(r)]),
    "notes": (["notes"], lambda r: [r["id"], r["text"]]),
    "timeline": (["timeline"], lambda r: [r["display_date"], r["summary"], place(r)]),
    "chart": (["timeline", "--chart"], lambda r: [r["month"]]),
    "read": (["read", "torture"], lambda r: [r["quote"], place(r)]),
    "validate": (["validate", "BAD"], lambda r: [r["where"], r["problem"]]),
    "topics": (["topics"], lambda r: [r["id"], r["label"]]),
    "topic": (
        ["topic", "lgbt"],
        lambda r: [r["label"], r["scope"], *(t for p in r["passages"] for t in (p["quote"], place(p)))],
    ),
}


def _words(text: str) -> list[str]:
    """Words as the screen shows them: split at spaces, outer punctuation off."""
    text = unicodedata.normalize("NFC", text)
    return [w.strip(PUNCTUATION) for w in text.split() if w.strip(PUNCTUATION)]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _places(value: Any) -> Iterator[str]:
    """The place of every record in ``value``, nested ones too (a profile's events and mentions)."""
    if isinstance(value, dict):
        if "section" in value and "paragraph" in value:
            yield place(value)
        for item in value.values():
            yield from _places(item)
    elif isinstance(value, list):
        for item in value:
            yield from _places(item)


class Screen:
    """A finished run as a terminal of ``columns`` shows it."""

    def __init__(self, run: Run, columns: int) -> None:
        self.run = run
        screen = pyte.Screen(columns, ROWS)
        pyte.Stream(screen).feed(run.out.replace("\n", "\r\n"))
        self.lines = [line.rstrip() for line in screen.display]
        self.raw_lines = CSI_RE.sub("", run.out).split("\n")
        # Runs of characters drawn on a yellow background (a search's matches).
        self.highlighted: list[str] = []
        for row in range(ROWS):
            line = screen.buffer[row]
            run_text = ""
            for column in range(columns):
                char = line[column]
                if char.bg not in ("default", "black"):
                    run_text += char.data
                elif run_text:
                    self.highlighted.append(run_text)
                    run_text = ""
            if run_text:
                self.highlighted.append(run_text)

    @property
    def words(self) -> list[str]:
        text = "\n".join(self.lines)
        for char in BOX:
            text = text.replace(char, " ")
        return _words(text)


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory, raw_corpus: dict[str, Any]) -> Path:
    """A corpus with problems whose lines are long: every quote of one section changed."""
    document = json.loads(json.dumps(raw_corpus))
    for event in document["events"][:6]:
        event["quote"] = "a quote the report does not hold, in words long enough to wrap on any terminal"
    path = tmp_path_factory.mktemp("bad") / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _args(name: str, bad: Path) -> list[str]:
    return [str(bad) if a == "BAD" else a for a in COMMANDS[name][0]]


def _screen(args: list[str], width: int) -> Screen:
    # PAGER=false: were kz to page, the pager would fail and kz print (kzcli.paging); nothing is lost.
    return Screen(run_kz_pty(args, columns=width, rows=ROWS, env=kz_env(PAGER="false")), width)


@pytest.fixture(scope="module")
def runs(bad_corpus: Path) -> dict[tuple[str, int | str], Any]:
    """Every command: its JSON and plain output (a pipe), and its screen at every width."""
    jobs: dict[tuple[str, int | str], Callable[[], Any]] = {}
    for name in COMMANDS:
        args = _args(name, bad_corpus)
        jobs[name, "json"] = partial(run_kz, [*args, "--json"])
        jobs[name, "plain"] = partial(run_kz, args)
        for width in WIDTHS:
            jobs[name, width] = partial(_screen, args, width)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def _records(runs: dict[tuple[str, int | str], Any], name: str) -> list[dict[str, Any]]:
    envelope = json.loads(runs[name, "json"].out)
    records: list[dict[str, Any]] = envelope["chart"] if name == "chart" else envelope["records"]
    assert records, name
    return records


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_line_is_wider_than_the_terminal(runs: dict[tuple[str, int | str], Any], name: str, width: int) -> None:
    screen: Screen = runs[name, width]
    assert screen.run.code == runs[name, "plain"].code, screen.run.err
    assert "Traceback" not in screen.run.err
    too_wide = [line for line in screen.raw_lines if wcswidth(line) > width]
    assert too_wide == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_word_and_id_stands_whole(runs: dict[tuple[str, int | str], Any], name: str, width: int) -> None:
    screen: Screen = runs[name, width]
    expected = Counter(w for r in _records(runs, name) for text in COMMANDS[name][1](r) for w in _words(text))
    shown = Counter(screen.words)
    missing = {w: n - shown[w] for w, n in expected.items() if shown[w] < n}
    assert missing == {}, "\n".join(screen.lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_nothing_on_the_screen_is_a_piece_of_a_word(
    runs: dict[tuple[str, int | str], Any], name: str, width: int
) -> None:
    envelope = json.loads(runs[name, "json"].out)
    known = {w for s in _strings(envelope) for w in _words(s)} | set(_places(envelope))
    known |= set(_words(runs[name, "plain"].out)) | CHROME
    screen: Screen = runs[name, width]
    strangers = {w for w in screen.words if w not in known and not re.fullmatch(r"[█░]*\d*(\+\d+)?", w)}
    assert strangers == set(), "\n".join(screen.lines)


# Words kz's terminal layout adds: titles, headers, labels.
CHROME = set(
    _words(
        "# Where Score Passage passages passage for Date Event (where the report says it) People Id Note notes "
        "Title ¶ Opens with Name Role Events Mentions First named Type events event mention mentions sections "
        "Figure What it counts (where) Quote figures Problem problems also Named in the same paragraphs In events "
        "Topic Vocabulary Passages topics terms "
        "Events per month (█ dated in the month, ░ ranges covering it) ≈ a range or a coarser date that overlaps "
        "the period asked for person entity entities people … (reported)"
    )
)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_screen_shows_the_records_of_the_plain_output(runs: dict[tuple[str, int | str], Any], name: str) -> None:
    records = _records(runs, name)
    plain = runs[name, "plain"].out.splitlines()
    if name not in ("person", "entity", "topic"):  # a profile is one record over many lines
        assert len(plain) == len(records)
    keys = list(dict.fromkeys(KEYS[name](r) for r in records))
    # The places the plain lines give ("torture ¶2"), as the screen writes them ("torture:2"); not a
    # section's, always its ¶1 (the screen shows its first words instead), nor read's (a bare ¶2).
    plain_places = re.findall(r"(\S+) ¶(\d+)", runs[name, "plain"].out) if name != "sections" else []
    placed = list(dict.fromkeys(f"{s}:{n}" for s, n in plain_places))
    assert placed or name in ("sections", "notes", "chart", "validate", "read", "topics")
    for width in WIDTHS:
        words = runs[name, width].words
        assert [k for k in keys if k not in words] == [], width
        assert [p for p in placed if p not in words] == [], width


# What tells a record from the others on the screen (a profile: the places of its mentions).
KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    **{name: place for name in ("search", "search-ids", "people", "entities", "figures", "timeline", "read")},
    "sections": lambda r: str(r["id"]),
    "notes": lambda r: str(r["id"]),
    "chart": lambda r: str(r["month"]),
    "validate": lambda r: _words(r["problem"])[-1],
    "person": lambda r: place(r["mentions"][-1]),
    "entity": lambda r: place(r["mentions"][-1]),
    "topics": lambda r: str(r["id"]),
    "topic": lambda r: place(r["passages"][-1]),
}


def test_search_highlights_its_matches_at_every_width(runs: dict[tuple[str, int | str], Any]) -> None:
    records = _records(runs, "search")
    matches = sum(len(r["snippet_matches"]) for r in records)
    for width in WIDTHS:
        highlighted = runs["search", width].highlighted
        assert len(highlighted) >= matches, width
        assert all(h.casefold().startswith("tortur") for h in highlighted), highlighted


# --- the pager -----------------------------------------------------------------------------

READ_TEXT = "Torture and ill-treatment occur with impunity"


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[Path, Path]:
    """A pager that keeps what it is given (and the LESS it was run with) in files, and shows nothing."""
    script = tmp_path / "pager"
    script.write_text('#!/bin/sh\nprintf %s "$LESS" > "$0.less"\ncat > "$0.text"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, tmp_path / "pager.text"


def _paged(args: list[str], rows: int = 10, **env: str | None) -> Run:
    return run_kz_pty(args, columns=80, rows=rows, env=kz_env(**env))


def test_output_taller_than_the_terminal_goes_through_the_pager(fake_pager: tuple[Path, Path]) -> None:
    script, text = fake_pager
    run = _paged(["read", "torture"], PAGER=str(script))
    assert run.code == 0, run.err
    assert READ_TEXT in text.read_text(encoding="utf-8")
    assert READ_TEXT not in run.out  # shown by the pager only
    assert script.with_suffix(".less").read_text(encoding="utf-8") == "FRX"


def test_a_users_less_options_are_kept(fake_pager: tuple[Path, Path]) -> None:
    script, text = fake_pager
    _paged(["read", "torture"], PAGER=str(script), LESS="S")
    assert READ_TEXT in text.read_text(encoding="utf-8")
    assert script.with_suffix(".less").read_text(encoding="utf-8") == "S"


def test_kz_pager_comes_before_pager(fake_pager: tuple[Path, Path]) -> None:
    script, text = fake_pager
    run = _paged(["read", "torture"], KZ_PAGER=f"{script} --an-argument", PAGER="/nonexistent/pager")
    assert run.code == 0 and READ_TEXT in text.read_text(encoding="utf-8")


def test_output_that_fits_the_screen_is_not_paged(fake_pager: tuple[Path, Path]) -> None:
    script, text = fake_pager
    run = _paged(["search", "torture", "--limit", "1"], rows=40, PAGER=str(script))
    assert not text.exists() and "140 complaints" in run.out


def test_a_pipe_is_never_paged(fake_pager: tuple[Path, Path]) -> None:
    script, text = fake_pager
    run = run_kz(["read", "torture"], env=kz_env(PAGER=str(script), LINES="10"))
    assert run.code == 0 and READ_TEXT in run.out
    assert not text.exists()


@pytest.mark.parametrize(
    "args", [["--no-pager", "read", "torture"], ["read", "torture", "--no-pager"], ["read", "--no-pager", "torture"]]
)
def test_no_pager_prints_at_once(fake_pager: tuple[Path, Path], args: list[str]) -> None:
    script, text = fake_pager
    run = _paged(args, PAGER=str(script))
    assert run.code == 0 and READ_TEXT in run.out
    assert not text.exists()


@pytest.mark.parametrize("pager", ["/nonexistent/pager", "false", "cat", ""])
def test_a_missing_or_failing_pager_falls_back_to_printing(pager: str) -> None:
    run = _paged(["read", "torture"], PAGER=pager)
    assert run.code == 0, run.err
    assert READ_TEXT in run.out and "Traceback" not in run.err


# --- colour --------------------------------------------------------------------------------

ANY_SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize(
    ("env", "args", "coloured"),
    [
        ({}, ["--color", "always"], True),
        ({}, ["--color=always"], True),
        ({"FORCE_COLOR": "1"}, [], True),
        ({"CLICOLOR_FORCE": "1"}, [], True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], True),  # FORCE_COLOR overrides NO_COLOR
        ({"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, [], False),  # NO_COLOR overrides CLICOLOR_FORCE
        ({"FORCE_COLOR": "0", "CLICOLOR_FORCE": "1"}, [], False),
        ({"CLICOLOR_FORCE": "0"}, [], False),
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),  # the command line overrides them all
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
        ({}, [], False),
    ],
)
def test_colour_in_a_pipe(env: dict[str, str], args: list[str], coloured: bool) -> None:
    plain = run_kz(["search", "torture"])
    run = run_kz(["search", "torture", *args], env=kz_env(**env))
    assert run.code == 0, run.err
    assert bool(ANY_SGR.search(run.out)) is coloured
    # The same lines, fields and records: only the matched words are marked.
    assert ANY_SGR.sub("", run.out) == plain.out
    if coloured:
        assert "\x1b[1;30;43mtorture\x1b[0m" in run.out


def test_color_is_a_root_option_too() -> None:
    run = run_kz(["--color", "always", "search", "torture"])
    assert "\x1b[1;30;43m" in run.out


def test_color_never_on_a_terminal_keeps_the_table_without_colour() -> None:
    run = run_kz_pty(["search", "torture", "--color", "never"], columns=120)
    assert run.code == 0 and "┃" in run.out
    assert not COLOUR_SGR_RE.search(run.out)
    coloured = run_kz_pty(["search", "torture"], columns=120)
    assert COLOUR_SGR_RE.search(coloured.out), "the check above would prove nothing"


def test_color_always_leaves_other_commands_plain_in_a_pipe() -> None:
    assert run_kz(["people", "--color", "always"]).out == run_kz(["people"]).out


def test_a_bad_color_is_bad_usage() -> None:
    run = run_kz(["search", "torture", "--color", "sometimes"])
    assert run.code == 2 and len(run.err_lines) == 1 and "--color" in run.err


def test_display_options_move_before_the_command_up_to_a_double_dash() -> None:
    from kzcli.streams import hoist_display_options

    assert hoist_display_options(["search", "torture", "--color", "never", "--", "--no-pager"]) == [
        "--color",
        "never",
        "search",
        "torture",
        "--",
        "--no-pager",
    ]
    assert hoist_display_options(["read", "--no-pager", "torture"]) == ["--no-pager", "read", "torture"]
    unchanged = ["search", "torture"]
    assert hoist_display_options(unchanged) is unchanged


def test_a_chart_too_wide_for_the_terminal_is_scaled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large corpus's busiest month: its bar would pass the edge, so every bar is scaled; counts stay exact."""
    import io

    from rich.console import Console

    from kzcli import render

    screen = io.StringIO()
    monkeypatch.setattr(render, "console", Console(file=screen, width=60, force_terminal=False))
    rows: list[dict[str, int | str]] = [
        {"month": "2020-01", "dated": 3000, "ranges": 2000},
        {"month": "2020-02", "dated": 1, "ranges": 0},
    ]
    render.console.print(render._chart(rows))
    lines = screen.getvalue().splitlines()
    assert max(map(wcswidth, lines)) <= 60
    assert any(line.endswith(" 3000+2000") and "█" in line and "░" in line for line in lines)
    assert "2020-02 █ 1" in lines and "scaled" in screen.getvalue()


def test_a_heading_too_wide_breaks_between_its_pieces_and_hangs(runs: dict[tuple[str, int | str], Any]) -> None:
    """At 60 columns "...Counterterrorism and" / "Extremism  1.739" put a score at the margin, and
    "2" / "events, 1 mention" split a count from its noun: a heading now breaks between its pieces,
    its further lines indented."""
    search: Screen = runs["search", 60]
    at = next(i for i, line in enumerate(search.lines) if line.endswith("counterterrorism-and-extremism:3"))
    assert search.lines[at + 1].startswith("    Counterterrorism and Extremism  ")
    people: Screen = runs["people", 60]
    counts = [line.strip() for line in people.lines if re.search(r"\d+ events?, \d+ mentions?$", line)]
    assert counts and all(re.fullmatch(r"(.*  )?\d+ events?, \d+ mentions?", line) for line in counts)
    assert not any(re.fullmatch(r"\d+|events?,.*|mentions?", line.strip()) for line in people.lines)
