"""What the study screen's start-up imports: only what the first question needs.

The rules grader (~50 ms of imports), the other commands, the model backends and the
deck list are loaded after the first question is drawn, or when used. `bench/startup.py`
measures the time; this checks the modules, which do not depend on the machine's speed.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from tutor.decks import load_library
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.tui import create_app
from tutor.tui.screens.study import StudyScreen

DECK = "title: Capitals\n---\nQ: What is the capital of France?\nA: Paris\n"

#: Modules the first question must not wait for.
DEFERRED = ("tutor.grading.rules", "tutor.grading.checks", "tutor.grading.llamacpp",
            "tutor.grading.server", "tutor.commands.exam", "tutor.commands.report",
            "tutor.commands.import_deck", "tutor.report.build", "tutor.tui.screens.edit_card",
            "importlib.metadata", "llama_cpp", "tutor.tui.screens.deck_list")


def test_building_the_study_app_leaves_the_heavy_parts_for_later(tmp_path: Path) -> None:
    deck = tmp_path / "capitals.deck"
    deck.write_text(DECK, encoding="utf-8")
    code = (
        "import sys\n"
        "from tutor.cli import build_parser\n"
        f"args = build_parser(only='study').parse_args(['study', {str(deck)!r}])\n"
        "from pathlib import Path\n"
        "from tutor.decks import load_library\n"
        "from tutor.settings import Settings\n"
        "from tutor.tui import create_app\n"
        f"library = load_library([Path({str(deck)!r})])\n"
        "app = create_app(Settings(), library, study=library.decks)\n"
        "app.store.close()\n"
        f"print(','.join(m for m in {DEFERRED!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "TUTOR_DATA_DIR": str(tmp_path / "data"),
           "TUTOR_CONFIG": str(tmp_path / "none.toml")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"imported before the first question: {out.stdout}"


async def test_the_rules_grader_is_built_behind_the_first_question(tmp_path: Path) -> None:
    deck = tmp_path / "capitals.deck"
    deck.write_text(DECK, encoding="utf-8")
    library = load_library([deck])
    app = create_app(Settings(), library, clock=FixedClock(), study=library.decks)
    assert not app.grading.policy.rules_built
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, StudyScreen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.grading.policy.rules_built
        await pilot.press(*"paris", "enter")
        assert app.store.reviews()[-1].score == 5


async def test_the_collector_paused_for_start_up_is_back_once_the_question_is_drawn(
        tmp_path: Path) -> None:
    deck = tmp_path / "capitals.deck"
    deck.write_text(DECK, encoding="utf-8")
    library = load_library([deck])
    app = create_app(Settings(), library, clock=FixedClock(), study=library.decks)
    gc.disable()  # as `tutor study` does
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects are not scanned again
    finally:
        gc.enable()
        gc.unfreeze()
