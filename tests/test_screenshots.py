"""scripts/screenshots.py renders real runs of the main commands to SVG."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "screenshots.py"
EXPECTED = {
    "search": ["$ kz search torture --limit 3", "passages for torture", "torture:1", "Coalition Against Torture"],
    "search-80": ["$ kz search torture --limit 3", "passages for torture", "torture:2", "Coalition Against Torture"],
    "person": ["$ kz person Tulesova", "Asya Tulesova", "Mentions", "civil-society:1"],
    "timeline": ["$ kz timeline --month 2020-06", "events", "2020-06-06"],
    "chart": ["$ kz timeline --chart", "Events per month", "2020-06"],
    "sections": ["$ kz sections", "Torture", "key-international-actors", "Opens with"],
    "people-80": ["$ kz people --role activist", "Asya Tulesova", "civil-society:1"],
    "read": ["$ kz read torture", "Torture", "torture:1"],
    "figures": ["$ kz figures journalists", "journalists"],
    "cite": ["$ kz cite torture:2", "Human Rights Watch", "paragraph 2"],
}


def svg_text(svg: str) -> str:
    """The text a viewer sees: every <text> element, rows joined by newlines."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        x, y, content = float(match.group(1)), float(match.group(2)), match.group(3)
        rows.setdefault(y, []).append((x, html.unescape(content).replace("\xa0", " ")))
    return "\n".join("".join(t for _, t in sorted(rows[y])) for y in sorted(rows))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("shots")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--output", str(output), "--width", "100"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return output


def test_every_svg_is_written(rendered: Path) -> None:
    assert sorted(p.stem for p in rendered.glob("*.svg")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_svg_shows_the_commands_output(rendered: Path, name: str) -> None:
    svg = (rendered / f"{name}.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    text = svg_text(svg)
    for expected in EXPECTED[name]:
        assert expected in text, (name, expected)
    assert "Traceback" not in text and "internal error" not in text


def test_search_svg_highlights_matches_in_colour(rendered: Path) -> None:
    svg = (rendered / "search.svg").read_text(encoding="utf-8")
    assert "fill: #" in svg or "fill:#" in svg  # styled (Rich writes CSS classes with fills)


def test_committed_svgs_exist_and_show_the_commands() -> None:
    """docs/*.svg come from the script (regenerate with: python scripts/screenshots.py)."""
    for name, expected in EXPECTED.items():
        committed = ROOT / "docs" / f"{name}.svg"
        assert committed.is_file(), f"run: python scripts/screenshots.py (missing {committed.name})"
        text = svg_text(committed.read_text(encoding="utf-8"))
        assert all(e in text for e in expected), f"docs/{name}.svg is stale; run: python scripts/screenshots.py"
