"""kzcli.arguments.scan: the one split of options from other arguments under kz's sorters."""

from __future__ import annotations

from kzcli.arguments import scan


def _is_option(arg: str) -> bool:
    return arg.startswith("--")


def _needs_value(arg: str) -> bool:
    return arg == "--limit"


def test_options_with_their_values_words_and_what_follows_the_double_dash() -> None:
    args = ["torture", "--limit", "3", "-prison", "--json", "--", "--limit", "x"]
    assert scan(args, _is_option, _needs_value) == (
        ["--limit", "3", "--json"],
        ["torture", "-prison"],
        ["--limit", "x"],
        False,
    )


def test_no_double_dash_is_none_and_an_empty_tail_is_an_empty_list() -> None:
    assert scan(["a"], _is_option, _needs_value) == ([], ["a"], None, False)
    assert scan(["a", "--"], _is_option, _needs_value) == ([], ["a"], [], False)


def test_an_option_typed_last_without_its_value_ends_the_scan() -> None:
    assert scan(["a", "--json", "--limit"], _is_option, _needs_value) == (["--json", "--limit"], ["a"], None, True)
    # Its value may look like an option: it is taken as typed, as click takes it.
    assert scan(["--limit", "--json"], _is_option, _needs_value) == (["--limit", "--json"], [], None, False)
