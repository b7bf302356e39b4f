"""How ``kz search`` reads its command line: its options anywhere, every other argument a query word.

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
"""

from typing import Any

from typer import core


def sort_arguments(args: list[str], params: list[Any]) -> list[str]:
    """``args`` as click should see them: the options of ``params`` first, then ``--`` and the query words."""
    takes_value: dict[str, bool] = {}
    for param in params:
        if param.param_type_name == "option":
            for name in (*param.opts, *param.secondary_opts):
                takes_value[name] = not (getattr(param, "is_flag", False) or getattr(param, "count", False))
    options: list[str] = []
    query: list[str] = []
    at = 0
    while at < len(args):
        arg = args[at]
        at += 1
        if arg == "--":
            query += args[at:]
            break
        name = arg.split("=", 1)[0] if arg.startswith("--") else arg
        if name in takes_value:
            options.append(arg)
            if takes_value[name] and "=" not in arg and at < len(args):
                options.append(args[at])
                at += 1
        elif arg.startswith("--") or (takes_value.get(arg[:2]) and arg[2:].isdigit()):
            options.append(arg)
        else:
            query.append(arg)
    return [*options, "--", *query] if query else options


class QueryCommand(core.TyperCommand):
    """A command whose arguments are a query that may hold ``-word``: see the module docstring."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, sort_arguments(args, self.get_params(ctx)))
