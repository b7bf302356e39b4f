"""kz export: SQLite (keys, FTS5 in sqlite-utils' and Datasette's shape), CSV per table, JSON that loads again."""

from __future__ import annotations

import calendar
import csv
import datetime
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kzcli import export as export_module
from kzcli import loading as corpus_module
from kzcli import sqlite_export
from kzcli.corpus import Corpus
from kzcli.errors import UsageError
from kzcli.export import corpus_document, export, format_for, tables

from .conftest import DATA
from .kzprocess import run_main, tree


def expected_counts(corpus: Corpus) -> dict[str, int]:
    return {
        "report": 1,
        "sections": len(corpus.sections),
        "paragraphs": sum(len(s.paragraphs) for s in corpus.sections),
        "entities": len(corpus.entities),
        "mentions": sum(len(e.mentions) for e in corpus.entities),
        "events": len(corpus.events),
        "event_entities": sum(len(set(v.entities)) for v in corpus.events),
        "figures": len(corpus.figures),
        "notes": len(corpus.notes),
        "left_out": len(corpus.left_out),
        "topics": len(corpus.topics),
        "topic_paragraphs": sum(len(t.paragraphs) for t in corpus.topics),
        "topic_events": sum(len(t.events) for t in corpus.topics),
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("sqlite") / "kz.db"
    export(corpus_module.load(str(DATA)), "sqlite", str(path))
    connection = sqlite3.connect(path)
    yield connection
    connection.close()


def test_sqlite_counts_equal_the_corpus(database: sqlite3.Connection, corpus: Corpus) -> None:
    for table, count in expected_counts(corpus).items():
        assert database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count, table


def test_sqlite_paragraphs_are_the_corpus_in_reading_order(database: sqlite3.Connection, corpus: Corpus) -> None:
    rows = database.execute("SELECT section, paragraph, text FROM paragraphs ORDER BY id").fetchall()
    assert rows == [(s.id, n, p) for s in corpus.sections for n, p in enumerate(s.paragraphs, 1)]


def test_fts_match_torture_finds_the_torture_section(database: sqlite3.Connection, corpus: Corpus) -> None:
    found = database.execute(
        "SELECT p.section, p.paragraph FROM paragraphs_fts JOIN paragraphs p ON p.id = paragraphs_fts.rowid "
        "WHERE paragraphs_fts MATCH 'torture' ORDER BY rank"
    ).fetchall()
    torture = {("torture", n) for n in range(1, len(corpus.section("torture").paragraphs) + 1)}
    assert torture <= set(found)
    # Every hit really says it (the porter stemmer also finds "tortured").
    for section, number in found:
        assert "tortur" in corpus.paragraph(section, number).lower()


def test_foreign_keys_hold_and_are_declared(database: sqlite3.Connection) -> None:
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = {
        (table, row[3], row[2])
        for table in ("paragraphs", "mentions", "events", "event_entities", "figures", "left_out")
        for row in database.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert {
        ("paragraphs", "section", "sections"),
        ("mentions", "entity", "entities"),
        ("mentions", "paragraph_id", "paragraphs"),
        ("events", "section", "sections"),
        ("event_entities", "event", "events"),
        ("event_entities", "entity", "entities"),
        ("figures", "paragraph_id", "paragraphs"),
    } <= declared


def test_every_table_has_a_primary_key(database: sqlite3.Connection) -> None:
    names = [
        r[0]
        for r in database.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL%'")
    ]
    for name in names:
        if name.startswith("paragraphs_fts"):
            continue  # FTS5's own shadow tables
        assert any(col[5] for col in database.execute(f'PRAGMA table_info("{name}")')), name


def test_fts_table_is_found_the_way_sqlite_utils_and_datasette_look(database: sqlite3.Connection) -> None:
    # sqlite-utils' Table.detect_fts() and Datasette's detect_fts_sql() both look for a virtual
    # table whose SQL says content="paragraphs" (or content=[paragraphs]).
    query = "SELECT name FROM sqlite_master WHERE rootpage = 0 AND (sql LIKE :quoted OR sql LIKE :bracketed)"
    found = database.execute(
        query,
        {
            "quoted": '%VIRTUAL TABLE%USING FTS%content="paragraphs"%',
            "bracketed": "%VIRTUAL TABLE%USING FTS%content=[paragraphs]%",
        },
    ).fetchall()
    assert found == [("paragraphs_fts",)]
    # `sqlite-utils search` joins on rowid and orders by rank.
    hits = database.execute(
        "WITH original AS (SELECT rowid, * FROM paragraphs) SELECT original.section FROM original "
        "JOIN paragraphs_fts ON original.rowid = paragraphs_fts.rowid WHERE paragraphs_fts MATCH :q "
        "ORDER BY paragraphs_fts.rank",
        {"q": "torture"},
    ).fetchall()
    assert ("torture",) in hits


def test_fts_index_follows_edits_through_triggers(tmp_path: Path) -> None:
    path = tmp_path / "kz.db"
    export(corpus_module.load(str(DATA)), "sqlite", str(path))
    connection = sqlite3.connect(path)
    try:
        connection.execute("UPDATE paragraphs SET text = 'zanzibar' WHERE id = 1")
        assert connection.execute(
            "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH 'zanzibar'"
        ).fetchall() == [(1,)]
    finally:
        connection.close()


def test_events_and_links_round_trip(database: sqlite3.Connection, corpus: Corpus) -> None:
    event = next(e for e in corpus.events if e.end is not None)
    row = database.execute(
        'SELECT date, "end", precision, ongoing, quote FROM events WHERE id = ?', (event.id,)
    ).fetchone()
    assert row == (event.date, event.end, event.precision, int(event.ongoing), event.quote)
    linked = [
        r[0]
        for r in database.execute("SELECT entity FROM event_entities WHERE event = ? ORDER BY position", (event.id,))
    ]
    assert linked == list(dict.fromkeys(event.entities))
    aliases = database.execute("SELECT aliases FROM entities WHERE id = 'kasym-jomart-tokaev'").fetchone()[0]
    assert "Tokayev" in json.loads(aliases)


def test_csv_one_file_per_table_with_headers(tmp_path: Path, corpus: Corpus) -> None:
    target = tmp_path / "tables"
    export(corpus, "csv", str(target))
    counts = expected_counts(corpus)
    assert sorted(os.listdir(target)) == sorted(f"{name}.csv" for name in counts)
    for table in tables(corpus):
        with open(target / f"{table.name}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == table.column_names
        assert len(rows) - 1 == counts[table.name]
    with open(target / "paragraphs.csv", encoding="utf-8", newline="") as handle:
        texts = [r["text"] for r in csv.DictReader(handle)]
    assert texts == [p for s in corpus.sections for p in s.paragraphs]  # UTF-8, quotes, no-break spaces intact
    assert any("Désir" in t for t in texts)


def test_json_export_is_the_corpus_and_loads_again(tmp_path: Path, raw_corpus: dict[str, Any], corpus: Corpus) -> None:
    assert corpus_document(corpus) == raw_corpus
    target = tmp_path / "corpus.json"
    export(corpus, "json", str(target))
    again = corpus_module.load(str(target))
    assert corpus_document(again) == raw_corpus
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == corpus.schema_version


@pytest.mark.parametrize(
    ("path", "given", "chosen"),
    [
        ("kz.db", None, "sqlite"),
        ("kz.sqlite3", None, "sqlite"),
        ("out.JSON", None, "json"),
        ("-", None, "json"),
        ("dir", "csv", "csv"),
    ],
)
def test_format_from_option_or_extension(path: str, given: str | None, chosen: str) -> None:
    assert format_for(path, given) == chosen


def test_format_cannot_be_guessed_from_a_bare_name() -> None:
    with pytest.raises(UsageError, match="--format"):
        format_for("tables", None)


def test_cli_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "kz.db"
    target.write_text("precious", encoding="utf-8")
    refused = run_main(["export", "--format", "sqlite", "--output", str(target)])
    assert refused.code == 2
    assert refused.err_lines == [f"kz: {target} already exists; use --force to replace it"]
    assert target.read_text(encoding="utf-8") == "precious"
    forced = run_main(["export", "--format", "sqlite", "--output", str(target), "--force"])
    assert forced.code == 0, forced.err
    assert forced.err.startswith(f"kz: wrote sqlite {target}: 16 sections")
    assert sqlite3.connect(target).execute("SELECT count(*) FROM sections").fetchone() == (16,)


def test_cli_force_replaces_a_directory_with_a_directory(tmp_path: Path) -> None:
    target = tmp_path / "tables"
    target.mkdir()
    (target / "stale.csv").write_text("old", encoding="utf-8")
    assert run_main(["export", "-f", "csv", "-o", str(target)]).code == 2
    assert run_main(["export", "-f", "csv", "-o", str(target), "--force"]).code == 0
    assert "stale.csv" not in os.listdir(target) and "events.csv" in os.listdir(target)
    assert sorted(tree(tmp_path)) == sorted(["tables", *(f"tables/{n}" for n in os.listdir(target))])


def test_cli_json_to_stdout(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    done = run_main(["export", "--output", "-"])
    assert done.code == 0 and done.err == ""
    assert json.loads(done.out) == raw_corpus


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "sqlite", "-o", "-"], "only --format json can be written to standard output (-)"),
        (["-o", "no-extension"], "cannot tell the format from 'no-extension'; give --format json, csv or sqlite"),
    ],
)
def test_cli_usage_errors(args: list[str], message: str) -> None:
    done = run_main(["export", *args])
    assert (done.code, done.err_lines) == (2, [f"kz: {message}"])


def test_cli_missing_directory_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "kz.db"
    done = run_main(["export", "-o", str(target)])
    assert done.code == 2
    assert done.err_lines == [f"kz: cannot write {target}: directory {target.parent} does not exist"]


@pytest.mark.parametrize("fmt", ["sqlite", "csv", "json"])
@pytest.mark.parametrize("failure", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_an_interrupted_export_leaves_nothing(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch, fmt: str, failure: BaseException
) -> None:
    real: dict[str, Callable[..., None]] = {"sqlite": sqlite_export.write_sqlite, "csv": export_module.write_csv_dir}

    def half_then_fail(made: Any, out: Any, *options: Any) -> None:
        """Each writer's first argument as it is called: the corpus, or the tables for SQLite."""
        if fmt == "json":
            out.write("{")
        else:
            real[fmt](made, out, *options)
        raise failure

    monkeypatch.setattr(sqlite_export, "write_sqlite", half_then_fail)
    monkeypatch.setattr(export_module, "write_csv_dir", half_then_fail)
    monkeypatch.setattr(export_module, "write_corpus_json", half_then_fail)
    with pytest.raises(type(failure)):
        export(corpus, fmt, str(tmp_path / "out"))
    assert tree(tmp_path) == {}


def test_a_failed_forced_export_keeps_the_old_file(
    tmp_path: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kz.db"
    target.write_text("previous export", encoding="utf-8")

    def fail(made: Any, out: Any) -> None:
        raise UsageError("cannot write SQLite database: disk full")

    monkeypatch.setattr(sqlite_export, "write_sqlite", fail)
    with pytest.raises(UsageError):
        export(corpus, "sqlite", str(target), force=True)
    assert tree(tmp_path) == {"kz.db": len("previous export")}


def test_export_of_an_ingested_corpus(tmp_path: Path) -> None:
    """--data applies: a draft corpus exports like the bundled one."""
    from kzcli.ingest import ingest

    draft = tmp_path / "draft.json"
    draft.write_text(
        json.dumps(ingest((DATA.parent / "source.txt").read_text(encoding="utf-8"), "source.txt")), encoding="utf-8"
    )
    done = run_main(["--data", str(draft), "export", "-o", str(tmp_path / "draft.db")])
    assert done.code == 0, done.err
    connection = sqlite3.connect(tmp_path / "draft.db")
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert (
        connection.execute("SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH 'torture'").fetchone()[0]
        >= 3
    )


def test_cli_empty_output_is_a_usage_error(tmp_path: Path) -> None:
    done = run_main(["export", "--format", "csv", "--output", ""])
    assert (done.code, done.err_lines) == (2, ["kz: an output path is needed (or - for standard output)"])


def test_a_directory_given_with_a_trailing_slash(tmp_path: Path, corpus: Corpus) -> None:
    export(corpus, "csv", f"{tmp_path / 'tables'}/")
    assert sorted(tree(tmp_path))[:2] == ["tables", "tables/entities.csv"]
    assert all(name == "tables" or name.startswith("tables/") for name in tree(tmp_path))


def test_force_never_replaces_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("{}", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    run = run_main(["export", "--format", "json", "--output", str(link), "--force"])
    assert run.code == 2 and "not a regular file" in run.err
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "{}"


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m kzcli export --output - | head -c 1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "{", "")


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("folder-with-work", ["--format", "csv"], "holds files other than CSV tables"),
        ("folder-with-work", ["--format", "json"], "will not replace a folder with a file"),
        ("file", ["--format", "csv"], "a CSV export writes a folder"),
    ],
)
def test_force_replaces_only_what_an_export_would_have_written(
    tmp_path: Path, setup: str, args: list[str], message: str
) -> None:
    target = tmp_path / "out"
    if setup == "file":
        target.write_text("mine", encoding="utf-8")
    else:
        target.mkdir()
        (target / "thesis.tex").write_text("precious", encoding="utf-8")
    before = tree(tmp_path)
    run = run_main(["export", *args, "--output", str(target), "--force"])
    assert run.code == 2 and message in run.err
    assert tree(tmp_path) == before


def test_an_unwritable_directory_is_an_output_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root every directory is writable: the refusal is what the check makes of os.access.
    monkeypatch.setattr("kzcli.export.os.access", lambda path, mode: False)
    done = run_main(["export", "-o", str(tmp_path / "kz.db")])
    assert done.code == 74
    assert done.err_lines == [f"kz: cannot write {tmp_path / 'kz.db'}: directory {tmp_path} is not writable"]


@pytest.mark.parametrize(("fmt", "name"), [("sqlite", "corpus.json"), ("json", "kz.db"), ("csv", "kz.sqlite")])
def test_a_format_the_extension_contradicts_is_refused(tmp_path: Path, fmt: str, name: str) -> None:
    target = tmp_path / name
    target.write_text("mine", encoding="utf-8")
    done = run_main(["export", "-f", fmt, "-o", str(target), "--force"])
    assert done.code == 2 and f"--format {fmt} does not fit" in done.err
    assert target.read_text(encoding="utf-8") == "mine"


def test_events_carry_the_days_their_date_covers(database: sqlite3.Connection, corpus: Corpus) -> None:
    days = dict(database.execute("SELECT id, first_day || ' ' || last_day FROM events").fetchall())
    for event in corpus.events:
        first, last = days[event.id].split()
        assert datetime.date.fromisoformat(first) <= datetime.date.fromisoformat(last), event.id
        assert first.startswith(event.date) and (event.ongoing or last.startswith(event.end or event.date))
    by_kind = {
        "year": next(e for e in corpus.events if e.precision == "year" and not e.ongoing and e.end is None),
        "month": next(e for e in corpus.events if e.precision == "month" and e.end is None),
        "range": next(e for e in corpus.events if e.end is not None),
        "ongoing": next(e for e in corpus.events if e.ongoing),
    }
    year = by_kind["year"].date
    assert days[by_kind["year"].id] == f"{year}-01-01 {year}-12-31"
    month = by_kind["month"].date
    last = calendar.monthrange(int(month[:4]), int(month[5:]))[1]
    assert days[by_kind["month"].id] == f"{month}-01 {month}-{last:02d}"
    assert days[by_kind["range"].id].split()[1] > by_kind["range"].date
    assert days[by_kind["ongoing"].id].endswith(" 2020-12-31")  # to the end of the period the report covers


def test_every_foreign_key_column_is_indexed(database: sqlite3.Connection, corpus: Corpus) -> None:
    for table in tables(corpus):
        indexed = {
            database.execute(f"PRAGMA index_info({index[1]!r})").fetchone()[2]
            for index in database.execute(f'PRAGMA index_list("{table.name}")')
        }
        for column in table.columns:
            if column.references:
                assert column.name in indexed, (table.name, column.name)


def test_paragraphs_are_labelled_by_their_place(database: sqlite3.Connection) -> None:
    rows = database.execute("SELECT section, paragraph, place FROM paragraphs").fetchall()
    assert all(place == f"{section} ¶{number}" for section, number, place in rows)
    assert ("torture", 2, "torture ¶2") in rows


def test_every_table_whose_rows_have_a_place_ends_with_what_cite_takes(corpus: Corpus) -> None:
    """As every query's CSV does: ``cite``, an event's id or SECTION:N, which ``kz cite`` resolves to that place."""
    from kzcli.cite import resolve_target

    placed = [t for t in tables(corpus) if "paragraph" in t.column_names]
    assert {t.name for t in placed} == {"paragraphs", "mentions", "events", "figures", "left_out", "topic_paragraphs"}
    for table in placed:
        assert table.column_names[-1] == "cite", table.name
        at = {name: i for i, name in enumerate(table.column_names)}
        for row in table.rows[:5]:
            place = resolve_target(corpus, row[-1])
            expected = row[at["id"]] if table.name == "events" else f"{row[at['section']]}:{row[at['paragraph']]}"
            assert row[-1] == expected and place.target == expected


def test_topic_terms_are_a_list_as_every_list_is(tmp_path: Path, corpus: Corpus) -> None:
    """topics.csv wrote its terms as a JSON array where entities.csv joins aliases with "; "."""
    assert run_main(["export", "--format", "csv", "--output", str(tmp_path / "out")]).code == 0
    with (tmp_path / "out" / "topics.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    covid = next(row for row in rows if row["id"] == "covid-19")
    assert covid["terms"].split("; ") == list(next(t for t in corpus.topics if t.id == "covid-19").terms)
    database = tmp_path / "kz.db"
    assert run_main(["export", "--format", "sqlite", "--output", str(database)]).code == 0
    with sqlite3.connect(database) as connection:
        (terms,) = connection.execute("SELECT terms FROM topics WHERE id = 'covid-19'").fetchone()
    assert json.loads(terms) == covid["terms"].split("; ")
