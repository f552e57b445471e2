"""The deck list screen, driven with Pilot."""

from pathlib import Path

from textual.widgets import DataTable, Markdown

from tutor.decks import load_library
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.tui import create_app
from tutor.tui.screens.card_browser import CardBrowserScreen

DECK = "title: Capitals\n---\nQ: Capital of France?\nA: Paris\n---\nQ: Capital of Peru?\nA: Lima\n"


async def test_deck_list_shows_decks_and_browses(tmp_path: Path) -> None:
    path = tmp_path / "capitals.deck"
    path.write_text(DECK, encoding="utf-8")
    app = create_app(Settings(), load_library([path]), clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("#decks", DataTable)
        assert table.row_count == 1
        # Deck, due, new, total, new today, mastery, last studied.
        row = table.get_row_at(0)
        assert row[:5] == ["Capitals", "0", "2", "2", "0 of 20"]
        assert "0%" in str(row[5]) and row[6] == "never"
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)
        await pilot.press("down")
        await pilot.pause()
        markdown = app.screen.query_one("#card", Markdown)
        assert "Lima" in markdown.source
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CardBrowserScreen)


async def test_empty_library_says_how_to_add_decks() -> None:
    app = create_app(Settings(deck_dirs=("/nonexistent",)), load_library([]))
    async with app.run_test(size=(80, 24)):
        assert "No decks found" in str(app.screen.query_one("#empty").render())
