"""What is coming: cards due on each of the next days, and the days studied in a row.

Both go by study days (`LeitnerScheduler.day_start`: a day starts at 04:00), so a card
due "tomorrow 04:00" counts for tomorrow and a session after midnight for the evening
before. Pure: states, review times and the day's start are handed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from tutor.schedule.model import CardState

#: Days the forecast covers.
FORECAST_DAYS = 7


@dataclass(frozen=True)
class DayForecast:
    """How many reviewed cards fall due on one study day."""

    start: datetime
    """The study day's start."""
    due: int


def due_forecast(states: Iterable[CardState], today_start: datetime, *,
                 days: int = FORECAST_DAYS) -> tuple[DayForecast, ...]:
    """Cards falling due on each of the ``days`` study days after today.

    ``today_start`` is the start of today's study day; a card already due today (or
    overdue) is today's, not the forecast's; a new card is never due.
    """
    starts = [today_start + timedelta(days=offset) for offset in range(1, days + 2)]
    counts = [0] * days
    for state in states:
        if state.is_new or state.due is None or state.due < starts[0]:
            continue
        for index in range(days):
            if starts[index] <= state.due < starts[index + 1]:
                counts[index] += 1
                break
    return tuple(DayForecast(start=starts[i], due=counts[i]) for i in range(days))


def study_days(times: Iterable[datetime], day_start: Callable[[datetime], datetime],
               tz: tzinfo | None = None) -> set[date]:
    """The study days (by the date their day starts on) that have a review at ``times``.

    ``day_start`` is `LeitnerScheduler.day_start`; ``tz``, the learner's timezone
    (``now.tzinfo``), into which each time is converted first.
    """
    found: set[date] = set()
    for moment in times:
        local = moment.astimezone(tz) if tz is not None else moment
        found.add(day_start(local).date())
    return found


def study_streak(days: set[date], today: date) -> int:
    """Days studied in a row, up to today; today not studied yet does not break it.

    Studied on the 1st, 2nd and 3rd: 3 on the 3rd and on the 4th (the day is not over),
    0 on the 5th.
    """
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak
