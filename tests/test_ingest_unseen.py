"""kz ingest on chapters it was not built on (issue 13): each failure pattern seen on other World Report
chapters, reproduced on short text written for these tests in HRW's style (no real chapter's sentence;
the country, people and bodies are invented, apart from a few names anyone knows)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kzcli.dates import find_dates, relative_dates
from kzcli.errors import UsageError
from kzcli.ingest import draft, ingest
from kzcli.layout import parse_chapter, reflow
from kzcli.scan import lower_case_words

from .kzprocess import run_main

# An older edition's layout: "World Report 2031" and a contents trail, no "Events of YEAR" line,
# all-caps headings, a parent heading straight above a subheading, a heading ending in ":".
OLD_LAYOUT = """World Report 2031
Table of Contents > Europe & Central Asia >

Freedonia

HUMAN RIGHTS DEVELOPMENTS

Freedonia's government tightened its grip in 2030, and people who spoke out were punished. Freedonian \
President Otto Kalm dismissed his critics, and Deputy Interior Minister Arman Doszhan ordered police to close \
the independent station Zeta-Plus and Zeta FM radio. The Lantern International group and Amnesty International \
protested. Challengers to Kalm were jailed. His brother, Beknur, fled.

The government had shown "early promise." When President Kalm visited the White House in late 2029 and early \
2030, President George W. Bush praised him. U.S. Deputy Assistant Secretary of State Lynn Paske visited in \
August and September 2030. Congress debated the Miller-Okafor amendment and the International Covenant on \
Economic, Social and Cultural Rights, and human rights groups wrote to it.

Human Rights Watch obtained documents showing that the Ministry of Internal Affairs--which runs the prisons--held \
members of Hizb ut-Tahrir and of the Free People's Party. The People's Democratic Party of Freedonia (PDPF) and \
Radio Free Europe/Radio Liberty (RFE/RL) reported arrests on February 15-16 and between election day on June 9 \
and June 13.

On October 27, 2029 police beat Kalm's critic Ida Marr; she was released on November 16. The same month, a court \
fined her. Days later, she left. Since the beginning of 2030, and since late 2028, the newspaper "Let Us Talk" has \
been shut. A report, "Silenced Voices: Freedonia After March 2030," described the abuses.

The Role of the International Community

United Nations

The UN rapporteur visited Guantánamo Bay and the United Kingdom in May.

Recommendations:
Release Ida Marr
Repeal the Media Law
"""


@pytest.fixture(scope="module")
def drafted() -> tuple[dict[str, Any], list[str]]:
    return draft(OLD_LAYOUT, "freedonia-2030.txt")


def _types(document: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["type"] for e in document["entities"]}


def _entity(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [e for e in document["entities"] if e["name"] == name]
    assert len(found) == 1, name
    return found[0]


# --- 1. a run of capitalised words, or a hyphenated token, is not a person by that alone ----------------------


def test_stations_bodies_places_laws_and_titles_are_not_people(drafted: tuple[dict[str, Any], list[str]]) -> None:
    types = _types(drafted[0])
    assert types["Zeta-Plus"] == "organization"  # "the independent station Zeta-Plus"
    assert types["Zeta FM"] == "organization"
    assert types["Lantern International"] == types["Amnesty International"] == "organization"
    assert types["White House"] == "organization"
    assert types["Guantánamo Bay"] == types["United Kingdom"] == "place"
    assert types["Miller-Okafor"] == "law"  # "the Miller-Okafor amendment"
    assert types["International Covenant on Economic, Social and Cultural Rights"] == "law"
    assert types["Free People's Party"] == "organization"
    people = {name for name, kind in types.items() if kind == "person"}
    assert people == {"Otto Kalm", "Arman Doszhan", "George W. Bush", "Lynn Paske", "Ida Marr", "Beknur"}
    assert "Let Us Talk" not in types and not any("Silenced" in name for name in types)  # titles, not names


# --- 2. titles go into the role; initials stay in the name -----------------------------------------------------


def test_titles_are_stripped_into_the_role(drafted: tuple[dict[str, Any], list[str]]) -> None:
    document = drafted[0]
    assert "Deputy Interior Minister" in _entity(document, "Arman Doszhan")["role"]
    assert "Deputy Assistant Secretary of State" in _entity(document, "Lynn Paske")["role"]
    assert "Freedonian President" in _entity(document, "Otto Kalm")["role"]
    assert _entity(document, "George W. Bush")["type"] == "person"


# --- 3. the type follows the evidence of every mention, not one word before one ----------------------------------


def test_a_surname_after_to_stays_the_persons(drafted: tuple[dict[str, Any], list[str]], tmp_path: Path) -> None:
    document = drafted[0]
    kalm = _entity(document, "Otto Kalm")
    assert kalm["type"] == "person" and kalm["aliases"] == ["Kalm"]  # "Challengers to Kalm"
    assert _entity(document, "Beknur")["type"] == "person"  # "His brother, Beknur"
    corpus = tmp_path / "draft.json"
    corpus.write_text(json.dumps(document), encoding="utf-8")
    found = run_main(["--data", str(corpus), "person", "Kalm", "--json"])
    assert found.code == 0 and json.loads(found.out)["records"][0]["name"] == "Otto Kalm"


# --- 4. a sentence after a closing quote opens with any capitalised word ---------------------------------------


def test_a_sentence_after_a_closing_quote(drafted: tuple[dict[str, Any], list[str]]) -> None:
    names = _types(drafted[0])
    assert not any(name.startswith("When") for name in names)
    quote = next(m["quote"] for m in _entity(drafted[0], "Otto Kalm")["mentions"] if "White House" in m["quote"])
    assert quote.startswith("When President Kalm visited")


# --- 5. range forms and open ranges ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("In late 2029 and early 2030, officials fled.", [("2029", "2030", False, "late 2029 and early 2030")]),
        ("He visited in August and September 2030.", [("2030-08", "2030-09", False, "August and September 2030")]),
        ("Arrests on February 15-16 followed.", [("2030-02-15", "2030-02-16", False, "February 15-16")]),
        (
            "Between election day on June 9 and June 13, dozens were held.",
            [("2030-06-09", "2030-06-13", False, "Between election day on June 9 and June 13")],
        ),
        ("Since the beginning of 2030, it has been shut.", [("2030", None, True, "Since the beginning of 2030")]),
        ("It has been shut since late 2028.", [("2028", None, True, "since late 2028")]),
        ("In March and in July, nothing.", [("2030-03", None, False, "March"), ("2030-07", None, False, "July")]),
    ],
)
def test_range_forms(paragraph: str, expected: list[tuple[str, str | None, bool, str]]) -> None:
    assert [(c.date, c.end, c.ongoing, c.date_text) for c in find_dates(paragraph, 2030)] == expected


# --- 6. years from the paragraph, relative dates, titles of publications ---------------------------------------


def test_a_year_carries_from_the_full_date_before_it() -> None:
    dates = find_dates("On October 27, 2029 police beat her; she was released on November 16.", 2030)
    assert [(c.date, c.inferred) for c in dates] == [("2029-10-27", None), ("2029-11-16", "year")]
    # A month earlier in the calendar than the full date before it is in the next year, never past the chapter's.
    later = find_dates("On December 27, 2029 he was held; in March he was tried.", 2030)
    assert [(c.date, c.inferred) for c in later] == [("2029-12-27", None), ("2030-03", "year")]
    ranged = find_dates("On May 2, 2029 he was held. From June 3 to June 9 he was beaten.", 2030)
    assert [(c.date, c.end, c.inferred) for c in ranged][1] == ("2029-06-03", "2029-06-09", "year")


def test_relative_dates_are_read_from_their_anchor_or_left_out(drafted: tuple[dict[str, Any], list[str]]) -> None:
    by_text = {e["date_text"]: e for e in drafted[0]["events"]}
    assert (by_text["The same month"]["date"], by_text["The same month"]["inferred"]) == ("2029-11", "month")
    assert by_text["Days later"]["date"] == "2029-11" and by_text["Days later"]["date_note"] == "relative-dates"
    assert "relative-dates" in {n["id"] for n in drafted[0]["notes"]}
    resolved, left = relative_dates("Days later, she left.", [])
    assert resolved == [] and left == [("Days later", left[0][1])] and "no date before it" in left[0][1]


def test_a_quoted_title_is_no_event(drafted: tuple[dict[str, Any], list[str]]) -> None:
    document = drafted[0]
    assert not any("March 2030" in e["date_text"] for e in document["events"])
    titles = {item["text"] for item in document["left_out"] if item["kind"] == "name"}
    assert titles == {"Let Us Talk", "Silenced Voices: Freedonia After March 2030"}


def test_every_dated_event_of_the_chapter(drafted: tuple[dict[str, Any], list[str]]) -> None:
    found = [(e["date"], e["end"], e["ongoing"], e["inferred"]) for e in drafted[0]["events"]]
    assert found == [
        ("2030", None, False, None),
        ("2029", "2030", False, None),
        ("2030-08", "2030-09", False, None),
        ("2030-02-15", "2030-02-16", False, None),
        ("2030-06-09", "2030-06-13", False, None),
        ("2029-10-27", None, False, None),
        ("2029-11-16", None, False, "year"),
        ("2029-11", None, False, "month"),
        ("2029-11", None, False, "month"),
        ("2030", None, True, None),
        ("2028", None, True, None),
        ("2030-05", None, False, None),
    ]


# --- 7. structure -------------------------------------------------------------------------------------------


def test_parent_headings_subheadings_and_a_heading_with_its_list() -> None:
    chapter = parse_chapter(OLD_LAYOUT)
    assert (chapter.country, chapter.year, chapter.year_source) == ("Freedonia", 2030, "series-line")
    assert chapter.headings == [
        ("HUMAN RIGHTS DEVELOPMENTS", 1),
        ("The Role of the International Community", 1),
        ("United Nations", 2),
        ("Recommendations:", 1),
    ]
    assert (
        "The Role of the International Community",
        "read as a parent heading: the heading after it is its subheading",
    ) in (chapter.doubts)
    assert [(s[1], len(s[2])) for s in chapter.sections] == [
        ("HUMAN RIGHTS DEVELOPMENTS", 4),
        ("United Nations", 1),
        ("Recommendations:", 2),
    ]


def test_the_parent_heading_is_not_an_organisation(drafted: tuple[dict[str, Any], list[str]]) -> None:
    assert "The Role of the International Community" not in _types(drafted[0])
    assert not any(s["title"] == "The Role of the International Community" for s in drafted[0]["sections"])


def _wrapped(text: str, width: int = 78) -> str:
    import textwrap

    return "\r\n".join(w for line in text.splitlines() for w in (textwrap.wrap(line, width) or [""])) + "\r\n"


def test_hard_wrapped_crlf_text_reads_as_the_same_chapter() -> None:
    wrapped = parse_chapter(_wrapped(OLD_LAYOUT))
    assert wrapped.sections == parse_chapter(OLD_LAYOUT).sections
    assert any(what == "the text" and why.startswith("hard-wrapped") for what, why in wrapped.doubts)
    assert ingest(_wrapped(OLD_LAYOUT), "f.txt")["events"] == ingest(OLD_LAYOUT, "f.txt")["events"]


def test_reflow_joins_a_word_broken_after_its_hyphen() -> None:
    lines = [
        "Thousands of people came to an opposition rally in the capital's main square in mid-",
        "September, and police detained dozens of them before and after it, their lawyers said.",
        "The end.",
    ]
    assert "in mid-September, and police" in reflow(lines)[0]


def test_all_caps_layout() -> None:
    upper = "FREEDONIA\nEVENTS OF 2030\n\nFREEDOM OF MEDIA\n\nON MAY 3, POLICE DETAINED TEN PEOPLE.\n"
    chapter = parse_chapter(upper)
    assert (chapter.country, chapter.year) == ("FREEDONIA", 2030)
    assert chapter.headings == [("FREEDOM OF MEDIA", 1)] and chapter.sections[0][1] == "FREEDOM OF MEDIA"


def test_a_chapter_with_no_year_line_asks_for_the_year() -> None:
    text = "Freedonia\n\nFreedom of Media\n\nPolice detained ten people on May 3.\n"
    with pytest.raises(UsageError, match="--year"):
        parse_chapter(text)
    assert ingest(text, "f.txt", 2030)["events"][0]["date"] == "2030-05-03"


# --- 8. organisations' boundaries -----------------------------------------------------------------------------


def test_organisation_boundaries(drafted: tuple[dict[str, Any], list[str]]) -> None:
    document = drafted[0]
    types = _types(document)
    assert _entity(document, "People's Democratic Party of Freedonia")["aliases"] == ["PDPF"]
    assert types["Hizb ut-Tahrir"] == "organization"
    assert _entity(document, "Radio Free Europe/Radio Liberty")["aliases"] == ["RFE/RL"]
    assert types["Human Rights Watch"] == "organization" and "Rights Watch" not in types
    assert types["Ministry of Internal Affairs"] == "organization"
    assert not any(name in types for name in ("RFE", "RL", "Democratic Party of Freedonia", "Hizb", "Tahrir"))


# --- 5 (deliverable). what kz was unsure of ---------------------------------------------------------------


def test_the_review_list_says_what_kz_was_unsure_of(drafted: tuple[dict[str, Any], list[str]]) -> None:
    document, review = drafted
    assert any("no 'Events of YEAR' line" in item for item in review)
    assert any(item.startswith("date 'November 16'") and "year inferred" in item for item in review)
    assert any(item.startswith("date 'Days later'") for item in review)
    note = next(n for n in document["notes"] if n["id"] == "review-first")
    assert all(item in note["text"] for item in review)


def test_cli_year_and_report(tmp_path: Path) -> None:
    chapter = tmp_path / "old.txt"
    chapter.write_text(OLD_LAYOUT.replace("World Report 2031\n", ""), encoding="utf-8")
    refused = run_main(["ingest", str(chapter), "-o", str(tmp_path / "a.json")])
    assert refused.code == 2 and "--year YEAR" in refused.err and "Traceback" not in refused.err
    done = run_main(["ingest", str(chapter), "-o", str(tmp_path / "b.json"), "--year", "2030", "--report"])
    assert done.code == 0, done.err
    assert done.err_lines[0].startswith(f"kz: wrote {tmp_path / 'b.json'}: ")
    assert any(line.startswith("kz: review: date 'November 16'") for line in done.err_lines[1:])
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["report"]["period"] == "2030"


# --- 4 (done when). no crash on any input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (OLD_LAYOUT.encode("utf-16"), 0),
        (OLD_LAYOUT.encode("utf-16-be"), 2),  # no byte order mark: not UTF-8, said so
        (_wrapped(OLD_LAYOUT).encode("utf-8"), 0),
        (OLD_LAYOUT.upper().encode("utf-8"), 0),  # "WORLD REPORT 2031" read as the year line
        (b"", 2),
        (b"\r\n\r\n", 2),
        (b"World Report 2031\r\n", 2),
    ],
)
def test_no_traceback_on_any_input(tmp_path: Path, content: bytes, code: int) -> None:
    chapter = tmp_path / "chapter.txt"
    chapter.write_bytes(content)
    done = run_main(["ingest", str(chapter), "-o", str(tmp_path / "out.json")])
    assert done.code == code, done.err
    assert "Traceback" not in done.err and done.err.startswith("kz: ")
    if code == 2:
        assert len(done.err_lines) == 1


def test_all_caps_chapter_with_a_year_given(tmp_path: Path) -> None:
    chapter = tmp_path / "caps.txt"
    chapter.write_text(OLD_LAYOUT.upper(), encoding="utf-8")
    done = run_main(["ingest", str(chapter), "-o", str(tmp_path / "out.json"), "--year", "2030"])
    assert done.code == 0, done.err
    assert run_main(["validate", str(tmp_path / "out.json")]).code == 0


def test_sentence_openers_are_read_from_the_text_vocabulary() -> None:
    # "Release" opens a list item; the text writes "released", so it is an ordinary word, not a name's.
    assert "released" in lower_case_words(OLD_LAYOUT)
    assert "Release Ida Marr" not in _types(ingest(OLD_LAYOUT, "f.txt"))


APPOSITIONS = """Freedonia
Events of 2030

Media

According to Nightjar, a local media watchdog, courts fined 12 outlets. Kesh, a blogger, was detained for \
discussing Islam on Whatsapp. Nightjar's Supreme Court appeal failed in May.
"""


def test_what_follows_a_name_types_it_and_a_possessive_ends_it() -> None:
    types = _types(ingest(APPOSITIONS, "f.txt"))
    assert types["Nightjar"] == "organization"  # "a local media watchdog"
    assert types["Kesh"] == "person"  # "a blogger"
    assert "Islam on Whatsapp" not in types  # "on" joins a body's name ("Rapporteur on ..."), not any two words
    assert types["Supreme Court"] == "organization" and "Nightjar's Supreme Court" not in types


REPORTS_LIST = """World Report 2031
Table of Contents > Europe & Central Asia >

Freedonia

HUMAN RIGHTS DEVELOPMENTS

Map

Police detained the activist Ida Marr in May.

Relevant Human Rights Watch Reports:

Silenced Voices: Religious Persecution in Freedonia After March 2030, 4/30
"""


def test_a_map_link_is_furniture_and_a_list_of_reports_names_no_one() -> None:
    chapter = parse_chapter(REPORTS_LIST)
    assert chapter.headings == [("HUMAN RIGHTS DEVELOPMENTS", 1), ("Relevant Human Rights Watch Reports:", 1)]
    assert "Map" in chapter.furniture
    document = ingest(REPORTS_LIST, "f.txt")
    assert [e["date_text"] for e in document["events"]] == ["May"]
    assert set(_types(document)) == {"Ida Marr"}
    assert [item["text"] for item in document["left_out"]] == [
        "Silenced Voices: Religious Persecution in Freedonia After March 2030, 4/30"
    ]


def test_a_title_alone_names_no_one() -> None:
    text = (
        "Freedonia\nEvents of 2030\n\nPolitics\n\nThe Prime Minister and the Deputy Foreign Minister resigned in May.\n"
    )
    assert _types(ingest(text, "f.txt")) == {}


def test_only_an_appositions_head_noun_types_a_name() -> None:
    body = "In Zorvat, a journalist was beaten, police said. Nightjar, a watchdog, said so."
    text = f"Freedonia\nEvents of 2030\n\nMedia\n\n{body}\n"
    types = _types(ingest(text, "f.txt"))
    assert types["Zorvat"] == "place" and types["Nightjar"] == "organization"


def test_a_stray_closing_quote_does_not_hide_a_title() -> None:
    from kzcli.scan import quoted_titles

    text = (
        'It showed promise." Then a report, "Silenced Voices: Persecution After May 2030," came out. "A" Big Word "B"'
    )
    assert [text[a:b] for a, b in quoted_titles(text)] == ['"Silenced Voices: Persecution After May 2030,"']
    assert find_dates(text, 2030, quoted_titles(text)) == []


@pytest.mark.parametrize(
    ("routine", "unit"),
    [
        ("titles", '"Abc Def" x "Ghi" '),
        ("titles", 'x." Abc Def '),
        ("relative", "On May 3 it rained. Days later, the same month, "),
        ("names", "Dr. Abc W. Def, a watchdog, of Ghi's Party and Jkl ut-Mno "),
        ("names", "Envoy for Abc while Def Ghi in Jkl and Mno Agreement U.N. Council of Pqr (Stu) Party "),
        ("dates", "IN MAY 3, In 2029, he had gone in June. At time of writing 2028-2029 "),
        ("layout", "Abc Def\n\nGhi jkl mno pqr stu vwx yz abc def ghi jkl mno pqr stu vwx yz abc def ghi jk\n"),
    ],
)
def test_new_rules_stay_linear_in_the_texts_length(routine: str, unit: str) -> None:
    """Each rule added for unseen chapters reads a paragraph (or a chapter) once, whatever it holds."""
    from functools import partial

    from kzcli import naming, scan

    from .growth import LIMIT, growth

    def layout(text: str) -> object:
        return parse_chapter(f"Freedonia\nEvents of 2030\n\n{text}x.\n")

    work = {
        "titles": scan.quoted_titles,
        "relative": lambda text: relative_dates(text, find_dates(text, 2030)),
        "names": lambda text: naming.name_runs(text, frozenset()),
        "dates": lambda text: find_dates(text, 2030),
        "layout": layout,
    }[routine]
    ratio = growth(lambda n: partial(work, unit * n), max(1, 8000 // len(unit)))
    assert ratio < LIMIT, f"16 times the input took {ratio:.0f} times as long (quadratic is ~256)"


def test_events_and_places_named_by_the_word_after_are_not_people() -> None:
    body = "After the Amber Revolution, police in the Kora Sena district and the Vel Tor region detained 12 people."
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nUnrest\n\n{body}\n", "f.txt"))
    assert types == {"Amber Revolution": "organization", "Kora Sena": "place", "Vel Tor": "place"}


# --- offices, translated names, agreements, platforms, short mentions (measured on the chapter) ----------------

SHORT_MENTIONS = """Freedonia
Events of 2030

Politics

Authorities pursued migrants and journalists, citing smuggling and threats to press freedom. In March, the \
United Nations Special Rapporteur for Protecting Migrants while Countering Smuggling Teodor Braun visited \
Freedonia. The Union for Cooperation in Europe (UCE) Representative on Press Freedom Ilse Varga criticized the \
arrests. Freedonia and the European Union signed a Stronger Trade and Transit Agreement in April; the Criminal \
Code and Civil Code were not amended.

In May the opposition Zhol (Road) Party was banned. Dozens of Road Party members were fined. A court jailed a \
man for posting a video to Facebook. Clashes in July left 3 Varangians dead, and the Varangian community appealed \
to the courts.

Activist Mira Solten was detained in August. Police questioned Mira again in September.
"""


@pytest.fixture(scope="module")
def short_mentions() -> dict[str, Any]:
    return ingest(SHORT_MENTIONS, "freedonia-short.txt")


def test_an_office_with_a_remit_is_an_organisation_and_its_holder_a_person(short_mentions: dict[str, Any]) -> None:
    types = _types(short_mentions)
    mandate = "United Nations Special Rapporteur for Protecting Migrants while Countering Smuggling"
    assert types[mandate] == "organization" and types["Teodor Braun"] == "person"
    assert types["UCE Representative on Press Freedom"] == "organization" and types["Ilse Varga"] == "person"
    assert _entity(short_mentions, "UCE Representative on Press Freedom")["aliases"] == [
        "Representative on Press Freedom"
    ]
    assert "with the title Representative on Press Freedom" in _entity(short_mentions, "Ilse Varga")["role"]


def test_a_translation_inside_a_name_and_an_agreement_joined_by_and(short_mentions: dict[str, Any]) -> None:
    types = _types(short_mentions)
    party = _entity(short_mentions, "Zhol (Road) Party")
    assert party["type"] == "organization" and party["aliases"] == ["Road Party"]
    assert len(party["mentions"]) == 2  # "Road Party members" is the same party
    assert "Party" not in types and "Zhol" not in types
    assert types["Stronger Trade and Transit Agreement"] == "law"
    assert types["Criminal Code"] == types["Civil Code"] == "law"  # two laws, not one


def test_a_platform_is_no_place_and_a_singular_joins_its_plural(short_mentions: dict[str, Any]) -> None:
    types = _types(short_mentions)
    assert types["Facebook"] == "organization"
    assert _entity(short_mentions, "Varangians")["aliases"] == ["Varangian"] and "Varangian" not in types


def test_a_given_name_alone_joins_its_person(short_mentions: dict[str, Any]) -> None:
    person = _entity(short_mentions, "Mira Solten")
    assert person["aliases"] == ["Mira"] and "Mira" not in _types(short_mentions)
    assert len(person["mentions"]) == 2
    # A given name two people share joins neither.
    text = "Freedonia\nEvents of 2030\n\nPolitics\n\nPolice held the activists Mira Solten and Mira Pell. Mira spoke.\n"
    assert all("Mira" not in e["aliases"] for e in ingest(text, "f.txt")["entities"])


def test_dates_in_capitals_and_a_bare_year_that_carries() -> None:
    caps = find_dates("ON MAY 3, POLICE MAY DETAIN ANYONE. IN JUNE THEY DID.", 2030)
    assert [(c.date, c.date_text) for c in caps] == [("2030-05-03", "MAY 3"), ("2030-06", "JUNE")]
    carried = find_dates("In 2029, a court heard him. In March he was jailed under the 2014 law.", 2030)
    assert [(c.date, c.inferred) for c in carried] == [("2029", None), ("2029-03", "year"), ("2014", None)]
    # A year that qualifies a noun is no time: the month stays in the chapter's year.
    plain = find_dates("The 2028 law was used. In March he was jailed.", 2030)
    assert [c.date for c in plain] == ["2028", "2030-03"]


def test_a_month_told_in_the_past_perfect_is_the_year_before() -> None:
    told = find_dates("The council in March adopted the review. In November, states had called on it to act.", 2030)
    assert [(c.date, c.inferred, c.reason) for c in told] == [
        ("2030-03", None, None),
        ("2029-11", "year", "past-perfect"),
    ]
    # The simple past keeps the chapter's year; so does a past perfect of a month earlier than the last.
    assert [c.date for c in find_dates("In March police held him. In November they freed him.", 2030)] == [
        "2030-03",
        "2030-11",
    ]
    assert [c.date for c in find_dates("In May he was tried. In March he had been held.", 2030)] == [
        "2030-05",
        "2030-03",
    ]
    # "By June, ... had": a count up to that month, in the same year.
    assert [c.date for c in find_dates("In January, protests began. By June, police had detained 90.", 2030)] == [
        "2030-01",
        "2030-06",
    ]


def test_at_time_of_writing_is_the_chapters_year_inferred() -> None:
    text = "Freedonia\nEvents of 2030\n\nJustice\n\nAt time of writing, a court had fined the editor twice.\n"
    document = ingest(text, "f.txt")
    assert [(e["date"], e["inferred"], e["date_note"]) for e in document["events"]] == [
        ("2030", "year", "time-of-writing")
    ]
    assert "time-of-writing" in {note["id"] for note in document["notes"]}


def test_a_part_of_a_place_and_a_name_that_opens_a_sentence_with_its_possessive() -> None:
    body = (
        "Police in Moldova detained protesters. Three children died in a shelter in eastern Moldova in May.\n\n"
        "Lanterna\u2019s appeal against the ministry\u2019s refusal to register the group was rejected in June."
    )
    document = ingest(f"Freedonia\nEvents of 2030\n\nRights\n\n{body}\n", "f.txt")
    known = _entity(document, "Moldova")  # a known place: its part is another name of it, found by its words
    assert known["type"] == "place" and known["aliases"] == ["eastern Moldova"]
    assert _types(document)["Lanterna"] == "organization"
    # A word the text also writes in lower case stays an ordinary word, possessive or not.
    plain = "Freedonia\nEvents of 2030\n\nRights\n\nGovernment\u2019s critics were held. The government denied it.\n"
    assert "Government" not in _types(ingest(plain, "f.txt"))
    # So does a common noun the word lists know, even if the text never writes it in lower case.
    nouns = "Police\u2019s actions were criticized. Women\u2019s groups protested. Parliament\u2019s vote was delayed."
    assert _types(ingest(f"Freedonia\nEvents of 2030\n\nRights\n\n{nouns}\n", "f.txt")) == {}


def test_an_office_of_a_named_body_before_its_holder() -> None:
    body = (
        "In May, the Council of Europe Commissioner for Human Rights Vesna Orlić visited Freedonia. "
        "The Office of the Prosecutor General opened a case on human rights groups."
    )
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nPolitics\n\n{body}\n", "f.txt"))
    assert types["Council of Europe Commissioner for Human Rights"] == "organization"
    assert types["Vesna Orlić"] == "person"
    assert types["Office of the Prosecutor General"] == "organization"  # an institution, no one's title


def test_a_year_said_in_passing_sets_no_year_for_the_months_after_it() -> None:
    text = "On March 3, a court upheld the sentence he was given in 2029 to five years. In April he was moved."
    assert [(c.date, c.inferred) for c in find_dates(text, 2030)] == [
        ("2030-03-03", None),
        ("2029", None),
        ("2030-04", None),
    ]


def test_coordinated_places_a_law_on_a_subject_and_a_led_prefix() -> None:
    body = (
        "Police detained hundreds of people in Velmar and Dostak. The parliament amended the Law on Mass Media. "
        "The Zorvat-led Northern Security Treaty Organization (NSTO) sent troops; they left in January."
    )
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nUnrest\n\n{body}\n", "f.txt"))
    assert types["Velmar"] == types["Dostak"] == "place"
    assert types["Law on Mass Media"] == "law"
    assert types["Northern Security Treaty Organization"] == "organization"
    assert not any(name.startswith("Zorvat-led") for name in types)


def test_older_editions_abbreviations_acronyms_and_a_titled_name_before_in() -> None:
    body = (
        "He met Secretary of State Dana Holt in Zorvat on March 12. Members of the Free Farmers Movement "
        "of Freedonia (FFMF) were tried in April. The Union for Cooperation in Europe (UCE) Office for Fair "
        "Elections (OFE) monitored the vote. The U.N. Commission on Human Rights met in May."
    )
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nPolitics\n\n{body}\n", "f.txt"))
    assert types["Dana Holt"] == "person" and types["Zorvat"] == "place"  # not "Dana Holt in Zorvat"
    assert types["Free Farmers Movement of Freedonia"] == "organization"  # not "Members of the ..."
    assert types["Union for Cooperation in Europe"] == types["Office for Fair Elections"] == "organization"
    assert types["U.N. Commission on Human Rights"] == "organization"
    assert not [name for name in types if "(" in name or name.startswith("Members")]


def test_the_head_noun_a_place_noun_before_of_and_a_title_whose_holder_follows_a_comma() -> None:
    body = (
        "The Freedonian Bureau for Human Rights and Rule of Law (FBHR) documented torture. Protests began in "
        "the western town of Ostrava-Nova. In May, the Union's High Representative for Foreign Affairs and "
        "Security Policy, Jonas Berg, called for restraint."
    )
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nUnrest\n\n{body}\n", "f.txt"))
    assert types["Freedonian Bureau for Human Rights and Rule of Law"] == "organization"
    assert types["Ostrava-Nova"] == "place"
    assert types["High Representative for Foreign Affairs and Security Policy"] == "organization"
    assert types["Jonas Berg"] == "person" and "Policy" not in types


def test_two_years_joined_by_a_hyphen_are_a_range() -> None:
    text = "During the 2028-2029 school year and in 2028\u20132030, schools closed. In 2027 and 2028 too."
    found = find_dates(text, 2030)
    assert [(c.date, c.end) for c in found] == [("2028", "2029"), ("2028", "2030"), ("2027", None), ("2028", None)]


def test_an_apposition_with_a_capitalised_adjective_names_a_service() -> None:
    body = (
        "Reporters from Kestrel, the Freedonian service of Radio Meridian, were detained. In Zhanar, the head "
        "of police denied it. Ida Vell, a critic of the government, was fined."
    )
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nMedia\n\n{body}\n", "f.txt"))
    assert types["Kestrel"] == "organization"  # not a place for "from"
    assert types["Zhanar"] == "place"  # "the head of police" describes no one named Zhanar
    assert types["Ida Vell"] == "person"


def test_numbered_groups_and_names_joined_by_and_stay_apart() -> None:
    body = (
        "Police held members of Group 12 in 2029. Members of Jamaat Nur and Hizb ut-Tahrir were tried. The "
        "Organization for Security and Co-operation in Europe and Moldova spoke. The Ministry of Labor and Social "
        "Protection and Zorvat agreed. Refugees came from Bosnia and Herzegovina."
    )
    types = _types(ingest(f"Freedonia\nEvents of 2030\n\nPolitics\n\n{body}\n", "f.txt"))
    assert types["Group 12"] == "organization" and "Group" not in types
    assert types["Jamaat Nur"] == types["Hizb ut-Tahrir"] == "organization"
    assert types["Organization for Security and Co-operation in Europe"] == "organization"
    assert types["Moldova"] == types["Bosnia and Herzegovina"] == "place"
    assert "Ministry of Labor and Social Protection" in types and "Zorvat" in types


def test_a_web_pages_share_and_download_links_are_furniture() -> None:
    text = (
        "Freedonia\n\nEvents of 2030\n\nMarchers in Velmar, May 2, 2030.\n\n\u00a9 2030 Ida Roe/Kite Photo\n\n"
        "Share this via Facebook\n\nShare this via Twitter\n\nDownload the full report\n\n"
        "Freedonia's rulers tightened their grip.\n\nFreedom of Expression\n\nJournalists were fined in June.\n"
    )
    document, _ = draft(text, "f.txt")
    titles = [s["title"] for s in document["sections"]]
    assert titles == ["Photo caption and credit", "Overview", "Freedom of Expression"]
    furniture = next(n["text"] for n in document["notes"] if n["id"] == "page-furniture")
    assert "Share this via Twitter" in furniture and "Download the full report" in furniture
    assert _types(document)["Kite Photo"] == "organization"  # a credit's agency, not a person


def test_a_disease_in_capitals_is_no_entity() -> None:
    body = "COVID-19 spread in May. People with HIV/AIDS lacked care during the Covid-19 pandemic, Mira Solten said."
    assert _types(ingest(f"Freedonia\nEvents of 2030\n\nHealth\n\n{body}\n", "f.txt")) == {"Mira Solten": "person"}
