"""Where "now" comes from: the system clock in the app, a fixed clock in tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the time. ``now()`` is timezone-aware, in the learner's zone.

    The zone matters: a study day (daily limits, "due tomorrow") follows the
    learner's local calendar, see `LeitnerScheduler.day_start`.
    """

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in the machine's local timezone."""

    def now(self) -> datetime:
        """The current local time (aware)."""
        return datetime.now().astimezone()


class FixedClock:
    """A clock that only moves when told to: tests step through weeks in milliseconds.

    ``FixedClock()`` starts at 2024-01-01 09:00 UTC; a naive start is taken as UTC.
    """

    DEFAULT_START = datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc)

    def __init__(self, start: datetime | None = None, tz: tzinfo | None = None) -> None:
        start = start or self.DEFAULT_START
        if start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        self._now = start.astimezone(tz) if tz is not None else start

    def now(self) -> datetime:
        """The clock's current time."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (a naive time is taken in the clock's zone)."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self._now.tzinfo)
        self._now = moment

    def advance(self, delta: timedelta | None = None, *, days: float = 0, hours: float = 0,
                minutes: float = 0, seconds: float = 0) -> datetime:
        """Move forward by ``delta`` and/or the given units; return the new time."""
        step = (delta or timedelta()) + timedelta(days=days, hours=hours, minutes=minutes,
                                                  seconds=seconds)
        self._now = self._now + step
        return self._now
