"""What kz's fast twins buy: each fast path timed against the plain path it stands beside.

Usage (from the repository root, in the dev venv: ``pip install -e ".[test]"``)::

    .venv/bin/python benchmarks/twins.py --runs 20
    .venv/bin/python benchmarks/twins.py --runs 20 --python /tmp/kzbench/venv/bin/python

Without ``--python`` it builds this checkout's wheel and installs it into a
fresh venv in a temporary directory (as ``startup.py`` does: pip compiles the
bytecode, which a dev venv run with PYTHONDONTWRITEBYTECODE=1 lacks); with
``--python`` it uses the kz installed beside that interpreter. Takes a few
minutes: it also writes the 100x corpus of ``scale.py`` and indexes a copy.

The twins (``tests/test_fast_paths.py`` and others check each pair agrees):

1. ``text.terms`` vs ``[(t.term, t.surface, t.position) for t in text.tokens(...)]``
   inside ``search.build_index``;
2. the fold table (``text.fold``: ``_learn`` + ``str.translate``) vs a plain
   fold of every string (quotes, hyphens and spaces mapped, NFKD, combining
   marks dropped, casefold), with ``fold_with_offsets`` as its per-character
   loop; and, on the report only, vs the per-character fold the table
   replaced (``"".join(_fold_char(c) for c in text)``);
3. ``names._rank_without_fuzz`` vs always ``names.rank`` (rapidfuzz);
5. the Typer floor: ``python -c pass``, ``python benchmarks/typer_floor.py
   search torture`` (and the same byte-compiled, as ``startup.py`` runs it),
   installed ``kz search torture``;
6. others: ``names.mentioned_in_query`` vs the name-by-name scan it
   replaced; validation's byte pre-check for control characters vs always
   walking every string; ``sections.resolve_section``'s exact-name loop vs
   ``rank_sections`` (rapidfuzz); the wheel's snapshot vs parsing, validating
   and indexing the same JSON (``--data`` a copy of it).

How it is timed. In-process rows run in this interpreter (kz from this
checkout), garbage collector off as in kz, and every text cache emptied before
each run (the fold table, the word cache: what a new process starts with); the
corpus's lookup tables are given (``memory.LookupTables``: the snapshot and the
index file carry them), and each run gets new ``MemoryLookups`` over them, so
what those work out on first use (the name table by entity, positions, titles)
is worked out again. Process rows are whole processes of the
installed kz, from spawn to exit, output to a pipe: a launcher (this file,
byte-compiled) swaps the plain twin into kz's modules and calls kz's entry
point; the fast row goes through the same launcher unchanged (the last row
compares that launcher with the kz script itself). Every case runs once per
round, the order rotated each round; warm-up rounds are dropped. Before
timing, each pair is checked to give the same answer (for processes: the same
output and exit status).

Columns: the median of each twin; "saved", the median of the per-round
differences (plain - fast); "iqr", the interquartile range of those
differences (the noise); "ratio", plain median / fast median. The floor table
gives each case's median and fastest run and its ratio to P and to T.

``report`` is data/report.json (the wheel's own corpus, with its snapshot,
unless marked --data); ``x100`` is ``scale.py``'s corpus 100 times its size,
``x100+index`` the same after ``kz index``. (kz's three number-word tables,
in scan, ingest and figures, are a question for reading, not for timing.)
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from kzcli.corpus import Corpus
    from kzcli.memory import LookupTables

Swap = tuple[str, str, Any]  # (module, attribute, replacement)


# --- the plain twins (also what the launcher swaps into an installed kz) -----------

_MARKS: dict[int, str] = {}
_SPACE_RE = re.compile(r"\s")


def plain_fold(text: str) -> str:
    """``text.fold`` without the table: map quotes, hyphens and spaces, NFKD, drop combining marks, casefold."""
    if not _MARKS:
        from kzcli import text as kztext

        _MARKS.update(str.maketrans({**kztext._QUOTES, **dict.fromkeys(kztext._HYPHENS, "-"), "\u00ad": ""}))
    decomposed = unicodedata.normalize("NFKD", _SPACE_RE.sub(" ", text.translate(_MARKS)))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def per_char_fold(text: str) -> str:
    """``text.fold`` as it was before the table: one cached call per character."""
    from kzcli.text import _fold_char

    return "".join(_fold_char(c) for c in text)


def plain_fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text.fold_with_offsets`` without the table: its per-character branch, for every text."""
    from kzcli.text import _fold_char

    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    offsets.append(len(text))
    return "".join(pieces), offsets


def plain_terms(text: str, stemmed: bool = True) -> list[tuple[str, str, int]]:
    """``text.terms`` as the test states it: the tokens, offsets dropped."""
    from kzcli.text import tokens

    return [(t.term, t.surface, t.position) for t in tokens(text, stemmed)]


def no_shortcut(corpus: Corpus, query: str, types: tuple[str, ...] | None) -> None:
    """``names._rank_without_fuzz`` never deciding: ``resolve`` always calls ``rank``."""
    return None


def swaps(variant: str) -> list[Swap]:
    """What the launcher (and the in-process rows) put in place of kz's fast twin."""
    table: dict[str, list[Swap]] = {
        "fast": [],
        "tokens": [("kzcli.text", "terms", plain_terms)],
        "nfkd": [("kzcli.text", "fold", plain_fold), ("kzcli.text", "fold_with_offsets", plain_fold_with_offsets)],
        "per-char": [
            ("kzcli.text", "fold", per_char_fold),
            ("kzcli.text", "fold_with_offsets", plain_fold_with_offsets),
        ],
        "rank": [("kzcli.names", "_rank_without_fuzz", no_shortcut)],
    }
    return table[variant]


def apply(changes: list[Swap]) -> Callable[[], None]:
    """Put each replacement in its module and in every loaded kzcli module that imported
    the original by name; return what undoes it. Modules imported later pick it up."""
    undo: list[tuple[object, str, object]] = []
    for module_name, name, replacement in changes:
        original = getattr(sys.modules[module_name], name)
        for key, module in list(sys.modules.items()):
            if (key == "kzcli" or key.startswith("kzcli.")) and getattr(module, name, None) is original:
                setattr(module, name, replacement)
                undo.append((module, name, original))

    def restore() -> None:
        for module, name, original in reversed(undo):
            setattr(module, name, original)

    return restore


def as_kz() -> None:
    """The launcher: ``kz-twin VARIANT ARGS...`` runs ``kz ARGS...`` with that variant's twins swapped in."""
    import gc

    gc.disable()  # as kzcli.entry does, before the imports below
    variant = sys.argv[1]
    sys.argv = ["kz", *sys.argv[2:]]
    import kzcli.names
    import kzcli.text  # noqa: F401  (both imported for every variant, so each pays the same)

    apply(swaps(variant))
    from kzcli.entry import main

    sys.exit(main())  # as pip's kz script does: main returns the exit code


# --- timing -----------------------------------------------------------------------


class Timed:
    """One in-process case: ``prepare`` (untimed) resets state and returns what is timed."""

    def __init__(
        self, name: str, prepare: Callable[[], Callable[[], object]], variant: str = "fast", extra: Swap | None = None
    ) -> None:
        self.name = name
        self.prepare = prepare
        self.variant = variant
        self.swaps = swaps(variant) + ([extra] if extra else [])
        self.times: list[float] = []


def interleave(cases: list[Timed], runs: int, warmup: int = 1) -> None:
    """Every case once per round, order rotated each round; the first ``warmup`` rounds dropped."""
    import gc
    import time

    gc.disable()
    try:
        for round_number in range(warmup + runs):
            gc.collect()
            shift = round_number % len(cases)
            for case in cases[shift:] + cases[:shift]:
                restore = apply(case.swaps)
                try:
                    thunk = case.prepare()
                    start = time.perf_counter()
                    thunk()
                    elapsed = time.perf_counter() - start
                finally:
                    restore()
                if round_number >= warmup:
                    case.times.append(elapsed)
    finally:
        gc.enable()


def cold_text() -> None:
    """Empty every cache of kzcli.text: the state a new kz process starts in."""
    from kzcli import text

    text._FOLD_TABLE.clear()
    text._KNOWN.clear()
    text._RESIZING.clear()
    text._fold_char.cache_clear()
    text._STEMMED.clear()
    text._UNSTEMMED.clear()
    text._needle_terms.cache_clear()


def run_variant(changes: list[Swap], thunk: Callable[[], Any]) -> Any:
    """``thunk()`` with these twins swapped in, from cold caches (for the agreement checks)."""
    restore = apply(changes)
    try:
        cold_text()
        return thunk()
    finally:
        restore()


# --- the in-process cases ------------------------------------------------------------


def with_tables(corpus: Corpus, tables: LookupTables) -> Corpus:
    """``corpus`` with new in-memory lookups given ``tables``, as one loaded from the snapshot starts."""
    from kzcli.corpus import Corpus
    from kzcli.memory import MemoryLookups

    lookups = MemoryLookups(corpus.report, corpus.records, tables)
    return Corpus(corpus.schema_version, corpus.report, lookups, corpus.records, path=corpus.path)


def mentioned_plainly(corpus: Corpus, query: str) -> list[str]:
    """What ``mentioned_in_query`` replaced (tests/test_fast_paths.py): every entity's keys, one by one."""
    from kzcli.names import name_keys
    from kzcli.text import words

    folded_query = f" {' '.join(words(query))} "
    return [
        e.id
        for e in corpus.entities
        if e.type != "place" and any(len(k) >= 3 and f" {k} " in folded_query for k in name_keys(e))
    ]


Row = tuple[str, str, str, str]  # (twin, case, name of the fast case, name of the plain case)


class InProcess:
    """The in-process cases, corpus by corpus, each pair checked to agree before it is timed."""

    def __init__(self) -> None:
        self.cases: dict[str, Timed] = {}
        self.rows: list[Row] = []
        self.notes: list[str] = []

    def add(self, twin: str, label: str, fast: Timed, plain: Timed) -> None:
        for case in (fast, plain):
            self.cases.setdefault(case.name, case)
        self.rows.append((twin, f"{label} (in-process)", fast.name, plain.name))

    def corpus(self, size: str, raw: Any, source: bytes) -> None:
        """Every in-process case of one corpus (some on the report alone), in the table's order."""
        cases = CorpusCases(self, size, raw, source)
        cases.index_builds()
        cases.fold_check()
        if size == "report":
            cases.query_phase()
        cases.resolving()
        cases.mentioned()
        cases.validating()
        if size == "report":
            cases.section()

    def snapshot(self, folder: Path, report: Path) -> None:
        """Loading the report from the wheel's snapshot or from its JSON, as ``loading.load`` does either."""
        import shutil

        from kzcli import loading
        from kzcli.validity import SNAPSHOT_NAME

        path = str(folder / "report.json")
        shutil.copy(report, path)
        (folder / SNAPSHOT_NAME).write_bytes(loading.make_snapshot(path))

        def loading_case(snapshotted: bool) -> Timed:
            def prepare() -> Callable[[], object]:
                cold_text()

                def run() -> object:
                    # load() takes a snapshot only for the wheel's own corpus unless asked: ask, or refuse.
                    data = loading.load(path, snapshot=snapshotted)
                    return data.search_index(), data.name_table()

                return run

            return Timed(f"load report [{'snapshot' if snapshotted else 'parse'}]", prepare)

        fast, plain = loading_case(True), loading_case(False)
        taken = run_variant([], lambda: getattr(loading.load(path, snapshot=True).lookups, "_stored_index", None))
        if loading.read_snapshot(path) is None or taken is None:
            raise SystemExit("twins: the snapshot was not used")
        agree = [run_variant(case.swaps, case.prepare()) for case in (fast, plain)]
        if agree[0] != agree[1]:
            raise SystemExit("twins: the snapshot and the JSON give different indexes or name tables")
        self.add("6 snapshot | parse", "load + search_index + name_table, report", fast, plain)


def agree(what: str, fast: Timed, plain: Timed) -> None:
    """Stop unless the two twins give the same answer (each from cold caches)."""
    answers = [run_variant(case.swaps, case.prepare()) for case in (fast, plain)]
    if answers[0] != answers[1]:
        raise SystemExit(f"twins: {what} differs between {fast.name!r} and {plain.name!r}")


class CorpusCases:
    """The in-process cases of one corpus: each pair checked to agree, then added to ``suite``."""

    def __init__(self, suite: InProcess, size: str, raw: Any, source: bytes) -> None:
        from kzcli.document import build
        from kzcli.memory import lookup_tables

        self.suite, self.size, self.raw, self.source = suite, size, raw, source
        self.corpus = build(raw)
        self.tables = lookup_tables(self.corpus.records)

    def fresh(self) -> Corpus:
        """The corpus as a new process has it: lookup tables given, nothing worked out from them yet."""
        cold_text()
        return with_tables(self.corpus, self.tables)

    def pair(self, twin: str, label: str, what: str, fast: Timed, plain: Timed) -> None:
        agree(what, fast, plain)
        self.suite.add(twin, label, fast, plain)

    def index_builds(self) -> None:
        """1 and 2: building the search index, whichever twin tokenises and folds."""
        from kzcli.search import build_index

        sections = self.corpus.sections

        def index_build(variant: str) -> Timed:
            def prepare() -> Callable[[], object]:
                cold_text()
                return lambda: build_index(sections)

            return Timed(f"build_index {self.size} [{variant}]", prepare, variant)

        fast_build = index_build("fast")
        plains = [("1 terms | tokens", "tokens"), ("2 fold table | NFKD", "nfkd")]
        if self.size == "report":
            plains.append(("2 fold table | per-char", "per-char"))
        for twin, variant in plains:
            self.pair(twin, f"build_index, {self.size}", "the search index", fast_build, index_build(variant))

    def fold_check(self) -> None:
        """2: the plain fold is text.fold on every string of the corpus (a note, not a row)."""
        from kzcli.text import fold

        corpus = self.corpus
        strings = [s.title for s in corpus.sections] + [p for s in corpus.sections for p in s.paragraphs]
        strings += [k for e in corpus.entities for k in (e.name, *e.aliases)]
        cold_text()
        differ = [s for s in strings if plain_fold(s) != fold(s)]
        if differ:
            raise SystemExit(f"twins: the plain fold differs from fold on {self.size}: {differ[0][:60]!r}")
        self.suite.notes.append(
            f"{self.size}: plain fold == text.fold on all {len(strings)} titles, paragraphs, names, aliases"
        )

    def query_phase(self) -> None:
        """2: what `kz search torture` folds once the index exists (the snapshot's case)."""
        from kzcli.entities import speller
        from kzcli.names import mentioned_in_query
        from kzcli.search import build_index, search

        index = run_variant([], lambda: build_index(self.corpus.sections))

        def query_phase(variant: str) -> Timed:
            def prepare() -> Callable[[], object]:
                data = self.fresh()

                def run() -> object:
                    found = search(index, "torture", False, None, 10, speller(data))
                    return found.hits, mentioned_in_query(data, "torture")

                return run

            return Timed(f"search torture query phase {self.size} [{variant}]", prepare, variant)

        label = "search + hint 'torture', report"
        self.pair("2 fold table | NFKD", label, "search torture", query_phase("fast"), query_phase("nfkd"))

    def resolving(self) -> None:
        """3: resolving an exact surname, with and without the shortcut."""
        from kzcli import names

        def resolving(variant: str) -> Timed:
            def prepare() -> Callable[[], object]:
                data = self.fresh()
                return lambda: names.resolve(data, "Tulesova", ("person",))

            return Timed(f"resolve Tulesova {self.size} [{variant}]", prepare, variant)

        label = f"resolve('Tulesova', person), {self.size}"
        self.pair("3 no-fuzz | rank", label, "resolve Tulesova", resolving("fast"), resolving("rank"))

    def mentioned(self) -> None:
        """6: the names a query holds, by word lookup or entity by entity."""
        from kzcli.names import mentioned_in_query

        def mentioned(plain: bool) -> Timed:
            def prepare() -> Callable[[], object]:
                data = self.fresh()
                if plain:
                    return lambda: mentioned_plainly(data, "torture")
                return lambda: [e.id for e in mentioned_in_query(data, "torture")]

            return Timed(f"mentioned_in_query {self.size} [{'plain' if plain else 'fast'}]", prepare)

        label = f"mentioned_in_query('torture'), {self.size}"
        self.pair("6 name lookup | scan", label, "the names in 'torture'", mentioned(False), mentioned(True))

    def validating(self) -> None:
        """6: validation with the byte pre-check for control characters, or walking every string."""
        from kzcli.validation import validate

        def validating(walk: bool) -> Timed:
            raw, given = self.raw, None if walk else self.source
            return Timed(f"validate {self.size} [{'walk' if walk else 'fast'}]", lambda: lambda: validate(raw, given))

        label = f"validate (whole), {self.size}"
        self.pair("6 control pre-check | walk", label, "validation", validating(False), validating(True))

    def section(self) -> None:
        """6: a section named exactly, without and with fuzzy ranking."""
        from kzcli.sections import rank_sections, resolve_section

        def section(plain: bool) -> Timed:
            def prepare() -> Callable[[], object]:
                data = self.fresh()
                if plain:
                    return lambda: rank_sections(data, "torture")[0][1]
                return lambda: resolve_section(data, "torture")

            return Timed(f"section torture [{'plain' if plain else 'fast'}]", prepare)

        label = "resolve_section('torture'), report"
        self.pair("6 exact section | fuzzy", label, "the section 'torture'", section(False), section(True))


def in_process(corpora: dict[str, tuple[Any, bytes]], runs: int, work: Path, report: Path) -> InProcess:
    """Check and time the in-process cases on each corpus."""
    from rapidfuzz import fuzz  # noqa: F401  (warm: importing it is a process row of its own)
    from rapidfuzz.distance import OSA  # noqa: F401

    suite = InProcess()
    for size, (raw, source) in corpora.items():
        suite.corpus(size, raw, source)
    (work / "snapshot").mkdir()
    suite.snapshot(work / "snapshot", report)
    interleave(list(suite.cases.values()), runs)
    return suite


# --- the process cases ---------------------------------------------------------------

# Where a process case's corpus comes from: the wheel's own (snapshot), or --data a file.
WHERE = {
    "report": "report (snapshot)",
    "copy": "--data report copy",
    "x100": "--data x100",
    "x100+index": "--data x100+index",
}


def prepare_launcher(work: Path) -> Path:
    """This file, byte-compiled, behind a script that runs ``as_kz``."""
    import shutil
    import subprocess
    from pathlib import Path

    folder = work / "launcher"
    folder.mkdir()
    shutil.copy(Path(__file__), folder / "kz_twins.py")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)
    launcher = folder / "kz-twin"
    launcher.write_text("from kz_twins import as_kz\n\nas_kz()\n", encoding="utf-8")
    return launcher


class Plan:
    """The process cases (``startup.Case``), the twin rows over them, and the floor cases."""

    def __init__(self, python: Path, work: Path, paths: dict[str, Path]) -> None:
        import startup

        kz = python.parent / "kz"
        if not kz.exists():
            raise SystemExit(f"twins: no kz script next to {python}")
        self.python, self.paths = str(python), paths
        self.launcher = [self.python, str(prepare_launcher(work))]
        self.cases: dict[str, startup.Case] = {}
        self.rows: list[Row] = []
        self.pairs: list[tuple[str, str]] = []  # (fast, plain) cases that must print the same
        py, floor, search = self.python, startup.prepare_floor(python, kz, work), ["search", "torture"]
        self.floors = [
            self.case("P  python -c pass", [py, "-c", "pass"]),
            self.case("T  python benchmarks/typer_floor.py search torture", [py, str(paths["floor"]), *search]),
            self.case("Tc typer_floor search torture, byte-compiled", [py, str(floor), *search]),
            self.case("kz search torture (installed kz script)", [py, str(kz), *search]),
        ]

    def case(self, name: str, argv: list[str]) -> str:
        import startup

        self.cases.setdefault(name, startup.Case(name, argv))
        return name

    def kz(self, variant: str, where: str, *args: str) -> str:
        option = [] if where == "report" else ["--data", str(self.paths[where])]
        name = f"kz {' '.join(args)}, {WHERE[where]} [{variant}]"
        return self.case(name, [*self.launcher, variant, *option, *args])

    def row(self, twin: str, label: str, fast: str, plain: str, same_output: bool = True) -> None:
        self.rows.append((twin, label, fast, plain))
        if same_output:
            self.pairs.append((fast, plain))


def plan_processes(python: Path, work: Path, paths: dict[str, Path]) -> Plan:
    plan = Plan(python, work, paths)
    search, person = ("search", "torture"), ("person", "Tulesova")
    for where in ("copy", "x100"):
        fast, plain = plan.kz("fast", where, *search), plan.kz("tokens", where, *search)
        plan.row("1 terms | tokens", f"kz search torture, {WHERE[where]}", fast, plain)
    for where in ("report", "copy", "x100"):
        fast, plain = plan.kz("fast", where, *search), plan.kz("nfkd", where, *search)
        plan.row("2 fold table | NFKD", f"kz search torture, {WHERE[where]}", fast, plain)
    for where in ("report", "x100+index"):
        fast, plain = plan.kz("fast", where, *person), plan.kz("rank", where, *person)
        plan.row("3 no-fuzz | rank", f"kz person Tulesova, {WHERE[where]}", fast, plain)
    imported = plan.case("python -c 'from rapidfuzz import fuzz; ... OSA'", [plan.python, "-c", RAPIDFUZZ])
    plan.row("3 rapidfuzz import", "python -c pass | + rapidfuzz", plan.floors[0], imported, False)
    # What importing rapidfuzz adds to a process that has already imported what kz person has.
    before = plan.case("python -c 'import kzcli.cli, kzcli.names'", [plan.python, "-c", KZ_IMPORTS])
    after = plan.case(
        "python -c 'import kzcli.cli, ...; import rapidfuzz'", [plan.python, "-c", f"{KZ_IMPORTS}; {RAPIDFUZZ}"]
    )
    plan.row("3 rapidfuzz import", "python -c 'import kzcli.cli' | + rapidfuzz", before, after, False)
    for args in (search, person):
        fast, plain = plan.kz("fast", "report", *args), plan.kz("fast", "copy", *args)
        plan.row("6 snapshot | parse", f"kz {' '.join(args)}: snapshot | --data copy", fast, plain)
    launched = plan.kz("fast", "report", *search)
    plan.row("- launcher overhead", "kz search torture: kz script | launcher", plan.floors[3], launched)
    return plan


RAPIDFUZZ = "from rapidfuzz import fuzz; from rapidfuzz.distance import OSA"
KZ_IMPORTS = "import kzcli.cli, kzcli.names"


def check_pairs(plan: Plan, env: dict[str, str]) -> None:
    """Each fast process case prints exactly what its plain twin prints."""
    import subprocess

    for fast, plain in plan.pairs:
        outputs = [
            subprocess.run(plan.cases[name].argv, env=env, capture_output=True, check=False) for name in (fast, plain)
        ]
        first, second = ((o.returncode, o.stdout, o.stderr) for o in outputs)
        if first != second or first[0] != 0:
            raise SystemExit(f"twins: {fast!r} and {plain!r} answer differently (or fail)")


# How the installed kz opens each corpus: its lookups' class, and whether they came from the snapshot.
BACKEND = (
    "import sys; from kzcli.loading import load; lookups = load(sys.argv[1] or None).lookups; "
    "print(type(lookups).__name__, getattr(lookups, '_stored_index', None) is not None)"
)
EXPECTED_BACKEND = {
    "report": "MemoryLookups True",
    "copy": "MemoryLookups False",
    "x100": "MemoryLookups False",
    "x100+index": "SqliteLookups False",
}


def check_labels(plan: Plan, env: dict[str, str]) -> None:
    """What the process rows' labels say: each corpus is opened as ``WHERE`` names it (snapshot,
    JSON, index file), and ``kz person``'s fast twin imports no rapidfuzz where its plain twin does."""
    import subprocess

    for where, expected in EXPECTED_BACKEND.items():
        given = "" if where == "report" else str(plan.paths[where])
        opened = subprocess.run(
            [plan.python, "-c", BACKEND, given], env=env, capture_output=True, text=True, check=False
        ).stdout.strip()
        if opened != expected:
            raise SystemExit(f"twins: {WHERE[where]} is opened as {opened or 'nothing'!r}, not {expected!r}")
    for twin, _, fast, plain in plan.rows:
        if twin != "3 no-fuzz | rank":
            continue
        for name, fuzzy in ((fast, False), (plain, True)):
            python, *rest = plan.cases[name].argv
            timed = subprocess.run(
                [python, "-X", "importtime", *rest], env=env, capture_output=True, text=True, check=False
            )
            if (" rapidfuzz\n" in timed.stderr) != fuzzy:
                raise SystemExit(f"twins: {name!r} {'does not import' if fuzzy else 'imports'} rapidfuzz")


# --- the report ----------------------------------------------------------------------


def paired(fast: list[float], plain: list[float]) -> tuple[float, float, float, float, float]:
    """(fast median, plain median, median of per-round plain - fast, its IQR, ratio of medians), in ms."""
    import statistics

    diffs = [(b - a) * 1000 for a, b in zip(fast, plain, strict=True)]
    quartiles = statistics.quantiles(diffs, n=4) if len(diffs) > 1 else [diffs[0]] * 3
    a, b = statistics.median(fast) * 1000, statistics.median(plain) * 1000
    return a, b, statistics.median(diffs), quartiles[2] - quartiles[0], b / a


def table(rows: list[tuple[str, str, list[float], list[float]]]) -> None:
    print(f"{'twin (fast | plain)':27} {'case':54} {'fast ms':>9} {'plain ms':>9} {'saved':>8} {'iqr':>6} {'ratio':>6}")
    for twin, label, fast, plain in rows:
        a, b, saved, iqr, ratio = paired(fast, plain)
        print(f"{twin:27} {label:54} {a:9.2f} {b:9.2f} {saved:8.2f} {iqr:6.2f} {ratio:6.2f}")


def write_corpora(root: Path, work: Path, python: Path) -> dict[str, Path]:
    """The typer floor script, a copy of the report, the x100 corpus, and a copy of it with its index file."""
    import shutil
    import subprocess

    import scale

    print("twins: writing the x100 corpus and its index file ...", file=sys.stderr)
    paths = {"floor": root / "benchmarks" / "typer_floor.py"}
    for name in ("copy", "x100", "x100+index"):
        (work / name).mkdir()
    paths["copy"] = work / "copy" / "report.json"
    shutil.copy(root / "data" / "report.json", paths["copy"])
    paths["x100"] = scale.write_corpus(100, work / "x100")
    paths["x100+index"] = work / "x100+index" / paths["x100"].name
    shutil.copy(paths["x100"], paths["x100+index"])
    subprocess.run([str(python), str(python.parent / "kz"), "index", str(paths["x100+index"])], check=True)
    return paths


def report(runs: int, python: Path, suite: InProcess, plan: Plan, load: tuple[float, float]) -> None:
    """The twins table, the floor table and the notes."""
    import os

    print(f"kz twins: medians of {runs} interleaved runs, ms")
    print(f"in-process: {sys.executable} (this checkout's kzcli), gc off, text caches emptied before each run")
    print(f"process: {python} (installed wheel), whole process, output to a pipe")
    rows = [(t, label, suite.cases[f].times, suite.cases[p].times) for t, label, f, p in suite.rows]
    rows += [(t, label, plan.cases[f].times, plan.cases[p].times) for t, label, f, p in plan.rows]
    # By twin, in-process rows first; the launcher's overhead (a check on the method) last.
    rows.sort(key=lambda row: (row[0][:1].replace("-", "9"), "(in-process)" not in row[1]))
    table(rows)
    print()
    p, t = (plan.cases[plan.floors[i]].median for i in (0, 1))
    print(f"{'floor (item 5)':58} {'median ms':>10} {'min ms':>8} {'x P':>6} {'x T':>6}")
    for name in plan.floors:
        case = plan.cases[name]
        print(f"{name:58} {case.median:10.1f} {case.fastest:8.1f} {case.median / p:6.2f} {case.median / t:6.2f}")
    print()
    for note in suite.notes:
        print(f"note: {note}")
    print("note: every fast | plain pair was checked to give the same answer (process pairs: the same output)")
    print(f"note: load average before {load[0]:.2f}, after {load[1]:.2f} (cores: {os.cpu_count()})")


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    import os
    import tempfile
    from pathlib import Path

    import startup

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed rounds per case (default 15)")
    parser.add_argument(
        "--python",
        type=Path,
        help="python of an environment with kz installed; default: build and install this checkout's wheel",
    )
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    root = Path(__file__).resolve().parent.parent
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="kz-twins-") as scratch:
        work = Path(scratch)
        python = options.python.absolute() if options.python else startup.install_wheel(work)
        paths = write_corpora(root, work, python)

        env = startup.clean_env()
        plan = plan_processes(python, work, paths)
        print("twins: checking each process pair answers alike, and what the labels say ...", file=sys.stderr)
        check_pairs(plan, env)
        check_labels(plan, env)
        print(f"twins: timing {len(plan.cases)} process cases, {options.runs} rounds ...", file=sys.stderr)
        startup.measure(list(plan.cases.values()), options.runs, env)

        print("twins: timing the in-process cases ...", file=sys.stderr)
        corpora = {}
        for size, path in (("report", root / "data" / "report.json"), ("x100", paths["x100"])):
            source = path.read_bytes()
            corpora[size] = (json.loads(source), source)
        suite = in_process(corpora, options.runs, work, root / "data" / "report.json")
    report(options.runs, python, suite, plan, (load_before[0], os.getloadavg()[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
