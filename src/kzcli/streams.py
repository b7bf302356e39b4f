"""Standard streams: one line on stderr, quiet ends to closed pipes, and what stdout is.

Nothing here imports Rich or the core: every command's last step, and the
exit path, use these.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys


def say(message: str) -> None:
    """One line on stderr, ``kz: `` first; if stderr is closed or full, the message is lost, never the exit code."""
    from kzcli.text import message_line

    with contextlib.suppress(AttributeError, OSError, ValueError):
        sys.stderr.write(f"kz: {message_line(message)}\n")
        sys.stderr.flush()


def discard_stdout() -> None:
    """Send what is still buffered for stdout to /dev/null: nothing more is printed."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


class ClosedStdout:
    """Stands for a stdout kz cannot write to: started without one (``kz export -o kz.db >&-``),
    or with an encoding that encodes nothing (``PYTHONIOENCODING=undefined``).

    A command that never writes to stdout runs as usual; the first write
    fails like a write to a closed descriptor, and kz exits 74 saying why.
    """

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, why: str = "stdout is closed") -> None:
        self.why = why

    def _closed(self) -> OSError:
        return OSError(errno.EBADF, self.why)

    def write(self, text: str) -> int:
        raise self._closed()

    def flush(self) -> None:
        """Nothing was written, so nothing to flush."""

    def fileno(self) -> int:
        raise self._closed()

    def isatty(self) -> bool:
        return False


def fill_closed_descriptors() -> None:
    """Put /dev/null on any of descriptors 0, 1, 2 that kz was started without.

    Otherwise the next file kz opens takes the lowest free number: an export's
    temporary file would become descriptor 2, and whatever the interpreter
    writes to stderr would land in the export.
    """
    for descriptor, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(descriptor)
        except OSError:
            with contextlib.suppress(OSError):
                opened = os.open(os.devnull, mode)
                if opened != descriptor:
                    os.dup2(opened, descriptor)
                    os.close(opened)


def _encodes_text(stream: object) -> bool:
    """Whether a text stream's encoding can write text at all (``undefined`` cannot)."""
    encoding = getattr(stream, "encoding", None)
    if not isinstance(encoding, str):
        return True  # an in-memory stream (tests, an embedding program)
    try:
        "kz".encode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


def usable_standard_streams() -> None:
    """Make stdout and stderr something kz can write to, or say why not when it tries.

    stderr with an encoding that encodes nothing is switched to UTF-8, so that
    kz can still say its one line; such a stdout is replaced by ``ClosedStdout``,
    which fails (exit 74, with the reason) only if the command writes to it.
    """
    if sys.stderr is not None and not _encodes_text(sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
    if sys.stdout is None:
        sys.stdout = ClosedStdout()
    elif not _encodes_text(sys.stdout):
        encoding = getattr(sys.stdout, "encoding", "?")
        sys.stdout = ClosedStdout(f"stdout's encoding {encoding!r} (PYTHONIOENCODING?) cannot encode text")


# The error handler of a stdout whose encoding cannot show every character (PYTHONIOENCODING=ascii,
# a C locale): "D\xe9sir", "\u00b61" escaped as printable() escapes, never a silent "?".
ESCAPE_ERRORS = "kz-escape"
_escaped: list[str] = []  # the characters escaped so far (the first one is enough to say so)


def _escape_unencodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    unshown = error.object[error.start : error.end]
    # A lone surrogate (a byte of argv that was not UTF-8) is no character any encoding shows: escaped unsaid.
    shown = [c for c in unshown if not 0xD800 <= ord(c) <= 0xDFFF]
    if shown and not _escaped:
        _escaped.append(shown[0])
    return "".join(map(_escape, unshown)), error.end


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def stderr_shows(text: str) -> bool:
    """Whether stderr's encoding can write ``text`` as it is (what a message suggests must survive a paste)."""
    encoding = getattr(sys.stderr, "encoding", None)
    try:
        text.encode(encoding if isinstance(encoding, str) else "utf-8")
    except (LookupError, UnicodeError):
        return False
    return True


def escape_what_stdout_cannot_show() -> None:
    """Set stdout and stderr to escape what their encoding cannot show; stdout's escapes are said (``escapes_said``)."""
    import codecs

    codecs.register_error(ESCAPE_ERRORS, _escape_unencodable)
    for stream, errors in ((sys.stdout, ESCAPE_ERRORS), (sys.stderr, "backslashreplace")):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors=errors)  # type: ignore[union-attr]


def escapes_said() -> None:
    """Say, once, that stdout's encoding could not show a character and what was written instead."""
    if _escaped:
        encoding = getattr(sys.stdout, "encoding", "?")
        code = ord(_escaped[0])
        say(
            f"stdout's encoding {encoding!r} cannot show some characters (U+{code:04X} first): "
            "written as \\x and \\u escapes; a UTF-8 locale or PYTHONIOENCODING=utf-8 shows them"
        )
        _escaped.clear()


def rich_terminal() -> bool:
    """Rich only for a real terminal that can show it."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class ReaderGone(Exception):
    """The reader of stdout stopped early (``kz timeline | head -1``): not an error, exit 0."""


class Display:
    """How output is shown, as the root options set it (``--color``, ``--no-pager``; ``kzcli.cli.common``)."""

    color = "auto"  # auto | always | never
    pager = True


def _set(name: str) -> str:
    """An environment variable's value, "" when unset or empty (the conventions treat both alike)."""
    return os.environ.get(name, "")


def colour_choice() -> bool | None:
    """True: colour even in a pipe; False: no colour even on a terminal; None: colour on a terminal only.

    The first that speaks decides: ``--color``; ``FORCE_COLOR`` (set: colour,
    but ``0`` or ``false``: none; it overrides NO_COLOR, as its convention
    says); ``NO_COLOR`` (set: none; it overrides CLICOLOR_FORCE, as the
    clicolors convention says); ``CLICOLOR_FORCE`` (set and not ``0``: colour).
    """
    if Display.color != "auto":
        return Display.color == "always"
    force = _set("FORCE_COLOR")
    if force:
        return force.lower() not in ("0", "false")
    if _set("NO_COLOR"):
        return False
    if _set("CLICOLOR_FORCE") not in ("", "0"):
        return True
    return None


def paging_wanted() -> bool:
    """Whether a terminal's output taller than the screen may go through a pager (never in a pipe:
    only kzcli.render, which draws for a terminal, asks; kzcli.paging picks the pager, if any)."""
    return Display.pager


# Root options a user may also write after the command (``kz search torture --color never``):
# ``hoist_display_options`` moves them before it, where the root parses them.
DISPLAY_FLAGS = ("--no-pager",)
DISPLAY_OPTIONS = ("--color",)


def hoist_display_options(args: list[str]) -> list[str]:
    """``args`` with ``--color WHEN`` and ``--no-pager`` moved to the front, wherever they were typed
    (before ``--``, after which every word is an argument)."""
    from kzcli.arguments import scan

    front, rest, after, missing = scan(
        args,
        lambda arg: arg in DISPLAY_FLAGS or arg.split("=", 1)[0] in DISPLAY_OPTIONS,
        DISPLAY_OPTIONS.__contains__,
    )
    if missing:
        return front
    return [*front, *rest, *(["--", *after] if after is not None else [])] if front else args
