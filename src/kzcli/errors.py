"""Exit codes and the domain errors that carry them.

The core raises these; only ``kzcli.entry`` turns them into a line on stderr
(and, under ``--json``, an error envelope on stdout) and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    CORPUS = 3
    # A bug in kz itself, reported on one line (sysexits' EX_SOFTWARE).
    INTERNAL = 70
    # Output could not be written (stdout closed, disk full): sysexits' EX_IOERR.
    OUTPUT = 74
    INTERRUPTED = 130


class KzError(Exception):
    """Base class: a message meant for the user and the exit code that goes with it.

    ``candidates`` are what the user may have meant (records of ids and names),
    carried into the JSON error envelope.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, candidates: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.candidates = candidates or []


class UsageError(KzError):
    """The user's input cannot be understood (bad month, empty query, unknown type)."""

    exit_code = ExitCode.USAGE


class NotFoundError(KzError):
    """The input was understood but nothing in the report matches it."""

    exit_code = ExitCode.NOT_FOUND


class OutputError(KzError):
    """What was asked for could not be written (disk full, SQLite failure): not the user's input."""

    exit_code = ExitCode.OUTPUT


class CorpusError(KzError):
    """The corpus file is missing, unreadable or breaks the schema or provenance rules."""

    exit_code = ExitCode.CORPUS

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"corpus {path}: {problem}")
        self.path = path
        self.problem = problem
