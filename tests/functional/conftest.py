"""Helpers shared by the functional tests: driving the TUI with Pilot, reading what it shows,
checking the command line's errors.

Tests import them (``from tests.functional.conftest import settle``). They use Textual's
public API only, and they poll: a test waits for what it needs to see, never a fixed time.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.widgets import Markdown, Static

#: Seconds between two looks at a condition while the app runs.
POLL_SECONDS = 0.02

#: The three-card deck most study tests answer.
CAPITALS_DECK = """title: Capitals
---
id: 0000000001
topic: europe
Q: What is the capital of France?
A: Paris
---
id: 0000000002
topic: europe
Q: What is the capital of Spain?
A: Madrid
---
id: 0000000003
topic: america
Q: What is the capital of Peru?
A: Lima
"""


def write_deck(folder: Path) -> Path:
    """Write the capitals deck into ``folder``; its path."""
    path = folder / "capitals.deck"
    path.write_text(CAPITALS_DECK, encoding="utf-8")
    return path


async def wait_until(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0,
                     what: str = "the condition") -> None:
    """Let the app run (messages, workers, timers) until ``condition()`` is true.

    Fails the test after ``timeout`` seconds; a slow machine only makes it wait longer.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout:g} s")
        await pilot.pause(POLL_SECONDS)


def refining(app: App) -> bool:
    """True while an answer of the current study screen is still with the model."""
    session = getattr(app.screen, "session", None)
    return session is not None and any(attempt.refining for attempt in session.attempts)


async def settle(pilot: Pilot, timeout: float = 60.0) -> None:
    """Wait until no answer of the study screen is still being graded by a worker."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await wait_until(pilot, lambda: not refining(pilot.app), timeout, "every grade finished")
    await pilot.pause()


def text_of(app: App, selector: str) -> str:
    """The text the ``Static`` at ``selector`` on the current screen shows."""
    return str(app.screen.query_one(selector, Static).render())


def question_of(app: App) -> str:
    """The question the study screen asks."""
    return app.screen.query_one("#question", Markdown).source


@dataclass(frozen=True)
class Notified:
    """One notification the app was asked to show."""

    message: str
    title: str
    severity: SeverityLevel


def record_notifications(app: App) -> list[Notified]:
    """Every notification ``app`` is asked for from now on (they are still shown).

    It wraps the app's public ``notify``, which every screen's and widget's ``notify``
    goes through, so call it before the app runs to see the start-up ones.
    """
    seen: list[Notified] = []
    show = app.notify

    def notify(message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        seen.append(Notified(message, title, severity))
        show(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def palette_highlights(app: App, title: str) -> bool:
    """True once the open command palette highlights the command named ``title``."""
    if not isinstance(app.screen, CommandPalette):
        return False
    option = app.screen.query_one(CommandList).highlighted_option
    return option is not None and str(option.prompt).startswith(title)


async def run_palette_command(pilot: Pilot, query: str, title: str) -> None:
    """Open the command palette, search ``query`` and run the command named ``title``."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette open")
    await pilot.press(*query)
    await wait_until(pilot, lambda: palette_highlights(app, title), what=f"{title!r} highlighted")
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, CommandPalette),
                     what="the palette closed")


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    """The command failed with exit code 2 and one line on stderr that names ``words``."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
