"""How kz reads its command line and writes its usage: kz's command and group classes.

Usage lines name arguments as other tools write them: ``QUERY...`` for one that
takes several words, ``[TARGET]`` for one that may be left out (typer writes
``{QUERY}``). A mistyped command is offered only commands close to it
(``kz serch`` -> search, ``kz version`` -> nothing), where typer offered any
command difflib found similar (``version`` -> person).

``kz search`` reads its options anywhere, every other argument a query word.

A query excludes words with a leading "-" (``kz search torture -prison``).
Click would read those as options, or as clusters of them: ``-prison`` fails
with "No such option: -p", and ``-newspaper`` would even be ``-n ewspaper``.
So the search command sorts its arguments before click parses them: its own
options (with their values) stay options, every other argument becomes a
query word after ``--``, in the order typed. What is still an option: an
option's exact name (``-n 3``, ``--limit 3``, ``--limit=3``), a short option
with digits attached (``-n3``), and anything beginning with ``--`` (an unknown
one is refused, as before: a mistyped ``--limt`` must not become a word).
After ``--`` everything is a query word, as always.

``kz timeline --search`` takes its words as one value, so ``--search torture
-prison`` would give click ``-p rison`` (``--person``), and ``--search torture
prison`` an extra argument. Its command refuses a word typed after the value
of ``--search`` with how to quote it (``SearchValueCommand``), rather than
sorting words into ``--search`` as ``kz search`` does: every other option
takes one value, and an option that swallowed the words after it would make
``-prison`` mean one thing after ``--search`` and another elsewhere.
"""

from collections.abc import Callable
from typing import Any

import typer
from typer import core
from typer.models import CommandFunctionType

from kzcli.arguments import scan


def option_names(params: list[Any]) -> dict[str, bool]:
    """Every option name of ``params`` (``-n``, ``--limit``), and whether it takes a value (a flag does not):
    what each of kz's argument sorters must know to tell an option's value from a word."""
    takes_value: dict[str, bool] = {}
    for param in params:
        if param.param_type_name == "option":
            for name in (*param.opts, *param.secondary_opts):
                takes_value[name] = not (getattr(param, "is_flag", False) or getattr(param, "count", False))
    return takes_value


def sort_arguments(args: list[str], params: list[Any]) -> list[str]:
    """``args`` as click should see them: the options of ``params`` first, then ``--`` and the query words."""
    takes_value = option_names(params)

    def is_option(arg: str) -> bool:
        # An option's name ("--limit=3" is --limit's), anything else with "--" (click refuses an
        # unknown one), or a short option with digits attached ("-n3").
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        return name in takes_value or arg.startswith("--") or bool(takes_value.get(arg[:2]) and arg[2:].isdigit())

    options, words, after, missing = scan(args, is_option, lambda arg: takes_value.get(arg, False))
    if missing:
        return options
    query = [*words, *(after or [])]
    return [*options, "--", *query] if query else options


def usage_name(param: Any) -> str:
    """An argument as a usage line shows it: ``QUERY...``, ``[WORDS...]``, ``[TARGET]``."""
    name = (param.metavar or param.name or "").strip("[]").removesuffix("...")
    name += "..." if param.nargs != 1 else ""
    return name if param.required else f"[{name}]"


class KzCommand(core.TyperCommand):
    """A kz command: its usage line writes arguments as ``usage_name`` does."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(usage_name(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces


def close_commands(typed: str, names: list[str]) -> list[str]:
    """The commands ``typed`` may be a slip for: those it begins (two letters or more), and those
    one edit away (a letter added, dropped, changed, or two swapped; two edits from 8 letters on).

    ``version`` is two edits from ``person``: a different word, not a slip, so it gets no suggestion.
    """
    from rapidfuzz.distance import OSA

    allowed = 1 if len(typed) < 8 else 2
    folded = typed.casefold()
    return [
        name
        for name in names
        if (len(folded) >= 2 and name.startswith(folded)) or OSA.distance(folded, name, score_cutoff=allowed) <= allowed
    ]


class KzGroup(core.TyperGroup):
    """kz's group of commands: a mistyped command is offered only the commands close to it."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from typer._click.exceptions import UsageError

        try:
            return self._click_resolve_command(ctx, args)
        except UsageError as error:
            close = close_commands(args[0], list(self.commands)) if args else []
            if close:
                error.message = f"{error.message.rstrip('.')}. Did you mean {' or '.join(repr(c) for c in close)}?"
            raise


class KzTyper(typer.Typer):
    """A Typer app whose commands are ``KzCommand``s unless they name another class."""

    def command(
        self, name: str | None = None, *, cls: type[core.TyperCommand] | None = None, **settings: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or KzCommand, **settings)


class QueryCommand(KzCommand):
    """A command whose arguments are a query that may hold ``-word``: see the module docstring."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, sort_arguments(args, self.get_params(ctx)))


def word_after_search(args: list[str], params: list[Any]) -> str | None:
    """The usage error for an argument typed after the value of ``--search`` that is neither an
    option nor ``--`` (``-prison``, ``prison``): the words are one value, quoted. None when there is none."""
    names = {name for param in params for name in (*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ()))}
    for at, arg in enumerate(args):
        if arg == "--":
            return None
        after_value = (at >= 2 and args[at - 2] == "--search") or (at >= 1 and args[at - 1].startswith("--search="))
        if not after_value or arg.startswith("--") or arg in names:
            continue
        import shlex  # on this error's path only

        value = args[at - 1].removeprefix("--search=") if args[at - 1].startswith("--search=") else args[at - 1]
        what = "leave a word out of" if arg.startswith("-") else "search several words with"
        quoted = shlex.quote(f"{value} {arg}")
        option = f"; to give {arg[:2]}, write {arg[:2]} {shlex.quote(arg[2:])}" if arg[:2] in names else ""
        return f"{arg}: to {what} --search, quote the words: --search {quoted}{option}"
    return None


class SearchValueCommand(KzCommand):
    """A command with a ``--search WORDS`` option: a word typed after its value is refused with
    how to quote the words (see the module docstring)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Completion parses what is typed so far, and must not fail on it.
        problem = None if ctx.resilient_parsing else word_after_search(args, self.get_params(ctx))
        if problem is not None:
            from typer._click.exceptions import UsageError

            raise UsageError(problem, ctx)
        return super().parse_args(ctx, args)


def signed_numbers_as_words(args: list[str], params: list[Any]) -> list[str]:
    """``args`` with each negative number that is no option's value moved after ``--``, as a word.

    ``kz figures -1`` would be "No such option: -1"; ``--max -1`` already reads -1 as the value.
    """
    takes_value = {name for name, value in option_names(params).items() if value}

    def is_option(arg: str) -> bool:
        # An option ("--json", "--max=-1"): click reads it, or refuses it.
        return arg in takes_value or (arg[:1] == "-" and len(arg) > 1 and not _negative_number(arg))

    options, words, after, missing = scan(args, is_option, takes_value.__contains__)
    if missing:
        return options
    words += after or []  # every word, in the order typed
    return [*options, "--", *words] if any(map(_negative_number, words)) else args


def _negative_number(arg: str) -> bool:
    """ "-1", "-4.5", "-1,626": a number with its sign, never an option."""
    return arg[:1] == "-" and arg[1:].replace(",", "").replace(".", "", 1).isdigit()


class SignedNumberCommand(KzCommand):
    """A command whose words may be negative numbers (``kz figures -1``): see ``signed_numbers_as_words``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, signed_numbers_as_words(args, self.get_params(ctx)))
