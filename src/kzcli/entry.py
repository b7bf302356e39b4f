"""The console entry point: ``main(argv) -> int``, the one way out of kz.

Every failure becomes one line on stderr and an exit code, through one table
(``_EXITS``, exception type to exit code); under ``--json`` or ``--format
json`` an error also prints a JSON envelope on stdout (the message, the exit
code and any candidates), so a program reading kz's JSON always gets JSON.
``KZ_DEBUG=1`` re-raises instead, with the traceback, for bug reports;
without it kz never prints a traceback.

SIGINT, SIGTERM and SIGHUP raise ``kzcli.stopping.Stopped`` (installed by
``kzcli.start`` before kz imports anything, and again here for in-process
callers): every cleanup runs on its way up (a half-written export is
removed), then kz drops the rest of its output, says one line and exits
128 + the signal's number.

Example: ``kz timeline`` then Ctrl-C -> ``kz: interrupted`` on stderr, exit 130.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from kzcli import stopping
from kzcli.errors import ExitCode, KzError
from kzcli.streams import (
    discard_stdout,
    escape_what_stdout_cannot_show,
    escapes_said,
    fill_closed_descriptors,
    hoist_display_options,
    say,
    usable_standard_streams,
)

DEBUG_ENV = "KZ_DEBUG"
# Typer's completion hook for a program named kz: set by the completion script the shell runs.
COMPLETE_ENV = "_KZ_COMPLETE"


def main(argv: Sequence[str] | None = None) -> int:
    """Run kz on ``argv`` (default: the command line) and return its exit code.

    The cyclic garbage collector is off: a kz process lives for a fraction of a
    second and makes little cyclic garbage, while collections during imports and
    corpus loading cost ~4 ms of a ~60 ms search and over 300 ms on a corpus 100
    times the size (benchmarks/startup.py, benchmarks/scale.py).
    """
    stopping.handle()
    gc.disable()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        stopping.caught_from_here()
        return _run(args)
    except stopping.Stopped as stop:
        discard_stdout()
        say(stop.message)
        return stop.exit_code


def _run(args: list[str]) -> int:
    # A non-UTF-8 terminal gets escapes for what it cannot show (said), never a crash or a silent '?'.
    escape_what_stdout_cannot_show()
    fill_closed_descriptors()
    usable_standard_streams()  # a closed stdout is fine until something is written to it
    try:
        from kzcli.cli import app

        run: Callable[..., Any] = app
        if os.environ.get(COMPLETE_ENV):
            # The shell asks for candidates: kz quotes them itself (kzcli.shells says why).
            from kzcli.shells import completing_command

            run = completing_command(app)
        code = run(args=hoist_display_options(args), prog_name="kz", standalone_mode=False)
        sys.stdout.flush()
        escapes_said()
    except BaseException as exc:
        if isinstance(exc, stopping.Stopped) or os.environ.get(DEBUG_ENV) == "1":
            raise
        return _failed(exc, args)
    return code if isinstance(code, int) else ExitCode.OK


def _failed(exc: BaseException, args: list[str]) -> int:
    """Say why kz stopped, once, and return the exit code for it."""
    message, code = _exit_for(exc)
    if message is None:
        return code
    if code == ExitCode.OUTPUT:
        # Stdout failed (a full disk): drop what is still buffered, so that Python's
        # own flush at exit does not fail again ("Exception ignored ...", exit 120).
        discard_stdout()
    elif _wants_json(args) and _answers_in_json(exc):
        _json_error(_command_of(args), message, code, getattr(exc, "candidates", []))
    say(message)
    escapes_said()  # what the command printed before it stopped
    return code


def _exit_for(exc: BaseException) -> tuple[str | None, int]:
    """The message and exit code for a failure (no message: nothing more to say)."""
    for kind, handle in _exits():
        if isinstance(exc, kind):
            return handle(exc)
    return f"internal error: {type(exc).__name__}: {exc}", ExitCode.INTERNAL


def _exits() -> list[
    tuple[type[BaseException] | tuple[type[BaseException], ...], Callable[[Any], tuple[str | None, int]]]
]:
    """Exception type -> (message, exit code), most specific first: the one table of kz's exits."""
    import typer
    from typer._click import exceptions as click  # typer 0.28 vendors click: its parser's errors

    return [
        (KzError, lambda e: (e.message, e.exit_code)),
        (click.NoArgsIsHelpError, _show_help),
        (click.UsageError, lambda e: (_usage_message(e), ExitCode.USAGE)),
        (click.ClickException, lambda e: (e.format_message(), ExitCode.USAGE)),
        ((typer.Abort, KeyboardInterrupt), _aborted),
        (SystemExit, _system_exit),
        (BrokenPipeError, _reader_gone),
        (RecursionError, lambda e: ("input too deeply nested", ExitCode.USAGE)),
        (OSError, lambda e: (f"cannot write output: {e.strerror or e}", ExitCode.OUTPUT)),
        (KeyError, _key_error),
    ]


def _aborted(exc: BaseException) -> tuple[str | None, int]:
    """click turns KeyboardInterrupt and EOFError alike into Abort. SIGINT raises ``Stopped`` here, never
    KeyboardInterrupt, so an Abort from an EOFError is a failure to read something, not an interruption."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, KeyboardInterrupt) or isinstance(cause, KeyboardInterrupt) or cause is None:
        return "interrupted", ExitCode.INTERRUPTED
    return f"internal error: {type(cause).__name__}: {cause}", ExitCode.INTERNAL


def _usage_message(exc: Any) -> str:
    hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx is not None else ""
    elsewhere = _unknown_option_hint(exc)
    if elsewhere is not None:
        hint = elsewhere
    elif "--data" in exc.format_message():
        hint = " (--data is a global option: `kz --data PATH COMMAND ...`)"
    return f"{exc.format_message()}{hint}"


def _unknown_option_hint(exc: Any) -> str | None:
    """For an unknown option: keep only the close options click offers (``--version`` is no slip
    for ``--section``), and name a global option typed after a command (`kz search x --version`)."""
    from typer._click.exceptions import NoSuchOption

    if not isinstance(exc, NoSuchOption) or exc.ctx is None:
        return None
    from kzcli.argv import close_commands

    offered = exc.possibilities or []
    close = set(close_commands(exc.option_name.lstrip("-"), [name.lstrip("-") for name in offered]))
    exc.possibilities = [name for name in offered if name.lstrip("-") in close]
    root = exc.ctx.find_root()
    for param in root.command.params if root is not exc.ctx else []:
        if exc.option_name in (*param.opts, *param.secondary_opts):
            value = "" if getattr(param, "is_flag", False) else f" {param.metavar}"
            then = " COMMAND ..." if value and param.expose_value else ""
            return f" ({exc.option_name} is a global option: `kz {param.opts[0]}{value}{then}`)"
    return None


def _show_help(exc: Any) -> tuple[str | None, int]:
    """`kz` alone prints the help and succeeds."""
    try:
        sys.stdout.write(exc.ctx.get_help() + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone(exc)
    except OSError as write_error:
        return f"cannot write output: {write_error.strerror or write_error}", ExitCode.OUTPUT
    return None, ExitCode.OK


def _reader_gone(exc: BaseException) -> tuple[str | None, int]:
    """The reader stopped early (``kz timeline | head -1``): not an error."""
    discard_stdout()
    return None, ExitCode.OK


def _system_exit(exc: SystemExit) -> tuple[str | None, int]:
    # click meets a closed pipe with exit 1, after wrapping stdout in its
    # PacifyFlushWrapper: the same early reader as `kz timeline | head -1`.
    if exc.code == 1 and type(sys.stdout).__name__ == "PacifyFlushWrapper":
        return _reader_gone(exc)
    return None, exc.code if isinstance(exc.code, int) else ExitCode.OK


def _key_error(exc: KeyError) -> tuple[str | None, int]:
    if os.environ.get(COMPLETE_ENV, "").startswith("complete_"):
        # The completion hook run by hand: the shell's variables (COMP_WORDS, ...) are missing.
        return f"shell completion needs the variables the shell sets ({exc}); see `kz --help`", ExitCode.USAGE
    return f"internal error: KeyError: {exc}", ExitCode.INTERNAL


# --- the JSON error envelope -------------------------------------------------------------

_GLOBAL_OPTIONS_WITH_VALUE = ("--data",)


# Commands whose --format is the format of a file written, not of what is printed (no --json either).
_FILE_FORMATS = {"export"}


def _wants_json(args: list[str]) -> bool:
    """Whether the command line asks for JSON (``--json``, ``--format json``, ``-f json``, ``--format=json``)."""
    if _command_of(args) in _FILE_FORMATS:
        return False
    for i, arg in enumerate(args):
        if arg == "--":
            return False
        if arg == "--json" or arg in ("--format=json", "-fjson"):
            return True
        if arg in ("--format", "-f") and i + 1 < len(args) and args[i + 1].casefold() == "json":
            return True
    return False


def _answers_in_json(exc: BaseException) -> bool:
    """Whether a failure of a command line that asks for JSON is said in JSON too: not when the
    option refused is the one that asks (``kz cite --json``, ``kz cite --format json``, ``kz --json search``)."""
    return getattr(exc, "option_name", None) not in ("--json", "--format", "-f")


def _command_of(args: list[str]) -> str | None:
    """The command named on the command line, past the global options."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _json_error(command: str | None, message: str, code: int, candidates: list[dict[str, Any]]) -> None:
    """The envelope every command prints, holding the error instead of records."""
    from kzcli.formats import OUTPUT_SCHEMA_VERSION, dump_json

    document: dict[str, Any] = {
        "schema_version": OUTPUT_SCHEMA_VERSION,
        "command": command,
        "query": None,
        "report": None,
        "error": {"message": message, "exit_code": int(code)},
        "candidates": candidates,
        "total": 0,
        "returned": 0,
        "records": [],
    }
    with contextlib.suppress(OSError, ValueError):
        dump_json(document, sys.stdout)
        sys.stdout.flush()
