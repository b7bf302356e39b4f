"""kz cite: targets resolve to the right place; plain, BibTeX and CSL-JSON say the same thing."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcli.citation import bibtex_escape, cite, nest_quotes
from kzcli.cite import resolve_target
from kzcli.corpus import Corpus
from kzcli.errors import NotFoundError, UsageError

from .conftest import examples
from .kzprocess import run_main

REPORT = (
    "Human Rights Watch, \u201cKazakhstan: Events of 2020,\u201d in World Report 2021 "
    "(New York: Human Rights Watch, 2021)"
)
URL = "https://www.hrw.org/world-report/2021/country-chapters/kazakhstan"
KEY = "hrw2021-kazakhstan"


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
    assert place.section is not None
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
        ("torture:9", NotFoundError, "section 'torture' has 3 paragraphs, not 9"),
        ("torture:2-9", NotFoundError, "section 'torture' has 3 paragraphs, not 9"),
        ("torture:3-2", UsageError, "give the first one first, e.g. `torture:2-3`"),
        ("torture:-1", UsageError, "give SECTION:N or SECTION:N-M with paragraph numbers"),
        ("torture:2.5", UsageError, "give SECTION:N or SECTION:N-M with paragraph numbers"),
        ("torture:2x", UsageError, "give SECTION:N or SECTION:N-M with paragraph numbers"),
        ("torture para", UsageError, "give SECTION:N or SECTION:N-M with paragraph numbers"),
        ("torture ¶", UsageError, "give SECTION:N or SECTION:N-M with paragraph numbers"),
        ("2020-02-30-no-such-event", NotFoundError, "no event with id '2020-02-30-no-such-event'"),
        (
            "xylophone quartet",
            NotFoundError,
            "'xylophone quartet' names no place in the report: give SECTION, SECTION:N",
        ),
        ("torture chamber", NotFoundError, "'torture chamber' names no place in the report"),
        ("event:nope", NotFoundError, "no event with id 'nope'"),
        # A paragraph asked for whose section is unclear is asked about, not widened or guessed.
        ("freedom 2", NotFoundError, "section 'freedom' could be several"),
        ("person:Alena", NotFoundError, "did you mean: Elena Semenova"),
        ("June 6", NotFoundError, "'June 6' stands in several paragraphs: photo:1, civil-society:1"),
    ],
)
def test_bad_targets(corpus: Corpus, target: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        resolve_target(corpus, target)


@pytest.mark.parametrize(
    ("target", "meant"),
    [
        # The loose paragraph forms, and some of our own: each means the paragraph, said.
        ("torture 2", "torture:2"),
        ("torture/2", "torture:2"),
        ("torture ¶2", "torture:2"),
        ("torture para 2", "torture:2"),
        ("torture paragraph 2", "torture:2"),
        ("Torture #2", "torture:2"),
        ("torture p. 2", "torture:2"),
        ("torture 2-3", "torture:2-3"),
        ("torture paras 2–3", "torture:2-3"),
        ("civil society ¶4", "civil-society:4"),
        ("covid-19 2", "covid-19:2"),
        ("tortre:2", "torture:2"),
    ],
)
def test_loose_paragraph_forms_mean_the_paragraph_and_say_so(corpus: Corpus, target: str, meant: str) -> None:
    place = resolve_target(corpus, target)
    assert place.target == meant and place.kind in ("paragraph", "paragraphs")
    assert place.note == f"{target!r} read as {meant}"


@pytest.mark.parametrize(
    ("target", "kind", "canonical"),
    [
        ("torture", "section", "torture"),
        ("Civil Society", "section", "civil-society"),
        ("covid 19", "section", "covid-19"),
        ("torture:2", "paragraph", "torture:2"),
        ("torture:2-3", "paragraphs", "torture:2-3"),
        ("torture:2-2", "paragraph", "torture:2"),
        ("section:torture:3", "paragraph", "torture:3"),
        ("2020-08-12-tulesova-convicted", "event", "2020-08-12-tulesova-convicted"),
        ("entity:Tulesova", "entity", "asya-tulesova"),
        ("person:Asya Tulesova", "entity", "asya-tulesova"),
        ("Tulesova", "entity", "asya-tulesova"),
        ("asya-tulesova", "entity", "asya-tulesova"),
        ("OSCE", "entity", "osce"),
    ],
)
def test_targets_as_written_are_read_silently(corpus: Corpus, target: str, kind: str, canonical: str) -> None:
    place = resolve_target(corpus, target)
    assert (place.kind, place.target, place.note) == (kind, canonical, None)


@pytest.mark.parametrize(
    ("target", "canonical", "note"),
    [
        ("women", "violence-against-women-and-girls", "'women' read as violence-against-women-and-girls"),
        ("tulesva", "asya-tulesova", "showing Asya Tulesova (you typed 'tulesva')"),
        ("entity:Iskandar", "iskander-erimbetov", "showing Iskander Erimbetov (you typed 'Iskandar')"),
        ("Asya", "asya-tulesova", "'Asya' read as entity:Asya Tulesova"),
        ("section:tortre", "torture", "'tortre' read as section Torture (torture)"),
        (
            "bolted shut entryways",
            "covid-19:1",
            "'bolted shut entryways' read as covid-19:1, the paragraph that says it",
        ),
    ],
)
def test_loose_targets_are_read_and_said(corpus: Corpus, target: str, canonical: str, note: str) -> None:
    place = resolve_target(corpus, target)
    assert (place.target, place.note) == (canonical, note)


def test_no_target_is_the_whole_chapter(corpus: Corpus) -> None:
    place = resolve_target(corpus, None)
    assert (place.kind, place.section, place.target) == ("chapter", None, "")
    for empty in ("", "   ", "--"):
        # An argument given empty ("$UNSET") is not "nothing": it might have meant anything.
        with pytest.raises(UsageError, match="a target is needed"):
            resolve_target(corpus, empty)
    assert cite(corpus, None) == f"{REPORT}, {URL}."
    assert cite(corpus, None, "bibtex").startswith(f"% \\cite{{{KEY}}}\n@incollection{{{KEY},")
    document = json.loads(cite(corpus, None, "csl-json"))
    assert document["citation"]["citationItems"] == [{"id": KEY}] and document["place"]["kind"] == "chapter"
    assert cite(corpus, None, "pandoc") == f"[@{KEY}]"


def test_a_range_is_cited_as_paragraphs(corpus: Corpus) -> None:
    assert cite(corpus, "torture:2-3") == f"{REPORT}, section \u201cTorture,\u201d paragraphs 2\u20133, {URL}."
    document = json.loads(cite(corpus, "torture:2-3", "csl-json"))
    assert [item["id"] for item in document["items"]] == [KEY]
    assert document["citation"]["citationItems"] == [
        {"id": KEY, "locator": "2\u20133", "label": "paragraph", "suffix": ", sec. Torture"}
    ]
    assert (document["place"]["paragraph"], document["place"]["last_paragraph"]) == (2, 3)
    assert cite(corpus, "torture:2-3", "pandoc") == f"[@{KEY}, paras. 2\u20133, sec. Torture]"
    assert cite(corpus, "torture:2-3", "bibtex").startswith(f"% \\cite[paras.~2--3, sec.~Torture]{{{KEY}}}\n")


def test_a_paragraph_is_never_widened_to_its_section(corpus: Corpus) -> None:
    """Every way of writing a paragraph of every section reads as that paragraph, or is refused."""
    for section in corpus.sections:
        for number in range(1, len(section.paragraphs) + 2):
            for written in (f"{section.id}:{number}", f"{section.title} {number}", f"{section.id} para {number}"):
                try:
                    place = resolve_target(corpus, written)
                except (NotFoundError, UsageError):
                    assert number > len(section.paragraphs), written
                    continue
                assert (place.section, place.paragraph) == (section, number), written


def test_plain_section_and_paragraph(corpus: Corpus) -> None:
    assert cite(corpus, "torture") == f"{REPORT}, section \u201cTorture,\u201d {URL}."
    paragraph = cite(corpus, "torture:2")
    assert paragraph.startswith(f"{REPORT}, section \u201cTorture,\u201d paragraph 2, {URL}: \u201c")
    # A paragraph target quotes the paragraph, as plain text prints it.
    assert paragraph.endswith(f"\u201c{corpus.paragraph('torture', 2).replace(chr(0xA0), ' ')}\u201d")


def test_plain_puts_a_comma_or_full_stop_inside_closing_quotation_marks(corpus: Corpus) -> None:
    for target in (None, "torture", "torture:2", "torture:2-3", "Tulesova", "overview:1"):
        for accessed in (None, date(2021, 1, 13)):
            text = cite(corpus, target, accessed=accessed)
            assert "\u201d," not in text and "\u201d." not in text, text


def test_plain_event_quotes_the_report(corpus: Corpus) -> None:
    event = next(e for e in corpus.events if e.date == "2020-08-12")
    text = cite(corpus, event.id)
    assert text.startswith(f"{REPORT}, section \u201cCivil Society,\u201d paragraph 1, {URL}: \u201c")
    assert event.quote.replace("\u00a0", " ") in text
    assert not text.endswith(".\u201d.")


def test_bibtex(corpus: Corpus) -> None:
    entry = cite(corpus, "Tulesova", "bibtex")
    lines = entry.splitlines()
    assert lines[0] == f"% \\cite[para.~1, sec.~Civil Society]{{{KEY}}}"
    assert lines[1] == f"@incollection{{{KEY},"
    assert "  author = {{Human Rights Watch}}," in lines
    assert "  booktitle = {World Report 2021}," in lines
    assert "  address = {New York}," in lines
    assert "  year = {2021}," in lines
    assert f"  url = {{{URL}}}" in lines
    assert lines[-1] == "}"
    assert entry.count("{") == entry.count("}")


def test_every_place_is_one_entry_of_the_chapter(corpus: Corpus) -> None:
    """The place is in the hint line only: every target gives the same entry, in every style."""
    targets = [None, "torture", "torture:2", "torture:2-3", "Tulesova", "2020-08-12-tulesova-convicted"]
    entries = {cite(corpus, target, "bibtex").split("\n", 1)[1] for target in targets}
    assert len(entries) == 1
    items = {json.dumps(json.loads(cite(corpus, target, "csl-json"))["items"]) for target in targets}
    assert len(items) == 1
    assert {cite(corpus, target, "pandoc").split(",")[0].strip("[]") for target in targets} == {f"@{KEY}"}


def test_bibtex_escapes_its_special_characters() -> None:
    assert bibtex_escape("50% & {x}_#$~^\\") == r"50\% \& \{x\}\_\#\$\~{}\^{}\textbackslash{}"


def test_csl_json(corpus: Corpus) -> None:
    document: dict[str, Any] = json.loads(cite(corpus, "torture:2", "csl-json"))
    assert set(document) == {"items", "citation", "place"}
    [item] = document["items"]
    assert item["id"] == KEY and item["type"] == "chapter"
    assert item["title"] == "Kazakhstan: Events of 2020"
    assert item["container-title"] == "World Report 2021"
    assert item["author"] == [{"literal": "Human Rights Watch"}]
    assert item["issued"] == {"date-parts": [[2021]]}
    assert (item["URL"], item["publisher-place"]) == (URL, "New York")
    assert "accessed" not in item
    assert document["citation"] == {
        "citationItems": [{"id": KEY, "locator": "2", "label": "paragraph", "suffix": ", sec. Torture"}],
        "properties": {"noteIndex": 0},
    }
    assert document["place"]["target"] == "torture:2" and document["place"]["paragraph"] == 2
    assert document["place"]["quote"] == corpus.paragraph("torture", 2)
    section = json.loads(cite(corpus, "torture", "csl-json"))["citation"]["citationItems"]
    assert section == [{"id": KEY, "locator": "Torture", "label": "section"}]


def test_the_access_date_is_in_every_style(corpus: Corpus) -> None:
    day = date(2021, 1, 13)
    assert cite(corpus, "torture", accessed=day).endswith(f"{URL}, accessed January 13, 2021.")
    assert "  urldate = {2021-01-13}" in cite(corpus, "torture", "bibtex", accessed=day).splitlines()
    [item] = json.loads(cite(corpus, "torture", "csl-json", accessed=day))["items"]
    assert item["accessed"] == {"date-parts": [[2021, 1, 13]]}


@pytest.mark.parametrize("typed", ["2021-02-30", "20210113", "2021-1-13", "13/01/2021", "today", ""])
def test_cli_a_bad_access_date_is_bad_usage(typed: str) -> None:
    done = run_main(["cite", "torture", "--accessed", typed])
    assert (done.code, done.out) == (2, "")
    assert done.err_lines == [f"kz: --accessed {typed!r}: give the day as YYYY-MM-DD, e.g. 2021-01-13"]


def test_cli_pandoc_style_writes_the_bibliography_to_bib(tmp_path: Path) -> None:
    bib = tmp_path / "kz.json"
    done = run_main(["cite", "torture:2", "--style", "pandoc", "--bib", str(bib), "--accessed", "2021-01-13"])
    assert (done.code, done.out) == (0, f"[@{KEY}, para. 2, sec. Torture]\n")
    assert done.err_lines == [f"kz: wrote the bibliography (CSL-JSON, key {KEY}) to {bib}"]
    [item] = json.loads(bib.read_text(encoding="utf-8"))
    assert item["id"] == KEY and item["accessed"] == {"date-parts": [[2021, 1, 13]]}
    again = run_main(["cite", "torture:3", "--style", "pandoc", "--bib", str(bib)])
    assert again.code == 2 and "already exists; use --force" in again.err
    assert run_main(["cite", "torture:3", "--bib", str(bib), "--force"]).code == 0
    tex = tmp_path / "kz.bib"
    assert run_main(["cite", "--bib", str(tex)]).code == 0
    assert tex.read_text(encoding="utf-8").startswith(f"@incollection{{{KEY},")
    stdout = run_main(["cite", "--bib", "-"])
    assert (stdout.code, stdout.out) == (2, "") and "--bib takes a file" in stdout.err
    alone = run_main(["cite", "torture:2", "--style", "pandoc", "--accessed", "2021-01-13"])
    assert (alone.code, alone.err_lines) == (
        2,
        ["kz: --accessed with --style pandoc goes in the bibliography: give --bib FILE too"],
    )


def test_cli_cite_and_exit_codes() -> None:
    done = run_main(["cite", "torture:2"])
    assert done.code == 0 and done.out.startswith(f"{REPORT}, section \u201cTorture,\u201d paragraph 2, {URL}: ")
    assert run_main(["cite", "torture", "--style", "bibtex"]).out.startswith(
        f"% \\cite[sec.~Torture]{{{KEY}}}\n@incollection{{{KEY},"
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
        assert place.section is not None and place.note is None
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
    assert cite(corpus, "overview:1").startswith(f"{REPORT}, untitled opening, paragraph 1, {URL}: \u201cPresident")
    assert cite(corpus, "photo:1").startswith(f"{REPORT}, photo caption and credit, paragraph 1, {URL}: ")
    assert "Overview" not in cite(corpus, "overview:1", "bibtex")
    assert cite(corpus, "overview:1", "pandoc") == f"[@{KEY}, para. 1, untitled opening]"


def test_plain_nests_quotation_marks_and_keeps_apostrophes(corpus: Corpus) -> None:
    assert "of \u2018disseminating knowingly false information\u2019 for" in cite(corpus, "Ilyashev")
    aolain = cite(corpus, "N\u00ed Aol\u00e1in")
    assert "\u2018seriously concerned about the use of the term \u201cextremism\u201d in national" in aolain
    assert "Tokaev\u2019s promises" in cite(corpus, "Tokayev")


def test_pandoc_escapes_what_markdown_would_read(corpus: Corpus) -> None:
    from kzcli.citation import pandoc, work_of
    from kzcli.cite import Place
    from kzcli.corpus import Section

    odd = Section("odd", "Laws [draft]; @home *new*", ("text",))
    text = pandoc(corpus, Place("section", "odd", odd, None, None, None), work_of(corpus))
    assert text == f"[@{KEY}, sec. Laws \\[draft\\]\\; \\@home \\*new\\*]"


def test_plain_citations_print_no_break_spaces_as_spaces(corpus: Corpus) -> None:
    assert "police and using" in cite(corpus, "Tulesova")
    csl = cite(corpus, "Tulesova", "csl-json")
    assert "police\\u00a0and using" in csl or "police\u00a0and using" in csl


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("as \u201cextremist.\u201d", "as \u2018extremist.\u2019"),
        ("a \u201cb \u2018c\u2019 d\u201d e", "a \u2018b \u201cc\u201d d\u2019 e"),
        # Apostrophes, elisions and a single-quoted phrase already one level in stay as they are.
        ("Kazakhstan\u2019s \u2018own\u2019 the \u201890s", "Kazakhstan\u2019s \u2018own\u2019 the \u201890s"),
    ],
)
def test_quotation_marks_nest_one_level_in(text: str, plain: str) -> None:
    assert nest_quotes(text) == plain


def test_a_quote_ending_in_a_full_stop_ends_the_citation(corpus: Corpus) -> None:
    koshe = cite(corpus, "2020-05-koshe-party-banned")
    assert koshe.endswith("as \u2018extremist.\u2019\u201d")


# --- the grammar on the command line, for cite and read alike ----------------------------


@pytest.mark.parametrize("written", ["torture 2", "torture/2", "torture ¶2", "torture para 2"])
def test_cli_loose_paragraphs_read_one_paragraph_and_say_so(written: str) -> None:
    cited = run_main(["cite", written])
    assert cited.code == 0 and cited.out.startswith(f"{REPORT}, section \u201cTorture,\u201d paragraph 2, {URL}: ")
    assert cited.err_lines == [f"kz: {written!r} read as torture:2"]
    read = run_main(["read", written, "--json"])
    document = json.loads(read.out)
    assert [(r["section"], r["paragraph"]) for r in document["records"]] == [("torture", 2)]
    assert document["query"]["resolved"] == "torture:2" and document["query"]["correction"] is not None
    assert read.err_lines == [f"kz: {written!r} read as torture:2"]


def test_cli_a_phrase_that_is_no_target_is_refused() -> None:
    for command in ("cite", "read"):
        done = run_main([command, "torture chamber"])
        assert (done.code, done.out) == (1, "")
        assert done.err_lines == [
            "kz: 'torture chamber' names no place in the report: give SECTION, SECTION:N, SECTION:N-M, an event id, "
            "entity:NAME, or nothing for the whole chapter; closest sections: torture"
        ]


def test_cli_no_target_is_the_chapter() -> None:
    cited = run_main(["cite"])
    assert (cited.code, cited.out, cited.err) == (0, f"{REPORT}, {URL}.\n", "")
    read = run_main(["read", "--json"])
    records = json.loads(read.out)["records"]
    assert (
        len(records) == 34 and records[0]["section"] == "photo" and records[-1]["section"] == "key-international-actors"
    )
    plain = run_main(["read"]).out.splitlines()
    assert plain[0].startswith("photo ¶1\t") and len(plain) == 34


def test_cli_read_a_range_an_entity_and_an_event() -> None:
    span = json.loads(run_main(["read", "torture:2-3", "--json"]).out)["records"]
    assert [r["paragraph"] for r in span] == [2, 3]
    parliament = json.loads(run_main(["read", "entity:parliament", "--json"]).out)["records"]
    assert [(r["section"], r["paragraph"]) for r in parliament] == [
        ("labor-rights", 1),
        ("violence-against-women-and-girls", 1),
        ("sexual-orientation-and-gender-identity", 1),
    ]
    event = json.loads(run_main(["read", "2020-08-12-tulesova-convicted", "--json"]).out)["records"]
    assert [(r["section"], r["paragraph"]) for r in event] == [("civil-society", 1)]


def test_cli_words_of_one_section_are_said() -> None:
    done = run_main(["cite", "women"])
    assert done.code == 0 and "Violence against Women and Girls" in done.out
    assert done.err_lines == ["kz: 'women' read as violence-against-women-and-girls"]
    labour = run_main(["cite", "labour"])
    assert labour.code == 1 and "section:labor-rights; entity:International Labour Organization" in labour.err


def test_a_section_filter_read_loosely_is_said() -> None:
    done = run_main(["people", "--section", "women", "--json"])
    assert done.code == 1  # no person is named there
    assert done.err_lines[0] == (
        "kz: --section 'women' read as section Violence against Women and Girls (violence-against-women-and-girls)"
    )
    assert json.loads(done.out)["query"]["section"] == "violence-against-women-and-girls"
    exact = run_main(["people", "--section", "torture"])
    assert exact.code == 0 and exact.err == ""
    widened = run_main(["timeline", "--section", "torture chamber"])
    assert widened.code == 1 and "no section matches 'torture chamber'" in widened.err


@pytest.mark.parametrize(
    ("typed", "section", "match"),
    [
        ("torture", "torture", "exact"),
        ("Freedom of Expression", "freedom-of-expression", "exact"),
        ("covid 19", "covid-19", "exact"),
        ("women", "violence-against-women-and-girls", "words"),
        ("covid", "covid-19", "words"),
        ("tort", "torture", "prefix"),
        ("freedom of expr", "freedom-of-expression", "prefix"),
        ("labour", "labor-rights", "spelling"),
        ("labor right", "labor-rights", "prefix"),
        ("the arrest", "arrest-and-harassment-of-opposition-members", "words"),
    ],
)
def test_sections_by_words_of_their_titles(corpus: Corpus, typed: str, section: str, match: str) -> None:
    from kzcli.sections import find_section, read_as

    found = find_section(corpus, typed)
    assert (found.section.id, found.match) == (section, match)
    assert (read_as(typed, found) is None) == (match == "exact")


@pytest.mark.parametrize(
    ("typed", "message"), [("rights", "could be several"), ("torture chamber", "no section matches")]
)
def test_sections_never_guessed(corpus: Corpus, typed: str, message: str) -> None:
    from kzcli.sections import find_section

    with pytest.raises(NotFoundError, match=message):
        find_section(corpus, typed)


_TARGET_TEXT = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda section, sep, n, m: f"{section}{sep}{n}{m}",
        st.sampled_from(["torture", "Torture", "civil society", "covid-19", "tortre", "freedom", "xyz", ""]),
        st.sampled_from([":", " ", "/", " ¶", "#", " para ", "::", ": "]),
        st.integers(min_value=-2, max_value=12),
        st.sampled_from(["", "-3", "–2", "-", "x", ".5"]),
    ),
)


@settings(max_examples=examples(300), deadline=None)
@given(_TARGET_TEXT)
def test_any_target_is_a_place_or_one_clear_refusal(text: str) -> None:
    from kzcli.loading import load

    corpus = load()
    try:
        place = resolve_target(corpus, text)
    except (UsageError, NotFoundError) as refused:
        assert "\n" not in refused.message
        return
    # A place read from a paragraph form is that paragraph (or range), never its whole section:
    # a section comes only from a target that is its id or title ("covid 19").
    if re.search(r"\d\s*$", text.strip()) and place.kind == "section":
        from kzcli.sections import exact_section

        assert exact_section(corpus, text) == place.section, text


def test_another_chapter_is_cited_without_this_one_s_address(raw_corpus: dict[str, Any]) -> None:
    """The address and place of publication are known for the chapter kz ships, not guessed for another."""
    import copy

    from kzcli.document import build

    document = copy.deepcopy(raw_corpus)
    document["report"]["country"] = "Kyrgyzstan"
    document["report"]["title"] = "Kyrgyzstan: Events of 2020"
    other = build(document, "other.json")
    assert cite(other, "torture") == (
        "Human Rights Watch, \u201cKyrgyzstan: Events of 2020,\u201d in World Report 2021 "
        "(Human Rights Watch, 2021), section \u201cTorture.\u201d"
    )
    [item] = json.loads(cite(other, "torture", "csl-json"))["items"]
    assert item["id"] == "hrw2021-kyrgyzstan" and "URL" not in item and "publisher-place" not in item
    assert "url =" not in cite(other, "torture", "bibtex") and "address =" not in cite(other, "torture", "bibtex")


@pytest.mark.parametrize(
    ("target", "example"), [("labor", "'entity:International Labour Organization'"), ("in prison", "civil-society:5")]
)
@pytest.mark.parametrize("command", ["read", "cite"])
def test_an_ambiguous_target_is_answered_with_the_command_that_asked(target: str, example: str, command: str) -> None:
    """The trial's: `kz read labor` suggested a `kz cite` command."""
    done = run_main([command, target])
    assert done.code == 1 and len(done.err_lines) == 1
    assert done.err_lines[0].endswith(f"say which, e.g. `kz {command} {example}`")
    pasted = run_main([command, example.strip("'")])
    assert pasted.code == 0


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2019-01-01", "kz: --accessed 2019-01-01 is before the chapter was published (2021)"),
        ("2020-12-31", "kz: --accessed 2020-12-31 is before the chapter was published (2021)"),
        ("2099-01-01", "is in the future (today is "),
    ],
)
def test_an_accessed_day_the_chapter_could_not_have_been_read_is_refused(day: str, message: str) -> None:
    """The trial's: --accessed 2019-01-01 and 2099-01-01 were printed in the citation."""
    done = run_main(["cite", "torture:1", "--accessed", day])
    assert (done.code, done.out) == (2, "")
    assert len(done.err_lines) == 1 and message in done.err_lines[0]


def test_the_accessed_window_is_the_publication_year_to_today(corpus: Corpus) -> None:
    from kzcli.citation import accessed_between

    today = date(2022, 3, 1)
    assert accessed_between(corpus, date(2021, 1, 1), today) == date(2021, 1, 1)
    assert accessed_between(corpus, date(2022, 3, 2), today) == date(2022, 3, 2)  # a calendar a day ahead
    with pytest.raises(UsageError, match="in the future"):
        accessed_between(corpus, date(2022, 3, 3), today)


@pytest.mark.parametrize("command", ["read", "cite"])
def test_a_mistyped_whole_title_is_the_section_not_a_name_it_is_a_word_of(command: str) -> None:
    """``tortre`` was asked about: the Torture section, or the Coalition Against Torture (one word of its name)."""
    done = run_main([command, "tortre"])
    assert done.code == 0 and done.err_lines == ["kz: 'tortre' read as torture"]
    said = run_main(["read", "torture"]).out if command == "read" else "section “Torture,”"
    assert said in done.out


def test_a_word_of_a_section_title_and_of_a_name_is_still_asked_about() -> None:
    """ "labor" is one word of "Labor Rights" and of the International Labour Organization: neither typed whole."""
    done = run_main(["read", "labor"])
    assert (
        done.code == 1
        and "could be several: section:labor-rights; entity:International Labour Organization" in done.err
    )


def test_an_entity_s_paragraphs_name_their_section_in_plain_lines() -> None:
    """``kz read Tulesova`` printed "¶1" alone: an entity's target does not say which section that is."""
    done = run_main(["read", "Tulesova"])
    assert done.code == 0 and done.out.startswith("civil-society ¶1\tOn August 12")
    assert run_main(["read", "torture:2"]).out.startswith("¶2\t")
    assert run_main(["read", "2020-08-12-tulesova-convicted"]).out.startswith("civil-society ¶1\t")


@pytest.mark.parametrize(
    ("typed", "section"), [("disabilities", "disability-rights"), ("refugee", "asylum-seekers-and-refugees")]
)
def test_another_form_of_a_title_word_is_read_as_its_section(typed: str, section: str) -> None:
    """``kz read disabilities`` named no place, where ``disability`` was read as the section."""
    done = run_main(["read", typed])
    assert done.code == 0 and done.err_lines == [f"kz: {typed!r} read as {section}"]
