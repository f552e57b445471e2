"""The card editor at 80x24: every field and both buttons on screen without scrolling."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from textual.widgets import Button

from tests.functional.conftest import write_deck
from tutor.decks import load_library
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.tui import create_app
from tutor.tui.screens.edit_card import EditCardScreen


async def test_the_edit_form_fits_80x24_with_its_buttons_showing(tmp_path: Path) -> None:
    """The Save/Cancel buttons were below the fold: the form needed 25 rows of 23."""
    app = create_app(Settings(deck_dirs=(str(tmp_path),)), load_library([write_deck(tmp_path)]),
                     clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape", "e")  # out of the answer field, then Edit
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EditCardScreen)
        box = screen.query_one("#edit-box", VerticalScroll)
        assert box.max_scroll_y == 0
        for button in screen.query(Button):
            assert button.region.bottom <= 23 and button.region.height >= 1, button.id
