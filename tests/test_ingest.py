"""kz ingest: a draft corpus from a chapter's plain text, on an invented chapter and on the real one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kzcli.corpus import Corpus
from kzcli.dates import find_dates, parse_date
from kzcli.errors import UsageError
from kzcli.ingest import ingest, parse_chapter
from kzcli.text import sentences
from kzcli.validation import validate

from .conftest import ROOT, SOURCE
from .kzprocess import run_main

# An invented chapter in the HRW layout (no real country, person or event).
INVENTED = """Skip to main content

Freedonia

Events of 2030

Residents queue for water in Port Alba, Freedonia. March 3, 2030.

\u00a9 2030 Example Photo Agency/Jane Roe

The government of Prime Minister Rufus Firefly tightened control over the media in 2030, and authorities \
detained dozens of protesters. On September 9, parliament adopted a restrictive Media Law.

Freedom of Media

Between March and July, the Freedonian Broadcasting Council (FBC) suspended 12 newspapers. Editor Lena Marsh \
was fined on April 14 and again on May 2, 2029.

Since 2027, journalists have faced criminal charges for \u201cfalse information.\u201d In mid-October, a court in \
Sylvania Bay jailed the blogger Tomas Vale for three years.

Torture

On February 7 and 8, police beat detainees in Port Alba. The Ministry of Interior said in November 2029 that it \
had opened 4 investigations. Vale said officers tortured him.
"""


@pytest.fixture(scope="module")
def draft() -> dict[str, Any]:
    return ingest(INVENTED, "freedonia.txt")


@pytest.fixture(scope="module")
def real_draft() -> dict[str, Any]:
    return ingest(SOURCE.read_text(encoding="utf-8"), "data/source.txt")


def test_layout(draft: dict[str, Any]) -> None:
    assert draft["report"] == {
        "title": "Freedonia: Events of 2030",
        "country": "Freedonia",
        "period": "2030",
        "series": "World Report 2031",
        "publisher": "Human Rights Watch",
        "source_file": "freedonia.txt",
    }
    shape = [(s["id"], s["title"], len(s["paragraphs"])) for s in draft["sections"]]
    assert shape == [
        ("photo", "Photo caption and credit", 2),
        ("overview", "Overview", 1),
        ("freedom-of-media", "Freedom of Media", 2),
        ("torture", "Torture", 1),
    ]
    assert draft["sections"][0]["paragraphs"][1] == "\u00a9 2030 Example Photo Agency/Jane Roe"


def test_dated_events(draft: dict[str, Any]) -> None:
    found = [
        (e["date"], e["end"], e["precision"], e["ongoing"], e["date_text"], e["section"], e["paragraph"])
        for e in draft["events"]
    ]
    assert found == [
        ("2030-03-03", None, "day", False, "March 3, 2030", "photo", 1),
        ("2030", None, "year", False, "2030", "overview", 1),
        ("2030-09-09", None, "day", False, "September 9", "overview", 1),
        ("2030-03", "2030-07", "month", False, "Between March and July", "freedom-of-media", 1),
        ("2030-04-14", None, "day", False, "April 14", "freedom-of-media", 1),
        ("2029-05-02", None, "day", False, "May 2, 2029", "freedom-of-media", 1),
        ("2027", None, "year", True, "Since 2027", "freedom-of-media", 2),
        ("2030-10", None, "month", False, "mid-October", "freedom-of-media", 2),
        ("2030-02-07", "2030-02-08", "day", False, "February 7 and 8", "torture", 1),
        ("2029-11", None, "month", False, "November 2029", "torture", 1),
    ]  # and no event for the credit's copyright year


def test_events_quote_their_sentence_and_name_its_entities(draft: dict[str, Any]) -> None:
    by_text = {e["date_text"]: e for e in draft["events"]}
    october = by_text["mid-October"]
    assert october["quote"] == "In mid-October, a court in Sylvania Bay jailed the blogger Tomas Vale for three years."
    assert october["entities"] == ["sylvania-bay", "tomas-vale"]
    assert by_text["March 3, 2030"]["quote"] == "Residents queue for water in Port Alba, Freedonia. March 3, 2030."
    assert by_text["Between March and July"]["entities"] == ["freedonian-broadcasting-council"]


def test_entities(draft: dict[str, Any]) -> None:
    entities = {e["name"]: e for e in draft["entities"]}
    kinds = {name: e["type"] for name, e in entities.items()}
    assert kinds["Rufus Firefly"] == "person"  # "Prime Minister" is a title, not part of the name
    assert kinds["Lena Marsh"] == "person"
    assert kinds["Freedonian Broadcasting Council"] == "organization"
    assert kinds["Ministry of Interior"] == "organization"
    assert kinds["Media Law"] == "law"
    assert kinds["Port Alba"] == "place" and kinds["Sylvania Bay"] == "place" and kinds["Freedonia"] == "place"
    assert entities["Freedonian Broadcasting Council"]["aliases"] == ["FBC"]
    vale = entities["Tomas Vale"]
    assert vale["aliases"] == ["Vale"]
    assert [(m["section"], m["paragraph"]) for m in vale["mentions"]] == [("freedom-of-media", 2), ("torture", 1)]
    assert "Residents" not in entities and "In" not in entities  # sentence openers are not names


def test_figures(draft: dict[str, Any]) -> None:
    found = [(f["text"], f["value"], f["unit"], f["section"]) for f in draft["figures"]]
    assert found == [
        ("dozens", None, "protesters", "overview"),
        ("12", 12, "newspapers", "freedom-of-media"),
        ("three", 3, "years", "freedom-of-media"),
        ("4", 4, "investigations", "torture"),
    ]


def test_everything_is_marked_unreviewed_and_valid(draft: dict[str, Any]) -> None:
    assert validate(draft) == []
    assert all(e["summary"].startswith("unreviewed: ") for e in draft["events"])
    assert all(e["role"].startswith("unreviewed: ") for e in draft["entities"])
    assert all(f["what"].startswith("unreviewed: ") for f in draft["figures"])
    assert "unreviewed" in {n["id"] for n in draft["notes"]}
    assert draft["left_out"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 6", ("2030-06-06", None, "day")),
        ("June 6, 2020", ("2020-06-06", None, "day")),
        ("September 2019", ("2019-09", None, "month")),
        ("mid-September", ("2030-09", None, "month")),
        ("May", ("2030-05", None, "month")),
        ("2018", ("2018", None, "year")),
        ("February 7 and 8", ("2030-02-07", "2030-02-08", "day")),
        ("Smarch 3", None),
    ],
)
def test_parse_date(text: str, expected: tuple[str, str | None, str] | None) -> None:
    parsed = parse_date(text, 2030)
    if expected is None:
        assert parsed is None
    else:
        assert parsed is not None
        start, second = parsed
        assert (start.value, second.value if second else None, start.precision) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("It ran from March to May 2019.", [("2019-03", "2019-05", "month", "from March to May 2019")]),
        (
            "Protests ran between November and February.",
            [("2029-11", "2030-02", "month", "between November and February")],
        ),
        (
            "Between December 27, 2019 and January 2020, it grew.",
            [("2019-12", "2020-01", "month", "Between December 27, 2019 and January 2020")],
        ),
        ("Since January 2019, he has been held.", [("2019-01", None, "month", "Since January 2019")]),
        ("In May and in June, nothing.", [("2030-05", None, "month", "May"), ("2030-06", None, "month", "June")]),
        ("He was born on February 30.", []),
    ],
)
def test_find_dates(paragraph: str, expected: list[tuple[str, str | None, str, str]]) -> None:
    assert [(c.date, c.end, c.precision, c.date_text) for c in find_dates(paragraph, 2030)] == expected


def test_sentences_keep_abbreviations_and_lone_dates() -> None:
    text = "Mr. Vale met the U.N. envoy. He left.\u00a0June 6, 2030. Then he spoke."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Mr. Vale met the U.N. envoy.",
        "He left.\u00a0June 6, 2030.",
        "Then he spoke.",
    ]


@pytest.mark.parametrize(
    "text",
    ["Just a paragraph of text.\n", "Events of 2020\nno country above\n", "Freedonia\nEvents of 2030\n"],
)
def test_not_a_chapter(text: str) -> None:
    with pytest.raises(UsageError):
        parse_chapter(text)


# --- the real chapter ----------------------------------------------------------------


def test_real_sections_equal_the_curated_ones(real_draft: dict[str, Any], raw_corpus: dict[str, Any]) -> None:
    assert real_draft["sections"] == raw_corpus["sections"]
    assert real_draft["report"] == raw_corpus["report"]


def test_real_event_recall(real_draft: dict[str, Any], corpus: Corpus) -> None:
    """Events match on date, end, section and paragraph; see scripts/ingest_recall.py for the details."""
    keys = {(e["date"], e["end"], e["section"], e["paragraph"]) for e in real_draft["events"]}
    found = [e for e in corpus.events if (e.date, e.end, e.section, e.paragraph) in keys]
    assert len(found) / len(corpus.events) >= 0.95
    # The two judgement calls the corpus marks inferred are read the same way: "In November, member
    # states had called" is November 2019 by the tense, "At time of writing" the chapter's year.
    missed = [e for e in corpus.events if e not in found]
    assert missed == []
    by_place = {(e["date"], e["section"], e["paragraph"]): e for e in real_draft["events"]}
    assert by_place["2019-11", "key-international-actors", 1]["inferred"] == "year"
    assert by_place["2020", "torture", 2]["date_note"] == "time-of-writing"


def test_real_draft_is_valid(real_draft: dict[str, Any]) -> None:
    assert validate(real_draft) == []


def test_recall_script_prints_recall() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "ingest_recall.py"), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("recall 1.000 (50/50 curated events found); precision ")


# --- through the CLI --------------------------------------------------------------------


def test_cli_ingest_then_validate_then_query(tmp_path: Path) -> None:
    chapter = tmp_path / "freedonia.txt"
    chapter.write_text(INVENTED, encoding="utf-8")
    output = tmp_path / "corpus.json"
    done = run_main(["ingest", str(chapter), "--output", str(output)])
    assert done.code == 0, done.err
    [said] = done.err_lines
    assert said.startswith(
        f"kz: wrote {output}: 4 sections, 6 paragraphs, 10 events, 11 entities, 4 figures (all unreviewed); "
    )
    assert said.endswith(" to review first (note 'review-first', --report)")  # "Port Alba": a place by one "in"
    assert run_main(["validate", str(output)]).code == 0
    hits = json.loads(run_main(["--data", str(output), "search", "newspapers", "--json"]).out)
    assert [(r["section"], r["paragraph"]) for r in hits["records"]] == [("freedom-of-media", 1)]
    vale = run_main(["--data", str(output), "person", "Vale", "--json"])
    assert vale.code == 0 and json.loads(vale.out)["records"][0]["name"] == "Tomas Vale"
    timeline = json.loads(run_main(["--data", str(output), "timeline", "--year", "2029", "--json"]).out)
    # "Since 2027" is ongoing: it runs to the end of the chapter's own year, 2029.
    assert [r["date_text"] for r in timeline["records"]] == ["May 2, 2029", "November 2029", "Since 2027"]
    again = run_main(["ingest", str(chapter), "--output", str(output)])
    assert (again.code, again.err_lines) == (2, [f"kz: {output} already exists; use --force to replace it"])
    assert run_main(["ingest", str(chapter), "--output", str(output), "--force"]).code == 0


def test_cli_ingest_to_stdout(tmp_path: Path) -> None:
    chapter = tmp_path / "freedonia.txt"
    chapter.write_text(INVENTED, encoding="utf-8")
    done = run_main(["ingest", str(chapter), "-o", "-"])
    assert done.code == 0
    assert json.loads(done.out)["report"]["country"] == "Freedonia"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "{path}: no such file"),
        (b"\xff\xfe\x00", "{path}: is not UTF-8, nor UTF-16 as its first bytes say"),
        # The trial's: kz validate's words for the same file, not "not an HRW World Report chapter".
        (b"\xc3\x28", "{path}: is not UTF-8 (byte 0)"),
        (b"", "{path}: is empty"),
        (b" \n\t\n", "{path}: is empty"),
        (b"A note.\n", "not an HRW World Report chapter in the expected layout"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "chapter.txt"
    if content is not None:
        path.write_bytes(content)
    done = run_main(["ingest", str(path), "-o", str(tmp_path / "out.json")])
    assert done.code == 2
    assert len(done.err_lines) == 1 and done.err_lines[0].startswith("kz: " + message.format(path=path))
    assert not (tmp_path / "out.json").exists()
    if content is not None and not content.startswith((b"A note", b"\xff\xfe")):  # ingest reads UTF-16 too
        validated = run_main(["validate", str(path)])
        assert validated.out.removeprefix("file: ").rstrip("\n") in done.err_lines[0]
