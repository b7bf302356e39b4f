"""``kz validate``: every problem of a corpus file, as lines, CSV or the common JSON envelope.

The rules are ``kzcli.validation``'s (shape, ids, references, dates and
provenance: every quote verbatim in its paragraph). A file that is empty or
not JSON is reported the same way, as its one problem; one that cannot be read
at all (missing, a directory) is bad input, one line on stderr and exit 2.
"""

from __future__ import annotations

from typing import IO, Any

from kzcli.errors import CorpusError, ExitCode
from kzcli.formats import Result

COUNTED = ("sections", "entities", "events", "figures", "topics")


def run(path: str) -> Result:
    """Read and validate ``path``: its problems as records, exit 0 when there are none, 3 when there are.

    A file that cannot be read at all is no corpus to report on: a UsageError (``document.read_given``).
    """
    from kzcli.document import read_json
    from kzcli.validation import validate

    report: dict[str, Any] | None = None
    counts: dict[str, int] = {}
    try:
        raw, source = read_json(path, given=True)
    except CorpusError as exc:
        problems = [f"file: {exc.problem}"]
    else:
        problems = validate(raw, source)
        if isinstance(raw, dict):
            block = raw.get("report")
            if isinstance(block, dict):
                report = {key: block.get(key) for key in ("title", "series", "publisher") if key in block}
            counts = {key: len(raw[key]) for key in COUNTED if isinstance(raw.get(key), list)}
    records = [
        {"where": where, "problem": what, "message": problem}
        for problem in problems
        for where, what in [split_problem(problem)]
    ]
    valid = not problems
    result = Result(
        "validate",
        {"path": path},
        records,
        len(records),
        [summary(path, problems, counts)],
        {"valid": valid, "counts": counts},
        ExitCode.OK if valid else ExitCode.CORPUS,
    )
    result.report = report
    return result


def split_problem(problem: str) -> tuple[str, str]:
    """("event 'x'", "unknown section 'y'") from "event 'x': unknown section 'y'"."""
    where, sep, what = problem.partition(": ")
    return (where, what) if sep else ("file", problem)


def summary(path: str, problems: list[str], counts: dict[str, int]) -> str:
    if not problems:
        return f"{path}: valid ({', '.join(f'{n} {key}' for key, n in counts.items())})"
    return f"{path}: {len(problems)} problem{'s' if len(problems) != 1 else ''}"


def write_lines(result: Result, fmt: str, out: IO[str]) -> None:
    """Problems as plain lines (one problem, one line, whatever the file holds), CSV with a header,
    or TSV (a header, then where and what, tab-separated).

    A problem quotes what the file holds: its unsafe characters (tabs included) are shown escaped in all three.
    """
    from kzcli.characters import printable

    if fmt == "tsv":
        out.write("where\tproblem\n")
        out.writelines(f"{printable(r['where'])}\t{printable(r['problem'])}\n" for r in result.records)
        return
    if fmt == "csv":
        from kzcli.formats import write_csv_rows

        rows = ((printable(r["where"]), printable(r["problem"])) for r in result.records)
        write_csv_rows(out, ("where", "problem"), rows)
        return
    for record in result.records:
        out.write(printable(record["message"]) + "\n")
