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


async def test_at_80_columns_long_titles_keep_20_cells_and_every_column_shows(tmp_path: Path) -> None:
    """The bundled titles all start "Deep Learning …": at 80x24 they must still differ, and the
    mastery share and last-studied column must still be on screen."""
    for name, title in (("a", "Deep Learning in Python (Brainscape)"), ("b", "Deep Learning and CNNs (Knowt)")):
        (tmp_path / f"{name}.deck").write_text(DECK.replace("Capitals", title), encoding="utf-8")
    app = create_app(Settings(), load_library(sorted(tmp_path.glob("*.deck"))), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        titles = [str(table.get_row_at(row)[0]) for row in range(table.row_count)]
        assert titles == ["Deep Learning in Py…", "Deep Learning and C…"]
        assert "0%" in str(table.get_row_at(0)[5])
        width = sum(column.get_render_width(table) for column in table.columns.values())
        assert width <= 80 - 2, width  # nothing pushed off the right edge


async def test_the_highlighted_deck_is_named_in_full_under_the_table(tmp_path: Path) -> None:
    """Titles cut to 20 cells at 80 columns: the line under the table says which deck the
    cursor is on, in full, with its card and topic counts and its file."""
    long_title = "Deep Learning with Python by Francois Chollet (Quizwiz)"
    (tmp_path / "a.deck").write_text(DECK.replace("Capitals", "Deep Learning in Python"), encoding="utf-8")
    (tmp_path / "b.deck").write_text(DECK.replace("Capitals", long_title)
                                     .replace("Q: Capital of Peru", "topic: Peru\nQ: Capital of Peru")
                                     .replace("Q: Capital of France", "topic: France\nQ: Capital of France"),
                                     encoding="utf-8")
    app = create_app(Settings(), load_library(sorted(tmp_path.glob("*.deck"))), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        def selected() -> str:
            return str(app.screen.query_one("#selected").render())

        assert selected().startswith("Deep Learning in Python · 2 cards")
        await pilot.press("down")
        await pilot.pause()
        assert selected() == f"{long_title} · 2 cards · 2 topics"
        assert len(selected()) <= 78  # the file name did not fit: left out, nothing cut
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert selected() == ""  # no deck listed, none named


async def test_a_library_note_is_told_as_a_note_not_a_deck_problem(tmp_path: Path) -> None:
    """A bundled deck named by its path and read from the learner's copy is news, not a
    problem: it shows under "Decks", as information."""
    from tests.functional.conftest import record_notifications
    from tutor.decks.library import resolve_decks

    own, bundled = tmp_path / "own", tmp_path / "bundled"
    own.mkdir()
    bundled.mkdir()
    (bundled / "capitals.deck").write_text(DECK, encoding="utf-8")
    (own / "capitals.deck").write_text(DECK.replace("Lima", "Lima (mine)"), encoding="utf-8")
    library = resolve_decks([str(bundled / "capitals.deck")], [own, bundled])
    app = create_app(Settings(), library, clock=FixedClock())
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    titles = [(n.title, n.severity) for n in notified if "your own copy" in n.message]
    assert titles == [("Decks", "information")]
    assert not [n for n in notified if n.title == "Deck problem"]
