"""The Textual application: thin; screens do the work."""

from __future__ import annotations

from textual.app import App

from tutor.decks.library import DeckLibrary
from tutor.settings import Settings
from tutor.tui.screens.deck_list import DeckListScreen


class TutorApp(App[int]):
    """tutor's terminal UI."""

    TITLE = "tutor"
    CSS_PATH = "app.tcss"

    def __init__(self, settings: Settings, library: DeckLibrary) -> None:
        super().__init__()
        self.settings = settings
        self.library = library
        if settings.theme:
            self.theme = settings.theme

    def on_mount(self) -> None:
        """Show the deck list and any deck problems found while loading."""
        self.push_screen(DeckListScreen(self.library))
        for error in self.library.errors:
            self.notify(error, title="Deck not loaded", severity="error", timeout=10)
