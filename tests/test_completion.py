"""Shell completion: the dynamic values, and typer's completion protocol for bash, zsh and fish in a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzcli import completion
from kzcli.cli import common as cli
from kzcli.session import Session

from .kzprocess import kz_env, run_kz, run_main

# The console script of this environment: the completion variable is named after the
# program (`_KZ_COMPLETE` for `kz`), so `python -m kzcli` would not do.
KZ_SCRIPT = Path(sys.executable).with_name("kz")


@pytest.fixture
def fresh_state() -> Iterator[None]:
    saved = cli.SESSION
    cli.SESSION = Session()
    yield
    cli.SESSION = saved


@pytest.fixture
def bundled(fresh_state: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KZ_DATA", raising=False)


def test_people_complete_one_spelling_each_folded_as_the_commands_fold(bundled: None) -> None:
    assert completion.people(cli.SESSION, "Tul") == ["Tulesova"]
    assert completion.people(cli.SESSION, "tul") == ["Tulesova"]  # case folds
    assert completion.people(cli.SESSION, "asya") == ["Asya Tulesova"]
    assert completion.people(cli.SESSION, "des") == completion.people(cli.SESSION, "Des") == ["Désir"]  # accents
    # Two spellings of one name fit "Kasy": one is offered, never their common prefix.
    assert completion.people(cli.SESSION, "Kasy") == ["Kasym-Jomart Tokaev"]
    assert completion.people(cli.SESSION, "tokay") == ["Tokayev"]
    everyone = completion.people(cli.SESSION, "")
    assert "Asya Tulesova" in everyone and "Tulesova" not in everyone
    assert len(everyone) == len(set(everyone)) == len([e for e in cli.SESSION.corpus().entities if e.type == "person"])


def test_every_word_typed_counts(bundled: None) -> None:
    assert completion.people(cli.SESSION, "T", ["Asya"]) == ["Tulesova"]  # not Tokaev, not Taurbekov
    assert completion.people(cli.SESSION, "t", ["asya"]) == ["Tulesova"]
    assert completion.people(cli.SESSION, "T", ["Nobody"]) == []
    assert (
        completion.entity_names(cli.SESSION, "Sec", ["Organization", "for"])[0] == "Security and Co-operation in Europe"
    )
    assert completion.entity_names(cli.SESSION, "Organization for Sec")[0].startswith("Organization for Security")
    assert completion.rest_of_names(["Asya Tulesova", "Asya"], ["asya"]) == ["Tulesova"]


def test_entity_names_include_aliases(bundled: None) -> None:
    assert "OSCE" in completion.entity_names(cli.SESSION, "OSC")
    assert completion.entity_names(cli.SESSION, "tokay") == ["Tokayev"]


def test_cite_and_read_targets(bundled: None) -> None:
    corpus = cli.SESSION.corpus()
    torture = next(s for s in corpus.sections if s.id == "torture")
    assert completion.targets(cli.SESSION, "torture:") == [
        f"torture:{n}" for n in range(1, len(torture.paragraphs) + 1)
    ]
    assert completion.targets(cli.SESSION, "Torture:1") == ["Torture:1"] + (
        ["Torture:1" + str(n)[1:] for n in range(10, len(torture.paragraphs) + 1) if str(n).startswith("1")]
    )
    assert completion.targets(cli.SESSION, "entity:Tul") == ["entity:Tulesova"]
    assert completion.targets(cli.SESSION, "person:des") == ["person:Désir"]
    assert completion.targets(cli.SESSION, "event:2020-08-12") == ["event:2020-08-12-tulesova-convicted"]
    assert completion.targets(cli.SESSION, "nowhere:") == []
    assert "2020-08-12-tulesova-convicted" in completion.targets(cli.SESSION, "2020-08")
    assert completion.targets(cli.SESSION, "tor") == ["torture"]
    figure = corpus.figures[0].id
    assert completion.targets(cli.SESSION, f"figure:{figure}") == [f"figure:{figure}"]


def test_section_ids_months_years_and_dates(bundled: None) -> None:
    assert completion.section_ids(cli.SESSION, "tor") == ["torture"]
    assert completion.section_ids(cli.SESSION, "freedom-of-") == ["freedom-of-assembly", "freedom-of-expression"]
    months = completion.months(cli.SESSION, "2020-")
    assert months == sorted(months) and "2020-06" in months
    assert all(len(m) == 7 for m in completion.months(cli.SESSION, ""))
    years = completion.years(cli.SESSION, "")
    dated = {e.date[:4] for e in cli.SESSION.corpus().events}
    assert years == sorted(years) and dated <= set(years) and "2020" in years
    assert completion.years(cli.SESSION, "201") == [y for y in years if y.startswith("201")]
    assert completion.dates(cli.SESSION, "2020") == ["2020", *completion.months(cli.SESSION, "2020")]


def test_a_broken_corpus_completes_nothing(fresh_state: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    monkeypatch.setenv("KZ_DATA", str(broken))
    assert completion.people(cli.SESSION, "") == []
    assert completion.section_ids(cli.SESSION, "") == []


def complete(shell: str, words: str, cword: int | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `kz` as the shell's completion function would."""
    variables = kz_env(KZ_DATA=None, _KZ_COMPLETE=f"complete_{shell}", **env)
    if shell == "bash":
        variables.update(COMP_WORDS=words, COMP_CWORD=str(cword if cword is not None else len(words.split()) - 1))
    else:
        variables["_TYPER_COMPLETE_ARGS"] = words
        if shell == "fish":
            variables["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return subprocess.run(
        [str(KZ_SCRIPT)],
        env=variables,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )


needs_script = pytest.mark.skipif(not os.access(KZ_SCRIPT, os.X_OK), reason="the kz console script is not installed")


@needs_script
def test_bash_completes_a_person() -> None:
    # _KZ_COMPLETE=complete_bash COMP_WORDS='kz person Tul' COMP_CWORD=2 kz
    done = complete("bash", "kz person Tul", 2)
    assert (done.returncode, done.stdout.split(), done.stderr) == (0, ["Tulesova"], "")


@needs_script
def test_zsh_and_fish_complete_a_person() -> None:
    zsh = complete("zsh", "kz person Tul")
    assert (zsh.returncode, zsh.stdout.strip()) == (0, "compadd -U -- $'Tulesova'")
    fish = complete("fish", "kz person Tul")
    assert (fish.returncode, fish.stdout.strip()) == (0, "Tulesova")


@needs_script
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("kz read tor", ["torture"]),
        ("kz timeline --month 2020-0", None),
        ("kz cite Tul", ["Tulesova"]),
        ("kz search torture --section covid", ["covid-19"]),
        ("kz entities --type pl", ["place"]),
        ("kz timeline --topic cov", ["covid-19"]),
        ("kz search torture --topic lg", ["lgbt-people"]),
        ("kz topic pers", ["persons-with-disabilities"]),
    ],
)
def test_bash_completes_sections_and_months(words: str, expected: list[str] | None) -> None:
    done = complete("bash", words)
    assert done.returncode == 0
    if expected is None:
        assert "2020-06" in done.stdout.split()
    else:
        assert done.stdout.split() == expected


@needs_script
def test_completion_follows_data_on_the_command_line(tmp_path: Path) -> None:
    from kzcli.ingest import ingest

    from .test_ingest import INVENTED

    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(ingest(INVENTED, "freedonia.txt")), encoding="utf-8")
    done = complete("bash", f"kz --data {draft} person V", 4)
    assert done.stdout.split() == ["Vale"]
    broken = complete("bash", f"kz --data {tmp_path / 'missing.json'} person V", 4)
    assert (broken.returncode, broken.stdout.strip(), broken.stderr) == (0, "", "")
    # A stale index file is passed over in silence while completing: a warning would land mid-prompt.
    assert run_main(["index", str(draft)]).code == 0
    draft.write_text(draft.read_text(encoding="utf-8").replace("Vale", "Valle"), encoding="utf-8")
    stale = complete("bash", f"kz --data {draft} person V", 4)
    assert (stale.stdout.split(), stale.stderr) == (["Valle"], "")


@needs_script
@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o default -F _kz_completion kz"), ("zsh", "#compdef kz"), ("fish", "complete --command kz")],
)
def test_completion_scripts_for_each_shell(shell: str, marker: str) -> None:
    variables = kz_env(_KZ_COMPLETE=f"source_{shell}")
    done = subprocess.run([str(KZ_SCRIPT)], env=variables, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0
    assert marker in done.stdout
    assert "_KZ_COMPLETE" in done.stdout


@needs_script
def test_the_completion_hook_run_by_hand_is_bad_usage() -> None:
    run = subprocess.run(
        [str(KZ_SCRIPT)], env=kz_env(KZ_DATA=None, _KZ_COMPLETE="complete_bash"), capture_output=True, text=True
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("kz: shell completion needs the variables the shell sets")


def test_bash_keeps_what_comes_before_a_colon() -> None:
    """Bash replaces only what follows the last colon of a word (unless the word is quoted)."""
    from kzcli.shells import bash_replaced

    breaks = " \t\n\"'><=;|&(:"
    assert bash_replaced("torture:", ":", breaks) == "torture:"
    assert bash_replaced("entity:Tul", "Tul", breaks) == "entity:"
    assert bash_replaced("entity:Asya T", '"entity:Asya T', breaks) == ""
    assert bash_replaced("torture:", ":", " \t\n") == ""
    assert bash_replaced("Tul", "Tul", breaks) == ""


def _bash_line(line: str) -> subprocess.CompletedProcess[str]:
    """As kz's own bash function asks: the line up to the cursor, the word bash replaces, its word breaks."""
    current = line.split(" ")[-1].rsplit(":", 1)[-1]
    return complete("bash", line, _KZ_COMPLETE_LINE=line, _KZ_COMPLETE_WORD=current, _KZ_WORDBREAKS=" \t\n\"'><=;|&(:")


@needs_script
def test_bash_is_handed_the_whole_line_and_only_what_replaces_its_word() -> None:
    assert _bash_line("kz read torture:").stdout.split() == ["1", "2", "3"]
    assert _bash_line("kz cite entity:Tul").stdout.split() == ["Tulesova"]
    assert _bash_line("kz person Asya T").stdout.split() == ["Tulesova"]
    assert _bash_line("kz timeline --year 201").stdout.split() == ["2014", "2018", "2019"]
    assert (
        _bash_line("kz entity organization for sec").stdout.splitlines()[0]
        == "Security\\ and\\ Co-operation\\ in\\ Europe"
    )


@needs_script
@pytest.mark.parametrize(
    ("shell", "marker"), [("bash", "_KZ_COMPLETE_LINE"), ("zsh", "loadautofunc"), ("fish", "__fish_complete_path")]
)
def test_show_completion_prints_kz_s_script_for_the_shell_named(shell: str, marker: str) -> None:
    shown = subprocess.run([str(KZ_SCRIPT), "--show-completion", shell], env=kz_env(), capture_output=True, text=True)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert marker in shown.stdout
    source = subprocess.run(
        [str(KZ_SCRIPT)], env=kz_env(_KZ_COMPLETE=f"source_{shell}"), capture_output=True, text=True
    )
    assert source.stdout == shown.stdout + "\n"


def test_show_completion_refuses_a_shell_it_does_not_complete_in() -> None:
    for shell, said in (("pwsh", "PowerShell is not supported"), ("tcsh", "no completion for 'tcsh'")):
        done = run_main(["--show-completion", shell])
        assert (done.code, done.out) == (2, "")
        assert said in done.err
    assert run_main(["--show-completion"]).code == 2


@needs_script
def test_install_completion_writes_kz_s_zsh_function_where_compinit_finds_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(KZ_SCRIPT), "--install-completion", "zsh"], env=kz_env(HOME=str(tmp_path)), capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (0, "")
    shown = run_main(["--show-completion", "zsh"]).out
    assert (tmp_path / ".zfunc" / "_kz").read_text(encoding="utf-8") == shown
    # The trial's: a second line, `zstyle ':completion:*' menu select`, changed all of the user's completion.
    assert (tmp_path / ".zshrc").read_text(encoding="utf-8") == "fpath+=~/.zfunc; autoload -Uz compinit; compinit\n"
    assert done.stderr == (
        f"kz: zsh completion: wrote {tmp_path}/.zfunc/_kz, and added one line to {tmp_path}/.zshrc: "
        "`fpath+=~/.zfunc; autoload -Uz compinit; compinit`; it works in a new shell\n"
    )


@pytest.mark.parametrize(
    ("shell", "rc", "line"),
    [
        ("zsh", ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"),
        ("bash", ".bashrc", "source {home}/.bash_completions/kz.sh"),
        ("fish", None, None),
    ],
)
def test_install_completion_writes_only_what_it_says(
    tmp_path: Path, shell: str, rc: str | None, line: str | None
) -> None:
    """Into a fake HOME with the user's own start-up file: one line added, once, the rest kept byte for byte."""
    from kzcli.shells import INSTALLED

    home = tmp_path / "home"
    home.mkdir()
    own = b"# mine\nzstyle ':completion:*' list-colors ''\nalias ll='ls -l'"  # no final newline, a zstyle of theirs
    if rc is not None:
        (home / rc).write_bytes(own)
    env = kz_env(HOME=str(home))
    first = run_kz(["--install-completion", shell], env=env)
    assert first.code == 0 and len(first.err_lines) == 1
    script = home / INSTALLED[shell][0]
    assert script.read_text(encoding="utf-8") == run_main(["--show-completion", shell]).out
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert written == sorted([INSTALLED[shell][0], *([rc] if rc else [])])
    if rc is None:
        assert first.err_lines == [f"kz: {shell} completion: wrote {script}; it works in a new shell"]
        return
    added = (line or "").format(home=home)
    assert (home / rc).read_bytes() == own + b"\n" + added.encode() + b"\n"
    assert f"added one line to {home / rc}: `{added}`" in first.err_lines[0]
    again = run_kz(["--install-completion", shell], env=env)
    assert again.code == 0 and f"{home / rc} already has the line `{added}`" in again.err_lines[0]
    assert (home / rc).read_bytes() == own + b"\n" + added.encode() + b"\n"


@pytest.mark.linux
def test_install_completion_never_replaces_a_linked_start_up_file(tmp_path: Path) -> None:
    """A ~/.zshrc kept elsewhere (a dotfiles repository) is left alone, and the line to add is said."""
    home = tmp_path / "home"
    home.mkdir()
    kept = tmp_path / "dotfiles-zshrc"
    kept.write_text("# mine\n", encoding="utf-8")
    (home / ".zshrc").symlink_to(kept)
    done = run_kz(["--install-completion", "zsh"], env=kz_env(HOME=str(home)))
    assert done.code == 2 and len(done.err_lines) == 1
    assert done.err_lines[0].endswith(
        "add this line to it yourself: `fpath+=~/.zfunc; autoload -Uz compinit; compinit`"
    )
    assert (home / ".zshrc").is_symlink() and kept.read_text(encoding="utf-8") == "# mine\n"
