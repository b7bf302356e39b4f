"""Telling a command line's options from its other arguments before click reads it: the one
scan under kz's three argument sorters (``argv.sort_arguments``, ``argv.signed_numbers_as_words``
and ``streams.hoist_display_options``), each of which picks its own options.

Imports nothing: it runs on every command line.
"""

from __future__ import annotations

from collections.abc import Callable


def scan(
    args: list[str], is_option: Callable[[str], bool], needs_value: Callable[[str], bool]
) -> tuple[list[str], list[str], list[str] | None, bool]:
    """``args`` as (the options ``is_option`` picks, each followed by its value when it
    ``needs_value``; the other arguments; the arguments after ``--``, None without one; whether
    an option was typed last without its value), all in the order typed.

    An option missing its value ends the scan, last of the options: a sorter then gives click
    the options alone, and click says the value is missing, rather than reading as the value
    the ``--`` a sorter puts before the words ("'--' is not a valid int") or the command name.
    """
    options: list[str] = []
    others: list[str] = []
    at = 0
    while at < len(args):
        arg = args[at]
        at += 1
        if arg == "--":
            return options, others, args[at:], False
        if not is_option(arg):
            others.append(arg)
            continue
        options.append(arg)
        if needs_value(arg):
            if at == len(args):
                return options, others, None, True
            options.append(args[at])
            at += 1
    return options, others, None, False
