"""Shared fixtures: the real corpus (through every backend a user can meet), its raw JSON,
the source text and a CLI runner."""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from kzcli import loading as corpus_module
from kzcli.corpus import Corpus

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "report.json"
SOURCE = ROOT / "data" / "source.txt"
# Hypothesis: "ci" (the default, what .ci/run runs) draws the same examples on every run, so a
# failure there is reproducible anywhere; "dev" (HYPOTHESIS_PROFILE=dev) draws a fifth as many,
# fresh each run, for a quick loop while working.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(count: int) -> int:
    """How many examples a property test draws: ``count`` under "ci", a fifth under "dev"."""
    return count if HYPOTHESIS_PROFILE == "ci" else max(10, count // 5)


# Set by .ci/run when the suite runs against the installed wheel, outside the checkout.
INSTALLED = os.environ.get("KZ_TEST_INSTALLED") == "1"
# The source's first three non-empty lines are page furniture and the heading.
FURNITURE_LINES = 3


def pytest_configure(config: pytest.Config) -> None:
    """Against the wheel, make sure it is the wheel's kz that is tested, not the checkout's."""
    import kzcli

    imported_from = Path(kzcli.__file__).resolve()
    if INSTALLED and ROOT in imported_from.parents:
        raise pytest.UsageError(f"KZ_TEST_INSTALLED=1 but kzcli comes from the checkout ({imported_from})")
    # The kz processes the tests start read compiled modules, as an installed kz does: where
    # PYTHONDONTWRITEBYTECODE is set, an editable install otherwise compiles every module of
    # kz on every run (~30 ms a process, hundreds of processes).
    import compileall

    compileall.compile_dir(str(imported_from.parent), quiet=1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``linux`` drive a pseudo-terminal or read /proc: elsewhere they cannot run."""
    if sys.platform != "linux":
        for item in items:
            if item.get_closest_marker("linux"):
                item.add_marker(pytest.mark.skip(reason=f"needs Linux, this is {sys.platform}"))


@pytest.fixture(scope="session")
def raw_corpus() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
def raw_copy(raw_corpus: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(raw_corpus)


# How a user's kz can hold the corpus: the JSON itself (a checkout, --data), the wheel's
# snapshot, and an index file beside a --data corpus (kz index).
BACKENDS = ("json", "snapshot", "kzindex")


def open_backend(backend: str, folder: Path) -> Corpus:
    """The real corpus, copied into ``folder`` and opened through ``backend``."""
    from kzcli.loading import make_snapshot, snapshot_path
    from kzcli.store import write

    path = folder / "report.json"
    shutil.copyfile(DATA, path)
    if backend == "snapshot":
        Path(snapshot_path(str(path))).write_bytes(make_snapshot(str(path)))
    elif backend == "kzindex":
        write(str(path))
    opened = corpus_module.load(str(path), snapshot=backend == "snapshot")
    kinds = {"json": "MemoryLookups", "snapshot": "MemoryLookups", "kzindex": "SqliteLookups"}
    assert type(opened.lookups).__name__ == kinds[backend], f"{backend} was not what answered"
    return opened


@pytest.fixture(scope="session", params=BACKENDS)
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The corpus as each backend gives it: every test taking it runs against each."""
    backend: str = request.param
    return open_backend(backend, tmp_path_factory.mktemp(backend))


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
