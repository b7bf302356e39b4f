"""Shared fixtures: the real corpus, its raw JSON, the source text and a CLI runner."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kzcli import corpus as corpus_module
from kzcli.corpus import Corpus

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "report.json"
SOURCE = ROOT / "data" / "source.txt"
# The source's first three non-empty lines are page furniture and the heading.
FURNITURE_LINES = 3


@pytest.fixture(scope="session")
def raw_corpus() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def raw_copy(raw_corpus: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(raw_corpus)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return corpus_module.load(str(DATA))


@pytest.fixture(scope="session")
def source_paragraphs() -> list[str]:
    lines = [line for line in SOURCE.read_text(encoding="utf-8").split("\n") if line.strip()]
    return lines[FURNITURE_LINES:]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_json(path: Path, value: Any) -> str:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return str(path)
