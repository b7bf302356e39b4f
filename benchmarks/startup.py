"""Startup budget of kz, measured on an installed wheel against fixed floors.

Usage (from the repository root)::

    .venv/bin/python benchmarks/startup.py --runs 15
    .venv/bin/python benchmarks/startup.py --runs 15 --python /tmp/kzbench/venv/bin/python

Without ``--python`` it builds the wheel from this checkout (``python -m
build``), installs it into a fresh venv in a temporary directory (pip compiles
bytecode on install, as a user's install does) and deletes it afterwards. With
``--python`` it measures the ``kz`` script next to that interpreter as it is.

What is timed is a whole process, from spawn to exit, output to a pipe unless
said otherwise, ``--runs`` times in alternating rounds (after two warm-up
rounds); the table shows medians in ms:

- P: ``python -c pass``, the interpreter alone;
- T: ``benchmarks/typer_floor.py``, kz's own Typer app with its commands
  doing nothing, given the same arguments as each kz command;
- kz: ``search torture``, ``person Tulesova``, ``timeline --month 2020-06``;
  the same search on a 120-column pseudo-terminal (a Rich table); ``--help``
  and ``search --help``;
- anchors for the same search: ``rg -n torture`` and ``grep -n torture`` on
  data/source.txt, and an FTS5 ranked query over the same paragraphs with the
  ``sqlite3`` command-line shell (or, without one, a python one-liner).

Budgets (DESIGN.md): the three queries ≤ 1.2 x T and ≤ 8 x P; the terminal
table ≤ 11 x P; each help ≤ 10 x P. Exit status 1 if any budget fails.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "source.txt"
FTS_QUERY = (
    "SELECT section, paragraph, snippet(paragraphs, 2, '[', ']', '...', 12) "
    "FROM paragraphs WHERE paragraphs MATCH 'torture' ORDER BY rank;"
)
WARMUP_ROUNDS = 2


@dataclass
class Case:
    """One command to time; ``terminal`` runs it on a pseudo-terminal of that many columns."""

    name: str
    argv: list[str]
    terminal: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def fastest(self) -> float:
        return min(self.times) * 1000


@dataclass
class Budget:
    case: str
    floor: str
    factor: float


def clean_env() -> dict[str, str]:
    """The caller's environment without anything that changes what kz or Python does."""
    drop = {"KZ_DATA", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.setdefault("LANG", "C.UTF-8")
    env["TERM"] = "xterm-256color"
    return env


def run_in_pipe(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.communicate()
    return time.perf_counter() - start, process.returncode


def run_on_terminal(argv: list[str], env: dict[str, str], columns: int) -> tuple[float, int]:
    import fcntl
    import termios

    env = {**env, "COLUMNS": str(columns), "LINES": "50"}
    start = time.perf_counter()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(argv, env=env, stdin=slave, stdout=slave, stderr=subprocess.DEVNULL)
    os.close(slave)
    try:
        while os.read(master, 65536):
            pass
    except OSError:  # EIO once the child has closed the terminal
        pass
    finally:
        os.close(master)
    code = process.wait()
    return time.perf_counter() - start, code


def measure(cases: list[Case], runs: int, env: dict[str, str]) -> None:
    """Alternating rounds: every case once per round, the order rotated each round."""
    for round_number in range(WARMUP_ROUNDS + runs):
        shift = round_number % len(cases)
        for case in cases[shift:] + cases[:shift]:
            if case.terminal:
                elapsed, code = run_on_terminal(case.argv, env, case.terminal)
            else:
                elapsed, code = run_in_pipe(case.argv, env)
            if code != 0:
                raise SystemExit(f"startup: {case.name} exited {code}: {' '.join(case.argv)}")
            if round_number >= WARMUP_ROUNDS:
                case.times.append(elapsed)


def install_wheel(work: Path) -> Path:
    """Build this checkout's wheel and install it into a fresh venv; return its python."""
    dist = work / "dist"
    print(f"startup: building the wheel of {ROOT} ...", file=sys.stderr)
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wheel = next(dist.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / "bin" / "python"
    print(f"startup: installing {wheel.name} into {work / 'venv'} ...", file=sys.stderr)
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return python


def prepare_floor(python: Path, kz_script: Path, work: Path) -> Path:
    """typer_floor.py, byte-compiled, behind a script shaped like pip's ``kz`` script."""
    floor = work / "floor"
    floor.mkdir(exist_ok=True)
    shutil.copy(ROOT / "benchmarks" / "typer_floor.py", floor / "typer_floor.py")
    subprocess.run([str(python), "-m", "compileall", "-q", str(floor)], check=True)
    script = kz_script.read_text(encoding="utf-8")
    lines = [line for line in script.splitlines() if line.startswith("from kzcli")]
    if len(lines) != 1:
        raise SystemExit(f"startup: cannot read the entry point from {kz_script}")
    # kz's own import line becomes the floor's main, next to kz's leave (the floor's main exits before it).
    floor_import = f"from typer_floor import main\n{lines[0].replace('leave, main', 'leave')}"
    (floor / "kz-floor").write_text(script.replace(lines[0], floor_import), encoding="utf-8")
    return floor / "kz-floor"


def prepare_fts(python: Path, work: Path) -> tuple[list[str], str]:
    """An FTS5 table of the corpus paragraphs, and the command that queries it."""
    found = subprocess.run(
        [str(python), "-c", "import kzcli.document as d; print(d.bundled_path())"],
        check=True,
        capture_output=True,
        text=True,
    )
    corpus = json.loads(Path(found.stdout.strip()).read_text(encoding="utf-8"))
    database = work / "fts.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE VIRTUAL TABLE paragraphs USING fts5(section, paragraph UNINDEXED, text)")
        connection.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?)",
            [(s["id"], n, text) for s in corpus["sections"] for n, text in enumerate(s["paragraphs"], 1)],
        )
    shell = shutil.which("sqlite3")
    if shell:
        argv = [shell, str(database), FTS_QUERY]
        if subprocess.run(argv, capture_output=True, check=False).returncode == 0:
            return argv, "sqlite3 shell"
    one_liner = f"import sqlite3; print(sqlite3.connect({str(database)!r}).execute({FTS_QUERY!r}).fetchall())"
    return [str(python), "-S", "-c", one_liner], "python -S one-liner"


def build_cases(python: Path, work: Path) -> tuple[list[Case], list[str]]:
    kz = python.parent / "kz"
    if not kz.exists():
        raise SystemExit(f"startup: no kz script next to {python}")
    floor = prepare_floor(python, kz, work)
    py, kz_cmd, floor_cmd = str(python), [str(python), str(kz)], [str(python), str(floor)]
    search, person, timeline = ["search", "torture"], ["person", "Tulesova"], ["timeline", "--month", "2020-06"]
    cases = [
        Case("P  python -c pass", [py, "-c", "pass"]),
        Case("T  floor search torture", [*floor_cmd, *search]),
        Case("T  floor person Tulesova", [*floor_cmd, *person]),
        Case("T  floor timeline --month", [*floor_cmd, *timeline]),
        Case("kz search torture", [*kz_cmd, *search]),
        Case("kz person Tulesova", [*kz_cmd, *person]),
        Case("kz timeline --month 2020-06", [*kz_cmd, *timeline]),
        Case("kz search torture (pty 120)", [*kz_cmd, *search], terminal=120),
        Case("kz --help", [*kz_cmd, "--help"]),
        Case("kz search --help", [*kz_cmd, "search", "--help"]),
    ]
    notes = []
    rg = shutil.which("rg")
    if rg:
        cases.append(Case("anchor rg -n torture", [rg, "-n", "torture", str(SOURCE)]))
    else:
        notes.append("rg (ripgrep) is not installed: no rg anchor")
    cases.append(Case("anchor grep -n torture", ["grep", "-n", "torture", str(SOURCE)]))
    fts_argv, fts_how = prepare_fts(python, work)
    cases.append(Case("anchor sqlite FTS5 query", fts_argv))
    notes.append(f"sqlite FTS5 anchor: {fts_how}, whole process")
    return cases, notes


BUDGETS = [
    Budget("kz search torture", "T  floor search torture", 1.2),
    Budget("kz search torture", "P  python -c pass", 8),
    Budget("kz person Tulesova", "T  floor person Tulesova", 1.2),
    Budget("kz person Tulesova", "P  python -c pass", 8),
    Budget("kz timeline --month 2020-06", "T  floor timeline --month", 1.2),
    Budget("kz timeline --month 2020-06", "P  python -c pass", 8),
    Budget("kz search torture (pty 120)", "P  python -c pass", 11),
    Budget("kz --help", "P  python -c pass", 10),
    Budget("kz search --help", "P  python -c pass", 10),
]


def report(cases: list[Case], notes: list[str], runs: int, python: Path) -> bool:
    by_name = {c.name: c for c in cases}
    p = by_name["P  python -c pass"].median
    t = by_name["T  floor search torture"].median
    print(f"kz startup: medians of {runs} alternating runs, output to a pipe unless marked pty; python {python}")
    print(f"{'case':34} {'median ms':>10} {'min ms':>8} {'x P':>6} {'x T':>6}")
    for case in cases:
        print(f"{case.name:34} {case.median:10.1f} {case.fastest:8.1f} {case.median / p:6.2f} {case.median / t:6.2f}")
    for note in notes:
        print(f"note: {note}")
    print()
    print(f"{'budget':58} {'measured':>9}  result")
    passed = True
    for budget in BUDGETS:
        ratio = by_name[budget.case].median / by_name[budget.floor].median
        ok = ratio <= budget.factor
        passed = passed and ok
        floor = budget.floor.split()[0]
        label = f"{budget.case} <= {budget.factor:g} x {floor}"
        print(f"{label:58} {ratio:8.2f}x  {'PASS' if ok else 'FAIL'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="timed rounds after two warm-up rounds (default 15)")
    parser.add_argument(
        "--python",
        type=Path,
        help="python of an environment with kz installed (its kz script is timed); "
        "default: build and install this checkout's wheel into a temporary venv",
    )
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="kz-startup-") as scratch:
        work = Path(scratch)
        python = options.python.absolute() if options.python else install_wheel(work)
        cases, notes = build_cases(python, work)
        measure(cases, options.runs, clean_env())
        return 0 if report(cases, notes, options.runs, python) else 1


if __name__ == "__main__":
    sys.exit(main())
