"""Writing a command's result: the format chosen, data on stdout, messages on stderr, the exit code.

The Typer layer calls ``emit`` with what a command returned; nothing here
knows Typer. Rich is imported (through ``render``) only for a real terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

from kzcli.errors import UsageError
from kzcli.streams import colour_choice, rich_terminal, say

if TYPE_CHECKING:
    from kzcli.corpus import Report
    from kzcli.formats import Result


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    # JSON Lines: the envelope's records, one compact object a line (mlr, DuckDB, jq -c).
    jsonl = "jsonl"
    # The plain lines with a header row naming their columns (plain itself stays headerless).
    tsv = "tsv"


def chosen_format(fmt: OutputFormat, as_json: bool) -> OutputFormat:
    """--json is --format json; with another explicit --format it is a contradiction (exit 2)."""
    if as_json and fmt is not OutputFormat.table and fmt is not OutputFormat.json:
        raise UsageError(f"--json and --format {fmt.value} disagree; give one of them")
    return OutputFormat.json if as_json else fmt


def emit(result: Result, fmt: OutputFormat, as_json: bool, report: Callable[[], Report | None]) -> int:
    """Write ``result`` in the chosen format and return its exit code.

    ``report`` gives the report header for the JSON envelope (read only for JSON).
    A command that fails says one line on stderr: the first message, then the notes.
    """
    chosen = chosen_format(fmt, as_json)
    if not result.records and len(result.messages) > 1:
        result.messages = ["; ".join(result.messages)]
    out = sys.stdout
    if chosen is OutputFormat.json:
        from kzcli.formats import write_json

        write_json(result, report(), out)
    elif chosen is OutputFormat.csv:
        from kzcli.formats import write_csv

        write_csv(result, out)
    elif chosen is OutputFormat.jsonl or chosen is OutputFormat.tsv:
        from kzcli.formats import write_jsonl, write_tsv

        (write_jsonl if chosen is OutputFormat.jsonl else write_tsv)(result, out)
    elif rich_terminal() and "count" not in result.extra:  # a count is a number, on a terminal too
        from kzcli import render

        render.show(result)
    else:
        from kzcli.formats import write_plain

        write_plain(result, out, colour=colour_choice() is True)
    out.flush()
    if chosen is not OutputFormat.table or not rich_terminal() or "count" in result.extra:
        # Notes ("showing results for", "3 more passages") reach the user in
        # every format, on stderr, so a CSV or JSON consumer is never misled.
        for message in result.messages:
            say(message)
    return result.exit_code
