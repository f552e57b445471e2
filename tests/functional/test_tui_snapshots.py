"""Snapshots of the main screens (pytest-textual-snapshot; `--snapshot-update` to accept changes).

Deterministic: fixed decks, a `FixedClock` (the card timer shows 0:00), rules grading
(no spinner), the answer box's cursor blink switched off before the frame is taken.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tutor.decks import load_library
from tutor.grading.service import GradingService
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.settings import Settings
from tutor.store import open_store
from tutor.study.session import StudySession
from tutor.tui import create_app
from tutor.tui.widgets.answer_input import AnswerInput

BIOLOGY = """title: Cell biology
---
id: b000000001
topic: organelles
Q: What does the mitochondrion do?
A: Produces ATP by cellular respiration; found in eukaryotic cells.
---
id: b000000002
topic: organelles
Q: What does the ribosome make?
A: Proteins
---
id: b000000003
topic: division
Q: Name the four phases of mitosis.
A: prophase, metaphase, anaphase, telophase
"""

CAPITALS = """title: Capitals
---
id: c000000001
topic: europe
Q: What is the capital of France?
A: Paris
---
id: c000000002
topic: america
Q: What is the capital of Peru?
A: Lima
"""


def library(tmp_path: Path):
    (tmp_path / "biology.deck").write_text(BIOLOGY, encoding="utf-8")
    (tmp_path / "capitals.deck").write_text(CAPITALS, encoding="utf-8")
    return load_library([tmp_path / "biology.deck", tmp_path / "capitals.deck"])


def studied_app(tmp_path: Path, clock: FixedClock):
    """An app whose store holds a week of answers to the capitals deck.

    Paris is answered right on days 0, 2 and 6 (box 2, 3, then 4: mastered); Lima wrong
    on day 0 (due again since).
    """
    lib = library(tmp_path)
    settings = Settings()
    plan = ((1, {"Paris": "Paris", "Lima": "Quito"}), (3, {"Paris": "Paris"}),
            (7, {"Paris": "Paris"}))
    with open_store(settings) as store:
        for day, answers in plan:
            clock.set(FixedClock.DEFAULT_START.replace(day=day))
            session = StudySession.due([lib.decks[1]], store, LeitnerScheduler(),
                                       GradingService.wrap(None), clock)
            for back, answer in answers.items():
                while session.current is not None and session.current.card.back != back:
                    session.skip()
                session.submit(answer)
    assert store.closed
    clock.set(FixedClock.DEFAULT_START.replace(day=9))
    return create_app(settings, lib, clock=clock)


async def answer_with(pilot: Pilot, text: str) -> None:
    """Put ``text`` in the answer box and press Enter (typing is tested by the Pilot tests)."""
    pilot.app.screen.query_one(AnswerInput).insert(text)
    await pilot.press("enter")


async def no_blink(pilot: Pilot) -> None:
    for box in pilot.app.screen.query(AnswerInput):
        box.cursor_blink = False
    await pilot.pause()


def test_deck_list(snap_compare, tmp_path: Path) -> None:
    app = studied_app(tmp_path, FixedClock())
    assert snap_compare(app, terminal_size=(100, 30))


def test_question(snap_compare, tmp_path: Path) -> None:
    app = create_app(Settings(), library(tmp_path), clock=FixedClock())

    async def open_deck(pilot: Pilot) -> None:
        await pilot.press("enter")
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=open_deck)


def test_graded_answer(snap_compare, tmp_path: Path) -> None:
    app = create_app(Settings(), library(tmp_path), clock=FixedClock())

    async def answer(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_with(pilot, "it produces ATP by cellular respiraton")
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=answer)


def test_graded_answer_at_80x24(snap_compare, tmp_path: Path) -> None:
    app = create_app(Settings(theme="textual-light"), library(tmp_path), clock=FixedClock())

    async def answer(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_with(pilot, "it produces ATP by cellular respiraton")
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)


def test_session_summary(snap_compare, tmp_path: Path) -> None:
    clock = FixedClock()
    app = create_app(Settings(), library(tmp_path), clock=clock)

    async def study(pilot: Pilot) -> None:
        await pilot.press("enter")
        await answer_with(pilot, "makes ATP in cellular respiration, in eukaryotic cells")
        await pilot.press("enter")
        clock.advance(seconds=95)
        await answer_with(pilot, "lipids")
        await pilot.press("enter")
        await answer_with(pilot, "prophase")
        await pilot.press("q")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=study)
