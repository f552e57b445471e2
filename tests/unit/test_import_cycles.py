"""No import cycle anywhere in `tutor/`: modules import down the layers, never back.

Every import statement counts, wherever it is written: at the top, inside a function,
under ``if TYPE_CHECKING:``. An import hidden in a function still ties the two modules
together; moving the shared piece to where it belongs is the fix, not hiding the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tutor

PACKAGE = Path(tutor.__file__).resolve().parent


def module_files(package: Path) -> dict[str, Path]:
    """Every module of ``package`` by dotted name (a package by its own name)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The dotted names one import statement of ``module`` may load.

    ``from x import y`` names ``x`` and ``x.y`` (``y`` may be a submodule); a relative
    import is resolved against ``module``'s package.
    """
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module.split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports (each import statement, anywhere).

    A name that is not a module counts as the closest enclosing module that is (a
    class in ``x.y`` is an import of ``x.y``), and importing ``x.y`` runs package ``x``
    first, so it is an import of ``x`` too. A module's own enclosing packages are left
    out: Python runs them before the module, whatever it imports.
    """
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for name in imported_names(module, path, node):
                while name and name not in modules:
                    name = name.rpartition(".")[0]
                while name:
                    if name != module and not module.startswith(name + "."):
                        graph[module].add(name)
                    name = name.rpartition(".")[0]
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import each other, directly or not (the strongly
    connected components of more than one module, by Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a long chain of imports cannot hit the recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return groups


def circle_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """One shortest circle of imports through the first module of ``group``."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return paths[node] + [start]
            if target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    raise AssertionError(f"no circle through {start}")  # a strongly connected group has one


def test_tutor_has_no_import_cycle() -> None:
    graph = import_graph(module_files(PACKAGE))
    found = cycles(graph)
    assert not found, "import cycles in tutor/:\n" + "\n".join(
        f"{' -> '.join(circle_in(graph, group))} (all of {', '.join(sorted(group))})"
        for group in found)


def test_the_walk_finds_every_kind_of_import(tmp_path: Path) -> None:
    """The checker itself: function-level, TYPE_CHECKING, relative and submodule imports
    all count, and a cycle is named."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .c import C\n")
    (package / "sub" / "c.py").write_text("from .. import a\n")
    (package / "d.py").write_text("import pkg.a\n")
    graph = import_graph(module_files(package))
    assert graph["pkg.a"] == {"pkg.sub", "pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.sub.c"}
    assert graph["pkg.sub.c"] == {"pkg.a"}
    assert graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [{"pkg.a", "pkg.sub.b", "pkg.sub.c"}]
    assert circle_in(graph, cycles(graph)[0]) == ["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.a"]
    (package / "sub" / "c.py").write_text("C = 1\n")
    assert cycles(import_graph(module_files(package))) == []
