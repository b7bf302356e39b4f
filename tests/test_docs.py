"""The README tells the truth: its examples are real output, its commands exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_samples", ROOT / "scripts" / "readme_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_examples_are_real_output() -> None:
    samples = _samples()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(samples.BLOCK_RE.findall(text)) >= 5
    stale = samples.stale_blocks(text)
    assert stale == [], f"run `python scripts/readme_samples.py --write`: {[args for args, *_ in stale]}"


def test_readme_shows_the_promised_commands_and_ci_reads_its_test_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for promised in ("$ kz search torture", "$ kz timeline --month 2020-06", "$ kz person Tulesova"):
        assert promised in text
    assert "<!-- test-command" in text and "test-command" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    quick_start = re.search(r"```sh\n(python3 -m venv .venv && .venv/bin/pip install \. && [^\n]*)\n```", text)
    assert quick_start is not None and quick_start.group(1).endswith(".venv/bin/kz search torture")
