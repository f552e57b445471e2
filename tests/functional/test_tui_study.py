"""The study flow driven with Pilot: a real deck file, a real TinyDB store, a fixed clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events
from textual.widgets import DataTable, Static

from tests.functional.conftest import (
    question_of,
    record_notifications,
    run_palette_command,
    settle,
    text_of,
    wait_until,
    write_deck,
)
from tutor.decks import load_library
from tutor.decks.native import load_deck
from tutor.errors import ModelError
from tutor.grading.base import GradeRequest, GradeResult
from tutor.logs import configure_logging, log_path, stop_logging
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.store import StudyStore
from tutor.tui import create_app
from tutor.tui.screens.deck_list import DeckListScreen
from tutor.tui.screens.edit_card import EditCardScreen
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.override import OverrideScreen
from tutor.tui.screens.study import StudyScreen
from tutor.tui.screens.summary import SummaryScreen
from tutor.tui.widgets.answer_input import AnswerInput
from tutor.tui.widgets.grade_view import GradeView, RefiningSpinner
from tutor.tui.widgets.grader_status import GraderStatusBar


@pytest.fixture
def log_file(isolated_home: Path) -> Iterator[Path]:
    """Logging set up as the command line does, to the test's data folder."""
    data = isolated_home / "data"
    configure_logging(data)
    yield log_path(data)
    stop_logging()


class GatedGrader:
    """A model stand-in that answers only when the test lets it (a slow model)."""

    name = "llm:gated"

    def __init__(self, score: int) -> None:
        self.score = score
        self.release = threading.Event()
        self.calls: list[str] = []

    def grade(self, request: GradeRequest) -> GradeResult:
        self.calls.append(request.answer)
        if not self.release.wait(timeout=10):
            raise TimeoutError("the test never released the grader")
        return GradeResult(score=self.score, feedback="the model's view", grader=self.name,
                           confidence=0.8)


class BrokenGrader:
    """A model stand-in that crashes on every grade."""

    name = "llm:broken"

    def grade(self, request: GradeRequest) -> GradeResult:
        raise RuntimeError("kaput")


class UnloadableGrader:
    """A model stand-in whose file cannot be loaded."""

    name = "llm:missing"

    def load(self) -> None:
        raise ModelError("model file not found: /nowhere/model.gguf")

    def grade(self, request: GradeRequest) -> GradeResult:
        raise AssertionError("never called: loading failed")


class SlowLoadingGrader:
    """A model stand-in whose load takes a while after it is told to stop, as llama.cpp's
    weights do: while they load, llama.cpp points stdout and stderr at /dev/null."""

    name = "llm:slow"

    def __init__(self) -> None:
        self.started = threading.Event()
        self.closed = threading.Event()
        self.ended = threading.Event()

    def load(self) -> None:
        self.started.set()
        self.closed.wait(timeout=10)
        time.sleep(0.3)  # the part of a load that cannot stop
        self.ended.set()

    def close(self) -> None:
        self.closed.set()

    def grade(self, request: GradeRequest) -> GradeResult:
        raise AssertionError("never called: the test quits while the model loads")


async def test_quitting_while_the_model_loads_waits_for_the_load_to_end(tmp_path: Path) -> None:
    # Quitting mid-load used to restore the terminal while llama.cpp had the output
    # pointed at /dev/null: the shell was left in the alternate screen, mouse mode on.
    grader = SlowLoadingGrader()
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock(),
                     grader=grader)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, grader.started.is_set, what="the model load started")
        await pilot.press("ctrl+q")
        # Told to stop, and over before the app leaves (the terminal is restored after).
        assert grader.closed.is_set()
        assert grader.ended.is_set()
        assert app.return_code == 0  # exit() went through


async def test_answer_override_undo_quit_and_reopen(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    settings = Settings(deck_dirs=(str(tmp_path),))
    clock = FixedClock()
    app = create_app(settings, load_library([path]), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, StudyScreen)
        assert question_of(app) == "What is the capital of France?"
        await pilot.press(*"paris", "enter")
        assert "5/5" in text_of(app, "#score") and "Correct" in text_of(app, "#score")
        assert [r.score for r in app.store.reviews()] == [5]
        await pilot.press("enter")
        assert question_of(app) == "What is the capital of Spain?"
        await pilot.press(*"Barcelona", "enter")
        assert "Not right" in text_of(app, "#score") or "Wrong" in text_of(app, "#score")
        await pilot.press("o")
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("r")
        await pilot.pause()
        assert "5/5" in text_of(app, "#score") and "override" in text_of(app, "#score")
        assert load_deck(path).deck.card("0000000002").alternatives == ["Barcelona"]
        assert app.store.reviews()[-1].source == "override"
        await pilot.press("u")
        await pilot.pause()
        assert question_of(app) == "What is the capital of Spain?"
        answer = app.screen.query_one("#answer", AnswerInput)
        assert answer.text == "Barcelona" and answer.has_focus
        assert len(app.store.reviews()) == 1
        assert load_deck(path).deck.card("0000000002").alternatives == []
        answer.clear()
        await pilot.press(*"Madrid", "enter", "q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = text_of(app, "#summary")
        assert "Cards reviewed  2" in summary and "100%" in summary
        await pilot.press("enter")
        assert isinstance(app.screen, DeckListScreen)
        table = app.screen.query_one("#decks", DataTable)
        assert table.get_row_at(0)[1:4] == ["0", "1", "3"]
        await pilot.press("q")
    assert app.store.closed
    assert (settings.profile_path / "study.json").exists()

    reopened = create_app(settings, load_library([path]), clock=clock)
    async with reopened.run_test(size=(100, 30)) as pilot:
        table = reopened.screen.query_one("#decks", DataTable)
        assert table.get_row_at(0)[1:4] == ["0", "1", "3"]
        assert table.get_row_at(0)[-1] == "today"  # last studied
        await pilot.press("enter")
        assert question_of(reopened) == "What is the capital of Peru?"
        assert text_of(reopened, "#progress").startswith("0 of 1 done")
    assert len(StudyStore(settings.profile_path).reviews()) == 2


async def test_slow_model_never_blocks_typing_and_grades_the_right_card(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    grader = GatedGrader(score=4)
    app = create_app(Settings(), load_library([path]), clock=FixedClock(), grader=grader)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
        assert "5/5" in text_of(app, "#score")  # the rules verdict, at once
        assert app.screen.query_one(RefiningSpinner).display
        first = app.screen.session.last_attempt
        assert first is not None and first.refining
        # Move on and type while the model is still busy with the first answer.
        await pilot.press("enter", *"Madr")
        assert app.screen.query_one("#answer", AnswerInput).text == "Madr"
        assert question_of(app) == "What is the capital of Spain?"
        grader.release.set()
        await settle(pilot)
        review = app.store.reviews()[0]
        assert review.card_id == "0000000001"
        assert review.score == 4 and review.grader == "llm:gated"
        assert review.original_score == 5
        assert not first.refining
        # The screen stayed on the card being typed.
        assert app.screen.query_one("#answer", AnswerInput).text == "Madr"
        await pilot.press(*"id", "enter")
        await settle(pilot)
        assert [r.grader for r in app.store.reviews()] == ["llm:gated", "llm:gated"]


async def test_model_disagreement_asks_the_learner_with_one_key(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    grader = GatedGrader(score=1)
    grader.release.set()
    app = create_app(Settings(), load_library([path]), clock=FixedClock(), grader=grader)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
        await settle(pilot)
        ask = app.screen.query_one("#ask", Static)
        assert ask.display and "unsure" in str(ask.render())
        assert app.store.reviews()[0].score == 1
        await pilot.press("y")
        await pilot.pause()
        assert not ask.display
        review = app.store.reviews()[0]
        assert review.score == 5 and review.source == "override"


async def test_a_model_verdict_after_an_override_says_the_learners_grade_stands(
        tmp_path: Path) -> None:
    # The note used to read "you already decided this grade", with nothing saying what
    # had come (the model's verdict) or what happened to it.
    grader = GatedGrader(score=1)
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock(),
                     grader=grader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
        await pilot.pause()
        await pilot.press("o", "r")
        await pilot.pause()
        grader.release.set()
        await settle(pilot)
        assert "the model's verdict came after you decided: your grade stands" in text_of(
            app, "#notes")
        assert app.store.reviews()[0].source == "override"


async def test_crashing_model_falls_back_to_rules_visibly(tmp_path: Path, log_file: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock(), grader=BrokenGrader())
    async with app.run_test(size=(100, 30)) as pilot:
        bar = app.screen.query_one(GraderStatusBar)
        assert "broken" in str(bar.render())
        await pilot.press("enter", *"Paris", "enter")
        await settle(pilot)
        assert app.grader_status.is_fallback
        bar = app.screen.query_one(GraderStatusBar)
        assert "kaput" in str(bar.render()) and "rules" in str(bar.render())
        assert "the model failed (kaput); rules verdict kept" in text_of(app, "#notes")
        assert app.store.reviews()[0].score == 5
        # The learner saw one line; the log has the traceback.
        logged = log_file.read_text(encoding="utf-8")
        assert "] service.refine: the grading model failed while grading: kaput\n" in logged
        assert "in grade\n    raise RuntimeError(\"kaput\")\nRuntimeError: kaput" in logged
        # Still usable: the next answer is graded by the rules alone, no worker.
        await pilot.press("enter", *"Madrid", "enter")
        assert "5/5" in text_of(app, "#score")
        assert not app.screen.query_one(RefiningSpinner).display
        assert len(app.store.reviews()) == 2


async def test_model_that_cannot_load_shows_the_fallback(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock(),
                     grader=UnloadableGrader())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.grader_status.phase != "loading", what="the model given up")
        status = app.grader_status
        assert status.is_fallback and "model file not found" in status.note
        assert "model failed to load" in str(app.screen.query_one(GraderStatusBar).render())
        await pilot.press("enter", *"Lima", "enter")
        assert not app.screen.session.last_attempt.refining


async def test_a_missing_model_file_in_the_settings_is_said_once_at_start(tmp_path: Path) -> None:
    # `[model] path` naming no file: the status bar alone said so, cut at 80 columns.
    missing = tmp_path / "models" / "gone.gguf"
    settings = Settings().with_model(path=str(missing))
    app = create_app(settings, load_library([write_deck(tmp_path)]), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.grader_status.is_fallback
        said = [n for n in notified if n.title == "Model not loaded"]
        assert len(said) == 1
        assert f"model file not found: {missing}" in said[0].message
        assert said[0].severity == "warning"


async def test_a_model_file_llama_cpp_cannot_load_is_one_line_and_logged(
        tmp_path: Path, log_file: Path) -> None:
    corrupt = tmp_path / "corrupt.gguf"
    corrupt.write_bytes(b"GGUF" + b"\x00" * 64)  # passes the file check, fails in llama.cpp
    settings = Settings().with_model(path=str(corrupt), threads=1)
    app = create_app(settings, load_library([write_deck(tmp_path)]), clock=FixedClock())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_until(pilot, lambda: app.grader_status.phase != "loading", timeout=60,
                         what="the model given up")
        status = app.grader_status
        assert status.is_fallback and status.note.startswith("model failed to load: cannot load")
        assert "\n" not in status.note
        await pilot.press("enter", *"Lima", "enter")
        assert not app.screen.session.last_attempt.refining
    logged = log_file.read_text(encoding="utf-8")
    assert "] service.load: the grading model failed to load: cannot load model" in logged
    assert "llama_cpp" in logged and "ValueError: Failed to load model from file" in logged


async def test_skip_edit_and_help(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        # Letters type into the answer box; Escape leaves it so they become commands.
        await pilot.press("s")
        assert app.screen.query_one("#answer", AnswerInput).text == "s"
        app.screen.query_one("#answer", AnswerInput).clear()
        await pilot.press("escape", "s")
        assert question_of(app) == "What is the capital of Spain?"
        await pilot.press("escape", "e")
        assert isinstance(app.screen, EditCardScreen)
        topic = app.screen.query_one("#topic")
        topic.value = "iberia"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        card = load_deck(path).deck.card("0000000002")
        assert card is not None and card.topic == "iberia" and card.back == "Madrid"
        assert "iberia" in text_of(app, "#progress")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, StudyScreen)
        # Nothing answered: quitting goes straight back to the decks.
        await pilot.press("q")
        assert isinstance(app.screen, DeckListScreen)
        assert app.store.reviews() == []


async def test_summary_drills_the_worst_topic(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Paris", "enter", "enter", *"Lisbon", "enter", "enter",
                          *"Lima", "enter", "enter")
        # Spain failed: it comes back (relearning steps); fail it every time.
        for _ in range(app.screen.session.queue.max_relearn):
            assert question_of(app) == "What is the capital of Spain?"
            await pilot.press(*"Porto", "enter", "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert "europe" in text_of(app, "#summary")
        await pilot.press("d")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.mode == "drill"
        fronts = {item.card.front for item in app.screen.session.queue.pending()}
        assert fronts == {"What is the capital of France?", "What is the capital of Spain?"}


async def test_deck_list_filter_and_study_all(tmp_path: Path) -> None:
    first = write_deck(tmp_path)
    second = tmp_path / "rivers.deck"
    second.write_text("title: Rivers\n---\ntopic: asia\nQ: Longest river in China?\nA: Yangtze\n",
                      encoding="utf-8")
    app = create_app(Settings(), load_library([first, second]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("#decks", DataTable)
        assert table.row_count == 2
        await pilot.press("slash", *"asia")
        assert table.row_count == 1 and table.get_row_at(0)[0] == "Rivers"
        await pilot.press("escape")
        assert table.row_count == 2
        await pilot.press("a")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.queue.total == 4


async def test_command_palette_lists_the_main_actions(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await run_palette_command(pilot, "study all due", "Study all due cards")
        assert isinstance(app.screen, StudyScreen)


async def test_nothing_due_says_when_and_stays_on_the_list(tmp_path: Path) -> None:
    path = tmp_path / "one.deck"
    path.write_text("title: One\n---\nQ: 2+2?\nA: 4\n", encoding="utf-8")
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "4", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        messages = [n.message for n in notified]
        assert any("next card due 2024-01-03" in m for m in messages)


async def test_light_theme_and_small_terminal(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(theme="textual-light"), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "textual-light"
        await pilot.press("enter", *"Paris", "enter")
        grade = app.screen.query_one("#grade")
        assert grade.region.height >= 5
        assert app.screen.query_one(GraderStatusBar).region.y == 22


async def test_repaired_store_is_reported_as_a_notification(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    settings = Settings()
    app = create_app(settings, load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
    (settings.profile_path / "study.json").write_text("{not json", encoding="utf-8")
    repaired = create_app(settings, load_library([path]), clock=FixedClock())
    notified = record_notifications(repaired)
    assert repaired.store.recovery_message
    async with repaired.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [n.title for n in notified]
        assert "Study data repaired" in titles
        assert len(repaired.store.reviews()) == 1


async def test_long_fronts_scroll_and_the_mouse_works(tmp_path: Path) -> None:
    path = tmp_path / "long.deck"
    front = "\n".join(f"Line {n} of a very long question." for n in range(1, 41))
    body = "\n".join(f"  {line}" for line in front.splitlines())
    path.write_text(f"title: Long\n---\nid: 00000000aa\nQ:\n{body}\nA: forty\n",
                    encoding="utf-8")
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#decks", offset=(2, 1))  # the highlighted row: one click studies
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        box = app.screen.query_one("#question-box")
        assert box.max_scroll_y > 0
        await pilot.press("escape")
        box.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_y > 0
        await pilot.press("i", *"thirty", "enter")
        await pilot.press("o")
        assert isinstance(app.screen, OverrideScreen)
        await pilot.click("#right")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.store.reviews()[-1].source == "override"


async def test_factory_can_start_a_topic_drill(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    library = load_library([path])
    app = create_app(Settings(), library, clock=FixedClock(), topics=["America"])
    async with app.run_test(size=(100, 30)):
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.mode == "drill"
        assert [i.card.front for i in app.screen.session.queue.pending()] == [
            "What is the capital of Peru?"]


async def test_verdict_pane_keeps_its_place_and_focus_follows_the_drawn_verdict(
        tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        grade = screen.query_one("#grade", GradeView)
        answer = screen.query_one("#answer", AnswerInput)
        assert grade.display and grade.region.height > 0
        assert text_of(app, "#score") == "" and answer.has_focus
        asking_region = grade.region
        await pilot.press(*"paris", "enter")
        assert "5/5" in text_of(app, "#score")
        await pilot.pause()
        assert grade.has_focus
        # Once graded the question and the answer shrink: the verdict gets more room.
        assert grade.region.height > asking_region.height
        assert answer.region.height <= 5
        await pilot.press("enter")
        await pilot.pause()
        assert question_of(app) == "What is the capital of Spain?"
        assert text_of(app, "#score") == "" and text_of(app, "#reference") == ""
        assert answer.has_focus and not answer.read_only
        assert grade.region == asking_region


async def test_focus_stays_in_the_answer_box_when_the_learner_moves_on_at_once(
        tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"paris")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        # Submit and go on before a frame is drawn: the late focus move must not fire.
        # (Both are queued on the screen at once, so no refresh comes between them.)
        phases: list[str] = []

        def go_on() -> None:
            phases.append(screen.phase)
            screen.action_next()

        answer = screen.query_one("#answer", AnswerInput)
        screen.post_message(AnswerInput.Submitted(answer, "paris"))
        screen.call_later(go_on)
        await pilot.pause()
        await pilot.pause()
        assert phases == ["graded"]
        assert question_of(app) == "What is the capital of Spain?"
        assert screen.query_one("#answer", AnswerInput).has_focus


async def test_named_decks_open_the_session_first_and_the_deck_list_on_the_way_back(
        tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    library = load_library([path])
    app = create_app(Settings(), library, clock=FixedClock(), study=library.decks)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        # Not built yet: it would only delay the first question.
        assert not any(isinstance(s, DeckListScreen) for s in app.screen_stack)
        await pilot.press(*"paris", "enter", "enter", "escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        table = app.screen.query_one("#decks", DataTable)
        assert table.get_row_at(0)[1:4] == ["0", "2", "3"]
        await pilot.press("enter", "escape", "q")  # a session left unanswered goes back too
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        assert sum(isinstance(s, DeckListScreen) for s in app.screen_stack) == 1


async def test_named_decks_with_nothing_due_land_on_the_deck_list(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    library = load_library([path])
    settings = Settings()
    app = create_app(settings, library, clock=FixedClock(), study=library.decks)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(3):
            await pilot.press(*"x", "enter", "enter")
        await pilot.pause()
    again = create_app(settings, library, clock=FixedClock(), study=library.decks)
    notified = record_notifications(again)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, DeckListScreen)
        assert any("Nothing" in n.title for n in notified)


async def test_a_long_verdict_scrolls_with_the_keys_at_80x24(tmp_path: Path) -> None:
    path = tmp_path / "long.deck"
    back = " ".join(f"point{n} matters because of reason{n}." for n in range(1, 40))
    path.write_text(f"title: Long\n---\nid: 00000000bb\nQ: Explain everything.\nA: {back}\n"
                    "---\nid: 00000000cc\nQ: And then?\nA: nothing\n", encoding="utf-8")
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"point1 matters", "enter")
        await pilot.pause()
        grade = app.screen.query_one("#grade", GradeView)
        assert grade.has_focus and grade.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert grade.scroll_y > 0
        await pilot.press("enter")  # Enter still moves on from a scrolled verdict
        await pilot.pause()
        assert app.screen.query_one("#answer", AnswerInput).has_focus
        assert grade.scroll_y == 0


async def test_quitting_waits_for_the_models_last_verdict_and_a_second_quit_does_not(
        tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    settings = Settings()
    grader = GatedGrader(score=1)
    app = create_app(settings, load_library([path]), clock=FixedClock(), grader=grader)
    notified = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None  # still running: the model's verdict is pending
        assert any(n.title == "Saving the last grades" for n in notified)
        grader.release.set()
        await settle(pilot)
        await pilot.pause()
        assert app.return_code == 0
    store = StudyStore(settings.profile_path)
    assert [(r.score, r.grader) for r in store.reviews()] == [(1, "llm:gated")]
    store.close()

    grader = GatedGrader(score=1)
    again = create_app(settings, load_library([path]), clock=FixedClock(), grader=grader)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Madrid", "enter", "ctrl+q", "ctrl+q")
        await pilot.pause()
        assert again.return_code == 0  # the second Ctrl+Q quits at once
        grader.release.set()


async def test_enter_then_ctrl_q_in_one_burst_saves_the_answer(tmp_path: Path) -> None:
    # Ctrl+Q acted before the answer box's Enter reached the screen: the answer was lost.
    path = write_deck(tmp_path)
    settings = Settings(deck_dirs=(str(tmp_path),))
    app = create_app(settings, load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"paris")
        # Both keys arrive before the app has handled either (a fast typist, a paste).
        app.post_message(events.Key("enter", None))
        app.post_message(events.Key("ctrl+q", None))
        await wait_until(pilot, lambda: app.return_code is not None, what="the app quit")
    store = StudyStore(settings.profile_path)
    assert [(r.answer, r.score) for r in store.reviews()] == [("paris", 5)]
    store.close()


async def test_i_was_right_on_a_bundled_deck_writes_the_learners_own_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "I was right" wrote the accepted answer into the project's bundled deck file (in the
    # clone the learner updates): now the first change makes their own copy, said once.
    from tutor import settings as settings_module
    from tutor.decks.library import load_folders

    bundled = tmp_path / "bundled"
    bundled.mkdir()
    path = write_deck(bundled)
    original = path.read_bytes()
    monkeypatch.setattr(settings_module, "BUNDLED_DECKS", bundled)
    settings = Settings()
    assert settings.deck_paths[1] == bundled
    app = create_app(settings, load_folders(settings.deck_paths), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", *"the city of light", "enter")
        await pilot.press("o")
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("r")
        await pilot.pause()
    copy = settings.deck_paths[0] / "capitals.deck"
    assert path.read_bytes() == original
    assert load_deck(copy).deck.card("0000000001").alternatives == ["the city of light"]
    notes = [n.message for n in notified if n.title == "Your copy"]
    assert len(notes) == 1 and str(copy) in notes[0]
    again = load_folders(settings.deck_paths)  # the copy replaces the bundled deck
    assert [d.path for d in again.decks] == [copy]


async def test_a_late_pass_for_the_card_being_asked_again_keeps_the_answer_on_that_card(
        tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    grader = GatedGrader(score=5)
    app = create_app(Settings(), load_library([path]), clock=FixedClock(), grader=grader)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"the city of light", "enter", "enter")  # rules: wrong
        await pilot.press(*"Madrid", "enter", "enter", *"Lima", "enter", "enter")
        assert question_of(app) == "What is the capital of France?"  # asked again
        grader.release.set()
        await settle(pilot)  # the model's pass for the first answer arrives now
        assert question_of(app) == "What is the capital of France?"
        await pilot.press(*"Paris", "enter")
        await settle(pilot)
        last = app.store.reviews()[-1]
        assert (last.card_id, last.answer) == ("0000000001", "Paris")
        assert "Reference  Paris" in text_of(app, "#reference")


async def test_typing_never_turns_into_commands_by_accident(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        answer = app.screen.query_one("#answer", AnswerInput)
        await pilot.press("tab")  # stays in the box: outside it, "s" would skip the card
        assert answer.has_focus
        await pilot.click("#grade")  # the empty verdict pane cannot take the focus
        assert answer.has_focus
        await pilot.press(*"paris", "enter")
        assert "5/5" in text_of(app, "#score")
        assert [r.answer for r in app.store.reviews()] == ["paris"]


async def test_an_empty_enter_is_not_an_answer(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Paris", "enter", "enter", "enter")  # one Enter too many
        await pilot.pause()
        assert question_of(app) == "What is the capital of Spain?"
        assert app.screen.phase == "asking" and len(app.store.reviews()) == 1
        assert any("Type an answer first" in n.message for n in notified)


async def test_palette_commands_work_while_the_answer_box_has_focus(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert app.screen.query_one("#answer", AnswerInput).has_focus
        await run_palette_command(pilot, "skip card", "Skip card")
        await pilot.pause()
        assert question_of(app) == "What is the capital of Spain?"
        # The letter key itself still types while the box has focus.
        await pilot.press("s")
        assert app.screen.query_one("#answer", AnswerInput).text == "s"


async def test_the_summary_follows_a_verdict_that_arrives_after_the_session(
        tmp_path: Path) -> None:
    path = tmp_path / "one.deck"
    path.write_text("title: One\n---\nid: 0000000001\nQ: Capital of France?\nA: Paris\n",
                    encoding="utf-8")
    grader = GatedGrader(score=0)
    app = create_app(Settings(), load_library([path]), clock=FixedClock(), grader=grader)
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Paris", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "still checking 1 answer" in text_of(app, "#summary")
        assert "100%" in text_of(app, "#summary")
        await pilot.press("tab")  # onto a button: the redraw must keep the focus there
        focused = app.focused.id if app.focused is not None else None
        assert focused
        grader.release.set()
        await settle(pilot)
        await pilot.pause()
        assert app.focused is not None and app.focused.id == focused
        summary = text_of(app, "#summary")
        assert "0% (0 of 1 right)" in summary and "still checking" not in summary
        assert app.screen.query("#drill")  # the topic went wrong: drilling is offered
        assert any(n.title.startswith("Regraded") for n in notified)


async def test_typo_diff_shows_below_full_marks_only(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"Pariss", "enter")
        assert "5/5" in text_of(app, "#score")
        assert not app.screen.query_one("#diff", Static).display  # nothing to fix at 5/5
        await pilot.press("enter", *"Madird", "enter")
        assert "4/5" in text_of(app, "#score")
        assert "Correct, with a slip" in text_of(app, "#score")
        diff = app.screen.query_one("#diff", Static)
        assert diff.display and "Madird" in str(diff.render())
        await pilot.press("enter", *"lima.", "enter")  # case and a full stop: no diff
        assert not app.screen.query_one("#diff", Static).display


async def test_a_late_pass_drops_the_repeat_that_was_not_shown_yet(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    grader = GatedGrader(score=5)
    app = create_app(Settings(), load_library([path]), clock=FixedClock(), grader=grader)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", *"the city of light", "enter", "enter")  # rules: wrong
        await pilot.press(*"Madrid", "enter", "enter", *"Lima", "enter")
        assert app.screen.session.current.card.id == "0000000001"  # France's repeat is next
        grader.release.set()
        await settle(pilot)  # the model passes France while Lima's verdict is on screen
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)  # no repeat of a card already passed


async def test_the_exam_answer_box_still_lets_tab_move_the_focus(tmp_path: Path) -> None:
    from textual.app import App

    class Host(App[None]):
        def compose(self):
            yield AnswerInput(id="answer")
            yield Static("other", id="other")

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#other", Static).can_focus = True
        app.query_one("#answer", AnswerInput).focus()
        await pilot.press("tab")
        assert app.focused is app.query_one("#other", Static)


async def test_i_was_right_shows_the_grade_it_recorded_when_the_deck_cannot_be_written(
        tmp_path: Path) -> None:
    # The override was recorded (5/5, box up) while the screen kept "0/5 Wrong" and only
    # said the deck could not be saved: now the grade in force is shown, and why the answer
    # is not an accepted one.
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", *"the city of light", "enter")
        assert "0/5" in text_of(app, "#score")
        path.unlink()
        await pilot.press("o")
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("r")
        await pilot.pause()
        assert "5/5" in text_of(app, "#score") and "Right (you said so)" in text_of(app, "#score")
        warnings = [n for n in notified if n.title == "Deck not saved"]
        assert len(warnings) == 1 and warnings[0].message.startswith(
            "Your grade stands (5/5), but your answer was not added")
        assert app.screen.session.store.reviews()[-1].score == 5


async def test_an_edit_that_cannot_be_saved_opens_the_editor_again_as_typed(
        tmp_path: Path) -> None:
    # The editor closed on a failed save (the deck file deleted, a full or read-only
    # folder) and the edit was lost: it opens again on what was typed.
    from textual.widgets import TextArea

    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "escape", "e")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        path.unlink()
        await pilot.press("tab", "end", *" (on the Seine)", "ctrl+s")
        await pilot.pause()
        assert "was moved or deleted" in notified[-1].message
        assert isinstance(app.screen, EditCardScreen)
        assert app.screen.query_one("#back", TextArea).text == "Paris (on the Seine)"
        write_deck(tmp_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
    assert load_deck(path).deck.card("0000000001").back == "Paris (on the Seine)"
