"""kz cite: targets resolve to the right place; plain, BibTeX and CSL-JSON say the same thing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kzcli.cite import TEX_MARKS, bibtex_escape, cite, nest_quotes, resolve_target
from kzcli.corpus import Corpus
from kzcli.errors import NotFoundError, UsageError

from .kzprocess import run_main

REPORT = "Human Rights Watch, \u201cKazakhstan: Events of 2020,\u201d in World Report 2021 (Human Rights Watch, 2021)"


@pytest.mark.parametrize(
    ("target", "kind", "section", "paragraph"),
    [
        ("torture", "section", "torture", None),
        ("Torture", "section", "torture", None),
        ("freedom of expr", "section", "freedom-of-expression", None),
        ("covid", "section", "covid-19", None),
        ("torture:2", "paragraph", "torture", 2),
        ("section:torture:3", "paragraph", "torture", 3),
        ("civil society ¶4", "paragraph", "civil-society", 4),
        ("2020-08-12-tulesova-convicted", "event", "civil-society", 1),
        ("Tulesova", "entity", "civil-society", 1),
        ("Tokayev", "entity", "overview", 1),
        ("person:Bokaev", "entity", "overview", 1),
        ("OSCE", "entity", "freedom-of-expression", 3),
    ],
)
def test_targets_resolve(corpus: Corpus, target: str, kind: str, section: str, paragraph: int | None) -> None:
    place = resolve_target(corpus, target)
    assert (place.kind, place.section.id, place.paragraph) == (kind, section, paragraph)
    if place.quote is not None:
        assert place.quote in corpus.paragraph(place.section.id, place.paragraph or 0)


def test_every_event_and_entity_is_citable_by_its_record_value(corpus: Corpus) -> None:
    for event in corpus.events:
        place = resolve_target(corpus, event.id)
        assert (place.kind, place.quote) == ("event", event.quote)
    for entity in corpus.entities:
        place = resolve_target(corpus, f"entity:{entity.name}")
        assert place.target == entity.id


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ("", UsageError, "a citation target is needed"),
        ("torture:9", NotFoundError, "section 'torture' has 3 paragraphs, not 9"),
        ("torture:-1", UsageError, "give SECTION:PARAGRAPH with a paragraph number"),
        ("torture:2.5", UsageError, "give SECTION:PARAGRAPH with a paragraph number"),
        ("torture:2x", UsageError, "give SECTION:PARAGRAPH with a paragraph number"),
        ("2020-02-30-no-such-event", NotFoundError, "no event with id '2020-02-30-no-such-event'"),
        ("xylophone quartet", NotFoundError, "nothing in the report matches 'xylophone quartet'"),
        ("event:nope", NotFoundError, "no event with id 'nope'"),
    ],
)
def test_bad_targets(corpus: Corpus, target: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        resolve_target(corpus, target)


def test_plain_section_and_paragraph(corpus: Corpus) -> None:
    assert cite(corpus, "torture") == f"{REPORT}, section \u201cTorture\u201d."
    assert cite(corpus, "torture:2") == f"{REPORT}, section \u201cTorture\u201d, paragraph 2."


def test_plain_event_quotes_the_report(corpus: Corpus) -> None:
    event = next(e for e in corpus.events if e.date == "2020-08-12")
    text = cite(corpus, event.id)
    assert text.startswith(f"{REPORT}, section \u201cCivil Society\u201d, paragraph 1: \u201c")
    assert event.quote.replace("\u00a0", " ") in text
    assert not text.endswith(".\u201d.")


def test_bibtex(corpus: Corpus) -> None:
    entry = cite(corpus, "Tulesova", "bibtex")
    lines = entry.splitlines()
    assert lines[0] == "@incollection{hrw2021-kazakhstan-asya-tulesova,"
    assert "  author = {{Human Rights Watch}}," in lines
    assert "  booktitle = {World Report 2021}," in lines
    assert "  year = {2021}," in lines
    assert lines[-1] == "}"
    assert entry.count("{") == entry.count("}")
    assert "Asya Tulesova" in entry


def test_bibtex_escapes_its_special_characters() -> None:
    assert bibtex_escape("50% & {x}_#$~^\\") == r"50\% \& \{x\}\_\#\$\~{}\^{}\textbackslash{}"


def test_csl_json(corpus: Corpus) -> None:
    items: list[dict[str, Any]] = json.loads(cite(corpus, "torture:2", "csl-json"))
    assert len(items) == 1
    item = items[0]
    assert item["type"] == "chapter"
    assert item["title"] == "Kazakhstan: Events of 2020"
    assert item["container-title"] == "World Report 2021"
    assert item["author"] == [{"literal": "Human Rights Watch"}]
    assert item["issued"] == {"date-parts": [[2021]]}
    assert item["section"] == "Torture"
    assert item["custom"]["kz_target"] == "torture:2" and item["custom"]["paragraph"] == 2


def test_cli_cite_and_exit_codes() -> None:
    done = run_main(["cite", "torture:2"])
    assert (done.code, done.out) == (0, f"{REPORT}, section \u201cTorture\u201d, paragraph 2.\n")
    assert run_main(["cite", "torture", "--style", "bibtex"]).out.startswith(
        "@incollection{hrw2021-kazakhstan-torture,"
    )
    missing = run_main(["cite", "torture:9"])
    assert (missing.code, missing.err_lines) == (1, ["kz: section 'torture' has 3 paragraphs, not 9"])
    assert run_main(["cite", "torture", "--style", "apa"]).code == 2


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["search", "torture"], "hit"),
        (["timeline", "--month", "2020-06"], "event"),
        (["person", "Tulesova"], "profile"),
    ],
)
def test_records_carry_a_cite_value_that_cite_resolves(corpus: Corpus, args: list[str], kind: str) -> None:
    done = run_main([*args, "--json"])
    records = json.loads(done.out)["records"]
    if kind == "profile":
        records = records[0]["events"] + records[0]["mentions"]
    assert records
    for record in records:
        place = resolve_target(corpus, record["cite"])
        assert (place.section.id, place.paragraph) == (record["section"], record["paragraph"])


@pytest.mark.parametrize(
    ("target", "options"),
    [
        ("labor", ["section:labor-rights", "entity:International Labour Organization"]),
        ("freedom", ["section:freedom-of-assembly", "section:freedom-of-expression"]),
    ],
)
def test_words_that_fit_several_places_are_never_guessed(corpus: Corpus, target: str, options: list[str]) -> None:
    with pytest.raises(NotFoundError) as caught:
        resolve_target(corpus, target)
    assert all(option in caught.value.message for option in options)
    assert resolve_target(corpus, options[0]).kind == options[0].split(":")[0]


def test_a_missing_paragraph_number_is_bad_input(corpus: Corpus) -> None:
    with pytest.raises(UsageError, match="paragraph number"):
        resolve_target(corpus, "torture:")


def test_untitled_parts_are_cited_by_what_they_are(corpus: Corpus) -> None:
    assert cite(corpus, "overview:1") == f"{REPORT}, untitled opening, paragraph 1."
    assert cite(corpus, "photo:1") == f"{REPORT}, photo caption and credit, paragraph 1."
    assert "Overview" not in cite(corpus, "overview:1", "bibtex")


def test_bibtex_uses_tex_quotation_marks(corpus: Corpus) -> None:
    note = next(line for line in cite(corpus, "Tulesova", "bibtex").splitlines() if "note" in line)
    assert "``Civil Society''" in note and "\u201c" not in note and "\u201d" not in note


def test_bibtex_nests_quotation_marks_and_keeps_apostrophes(corpus: Corpus) -> None:
    ilyashev = next(line for line in cite(corpus, "Ilyashev", "bibtex").splitlines() if "note" in line)
    assert "of `disseminating knowingly false information' for" in ilyashev
    aolain = next(line for line in cite(corpus, "Ní Aoláin", "bibtex").splitlines() if "note" in line)
    assert "`seriously concerned about the use of the term ``extremism'' in national" in aolain
    assert aolain.endswith("practice.'\\,''}")
    tokaev = cite(corpus, "Tokayev", "bibtex")
    assert "Tokaev's promises" in tokaev and "\u2019" not in tokaev
    assert "police~and using" in cite(corpus, "Tulesova", "bibtex")


def test_plain_citations_print_no_break_spaces_as_spaces(corpus: Corpus) -> None:
    assert "police and using" in cite(corpus, "Tulesova")
    csl = cite(corpus, "Tulesova", "csl-json")
    assert "police\\u00a0and using" in csl or "police\u00a0and using" in csl


@pytest.mark.parametrize(
    ("text", "plain", "tex"),
    [
        ("as \u201cextremist.\u201d", "as \u2018extremist.\u2019", "as `extremist.'"),
        ("a \u201cb \u2018c\u2019 d\u201d e", "a \u2018b \u201cc\u201d d\u2019 e", "a `b ``c'' d' e"),
        # Apostrophes, elisions and a single-quoted phrase already one level in stay as they are.
        ("Kazakhstan\u2019s \u2018own\u2019 the \u201890s", "Kazakhstan\u2019s \u2018own\u2019 the \u201890s", None),
    ],
)
def test_quotation_marks_nest_one_level_in(text: str, plain: str, tex: str | None) -> None:
    assert nest_quotes(text) == plain
    if tex is not None:
        assert nest_quotes(text, TEX_MARKS) == tex


def test_a_quote_ending_in_a_full_stop_ends_the_citation(corpus: Corpus) -> None:
    koshe = cite(corpus, "2020-05-koshe-party-banned")
    assert koshe.endswith("as \u2018extremist.\u2019\u201d")
