"""The card timer: time since the question was shown, read from the session's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from tutor.formatting import format_duration
from tutor.schedule.clock import Clock


class CardTimer(Widget):
    """Shows how long the current card has been on screen; stops when the answer is in.

    Time comes from the injected `Clock`, so a test's `FixedClock` freezes it.
    """

    DEFAULT_CSS = """
    CardTimer {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    running: reactive[bool] = reactive(True)
    """False once the card is answered (the time stays on screen)."""

    def __init__(self, clock: Clock, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.started: datetime = clock.now()
        self.stopped: datetime | None = None

    def on_mount(self) -> None:
        """Tick once a second."""
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        if self.running:
            self.refresh()

    def restart(self) -> None:
        """A new card is shown: count from zero."""
        self.started = self.clock.now()
        self.stopped = None
        self.running = True
        self.refresh()

    def stop(self) -> timedelta:
        """The answer is in: freeze the display and return the time taken."""
        self.stopped = self.clock.now()
        self.running = False
        self.refresh()
        return self.elapsed

    @property
    def elapsed(self) -> timedelta:
        """Time on this card so far (or until it was answered)."""
        return max(timedelta(0), (self.stopped or self.clock.now()) - self.started)

    def render(self) -> RenderResult:
        return format_duration(self.elapsed)
