"""The deck list's doors to the exam and the report, and `tutor exam`'s app: real deck,
real TinyDB store, fixed clock."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from tests.functional.conftest import record_notifications, settle, wait_until, write_deck
from tutor.decks import load_library
from tutor.exam.grading import ExamGrading
from tutor.exam.model import ExamOptions
from tutor.exam.setup import start_exam
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.store.profiles import open_store
from tutor.tui import create_app
from tutor.tui.screens.deck_list import DeckListScreen
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_dialogs import ExamOptionsScreen
from tutor.tui.screens.report import ReportScreen
from tutor.tui.screens.study import StudyScreen
from tutor.tui.screens.summary import SummaryScreen


async def study_with_spain_always_wrong(pilot) -> None:
    """Study the capitals deck once, failing Spain every time, to make 'europe' weak."""
    app = pilot.app
    await pilot.press("enter", *"Paris", "enter", "enter", *"Lisbon", "enter", "enter",
                      *"Lima", "enter", "enter")
    while isinstance(app.screen, StudyScreen):
        await pilot.press(*"Porto", "enter", "enter")
        await settle(pilot)
    assert isinstance(app.screen, SummaryScreen)


async def test_x_opens_the_exam_form_and_starts_a_stored_exam(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExamOptionsScreen))
        count = app.screen.query_one("#exam-count", Input)
        count.value = "2"
        await pilot.click("#start")
        await wait_until(pilot, lambda: isinstance(app.screen, ExamScreen))
        session = app.screen.session
        assert session.count == 2 and session.running
        assert [exam["id"] for exam in app.store.exams()] == [session.exam_id]
        assert app.store.reviews() == []  # an exam does not touch the schedule


async def test_a_new_exam_over_an_unfinished_one_says_how_to_go_back(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):
            await pilot.press("x")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamOptionsScreen))
            app.screen.query_one("#exam-count", Input).value = "2"
            await pilot.click("#start")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamScreen))
            await pilot.press("escape", "y")  # leave: saved, the clock stops
            await wait_until(pilot, lambda: isinstance(app.screen, DeckListScreen))
        first, second = (exam["id"] for exam in app.store.exams())
        assert [n.message for n in seen if "not finished" in n.message] == [
            f"exam {first} is not finished; it is kept: 'tutor exam --resume {first}' continues it"]
        assert second != first


async def test_bad_exam_options_stay_on_the_form(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ExamOptionsScreen))
        app.screen.query_one("#exam-minutes", Input).value = "0"
        await pilot.click("#start")
        await pilot.pause()
        assert isinstance(app.screen, ExamOptionsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DeckListScreen)
        assert app.store.exams() == []


async def test_r_opens_the_report_and_its_drill_starts_a_session(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await study_with_spain_always_wrong(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await wait_until(pilot, lambda: app.screen.query_one("#weak", DataTable).row_count > 0)
        await pilot.press("escape")
        assert isinstance(app.screen, DeckListScreen)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await wait_until(pilot, lambda: app.screen.query_one("#weak", DataTable).row_count > 0)
        await pilot.press("enter")  # the first topic's cards, then drill that topic
        await pilot.pause()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert app.screen.session.mode == "drill"


async def test_the_exam_app_ends_when_the_exam_is_left(tmp_path: Path) -> None:
    settings = Settings()
    library = load_library([write_deck(tmp_path)])
    clock = FixedClock()
    store = open_store(settings)
    try:
        session = start_exam(ExamOptions(decks=("capitals",), minutes=5, count=3), library.decks,
                             clock, store=store)
        grading = ExamGrading()
        app = create_app(settings, library, store=store, clock=clock, grader=grading.service,
                         screen=ExamScreen(session, grading))
        async with app.run_test(size=(100, 30)) as pilot:
            assert isinstance(app.screen, ExamScreen)
            await pilot.press("escape")  # leave: a confirmation, then the app ends
            await pilot.pause()
            await pilot.press("y")
            await wait_until(pilot, lambda: app.return_code is not None or not app.is_running)
        assert app.return_code == 0
        assert store.exams()[0]["id"] == session.exam_id
    finally:
        store.close()


async def test_summary_report_button_then_a_topic_drill_starts(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await study_with_spain_always_wrong(pilot)
        await pilot.click("#report")  # the button, not the key: the drill must still arrive
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen))
        await wait_until(pilot, lambda: app.screen.query_one("#weak", DataTable).row_count > 0)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))


async def test_a_report_drill_keeps_to_its_decks_topic(tmp_path: Path) -> None:
    from tutor.report.drill import DrillRequest

    first = write_deck(tmp_path)
    second = tmp_path / "more.deck"
    second.write_text("title: More capitals\n---\nid: 0000000009\ntopic: europe\n"
                      "Q: What is the capital of Italy?\nA: Rome\n", encoding="utf-8")
    library = load_library([first, second])
    app = create_app(Settings(), library, clock=FixedClock())
    capitals = library.decks[0]
    europe = [card.id for card in capitals.cards if card.topic == "europe"]
    async with app.run_test(size=(100, 30)) as pilot:
        request = DrillRequest(topics=((capitals.key, "europe"),), card_ids=tuple(europe))
        assert app.drill_request(request)
        await pilot.pause()
        fronts = {item.card.front for item in app.screen.session.queue.pending()}
        assert fronts == {"What is the capital of France?", "What is the capital of Spain?"}


async def test_after_a_first_session_d_drills_the_topic_that_went_wrong(tmp_path: Path) -> None:
    """One session: europe 1 of 2 right, america 1 of 1. Both are ranked ('few answers'), and
    `d` drills europe alone, saying that fewer topics qualified than it asks for."""
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await study_with_spain_always_wrong(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen))
        table = app.screen.query_one("#weak", DataTable)
        await wait_until(pilot, lambda: table.row_count == 2)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(2)]
        assert [row[:2] for row in rows] == [["1", "europe"], ["2", "america"]]
        assert rows[0][3] == "1 of the last 2 answers wrong; few answers"
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert app.screen.session.mode == "drill"
        assert app.screen.session.title == "Drill: europe"
        assert ("1 topic to drill (asked for 3)", "Drill") in [
            (n.message, n.title) for n in notified]
