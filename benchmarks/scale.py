"""How kz's cost grows with the corpus: 1x, 10x and 100x the real one, via ``--data``.

Usage (from the repository root)::

    .venv/bin/python benchmarks/scale.py --runs 5
    .venv/bin/python benchmarks/scale.py --runs 5 --python /tmp/kzbench/venv/bin/python

``--python`` names the interpreter of an environment with kz installed (an
installed wheel: bytecode compiled); without it, the interpreter running this
script is used (fine for a dev venv, slower: see DESIGN.md on bytecode).

A corpus N times the size is the real one N times over: copy 0 is the report
as it is; copy i > 0 renames every id (``-c<i>``), every section title and every
entity name and alias (a letter shift, so ``Tulesova`` still names exactly one
person), and repoints every reference, so it passes ``kzcli.validation.validate``
like the original. Paragraph text is kept verbatim, so every quote still
stands in its paragraph and a search finds N times the passages.

For each size and command (``search torture``, ``person Tulesova``,
``timeline --month 2020-06``), each a whole process with output to a pipe,
first on the JSON alone, then after ``kz index`` has written each corpus's
index file (the goal is judged on these, the way to run kz on a big corpus):
the median wall time of ``--runs`` runs and the peak resident memory of the
process (``ru_maxrss`` of that child, from ``os.wait4``). Goal: the 100x time
at most 2x the 1x time of the same command, and under 80 MiB at every size.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "report.json"
COMMANDS = {
    "search": ["search", "torture"],
    "person": ["person", "Tulesova"],
    "timeline": ["timeline", "--month", "2020-06"],
}
FACTORS = (1, 10, 100)
RECORD_KEYS = ("sections", "entities", "events", "figures", "notes", "left_out")
MEMORY_LIMIT_MIB = 80
TIME_LIMIT_RATIO = 2.0


def _shift(text: str, by: int) -> str:
    """Letters moved ``by`` places in the alphabet (case kept): a new, unrelated-looking name."""
    out = []
    for char in text:
        if "a" <= char <= "z":
            out.append(chr((ord(char) - 97 + by) % 26 + 97))
        elif "A" <= char <= "Z":
            out.append(chr((ord(char) - 65 + by) % 26 + 65))
        else:
            out.append(char)
    return "".join(out)


def _copy(raw: dict[str, Any], i: int) -> dict[str, list[Any]]:
    """The corpus's records as copy ``i``: ids, titles and names renamed, references repointed."""
    if i == 0:
        return {key: copy.deepcopy(raw[key]) for key in RECORD_KEYS}
    tag = f"-c{i}"
    shift = i % 25 + 1

    def section_ref(record: dict[str, Any]) -> dict[str, Any]:
        return {**record, "section": record["section"] + tag}

    sections = [{**s, "id": s["id"] + tag, "title": f"{s['title']} {i}"} for s in raw["sections"]]
    entities = [
        {
            **e,
            "id": e["id"] + tag,
            "name": _shift(e["name"], shift),
            "aliases": [_shift(a, shift) for a in e["aliases"]],
            "mentions": [section_ref(m) for m in e["mentions"]],
        }
        for e in raw["entities"]
    ]
    events = [
        {**section_ref(v), "id": v["id"] + tag, "entities": [ref + tag for ref in v["entities"]]} for v in raw["events"]
    ]
    figures = [{**section_ref(f), "id": f["id"] + tag} for f in raw["figures"]]
    notes = [{**n, "id": n["id"] + tag} for n in raw["notes"]]
    left_out = [section_ref(o) for o in raw["left_out"]]
    return {
        "sections": sections,
        "entities": entities,
        "events": events,
        "figures": figures,
        "notes": notes,
        "left_out": left_out,
    }


def grow(raw: dict[str, Any], factor: int) -> dict[str, Any]:
    """The corpus ``factor`` times over (see the module docstring)."""
    grown: dict[str, Any] = {"schema_version": raw["schema_version"], "report": raw["report"]}
    for key in RECORD_KEYS:
        grown[key] = []
    for i in range(factor):
        for key, records in _copy(raw, i).items():
            grown[key].extend(records)
    return grown


def write_corpus(factor: int, folder: Path) -> Path:
    """Write the ``factor``-times corpus into ``folder``; return its path."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    path = folder / f"report-x{factor}.json"
    path.write_text(json.dumps(grow(raw, factor), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one whole process, output to a pipe."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read()
    process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def write_corpora(folder: Path) -> dict[int, Path]:
    """Every size's corpus, written by a child process.

    Linux counts a child's peak RSS from before its exec, so a benchmark that
    had held the 100x corpus in memory would see every child as at least that
    big: the measuring process stays small and lets a child do the writing.
    """
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import scale; "
    code += f"[scale.write_corpus(f, __import__('pathlib').Path({str(folder)!r})) for f in {FACTORS!r}]"
    subprocess.run([sys.executable, "-c", code], check=True)
    return {factor: folder / f"report-x{factor}.json" for factor in FACTORS}


def measure(python: Path, paths: dict[int, Path], runs: int) -> dict[tuple[str, int], tuple[float, float]]:
    """(median ms, peak MiB) per (command, size): alternating runs after one warm-up round."""
    env = {k: v for k, v in os.environ.items() if k not in ("KZ_DATA", "COLUMNS", "NO_COLOR")}
    times: dict[tuple[str, int], list[float]] = {(c, f): [] for c in COMMANDS for f in FACTORS}
    peaks: dict[tuple[str, int], float] = dict.fromkeys(times, 0.0)
    for round_number in range(runs + 1):  # round 0 warms the OS caches
        for (command, factor), samples in times.items():
            args = [str(python), "-m", "kzcli", "--data", str(paths[factor]), *COMMANDS[command]]
            elapsed, peak, code = run_once(args, env)
            if code != 0:
                raise SystemExit(f"scale: {' '.join(args)} exited {code}")
            if round_number:
                samples.append(elapsed)
                peaks[command, factor] = max(peaks[command, factor], peak)
    return {key: (statistics.median(samples) * 1000, peaks[key]) for key, samples in times.items()}


def index_all(python: Path, paths: dict[int, Path]) -> dict[int, tuple[float, int]]:
    """Run `kz index` on every corpus: (seconds it took, size of the index file) per size."""
    built = {}
    for factor, path in paths.items():
        elapsed, _, code = run_once([str(python), "-m", "kzcli", "index", str(path)], dict(os.environ))
        if code != 0:
            raise SystemExit(f"scale: kz index {path} exited {code}")
        built[factor] = (elapsed, Path(f"{path}.kzindex").stat().st_size)
    return built


def report(results: dict[tuple[str, int], tuple[float, float]], title: str, judged: bool) -> bool:
    """One table of medians and peaks; with ``judged``, each command's verdict against the goal."""
    print(title)
    header = "".join(f"{'x' + str(f) + ' ms':>11}{'MiB':>7}" for f in FACTORS)
    print(f"{'command':10}{header}{'x100/x1':>9}  {'result' if judged else ''}".rstrip())
    passed = True
    for command in COMMANDS:
        cells = "".join(f"{results[command, f][0]:11.1f}{results[command, f][1]:7.1f}" for f in FACTORS)
        ratio = results[command, 100][0] / results[command, 1][0]
        ok = ratio <= TIME_LIMIT_RATIO and all(results[command, f][1] < MEMORY_LIMIT_MIB for f in FACTORS)
        passed = passed and ok
        verdict = ("PASS" if ok else "FAIL") if judged else ""
        print(f"{command:10}{cells}{ratio:9.2f}  {verdict}".rstrip())
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time and memory of kz on corpora 1x, 10x and 100x the real one.")
    parser.add_argument("--runs", type=int, default=5, help="runs per command and size (default 5)")
    parser.add_argument("--python", type=Path, default=Path(sys.executable), help="python with kz installed")
    options = parser.parse_args(argv)
    python = options.python.absolute()
    with tempfile.TemporaryDirectory(prefix="kz-scale-") as scratch:
        paths = write_corpora(Path(scratch))
        sizes = {factor: path.stat().st_size for factor, path in paths.items()}
        plain = measure(python, paths, options.runs)
        built = index_all(python, paths)
        indexed = measure(python, paths, options.runs)
    print(f"kz scale: medians of {options.runs} runs (ms) and peak RSS (MiB) per process; python {options.python}")
    print("corpus sizes: " + ", ".join(f"x{f} {size / 1e6:.1f} MB" for f, size in sizes.items()))
    print("kz index: " + ", ".join(f"x{f} {t * 1000:.0f} ms, {size / 1e6:.1f} MB" for f, (t, size) in built.items()))
    report(plain, "the JSON alone (no index file):", judged=False)
    passed = report(indexed, "with the index file (`kz index CORPUS` run once beforehand):", judged=True)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"goal: x100 time <= {TIME_LIMIT_RATIO:g} x the x1 time, and peak RSS < {MEMORY_LIMIT_MIB} MiB at every size")
    print(f"note: a child's peak RSS cannot read below this process's own ({own:.1f} MiB)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
