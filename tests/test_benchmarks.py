"""The benchmarks measure what they say: the Typer floor mirrors kz's command surface.

``benchmarks/typer_floor.py`` is T, the do-nothing Typer app that kz's startup
is held against. If kz gains a command or an option and the floor does not,
the budget "kz ≤ 1.2 × T" silently compares different things; this test fails
instead.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import typer.main

from kzcli.cli import app as kz_app

from .kzprocess import run_main

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"kz_benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def surface(app: typer.Typer) -> dict[str, list[tuple[Any, ...]]]:
    """Each command's parameters as the parser sees them: flags, kind, arity, type, envvar."""
    group = typer.main.get_command(app)
    commands = {"": group, **getattr(group, "commands", {})}
    return {
        name: [
            (
                p.param_type_name,
                tuple(p.opts),
                p.nargs,
                p.multiple,
                p.required,
                getattr(p, "is_flag", None),
                getattr(p, "envvar", None),
                p.type.name,
                tuple(getattr(p.type, "choices", ())),
                getattr(p.type, "case_sensitive", None),
                getattr(p, "_custom_shell_complete", None) is not None,
            )
            for p in command.params
        ]
        for name, command in commands.items()
    }


def test_the_typer_floor_mirrors_kz() -> None:
    floor = _load("typer_floor")
    assert surface(floor.floor) == surface(kz_app)
    assert floor.floor.info.no_args_is_help == kz_app.info.no_args_is_help
    assert floor.floor.rich_markup_mode == kz_app.rich_markup_mode
    # Generated, not copied: its commands do nothing, and kz's own still work.
    assert [i.callback.__wrapped__ for i in floor.floor.registered_commands] == [
        i.callback for i in kz_app.registered_commands
    ]
    assert run_main(["sections", "--json"]).out.startswith("{")


def test_the_scale_corpora_are_valid_and_sized(tmp_path: Path) -> None:
    from kzcli.loading import load

    scale = _load("scale")
    real = load()
    for factor in (1, 3):
        path = scale.write_corpus(factor, tmp_path)
        grown = load(str(path))
        assert len(grown.sections) == factor * len(real.sections)
        assert len(grown.entities) == factor * len(real.entities)
        assert len(grown.events) == factor * len(real.events)
        assert len(grown.figures) == factor * len(real.figures)


def test_a_grown_corpus_answers_the_same_through_its_index_file(tmp_path: Path) -> None:
    """Three copies under other names: many near-identical names, events and passages per query."""
    from .kzprocess import run_main

    path = str(_load("scale").write_corpus(3, tmp_path))
    commands = [
        ["search", "torture", "--limit", "0", "--json"],
        ["search", "Tulesova"],
        ["person", "Tulesova", "--json"],
        ["person", "Tulesva"],
        ["timeline", "--month", "2020-06", "--json"],
        ["timeline", "--person", "Tulesova", "--chart"],
        ["read", "torture:2", "--json"],
    ]
    before = [run_main(["--data", path, *args]) for args in commands]
    assert run_main(["index", path]).code == 0
    after = [run_main(["--data", path, *args]) for args in commands]
    for args, plain, indexed in zip(commands, before, after, strict=True):
        assert (indexed.code, indexed.out, indexed.err) == (plain.code, plain.out, plain.err), args
    assert json.loads(after[0].out)["total"] == 3 * json.loads(run_main(["search", "torture", "--json"]).out)["total"]
