"""``kz validate``: every problem of a corpus file, as lines, CSV or a JSON document.

The rules are ``kzcli.corpus.validate``'s (shape, ids, references, dates and
provenance: every quote verbatim in its paragraph). A file that cannot be read
or parsed is reported the same way, as its one problem. The JSON Schema that
ships beside this module (``report.schema.json``) states the shape for other
tools; the provenance rules are kz's alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO, Any

from kzcli.corpus import read_json, validate
from kzcli.errors import CorpusError

SCHEMA_FILE = "report.schema.json"


def schema_path() -> str:
    """Where the bundled JSON Schema for corpus files is (inside the installed package)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), SCHEMA_FILE)


@dataclass(frozen=True, slots=True)
class Check:
    path: str
    problems: list[str]
    report: dict[str, Any] | None  # the file's own report block, when it has one
    counts: dict[str, int]

    @property
    def valid(self) -> bool:
        return not self.problems


def check_file(path: str) -> Check:
    """Read and validate ``path``; unreadable or unparsable files are one problem, not an exception."""
    try:
        raw = read_json(path)
    except CorpusError as exc:
        return Check(path, [f"file: {exc.problem}"], None, {})
    problems = validate(raw)
    report = raw.get("report") if isinstance(raw, dict) and isinstance(raw.get("report"), dict) else None
    counts = {}
    if isinstance(raw, dict):
        for key in ("sections", "entities", "events", "figures"):
            if isinstance(raw.get(key), list):
                counts[key] = len(raw[key])
    return Check(path, problems, report, counts)


def split_problem(problem: str) -> tuple[str, str]:
    """("event 'x'", "unknown section 'y'") from "event 'x': unknown section 'y'"."""
    where, sep, what = problem.partition(": ")
    return (where, what) if sep else ("file", problem)


def summary(check: Check) -> str:
    if check.valid:
        counts = ", ".join(f"{n} {key}" for key, n in check.counts.items())
        return f"{check.path}: valid ({counts})"
    count = len(check.problems)
    return f"{check.path}: {count} problem{'s' if count != 1 else ''}"


def document(check: Check, output_schema_version: int) -> dict[str, Any]:
    """The JSON envelope of ``kz validate --format json``."""
    report = check.report
    return {
        "schema_version": output_schema_version,
        "command": "validate",
        "query": {"path": check.path},
        "report": None
        if report is None
        else {key: report.get(key) for key in ("title", "series", "publisher") if key in report},
        "valid": check.valid,
        "total": len(check.problems),
        "returned": len(check.problems),
        "counts": check.counts,
        "records": [
            {"where": where, "problem": what, "message": problem}
            for problem in check.problems
            for where, what in [split_problem(problem)]
        ],
    }


def write(check: Check, fmt: str, out: IO[str], output_schema_version: int) -> None:
    """Problems as plain lines (``table``), CSV with a header, or the JSON envelope."""
    if fmt == "json":
        from kzcli.formats import dump_json

        dump_json(document(check, output_schema_version), out)
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("where", "problem"))
        writer.writerows(split_problem(p) for p in check.problems)
    else:
        from kzcli.text import printable

        for problem in check.problems:
            out.write(printable(problem) + "\n")  # one problem, one line, whatever the file holds
