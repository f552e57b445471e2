"""The core packages must work without Textual (only tutor.tui may import it)."""

import subprocess
import sys

CORE = ["tutor.decks", "tutor.grading", "tutor.schedule", "tutor.store", "tutor.exam",
        "tutor.report", "tutor.settings", "tutor.cli"]


def test_core_packages_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "import pkgutil, tutor\n"
        "for pkg in ('decks', 'grading', 'schedule', 'store', 'exam', 'report', 'commands'):\n"
        "    mod = importlib.import_module('tutor.' + pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, mod.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
