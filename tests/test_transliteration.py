"""Other scripts and other names (issue 12, item 3): Cyrillic input read in Latin letters,
and aliases the report never uses (older and Kazakh place names, ISIL, UPR) finding their entity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kzcli.corpus import Corpus
from kzcli.names import resolve
from kzcli.transliteration import to_latin

from .conftest import write_json
from .kzprocess import run_kz, run_main
from .test_process import imported


@pytest.mark.parametrize(
    ("typed", "latin"),
    [
        # The report's spellings, from Russian: no "y" before a vowel (Tokaev, not Tokayev).
        ("Токаев", "Tokaev"),
        ("Тулесова", "Tulesova"),
        ("Алматы", "Almaty"),
        ("Алма-Ата", "Alma-Ata"),
        # The soft sign has no letter of its own.
        ("Ильяшев", "Ilyashev"),
        # Kazakh's own letters.
        ("Қарағанды", "Qaraghandy"),
        ("Тоқаев", "Toqaev"),
        ("Мусаханұлы", "Musakhanuly"),
        # Only the Cyrillic is read; the query language and Latin words stay as typed.
        ('"Нур Отан" OR Tokaev -Семёнова', '"Nur Otan" OR Tokaev -Semenova'),
    ],
)
def test_cyrillic_is_read_in_the_reports_latin_letters(typed: str, latin: str) -> None:
    assert to_latin(typed) == latin


def test_latin_input_is_not_transliterated() -> None:
    assert to_latin("Tokaev Désir") is None


@pytest.mark.parametrize(
    ("typed", "entity_id"),
    [
        ("Токаев", "kasym-jomart-tokaev"),
        ("Қасым-Жомарт Тоқаев", "kasym-jomart-tokaev"),
        ("Тулесова", "asya-tulesova"),
        ("Алматы", "almaty"),
        ("Алма-Ата", "almaty"),
        ("Қарағанды", "karaganda"),
        ("Шымкент", "shymkent"),
        ("Казахстан", "kazakhstan"),
        ("Қазақстан", "kazakhstan"),
    ],
)
def test_cyrillic_names_resolve_and_say_how_they_were_read(corpus: Corpus, typed: str, entity_id: str) -> None:
    resolution = resolve(corpus, typed)
    assert resolution.entity is not None and resolution.entity.id == entity_id
    assert resolution.read_as == to_latin(typed) and resolution.corrected


def test_kz_person_in_cyrillic() -> None:
    done = run_main(["person", "Токаев"])
    assert done.code == 0 and done.out.startswith("Kasym-Jomart Tokaev (person)")
    assert done.err_lines == ["kz: showing Kasym-Jomart Tokaev (you typed 'Токаев', read as 'Tokaev')"]
    query = json.loads(run_main(["person", "Токаев", "--json"]).out)["query"]
    assert query["read_as"] == "Tokaev" and query["resolved"] == "kasym-jomart-tokaev"
    assert query["correction"] == "showing Kasym-Jomart Tokaev (you typed 'Токаев', read as 'Tokaev')"


def test_kz_entity_in_cyrillic() -> None:
    done = run_main(["entity", "Алматы", "--json"])
    assert done.code == 0 and json.loads(done.out)["records"][0]["id"] == "almaty"
    assert done.err_lines == ["kz: showing Almaty (you typed 'Алматы', read as 'Almaty')"]


def test_an_unknown_cyrillic_name_says_how_it_was_read() -> None:
    done = run_main(["person", "Пупкин"])
    assert done.code == 1 and "'Пупкин' (read as 'Pupkin')" in done.err


def test_kz_search_in_cyrillic_finds_what_the_latin_finds() -> None:
    latin = json.loads(run_main(["search", "Tulesova", "--json"]).out)
    done = run_main(["search", "Тулесова", "--json"])
    cyrillic = json.loads(done.out)
    assert done.code == 0 and cyrillic["records"] == latin["records"] and latin["records"]
    assert cyrillic["query"]["read_as"] == "Tulesova" and latin["query"]["read_as"] is None
    assert "kz: read 'Тулесова' as 'Tulesova' (transliterated from Cyrillic)" in done.err_lines


def test_exact_reads_cyrillic_as_typed() -> None:
    done = run_main(["search", "Тулесова", "--exact", "--json"])
    assert done.code == 1 and json.loads(done.out)["query"]["read_as"] is None
    assert "read 'Тулесова'" not in done.err


def test_a_cyrillic_word_the_report_does_not_use_finds_nothing() -> None:
    # Transliterated, not translated: "пытки" (torture) is read as "pytki", which no passage holds.
    done = run_main(["search", "пытки"])
    assert done.code == 1 and "read 'пытки' as 'pytki'" in done.err


def test_only_input_that_is_not_latin_imports_the_transliteration() -> None:
    assert not {"anyascii", "kzcli.transliteration"} & imported(["search", "torture"])
    assert not {"anyascii", "kzcli.transliteration"} & imported(["person", "Tulesova"])
    assert {"anyascii", "kzcli.transliteration"} <= imported(["search", "Тулесова"])


def test_a_cyrillic_query_in_a_real_process() -> None:
    done = run_kz(["timeline", "--person", "Тулесова"])
    assert done.code == 0 and "Asya Tulesova" in done.out
    assert "read as 'Tulesova'" in done.err


# --- aliases the report never uses ------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "as_named"),
    [("ISIL", "Islamic State"), ("Daesh", "ISIS"), ("UPR", "Universal Periodic Review")],
)
def test_an_alias_the_report_never_uses_finds_its_entitys_passages(alias: str, as_named: str) -> None:
    by_alias = run_main(["search", alias, "--json"])
    by_name = json.loads(run_main(["search", as_named, "--json"]).out)
    assert by_alias.code == 0
    places = [(r["section"], r["paragraph"]) for r in json.loads(by_alias.out)["records"]]
    assert places and places == [(r["section"], r["paragraph"]) for r in by_name["records"]]
    said = f"kz: no passage says {alias.lower()!r}; showing passages naming"
    assert any(line.startswith(said) for line in by_alias.err_lines)


@pytest.mark.parametrize(
    ("typed", "place"),
    [("Alma-Ata", "almaty"), ("Chimkent", "shymkent"), ("Karagandy", "karaganda"), ("Qaraghandy", "karaganda")],
)
def test_older_and_kazakh_place_names_are_aliases(corpus: Corpus, typed: str, place: str) -> None:
    resolution = resolve(corpus, typed)
    assert resolution.entity is not None and resolution.entity.id == place
    assert resolution.match == "exact"
    found = json.loads(run_main(["search", typed, "--json"]).out)["records"]
    mentioned = {(m.section, m.paragraph) for m in corpus.entity(place).mentions}
    assert found and {(r["section"], r["paragraph"]) for r in found} <= mentioned


def test_removing_an_alias_makes_its_query_fail(raw_copy: dict[str, Any], tmp_path: Path) -> None:
    islamic_state = next(e for e in raw_copy["entities"] if e["id"] == "isis")
    islamic_state["aliases"].remove("ISIL")
    path = write_json(tmp_path / "no-isil.json", raw_copy)
    assert run_main(["--data", path, "search", "ISIL"]).code == 1
    assert run_main(["--data", path, "search", "ISIS"]).code == 0


def test_the_upr_is_an_entity_named_where_the_report_names_it(corpus: Corpus) -> None:
    upr = resolve(corpus, "UPR").entity
    assert upr is not None and upr.name == "Universal Periodic Review"
    for mention in upr.mentions:
        assert "Universal Periodic Review" in corpus.paragraph(mention.section, mention.paragraph)
    assert any(upr.id in e.entities for e in corpus.events)
    assert "UPR" not in " ".join(p for s in corpus.sections for p in s.paragraphs)


def test_a_corrected_word_is_echoed_with_its_hyphen() -> None:
    """``kz search Alma-Ata`` said "you typed 'almaata'": the word as folded for the index, not as typed."""
    done = run_main(["search", "Alma-Ata", "--json"])
    assert done.code == 0
    assert "kz: showing results for 'almaty' (you typed 'alma-ata')" in done.err_lines
    understood = json.loads(done.out)["query"]["understood"]
    assert [part["corrected_from"] for part in understood] == ["alma-ata"]
