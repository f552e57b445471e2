"""The first-start welcome, seen as a new user sees it: shown the first time tutor opens,
closed with Enter or Escape, never shown again; it fits 80x24 and names the real folders.

The shared fixture marks every other test's data folder as welcomed already; these tests
point tutor at a data folder of their own that has never seen it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.functional.conftest import wait_until, write_deck
from tutor.decks import load_library
from tutor.schedule import FixedClock
from tutor.settings import Settings
from tutor.tui import create_app
from tutor.tui.screens.deck_list import DeckListScreen
from tutor.tui.screens.welcome import WelcomeScreen


@pytest.fixture
def new_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings whose data folder tutor has never opened."""
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "fresh-data"))
    settings = Settings()
    assert not settings.data_path.exists()
    return settings


def welcome_text(screen: WelcomeScreen) -> str:
    return str(screen.query_one("#welcome-text", Static).render())


def welcome_drawn(app: object) -> bool:
    """True once the welcome is the screen on top and its text is laid out."""
    screen = getattr(app, "screen", None)
    return isinstance(screen, WelcomeScreen) and bool(screen.query("#welcome-text")) and \
        screen.query_one("#welcome-text").region.height > 0


@pytest.mark.parametrize("key", ["enter", "escape"])
async def test_the_welcome_shows_on_first_start_only(
        new_user: Settings, tmp_path: Path, key: str) -> None:
    library = load_library([write_deck(tmp_path)])
    app = create_app(new_user, library, clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: welcome_drawn(app), what="the welcome shown")
        screen = app.screen
        assert isinstance(screen, WelcomeScreen)
        text = welcome_text(screen)
        assert "verdict shows at once" in text and "local model" in text
        assert "o  overrides a wrong grade" in text and "teaches the card" in text
        assert "?  lists the keys" in text
        assert "Space on an empty answer shows the reference: rate yourself" in text
        assert str(new_user.data_path / "decks") in text
        assert str(new_user.profile_path) in text
        box = screen.query_one("#welcome-box")
        assert box.region.right <= 80 and box.region.bottom <= 24  # all of it on screen
        assert box.region.height >= screen.query_one("#welcome-text").region.height + 3
        await pilot.press(key)
        await wait_until(pilot, lambda: isinstance(app.screen, DeckListScreen),
                         what="the deck list back")
    assert new_user.welcome_marker.exists()

    again = create_app(new_user, library, clock=FixedClock())
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(again.screen, DeckListScreen)
        assert not any(isinstance(s, WelcomeScreen) for s in again.screen_stack)


async def test_the_welcome_keeps_a_named_session_waiting_under_it(
        new_user: Settings, tmp_path: Path) -> None:
    library = load_library([write_deck(tmp_path)])
    clock = FixedClock()
    app = create_app(new_user, library, clock=clock, study=library.decks)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: welcome_drawn(app), what="the welcome shown")
        await pilot.press(*"paris")  # typing is not lost into the screen below
        assert app.store.reviews() == []
        clock.advance(minutes=2)  # reading the welcome is not time spent answering
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, WelcomeScreen),
                         what="the welcome closed")
        await pilot.press(*"paris", "enter")
        await wait_until(pilot, lambda: len(app.store.reviews()) == 1, what="the answer saved")
        assert app.store.reviews()[0].score == 5
        assert app.store.reviews()[0].response_ms < 60_000
