"""`kz export --format sqlite --metadata`, served by a real Datasette as its users run it.

One Datasette for the module, started on 127.0.0.1 on a free port and always
stopped; every test reads its JSON API (search, facets, labels, sort,
metadata, canned queries) and checks what it answers against the corpus.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kzcli import loading
from kzcli.corpus import Corpus
from kzcli.timeline import covered_until, interval

from .conftest import DATA
from .kzprocess import run_main


class Server:
    def __init__(self, base: str, metadata: dict[str, Any]) -> None:
        self.base = base
        self.metadata = metadata

    def get(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.base}{path}{query}", timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(process: subprocess.Popen[bytes], base: str) -> bool:
    """True once Datasette answers; False if it exits first (the port was taken, say)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError("datasette did not answer within 60 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("datasette")
    database, metadata = folder / "kz.db", folder / "kz-metadata.json"
    done = run_main(["export", "--format", "sqlite", "--output", str(database), "--metadata", str(metadata)])
    assert done.code == 0, done.err
    for _attempt in range(3):  # a free port can be taken between the probe and the bind
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "datasette", "serve", str(database), "-m", str(metadata)]
        process = subprocess.Popen(
            [*command, "-h", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if _wait_until_serving(process, base):
                yield Server(base, json.loads(metadata.read_text(encoding="utf-8")))
                return
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    raise RuntimeError("datasette would not start")


@pytest.fixture(scope="module")
def report() -> Corpus:
    return loading.load(str(DATA))


def test_metadata_is_served_as_written(server: Server) -> None:
    served = server.get("/-/metadata.json")
    assert served == server.metadata
    assert served["title"] == "Kazakhstan: Events of 2020 (World Report 2021)"
    assert served["source"] == "Human Rights Watch, World Report 2021"
    assert served["source_url"].startswith("https://www.hrw.org/")
    assert "© Human Rights Watch" in served["license"]
    tables = served["databases"]["kz"]["tables"]
    assert tables["events"]["columns"]["first_day"].startswith("First day")
    # Every table of the export is described, and every column it describes exists.
    database = server.get("/kz.json")
    columns = {t["name"]: set(t["columns"]) for t in database["tables"]}
    for name, table in tables.items():
        assert table["description"], name
        assert set(table["columns"]) <= columns[name], name
    # ... and no table of the export goes undescribed (the full-text index's own tables aside).
    assert {name for name in columns if not name.startswith("paragraphs_fts")} == set(tables)


def test_full_text_search(server: Server, report: Corpus) -> None:
    found = server.get("/kz/paragraphs.json", _search="torture", _shape="objects", _size="max")["rows"]
    places = {(r["section"], r["paragraph"]) for r in found}
    assert {("torture", n) for n in range(1, len(report.section("torture").paragraphs) + 1)} <= places
    for row in found:  # every hit says it (the porter stemmer also finds "tortured")
        assert "tortur" in row["text"].lower()
        assert row["text"] == report.paragraph(row["section"], row["paragraph"])


def test_date_facet_on_first_day_gives_real_dates(server: Server, report: Corpus) -> None:
    answer = server.get("/kz/events.json", _facet_date="first_day", _size="0")
    facet = answer["facet_results"]["first_day"]
    open_until = covered_until(report)
    expected = Counter(interval(e, open_until)[0] for e in report.events)
    assert {r["value"]: r["count"] for r in facet["results"]} == expected
    assert all(str(value).startswith(("2014", "2018", "2019", "2020")) for value in expected)


def test_default_facets_and_sort(server: Server, report: Corpus) -> None:
    answer = server.get("/kz/events.json", _shape="objects", _size="max")
    assert {"precision", "section", "first_day"} <= set(answer["facet_results"])
    precision = {r["value"]: r["count"] for r in answer["facet_results"]["precision"]["results"]}
    assert precision == Counter(e.precision for e in report.events)
    days = [r["first_day"] for r in answer["rows"]]
    assert days == sorted(days) and len(days) == len(report.events)


def test_links_read_as_places_and_summaries(server: Server, report: Corpus) -> None:
    events = server.get("/kz/events.json", _labels="on", _shape="objects", _size="max")["rows"]
    for row in events:
        assert row["paragraph_id"]["label"] == f"{row['section']['value']} ¶{row['paragraph']}"
    labels = {row["paragraph_id"]["label"] for row in events}
    assert "torture ¶2" in labels
    links = server.get("/kz/event_entities.json", _labels="on", _shape="objects", _size="max")["rows"]
    summaries = {e.id: e.summary for e in report.events}
    names = {e.id: e.name for e in report.entities}
    for row in links:
        assert row["event"]["label"] == summaries[row["event"]["value"]]
        assert row["entity"]["label"] == names[row["entity"]["value"]]


def test_canned_query_people_with_the_most_mentions(server: Server, report: Corpus) -> None:
    rows = server.get("/kz/people_with_the_most_mentions.json", _shape="array")
    people = sorted((e for e in report.entities if e.type == "person"), key=lambda e: (-len(e.mentions), e.name))
    assert [(r["id"], r["mentions"]) for r in rows] == [(e.id, len(e.mentions)) for e in people]


def test_canned_query_events_by_month(server: Server, report: Corpus) -> None:
    rows = server.get("/kz/events_by_month.json", _shape="array")
    expected = Counter(e.date[:7] for e in report.events if e.precision != "year")
    assert {r["month"]: r["events"] for r in rows} == expected


def test_canned_query_with_a_parameter(server: Server, report: Corpus) -> None:
    rows = server.get("/kz/events_of_an_entity.json", name="Tulesova", _shape="array")
    tulesova = report.entity("asya-tulesova")
    assert len(rows) == len(report.events_involving(tulesova.id)) > 0
    assert all(r["place"].count(" ¶") == 1 for r in rows)
    passages = server.get("/kz/passages_about.json", words="torture", _shape="array")
    assert passages and passages[0]["snippet"].count("[") >= 1


def test_metadata_is_written_safely(tmp_path: Path) -> None:
    database, metadata = tmp_path / "kz.db", tmp_path / "kz-metadata.json"
    metadata.write_text("precious", encoding="utf-8")
    refused = run_main(["export", "-f", "sqlite", "-o", str(database), "--metadata", str(metadata)])
    assert refused.code == 2
    assert refused.err_lines == [f"kz: {metadata} already exists; use --force to replace it"]
    assert not database.exists() and metadata.read_text(encoding="utf-8") == "precious"
    link = tmp_path / "link.json"
    link.symlink_to(metadata)
    linked = run_main(["export", "-f", "sqlite", "-o", str(database), "--metadata", str(link), "--force"])
    assert linked.code == 2 and "not a regular file" in linked.err
    assert not database.exists() and metadata.read_text(encoding="utf-8") == "precious"
    forced = run_main(["export", "-f", "sqlite", "-o", str(database), "--metadata", str(metadata), "--force"])
    assert forced.code == 0, forced.err
    assert json.loads(metadata.read_text(encoding="utf-8"))["databases"].keys() == {"kz"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "csv", "-o", "tables", "--metadata", "m.json"], "--metadata is Datasette's, for --format sqlite"),
        (["-f", "sqlite", "-o", "kz.db", "--metadata", "-"], "--metadata needs a file name"),
        (["-f", "sqlite", "-o", "kz.db", "--metadata", "kz.db"], "--metadata must name another file"),
    ],
)
def test_metadata_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    done = run_main(["export", *args])
    assert done.code == 2 and len(done.err_lines) == 1 and message in done.err
    assert list(tmp_path.iterdir()) == []
