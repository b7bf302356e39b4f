"""Every CSV kz writes, read by csvkit as its users run it (no -d, no -y), and one convention for all.

csvkit's tools guess the dialect from the first 1,024 characters (Python's
csv.Sniffer); each file must come out with the comma, the right columns and
the very cells Python's csv module reads. The utilities run in this process
(the same code as the `csvjson` and `csvstat` commands, without their startup).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from csvkit.utilities.csvjson import CSVJSON
from csvkit.utilities.csvlook import CSVLook
from csvkit.utilities.csvstat import CSVStat

from kzcli import loading
from kzcli.corpus import Corpus
from kzcli.export import tables
from kzcli.formats import LIST_SEPARATOR
from kzcli.timeline import covered_until, interval

from .conftest import DATA
from .kzprocess import run_main

EXPORT_TABLES = [t.name for t in tables(loading.load(str(DATA)))]
# Every command that writes CSV, with arguments that give it rows.
COMMANDS: dict[str, list[str]] = {
    "search": ["search", "torture"],
    "people": ["people"],
    "person": ["person", "Tulesova"],
    "entities": ["entities"],
    "entity": ["entity", "OSCE"],
    "timeline": ["timeline"],
    "chart": ["timeline", "--chart"],
    "sections": ["sections"],
    "read": ["read", "torture"],
    "figures": ["figures"],
    "notes": ["notes"],
}
# The CSVs whose rows each stand at a place in the report, so carry `cite`.
PLACED = ("search", "people", "person", "entities", "entity", "timeline", "read", "figures")


def _csvkit(tool: Any, path: Path, *options: str) -> str:
    """Run a csvkit utility on ``path`` as its command would, its output as text."""
    out = io.StringIO()
    hook = sys.excepthook  # csvkit installs its own exception hook: give pytest's back
    try:
        tool([*options, str(path)], out).run()
    finally:
        sys.excepthook = hook
    return out.getvalue()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("csv") / "tables"
    assert run_main(["export", "-f", "csv", "-o", str(folder)]).code == 0
    return folder


@pytest.fixture(scope="module")
def command_csv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("commands")
    files = {}
    for name, argv in COMMANDS.items():
        done = run_main([*argv, "--format", "csv"])
        assert done.code == 0, (name, done.err)
        files[name] = folder / f"{name}.csv"
        files[name].write_text(done.out, encoding="utf-8")
    yield files


def _read_by_csvkit_as_python_reads(path: Path) -> None:
    expected = [{k: (v if v != "" else None) for k, v in row.items()} for row in _rows(path)]
    assert expected, path
    # csvjson -I: csvkit's own reading, sniffed dialect and all, without type inference.
    assert json.loads(_csvkit(CSVJSON, path, "-I")) == expected
    header = list(expected[0])
    stats = _csvkit(CSVStat, path)  # fails outright when the sniffer picks another delimiter
    for number, column in enumerate(header, 1):
        assert f'{number:3d}. "{column}"' in stats, (path.name, column)
    table = _csvkit(CSVLook, path).splitlines()
    assert [cell.strip() for cell in table[0].strip("|").split("|")] == header
    assert len(table) == len(expected) + 2  # header, rule, one line per row


@pytest.mark.parametrize("name", EXPORT_TABLES)
def test_csvkit_reads_every_export_table(exported: Path, name: str) -> None:
    _read_by_csvkit_as_python_reads(exported / f"{name}.csv")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_csvkit_reads_every_command_csv(command_csv: dict[str, Path], name: str) -> None:
    _read_by_csvkit_as_python_reads(command_csv[name])


def test_csvkit_reads_validate_csv(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    raw_corpus = copy.deepcopy(raw_corpus)
    raw_corpus["events"][0]["date"] = "2020-13"
    raw_corpus["notes"][0]["text"] = 'a note that quotes "straight", "quoted" words: "like" "these"'
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(raw_corpus), encoding="utf-8")
    done = run_main(["validate", str(broken), "--format", "csv"])
    assert done.code == 3
    path = tmp_path / "problems.csv"
    path.write_text(done.out, encoding="utf-8")
    _read_by_csvkit_as_python_reads(path)


def test_straight_quotes_in_prose_do_not_fool_csvkit(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    """The left_out table read as space-separated while kz quoted only the cells that needed it."""
    raw_corpus = copy.deepcopy(raw_corpus)
    for row in raw_corpus["left_out"]:
        row["reason"] = f'not an entity ("{row["text"]}" is "{row["kind"]}"), said "plainly"'
    corpus = tmp_path / "corpus.json"
    corpus.write_text(json.dumps(raw_corpus), encoding="utf-8")
    assert run_main(["--data", str(corpus), "export", "-f", "csv", "-o", str(tmp_path / "t")]).code == 0
    _read_by_csvkit_as_python_reads(tmp_path / "t" / "left_out.csv")


def test_booleans_and_lists_are_written_alike_in_export_and_query_csv(
    exported: Path, command_csv: dict[str, Path], corpus: Corpus
) -> None:
    events = {row["id"]: row for row in _rows(exported / "events.csv")}
    timeline = {row["id"]: row for row in _rows(command_csv["timeline"])}
    assert events.keys() == timeline.keys() == {e.id for e in corpus.events}
    for event in corpus.events:
        written = "true" if event.ongoing else "false"
        assert events[event.id]["ongoing"] == timeline[event.id]["ongoing"] == written
    assert any(e.ongoing for e in corpus.events) and not all(e.ongoing for e in corpus.events)
    aliases = {row["id"]: row["aliases"] for row in _rows(exported / "entities.csv")}
    listed = {row["id"]: row["aliases"] for row in _rows(command_csv["entities"])}
    assert aliases == listed == {e.id: LIST_SEPARATOR.join(e.aliases) for e in corpus.entities}


def test_csvkit_infers_booleans_and_dates(exported: Path, command_csv: dict[str, Path], corpus: Corpus) -> None:
    for path in (exported / "events.csv", command_csv["timeline"]):
        rows = json.loads(_csvkit(CSVJSON, path))
        assert {type(r["ongoing"]) for r in rows} == {bool}
        open_until = covered_until(corpus)
        days = {e.id: interval(e, open_until) for e in corpus.events}
        assert {r["id"]: (r["first_day"], r["last_day"]) for r in rows} == days


def test_no_list_item_holds_the_separator(corpus: Corpus) -> None:
    items = [
        *(a for e in corpus.entities for a in (e.name, *e.aliases)),
        *(e.id for e in corpus.entities),
        *(s.id for s in corpus.sections),
    ]
    assert all(LIST_SEPARATOR.strip() not in item for item in items)


@pytest.mark.parametrize("name", PLACED)
def test_cite_column_is_a_target_kz_cite_takes(command_csv: dict[str, Path], corpus: Corpus, name: str) -> None:
    rows = _rows(command_csv[name])
    events = {e.id for e in corpus.events}
    for row in rows:
        cite = row["cite"]
        assert cite == f"{row['section']}:{row['paragraph']}" or (cite in events and cite == row["id"]), row
    for cite in dict.fromkeys(row["cite"] for row in rows[:2]):
        done = run_main(["cite", cite])
        assert done.code == 0 and "Human Rights Watch" in done.out, (cite, done.err)


@pytest.mark.parametrize("name", ["timeline", "person"])
def test_timeline_and_profile_csv_have_full_days(command_csv: dict[str, Path], corpus: Corpus, name: str) -> None:
    open_until = covered_until(corpus)
    rows = [r for r in _rows(command_csv[name]) if r.get("kind", "event") == "event"]
    assert rows
    for row in rows:
        event = next(e for e in corpus.events if e.id == row["id"])
        assert (row["first_day"], row["last_day"]) == interval(event, open_until)
    ongoing = next(e for e in corpus.events if e.ongoing)
    assert interval(ongoing, open_until)[1] == "2020-12-31"


def test_what_docs_tools_says_csvkit_does_to_a_column_of_ones(command_csv: dict[str, Path]) -> None:
    """The trial's: `kz person Tulesova --format csv | csvlook` showed `paragraph` as True, where
    docs/tools.md promised numbers. The docs now say so and name the flag; both hold for csvkit."""
    path = command_csv["person"]
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    column = header.index("paragraph")
    assert {row["paragraph"] for row in _rows(path)} == {"1"}

    def cells(*options: str) -> set[str]:
        lines = _csvkit(CSVLook, path, *options).splitlines()[2:]
        return {line.strip("|").split("|")[column].strip() for line in lines}

    assert cells() == {"True"}  # what the docs warn of
    assert cells("-I") == {"1"} and cells("--no-inference") == {"1"}  # the flag they name
    assert cells("--no-leading-zeroes") == {"True"}  # and the one they say does not help
    docs = (Path(__file__).parent.parent / "docs" / "tools.md").read_text(encoding="utf-8")
    assert "a column whose every\n  value is `1`" in docs and "`-I`\n  (`--no-inference`)" in docs
