"""Weeks of study in milliseconds: a FixedClock, the real scheduler, queue and store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from tutor.decks.model import Card, Deck
from tutor.schedule import (
    CardState,
    DailyCounts,
    FixedClock,
    LeitnerScheduler,
    Review,
    ReviewOutcome,
    build_queue,
)
from tutor.store import StudyStore


def make_deck(count: int) -> Deck:
    return Deck(title="weeks", cards=[Card(f"question {n}", f"answer {n}", id=f"card{n:06d}")
                                      for n in range(count)])


def test_a_card_always_answered_perfectly_is_seen_on_doubling_intervals(tmp_path: Path) -> None:
    clock = FixedClock()
    scheduler = LeitnerScheduler()
    deck = make_deck(1)
    seen = []
    with StudyStore(tmp_path / "p") as store:
        for day in range(60):
            queue = build_queue([deck], store.states(), clock.now(), new_limit=5,
                                review_limit=50)
            while queue.current is not None:
                item = queue.current
                state = store.state(item.card_id) or scheduler.new_state(item.card_id, item.deck)
                outcome = scheduler.review(state, 5, clock.now(), mode=item.mode)
                store.record_review(outcome.review, outcome.state)
                queue.answer(passed=True)
                seen.append(day)
            clock.advance(days=1)
        boxes = [r.box_after for r in store.reviews()]
    assert seen == [0, 2, 6, 14, 30, 46]
    assert boxes == [2, 3, 4, 5, 5, 5]


def score_for(card_id: str, attempt: int) -> int:
    """A learner who fails every fifth card on its first two tries, else answers well."""
    number = int(card_id[-3:])
    if number % 5 == 0 and attempt < 2:
        return 1
    return 3 if number % 7 == 0 else 5


def run_session(deck: Deck, states: dict[str, CardState], clock: FixedClock,
                attempts: Counter[str], counts: DailyCounts,
                record: Callable[[ReviewOutcome], None]) -> None:
    """One session: build the queue, answer every card (relearning included), record each."""
    scheduler = LeitnerScheduler()
    queue = build_queue([deck], states, clock.now(), new_limit=10, review_limit=12,
                        counts=counts)
    while queue.current is not None:
        item = queue.current
        state = states.get(item.card_id) or scheduler.new_state(item.card_id, item.deck)
        score = score_for(item.card_id, attempts[item.card_id])
        attempts[item.card_id] += 1
        outcome = scheduler.review(state, score, clock.now(), mode=item.mode)
        states[item.card_id] = outcome.state
        record(outcome)
        queue.answer(passed=outcome.review.correct)
        clock.advance(seconds=20)


def counts_since(log: list[Review], since: datetime) -> DailyCounts:
    kinds = Counter(r.kind for r in log if r.time >= since)
    return DailyCounts(new_cards=kinds["new"], reviews=kinds["due"],
                       relearning=kinds["relearn"], practice=kinds["practice"])


def test_eight_weeks_of_study_with_daily_limits_and_relearning() -> None:
    clock = FixedClock()
    scheduler = LeitnerScheduler()
    deck = make_deck(60)
    states: dict[str, CardState] = {}
    log: list[Review] = []
    attempts: Counter[str] = Counter()
    daily = []
    for day in range(56):
        clock.set(FixedClock.DEFAULT_START + timedelta(days=day))
        day_start = scheduler.day_start(clock.now())
        run_session(deck, states, clock, attempts, counts_since(log, day_start),
                    lambda outcome: log.append(outcome.review))
        daily.append(counts_since(log, day_start))
    assert all(c.new_cards <= 10 and c.reviews <= 12 for c in daily)
    assert [c.new_cards for c in daily[:6]] == [10] * 6  # all 60 cards in by day 6
    assert sum(c.relearning for c in daily) == 24  # 12 weak cards: one failed, one passed step
    assert sum(1 for s in states.values() if s.box >= 4) >= 40
    weak = [s for cid, s in states.items() if int(cid[-3:]) % 5 == 0]
    assert len(weak) == 12 and all(s.reviews >= 4 for s in weak)
    assert sum(1 for r in log if r.kind == "new" and not r.correct) == 12
    for review in log:  # every scheduled review happened once its due time had come
        if review.kind == "due":
            assert review.state_before is not None and review.state_before.due is not None
            assert review.time >= review.state_before.due


def test_two_sessions_a_day_share_the_daily_limits_through_the_store(tmp_path: Path) -> None:
    clock = FixedClock()
    scheduler = LeitnerScheduler()
    deck = make_deck(25)
    attempts: Counter[str] = Counter()
    new_per_day = []
    for day in range(3):
        clock.set(FixedClock.DEFAULT_START + timedelta(days=day))
        day_start = scheduler.day_start(clock.now())
        for _session in ("morning", "evening"):
            with StudyStore(tmp_path / "p") as store:  # reopened: the counts come from disk
                run_session(deck, store.states(), clock, attempts, store.daily_counts(day_start),
                            lambda outcome: store.record_review(outcome.review, outcome.state))
            clock.advance(hours=8)
        with StudyStore(tmp_path / "p") as store:
            new_per_day.append(store.daily_counts(day_start).new_cards)
    assert new_per_day == [10, 10, 5]
