"""An index file is a cache, never an authority (issue 14, reproduction 4).

kz uses ``CORPUS.kzindex`` only when it is a regular file of a sane size,
owned by the user running kz or by the corpus's owner, in the format kz
writes, holding kz's tables and nothing else; it opens it read-only and
immutable (no side files), and holds every row it reads to the corpus's
rules, strings to the same character policy. Anything else is passed over
with one line on stderr, and the answer is the JSON's. Damage is damage,
never "interrupted".
"""

from __future__ import annotations

import json
import marshal
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kzcli import rows, store, validity
from kzcli.loading import load
from kzcli.store import SqliteLookups, store_path

from .conftest import DATA
from .kzprocess import kz_env, run_kz, run_main

# Query commands whose answers an index file gives (names, text, events).
QUERIES = [
    ["search", "torture"],
    ["person", "Tulesova"],
    ["read", "torture"],
    ["timeline", "--month", "2020-06"],
    ["entity", "OSCE", "--format", "csv"],
]
# What a forger would plant: OSC 52 (clipboard), OSC 0 (title), OSC 8 (link), clear screen, C1 CSI.
ESCAPES = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;owned\x07\x1b]8;;https://x.test\x07link\x1b]8;;\x07\x1b[2J\x9b31m"


@pytest.fixture
def indexed(tmp_path: Path) -> str:
    corpus = tmp_path / "report.json"
    shutil.copyfile(DATA, corpus)
    assert run_main(["index", str(corpus)]).code == 0
    return str(corpus)


def _answers(corpus: str) -> list[tuple[int, str]]:
    return [(run.code, run.out) for run in (run_main(["--data", corpus, *args]) for args in QUERIES)]


def _plain_answers(corpus: str, tmp_path: Path) -> list[tuple[int, str]]:
    """The same queries on a copy of the corpus with no index file beside it."""
    bare = tmp_path / "bare" / "report.json"
    bare.parent.mkdir(exist_ok=True)
    shutil.copyfile(corpus, bare)
    answers = _answers(str(bare))
    return [(code, out.replace(str(bare), corpus)) for code, out in answers]


def _plain_notes(corpus: str, tmp_path: Path) -> set[str]:
    """What the same queries say on stderr from a copy with no index file (notes any corpus gets)."""
    bare = tmp_path / "notes" / "report.json"
    bare.parent.mkdir(exist_ok=True)
    shutil.copyfile(corpus, bare)
    return {line for args in QUERIES for line in run_main(["--data", str(bare), *args]).err_lines}


def forge(index: str, change: Callable[[sqlite3.Connection], object]) -> None:
    """Change an index file as a forger would, then recompute its CRC-32 so that it holds."""
    db = sqlite3.connect(index)
    try:
        change(db)
        db.commit()
    finally:
        db.close()
    Path(index).write_bytes(store._stamped(Path(index).read_bytes()))
    checked = validity.file_crc(index, 60)
    assert checked is not None and checked[1] == checked[2]  # the forgery's checksum holds


def _rewrite_row(table: str, key_column: str, key: Any, kind: type[Any], edit: Callable[[Any], Any]) -> Any:
    def change(db: sqlite3.Connection) -> None:
        (packed,) = db.execute(f"SELECT row FROM {table} WHERE {key_column} = ?", (key,)).fetchone()
        row = kind(*marshal.loads(packed))
        db.execute(f"UPDATE {table} SET row = ? WHERE {key_column} = ?", (rows.pack(edit(row)), key))

    return change


@pytest.mark.parametrize(
    "change",
    [
        _rewrite_row(
            "sections",
            "id",
            "torture",
            rows.SectionRow,
            lambda r: r._replace(paragraphs=(ESCAPES + r.paragraphs[0], *r.paragraphs[1:])),
        ),
        _rewrite_row(
            "entities", "id", "asya-tulesova", rows.EntityRow, lambda r: r._replace(name=f"Asya {ESCAPES}Tulesova")
        ),
        _rewrite_row("sections", "id", "torture", rows.SectionRow, lambda r: r._replace(title="Torture\u202e")),
        _rewrite_row("entities", "id", "asya-tulesova", rows.EntityRow, lambda r: r._replace(role="a\u2028b")),
        _rewrite_row("entities", "id", "asya-tulesova", rows.EntityRow, lambda r: r._replace(type="\u200bperson")),
    ],
    ids=["escapes in a paragraph", "escapes in a name", "bidi in a title", "separator in a role", "zero-width type"],
)
def test_a_forged_index_with_unsafe_text_is_passed_over(
    indexed: str, tmp_path: Path, change: Callable[[sqlite3.Connection], None]
) -> None:
    expected = _plain_answers(indexed, tmp_path)
    notes = _plain_notes(indexed, tmp_path)
    forge(store_path(indexed), change)
    runs = [run_main(["--data", indexed, *args]) for args in QUERIES]
    assert [(run.code, run.out) for run in runs] == expected
    for run in runs:
        assert "\x1b" not in run.out + run.err and "\x9b" not in run.out + run.err
        damage = [line for line in run.err_lines if line not in notes]
        assert len(damage) <= 1, damage
        for line in damage:  # at most one line more than the JSON alone says: the index file passed over
            assert line.startswith(f"kz: {store_path(indexed)} is damaged: a row of its "), line
            assert "interrupted" not in line
    assert any(line not in notes for run in runs for line in run.err_lines)  # the forged row was met, and said so
    # The JSON itself is valid: kz validate says so, and kz's answers are the JSON's.
    assert run_main(["validate", indexed]).code == 0


def test_a_truncated_row_is_damage_not_an_interruption(indexed: str) -> None:
    def truncate(db: sqlite3.Connection) -> None:
        (packed,) = db.execute("SELECT row FROM entities WHERE id = 'asya-tulesova'").fetchone()
        db.execute("UPDATE entities SET row = ? WHERE id = 'asya-tulesova'", (packed[: len(packed) // 2],))

    forge(store_path(indexed), truncate)
    run = run_main(["--data", indexed, "person", "Tulesova"])
    assert run.code == 0 and run.out.startswith("Asya Tulesova (person)")
    assert run.err_lines == [
        f"kz: {store_path(indexed)} is damaged: a row of its entities table cannot be decoded; "
        f"reading {indexed} without it (`kz index {indexed}` rebuilds it)"
    ]


def test_a_view_in_place_of_a_table_is_passed_over_at_once(indexed: str, tmp_path: Path) -> None:
    """A recursive view in place of the postings hung a search for over a minute."""

    def plant_view(db: sqlite3.Connection) -> None:
        db.execute("DROP TABLE postings")
        db.execute(
            "CREATE VIEW postings (kind, key, row) AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT 0, 'torture', x'00' FROM n"
        )

    forge(store_path(indexed), plant_view)
    run = run_kz(["--data", indexed, "search", "torture"], timeout=30)
    assert run.code == 0 and run.out.startswith("torture ¶1")
    assert run.err_lines == [
        f"kz: {store_path(indexed)} holds tables, views or triggers kz does not write; "
        f"reading {indexed} without it (`kz index {indexed}` rebuilds it)"
    ]


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END",
        "CREATE TABLE extra (x)",
        "CREATE INDEX extra ON events (first)",
    ],
)
def test_anything_kz_does_not_write_is_passed_over(indexed: str, statement: str) -> None:
    forge(store_path(indexed), lambda db: db.execute(statement))
    run = run_main(["--data", indexed, "search", "torture"])
    assert run.code == 0
    assert run.err_lines[0].endswith("holds tables, views or triggers kz does not write; " + _tail(indexed))


def _tail(corpus: str) -> str:
    return f"reading {corpus} without it (`kz index {corpus}` rebuilds it)"


def test_a_wal_mode_index_is_passed_over_and_makes_no_side_files(indexed: str) -> None:
    forge(store_path(indexed), lambda db: db.execute("PRAGMA journal_mode = WAL"))
    folder = Path(indexed).parent
    before = sorted(p.name for p in folder.iterdir())
    run = run_main(["--data", indexed, "search", "torture"])
    assert run.code == 0
    assert run.err_lines == [
        f"kz: {store_path(indexed)} is not in the format kz writes (write-ahead logging); {_tail(indexed)}"
    ]
    assert sorted(p.name for p in folder.iterdir()) == before  # no -wal, no -shm


def test_a_good_index_is_read_without_side_files_or_changes(indexed: str, tmp_path: Path) -> None:
    notes = _plain_notes(indexed, tmp_path)
    folder = Path(indexed).parent
    index = Path(store_path(indexed))
    before = (sorted(p.name for p in folder.iterdir()), index.read_bytes(), index.stat().st_mtime_ns)
    for args in QUERIES:
        run = run_main(["--data", indexed, *args])
        assert run.code == 0 and set(run.err_lines) <= notes, args
    assert (sorted(p.name for p in folder.iterdir()), index.read_bytes(), index.stat().st_mtime_ns) == before


def test_an_index_planted_by_another_user_is_passed_over(indexed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """User 4242 runs kz on a corpus 4242 owns, beside an index someone else (this test's user) made."""
    planter = os.stat(store_path(indexed)).st_uid
    victim = planter + 4242
    monkeypatch.setattr(os, "geteuid", lambda: victim)
    monkeypatch.setattr(validity, "owner", lambda path: victim if path == indexed else planter)
    run = run_main(["--data", indexed, "search", "torture"])
    assert run.code == 0 and run.out.startswith("torture ¶1")
    assert run.err_lines == [
        f"kz: {store_path(indexed)} belongs to another user (uid {planter}), neither you nor the corpus's owner; "
        + _tail(indexed)
    ]


def test_an_index_made_by_the_corpus_owner_is_used_but_vouches_for_nothing(
    indexed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The corpus's owner may ship its index (a shared folder), but the JSON it stands for is validated,
    and so it is behind the user's own (files unpacked from an archive are the user's)."""
    owner = os.stat(indexed).st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 4242)
    corpus = load(indexed)
    assert isinstance(corpus.lookups, SqliteLookups)
    assert run_main(["--data", indexed, "person", "Tulesova"]).code == 0
    # The owner changes the JSON (an escape sequence in a role) and forges the index to match it.
    raw = json.loads(Path(indexed).read_text(encoding="utf-8"))
    raw["entities"][0]["role"] = "\x1b[2J" + raw["entities"][0]["role"]
    Path(indexed).write_text(json.dumps(raw), encoding="utf-8")
    expected = validity.corpus_header(indexed)
    assert expected is not None

    def restamp(db: sqlite3.Connection) -> None:
        (packed,) = db.execute("SELECT row FROM meta").fetchone()
        meta = rows.MetaRow(*marshal.loads(packed))
        db.execute("UPDATE meta SET row = ?", (rows.pack(meta._replace(header=expected)),))

    forge(store_path(indexed), restamp)
    run = run_main(["--data", indexed, "people"])  # a listing: every record, from the JSON
    assert run.code == 3 and run.out == ""
    assert "contains a control character (U+001B)" in run.err
    monkeypatch.setattr(os, "geteuid", lambda: owner)
    mine = run_main(["--data", indexed, "people"])
    assert mine.code == 3 and "contains a control character (U+001B)" in mine.err


@pytest.mark.linux
def test_a_fifo_at_the_index_path_blocks_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "report.json"
    shutil.copyfile(DATA, corpus)
    os.mkfifo(store_path(str(corpus)))
    env = kz_env()
    indexing = run_kz(["index", str(corpus)], env=env, timeout=30)
    assert indexing.code == 2
    assert indexing.err_lines == [
        f"kz: {store_path(str(corpus))} is not a regular file or directory; kz will not replace it"
    ]
    query = run_kz(["--data", str(corpus), "search", "torture"], env=env, timeout=30)
    assert query.code == 0 and query.out.startswith("torture ¶1")
    assert query.err_lines == [
        f"kz: {store_path(str(corpus))} is not a regular file; reading {corpus} without it "
        f"(kz will not replace it: remove it, then `kz index {corpus}` writes one)"
    ]


def test_a_huge_sparse_file_at_the_index_path_is_never_checksummed(
    indexed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = store_path(indexed)
    head = Path(index).read_bytes()[:100]
    with open(index, "r+b") as handle:
        handle.truncate(20 * 1024**3)  # 20 GB, sparse: its first page still says "kz index"
        handle.seek(0)
        handle.write(head)
    summed: list[int] = []
    real = validity.descriptor_crc

    def spy(fd: int, skip: int | None = None) -> tuple[int, int, int] | None:
        summed.append(os.fstat(fd).st_size)
        return real(fd, skip)

    monkeypatch.setattr(validity, "descriptor_crc", spy)
    run = run_main(["--data", indexed, "search", "torture"])
    assert run.code == 0 and run.out.startswith("torture ¶1")
    assert run.err_lines == [
        f"kz: {index} is larger (20480 MiB) than any index of this corpus can be; {_tail(indexed)}"
    ]
    assert summed == [os.path.getsize(indexed)]  # the corpus alone was checksummed


def test_a_link_at_the_index_path_is_not_followed(indexed: str, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.kzindex"
    os.rename(store_path(indexed), elsewhere)
    os.symlink(elsewhere, store_path(indexed))
    run = run_main(["--data", indexed, "search", "torture"])
    assert run.code == 0
    assert run.err_lines == [
        f"kz: {store_path(indexed)} is a symbolic link; reading {indexed} without it "
        f"(kz will not replace it: remove it, then `kz index {indexed}` writes one)"
    ]
    # What the line says is what kz index does: the link is refused, --force or not, and not followed.
    before = elsewhere.read_bytes()
    for force in ([], ["--force"]):
        refused = run_main(["index", *force, indexed])
        assert refused.code == 2 and "will not replace it" in refused.err
        assert os.path.islink(store_path(indexed)) and elsewhere.read_bytes() == before


@pytest.mark.parametrize("planted", [b"", b"\0" * 4096, b"not an index at all\n"])
def test_what_the_warning_says_to_run_replaces_a_file_damaged_past_recognition(indexed: str, planted: bytes) -> None:
    """The trial's: "`kz index big.json` rebuilds it", then kz index refused to replace the file."""
    index = store_path(indexed)
    Path(index).write_bytes(planted)
    run = run_main(["--data", indexed, "search", "torture"])
    assert run.code == 0 and run.out.startswith("torture ¶1")
    assert len(run.err_lines) == 1 and run.err_lines[0].endswith(
        f"reading {indexed} without it (`kz index --force {indexed}` replaces it)"
    )
    plain = run_main(["index", indexed])
    assert plain.err_lines == [
        f"kz: {index} exists and is not a kz index file kz can read; `kz index --force {indexed}` replaces it"
    ]
    assert plain.code == 2 and Path(index).read_bytes() == planted
    forced = run_main(["index", "--force", indexed])
    assert forced.code == 0 and forced.err_lines == [f"kz: wrote {index}"]
    again = run_main(["--data", indexed, "search", "torture"])
    assert again.code == 0 and again.err_lines == []


def test_every_row_kz_writes_passes_its_own_checks(indexed: str) -> None:
    """The checks are what kz writes, no stricter: every row of a real index file passes."""
    db = sqlite3.connect(f"file:{store_path(indexed)}?mode=ro", uri=True)
    kinds = {
        "meta": rows.MetaRow,
        "sections": rows.SectionRow,
        "paragraphs": rows.ParagraphRow,
        "postings": rows.PostingRow,
        "entities": rows.EntityRow,
        "names": rows.KeyedRow,
        "name_words": rows.KeyedRow,
        "events": rows.EventRow,
        "event_entities": rows.KeyedRow,
        "mentions": rows.MentionsRow,
        "title_postings": rows.KeyedRow,
    }
    read = 0
    for table, kind in kinds.items():
        for (packed,) in db.execute(f"SELECT row FROM {table}"):
            rows.unpack(kind, packed)
            read += 1
    db.close()
    assert read > 1000


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (rows.ParagraphRow, (0, "torture", 0, 5)),  # paragraph 0
        (rows.ParagraphRow, (0, "torture", 1, -1)),  # a negative length
        (rows.ParagraphRow, (0, "torture", True, 5)),  # a boolean for a number
        (
            rows.EventRow,
            (0, "2020-06-01", "2020-06-30", ("e", "2020-13", None, "month", False, "x", "s", "t", 1, "q", ())),
        ),
        (
            rows.EventRow,
            (0, "2020-06-01", "2020-06-30", ("e", "2020-06", "2020-05", "month", False, "x", "s", "t", 1, "q", ())),
        ),
        (
            rows.EventRow,
            (0, "2020-06-01", "2020-06-30", ("e", "2020-06", None, "day", False, "x", "s", "t", 1, "q", ())),
        ),
        (rows.MetaRow, ((), 1, ("t",) * 6, "2020-12-31", (), 1, 0.0, "s")),  # average length 0: BM25 divides by it
        (rows.KeyedRow, ("tulesova", (1.5,))),
        (rows.PostingRow, (0, "torture", {0: ["1"]})),
        (rows.SectionRow, ("x", "t", ("ok", "lone \udc80 surrogate"), (), ())),
    ],
)
def test_rows_out_of_range_or_of_the_wrong_type_are_bad_rows(kind: type[Any], value: tuple[Any, ...]) -> None:
    with pytest.raises(rows.BadRow):
        rows.unpack(kind, rows.pack(value))
    with pytest.raises(rows.BadRow):
        rows.unpack(kind, "not a blob")


@pytest.mark.parametrize("skip", [None, 60])
def test_a_file_read_whole_and_a_file_mapped_checksum_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, skip: int | None
) -> None:
    """Small files are read, large ones mapped (kzcli.validity); both give the same (size, CRC, stored bytes)."""
    sample = tmp_path / "sample"
    sample.write_bytes(bytes(range(256)) * 40)
    read_whole = validity.file_crc(str(sample), skip)
    monkeypatch.setattr(validity, "_READ_WHOLE_BYTES", 0)
    mapped = validity.file_crc(str(sample), skip)
    assert read_whole == mapped
    assert read_whole is not None and read_whole[0] == 10240
    sample.write_bytes(b"")
    assert validity.file_crc(str(sample), skip) is None
    monkeypatch.undo()
    assert validity.file_crc(str(sample), skip) is None
