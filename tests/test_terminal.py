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

from .kzprocess import Run, kz_env, run_kz, run_kz_pty

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


# Each command as run, and the texts of a JSON record that must stand whole on the screen.
COMMANDS: dict[str, tuple[list[str], Callable[[dict[str, Any]], list[str]]]] = {
    "search": (["search", "torture", "--limit", "0"], lambda r: [r["snippet"], r["section_title"], place(r)]),
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
        "Figure What it counts (where) Quote figures Problem problems also Named alongside "
        "Events per month (█ dated in the month, ░ ranges covering it) ≈ a range or a coarser date that overlaps "
        "the period asked for person entity entities people … (reported)"
    )
)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_screen_shows_the_records_of_the_plain_output(runs: dict[tuple[str, int | str], Any], name: str) -> None:
    records = _records(runs, name)
    plain = runs[name, "plain"].out.splitlines()
    if name not in ("person", "entity"):  # a profile is one record over many lines
        assert len(plain) == len(records)
    keys = list(dict.fromkeys(KEYS[name](r) for r in records))
    for width in WIDTHS:
        words = runs[name, width].words
        assert [k for k in keys if k not in words] == [], width


# What tells a record from the others on the screen (a profile: the places of its mentions).
KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    **{name: place for name in ("search", "people", "entities", "figures", "timeline", "read")},
    "sections": lambda r: str(r["id"]),
    "notes": lambda r: str(r["id"]),
    "chart": lambda r: str(r["month"]),
    "validate": lambda r: _words(r["problem"])[-1],
    "person": lambda r: place(r["mentions"][-1]),
    "entity": lambda r: place(r["mentions"][-1]),
}


def test_search_highlights_its_matches_at_every_width(runs: dict[tuple[str, int | str], Any]) -> None:
    records = _records(runs, "search")
    matches = sum(len(r["snippet_matches"]) for r in records)
    for width in WIDTHS:
        highlighted = runs["search", width].highlighted
        assert len(highlighted) >= matches, width
        assert all(h.casefold().startswith("tortur") for h in highlighted), highlighted
