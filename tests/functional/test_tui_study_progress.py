"""The study screen's progress line and self-rated cards, driven with Pilot at 80x24:
a real deck file, a real TinyDB store, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

from textual.widgets import ProgressBar

from tests.functional.conftest import question_of, text_of, write_deck
from tutor.decks import load_library
from tutor.grading.base import GradeRequest, GradeResult
from tutor.report import CardReport
from tutor.schedule import FixedClock
from tutor.schedule.model import Review
from tutor.settings import Settings
from tutor.store import StudyStore
from tutor.tui import create_app
from tutor.tui.screens.override import OverrideScreen
from tutor.tui.screens.report import card_history_content
from tutor.tui.screens.study import StudyScreen
from tutor.tui.screens.summary import SummaryScreen
from tutor.tui.widgets.answer_input import AnswerInput
from tutor.tui.widgets.grader_status import GraderStatusBar

LIST_DECK = """title: Lists
---
id: 00000000a1
topic: geography
Q: Name the countries of South America.
A: Argentina, Bolivia, Brazil, Chile, Colombia, Ecuador, Guyana, Paraguay, Peru,
  Suriname, Uruguay, Venezuela
---
id: 00000000a2
topic: geography
Q: Name the Great Lakes.
A: Superior, Michigan, Huron, Erie, Ontario
"""


class RecordingGrader:
    """A model stand-in that records every answer it is asked to grade."""

    name = "llm:recording"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def grade(self, request: GradeRequest) -> GradeResult:
        self.calls.append(request.answer)
        return GradeResult(score=2, feedback="the model's view", grader=self.name,
                           confidence=0.9)


def keys_on(screen: StudyScreen) -> set[str]:
    """The keys the footer offers now (enabled bindings of the screen)."""
    return {key for key, active in screen.active_bindings.items() if active.enabled}


async def test_progress_counts_planned_cards_and_a_missed_card_as_a_repeat(
        tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        bar = screen.query_one("#bar", ProgressBar)
        assert text_of(app, "#progress").startswith("0 of 3 done · box 1 (new) · europe")
        assert (bar.progress, bar.total) == (0, 3)
        await pilot.press(*"Berlin", "enter")  # wrong: France comes back later
        assert text_of(app, "#progress").startswith("1 of 3 done · 1 again · box 1")
        await pilot.press("enter", *"Madrid", "enter", "enter", *"Lima", "enter")
        assert text_of(app, "#progress").startswith("3 of 3 done · 1 again")
        assert bar.progress == 3 and bar.total == 3
        await pilot.press("enter")
        assert question_of(app) == "What is the capital of France?"
        # The repeat does not grow the plan: still 3 of 3, with the repeat marked.
        assert text_of(app, "#progress").startswith("3 of 3 done · 1 again · box 1 (again)")
        # The progress line takes one row: the answer box keeps its place on screen.
        answer = screen.query_one("#answer", AnswerInput)
        assert screen.query_one("#info").region.height == 1
        assert answer.region.height == 6 and answer.region.bottom <= 22
        await pilot.press(*"Paris", "enter")
        assert text_of(app, "#progress").startswith("3 of 3 done · box 1 · europe")
        assert (bar.progress, bar.total) == (3, 3)


async def test_space_on_an_empty_answer_shows_the_reference_and_records_a_self_rating(
        tmp_path: Path) -> None:
    path = tmp_path / "lists.deck"
    path.write_text(LIST_DECK, encoding="utf-8")
    settings = Settings()
    grader = RecordingGrader()
    app = create_app(settings, load_library([path]), clock=FixedClock(), grader=grader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        answer = screen.query_one("#answer", AnswerInput)
        assert answer.has_focus and "space" in keys_on(screen)
        assert text_of(app, "#reference") == ""
        await pilot.press("space")
        await pilot.pause()
        assert screen.phase == "revealed" and answer.text == ""
        assert "Reference  Argentina, Bolivia" in text_of(app, "#reference")
        assert "How well did you know it?" in text_of(app, "#score")
        on = keys_on(screen)
        assert {"0", "1", "2", "3", "4", "5", "y", "n", "e", "q"} <= on
        assert not on & {"enter", "o", "w", "s", "i", "space"}
        # The reference and the rating keys fit above the status bar at 80x24.
        reference = screen.query_one("#reference")
        assert reference.region.y < screen.query_one(GraderStatusBar).region.y
        await pilot.press("4")
        await pilot.pause()
        assert screen.phase == "graded"
        assert "4/5" in text_of(app, "#score") and "rated by you" in text_of(app, "#score")
        assert "Your rating" in text_of(app, "#score") and "said so" not in text_of(app, "#score")
        assert [(r.grader, r.score, r.answer, r.box_after) for r in app.store.reviews()] == [
            ("self", 4, "", 2)]
        on = keys_on(screen)
        assert {"enter", "u"} <= on and not on & {"o", "w", "y", "n", "0"}
        await pilot.press("o")  # not offered: nothing typed to mark right or wrong
        assert not isinstance(app.screen, OverrideScreen)
        # Undo takes the rating back and asks the card again, empty.
        await pilot.press("u")
        await pilot.pause()
        assert screen.phase == "asking" and answer.text == "" and app.store.reviews() == []
        await pilot.press("space", "y")  # right / wrong works too: y is a 5
        await pilot.pause()
        await pilot.press("enter", "space", "n")
        await pilot.pause()
        assert "1/5" in text_of(app, "#score")
        assert text_of(app, "#progress").startswith("2 of 2 done · 1 again")
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = text_of(app, "#summary")
        assert "Self-rated      2" in summary and "Overrides" not in summary
    assert grader.calls == []  # the model was never asked to grade a self-rated card
    with StudyStore(settings.profile_path) as store:
        assert [(r.card_id, r.grader, r.score) for r in store.reviews()] == [
            ("00000000a1", "self", 5), ("00000000a2", "self", 1)]
        assert store.state("00000000a1").box == 2 and store.state("00000000a2").box == 1


async def test_space_inside_a_typed_answer_is_still_a_space(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        answer = screen.query_one("#answer", AnswerInput)
        await pilot.press(*"the", "space", *"city", "space", "space", *"of light")
        assert answer.text == "the city  of light" and screen.phase == "asking"
        assert "space" not in keys_on(screen)  # the footer no longer offers "show answer"
        await pilot.press("enter")
        assert app.store.reviews()[-1].answer == "the city  of light"
        assert app.store.reviews()[-1].grader == "rules"
        # An answer given back by undo is typed already: Space adds to it.
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("end", "space", *"Paris")
        assert answer.text == "the city  of light Paris" and screen.phase == "asking"


async def test_the_exam_answer_box_types_a_leading_space(tmp_path: Path) -> None:
    from textual.app import App

    class Host(App[None]):
        def compose(self):
            yield AnswerInput(id="answer")

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#answer", AnswerInput).focus()
        await pilot.press("space", "x")
        assert app.query_one("#answer", AnswerInput).text == " x"


def test_a_self_rated_answer_reads_as_such_in_a_cards_history() -> None:
    when = datetime(2024, 1, 2, 9, 0, tzinfo=timezone.utc)
    rated = Review(card_id="00000000a1", deck="lists", time=when, score=4, kind="new",
                   box_before=1, box_after=2, grader="self")
    blank = Review(card_id="00000000a1", deck="lists", time=when, score=0, kind="due",
                   box_before=2, box_after=1, grader="rules")
    card = CardReport(card_id="00000000a1", deck="lists", topic="geography", front="Q?",
                      back="A", state=None, history=(rated, blank), answers=2, correct=1,
                      fails=1, lapses=1, leech=False)
    lines = str(card_history_content(card, SimpleNamespace(now=when))).splitlines()
    assert lines[-2].endswith("box 2→1  (no answer)")
    assert lines[-1].endswith("4/5  box 1→2 (first)  (rated yourself)")


async def test_a_rating_never_goes_to_a_card_other_than_the_one_shown(tmp_path: Path) -> None:
    path = write_deck(tmp_path)
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "space")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen) and screen.phase == "revealed"
        # As a late verdict can: the queue now holds another card first.
        screen.session.skip()
        await pilot.press("5")
        await pilot.pause()
        assert app.store.reviews() == [] and screen.phase == "asking"
        assert question_of(app) == "What is the capital of Spain?"
