"""The deck browser (`b`): each card's box, due date, last score and lapses, sorted by keys,
at 80x24."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import DataTable, Markdown

from tutor.decks import load_library
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.settings import Settings
from tutor.store import StudyStore
from tutor.tui import create_app
from tutor.tui.screens.card_browser import CardBrowserScreen

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
LONG = "Which river flows through the capital and gives its name to a famous bridge " * 2
DECK = ("title: Capitals\n"
        "---\nid: c-france\nQ: Capital of France?\nA: Paris\n"
        f"---\nid: c-long\nQ: {LONG}\nA: The Vltava\n"
        "---\nid: c-peru\nQ: Capital of Peru?\nA: Lima\n"
        "---\nid: c-chad\nQ: Capital of Chad?\nA: N'Djamena\n")


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#cards", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def questions(app) -> list[str]:
    return [row[0].split("?")[0] for row in rows(app)]


def study(store: StudyStore, card_id: str, scores: list[int], start: datetime) -> None:
    """Answer ``card_id`` once a day with ``scores`` through the real scheduler."""
    scheduler = LeitnerScheduler()
    state = store.state(card_id) or scheduler.new_state(card_id, "capitals")
    for day, score in enumerate(scores):
        outcome = scheduler.review(state, score, start + timedelta(days=day), grader="rules")
        store.record_review(outcome.review, outcome.state)
        state = outcome.state


async def test_browser_shows_where_each_card_stands_and_sorts(tmp_path: Path) -> None:
    deck_file = tmp_path / "capitals.deck"
    deck_file.write_text(DECK, encoding="utf-8")
    store = StudyStore(tmp_path / "profile")
    # France: up to box 3, last 5. Peru: learned, then failed twice (lapses), box 1.
    study(store, "c-france", [5, 5], NOW - timedelta(days=3))
    study(store, "c-peru", [5, 5, 1, 2], NOW - timedelta(days=5))
    study(store, "c-long", [4], NOW - timedelta(days=10))
    app = create_app(Settings(), load_library([deck_file]), store=store,
                     clock=FixedClock(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CardBrowserScreen)
        table = screen.query_one("#cards", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Question", "Box", "Due", "Last", "Lapses"]
        # Deck order; the long question is cut to fit the 80 columns; Chad was never studied.
        assert rows(app) == [
            ["Capital of France?", "3", "in 2d", "5/5", "0"],
            [rows(app)[1][0], "2", "8d late", "4/5", "0"],
            ["Capital of Peru?", "1", "1d late", "2/5", "2"],
            ["Capital of Chad?", "new", "-", "-", "-"],
        ]
        cut = rows(app)[1][0]
        assert cut.endswith("…") and LONG.startswith(cut[:-1]) and len(cut) < 50
        assert table.region.right <= 80 and screen.query_one("#detail").region.bottom <= 23
        # `s` cycles: question, box, due, last score, lapses; new cards always last.
        await pilot.press("s")
        assert questions(app)[:3] == ["Capital of Chad", "Capital of France", "Capital of Peru"]
        await pilot.press("s")
        assert [row[1] for row in rows(app)] == ["1", "2", "3", "new"]
        assert str(list(table.columns.values())[1].label) == "Box▲"
        await pilot.press("r")
        assert [row[1] for row in rows(app)] == ["3", "2", "1", "new"]
        assert str(list(table.columns.values())[1].label) == "Box▼"
        await pilot.press("s")  # due, soonest first
        assert [row[2] for row in rows(app)] == ["8d late", "1d late", "in 2d", "-"]
        await pilot.press("s", "r")  # last score, highest first
        assert [row[3] for row in rows(app)] == ["5/5", "4/5", "2/5", "-"]
        await pilot.press("s", "r")  # lapses, most first
        assert questions(app)[0] == "Capital of Peru" and rows(app)[0][4] == "2"
        # The highlighted card is shown below the table and stays selected across sorts.
        assert screen.selected_card().id == "c-france"  # type: ignore[union-attr]
        await pilot.press("up", "up", "up")
        await pilot.pause()
        assert "Lima" in screen.query_one("#card", Markdown).source
        await pilot.press("s")  # back to deck order
        assert questions(app)[0] == "Capital of France"
        assert screen.selected_card().id == "c-peru"  # type: ignore[union-attr]
        assert table.cursor_row == 2
        # Clicking a header sorts by it; again reverses.
        await pilot.click("#cards", offset=(table.region.width - 6, 0))
        assert [row[4] for row in rows(app)] == ["0", "0", "2", "-"]
        await pilot.click("#cards", offset=(table.region.width - 6, 0))
        assert [row[4] for row in rows(app)] == ["2", "0", "0", "-"]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CardBrowserScreen)
