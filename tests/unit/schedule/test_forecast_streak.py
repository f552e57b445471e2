"""The review forecast (cards due on each of the next 7 days) and the study streak."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from tutor.schedule import CardState, LeitnerScheduler
from tutor.schedule.forecast import due_forecast, study_days, study_streak

TODAY = datetime(2024, 3, 10, 4, 0, tzinfo=timezone.utc)  # the study day's start


def reviewed(card: str, due: datetime | None) -> CardState:
    return CardState(card, "d", box=2, due=due, reviews=1)


def test_forecast_counts_cards_by_the_study_day_they_fall_due() -> None:
    states = [
        reviewed("overdue", TODAY - timedelta(days=2)),  # today's, not the forecast's
        reviewed("today", TODAY + timedelta(hours=5)),
        reviewed("tomorrow", TODAY + timedelta(days=1)),
        reviewed("tomorrow-night", TODAY + timedelta(days=1, hours=23)),
        reviewed("in-7-days", TODAY + timedelta(days=7)),
        reviewed("in-8-days", TODAY + timedelta(days=8)),
        CardState("new", "d"),
    ]
    forecast = due_forecast(states, TODAY)
    assert [day.due for day in forecast] == [2, 0, 0, 0, 0, 0, 1]
    assert forecast[0].start == TODAY + timedelta(days=1)
    assert len(due_forecast(states, TODAY, days=3)) == 3


def test_study_days_follow_the_04_00_day_start_in_the_learners_zone() -> None:
    scheduler = LeitnerScheduler()
    zone = timezone(timedelta(hours=-5))
    times = [datetime(2024, 3, 10, 6, 0, tzinfo=timezone.utc),  # 01:00 local: the 9th
             datetime(2024, 3, 10, 15, 0, tzinfo=timezone.utc)]  # 10:00 local: the 10th
    assert study_days(times, scheduler.day_start, zone) == {date(2024, 3, 9), date(2024, 3, 10)}


def test_streak_counts_days_in_a_row_and_today_not_yet_studied_keeps_it() -> None:
    days = {date(2024, 3, d) for d in (1, 2, 3, 5, 6, 7)}
    assert study_streak(days, date(2024, 3, 7)) == 3
    assert study_streak(days, date(2024, 3, 8)) == 3  # today not over yet
    assert study_streak(days, date(2024, 3, 9)) == 0  # a whole day missed
    assert study_streak(days, date(2024, 3, 3)) == 3
    assert study_streak(days, date(2024, 3, 4)) == 3
    assert study_streak(set(), date(2024, 3, 4)) == 0
