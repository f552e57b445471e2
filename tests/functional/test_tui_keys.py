"""A screen's keys are written once (its ``BINDINGS``): the help screen and the command
palette are derived from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.binding import Binding
from textual.screen import Screen

from tutor.decks import load_library
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.tui import create_app
from tutor.tui.keys import KeyBinding, help_rows, key_label, palette_entries
from tutor.tui.screens.deck_list import DeckListScreen
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_result import ExamResultScreen
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.report import ReportScreen, TopicCardsScreen
from tutor.tui.screens.study import StudyScreen
from tutor.tui.screens.summary import SummaryScreen
from tutor.tui.widgets.answer_input import AnswerInput

SCREENS: list[type[Screen]] = [DeckListScreen, StudyScreen, SummaryScreen, ReportScreen,
                                TopicCardsScreen, ExamScreen, ExamResultScreen]

DECK = """title: Capitals
---
id: 0000000001
topic: europe
Q: What is the capital of France?
A: Paris
---
id: 0000000002
topic: europe
Q: What is the capital of Spain?
A: Madrid
"""


def test_key_labels() -> None:
    assert [key_label(key) for key in ("ctrl+n", "f1", "question_mark", "slash", "a",
                                       "escape", "enter", "shift+enter")] == [
        "Ctrl+N", "F1", "?", "/", "a", "Escape", "Enter", "Shift+Enter"]


def test_the_study_help_reads_as_before_plus_why_and_self_rating() -> None:
    assert help_rows(StudyScreen.BINDINGS, StudyScreen.ANSWER_KEYS, after="next") == [
        ("Enter", "submit the answer / next card"),
        ("Ctrl+J, Shift+Enter, Alt+Enter", "new line in the answer"),
        ("Escape", "leave the answer box (then the letter keys work)"),
        ("i", "back into the answer box"),
        ("Space", "with nothing typed: show the reference and rate yourself"),
        ("0 / 1 / 2 / 3 / 4 / 5", "rate yourself once the reference is shown: 0 blank … 5 all of it"),
        ("y / n", "an unsure grade, or a card you rate: I was right / I was wrong"),
        ("o", "override the grade (I was right / I was wrong)"),
        ("w", "why? the model says in a sentence or two what the answer misses"),
        ("e", "edit the card"),
        ("s", "skip the card (it comes back at the end)"),
        ("u", "undo the last grade"),
        ("Ctrl+P", "command palette"),
        ("?, F1", "this help"),
        ("q", "end the session (progress is already saved)"),
    ]


def test_keys_of_one_action_share_a_line_and_plain_bindings_are_left_out() -> None:
    bindings = [KeyBinding("enter", "back", "Back", help="back to the decks"),
                KeyBinding("q", "back", "Back", show=False),
                Binding("x", "hidden", "Hidden"),
                KeyBinding("escape", "back", "Back", show=False)]
    assert help_rows(bindings) == [("Enter, q, Escape", "back to the decks")]
    assert help_rows(bindings, [("↑ / ↓", "choose")]) == [
        ("↑ / ↓", "choose"), ("Enter, q, Escape", "back to the decks")]


@pytest.mark.parametrize("screen", SCREENS, ids=lambda screen: screen.__name__)
def test_every_key_in_the_footer_has_a_help_line(screen: type[Screen]) -> None:
    listed = {key.strip() for keys, _text in help_rows(screen.BINDINGS)
              for part in keys.split(" / ") for key in part.split(",")}
    for binding in screen.BINDINGS:
        assert isinstance(binding, Binding)
        if binding.show:
            assert isinstance(binding, KeyBinding) and key_label(binding.key) in listed, binding


async def test_the_palette_offers_the_keys_that_apply_now(tmp_path: Path) -> None:
    deck = tmp_path / "capitals.deck"
    deck.write_text(DECK, encoding="utf-8")
    app = create_app(Settings(), load_library([deck]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, DeckListScreen)
        assert [title for title, _help, _action in palette_entries(app.screen)] == [
            "Study selected deck", "Study all due cards", "Study more", "Filter decks",
            "Browse deck", "Exam on selected deck", "Weak-topic report", "Deck list help"]
        await pilot.press("enter")
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.query_one("#answer", AnswerInput).has_focus  # typing
        assert [action for _title, _help, action in palette_entries(app.screen)] == [
            "reveal", "edit", "skip", "help", "quit_session"]
        await pilot.press(*"Paris", "enter")
        await pilot.pause()
        assert app.screen.phase == "graded"
        assert [action for _title, _help, action in palette_entries(app.screen)] == [
            "next", "override", "edit", "undo", "help", "quit_session"]
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("?, F1", "this help") in app.screen.bindings_help
        assert ("Ctrl+J, Shift+Enter, Alt+Enter", "new line in the answer") in app.screen.bindings_help
