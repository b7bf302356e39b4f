"""``kz --version``: kz's version, the report, the corpus in use and a checksum that sha256sum agrees with."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from kzcli import __version__
from kzcli.commands.version import report_block, sha256_hex
from kzcli.document import bundled_path

from .conftest import write_json
from .kzprocess import kz_env, run_kz


def sha12(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def test_version_names_the_report_and_the_bundled_corpus(raw_corpus: dict[str, Any]) -> None:
    done = run_kz(["--version"])
    report = raw_corpus["report"]
    assert (done.code, done.err) == (0, "")
    assert done.out.splitlines() == [
        f"kz {__version__}",
        f"report: {report['title']} ({report['series']}, {report['publisher']})",
        f"corpus: bundled, sha256 {sha12(bundled_path())}",
    ]


@pytest.mark.parametrize("order", ["data first", "version first"])
def test_version_names_the_data_path_given_before_or_after_it(
    tmp_path: Path, raw_corpus: dict[str, Any], order: str
) -> None:
    other = json.loads(json.dumps(raw_corpus))
    other["report"]["title"] = "Another chapter"
    path = write_json(tmp_path / "other.json", other)
    args = ["--data", path, "--version"] if order == "data first" else ["--version", "--data", path]
    lines = run_kz(args).out.splitlines()
    assert lines[1].startswith("report: Another chapter (")
    assert lines[2] == f"corpus: {path}, sha256 {sha12(path)}"


def test_version_names_the_kz_data_corpus(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    path = write_json(tmp_path / "env.json", raw_corpus)
    done = run_kz(["--version"], env=kz_env(KZ_DATA=path))
    assert done.out.splitlines()[2] == f"corpus: {path}, sha256 {sha12(path)}"


def test_version_with_a_missing_corpus_says_its_version_then_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.json")
    done = run_kz(["--version", "--data", missing])
    assert (done.code, done.out) == (3, f"kz {__version__}\n")
    assert done.err_lines == [f"kz: corpus {missing}: no such file"]


def test_version_reads_no_corpus_model_or_index(tmp_path: Path) -> None:
    """Cheap by construction: the corpus file is hashed and its report block decoded, nothing loaded."""
    done = run_kz(["--version"], flags=["-X", "importtime"], cwd=tmp_path)
    modules = {line.rsplit("|", 1)[1].strip() for line in done.err.splitlines() if line.startswith("import time:")}
    assert "kzcli.commands.version" in modules
    assert not modules & {"kzcli.loading", "kzcli.memory", "kzcli.search", "kzcli.store", "kzcli.records"}
    # Nor the model's module, nor OpenSSL (kzcli.paths; version.sha256_hex): each cost milliseconds.
    assert "kzcli.corpus" not in modules
    own_sha256 = any(importlib.util.find_spec(name) for name in ("_sha2", "_sha256"))
    assert own_sha256 and "_hashlib" not in modules


def test_the_builtin_sha256_is_hashlibs() -> None:
    data = Path(bundled_path()).read_bytes()
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_the_report_block_is_decoded_without_what_follows_it() -> None:
    assert report_block('{"schema_version": 1, "report": {"title": "T"}, "sections": [oops') == {"title": "T"}
    assert report_block('{"sections": [], "report": {"title": "T"}}') == {"title": "T"}
    assert report_block(' {\n "a" : [1, {"report": 2}] ,"report":{"title":"T"}}') == {"title": "T"}
    for broken in ("", "[]", '{"report": 1}', '{"schema_version": 1}', '{"a" 1}', '{"a": 1 "report": {}}', "{"):
        assert report_block(broken) is None, broken


def test_version_shows_a_hostile_title_escaped(tmp_path: Path, raw_corpus: dict[str, Any]) -> None:
    other = json.loads(json.dumps(raw_corpus))
    other["report"]["title"] = "Red\x1b[31m title"
    path = write_json(tmp_path / "hostile.json", other)
    done = run_kz(["--version", "--data", path])
    assert done.code == 0 and "\x1b" not in done.out
    assert done.out.splitlines()[1].startswith("report: Red\\x1b[31m title (")
