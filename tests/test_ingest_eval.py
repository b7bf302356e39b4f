"""benchmarks/ingest_eval.py scores what it says: recall and precision against a gold file, headings exact
or not, a refused chapter scored as nothing found (on a chapter written for this test)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

CHAPTER = """World Report 2031
Table of Contents > Europe & Central Asia >

Freedonia

HUMAN RIGHTS DEVELOPMENTS

President Otto Kalm jailed the activist Ida Marr in May. The Lantern Foundation protested in Port Vell.
"""


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kz_benchmarks_ingest_eval", BENCHMARKS / "ingest_eval.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _gold(**changes: object) -> dict[str, object]:
    gold: dict[str, object] = {
        "chapter": "freedonia.txt",
        "year": 2030,
        "year_given": False,
        "headings": ["HUMAN RIGHTS DEVELOPMENTS"],
        "events": [{"date": "2030-05", "end": None, "ongoing": False, "text": "in May"}],
        "people": [{"name": "Otto Kalm", "aliases": ["Kalm"]}, {"name": "Ida Marr"}],
        "organizations": [{"name": "Lantern Foundation"}],
        "places": [{"name": "Port Vell"}],
        "ignore": [],
    }
    gold.update(changes)
    return gold


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    texts, golds = tmp_path / "texts", tmp_path / "gold"
    texts.mkdir()
    golds.mkdir()
    (texts / "freedonia.txt").write_text(CHAPTER, encoding="utf-8")
    return texts, golds


def test_a_chapter_read_right_scores_one(folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    texts, golds = folders
    (golds / "freedonia.json").write_text(json.dumps(_gold()), encoding="utf-8")
    assert _load().main([str(texts), "--gold", str(golds), "--no-source"]) == 0
    total = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("TOTAL"))
    assert "events R 1.00 P 1.00 (1/1, 1/1)" in total and "people R 1.00 P 1.00 (2/2, 2/2)" in total
    assert "places R 1.00 P 1.00 (1/1, 1/1)" in total and total.endswith("headings exact")


def test_misses_extras_and_wrong_headings_count(folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    texts, golds = folders
    gold = _gold(people=[{"name": "Otto Kalm"}, {"name": "Somebody Else"}], headings=["Other"])
    (golds / "freedonia.json").write_text(json.dumps(gold), encoding="utf-8")
    _load().main([str(texts), "--gold", str(golds), "--no-source", "-v"])
    out = capsys.readouterr().out
    assert "people R 0.50 P 0.50 (1/2, 1/2)" in out
    assert "people missed: Somebody Else" in out and "people extra:  Ida Marr" in out
    assert "headings WRONG" in out


def test_a_refused_chapter_finds_nothing(folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    texts, golds = folders
    (texts / "freedonia.txt").write_text(CHAPTER.replace("World Report 2031\n", ""), encoding="utf-8")
    (golds / "freedonia.json").write_text(json.dumps(_gold()), encoding="utf-8")
    _load().main([str(texts), "--gold", str(golds), "--no-source", "-v"])
    out = capsys.readouterr().out
    assert "events R 0.00 P 1.00 (0/1, 0/0)" in out and "headings refused" in out and "--year" in out


def test_the_gold_files_are_facts_with_their_coverage() -> None:
    """Every gold file in the repository names its chapter, says what span it covers, and holds only
    dates, names and headings: no paragraph of HRW's text."""
    files = sorted((BENCHMARKS / "ingest_gold").glob("*.json"))
    assert len(files) >= 6
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert gold["chapter"].endswith(".txt") and gold["coverage"]
        assert not any(word in gold["chapter"].lower() for word in ("kazakh", "kyrgyz", "tajik"))
        longest = max((len(json.dumps(value)) for item in gold["events"] for value in item.values()), default=0)
        assert longest < 60, path.name  # a date's words, not a sentence
