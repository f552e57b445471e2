"""The deck browser (`b`): each card's box, due date, last score and lapses, sorted by keys,
at 80x24; editing, adding and deleting cards from it (the deck file and the progress)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.widgets import DataTable, Input, Label, Markdown, Static, TextArea

from tests.functional.conftest import record_notifications
from tutor.decks import Card, load_library
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.settings import Settings
from tutor.store import StudyStore
from tutor.tui import create_app
from tutor.tui.screens.card_browser import CardBrowserScreen
from tutor.tui.screens.edit_card import EditCardScreen
from tutor.tui.screens.exam_dialogs import ConfirmScreen

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


# -- changing the deck from the browser (e / Enter, a, d, u) ------------------------------


def open_browser(tmp_path: Path, text: str = DECK, studied: dict[str, list[int]] | None = None
                 ) -> tuple[Path, StudyStore, object]:
    """The deck ``text`` under ``tmp_path``, its cards studied as ``studied`` says, and an
    app over it (not yet running)."""
    deck_file = tmp_path / "capitals.deck"
    deck_file.write_text(text, encoding="utf-8")
    store = StudyStore(tmp_path / "profile")
    for card_id, scores in (studied or {}).items():
        study(store, card_id, scores, NOW - timedelta(days=len(scores) + 3))
    app = create_app(Settings(), load_library([deck_file]), store=store, clock=FixedClock(NOW))
    return deck_file, store, app


async def browse(pilot) -> CardBrowserScreen:
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CardBrowserScreen)
    return screen


def reloaded(deck_file: Path) -> dict[str, Card]:
    """The deck file's cards now, by id, as the next start reads them."""
    library = load_library([deck_file])
    assert not library.errors and not library.warnings, (library.errors, library.warnings)
    return {card.id: card for card in library.decks[0].cards}


async def test_browser_edits_the_selected_card_keeping_its_progress(tmp_path: Path) -> None:
    """`e` (and Enter) open the study screen's editor; Ctrl+S writes the deck file, the row
    and the card below the table change, the cursor stays on the card, and the card keeps its
    id and so its box."""
    deck_file, store, app = open_browser(tmp_path, studied={"c-peru": [5, 5]})
    box = store.state("c-peru").box  # type: ignore[union-attr]
    assert box == 3
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        await pilot.press("s")  # by question: Chad, France, Peru, "Which river…"
        assert questions(app)[2] == "Capital of Peru"
        await pilot.press("down")  # from France (the cursor stays on its card) to Peru
        assert screen.selected_card().id == "c-peru"  # type: ignore[union-attr]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        assert app.screen.query_one("#front", TextArea).text == "Capital of Peru?"
        await pilot.press("escape")  # cancel: nothing changes
        await pilot.pause()
        assert app.screen is screen and deck_file.read_text(encoding="utf-8") == DECK
        await pilot.press("enter")  # Enter edits too
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        # "Andes: …" now sorts first: the row moves, the cursor with it.
        await pilot.press("home", *"Andes: ", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.selected_card().id == "c-peru"  # type: ignore[union-attr]
        assert screen.query_one("#cards", DataTable).cursor_row == 0
        assert rows(app)[0][:2] == ["Andes: Capital of Peru?", "3"]
        assert "Andes: Capital of Peru?" in screen.query_one("#card", Markdown).source
    text = deck_file.read_text(encoding="utf-8")
    assert "id: c-peru\nQ: Andes: Capital of Peru?\nA: Lima\n" in text
    assert text.replace("Andes: ", "") == DECK  # nothing else changed
    assert reloaded(deck_file)["c-peru"].front == "Andes: Capital of Peru?"
    store.close()
    assert StudyStore(tmp_path / "profile").state("c-peru").box == box  # type: ignore[union-attr]


async def test_browser_adds_a_card_that_the_deck_file_keeps(tmp_path: Path) -> None:
    """`a` opens an empty form with the selected card's topic; Escape adds nothing, an empty
    answer is refused in one line, Ctrl+S appends the card to the file."""
    deck_file, _store, app = open_browser(tmp_path, DECK.replace(
        "id: c-peru\n", "id: c-peru\ntopic: america\n"))
    before = deck_file.read_text(encoding="utf-8")
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        await pilot.press("down", "down", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditCardScreen)
        assert "New card in Capitals" in str(form.query_one("#edit-title", Label).render())
        assert form.query_one("#front", TextArea).text == ""
        assert form.query_one("#topic", Input).value == "america"
        await pilot.press(*"Capital of Chile?", "escape")
        await pilot.pause()
        assert app.screen is screen and len(rows(app)) == 4
        assert deck_file.read_text(encoding="utf-8") == before
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Capital of Chile?", "ctrl+s")  # no answer yet
        await pilot.pause()
        assert isinstance(app.screen, EditCardScreen)
        assert seen[-1].message == "A card needs both a question and an answer."
        await pilot.press("tab", *"Santiago", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert len(rows(app)) == 5 and rows(app)[4] == ["Capital of Chile?", "new", "-", "-", "-"]
        assert screen.selected_card().front == "Capital of Chile?"  # type: ignore[union-attr]
    text = deck_file.read_text(encoding="utf-8")
    assert text.startswith(before)
    cards = reloaded(deck_file)
    assert len(cards) == 5
    new = next(card for card in cards.values() if card.front == "Capital of Chile?")
    assert (new.back, new.topic) == ("Santiago", "america") and new.id not in before


async def test_browser_deletes_after_asking_and_u_brings_the_card_back(tmp_path: Path) -> None:
    """`d` asks first (the dialog names the card and starts on Keep); Escape and Keep keep it,
    Delete takes it out of the file; `u` puts it back with its id, so its box is kept."""
    deck_file, store, app = open_browser(tmp_path, studied={"c-france": [5, 5]})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        assert rows(app)[0][:2] == ["Capital of France?", "3"]
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "Capital of France?" in str(dialog.query_one("#confirm-message", Static).render())
        # The footer names the keys as the buttons do.
        footer = {b.key: b.description for _, b, enabled, _ in dialog.active_bindings.values() if enabled}
        assert (footer["y"], footer["n"]) == ("Delete", "Keep")
        other = ConfirmScreen("Leave", "Leave the exam?")  # another dialog keeps its own words
        assert [b.description for b in other._bindings.key_to_bindings["y"]] == ["Yes"]
        assert [b.description for b in dialog._bindings.key_to_bindings["y"]] == ["Delete"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # the dialog starts on Keep
        await pilot.pause()
        assert app.screen is screen and len(rows(app)) == 4
        assert deck_file.read_text(encoding="utf-8") == DECK
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.screen is screen and screen.sub_title == "Capitals"
        assert questions(app)[0] != "Capital of France" and len(rows(app)) == 3
        assert screen.selected_card().id == "c-long"  # type: ignore[union-attr]
        assert "c-france" not in reloaded(deck_file)
        assert "France" not in deck_file.read_text(encoding="utf-8")
        await pilot.press("u")
        await pilot.pause()
        assert len(rows(app)) == 4
        assert screen.selected_card().id == "c-france"  # type: ignore[union-attr]
        assert rows(app)[3][:2] == ["Capital of France?", "3"]  # back, at the end, in box 3
    card = reloaded(deck_file)["c-france"]
    assert (card.front, card.back) == ("Capital of France?", "Paris")
    store.close()
    assert StudyStore(tmp_path / "profile").state("c-france").box == 3  # type: ignore[union-attr]


async def test_browser_deletes_the_last_card_leaving_a_deck_that_loads(tmp_path: Path) -> None:
    """A deck may lose its last card: its file keeps the title and loads as an empty deck."""
    one = "title: Capitals\n---\nid: c-peru\nQ: Capital of Peru?\nA: Lima\n"
    deck_file, _store, app = open_browser(tmp_path, one)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        await pilot.press("d", "y")
        await pilot.pause()
        assert rows(app) == [] and screen.selected_card() is None
        assert "No cards" in screen.query_one("#card", Markdown).source
        await pilot.press("e", "d")  # nothing to edit or delete: nothing opens
        await pilot.pause()
        assert app.screen is screen
        library = load_library([deck_file])
        assert not library.errors and library.decks[0].title == "Capitals"
        assert library.decks[0].cards == []
        await pilot.press("u")
        await pilot.pause()
        assert rows(app)[0][0] == "Capital of Peru?"
    assert list(reloaded(deck_file)) == ["c-peru"]


async def test_home_and_end_go_to_the_first_and_last_card(tmp_path: Path) -> None:
    _deck_file, _store, app = open_browser(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        table = screen.query_one("#cards", DataTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1 > 0
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("escape", "end")  # the deck list's table too
        await pilot.pause()
        decks = app.screen.query_one("#decks", DataTable)
        assert decks.cursor_row == decks.row_count - 1


async def test_an_edit_or_a_new_card_that_cannot_be_saved_opens_again_as_typed(
        tmp_path: Path) -> None:
    """The form closed and what was typed was gone when the deck file could not be written
    (a full or read-only folder, the file deleted meanwhile): it opens again on the typed
    text, so Ctrl+S can try again once the file is back, or Escape gives up."""
    deck_file, _store, app = open_browser(tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await browse(pilot)
        card = screen.selected_card()
        assert card is not None and card.front == "Capital of France?"
        deck_file.unlink()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("home", *"Old ", "ctrl+s")
        await pilot.pause()
        assert "was moved or deleted" in seen[-1].message
        form = app.screen
        assert isinstance(form, EditCardScreen) and "Edit card c-france" in str(
            form.query_one("#edit-title", Label).render())
        assert form.query_one("#front", TextArea).text == "Old Capital of France?"
        assert card.front == "Capital of France?"  # the card is as its file had it
        deck_file.write_text(DECK, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and card.front == "Old Capital of France?"
        deck_file.unlink()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Capital of Chile?", "tab", *"Santiago", "ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditCardScreen) and "New card in Capitals" in str(
            form.query_one("#edit-title", Label).render())
        assert form.query_one("#front", TextArea).text == "Capital of Chile?"
        assert form.query_one("#back", TextArea).text == "Santiago"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and len(rows(app)) == 4
