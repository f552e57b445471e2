"""Messages that thread workers post back to the UI thread (small dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tutor.grading.base import GradeResult
from tutor.study.session import Attempt, StudySession


@dataclass
class ModelLoaded(Message):
    """The grading model finished loading; ``label`` is its display name."""

    label: str


@dataclass
class GradeRefined(Message):
    """A slower grader's verdict for ``attempt`` of ``session`` is ready."""

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
