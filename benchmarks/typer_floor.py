"""T, the floor: kz's own Typer app (``kzcli.cli.app``) with every command doing nothing.

Startup of this app is what any Typer CLI with kz's surface pays before doing
any work: importing typer and its vendored click, kz's declarations module
(``kzcli.cli`` and the few small modules it imports at the top: errors,
output, session, streams), building the command tree and parsing argv.
``startup.py`` holds kz to a small margin over it.

Generated from the app itself rather than copied by hand, so it can never
drift from kz's command surface: each command's callback is replaced by one
that does nothing, with the same signature (Typer reads the parameters through
``__wrapped__``), before Typer builds the command tree.

Run it as kz is run: ``python typer_floor.py search torture``.
"""

import copy
import functools
import sys
from collections.abc import Callable
from typing import Any

import typer

from kzcli.cli import app


def _does_nothing(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    return nothing


def floor_of(kz: typer.Typer) -> typer.Typer:
    """A copy of ``kz`` whose commands and main callback do nothing (``kz`` itself is left as it is)."""
    floor = copy.copy(kz)
    floor.registered_commands = [copy.copy(info) for info in kz.registered_commands]
    for info in floor.registered_commands:
        assert info.callback is not None
        info.callback = _does_nothing(info.callback)
    if kz.registered_callback is not None and kz.registered_callback.callback is not None:
        floor.registered_callback = copy.copy(kz.registered_callback)
        floor.registered_callback.callback = _does_nothing(kz.registered_callback.callback)
    return floor


floor = floor_of(app)


def main() -> int:
    """The floor's exit code, returned as kz's ``kzcli.start.main`` returns its own: the script that
    times it ends with ``leave(main())``, as kz's does, so the two pay the same exit."""
    code = floor(args=sys.argv[1:], prog_name="kz", standalone_mode=False)
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
