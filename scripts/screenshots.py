"""Render kz's main commands, as a terminal shows them, to SVG files for the docs (docs/*.svg).

Each picture is a real run of the Typer app in this process: the command goes
through kzcli.cli and kzcli.render exactly as on a terminal, with one change,
Rich's console swapped for a recording one of a fixed width, which Rich then
exports as SVG. Whatever a command writes to stdout or stderr outside Rich
(``kz cite``, messages) is recorded too, so each picture shows the whole run.

Usage: python scripts/screenshots.py [--output docs] [--width 100]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402
from rich.text import Text  # noqa: E402

from kzcli import cli, output, render  # noqa: E402
from kzcli.errors import KzError  # noqa: E402

# (file name, arguments, width or None for --width): the promised commands first; two at 80 columns,
# a common terminal's width, where a listing too wide for a table stacks its records.
SHOTS: list[tuple[str, list[str], int | None]] = [
    ("search", ["search", "torture", "--limit", "3"], None),
    ("search-80", ["search", "torture", "--limit", "3"], 80),
    ("person", ["person", "Tulesova"], None),
    ("timeline", ["timeline", "--month", "2020-06"], None),
    ("chart", ["timeline", "--chart"], None),
    ("sections", ["sections"], None),
    ("people-80", ["people", "--role", "activist"], 80),
    ("read", ["read", "torture"], None),
    ("figures", ["figures", "journalists"], None),
    ("cite", ["cite", "torture:2"], None),
]
DEFAULT_WIDTH = 100


def record(args: list[str], width: int) -> Console:
    """Run ``kz ARGS`` through the app with a recording console; return the console."""
    console = Console(
        record=True,
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        markup=False,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(Text(f"$ kz {shlex.join(args)}", style="bold green"))
    saved = render.console, render.err_console, output.rich_terminal
    render.console = render.err_console = console
    output.rich_terminal = lambda: True  # type: ignore[assignment]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                cli.app(args, prog_name="kz", standalone_mode=False)
            except KzError as exc:
                err.write(f"kz: {exc.message}\n")
            except SystemExit:
                pass
    finally:
        render.console, render.err_console, output.rich_terminal = saved
    if out.getvalue():
        console.print(Text(out.getvalue().rstrip("\n")))
    if err.getvalue():
        console.print(Text(err.getvalue().rstrip("\n"), style="dim"))
    return console


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs"), help="Directory for the SVG files.")
    parser.add_argument("--width", type=int, default=DEFAULT_WIDTH, help="Terminal width in columns.")
    args = parser.parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    for name, command, width in SHOTS:
        console = record(command, width or args.width)
        path = output / f"{name}.svg"
        path.write_text(console.export_svg(title=f"kz {name}"), encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
