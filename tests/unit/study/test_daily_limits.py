"""New cards per deck through a real store, "study more" (extra cards kept for the day,
review ahead) and the streak, without the UI."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tutor.decks.model import Card, Deck
from tutor.grading.service import GradingService
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.settings import StudySettings
from tutor.store import StudyStore
from tutor.study.daily import days_in_a_row, new_card_limits, nothing_to_study
from tutor.study.more import StudyMoreOffer, study_more_offer
from tutor.study.session import StudySession

SCHEDULER = LeitnerScheduler()


def deck(key: str, count: int) -> Deck:
    cards = [Card(f"{key} question {n}?", f"answer{n}", topic="odd" if n % 2 else "even",
                  id=f"{key}{n:04d}") for n in range(count)]
    return Deck(title=key.title(), cards=cards)


def due_session(decks: list[Deck], store: StudyStore, clock: FixedClock,
                study: StudySettings) -> StudySession:
    return StudySession.due(decks, store, SCHEDULER, GradingService.wrap(None), clock, study)


def answer_all(session: StudySession) -> int:
    answered = 0
    while session.current is not None:
        session.submit(session.current.card.back)
        answered += 1
    return answered


def test_each_deck_gets_its_own_new_cards_and_a_total_cap_applies(tmp_path: Path) -> None:
    clock, study = FixedClock(), StudySettings(new_per_day=3)
    spanish, imported = deck("spanish", 8), deck("imported", 8)
    with StudyStore(tmp_path / "p") as store:
        assert answer_all(due_session([spanish], store, clock, study)) == 3
        assert due_session([imported], store, clock, study).queue.remaining("new") == 3
        capped = StudySettings(new_per_day=3, new_per_day_total=4)
        assert due_session([imported], store, clock, capped).queue.remaining("new") == 1
        limits = new_card_limits(store, study, SCHEDULER.day_start(clock.now()))
        assert limits.today_text("spanish") == "3 of 3" and limits.today_text("imported") == "0 of 3"


def test_nothing_due_says_the_new_card_limit_is_reached_and_offers_study_more(
        tmp_path: Path) -> None:
    clock, study = FixedClock(), StudySettings(new_per_day=3)
    spanish = deck("spanish", 8)
    with StudyStore(tmp_path / "p") as store:
        answer_all(due_session([spanish], store, clock, study))
        assert due_session([spanish], store, clock, study).finished
        text = nothing_to_study([spanish], store, SCHEDULER, study, clock.now(), "Spanish")
    assert text == ("Nothing due in Spanish now; next card due 2024-01-03 04:00. Today's"
                    " new-card limit is reached (3 of 3); 5 new cards left."
                    " Press m to study more.")


def test_extra_new_cards_are_kept_for_the_day_across_a_restart(tmp_path: Path) -> None:
    clock, study = FixedClock(), StudySettings(new_per_day=3)
    spanish = deck("spanish", 20)
    day = SCHEDULER.day_start(clock.now())
    with StudyStore(tmp_path / "p") as store:
        answer_all(due_session([spanish], store, clock, study))
        assert store.grant_extra_new_cards("spanish", 10, day) == 10
    clock.advance(hours=6)
    with StudyStore(tmp_path / "p") as store:  # restarted the same day
        assert store.extra_new_cards(day) == {"spanish": 10}
        assert due_session([spanish], store, clock, study).queue.remaining("new") == 10
    clock.advance(days=1)
    with StudyStore(tmp_path / "p") as store:  # the next day: the usual limit again
        assert store.extra_new_cards(SCHEDULER.day_start(clock.now())) == {}
        assert due_session([spanish], store, clock, study).queue.remaining("new") == 3


def test_a_damaged_today_file_only_means_no_extra_cards(tmp_path: Path) -> None:
    clock = FixedClock()
    day = SCHEDULER.day_start(clock.now())
    with StudyStore(tmp_path / "p") as store:
        store.grant_extra_new_cards("spanish", 10, day)
    (tmp_path / "p" / "today.json").write_text("{not json", encoding="utf-8")
    with StudyStore(tmp_path / "p") as store:
        assert store.extra_new_cards(day) == {}
        assert store.grant_extra_new_cards("spanish", 10, day) == 10


def test_review_ahead_asks_cards_early_without_moving_them_up(tmp_path: Path) -> None:
    clock, study = FixedClock(), StudySettings(new_per_day=4)
    spanish = deck("spanish", 4)
    with StudyStore(tmp_path / "p") as store:
        answer_all(due_session([spanish], store, clock, study))  # box 2, due in 2 days
        before = store.states()
        offer = study_more_offer(spanish, before, new_card_limits(
            store, study, SCHEDULER.day_start(clock.now())), SCHEDULER, clock.now())
        assert isinstance(offer, StudyMoreOffer)
        assert offer.ahead == ((1, 0), (3, 4), (7, 4)) and offer.new_left == 0
        assert [(t.topic, t.cards) for t in offer.topics] == [("even", 2), ("odd", 2)]
        ahead = StudySession.ahead([spanish], store, SCHEDULER, GradingService.wrap(None),
                                   clock, 3)
        assert ahead.queue.remaining("practice") == 4
        assert answer_all(ahead) == 4
        after = store.states()
        assert {cid: (s.box, s.due) for cid, s in after.items()} == {
            cid: (s.box, s.due) for cid, s in before.items()}
        assert {r.kind for r in store.reviews()[4:]} == {"practice"}


def test_days_in_a_row_read_from_the_store(tmp_path: Path) -> None:
    clock, study = FixedClock(), StudySettings(new_per_day=1)
    spanish = deck("spanish", 40)
    with StudyStore(tmp_path / "p") as store:
        for _day in range(20):
            answer_all(due_session([spanish], store, clock, study))
            clock.advance(days=1)
        assert days_in_a_row(store, SCHEDULER, clock.now()) == 20  # today not studied yet
        clock.advance(days=1)
        assert days_in_a_row(store, SCHEDULER, clock.now()) == 0
        assert days_in_a_row(store, SCHEDULER, clock.now() - timedelta(days=25)) == 0
