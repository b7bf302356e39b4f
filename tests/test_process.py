"""kz as a real process: pipes that close, encodings, terminals, signals, bad corpora, imports.

Each test starts ``python -m kzcli`` (``kzcli.start``, then ``kzcli.entry.main``,
as the ``kz`` script does) because these behaviours exist only in a real process: the exit
status, what reaches a pipe or a pseudo-terminal, how stdout is encoded, what
SIGINT does, and which modules get imported.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import DATA, examples, write_json
from .hostile_input import ARGUMENT, FORMATS, TEMPLATES, assert_well_behaved, fill
from .kzprocess import COLOUR_SGR_RE, Run, kz_env, run_kz, run_kz_pty, tree, wait_for_blocked_write

TRACEBACK_MARKERS = ("Traceback", "Exception ignored", "BrokenPipeError", "KeyboardInterrupt")


def assert_no_traceback(run: Run) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in run.err, run.err[-2000:]


# --- any argument, through a real process ----------------------------------------


def _argv_safe(value: str) -> str:
    """What can reach a real argv: no NUL, no surrogate that is not a stray byte, < 128 KiB."""
    kept = "".join(
        c for c in value if c != "\x00" and not ("\ud800" <= c <= "\udfff" and not "\udc80" <= c <= "\udcff")
    )
    while len(os.fsencode(kept)) > 100_000:
        kept = kept[: len(kept) // 2]
    return kept


# 20 real processes: the same arguments run in process 200 times (test_robustness); here what
# only a process shows (exit status, stray output at exit).
@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(TEMPLATES), value=ARGUMENT.map(_argv_safe), fmt=FORMATS)
def test_any_argument_in_a_real_process(template: tuple[str, ...], value: str, fmt: tuple[str, ...]) -> None:
    argv = fill(template, value, fmt)
    run = run_kz(argv)
    assert_well_behaved(run, argv)
    assert "Exception ignored" not in run.err


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "[bold]xyzzy[/bold]"],
        ["person", "\x1b[2J\x1b[31mTulesova"],
        ["person", "\udcff\udcfe"],  # undecodable bytes in argv
        ["timeline", "--month", "20\n20"],
        ["timeline", "--from", "2020\x1b[1m"],
        ["search", "torture", "--limit", "1\n2"],
        ["no\nsuch\ncommand"],
        ["search", "torture", "--no-such\noption"],
    ],
)
def test_hostile_arguments_get_one_clean_line(argv: list[str]) -> None:
    run = run_kz(argv)
    assert_well_behaved(run, argv)
    assert run.code != 0 and len(run.err_lines) == 1


# --- output into a pipe that closes early -------------------------------------------


def _into_closed_pipe(args: list[str], env: dict[str, str]) -> Run:
    """Run kz with stdout a pipe whose reader has already gone: every write is EPIPE."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kzcli", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    process.stderr.close()
    return Run(process.wait(timeout=60), "", err.decode("utf-8", "replace"))


@pytest.mark.parametrize("unbuffered", ["1", None], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize(
    "args",
    [
        ["timeline"],
        ["search", "torture"],
        ["search", "the", "--limit", "0", "--json"],
        ["person", "Tulesova"],
        ["entities", "--format", "csv"],
        [],  # no arguments: the help
    ],
    ids=" ".join,
)
def test_a_reader_that_goes_away_is_not_an_error(args: list[str], unbuffered: str | None) -> None:
    run = _into_closed_pipe(args, kz_env(PYTHONUNBUFFERED=unbuffered))
    assert_no_traceback(run)
    assert (run.code, run.err) == (0, "")


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"], ["--version"]], ids=" ".join)
def test_help_into_a_closed_pipe_is_not_an_error(args: list[str]) -> None:
    # typer's own help writer exits 1 on EPIPE; kz makes it the commands' quiet 0.
    run = _into_closed_pipe(args, kz_env())
    assert_no_traceback(run)
    assert (run.code, run.err) == (0, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("unbuffered", ["1", None], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("args", [["timeline"], ["search", "torture", "--json"], ["--help"], []], ids=" ".join)
def test_a_full_disk_is_one_line(args: list[str], unbuffered: str | None) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "kzcli", *args],
            env=kz_env(PYTHONUNBUFFERED=unbuffered),
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    run = Run(done.returncode, "", done.stderr.decode())
    assert_no_traceback(run)
    assert run.err_lines == ["kz: cannot write output: No space left on device"]
    assert run.code == 74


def test_kz_timeline_into_head() -> None:
    command = f"set -o pipefail; {shlex.join([sys.executable, '-m', 'kzcli', 'timeline'])} | head -1"
    done = subprocess.run(["bash", "-c", command], env=kz_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # No error: at most the line naming the notes of inferred dates (kzcli.timeline.inferred_dates).
    assert all(line.startswith("kz: a date marked 'inferred'") for line in done.stderr.splitlines()), done.stderr
    assert len(done.stdout.splitlines()) == 1


def test_a_large_json_into_head_c() -> None:
    command = f"set -o pipefail; {shlex.join([sys.executable, '-m', 'kzcli', 'entities', '--json'])} | head -c 10"
    done = subprocess.run(["bash", "-c", command], env=kz_env(), capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", '{\n  "schem')


# --- encodings ------------------------------------------------------------------------


def test_ascii_stdout_gets_escapes_said_not_question_marks() -> None:
    """The trial's: "Harlem D?sir" and "?3", exit 0, nothing said."""
    run = run_kz(["search", "torture"], env=kz_env(PYTHONIOENCODING="ascii"))
    assert_no_traceback(run)
    assert run.code == 0
    assert run.out.isascii() and "torture \\xb61" in run.out and "?" not in run.out
    assert run.err_lines == [
        "kz: stdout's encoding 'ascii' cannot show some characters (U+00B6 first): written as \\x and \\u "
        "escapes; a UTF-8 locale or PYTHONIOENCODING=utf-8 shows them"
    ]
    quoted = run_kz(["person", "Desir"], env=kz_env(PYTHONIOENCODING="ascii"))
    assert quoted.out.startswith("Harlem D\\xe9sir (person)\n") and "\\u201cinsult\\u201d" in quoted.out
    assert run_kz(["search", "torture"], env=kz_env(PYTHONIOENCODING="utf-8")).err == ""  # nothing to say


def test_a_suggested_command_works_when_pasted_from_an_ascii_terminal() -> None:
    """The trial's: ``see `kz person 'D?sir'` `` named nobody when pasted."""
    import shlex

    env = kz_env(PYTHONIOENCODING="ascii")
    run = run_kz(["search", "desir"], env=env)
    hint = next(line for line in run.err_lines if "is a named person" in line)
    assert hint == "kz: Harlem D\\xe9sir is a named person: see `kz person Desir`"
    pasted = run_kz(shlex.split(hint.split("`")[1])[1:], env=env)
    assert pasted.code == 0 and pasted.out.startswith("Harlem D\\xe9sir (person)")
    # A terminal that shows the name gets it as the report writes it.
    assert "see `kz person 'D\u00e9sir'`" in run_kz(["search", "desir"]).err


def test_ascii_stdout_keeps_json_lossless(raw_corpus: dict[str, Any]) -> None:
    run = run_kz(["read", "freedom-of-expression", "--json"], env=kz_env(PYTHONIOENCODING="ascii"))
    assert run.code == 0 and run.out.isascii()
    records = json.loads(run.out)["records"]
    section = next(s for s in raw_corpus["sections"] if s["id"] == "freedom-of-expression")
    assert [r["quote"] for r in records] == section["paragraphs"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"LC_ALL": "C", "LANG": None},
        {"LC_ALL": "C", "LANG": None, "PYTHONUTF8": "0"},
        {"LC_ALL": "POSIX", "LANG": None, "PYTHONIOENCODING": "latin-1"},
    ],
    ids=["C", "C-no-utf8-mode", "latin-1"],
)
@pytest.mark.parametrize("args", [["search", "Désir"], ["person", "Désir"], ["timeline", "--month", "2020-06"]])
def test_c_locale_and_other_encodings(overrides: dict[str, str | None], args: list[str]) -> None:
    run = run_kz(args, env=kz_env(**overrides))
    assert_no_traceback(run)
    assert run.code in (0, 1)
    assert run.out.strip() or len(run.err_lines) == 1


# --- terminals --------------------------------------------------------------------------

TERMINAL_COMMANDS = [
    ["search", "torture"],
    ["person", "Tulesova"],
    ["timeline", "--month", "2020-06", "--chart"],
    ["read", "torture"],
    ["figures", "journalists"],
    ["people"],
]


@pytest.mark.linux
@pytest.mark.parametrize("columns", [20, 300])
@pytest.mark.parametrize("args", TERMINAL_COMMANDS, ids=" ".join)
def test_narrow_and_wide_terminals(args: list[str], columns: int) -> None:
    run = run_kz_pty(args, columns=columns)
    assert_no_traceback(run)
    assert run.code == 0, run.err
    assert run.out.strip()
    if columns == 300:
        # Rich drew it: a table, or the chart's bars (read draws neither).
        assert "━" in run.out or "█" in run.out or args[0] == "read"
    if args[0] == "search":
        # The passage itself is there, whole, however narrow the terminal.
        assert "reported they had received 140" in " ".join(run.out.split())


@pytest.mark.linux
def test_a_wide_terminal_gets_a_rich_table_with_highlights() -> None:
    run = run_kz_pty(["search", "torture"], columns=300)
    assert run.code == 0
    assert "passages for torture" in run.out and "┃" in run.out
    assert COLOUR_SGR_RE.search(run.out), "the colour check below would prove nothing"


@pytest.mark.linux
def test_no_color_means_no_colour_codes() -> None:
    run = run_kz_pty(["search", "torture"], env=kz_env(NO_COLOR="1"), columns=120)
    assert run.code == 0 and "┃" in run.out
    assert not COLOUR_SGR_RE.search(run.out)


@pytest.mark.linux
def test_term_dumb_gets_plain_lines() -> None:
    run = run_kz_pty(["search", "torture"], env=kz_env(TERM="dumb"), columns=120)
    assert run.code == 0
    assert "\x1b" not in run.out and "┃" not in run.out
    assert run.out.startswith("torture ¶1\t")


@pytest.mark.linux
def test_no_home() -> None:
    env = kz_env(HOME=None)
    for run in (run_kz(["search", "torture"], env=env), run_kz_pty(["person", "Tulesova"], env=env)):
        assert_no_traceback(run)
        assert run.code == 0 and run.out.strip()


@pytest.mark.linux
def test_markup_typed_by_the_user_is_shown_literally_on_a_terminal() -> None:
    # Rich would drop "[i]" as a style tag ("i" is a common word: it only ranks), and fail on
    # a closing "[/]" with nothing open.
    for query, title in [
        ("torture [i]", "passages for torture [i]"),
        ('"torture [/]"', 'passages for "torture [/]"'),
    ]:
        run = run_kz_pty(["search", query], columns=300)
        assert run.code == 0, run.err
        assert title in run.out


@pytest.mark.linux
def test_corpus_text_is_never_read_as_markup(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    document = copy.deepcopy(raw_corpus)
    section = next(s for s in document["sections"] if s["id"] == "torture")
    section["title"] += " [/]"
    section["paragraphs"][0] += " [bold red]Torture[/] is [/] not markup [link=https://x.test]here[/link]."
    person = next(e for e in document["entities"] if e["name"] == "Asya Tulesova")
    person["role"] += " [blink]"
    path = write_json(tmp_path / "markup.json", document)
    env = kz_env(KZ_DATA=path)
    for args, expected in [
        (["read", "torture"], "[bold red]Torture[/] is [/] not markup [link=https://x.test]here[/link]."),
        (["search", "torture", "--limit", "1"], "Torture [/]"),
        (["person", "Tulesova"], "[blink]"),
    ]:
        run = run_kz_pty(args, env=env, columns=300)
        assert_no_traceback(run)
        assert run.code == 0, run.err
        plain = COLOUR_SGR_RE.sub("", run.out)
        plain = plain.replace("\x1b[0m", "").replace("\x1b[1m", "").replace("\x1b[2m", "").replace("\x1b[4m", "")
        assert expected in " ".join(plain.split()), plain[:3000]


# --- Ctrl-C -----------------------------------------------------------------------------


@pytest.mark.linux
@pytest.mark.parametrize("unbuffered", ["1", None], ids=["unbuffered", "buffered"])
def test_ctrl_c_during_output(unbuffered: str | None) -> None:
    """SIGINT while kz is blocked writing to a full pipe: one line, exit 130.

    The pipe is shrunk to one page and read only until output has begun, so
    kz is certainly mid-output (blocked in write) when the signal comes.
    """
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    process = subprocess.Popen(
        [sys.executable, "-m", "kzcli", "entities", "--json"],
        env=kz_env(PYTHONUNBUFFERED=unbuffered),
        stdin=subprocess.DEVNULL,
        stdout=write_end,
        stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        assert os.read(read_end, 1) == b"{"
        wait_for_blocked_write(process.pid)
        process.send_signal(signal.SIGINT)
        while os.read(read_end, 65536):
            pass
    finally:
        os.close(read_end)
    assert process.stderr is not None
    err = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=30)
    assert (code, err) == (130, "kz: interrupted\n")


def test_ctrl_c_while_reading_the_corpus(tmp_path: Path) -> None:
    """SIGINT while kz waits on its corpus (a FIFO nobody writes): one line, exit 130."""
    fifo = tmp_path / "corpus.json"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "kzcli", "--data", str(fifo), "sections"],
        env=kz_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    writer = -1
    deadline = time.monotonic() + 30
    while writer < 0 and time.monotonic() < deadline:
        try:  # succeeds only once kz has opened the FIFO for reading
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.01)
    assert writer >= 0, "kz never opened its corpus"
    try:
        time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        os.close(writer)
    assert (process.returncode, err.decode(), out) == (130, "kz: interrupted\n", b"")


# --- any corpus -------------------------------------------------------------------------


def _raw() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def _mutated(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        document = _raw()
        change(document)
        return write_json(folder / "corpus.json", document)

    return make


def _written(text: str | bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        path = folder / "corpus.json"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    return make


def _fifty_megabytes(folder: Path) -> str:
    path = folder / "corpus.json"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    return str(path)


def _impossible_date(document: dict[str, Any]) -> None:
    event = next(e for e in document["events"] if e["precision"] == "day" and e["end"] is None)
    event["date"] = "2020-02-30"


def _duplicate_entity(document: dict[str, Any]) -> None:
    document["entities"].append(copy.deepcopy(document["entities"][0]))


def _dangling_reference(document: dict[str, Any]) -> None:
    document["events"][0]["entities"].append("nobody-at-all")


def _quote_elsewhere(document: dict[str, Any]) -> None:
    document["entities"][0]["mentions"][0]["quote"] = "words the report never says"


def _wrong_types(document: dict[str, Any]) -> None:
    document["events"][0]["paragraph"] = "1"


def _wrong_shape(document: dict[str, Any]) -> None:
    document["sections"] = {"photo": document["sections"][0]}


CORPUS_CASES: dict[str, tuple[Callable[[Path], str], str]] = {
    "missing file": (lambda folder: str(folder / "nowhere.json"), "no such file"),
    "a directory": (lambda folder: str(folder), "is a directory"),
    "empty file": (_written(""), "is empty"),
    "whitespace only": (_written(" \n\t"), "is empty"),
    "invalid JSON": (_written('{"schema_version": 1,'), "invalid JSON"),
    "not UTF-8": (_written(b'{"x": "\xff"}'), "not UTF-8"),
    "nested too deep": (_written("[" * 100_000 + "]" * 100_000), "nested"),
    "an array": (_written("[]"), "expected an object"),
    "wrong shape": (_mutated(_wrong_shape), "should be an array"),
    "wrong types": (_mutated(_wrong_types), "should be an integer"),
    "duplicate ids": (_mutated(_duplicate_entity), "duplicate id"),
    "dangling reference": (_mutated(_dangling_reference), "unknown entity 'nobody-at-all'"),
    "quote not in its paragraph": (_mutated(_quote_elsewhere), "not verbatim"),
    "impossible date": (_mutated(_impossible_date), "2020-02-30"),
    "50 MB": (_fifty_megabytes, "MiB"),
    "a device that never ends": (lambda folder: "/dev/zero", "32 MiB"),
}


@pytest.mark.parametrize("via", ["--data", "KZ_DATA"])
@pytest.mark.parametrize("case", list(CORPUS_CASES))
def test_a_bad_corpus_is_one_line_and_exit_3(tmp_path: Path, case: str, via: str) -> None:
    make, problem = CORPUS_CASES[case]
    corpus_dir, home, cwd = tmp_path / "corpus", tmp_path / "home", tmp_path / "cwd"
    for folder in (corpus_dir, home, cwd):
        folder.mkdir()
    path = make(corpus_dir)
    before = {folder: tree(folder) for folder in (corpus_dir, home, cwd)}
    args = ["search", "torture"]
    if via == "--data":
        run = run_kz(["--data", path, *args], env=kz_env(HOME=str(home)), cwd=cwd)
    else:
        run = run_kz(args, env=kz_env(HOME=str(home), KZ_DATA=path), cwd=cwd)
    assert_no_traceback(run)
    assert run.code == 3, run.err
    assert len(run.err_lines) == 1, run.err
    assert run.err.startswith(f"kz: corpus {path}: ") and problem in run.err, run.err
    assert run.out == ""
    assert {folder: tree(folder) for folder in (corpus_dir, home, cwd)} == before


# --- import hygiene ---------------------------------------------------------------------


def imported(args: list[str], terminal: bool = False) -> set[str]:
    """Modules a kz run imports (from ``-X importtime``), with output to a pipe or a terminal."""
    runner = run_kz_pty if terminal else run_kz
    run = runner(args, flags=["-X", "importtime"])
    assert run.code == 0, run.err[-500:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in run.err.splitlines()
        if line.startswith("import time:") and "|" in line and not line.rstrip().endswith("package")
    }


def _loaded(modules: set[str], *roots: str) -> set[str]:
    return {m for m in modules if m.split(".")[0] in roots or any(m.startswith(f"{r}.") for r in roots)}


NEVER = ("pydantic", "markdown_it", "pygments", "typer.rich_utils", "rich.markdown", "rich.syntax", "rich.traceback")


@pytest.mark.parametrize(
    ("args", "also_never"),
    [
        # Piped output is plain text: Rich is never imported at all. A word of the
        # report needs no typo correction, and an exact name no fuzzy matching.
        # The bundled corpus has its snapshot, not an index file: no SQLite.
        (["search", "torture"], ("rich", "csv", "rapidfuzz", "kzcli.timeline", "dataclasses", "shlex", "sqlite3")),
        (["person", "Tulesova"], ("rich", "csv", "rapidfuzz", "kzcli.search", "dataclasses", "kzcli.store")),
        # A name spelt otherwise is decided by kz's own word rules (kzcli.spelling), not rapidfuzz.
        (["person", "tulesva"], ("rich", "csv", "rapidfuzz", "kzcli.search", "dataclasses", "kzcli.store")),
        (["timeline", "--month", "2020-06"], ("rich", "rapidfuzz", "csv", "kzcli.search", "dataclasses", "sqlite3")),
        # A listing from the corpus alone: no text analysis at all.
        (["sections", "--json"], ("rich", "rapidfuzz", "csv", "Stemmer", "kzcli.text", "kzcli.search")),
        # Help never loads the corpus or anything that reads it.
        (["--help"], ("rich", "rapidfuzz", "Stemmer", "kzcli.corpus", "kzcli.search", "json")),
        (["search", "--help"], ("rich", "rapidfuzz", "Stemmer", "kzcli.corpus", "kzcli.search")),
        # Colour in a pipe is the plain lines with ANSI codes: still no Rich, no layout, no pager.
        (["search", "torture", "--color", "always"], ("rich", "kzcli.render", "kzcli.paging", "csv")),
        # A typo is what rapidfuzz is for.
        (["search", "tortre"], ("rich", "csv")),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_each_path_imports_only_what_it_needs(args: list[str], also_never: tuple[str, ...]) -> None:
    """The rule (DESIGN.md, principle 4): a command imports what it uses and nothing else.

    - nothing ever imports pydantic, markdown_it or pygments (Rich help, Markdown,
      syntax highlighting, pretty tracebacks are not used);
    - output to a pipe is plain: Rich is for terminals only;
    - rapidfuzz only where a name, a section or a typo must be matched fuzzily
      (an exact name or a word of the report needs none: ~6 ms);
    - a command imports the core modules it uses, not the others (search has no
      timeline, person and timeline no search engine); no dataclasses module on
      the query paths (records are named tuples);
    - csv only for ``--format csv``; shlex only for messages that suggest a
      command; help never touches the corpus.
    """
    modules = imported(args)
    assert "kzcli.cli" in modules
    if args == ["search", "tortre"]:
        assert "rapidfuzz" in modules  # the rule above is not vacuous
    assert _loaded(modules, *NEVER, *also_never) == set()


def test_a_search_on_a_terminal_imports_rich_but_no_more() -> None:
    modules = imported(["search", "torture"], terminal=True)
    assert {"rich.console", "rich.table"} <= modules
    # The pager's module only for output taller than the screen.
    assert _loaded(modules, *NEVER, "csv", "kzcli.paging") == set()


def test_a_lone_surrogate_is_escaped_without_a_note_about_the_encoding() -> None:
    """A byte of argv that is not UTF-8 reaches stdout as a JSON escape; no encoding is to blame."""
    run = run_kz(["\udc80", "--json"])
    assert run.code == 2 and len(run.err_lines) == 1 and "encoding" not in run.err
    assert json.loads(run.out)["error"]["message"].startswith("No such command")
