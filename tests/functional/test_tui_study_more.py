"""New cards per deck on the deck list, "nothing to study" saying why, and the "study
more" dialog (m), driven with Pilot at 80x24 over real deck files and a real store."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList

from tests.functional.conftest import record_notifications, text_of
from tutor.decks import load_library
from tutor.decks.library import DeckLibrary
from tutor.schedule import FixedClock
from tutor.settings import Settings, StudySettings
from tutor.tui import create_app
from tutor.tui.app import TutorApp
from tutor.tui.screens.deck_list import DeckListScreen
from tutor.tui.screens.study import StudyScreen
from tutor.tui.screens.study_more import StudyMoreScreen

SETTINGS = Settings(study=StudySettings(new_per_day=3))


def library(tmp_path: Path) -> DeckLibrary:
    """Two decks of 6 cards: 'Numbers' (topics odd / even) and 'Letters'."""
    numbers = tmp_path / "numbers.deck"
    numbers.write_text("title: Numbers\n" + "".join(
        f"---\nid: num{n:07d}\ntopic: {'odd' if n % 2 else 'even'}\nQ: Say {n}\nA: {n}\n"
        for n in range(1, 7)), encoding="utf-8")
    letters = tmp_path / "letters.deck"
    letters.write_text("title: Letters\n" + "".join(
        f"---\nid: let{n:07d}\nQ: Say {c}\nA: {c}\n" for n, c in enumerate("abcdef")),
        encoding="utf-8")
    return load_library([numbers, letters])


def make_app(tmp_path: Path, clock: FixedClock, settings: Settings = SETTINGS) -> TutorApp:
    return create_app(settings, library(tmp_path), clock=clock)


async def study_new_cards(pilot, app: TutorApp) -> None:  # type: ignore[no-untyped-def]
    """Study the selected deck's cards, answering each right, and go back to the list."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, StudyScreen)
    while app.screen.session.current is not None:
        await pilot.press(*app.screen.session.current.card.back, "enter")
        await pilot.pause()
    await pilot.press("enter")  # the summary
    await pilot.pause()
    await pilot.press("enter")  # back to the decks
    await pilot.pause()
    assert isinstance(app.screen, DeckListScreen)


def row(app: TutorApp, index: int) -> list[object]:
    return app.screen.query_one("#decks", DataTable).get_row_at(index)


async def test_the_deck_list_shows_new_today_per_deck_streak_and_forecast(tmp_path: Path) -> None:
    clock = FixedClock()  # Monday 2024-01-01
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert row(app, 0)[:5] == ["Numbers", "0", "6", "6", "0 of 3"]
        assert not app.screen.query_one("#outlook").display  # nothing studied yet
        await study_new_cards(pilot, app)
        assert row(app, 0)[:5] == ["Numbers", "0", "3", "6", "3 of 3"]
        assert row(app, 1)[:5] == ["Letters", "0", "6", "6", "0 of 3"]  # a limit of its own
        outlook = text_of(app, "#outlook")
        assert outlook == ("Streak: 1 day · due ahead: Tue 0 Wed 3 Thu 0 Fri 0 Sat 0 Sun 0"
                           " Mon 0")
        assert app.screen.query_one("#outlook").region.width <= 80
        await pilot.press("down")
        await study_new_cards(pilot, app)  # the next deck still gives its 3 new cards
        assert row(app, 1)[:5] == ["Letters", "0", "3", "6", "3 of 3"]


async def test_an_overall_cap_is_shown_in_the_totals(tmp_path: Path) -> None:
    settings = Settings(study=StudySettings(new_per_day=3, new_per_day_total=4))
    app = make_app(tmp_path, FixedClock(), settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await study_new_cards(pilot, app)
        assert "new today: 3 of 4 in all" in text_of(app, "#totals")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.queue.total == 1


async def test_nothing_to_study_says_the_limit_is_reached_and_m_studies_more(
        tmp_path: Path) -> None:
    clock = FixedClock()
    app = make_app(tmp_path, clock)
    notified = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await study_new_cards(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        nothing = [n for n in notified if n.title == "Nothing to study"]
        assert nothing and nothing[-1].message == (
            "Nothing due in Numbers now; next card due 2024-01-03 04:00. Today's new-card"
            " limit is reached (3 of 3); 3 new cards left. Press m to study more.")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, StudyMoreScreen)
        box = app.screen.query_one("#more-box")
        assert box.region.bottom <= 24 and box.region.right <= 80
        options = app.screen.query_one("#more-list", OptionList)
        lines = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert lines == [
            "10 more new cards today (3 left)",
            "Review ahead: cards due in the next 1 day (0)",
            "Review ahead: cards due in the next 3 days (3)",
            "Review ahead: cards due in the next 7 days (3)",
            "All cards of topic 'odd' (3)",
            "All cards of topic 'even' (3)",
        ]
        assert "New cards today: 3 of 3" in text_of(app, "#more-note")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.queue.remaining("new") == 3
    clock.advance(hours=3)
    again = make_app(tmp_path, clock)  # restarted the same day: the extra cards stay
    async with again.run_test(size=(80, 24)):
        assert row(again, 0)[4] == "3 of 13"
    clock.advance(days=1)
    tomorrow = make_app(tmp_path, clock)
    async with tomorrow.run_test(size=(80, 24)):
        assert row(tomorrow, 0)[4] == "0 of 3"


async def test_review_ahead_from_the_dialog_moves_no_card_up(tmp_path: Path) -> None:
    app = make_app(tmp_path, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await study_new_cards(pilot, app)
        before = {cid: (s.box, s.due) for cid, s in app.store.states().items()}
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "enter")  # the next 3 days (1 day has none: skipped)
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.title.startswith("Review ahead (3 days)")
        assert session.queue.remaining("practice") == 3
        while session.current is not None:
            await pilot.press(*session.current.card.back, "enter")
            await pilot.pause()
        assert {cid: (s.box, s.due) for cid, s in app.store.states().items()} == before
        assert [r.kind for r in app.store.reviews()][-3:] == ["practice"] * 3


async def test_a_topic_from_the_dialog_drills_its_cards_and_escape_cancels(
        tmp_path: Path) -> None:
    app = make_app(tmp_path, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, StudyMoreScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DeckListScreen)
        await pilot.press("m")
        await pilot.pause()
        options = app.screen.query_one("#more-list", OptionList)
        options.highlighted = options.get_option_index("topic:1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        session = app.screen.session
        assert session.title == "Numbers: even"
        assert {item.card.topic for item in session.queue.pending()} == {"even"}
        assert session.queue.total == 3
