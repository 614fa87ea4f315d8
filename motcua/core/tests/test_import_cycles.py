"""No import cycle between the apps of the ``motcua`` package.

Every module under ``motcua/`` is read with :mod:`ast` (nothing is imported), except the tests (``*/tests/*``: a
test may import whatever it checks) and the migrations (``*/migrations/*``: they name other apps by string, and
Django orders them by their dependencies). Management commands, template tags, admin modules and the project's
own modules (``motcua/urls.py``, ``motcua/api.py``, ``motcua/settings.py``) count: they are app code.

Every ``import`` and ``from … import`` counts, wherever it stands: at module level, inside a function or method, in
a ``try`` block. Moving an import into a function hides a cycle from the interpreter; it does not remove it. Only
the imports under ``if TYPE_CHECKING:`` are exempt (they exist for the type checker alone).

A module belongs to the app named by the second part of its dotted name (``motcua.dossiers.workflow`` →
``dossiers``); the project's own modules (``motcua.urls``, ``motcua.api``, …) form the node ``motcua`` at the top.
The test builds the graph of app → app imports, finds its strongly connected components (Tarjan), and fails
listing every cycle with the imports (file:line) that make it.

Where a dossier event has subscribers in higher apps, ``dossiers/effects.py`` names them by dotted path (resolved
with ``import_string``), which is not an import: see docs/design-decisions.md, "Layering".
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "motcua"
ROOT = Path(__file__).resolve().parents[2]  # …/motcua
PROJECT_NODE = PACKAGE

# App → app imports still allowed while the cycles are being removed, each with its reason. The goal is an empty
# mapping; an entry that no longer occurs fails the test, so the list only shrinks.
ALLOWED_EDGES: dict[tuple[str, str], str] = {
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    where: str  # "motcua/dossiers/workflow.py:12"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    if len(parts) == 1:
        return None  # the package's own (empty) __init__
    candidate = ROOT / parts[1]
    if candidate.is_dir():
        return parts[1]
    return PROJECT_NODE  # motcua.urls, motcua.api, motcua.settings…


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """Every imported module name (absolute) with its line, skipping ``if TYPE_CHECKING:`` bodies."""

    def visit(node: ast.AST) -> Iterator[tuple[str, int]]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for branch in node.orelse:
                yield from visit(branch)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            # ``from motcua import dossiers`` imports the app itself; ``from . import models`` a module.
            if node.module is None or target == PACKAGE:
                for alias in node.names:
                    yield f"{target}.{alias.name}", node.lineno
        for child in ast.iter_child_nodes(node):
            yield from visit(child)

    yield from visit(tree)


def _source_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def app_edges() -> dict[tuple[str, str], list[Edge]]:
    edges: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for path in _source_files():
        module = _module_name(path)
        source = _app_of(module)
        if source is None:  # motcua/__init__.py
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for imported, line in _imports(tree, module, path.name == "__init__.py"):
            target = _app_of(imported)
            if target is None or target == source:
                continue
            where = f"{path.relative_to(ROOT.parent)}:{line}"
            edges[(source, target)].append(Edge(source, target, where))
    return dict(edges)


def strongly_connected(nodes: set[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; the components of more than one node (no app imports itself here)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            connect(node)
    return components


def cycles(edges: dict[tuple[str, str], list[Edge]], allowed: set[tuple[str, str]]) -> list[list[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for source, target in edges:
        nodes |= {source, target}
        if (source, target) not in allowed:
            graph[source].add(target)
    return strongly_connected(nodes, graph)


def describe(components: list[list[str]], edges: dict[tuple[str, str], list[Edge]]) -> str:
    lines = []
    for component in components:
        lines.append("cycle between " + ", ".join(component) + ":")
        members = set(component)
        for (source, target), found in sorted(edges.items()):
            if source in members and target in members and (source, target) not in ALLOWED_EDGES:
                lines.append(f"  {source} -> {target}: " + ", ".join(e.where for e in found))
    return "\n".join(lines)


def test_the_scan_sees_the_known_imports() -> None:
    """The scanner finds imports in functions and skips TYPE_CHECKING blocks (so the main test can fail)."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import models\n"
        "from ..catalog.models import Procedure\n"
        "if TYPE_CHECKING:\n"
        "    from motcua.portal import views\n"
        "def f():\n"
        "    import motcua.reports.actions\n"
        "    from motcua import audit\n"
    )
    found = {name for name, _ in _imports(ast.parse(source), "motcua.dossiers.workflow", False)}
    assert "motcua.dossiers.models" in found
    assert "motcua.catalog.models" in found
    assert "motcua.reports.actions" in found
    assert "motcua.audit" in found
    assert not any(name.startswith("motcua.portal") for name in found)


def test_tarjan_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected({"a", "b", "c", "d"}, graph) == [["a", "b", "c"]]
    assert strongly_connected({"a", "b"}, {"a": {"b"}}) == []


def test_no_import_cycle_between_apps() -> None:
    edges = app_edges()
    components = cycles(edges, set(ALLOWED_EDGES))
    assert not components, "Import cycles between apps:\n" + describe(components, edges)


def test_allowed_edges_still_exist() -> None:
    """An allowed edge that no longer occurs is taken off the list, so the list only shrinks."""
    edges = app_edges()
    stale = sorted(set(ALLOWED_EDGES) - set(edges))
    assert not stale, f"remove from ALLOWED_EDGES: {stale}"


if __name__ == "__main__":  # python motcua/core/tests/test_import_cycles.py: print the cycles and edges
    all_edges = app_edges()
    print(describe(cycles(all_edges, set(ALLOWED_EDGES)), all_edges))
