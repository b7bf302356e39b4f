"""Topics: every paragraph and event tagged, the tags validated, search bridging the report's
vocabulary (and saying so), and topics as a way in (kz topics, kz topic, --topic)."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from kzcli.commands import search as search_command
from kzcli.commands import timeline as timeline_command
from kzcli.commands import topics as topics_command
from kzcli.commands.listings import people as people_command
from kzcli.corpus import TOPIC_VOCABULARIES, Corpus
from kzcli.errors import NotFoundError
from kzcli.session import Session
from kzcli.validation import validate
from tests.kzprocess import run_main

# The photo credit is a credit line: it is about nothing.
UNTAGGED = {("photo", 2)}
# Queries a new user tried (issue 12): the report says each in other words.
BRIDGED = {
    "coronavirus": "covid-19",
    "quarantine": "covid-19",
    "LGBT": "lgbt-people",
    "gay": "lgbt-people",
    "disinformation": "false-information",
    "fake": "false-information",
    "demonstration": "freedom-of-assembly",
    "capital punishment": "death-penalty",
    # More of our own: an older word, an abbreviation, plurals, a phrase.
    "fake news": "false-information",
    "lgbti": "lgbt-people",
    "homosexuality": "lgbt-people",
    "demonstrations": "freedom-of-assembly",
    "sars-cov-2": "covid-19",
    "refoulement": "refugees-and-asylum-seekers",
    "handicapped": "persons-with-disabilities",
    # A reviewer's words for the report's topics (topics-terms-review): each a word the report
    # never uses, and the topic a researcher typing it wants.
    "orphanage": "persons-with-disabilities",
    "domestic abuse": "violence-against-women",
    "femicide": "violence-against-women",
    "feminism": "women-and-girls",
    "political persecution": "political-participation",
    "dissidents": "political-participation",
    "trade unionists": "labour-rights",
    "strikes": "labour-rights",
    "prison conditions": "torture",
    "police brutality": "torture",
    "death row": "death-penalty",
    "jihadists": "counter-terrorism",
    "homophobia": "lgbt-people",
    "censorship": "freedom-of-expression",
    "press freedom": "journalists",
    "accountability": "impunity",
    "interethnic": "minorities",
    "racism": "minorities",
}


def session_of(corpus: Corpus) -> Session:
    """A session working on ``corpus`` as a backend opened it."""
    session = Session()
    session._corpus = corpus
    return session


def topic(corpus: Corpus, topic_id: str) -> Any:
    return next(t for t in corpus.topics if t.id == topic_id)


def write_json(path: Path, document: dict[str, Any]) -> str:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return str(path)


# --- the tags -------------------------------------------------------------------------


def test_every_paragraph_but_the_credit_and_every_event_has_a_topic(corpus: Corpus) -> None:
    tagged = {place for t in corpus.topics for place in t.paragraphs}
    every = {(s.id, n) for s in corpus.sections for n in range(1, len(s.paragraphs) + 1)}
    assert every - tagged == UNTAGGED
    assert tagged <= every
    assert {e.id for e in corpus.events} == {event for t in corpus.topics for event in t.events}


def test_topics_are_of_the_two_vocabularies_with_scope_and_terms(corpus: Corpus) -> None:
    assert {t.vocabulary for t in corpus.topics} == set(TOPIC_VOCABULARIES)
    for t in corpus.topics:
        assert t.label.strip() and t.scope.strip() and t.terms, t.id
    terms = [term.casefold() for t in corpus.topics for term in t.terms]
    assert len(terms) == len(set(terms)), "a term leads to one topic"


def test_the_hard_calls_are_in_the_notes(corpus: Corpus) -> None:
    noted = " ".join(n.text for n in corpus.notes if n.id.startswith("topics-"))
    assert "photo paragraph 2" in noted and "founding assembly" in noted and "Second Optional Protocol" in noted


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t["paragraphs"].append("nowhere:1"), "paragraph 'nowhere:1' is not SECTION:N of a known section"),
        (lambda t: t["paragraphs"].append("torture:9"), "section 'torture' has no paragraph 9"),
        (lambda t: t["paragraphs"].append("torture"), "paragraph 'torture' is not SECTION:N"),
        (lambda t: t["paragraphs"].append(t["paragraphs"][0]), "is tagged twice"),
        (lambda t: t["events"].append("no-such-event"), "unknown event 'no-such-event'"),
        (lambda t: t["events"].append(t["events"][0]), "is tagged twice"),
        (lambda t: t.update(vocabulary="places"), "vocabulary 'places' is not one of theme, affected persons"),
        (lambda t: t["terms"].append(t["terms"][0].upper()), "a term is listed twice"),
        (lambda t: t.pop("scope"), "missing key 'scope'"),
    ],
)
def test_the_loader_refuses_bad_tags(raw_corpus: dict[str, Any], change: Any, problem: str, tmp_path: Path) -> None:
    document = copy.deepcopy(raw_corpus)
    change(document["topics"][0])
    problems = validate(document)
    assert any(problem in p for p in problems), problems
    done = run_main(["--data", write_json(tmp_path / "bad.json", document), "topics"])
    assert done.code == 3 and problem in done.err


def test_topics_are_optional_but_a_duplicate_id_is_not(raw_corpus: dict[str, Any]) -> None:
    document = copy.deepcopy(raw_corpus)
    del document["topics"]
    assert validate(document) == []
    document = copy.deepcopy(raw_corpus)
    document["topics"].append(copy.deepcopy(document["topics"][0]))
    assert any("duplicate id" in p for p in validate(document))


# --- search bridges the vocabulary -------------------------------------------------------


@pytest.mark.parametrize(("query", "topic_id"), sorted(BRIDGED.items()))
def test_a_word_the_report_never_uses_finds_its_topic(corpus: Corpus, query: str, topic_id: str) -> None:
    result = search_command.run(session_of(corpus), query.split(), None, 0, False)
    wanted = set(topic(corpus, topic_id).paragraphs)
    found = {(r["section"], r["paragraph"]) for r in result.records}
    assert result.exit_code == 0 and found == wanted
    label = topic(corpus, topic_id).label
    assert f"showing passages on {label}" in " ".join(result.messages)
    assert result.query["bridged"] == [{"typed": query.lower(), "topics": [topic_id]}]
    assert [part["topics"] for part in result.query["understood"]] == [[topic_id]]


# Topic terms whose words the report uses, but never side by side.
APART = {"arbitrary detention": "deprivation-of-liberty", "hate crime": "discrimination"}


@pytest.mark.parametrize(("query", "topic_id"), sorted(APART.items()))
def test_a_term_the_report_says_only_word_by_word_finds_its_topic(corpus: Corpus, query: str, topic_id: str) -> None:
    """Each word alone is the report's ("arbitrary", "detention"), but no passage holds both, so
    the words as typed could find nothing: the term is searched as its topic, and said."""
    result = search_command.run(session_of(corpus), query.split(), None, 0, False)
    assert result.exit_code == 0
    assert {(r["section"], r["paragraph"]) for r in result.records} == set(topic(corpus, topic_id).paragraphs)
    assert result.messages[0] == f"no passage says {query!r}; showing passages on {topic(corpus, topic_id).label}"
    assert result.query["bridged"] == [{"typed": query, "topics": [topic_id]}]
    quoted = search_command.run(session_of(corpus), [f'"{query}"'], None, 0, False)
    assert quoted.records == result.records


def test_a_term_whose_words_a_passage_holds_apart_is_searched_as_words(corpus: Corpus) -> None:
    """ "political prisoners" (a term) has a passage holding both words: searched as typed."""
    result = search_command.run(session_of(corpus), ["political", "prisoners"], None, 0, False)
    assert result.exit_code == 0 and result.query["bridged"] == []
    held = [corpus.paragraph(r["section"], r["paragraph"]).lower() for r in result.records]
    assert held and all("politic" in text and "prison" in text for text in held)


def test_the_line_on_stderr_and_the_json_say_it() -> None:
    done = run_main(["search", "coronavirus", "--json"])
    assert done.code == 0
    assert done.err_lines[0] == "kz: no passage says 'coronavirus'; showing passages on COVID-19 measures"
    out = json.loads(done.out)
    assert out["query"]["bridged"] == [{"typed": "coronavirus", "topics": ["covid-19"]}]
    assert out["query"]["understood"][0]["kind"] == "topic"


def test_the_report_s_own_words_light_the_passages() -> None:
    out = json.loads(run_main(["search", "quarantine", "--json", "--limit", "0"]).out)
    lit = {r["quote"][s:e].lower() for r in out["records"] for s, e in r["matches"]}
    assert {"lockdown", "pandemic"} <= lit
    assert out["records"][0]["section"] == "covid-19"


@pytest.mark.parametrize("query", ["protest", "lockdown", "death penalty", "torture"])
def test_a_word_the_report_uses_is_searched_as_itself(corpus: Corpus, query: str) -> None:
    result = search_command.run(session_of(corpus), query.split(), None, 0, False)
    assert result.exit_code == 0 and result.query["bridged"] == []
    assert all(query.split()[0][:5] in r["quote"].lower() for r in result.records)


# "stateless" and "whistleblowers" were terms once: the report has neither, and the passages
# shown were on something else.
@pytest.mark.parametrize(
    "query",
    [
        "banana",
        "rape",
        "elections",
        "banana torture",
        "stateless",
        "whistleblowers",
        "internet",
        "Uyghur",
        "vaccine",
        "prisoners of conscience",
    ],
)
def test_terms_never_invent_hits(query: str) -> None:
    done = run_main(["search", *query.split()])
    assert done.code == 1 and "showing passages on" not in done.err


def test_a_term_sharing_a_word_with_a_name_bridges_but_a_name_is_the_names() -> None:
    # "domestic" is a word of the draft domestic violence law's name; "domestic abuse" begins no name.
    shared = json.loads(run_main(["search", "domestic", "abuse", "--json"]).out)
    assert shared["query"]["bridged"] == [{"typed": "domestic abuse", "topics": ["violence-against-women"]}]
    # The theme, not the whole group women and girls: no wreath burning, no returnees from Syria.
    shown = {r["section"] for r in shared["records"]}
    assert "violence-against-women-and-girls" in shown
    assert not shown & {"civil-society", "counterterrorism-and-extremism"}
    named = json.loads(run_main(["search", "Islamic", "State", "--json"]).out)
    assert named["query"]["bridged"] == [] and named["records"]


def test_a_bridged_query_lights_no_month() -> None:
    # "march" is the month in this report: it is no term of peaceful assembly, so a search for
    # demonstrations does not light "March 11".
    out = json.loads(run_main(["search", "demonstration", "--json", "--limit", "0"]).out)
    lit = {r["quote"][s:e].lower() for r in out["records"] for s, e in r["matches"]}
    assert "rally" in lit and "march" not in lit


# Words of section titles the report's text never uses: a topic lists each too, but a title is
# the report's own word, so the title's passages match (trial finding 3), as the README says.
TITLE_WORDS = {
    "asylum": "asylum-seekers-and-refugees",
    "counterterrorism": "counterterrorism-and-extremism",
    '"Asylum Seekers"': "asylum-seekers-and-refugees",
    "inequality": "poverty-and-inequality",
}


@pytest.mark.parametrize(("query", "section"), sorted(TITLE_WORDS.items()))
def test_a_word_of_a_section_title_is_searched_as_itself(corpus: Corpus, query: str, section: str) -> None:
    result = search_command.run(session_of(corpus), [query], None, 0, False)
    found = {r["section"] for r in result.records}
    assert result.exit_code == 0 and found == {section}
    assert len(result.records) == len(corpus.section(section).paragraphs)
    assert result.query["bridged"] == [] and "showing passages on" not in " ".join(result.messages)
    typed = query.strip('"').lower()
    assert f"{typed!r} is only in section titles: their passages match" in result.messages
    assert [part["kind"] for part in result.query["understood"]] in (["word"], ["phrase"])


def test_a_quoted_term_bridges_as_a_whole_only() -> None:
    done = run_main(["search", '"capital punishment"', "--json"])
    assert done.code == 0 and json.loads(done.out)["query"]["bridged"][0]["topics"] == ["death-penalty"]
    assert run_main(["search", '"capital punishment abolished"']).code == 1


def test_exact_turns_bridging_off() -> None:
    done = run_main(["search", "coronavirus", "--exact"])
    assert done.code == 1 and "showing passages on" not in done.err


def test_a_bridged_word_combines_with_the_others(corpus: Corpus) -> None:
    out = json.loads(run_main(["search", "coronavirus", "children", "--json"]).out)
    covid = topic(corpus, "covid-19").paragraphs
    with_children = [place for place in covid if "children" in corpus.paragraph(*place)]
    assert sorted((r["section"], r["paragraph"]) for r in out["records"]) == sorted(with_children)
    assert len(with_children) == 2


# A term and every other term of its topic that stems as it does ("gays" is "gay" searched).
@pytest.mark.parametrize(
    ("term", "topic_id", "also"),
    [
        ("coronavirus", "covid-19", []),
        ("gay", "lgbt-people", ["gays"]),
        ("capital punishment", "death-penalty", []),
        ("arbitrary detention", "deprivation-of-liberty", []),
    ],
)
def test_removing_a_term_makes_its_query_fail(
    raw_corpus: dict[str, Any], tmp_path: Path, term: str, topic_id: str, also: list[str]
) -> None:
    document = copy.deepcopy(raw_corpus)
    with_term = run_main(["--data", write_json(tmp_path / "with.json", document), "search", *term.split()])
    assert with_term.code == 0
    changed = next(t for t in document["topics"] if t["id"] == topic_id)
    for removed in [term, *also]:
        changed["terms"].remove(removed)
    done = run_main(["--data", write_json(tmp_path / "without.json", document), "search", *term.split()])
    assert done.code == 1 and f"no passage matches {term!r}" in done.err


# --- topics as a way in ------------------------------------------------------------------


def test_kz_topics_counts_passages_events_and_people(corpus: Corpus) -> None:
    result = topics_command.topics(session_of(corpus))
    assert [r["id"] for r in result.records] == [t.id for t in corpus.topics]
    covid = next(r for r in result.records if r["id"] == "covid-19")
    assert (covid["passages"], covid["events"]) == (len(topic(corpus, "covid-19").paragraphs), 1)
    lgbt = next(r for r in result.records if r["id"] == "lgbt-people")
    assert (lgbt["passages"], lgbt["events"], lgbt["people"]) == (2, 1, 0)


@pytest.mark.parametrize("name", ["covid", "covid-19", "COVID-19 measures", "coronavirus", "Covid 19"])
def test_a_topic_resolves_by_id_label_or_term_silently(corpus: Corpus, name: str) -> None:
    result = topics_command.topic(session_of(corpus), name)
    assert result.records[0]["id"] == "covid-19" and result.messages == []


def test_a_loosely_typed_topic_is_said() -> None:
    done = run_main(["topic", "tortre", "--json"])
    assert done.code == 0 and json.loads(done.out)["records"][0]["id"] == "torture"
    assert "kz: 'tortre' read as topic Torture and ill-treatment (torture)" in done.err_lines


def test_an_ambiguous_topic_lists_the_candidates_and_an_unknown_one_exits_1(corpus: Corpus) -> None:
    with pytest.raises(NotFoundError, match=r"could be several: .*freedom-of-expression.*freedom-of-assembly"):
        topics_command.topic(session_of(corpus), "freedom")
    done = run_main(["topic", "xyzzy"])
    assert done.code == 1 and "no topic matches 'xyzzy'" in done.err


def test_kz_topic_shows_scope_passages_events_and_people(corpus: Corpus) -> None:
    record = topics_command.topic(session_of(corpus), "journalists").records[0]
    assert record["scope"] == topic(corpus, "journalists").scope
    assert [p["cite"] for p in record["passages"]] == [f"freedom-of-expression:{n}" for n in range(1, 5)]
    assert {e["id"] for e in record["events"]} == set(topic(corpus, "journalists").events)
    assert {p["name"] for p in record["people"]} == {"Amangeldy Batyrbekov", "Harlem Désir"}
    for passage in record["passages"]:
        assert passage["quote"] == corpus.paragraph(passage["section"], passage["paragraph"])


def test_a_topic_s_people_say_whether_its_events_or_only_its_passages_name_them(corpus: Corpus) -> None:
    """Trial finding 8: Max Bokaev, jailed, was listed among the people of COVID-19 measures
    because the overview, tagged whole, names him beside the pandemic."""
    session = session_of(corpus)
    covid = topics_command.topic(session, "covid").records[0]
    assert {p["name"]: p["named_in"] for p in covid["people"]} == {
        "Kasym-Jomart Tokaev": "passages",
        "Max Bokaev": "passages",
    }
    torture = topics_command.topic(session, "torture").records[0]
    named_in = [p["named_in"] for p in torture["people"]]
    assert named_in == sorted(named_in) and {"events", "passages"} == set(named_in)
    by_id = {event.id: event for event in corpus.events}
    for person in torture["people"]:
        in_events = any(person["id"] in by_id[e["id"]].entities for e in torture["events"])
        assert (person["named_in"] == "events") == in_events
    # kz topics counts the same people kz topic lists.
    counts = {r["id"]: r["people"] for r in topics_command.topics(session).records}
    assert counts["covid-19"] == len(covid["people"]) and counts["torture"] == len(torture["people"])


def test_a_topic_s_people_are_labelled_in_every_format() -> None:
    plain = run_main(["topic", "covid", "--format", "table"]).out
    assert "people in its events (0):" in plain
    assert "people named only in its passages, maybe on other matters (2):" in plain
    assert "\npeople (" not in plain
    rows = list(csv.DictReader(io.StringIO(run_main(["topic", "journalists", "--format", "csv"]).out)))
    kinds = {row["text"]: row["kind"] for row in rows if "person" in row["kind"]}
    assert kinds == {"Amangeldy Batyrbekov": "person", "Harlem Désir": "passage person"}
    tsv = run_main(["topic", "journalists", "--format", "tsv"]).out
    assert "journalists\tpassage person\tharlem-desir" in tsv


def test_timeline_topic_covid_is_the_covid_measures_and_nothing_else(corpus: Corpus) -> None:
    result = timeline_command.run(session_of(corpus), None, None, None, None, None, None, False, topic=["covid"])
    assert [r["id"] for r in result.records] == ["2020-04-man-jailed-over-facebook-video"]
    assert result.query["topic"] == "covid-19"


@pytest.mark.parametrize(("words", "topic_id"), [("coronavirus", "covid-19"), ("LGBT", "lgbt-people")])
def test_timeline_search_bridges_to_topics_as_search_does(corpus: Corpus, words: str, topic_id: str) -> None:
    result = timeline_command.run(session_of(corpus), None, None, None, None, None, None, False, search=[words])
    assert result.exit_code == 0
    assert {r["id"] for r in result.records} == set(topic(corpus, topic_id).events)
    label = topic(corpus, topic_id).label
    assert f"no event says {words.lower()!r}; showing events on {label}" in result.messages
    searched = result.query["search"]
    assert [(p["kind"], p["topics"]) for p in searched["understood"]] == [("topic", [topic_id])]
    assert searched["bridged"] == [{"typed": words.lower(), "topics": [topic_id]}]


def test_timeline_search_says_a_word_the_events_use_as_itself() -> None:
    done = run_main(["timeline", "--search", "torture", "--json"])
    assert done.code == 0 and "showing events on" not in done.err
    assert json.loads(done.out)["query"]["search"]["bridged"] == []


def test_timeline_topic_keeps_to_the_topic_s_events(corpus: Corpus) -> None:
    result = timeline_command.run(session_of(corpus), None, None, None, None, None, None, False, topic=["torture"])
    assert {r["id"] for r in result.records} == set(topic(corpus, "torture").events)


def test_search_court_keeps_to_freedom_of_expression(corpus: Corpus) -> None:
    session = session_of(corpus)
    within = search_command.run(session, ["court"], None, 0, False, topic="freedom of expression")
    everywhere = search_command.run(session, ["court"], None, 0, False)
    places = set(topic(corpus, "freedom-of-expression").paragraphs)
    found = {(r["section"], r["paragraph"]) for r in within.records}
    assert found and found <= places
    assert found == {(r["section"], r["paragraph"]) for r in everywhere.records} & places
    assert within.query["topic"] == "freedom-of-expression"


def test_people_topic(corpus: Corpus) -> None:
    result = people_command(session_of(corpus), None, None, False, ["women"])
    names = {r["name"] for r in result.records}
    assert names == {"Arina Osinovskaya", "Fariza Ospan"}
    assert result.query["topic"] == "women-and-girls"


def test_topic_options_are_given_once() -> None:
    done = run_main(["timeline", "--topic", "covid", "--topic", "torture"])
    assert done.code == 2 and "--topic was given 2 times" in done.err


def test_topic_csv_is_one_row_per_passage_event_and_person() -> None:
    done = run_main(["topic", "lgbt", "--format", "csv"])
    header, *rows = list(csv.reader(io.StringIO(done.out)))
    assert header == ["topic", "kind", "id", "date", "text", "section", "paragraph", "cite"]
    assert [row[1] for row in rows] == ["passage", "passage", "event"]
    assert all(row[7] for row in rows)  # every row has a place to cite


# --- completion and export -------------------------------------------------------------


def test_completion_offers_topic_names() -> None:
    from kzcli import completion

    session = Session()
    assert completion.topic_names(session, "cov") == ["covid-19"]
    assert completion.topic_names(session, "F") == [
        "freedom-of-expression",
        "false-information",
        "freedom-of-assembly",
        "freedom-of-association",
        "freedom-of-movement",
        "fair-trial",
        "freedom-of-religion",
    ]
    assert "lgbt-people" in completion.topic_names(session, "")
    assert completion.topic_names(session, "zzz") == []


def test_export_sqlite_has_topics_and_their_links(tmp_path: Path, corpus: Corpus) -> None:
    import sqlite3

    from kzcli.export import export

    path = tmp_path / "kz.db"
    export(corpus, "sqlite", str(path))
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT count(*) FROM topics").fetchone()[0] == len(corpus.topics)
        rows = db.execute(
            "SELECT p.section, p.paragraph FROM topic_paragraphs t JOIN paragraphs p ON p.id = t.paragraph_id "
            "WHERE t.topic = 'lgbt-people' ORDER BY p.id"
        ).fetchall()
        assert rows == [("sexual-orientation-and-gender-identity", 1), ("sexual-orientation-and-gender-identity", 2)]
        linked = db.execute("SELECT count(*) FROM topic_events JOIN events ON events.id = topic_events.event")
        assert linked.fetchone()[0] == sum(len(t.events) for t in corpus.topics)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()


def test_export_json_keeps_the_topics(raw_corpus: dict[str, Any], corpus: Corpus) -> None:
    from kzcli.export import corpus_document

    assert corpus_document(corpus)["topics"] == raw_corpus["topics"]


@pytest.mark.linux
def test_a_terminal_shows_a_topic_and_the_topics() -> None:
    from tests.kzprocess import run_kz_pty

    shown = run_kz_pty(["topic", "lgbt"], columns=100)
    assert shown.code == 0 and "LGBT people" in shown.out and "2 passages" in shown.out
    assert "\\x0a" not in shown.out and "1 event" in shown.out
    listed = run_kz_pty(["topics"], columns=140)
    assert listed.code == 0 and "30 topics" in listed.out and "covid-19" in listed.out


def test_the_json_schema_states_the_topics_shape(raw_corpus: dict[str, Any]) -> None:
    from kzcli.validation import schema_path
    from tests.test_validate import schema_errors

    schema = json.loads(Path(schema_path()).read_text(encoding="utf-8"))
    assert schema_errors(schema, raw_corpus) == []
    document = copy.deepcopy(raw_corpus)
    document["topics"][0]["vocabulary"] = "places"
    document["topics"][1]["paragraphs"].append("torture")
    document["topics"][2]["events"].append(document["topics"][2]["events"][0])
    errors = schema_errors(schema, document)
    assert len(errors) == 3, errors
    del document["topics"]
    assert schema_errors(schema, document) == []


def test_a_bridged_query_that_finds_nothing_says_what_it_searched_not_what_it_shows() -> None:
    # "migrant" bridges to refugees, "workers" to labour rights: no passage is on both.
    done = run_main(["search", "migrant", "workers"])
    assert done.code == 1 and "showing passages on" not in done.err
    assert "no passage says 'migrant'; searched it as passages on Refugees and asylum seekers" in done.err
    found = run_main(["search", "coronavirus"])
    assert found.code == 0 and "showing passages on COVID-19 measures" in found.err


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("nonsense", None), ("xyz", None), ("lgtb", "lgbt-people"), ("labr rights", "labour-rights")],
)
def test_only_close_topics_are_offered(corpus: Corpus, typed: str, offered: str | None) -> None:
    """The trial's: `kz topic nonsense` offered freedom-of-association, labour-rights and lgbt-people."""
    from kzcli.topics import find_topic

    with pytest.raises(NotFoundError) as refused:
        find_topic(corpus, typed)
    message = refused.value.message
    if offered is None:
        assert "closest" not in message
    else:
        assert f"; closest: {offered}" in message


def test_people_of_a_topic_say_who_is_named_only_in_its_passages() -> None:
    done = run_main(["people", "--topic", "covid", "--json"])
    envelope = json.loads(done.out)
    only = envelope["query"]["named_only_in_passages"]
    assert only and set(only) <= {r["id"] for r in envelope["records"]}
    assert f"{len(only)} of these" in done.err and "named only in the topic's passages" in done.err


def test_topics_count_one_event_in_the_singular() -> None:
    out = run_main(["topics"]).out
    assert "\t1 event\t" in out and "\t1 events\t" not in out


def test_timeline_search_by_an_alias_speaks_of_events() -> None:
    done = run_main(["timeline", "--search", "ISIL"])
    assert "no event says 'isil'; showing events naming Islamic State" in done.err
    assert "passages naming" not in done.err


def test_timeline_search_bridges_a_term_said_only_word_by_word(corpus: Corpus) -> None:
    done = run_main(["timeline", "--search", "arbitrary detention", "--json"])
    assert done.code == 0
    assert (
        done.err_lines[0]
        == "kz: no event says 'arbitrary detention'; showing events on Arrest, detention and imprisonment"
    )
    tagged = set(topic(corpus, "deprivation-of-liberty").events)
    assert {r["id"] for r in json.loads(done.out)["records"]} <= tagged


@pytest.mark.parametrize(
    "args",
    [
        ["political", "prisoners", "-motivated"],
        ["political", "prisoners", "NOT", "motivated"],
        ["political", "prisoners", "--section", "overview"],
        ["political", "prisoners", "--topic", "covid-19"],
    ],
)
def test_a_term_searched_as_words_is_not_bridged_when_a_filter_leaves_nothing(args: list[str]) -> None:
    """An exclusion or a filter that removes the one passage holding both words left nothing, and the
    term was then searched as its topic: passages the query had ruled out, shown as its answer."""
    done = run_main(["search", *args])
    assert done.code == 1 and "showing passages on" not in done.err


def test_both_halves_of_an_or_of_two_terms_are_bridged(corpus: Corpus) -> None:
    """ "(hate crime) OR (fair trial)" gave the fair-trial passages alone, the other half dropped unsaid."""
    out = json.loads(run_main(["search", "(hate crime) OR (fair trial)", "--json", "--limit", "0"]).out)
    places = {(r["section"], r["paragraph"]) for r in out["records"]}
    wanted = set(topic(corpus, "discrimination").paragraphs) | set(topic(corpus, "fair-trial").paragraphs)
    assert places == wanted
    assert [b["topics"] for b in out["query"]["bridged"]] == [["discrimination"], ["fair-trial"]]


def test_a_term_said_only_word_by_word_combines_with_other_words(corpus: Corpus) -> None:
    """As a bridged word does: "arbitrary detention OR torture" is the topic's passages or torture's."""
    done = run_main(["search", "arbitrary detention OR torture", "--json", "--limit", "0"])
    places = {(r["section"], r["paragraph"]) for r in json.loads(done.out)["records"]}
    assert set(topic(corpus, "deprivation-of-liberty").paragraphs) <= places
    assert {("torture", n) for n in (1, 2, 3)} <= places
