"""The deck list: every deck with its size and topics; Enter browses a deck."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from tutor.decks.library import DeckLibrary
from tutor.decks.model import Deck
from tutor.tui.screens.card_browser import CardBrowserScreen


class DeckListScreen(Screen[None]):
    """Lists the loaded decks."""

    CSS_PATH = "deck_list.tcss"
    BINDINGS = [
        Binding("enter", "open_deck", "Browse", show=True),
        Binding("q", "app.quit", "Quit", show=True),
    ]

    def __init__(self, library: DeckLibrary) -> None:
        super().__init__()
        self.library = library

    def compose(self) -> ComposeResult:
        yield Header()
        if not self.library.decks:
            yield Static(
                "No decks found. Import one with 'tutor import FILE -o NAME.deck',"
                " or put .deck files in your decks folder.",
                id="empty",
            )
        table: DataTable[str] = DataTable(id="decks", cursor_type="row", zebra_stripes=True)
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one("#decks", DataTable)
        table.add_columns("Deck", "Cards", "Topics", "File")
        for index, deck in enumerate(self.library.decks):
            table.add_row(
                deck.title,
                str(len(deck.cards)),
                str(len(deck.topic_names())),
                deck.key,
                key=str(index),
            )
        table.focus()

    def selected_deck(self) -> Deck | None:
        """The deck under the cursor."""
        table = self.query_one("#decks", DataTable)
        if not self.library.decks or table.cursor_row < 0:
            return None
        return self.library.decks[table.cursor_row]

    def action_open_deck(self) -> None:
        """Browse the selected deck's cards."""
        deck = self.selected_deck()
        if deck is not None:
            self.app.push_screen(CardBrowserScreen(deck))

    @on(DataTable.RowSelected, "#decks")
    def _row_selected(self) -> None:
        self.action_open_deck()
