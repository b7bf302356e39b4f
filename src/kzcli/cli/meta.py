"""kz's command about kz itself: ``kz help [COMMAND]``, the same text as ``--help``."""

import sys
from typing import Annotated

import typer

import kzcli.cli.common as common

app = common.app


def _command_names(ctx: typer.Context, incomplete: str) -> list[str]:
    return common.complete_choices(getattr(ctx.find_root().command, "commands", {}), incomplete)


@app.command(name="help")
def help_command(
    ctx: typer.Context,
    command: Annotated[
        str | None,
        typer.Argument(
            metavar="[COMMAND]",
            help="A command; nothing: kz itself.",
            autocompletion=_command_names,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Help on kz or a command: what `kz --help` or `kz COMMAND --help` prints.

    \b
    Examples:
      kz help
      kz help search
    """
    root = ctx.find_root()
    if command is None:
        sys.stdout.write(root.get_help() + "\n")
        return
    group = root.command
    # An unknown command is the usage error `kz COMMAND` gives, with the commands close to it.
    _, found, _ = group.resolve_command(root, [command])  # type: ignore[attr-defined]
    with typer.Context(found, info_name=command, parent=root) as context:
        sys.stdout.write(found.get_help(context) + "\n")
