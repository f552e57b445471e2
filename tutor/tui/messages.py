"""Messages that thread workers post back to the UI thread (small dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.screen import Screen

from tutor.grading.base import GradeResult
from tutor.grading.service import short_name
from tutor.study.session import Attempt, StudySession


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
class AttemptChanged(Message):
    """The grade in force for ``attempt`` changed (or its refinement ended): redraw it."""

    session: StudySession
    attempt: Attempt
    old_score: int
    """The score shown before the change."""

    def notify_regrade(self, screen: Screen[object]) -> None:
        """On ``screen``, say the score changed (for an answer no longer on screen)."""
        attempt = self.attempt
        if attempt.undone or attempt.result.score == self.old_score:
            return
        front = attempt.card.front.splitlines()[0][:50]
        screen.notify(f"{front}: {self.old_score}/5 → {attempt.result.score}/5",
                      title=f"Regraded by {short_name(attempt.result.grader)}", timeout=5)
