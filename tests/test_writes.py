"""Writes nobody can redirect and that never destroy what was not checked (kzcli.files).

The races of the issue are made deterministic with ``kzcli.files.between_steps``,
the hook called after each step of a write: a test replaces it to act at that
moment (a folder appearing at the target while an export runs), every run.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kzcli import files
from kzcli.store import store_path

from .conftest import DATA, SOURCE
from .kzprocess import kz_env, run_kz, run_main, tree

# Each write kz can be asked for, as (name of its output, command line for a folder).
WRITES: dict[str, Callable[[Path], tuple[Path, list[str]]]] = {
    "export sqlite": lambda folder: (folder / "kz.db", ["export", "-o", str(folder / "kz.db")]),
    "export json": lambda folder: (folder / "kz.json", ["export", "-o", str(folder / "kz.json")]),
    "export csv": lambda folder: (folder / "tables", ["export", "-f", "csv", "-o", str(folder / "tables")]),
    "ingest": lambda folder: (folder / "draft.json", ["ingest", str(SOURCE), "-o", str(folder / "draft.json")]),
    "index": lambda folder: (
        Path(store_path(str(folder / "report.json"))),
        ["index", str(folder / "report.json")],
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copyfile(DATA, tmp_path / "report.json")
    return tmp_path


def _at(step: str, action: Callable[[str], None]) -> Callable[[str, str], None]:
    """A ``between_steps`` that runs ``action(path)`` after ``step``, once."""
    done: list[str] = []

    def hook(name: str, path: str) -> None:
        if name == step and not done:
            done.append(name)
            action(path)

    return hook


# --- the target checked again when the file is renamed into place -------------------------------


@pytest.mark.parametrize("write", list(WRITES))
def test_what_appears_at_the_target_during_a_write_is_never_replaced(
    folder: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction 3: a folder holding a user's file, made at the target while kz writes, survives (exit 74)."""
    target, args = WRITES[write](folder)

    def appear(_: str) -> None:
        target.mkdir()
        (target / "thesis.tex").write_text("precious", encoding="utf-8")

    monkeypatch.setattr(files, "between_steps", _at("written", appear))
    before = {name for name in tree(folder) if not name.startswith(target.name)}
    run = run_main(args)
    assert run.code == 74, run.err
    assert run.err_lines == [f"kz: cannot write {target}: it appeared while kz was writing; kz replaced nothing"]
    assert (target / "thesis.tex").read_text(encoding="utf-8") == "precious"
    assert set(tree(folder)) == before | {target.name, f"{target.name}/thesis.tex"}


@pytest.mark.parametrize("write", list(WRITES))
def test_force_replaces_only_the_very_target_it_checked(
    folder: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --force, a target swapped for another while kz writes is left as it is: the user's newer one."""
    target, args = WRITES[write](folder)
    assert run_main([*args, *([] if write == "index" else ["--force"])]).code == 0  # what --force may replace

    after_swap: list[dict[str, int]] = []

    def swap(_: str) -> None:
        if target.is_dir():
            (target / "notes.txt").write_text("mine", encoding="utf-8")  # the same folder, now holding more
        else:
            newer = folder / "newer"
            newer.write_text("mine", encoding="utf-8")
            os.replace(newer, target)  # another file by the same name
        after_swap.append({k: v for k, v in tree(folder).items() if ".tmp" not in k})

    monkeypatch.setattr(files, "between_steps", _at("written", swap))
    run = run_main([*args, *([] if write == "index" else ["--force"])])
    assert run.code == 74, run.err
    assert run.err_lines == [f"kz: cannot write {target}: it changed while kz was writing; kz replaced nothing"]
    assert tree(folder) == after_swap[0]
    assert (target / "notes.txt" if target.is_dir() else target).read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("write", ["export sqlite", "export json", "ingest", "index"])
def test_a_swapped_temporary_is_never_put_in_place(folder: Path, write: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Somebody replacing kz's finished temporary file by a link to the user's file gets nothing placed."""
    target, args = WRITES[write](folder)
    victim = folder / "victim.txt"
    victim.write_text("the user's", encoding="utf-8")

    def plant(temporary: str) -> None:
        os.unlink(temporary)
        os.symlink(victim, temporary)

    monkeypatch.setattr(files, "between_steps", _at("written", plant))
    run = run_main(args)
    assert run.code == 74, run.err
    assert run.err_lines == [f"kz: cannot write {target}: its temporary file was replaced by someone else"]
    assert not os.path.lexists(target)
    assert victim.read_text(encoding="utf-8") == "the user's"


@pytest.mark.parametrize("write", list(WRITES))
def test_a_name_planted_before_kz_creates_its_file_is_never_followed(
    folder: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction 2: a symlink waiting at the name kz's temporary file will take is passed over (O_EXCL)."""
    import tempfile

    target, args = WRITES[write](folder)
    victim = folder / "victim.txt"
    victim.write_text("the user's", encoding="utf-8")
    names = iter(["planted", *(f"fresh{i}" for i in range(100))])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    suffix = ".tmp"
    os.symlink(victim, folder / f".{target.name}.planted{suffix}")
    run = run_main(args)
    assert run.code == 0, run.err
    assert victim.read_text(encoding="utf-8") == "the user's"
    assert os.path.islink(folder / f".{target.name}.planted{suffix}")


@pytest.mark.parametrize("write", ["export sqlite", "index"])
def test_sqlite_never_opens_a_file_by_name_when_kz_writes(
    folder: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction 2's cause: SQLite made its file (and journal) again by name; now it builds in memory."""
    opened: list[str] = []
    real = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(str(database))
        connection: sqlite3.Connection = real(database, *args, **kwargs)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    target, args = WRITES[write](folder)
    assert run_main(args).code == 0
    assert opened == [":memory:"]
    with real(f"file:{target}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_without_serialize_the_database_is_copied_through_a_private_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python 3.10 has no ``serialize``: the copy goes through a 0700 folder of kz's, and makes a usable file."""
    from kzcli.loading import load

    target, args = WRITES["index"](folder)
    folders: list[tuple[str, int]] = []
    real = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if database != ":memory:" and not kwargs.get("uri"):
            parent = os.path.dirname(str(database))
            folders.append((parent, stat.S_IMODE(os.lstat(parent).st_mode)))
        connection: sqlite3.Connection = real(database, *args, **kwargs)
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(files, "_serialized", lambda db: None)
    assert run_main(args).code == 0
    first = target.read_bytes()
    assert len(folders) == 1 and folders[0][1] == 0o700
    assert not os.path.exists(folders[0][0])  # and gone after
    assert run_main(args).code == 0
    assert target.read_bytes() == first  # the same corpus, the same file
    assert type(load(str(folder / "report.json")).lookups).__name__ == "SqliteLookups"


# --- what a replaced or new file is ---------------------------------------------------------------


@pytest.mark.parametrize("write", ["export sqlite", "export json", "ingest", "index"])
def test_a_replaced_file_keeps_its_permissions(folder: Path, write: str) -> None:
    """Reproduction 9: --force reset a 0600 target to 0644."""
    target, args = WRITES[write](folder)
    force = [] if write == "index" else ["--force"]
    assert run_main(args).code == 0
    target.chmod(0o600)
    assert run_main([*args, *force]).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o640)
    assert run_main([*args, *force]).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_replaced_folder_keeps_its_permissions_and_a_new_file_follows_the_umask(folder: Path) -> None:
    target, args = WRITES["export csv"](folder)
    assert run_main(args).code == 0
    target.chmod(0o700)
    assert run_main([*args, "--force"]).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    previous = os.umask(0o027)
    try:
        new, new_args = WRITES["export json"](folder)
        assert run_main(new_args).code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640


@pytest.mark.linux
@pytest.mark.parametrize("write", list(WRITES))
def test_every_file_is_synced_before_it_is_renamed(folder: Path, write: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """fsync on the new file (each table of a CSV folder, and the folder) before the rename, the folder after."""
    events: list[tuple[str, str]] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(files, "between_steps", lambda step, path: events.append((step, os.path.abspath(path))))
    target, args = WRITES[write](folder)
    assert run_main(args).code == 0
    steps = [step for step, _ in events]
    written = steps.index("written")
    temporary = events[written][1]
    synced_before = [path for step, path in events[:written] if step == "fsync"]
    assert temporary in synced_before
    if write == "export csv":
        assert sum(path.startswith(temporary + "/") for path in synced_before) == len(os.listdir(target)) == 13
    assert events[steps.index("placed") :][1:] == [("fsync", str(folder))]


# --- what kz says when a write fails ----------------------------------------------------------------


@pytest.mark.parametrize("write", list(WRITES))
def test_a_failed_write_names_the_target_never_the_temporary(
    folder: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction 9: messages named the hidden temporary path. A full disk at the sync, here."""
    real_fsync = os.fsync

    def full(descriptor: int) -> None:
        path = os.readlink(f"/proc/self/fd/{descriptor}") if sys.platform == "linux" else "?"
        if ".tmp" in path:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", full)
    target, args = WRITES[write](folder)
    before = tree(folder)
    run = run_main(args)
    assert run.code == 74
    assert run.err_lines == [f"kz: cannot write {target}: No space left on device"]
    assert tree(folder) == before


def test_a_sqlite_failure_is_said_without_any_path(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fill: Callable[[sqlite3.Connection], None]) -> bytes:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(files, "sqlite_image", broken)
    for write in ("export sqlite", "index"):
        _, args = WRITES[write](folder)
        run = run_main(args)
        assert run.code == 74 and ".tmp" not in run.err
        assert run.err_lines[0].endswith(": database or disk is full")
    assert sorted(tree(folder)) == ["report.json"]


# --- ingest paths, formula guard ----------------------------------------------------------------


@pytest.mark.linux
def test_ingest_from_a_path_with_a_tab_and_a_byte_that_is_not_utf8(tmp_path: Path) -> None:
    """Reproduction 9: such a path made "ingest built an invalid corpus"; the draft now records it escaped."""
    chapter = os.path.join(os.fsencode(tmp_path), b"chap\tter\xff.txt")
    with open(chapter, "wb") as handle:
        handle.write(SOURCE.read_bytes())
    draft = tmp_path / "draft.json"
    done = subprocess.run(
        [sys.executable, "-m", "kzcli", "ingest", os.fsdecode(chapter), "-o", str(draft)],
        env=kz_env(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(draft.read_text(encoding="utf-8"))
    assert document["report"]["source_file"] == f"{tmp_path}/chap\\tter\\xff.txt"
    assert run_main(["validate", str(draft)]).code == 0


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-3+4", "@SUM(A1)"]


@pytest.fixture
def formula_corpus(tmp_path: Path, raw_copy: dict[str, Any]) -> Path:
    for entity, name in zip(raw_copy["entities"], FORMULAS, strict=False):
        entity["name"] = name
    path = tmp_path / "formulas.json"
    path.write_text(json.dumps(raw_copy, ensure_ascii=False), encoding="utf-8")
    return path


def _entity_names(csv_file: Path) -> list[str]:
    import csv

    with open(csv_file, encoding="utf-8", newline="") as handle:
        return [row["name"] for row in csv.DictReader(handle)][: len(FORMULAS)]


def test_csv_cells_that_start_a_formula_are_verbatim_unless_guarded(
    formula_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, guarded = tmp_path / "plain", tmp_path / "guarded"
    assert run_main(["--data", str(formula_corpus), "export", "-f", "csv", "-o", str(plain)]).code == 0
    assert _entity_names(plain / "entities.csv") == FORMULAS
    args = ["--data", str(formula_corpus), "export", "-f", "csv", "-o", str(guarded), "--guard-formulas"]
    assert run_main(args).code == 0
    assert _entity_names(guarded / "entities.csv") == [f"'{name}" for name in FORMULAS]
    listing = run_main(["--data", str(formula_corpus), "entities", "--format", "csv"])
    assert FORMULAS[0].replace('"', '""') in listing.out
    monkeypatch.setenv("KZ_CSV_GUARD", "1")
    listing = run_main(["--data", str(formula_corpus), "entities", "--format", "csv"])
    assert "'" + FORMULAS[0].replace('"', '""') in listing.out and "\n+1+2," not in listing.out
    refused = run_main(["export", "-o", str(tmp_path / "kz.db"), "--guard-formulas"])
    assert (refused.code, refused.err_lines) == (
        2,
        ["kz: --guard-formulas is for CSV; JSON and SQLite keep the report's text as it is"],
    )


def test_a_fifo_at_the_index_path_is_refused_at_once(folder: Path) -> None:
    """A FIFO at CORPUS.kzindex blocked `kz index` (it was opened to be read); now it is refused unopened."""
    target, args = WRITES["index"](folder)
    os.mkfifo(target)
    run = run_kz(args, timeout=60)  # a blocked kz would time out here
    assert (run.code, run.err_lines) == (
        2,
        [f"kz: {target} is not a regular file or directory; kz will not replace it"],
    )
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


@pytest.mark.parametrize("write", list(WRITES))
def test_a_signal_as_the_temporary_is_made_leaves_nothing(
    folder: Path, write: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM in the instant between creating the temporary and keeping its name: it waits, then cleans up."""
    import signal
    import tempfile

    def signalled(make: Callable[..., Any]) -> Callable[..., Any]:
        def made(*args: Any, **kwargs: Any) -> Any:
            result = make(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGTERM)  # delivered now, unless kz holds it back
            return result

        return made

    monkeypatch.setattr(tempfile, "mkstemp", signalled(tempfile.mkstemp))
    monkeypatch.setattr(tempfile, "mkdtemp", signalled(tempfile.mkdtemp))
    before = tree(folder)
    run = run_main(WRITES[write](folder)[1])
    assert (run.code, run.err_lines) == (143, ["kz: stopped by SIGTERM"])
    assert tree(folder) == before
