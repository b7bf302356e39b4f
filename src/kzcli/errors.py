"""Domain errors, each tied to the exit code the CLI turns it into.

The core raises these; only ``cli`` prints them (one line on stderr).
"""

from __future__ import annotations

EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_CORPUS = 3
# Output could not be written (stdout closed, disk full): sysexits' EX_IOERR.
EXIT_OUTPUT = 74
# A bug in kz itself, reported on one line (sysexits' EX_SOFTWARE).
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class KzError(Exception):
    """Base class: a message meant for the user and the exit code that goes with it."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(KzError):
    """The user's input cannot be understood (bad month, empty query, unknown type)."""

    exit_code = EXIT_USAGE


class NotFoundError(KzError):
    """The input was understood but nothing in the report matches it."""

    exit_code = EXIT_NOT_FOUND


class OutputError(KzError):
    """What was asked for could not be written (disk full, SQLite failure): not the user's input."""

    exit_code = EXIT_OUTPUT


class CorpusError(KzError):
    """The corpus file is missing, unreadable or breaks the schema or provenance rules."""

    exit_code = EXIT_CORPUS

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"corpus {path}: {problem}")
        self.path = path
        self.problem = problem
