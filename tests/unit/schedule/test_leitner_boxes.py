"""LeitnerScheduler: box moves for every score, intervals, due dates, review kinds, regrades."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from tutor.schedule import CardState, FixedClock, LeitnerScheduler, SystemClock
from tutor.settings import StudySettings

UTC = timezone.utc
MONDAY_EVENING = datetime(2024, 1, 1, 21, 30, tzinfo=UTC)


def reviewed(box: int, due: datetime | None = None, **changes: object) -> CardState:
    """A card already reviewed once or more, sitting in ``box``."""
    state = CardState("c1", "deck", box=box, due=due or MONDAY_EVENING, reviews=3,
                      last_reviewed=MONDAY_EVENING - timedelta(days=2),
                      first_reviewed=MONDAY_EVENING - timedelta(days=9), last_score=4)
    return dataclasses.replace(state, **changes)  # type: ignore[arg-type]


# score -> (box 1, box 3, box 5) afterwards, with the default "reset" policy
EXPECTED_MOVES = {
    5: (2, 4, 5),
    4: (2, 4, 5),
    3: (1, 3, 5),
    2: (1, 1, 1),
    1: (1, 1, 1),
    0: (1, 1, 1),
}


@pytest.mark.parametrize("score", range(6))
def test_every_score_moves_the_card_as_documented(score: int) -> None:
    scheduler = LeitnerScheduler()
    for box, expected in zip((1, 3, 5), EXPECTED_MOVES[score], strict=True):
        outcome = scheduler.review(reviewed(box), score, MONDAY_EVENING)
        assert outcome.state.box == expected, (box, score)
        assert outcome.review.box_before == box
        assert outcome.review.box_after == expected


@pytest.mark.parametrize("score,expected", [(2, 2), (1, 2), (0, 2), (3, 3), (4, 4), (5, 4)])
def test_down_one_box_policy(score: int, expected: int) -> None:
    scheduler = LeitnerScheduler(on_fail="down")
    assert scheduler.review(reviewed(3), score, MONDAY_EVENING).state.box == expected
    assert scheduler.next_box(1, 0) == 1


def test_default_intervals_double_and_come_from_settings() -> None:
    scheduler = LeitnerScheduler.from_settings(StudySettings())
    assert scheduler.intervals == (1, 2, 4, 8, 16)
    assert [scheduler.interval(box).days for box in range(1, 6)] == [1, 2, 4, 8, 16]
    custom = LeitnerScheduler.from_settings(StudySettings(intervals=(1, 3, 9)))
    assert custom.boxes == 3
    assert custom.review(reviewed(3), 5, MONDAY_EVENING).state.box == 3


def test_due_date_is_the_start_of_a_study_day() -> None:
    scheduler = LeitnerScheduler()
    outcome = scheduler.review(reviewed(1), 5, MONDAY_EVENING)  # box 1 -> 2: 2 days
    assert outcome.state.due == datetime(2024, 1, 3, 4, 0, tzinfo=UTC)
    assert outcome.review.due_after == outcome.state.due
    stay = scheduler.review(reviewed(1), 3, MONDAY_EVENING)  # box 1: 1 day
    assert stay.state.due == datetime(2024, 1, 2, 4, 0, tzinfo=UTC)


def test_a_session_past_midnight_counts_for_the_evening_before() -> None:
    scheduler = LeitnerScheduler()
    late = datetime(2024, 1, 2, 1, 15, tzinfo=UTC)
    assert scheduler.day_start(late) == datetime(2024, 1, 1, 4, 0, tzinfo=UTC)
    assert scheduler.review(reviewed(1), 3, late).state.due == datetime(2024, 1, 2, 4, 0,
                                                                         tzinfo=UTC)
    assert scheduler.day_start(datetime(2024, 1, 2, 4, 0, tzinfo=UTC)).day == 2


def test_day_boundaries_follow_the_learners_timezone() -> None:
    tokyo = timezone(timedelta(hours=9))
    scheduler = LeitnerScheduler()
    now = datetime(2024, 1, 1, 22, 0, tzinfo=UTC).astimezone(tokyo)  # 07:00 on the 2nd
    assert scheduler.day_start(now) == datetime(2024, 1, 2, 4, 0, tzinfo=tokyo)


def test_new_card_enters_box_one_and_its_first_review_is_kind_new() -> None:
    scheduler = LeitnerScheduler()
    fresh = scheduler.new_state("c9", "deck")
    assert (fresh.box, fresh.reviews, fresh.due, fresh.is_new) == (1, 0, None, True)
    outcome = scheduler.review(fresh, 5, MONDAY_EVENING, mode="practice")
    assert outcome.review.kind == "new"
    assert outcome.review.state_before is None
    assert outcome.state.box == 2
    assert outcome.state.first_reviewed == MONDAY_EVENING
    failed = scheduler.review(fresh, 0, MONDAY_EVENING)
    assert failed.state.box == 1 and failed.state.lapses == 0  # never learned: no lapse


def test_counts_streak_and_lapses() -> None:
    scheduler = LeitnerScheduler()
    state = reviewed(3, streak=2, lapses=1)
    passed = scheduler.review(state, 4, MONDAY_EVENING).state
    assert (passed.reviews, passed.streak, passed.lapses, passed.last_score) == (4, 3, 1, 4)
    failed = scheduler.review(state, 1, MONDAY_EVENING).state
    assert (failed.streak, failed.lapses) == (0, 2)
    assert failed.last_reviewed == MONDAY_EVENING
    assert failed.first_reviewed == state.first_reviewed


def test_relearning_step_is_recorded_but_moves_nothing() -> None:
    scheduler = LeitnerScheduler()
    failed = scheduler.review(reviewed(4), 1, MONDAY_EVENING).state
    for score in (5, 0):
        again = scheduler.review(failed, score, MONDAY_EVENING + timedelta(minutes=3),
                                 mode="relearn")
        assert again.review.kind == "relearn" and again.review.relearning
        assert (again.state.box, again.state.due) == (failed.box, failed.due)
        assert again.state.lapses == failed.lapses
        assert again.state.reviews == failed.reviews + 1


def test_practice_moves_a_card_only_when_it_fails() -> None:
    scheduler = LeitnerScheduler()
    not_due = reviewed(4, due=MONDAY_EVENING + timedelta(days=5))
    passed = scheduler.review(not_due, 5, MONDAY_EVENING, mode="practice")
    assert (passed.state.box, passed.state.due) == (4, not_due.due)
    failed = scheduler.review(not_due, 2, MONDAY_EVENING, mode="practice")
    assert failed.state.box == 1
    assert failed.state.due == datetime(2024, 1, 2, 4, 0, tzinfo=UTC)
    assert failed.review.lapse and failed.state.lapses == 1


def test_the_review_record_keeps_everything_for_a_later_scheduler() -> None:
    scheduler = LeitnerScheduler()
    state = reviewed(2)
    review = scheduler.review(state, 4, MONDAY_EVENING, answer="Paris", grader="rules",
                              confidence=0.7, response_ms=5300, topic="capitals",
                              feedback="Correct.").review
    assert (review.card_id, review.deck, review.time) == ("c1", "deck", MONDAY_EVENING)
    assert (review.answer, review.score, review.grader) == ("Paris", 4, "rules")
    assert (review.confidence, review.response_ms, review.source) == (0.7, 5300, "grader")
    assert (review.box_before, review.box_after, review.kind) == (2, 3, "due")
    assert review.state_before == state
    assert review.correct and not review.lapse


def test_regrade_replays_the_answer_from_the_state_before() -> None:
    scheduler = LeitnerScheduler()
    state = reviewed(3)
    first = scheduler.review(state, 2, MONDAY_EVENING, answer="Lyon", grader="rules",
                             response_ms=4000)
    again = scheduler.regrade(first.review, 5, grader="override", source="override")
    assert again.state.box == 4
    assert again.state.reviews == state.reviews + 1 and again.state.lapses == state.lapses
    assert (again.review.score, again.review.source, again.review.grader) == (5, "override",
                                                                              "override")
    assert (again.review.original_score, again.review.original_grader) == (2, "rules")
    assert (again.review.answer, again.review.time, again.review.response_ms) == (
        "Lyon", MONDAY_EVENING, 4000)
    new_card = scheduler.review(scheduler.new_state("c2", "deck"), 1, MONDAY_EVENING)
    assert scheduler.regrade(new_card.review, 4, grader="llm:x").review.kind == "new"


@pytest.mark.parametrize("bad", [-1, 6, 2.5, True, "5"])
def test_scores_outside_0_to_5_are_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        LeitnerScheduler().review(reviewed(1), bad, MONDAY_EVENING)  # type: ignore[arg-type]


def test_bad_configuration_and_naive_times_are_refused() -> None:
    for intervals in ((), (1, 0), (1, -2)):
        with pytest.raises(ValueError):
            LeitnerScheduler(intervals)
    with pytest.raises(ValueError):
        LeitnerScheduler(on_fail="sideways")
    with pytest.raises(ValueError):
        LeitnerScheduler().review(reviewed(1), 3, datetime(2024, 1, 1))
    with pytest.raises(ValueError):
        LeitnerScheduler().review(reviewed(1), 3, MONDAY_EVENING, mode="cram")
    with pytest.raises(ValueError):
        LeitnerScheduler().review(reviewed(1), 3, MONDAY_EVENING, source="teacher")


def test_clocks() -> None:
    clock = FixedClock()
    start = clock.now()
    assert start.tzinfo is not None
    assert clock.advance(days=3, hours=2) == start + timedelta(days=3, hours=2)
    clock.set(datetime(2025, 5, 1, 12, 0))
    assert clock.now() == datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    assert SystemClock().now().tzinfo is not None
    tokyo = FixedClock(datetime(2024, 1, 1, tzinfo=UTC), tz=timezone(timedelta(hours=9)))
    assert tokyo.now().hour == 9


def test_a_renamed_deck_takes_its_cards_along() -> None:
    outcome = LeitnerScheduler().review(reviewed(2), 5, MONDAY_EVENING, deck="capitals-v2")
    assert outcome.state.deck == outcome.review.deck == "capitals-v2"
    assert outcome.state.box == 3
