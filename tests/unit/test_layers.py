"""The layers of ARCHITECTURE.md: each package of `tutor/` imports only the ones below it.

Every import statement counts, at the top of a module or inside a function. Only
`tutor/tui` imports Textual, and a command module never imports another command.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tutor

PACKAGE = Path(tutor.__file__).resolve().parent
CORE = {"tutor", "tutor.errors", "tutor.logs", "tutor.fileread", "tutor.atomic", "tutor.gcpause",
        "tutor.settings", "tutor.formatting"}
#: Layer -> the layers it may import (besides itself), as drawn in ARCHITECTURE.md.
ALLOWED = {
    "core": set(),
    "grading": {"core"},
    "decks": {"core"},
    "schedule": {"core", "grading", "decks"},
    "store": {"core", "grading", "schedule"},
    "exam": {"core", "grading", "decks", "schedule", "store"},
    "report": {"core", "grading", "decks", "schedule", "exam"},
    "study": {"core", "grading", "decks", "schedule", "store", "report"},
    "tui": {"core", "grading", "decks", "schedule", "store", "exam", "report", "study"},
    "entry": {"core", "grading", "decks", "schedule", "store", "exam", "report", "study", "tui"},
}


def layer_of(module: str) -> str:
    """The layer of a dotted ``tutor`` module name."""
    parts = module.split(".")
    if module in CORE or ".".join(parts[:2]) in CORE:
        return "core"
    if parts[1] in ("cli", "__main__", "commands"):
        return "entry"
    return parts[1]


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in the file, wherever it is written."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return sorted(found)


def modules() -> list[tuple[str, Path]]:
    """Every module of tutor/ by dotted name."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found.append((".".join(parts[:-1] if parts[-1] == "__init__" else parts), path))
    return found


def violations(module: str, path: Path) -> list[str]:
    """The imports of ``module`` (its source at ``path``) that break the rules."""
    layer = layer_of(module)
    if layer not in ALLOWED:
        return [f"{module}: in a package ARCHITECTURE.md does not place"]
    wrong = []
    for line, name in imports(path):
        root = name.split(".")[0]
        if root == "textual" and layer != "tui":
            wrong.append(f"{module}:{line}: only tutor.tui imports Textual ({name})")
        if root != "tutor":
            continue
        target = layer_of(name)
        if target != layer and target not in ALLOWED[layer]:
            wrong.append(f"{module}:{line}: {layer} imports {name} ({target})")
        if (module.startswith("tutor.commands.") and name.startswith("tutor.commands.")
                and name != "tutor.commands.output"):
            wrong.append(f"{module}:{line}: a command imports the command {name}")
    return wrong


def test_every_module_imports_only_what_its_layer_may() -> None:
    wrong = [problem for module, path in modules() for problem in violations(module, path)]
    assert not wrong, "imports against ARCHITECTURE.md:\n" + "\n".join(wrong)


def test_a_wrong_import_is_found_wherever_it_is_written(tmp_path: Path) -> None:
    source = tmp_path / "module.py"
    source.write_text("import json\nfrom tutor.report import build_report\n\n\n"
                      "def later():\n    from tutor.store import StudyStore\n"
                      "    import textual.app\n    from tutor.commands.exam import run\n",
                      encoding="utf-8")
    assert violations("tutor.study.example", source) == [
        "tutor.study.example:7: only tutor.tui imports Textual (textual.app)",
        "tutor.study.example:8: study imports tutor.commands.exam (entry)",
    ]
    assert violations("tutor.report.example", source) == [
        "tutor.report.example:6: report imports tutor.store (store)",
        "tutor.report.example:7: only tutor.tui imports Textual (textual.app)",
        "tutor.report.example:8: report imports tutor.commands.exam (entry)",
    ]
    assert violations("tutor.commands.example", source) == [
        "tutor.commands.example:7: only tutor.tui imports Textual (textual.app)",
        "tutor.commands.example:8: a command imports the command tutor.commands.exam",
    ]
    assert violations("tutor.newthing.example", source) == [
        "tutor.newthing.example: in a package ARCHITECTURE.md does not place"]
