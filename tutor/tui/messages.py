"""The app's messages (small dataclasses).

Navigation: a screen never shows another screen itself (nor imports one it leads to, nor
the app). It posts one of the requests below, which bubbles up to the app; the app
(`tutor.tui.app`), the one router, decides what is shown. A screen may still open its
own dialogs (override, edit, confirm…) and take their answer.

Work behind the UI: thread workers post `ModelLoaded` and `GradeRefined` back to the UI
thread; the app publishes `AttemptChanged` on its ``attempt_changed`` signal, which the
screens showing that session subscribe to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget

from tutor.decks.model import Deck
from tutor.grading.base import GradeResult
from tutor.grading.service import short_name
from tutor.study.session import Attempt, StudySession

# -- navigation ----------------------------------------------------------------------------


@dataclass
class StudyRequested(Message):
    """Study the due cards of ``decks``, then new ones (a note instead when none is due)."""

    decks: Sequence[Deck]
    title: str


@dataclass
class StudyMoreRequested(Message):
    """Study more of ``deck`` today: the "study more" dialog, then what it chose."""

    deck: Deck


@dataclass
class DrillRequested(Message):
    """Study ``session`` (a ready drill, e.g. a summary's worst topics) in place of the
    screen that asks."""

    session: StudySession


@dataclass
class SessionFinished(Message):
    """The study screen of ``session`` is done: its summary follows (the deck list when
    nothing was answered)."""

    session: StudySession


class ReportRequested(Message):
    """The weak-topic report over every loaded deck, shown over the deck list."""


@dataclass
class ExamRequested(Message):
    """The exam form for ``decks``; starting it runs a timed exam over them."""

    decks: Sequence[Deck]


@dataclass
class BrowseRequested(Message):
    """Read through ``deck``'s cards."""

    deck: Deck


class BackToDecks(Message):
    """Close what is over the deck list (built then if the app opened into a session)."""


# -- work behind the UI --------------------------------------------------------------------


@dataclass
class ModelLoaded(Message):
    """The grading model finished loading; ``label`` is its display name."""

    label: str


@dataclass
class ModelFailed(Message):
    """The grading model could not load; ``reason`` is the failure in one line."""

    reason: str


@dataclass
class GradeRefined(Message):
    """A slower grader's verdict for ``attempt`` of ``session`` is ready (``result`` has a
    ``fallback_reason`` when the model failed: the rules verdict then stands)."""

    session: StudySession
    attempt: Attempt
    result: GradeResult


@dataclass
class ExplanationReady(Message):
    """The model's "why?" for ``attempt`` is written (or could not be: ``text`` says why)."""

    session: StudySession
    attempt: Attempt
    text: str


@dataclass
class AttemptChanged:
    """The grade in force for ``attempt`` changed (or its refinement ended): redraw it.

    Published on the app's ``attempt_changed`` signal; each screen showing ``session``
    subscribes to it.
    """

    session: StudySession
    attempt: Attempt
    old_score: int
    """The score shown before the change."""

    def notify_regrade(self, screen: Widget) -> None:
        """On ``screen``, say the score changed (for an answer no longer on screen)."""
        attempt = self.attempt
        if attempt.undone or attempt.result.score == self.old_score:
            return
        front = attempt.card.front.splitlines()[0][:50]
        screen.notify(f"{front}: {self.old_score}/5 → {attempt.result.score}/5",
                      title=f"Regraded by {short_name(attempt.result.grader)}", timeout=5)
