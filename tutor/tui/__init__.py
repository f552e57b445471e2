"""The Textual UI. The only package that imports Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.decks.library import DeckLibrary
    from tutor.settings import Settings
    from tutor.tui.app import TutorApp


def create_app(settings: "Settings", library: "DeckLibrary") -> "TutorApp":
    """Build the app: the one factory used by the CLI and the tests."""
    from tutor.tui.app import TutorApp

    return TutorApp(settings=settings, library=library)
