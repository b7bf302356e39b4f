"""Which figures `kz figures WORDS` finds: numbers by value, words anywhere a reader would look."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kzcli.cli import app
from kzcli.corpus import Corpus
from kzcli.figures import select_figures, typed_number


@pytest.mark.parametrize(
    ("typed", "value", "rest"),
    [
        ("7", 7, ""),
        ("seven", 7, ""),
        ("1,626", 1626, ""),
        ("1626", 1626, ""),
        ("4.5 million", 4_500_000, ""),
        ("300,000", 300_000, ""),
        ("4.5", 4.5, ""),
        ("7 journalists", 7, "journalists"),
        ("Four children", 4, "children"),
        ("twenty-one", 21, ""),
        ("twenty one", 21, ""),
        ("300 000", 300_000, ""),
    ],
)
def test_typed_numbers(typed: str, value: float, rest: str) -> None:
    number = typed_number(typed)
    assert number is not None and (number.value, number.rest) == (value, rest)


@pytest.mark.parametrize("typed", ["covid 19", "journalists", "million", "", "nan", "inf", "\u0664", "twentyten"])
def test_words_are_not_numbers(typed: str) -> None:
    assert typed_number(typed) is None


def test_a_number_finds_figures_of_that_value_only(corpus: Corpus) -> None:
    # Not "10 Dungans", whose description mentions February 7-8.
    assert [f.text for f in select_figures(corpus, "7")] == ["seven journalists", "seven of whom", "seven years"]
    assert [f.text for f in select_figures(corpus, "4500000")] == ["4.5 million"]
    assert [f.text for f in select_figures(corpus, "4.5 million")] == ["4.5 million"]
    # A number word is a number; a number within a figure's own words counts too.
    assert [f.text for f in select_figures(corpus, "four")] == ["Four children"]
    assert [f.text for f in select_figures(corpus, "4.5")] == ["4.5 million"]
    assert [f.text for f in select_figures(corpus, "7 journalists")] == ["seven journalists", "seven of whom"]


def test_words_are_looked_for_in_quotes_and_section_titles(corpus: Corpus) -> None:
    covid = {f.text for f in select_figures(corpus, "covid")}
    in_section = {f.text for f in corpus.figures if f.section == "covid-19"}
    assert in_section <= covid and "at least 1,626" in covid
    assert [f.text for f in select_figures(corpus, "dead")] == ["10 Dungans", "one Kazakh"]


def test_section_filter(corpus: Corpus) -> None:
    chosen = select_figures(corpus, None, "torture")
    assert chosen and all(f.section == "torture" for f in chosen)
    assert len(chosen) == sum(f.section == "torture" for f in corpus.figures)
    assert select_figures(corpus, "7", "torture") == []


def test_cli_figures_by_value_and_section(runner: CliRunner) -> None:
    found = runner.invoke(app, ["figures", "7", "--section", "counterterrorism"])
    assert found.exit_code == 0 and found.stdout.startswith("seven years\t")
    missing = runner.invoke(app, ["figures", "2020"])
    assert missing.exit_code == 1 and "has the value '2020'" in missing.stderr


def test_scaled_numbers_match_despite_floating_point(corpus: Corpus) -> None:
    # 0.3 x 1,000,000 is 300000.00000000006 in floating point.
    assert [f.text for f in select_figures(corpus, "0.3 million")] == ["300,000"]


def test_a_number_in_words_is_matched_whole(corpus: Corpus) -> None:
    # "one million" is not "one Kazakh"; "twenty one" is 21, not twenty of anything.
    assert select_figures(corpus, "one million") == []
    assert {f.value for f in select_figures(corpus, "twenty one")} == {21}
    number = typed_number("two hundred")
    assert number is not None and number.value == 200
