"""The house rules, checked on the source: calls go one way, no module grows too big.

Imports are read from every module's syntax tree, lazy ones (inside functions)
included and ``if TYPE_CHECKING:`` blocks excepted, so an import cycle fails
here even where it would only bite at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "kzcli"
MAX_LINES = 600
# The model and the one place that decides "same word?" import no other kz code, but for errors.
# The character policy is a leaf of its own: text's printable is its printable.
LEAVES = {
    "kzcli.corpus": {"kzcli.errors", "kzcli.named"},
    "kzcli.text": {"kzcli.characters", "kzcli.named"},
    "kzcli.characters": set(),
    "kzcli.named": set(),
    "kzcli.errors": set(),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, known: set[str]) -> set[str]:
    """The kzcli modules a module imports anywhere, but under ``if TYPE_CHECKING:``."""
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from kzcli import render` imports the module kzcli.render.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return {name for name in found if name in known and name != "kzcli"}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(SOURCE.rglob("*.py"))
    known = {_module_name(p) for p in paths}
    graph = {_module_name(p): _imports(ast.parse(p.read_text(encoding="utf-8")), known) for p in paths}
    # A package naming itself (`from kzcli.cli import queries` in its __init__) is not a cycle.
    return {module: imported - {module} for module, imported in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    """Not vacuous: a made-up circle a -> b -> c -> a is found."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_model_imports_no_persistence_and_no_query_code() -> None:
    graph = import_graph()
    for module, allowed in LEAVES.items():
        assert graph[module] <= allowed, module


def test_calls_go_one_way() -> None:
    """Nothing below the CLI imports it, and only the entry point imports the entry point's callers."""
    graph = import_graph()
    for module, imported in graph.items():
        in_cli = module == "kzcli.cli" or module.startswith("kzcli.cli.")
        if module not in ("kzcli.entry", "kzcli.__main__") and not in_cli:
            assert not any(name == "kzcli.cli" or name.startswith("kzcli.cli.") for name in imported), module
        if not module.startswith("kzcli.commands") and not in_cli:
            assert not any(name.startswith("kzcli.commands") for name in imported), module


def test_no_module_is_over_600_lines() -> None:
    long = {
        p.name: n for p in SOURCE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
