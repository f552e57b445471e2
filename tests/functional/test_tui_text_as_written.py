"""A deck's own text is shown as written on every screen, never read as Textual markup:
`List[int]` lost its `[int]` (a style tag to Textual) and a stray `[/]` in a title, topic,
question or typed filter crashed the app with a MarkupError."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.functional.conftest import record_notifications, settle, text_of, wait_until
from tutor.decks import load_library
from tutor.grading.base import GradeRequest, GradeResult
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.tui import create_app
from tutor.tui.screens.card_browser import CardBrowserScreen
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_dialogs import ConfirmScreen
from tutor.tui.screens.exam_result import ExamResultScreen
from tutor.tui.screens.study import StudyScreen
from tutor.tui.screens.summary import SummaryScreen

TITLE = "Types [/] List[int]"
QUESTION = "What is List[int] and [/]?"
DECK = f"""title: {TITLE}
---
id: t1
topic: [/]generics[b]
Q: {QUESTION}
A: a list of ints [/b] Dict[str, int]
"""


class QuotingGrader:
    """A model stand-in whose feedback quotes the card's own text."""

    name = "llm:quoting"

    def grade(self, request: GradeRequest) -> GradeResult:
        return GradeResult(score=2, feedback="You left out Dict[str, int] and [/b].",
                           grader=self.name, confidence=0.9)


def first_cell(app) -> str:
    return str(app.screen.query_one(DataTable).get_row_at(0)[0])


async def test_titles_topics_questions_and_feedback_show_brackets_as_written(
        tmp_path: Path) -> None:
    path = tmp_path / "types.deck"
    path.write_text(DECK, encoding="utf-8")
    app = create_app(Settings(), load_library([path]), clock=FixedClock(),
                     grader=QuotingGrader())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert first_cell(app) == "Types [/] List[int]"
        await pilot.press("slash", *"[/", "escape")  # a filter is shown as typed too
        await pilot.pause()
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, CardBrowserScreen))
        assert first_cell(app) == QUESTION
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y", "u")
        await pilot.pause()
        assert [n.message for n in notified][-2:] == [
            f"Deleted: {QUESTION} (u brings it back)", f"Restored: {QUESTION}"]
        await pilot.press("escape", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StudyScreen))
        assert text_of(app, "#progress").endswith("· [/]generics[b]")
        await pilot.press(*"a list", "enter")
        await settle(pilot)
        assert text_of(app, "#feedback") == "You left out Dict[str, int] and [/b]."
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        assert text_of(app, "#summary-title") == f"Session over: {TITLE}"
        await pilot.press("enter", "x")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ExamScreen))
        assert text_of(app, "#question-text") == QUESTION
        assert text_of(app, "#question-heading").endswith("· [/]generics[b]")
        await pilot.press(*"a list", "enter", "ctrl+t", "y")
        await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
        topics = app.screen.query_one("#result-topics", DataTable)
        assert str(topics.get_row_at(0)[0]) == "[/]generics[b]"


async def test_notifications_quote_a_card_as_written(tmp_path: Path) -> None:
    # "Deleted: What is List[int] …" was drawn as "Deleted: What is List …".
    path = tmp_path / "types.deck"
    path.write_text(DECK, encoding="utf-8")
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, CardBrowserScreen))
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")

        def shown() -> list[str]:
            return [str(toast.render()) for toast in app.screen.query("Toast")]

        await wait_until(pilot, lambda: shown() != [], what="the notification drawn")
        assert shown() == [f"Deleted: {QUESTION} (u brings it back)"]
