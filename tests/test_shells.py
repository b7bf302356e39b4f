"""Completion candidates are inert: real zsh, bash and fish, given names built to run code, insert the names.

Two levels. Each shell's reply (``kzcli.shells``) is handed to that shell the
way its completion script hands it on (zsh: ``eval $(...)``; bash:
``COMPREPLY=( $(...) )`` then the inserted text parsed as a command line; fish:
a command substitution), with options that widen expansion switched on and
files in the folder for globs to find. Then an interactive shell in a pty
(``tests/shell_session.py``) completes from a corpus whose names hold
``\\$(...)``, backticks, ``;`` and quotes, and the line it runs must carry the
literal name, with no payload run. A corpus cannot hold a newline or a tab
(``kz validate`` rejects controls), so those names reach the pty test through
a stand-in completion source, with kz's own formatting and typer's protocol.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kzcli.shells import bash_reply, fish_reply, zsh_reply

from .conftest import DATA
from .kzprocess import kz_env
from .shell_session import SHELLS, ShellSession, kz_launcher

pytestmark = pytest.mark.linux

# Each payload touches a file named ran-N in the working folder: none may ever appear.
PAYLOADS = [
    "Zqa\\$(touch ran-1)",
    "Zqb`touch ran-2`",
    "Zqc; touch ran-3",
    "Zqd'\"$(touch ran-4)\"'",
    "Zqe $HOME * ~ {a,b} [x] ?(y) @(z) !! #",
    "Zqf\\",
    "Zqg\\\\\"\\'",
    "Zqh é Désir ё\u00a0nbsp",
    "Zqi|touch ran-5&>ran-13 <x",
]
# What a valid corpus cannot hold but a reply must still carry exactly (or leave out).
CONTROLS = [
    "Zn1\n$(touch ran-6)",
    "Zn2\ttouch ran-7",
    "Zn3\x1b[31m`touch ran-8`",
    "Zn4\u2028;touch ran-9",
    "Zn5\u202e'x",
]
# Files for any glob in a reply to find (an unescaped `*` or `[x]` would turn into these).
GLOB_BAIT = ["x", "y", "z", "a", "b", "Zqe"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in GLOB_BAIT:
        (tmp_path / name).touch()
    return tmp_path


def _ran(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("ran-*"))


def _zsh_eval(reply: str, options: str, folder: Path) -> list[str]:
    """What zsh's completion function hands ``compadd`` when it evaluates ``reply`` as typer's script does."""
    script = f"{options}\ncompadd() {{ printf '%s\\0' \"$@\"; }}\n_files() {{ print -n FILES; }}\neval $(cat)"
    done = subprocess.run(["zsh", "-f", "-c", script], input=reply.encode(), capture_output=True, cwd=folder)
    assert done.stderr == b""
    words = done.stdout.decode("utf-8").split("\0")[:-1]
    assert words[:2] == ["-U", "--"], words
    return words[2:]


@pytest.mark.parametrize(
    "options",
    ["", "setopt GLOB_SUBST", "setopt GLOB_SUBST SH_WORD_SPLIT EXTENDED_GLOB; IFS=$' \\t\\n'"],
)
def test_zsh_evaluates_kz_s_reply_to_the_literal_names(folder: Path, options: str) -> None:
    names = PAYLOADS + CONTROLS
    assert _zsh_eval(zsh_reply([(n, None) for n in names]), options, folder) == names
    assert _ran(folder) == []


def test_the_zsh_harness_sees_code_run(folder: Path) -> None:
    """The check above can fail: a reply quoted the way typer 0.28 quotes (no backslash escaped) runs the payload."""
    naive = "compadd -U -- " + '"' + "Zqa\\$(touch ran-1)".replace("$", "\\$") + '"'
    _zsh_eval(naive, "", folder)
    assert _ran(folder) == ["ran-1"]


def test_zsh_reply_keeps_descriptions_and_falls_back_to_files(folder: Path) -> None:
    reply = zsh_reply([("--limit", "Passages to show; `touch ran-1` $(touch ran-2)"), ("--li\\$(x)", None)])
    assert reply.startswith("local -a kz_shown; set -A kz_shown ")
    script = 'compadd() { printf \'%s\\0\' "$@"; print -rn -- "${(pj:\\0:)kz_shown}"; }\neval $(cat)'
    done = subprocess.run(["zsh", "-f", "-c", script], input=reply.encode(), capture_output=True, cwd=folder)
    words = done.stdout.decode().split("\0")
    assert words[:7] == ["-U", "-l", "-d", "kz_shown", "--", "--limit", "--li\\$(x)"]
    assert words[7:] == ["--limit    -- Passages to show; `touch ran-1` $(touch ran-2)", "--li\\$(x)"]
    assert _ran(folder) == []
    assert zsh_reply([]) == "_files" == zsh_reply([("nul\x00", None)])


@pytest.mark.parametrize("options", ["", "shopt -s extglob nullglob", "shopt -s extglob failglob dotglob"])
def test_bash_inserts_kz_s_reply_as_the_literal_names(folder: Path, options: str) -> None:
    """Through the array assignment of typer's script, then parsed as the command line it is inserted into."""
    names = PAYLOADS + CONTROLS
    script = (
        f"{options}\nIFS=$'\\n'; COMPREPLY=( $(cat) ); unset IFS\n"
        'for word in "${COMPREPLY[@]}"; do eval "printf \'%s\\0\' $word"; done'
    )
    reply = bash_reply([(n, None) for n in names])
    done = subprocess.run(["bash", "--norc", "-c", script], input=reply.encode(), capture_output=True, cwd=folder)
    assert done.stderr == b""
    assert done.stdout.decode("utf-8").split("\0")[:-1] == names
    assert _ran(folder) == []
    assert reply.splitlines()[0] == "Zqa\\\\\\$\\(touch\\ ran-1\\)"  # ordinary names stay readable
    assert bash_reply([("Asya Tulesova", None), ("x\x00", None)]) == "Asya\\ Tulesova"


@pytest.mark.parametrize("quote", ["'", '"'])
def test_bash_inserts_kz_s_reply_after_an_open_quote_as_the_literal_names(folder: Path, quote: str) -> None:
    """The word being completed began with a quote (`--person "Asya T`): bash inserts the reply inside it."""
    names = PAYLOADS + CONTROLS + ["Asya Tulesova", "Zqj it's"]
    script = (
        f"shopt -s extglob\nq={shlex.quote(quote)}\nIFS=$'\\n'; COMPREPLY=( $(cat) ); unset IFS\n"
        'for word in "${COMPREPLY[@]}"; do eval "printf \'%s\\0\' $q$word$q"; done'
    )
    reply = bash_reply([(n, None) for n in names], quote)
    done = subprocess.run(["bash", "--norc", "-c", script], input=reply.encode(), capture_output=True, cwd=folder)
    assert done.stderr == b""
    inserted = done.stdout.decode("utf-8").split("\0")[:-1]
    assert len(inserted) == len(reply.splitlines()) and set(inserted) <= set(names)
    assert "Asya Tulesova" in inserted and ("Zqj it's" in inserted) == (quote == '"')
    assert _ran(folder) == []


def test_fish_reads_kz_s_reply_as_the_names_and_leaves_out_what_a_line_cannot_hold(folder: Path) -> None:
    reply = fish_reply([(n, None) for n in PAYLOADS + CONTROLS] + [("--limit", "Passages\tto\nshow")])
    script = "for word in (cat); printf '%s\\0' $word; end"
    done = subprocess.run(["fish", "--no-config", "-c", script], input=reply.encode(), capture_output=True, cwd=folder)
    assert done.stderr == b""
    assert done.stdout.decode("utf-8").split("\0")[:-1] == [*PAYLOADS, "--limit\tPassages to show"]
    assert _ran(folder) == []


# --- kz itself, as each shell's completion runs it -----------------------------------------------


def _hostile_corpus(folder: Path, raw: dict[str, Any]) -> Path:
    """The real corpus plus every payload as an alias of Asya Tulesova and as a section id."""
    for entity in raw["entities"]:
        if entity["name"] == "Asya Tulesova":
            entity["aliases"] += PAYLOADS
    raw["sections"] += [
        {"id": f"Zs{n}", "title": f"Section {n}", "paragraphs": ["A paragraph."]}
        for n in ("a;touch ran-10", "b`touch ran-11`", "c\\$(touch ran-12)'\"")
    ]
    path = folder / "evil.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def test_kz_answers_each_shell_with_its_own_quoting(folder: Path, raw_copy: dict[str, Any]) -> None:
    corpus = _hostile_corpus(folder, raw_copy)
    launcher = kz_launcher(folder / "bin")
    typed = f"kz --data {corpus} entity Zqa"

    def ask(shell: str, **env: str) -> subprocess.CompletedProcess[str]:
        variables = kz_env(_KZ_COMPLETE=f"complete_{shell}", _TYPER_COMPLETE_ARGS=typed, **env)
        return subprocess.run([str(launcher)], env=variables, capture_output=True, text=True, check=False)

    assert ask("zsh").stdout == zsh_reply([(PAYLOADS[0], None)]) + "\n"
    assert ask("bash", COMP_WORDS=typed, COMP_CWORD="4").stdout == bash_reply([(PAYLOADS[0], None)]) + "\n"
    assert ask("fish", _TYPER_COMPLETE_FISH_ACTION="get-args").stdout == PAYLOADS[0] + "\n"
    assert ask("fish", _TYPER_COMPLETE_FISH_ACTION="is-args").returncode == 0
    powershell = ask("powershell")
    assert (powershell.returncode, powershell.stdout, powershell.stderr) == (0, "\n", "")
    source = subprocess.run(
        [str(launcher)], env=kz_env(_KZ_COMPLETE="source_pwsh"), capture_output=True, text=True, check=False
    )
    assert (source.returncode, source.stdout) == (2, "")
    assert source.stderr == "kz: kz completes in bash, zsh and fish; PowerShell is not supported\n"


@pytest.mark.parametrize("shell", SHELLS)
def test_tab_in_a_real_shell_inserts_the_literal_name_and_runs_nothing(
    shell: str, folder: Path, raw_copy: dict[str, Any]
) -> None:
    corpus = _hostile_corpus(folder, raw_copy)
    sections = [s["id"] for s in raw_copy["sections"] if s["id"].startswith("Zs")]
    typed_and_wanted = [(f"kz --data {corpus.name} entity {name[:3]}", name) for name in PAYLOADS] + [
        (f"kz --data {corpus.name} timeline --person Zqb", PAYLOADS[1]),
        (f"kz --data {corpus.name} cite Zqc", PAYLOADS[2]),
        (f"kz --data {corpus.name} read {sections[0][:3]}", sections[0]),
        (f"kz --data {corpus.name} cite {sections[1][:3]}", sections[1]),
        (f"kz --data {corpus.name} search torture --section {sections[2][:3]}", sections[2]),
    ]
    # zsh here evaluates the script after compinit (elsewhere it is an installed function).
    with ShellSession(shell, kz_launcher(folder / "bin").parent, folder, zsh_by_eval=True) as session:
        for typed, wanted in typed_and_wanted:
            words = session.complete(typed)
            assert words[: len(typed.split()) - 1] == typed.split()[:-1]
            assert words[len(typed.split()) - 1 :] == [wanted], (typed, words)
    assert _ran(folder) == []


# The names a corpus cannot hold, offered by a stand-in for the corpus: kz's formatting, typer's protocol.
_STAND_IN = """
import kzcli.completion
NAMES = {names!r}
kzcli.completion.entity_names = lambda session, typed, *before: [n for n in NAMES if n.startswith(typed)]
"""


@pytest.mark.parametrize("shell", SHELLS)
def test_tab_with_control_characters_in_a_name(shell: str, folder: Path) -> None:
    launcher = kz_launcher(folder / "bin", _STAND_IN.format(names=CONTROLS))
    with ShellSession(shell, launcher.parent, folder) as session:
        for name in CONTROLS:
            words = session.complete(f"kz entity {name[:3]}")
            # fish's protocol has no room for them: nothing is offered, what was typed stays.
            assert words == ["kz", "entity", name[:3] if shell == "fish" else name], words
    assert _ran(folder) == []


# --- completion that builds command lines kz runs --------------------------------------------------

# What is typed before TAB, and the words the shell then runs: each a command kz answers with exit 0.
COMPLETED_LINES = [
    ("kz person Asya T", ["kz", "person", "Asya", "Tulesova"]),  # every word counts: not Tokaev
    ("kz person tul", ["kz", "person", "Tulesova"]),  # case folds
    ("kz person Fionnuala N", ["kz", "person", "Fionnuala", "Ní Aoláin"]),
    ("kz entity congress of f", ["kz", "entity", "congress", "of", "Free Trade Unions of Kazakhstan"]),
    # Two names go on from here (the OSCE, and its Representative's alias): the shell stops where they part.
    ("kz entity Organization for Sec", ["kz", "entity", "Organization", "for", "Security and Co-operation in Europe"]),
    ("kz timeline --person Kasy", ["kz", "timeline", "--person", "Kasym-Jomart Tokaev"]),  # one spelling
    ("kz read torture:2", ["kz", "read", "torture:2"]),
    ("kz cite entity:Tul", ["kz", "cite", "entity:Tulesova"]),
    ("kz cite 2020-08-12", ["kz", "cite", "2020-08-12-tulesova-convicted"]),
    ("kz timeline --from 2020-1", ["kz", "timeline", "--from", "2020-10"]),
    ("kz search pandemic --section cov", ["kz", "search", "pandemic", "--section", "covid-19"]),
    ("kz validate zcor", ["kz", "validate", "zcorpus.json"]),  # nothing of kz's: the shell's file names
    # Inside an open quote, the name is completed within it.
    ('kz timeline --person "Asya T', ["kz", "timeline", "--person", "Asya Tulesova"]),
    ("kz entity 'congress of f", ["kz", "entity", "Congress of Free Trade Unions of Kazakhstan"]),
    ('kz cite "entity:Asya T', ["kz", "cite", "entity:Asya Tulesova"]),
    ("kz read 'torture:2", ["kz", "read", "torture:2"]),
]
# Accents fold too, where the shell lets kz's candidate replace what was typed (fish filters
# candidates itself, by its own rules, and keeps only those that fit what was typed).
FOLDED_ACCENT = ("kz person Des", ["kz", "person", "Désir"])


@pytest.mark.parametrize("shell", SHELLS)
def test_tab_builds_a_command_line_kz_runs(shell: str, tmp_path: Path) -> None:
    from .kzprocess import run_main

    lines = COMPLETED_LINES + ([FOLDED_ACCENT] if shell != "fish" else [])
    shutil.copy(DATA, tmp_path / "zcorpus.json")
    # zsh: the function installed in $fpath, in a new shell: the first TAB completes.
    with ShellSession(shell, kz_launcher(tmp_path / "bin").parent, tmp_path) as session:
        got = [(typed, session.complete(typed)) for typed, _ in lines]
    assert got == lines
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        for _, words in lines:
            assert run_main(words[1:]).code == 0, words
