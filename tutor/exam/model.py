"""The exam's plain data: options, questions, answer sheets, grades and disputes.

Every type here converts to and from the JSON shapes documented in `tutor.exam.stored`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tutor.errors import TutorError
from tutor.grading.base import PASS_SCORE, clamp_confidence, clamp_score

#: Default exam length and size when the learner names none.
DEFAULT_MINUTES = 20.0
DEFAULT_COUNT = 20
#: Upper bounds that catch typos (``--minutes 3000``) without limiting real exams.
MAX_MINUTES = 24 * 60
MAX_COUNT = 1000
#: Grader name of a blank answer's grade.
UNANSWERED_GRADER = "unanswered"
#: Grader name of a grade that could not be produced at all.
NO_GRADER = "none"


class ExamError(TutorError):
    """An exam cannot be set up, resumed or changed as asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message, title="Exam")


@dataclass(frozen=True)
class ExamOptions:
    """What the learner chose for an exam (the CLI flags, or the deck list's form)."""

    decks: tuple[str, ...] = ()
    """Deck keys, titles or paths."""
    minutes: float = DEFAULT_MINUTES
    """Time for the whole exam."""
    count: int = DEFAULT_COUNT
    """How many questions to draw."""
    topics: tuple[str, ...] = ()
    """Only cards of these topics (case-insensitive); empty means every topic."""
    seed: int | None = None
    """Makes the draw reproducible; None draws a fresh seed (stored with the exam)."""
    update_schedule: bool = False
    """Record the graded answers as reviews (source 'exam'), moving Leitner boxes."""
    question_seconds: int | None = None
    """Optional time for each question; None means only the whole-exam clock runs."""
    out: str | None = None
    """The file (absolute) the result is written to once the exam has ended (``--out``),
    kept with the exam so ``tutor exam --resume`` writes it too; None: no such file."""

    def validate(self) -> None:
        """Raise `ExamError` (one line) for values no exam can have."""
        minutes = self.minutes
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) \
                or not math.isfinite(minutes) or minutes <= 0:
            raise ExamError(f"--minutes must be more than 0 (got {_shown(minutes)})")
        if minutes > MAX_MINUTES:
            raise ExamError(f"--minutes must be at most {MAX_MINUTES} (got {_shown(minutes)})")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count <= 0:
            raise ExamError(f"--count must be a whole number more than 0 (got {_shown(self.count)})")
        if self.count > MAX_COUNT:
            raise ExamError(f"--count must be at most {MAX_COUNT} (got {self.count})")
        seconds = self.question_seconds
        if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int)
                                    or seconds <= 0):
            raise ExamError(f"--question-seconds must be a whole number more than 0"
                            f" (got {_shown(seconds)})")
        if any(not topic.strip() for topic in self.topics):
            raise ExamError("--topics must not contain an empty topic name")

    @property
    def time_limit(self) -> timedelta:
        """The whole exam's time."""
        return timedelta(minutes=self.minutes)


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class DeckRef:
    """A deck an exam drew from, as stored in the record."""

    key: str
    title: str

    def to_json(self) -> dict[str, str]:
        """The record's ``decks[]`` entry."""
        return {"key": self.key, "title": self.title}


@dataclass(frozen=True)
class ExamQuestion:
    """One question of an exam: a copy of the card, so the exam survives deck edits."""

    number: int
    """1-based position in the exam."""
    card_id: str
    deck: str
    """The deck's key."""
    topic: str
    question: str
    reference: str
    alternatives: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The card part of the record's ``questions[]`` entry."""
        return {
            "number": self.number, "card_id": self.card_id, "deck": self.deck,
            "topic": self.topic, "question": self.question, "reference": self.reference,
            "alternatives": list(self.alternatives),
        }


@dataclass(frozen=True)
class QuestionGrade:
    """The verdict on one answer, kept with the exact answer text it judged."""

    answer: str
    score: int
    feedback: str
    grader: str
    """'rules', 'llm:<model>', 'server:<model>', 'unanswered' or 'none'."""
    confidence: float = 1.0
    unsure: bool = False
    """The grader was unsure (low confidence, or rules and model disagreed)."""
    fallback: bool = False
    """A model was configured but failed on this answer: the rules verdict stands."""
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", clamp_score(self.score))
        object.__setattr__(self, "confidence", clamp_confidence(self.confidence))

    @property
    def correct(self) -> bool:
        """True when the score passes (>= 3)."""
        return self.score >= PASS_SCORE

    def to_json(self) -> dict[str, Any]:
        """The record's ``questions[].grade`` object."""
        return {
            "answer": self.answer, "score": self.score, "feedback": self.feedback,
            "grader": self.grader, "confidence": round(self.confidence, 3),
            "unsure": self.unsure, "fallback": self.fallback, "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Dispute:
    """The learner's override of a grade, made after the exam and before the result is final."""

    score: int
    original_score: int
    reason: str
    time: datetime

    def to_json(self) -> dict[str, Any]:
        """The record's ``questions[].dispute`` object."""
        return {"score": self.score, "original_score": self.original_score,
                "reason": self.reason, "time": self.time.isoformat()}


@dataclass
class AnswerSheet:
    """What the learner did with one question."""

    answer: str = ""
    """The text as last typed."""
    flagged: bool = False
    time_ms: int = 0
    """Time this question was on screen."""
    committed: str | None = None
    """The answer as last handed in for grading (Enter, leaving the question, the end)."""
    locked: bool = False
    """This question's own time ran out: the answer can no longer change."""
    grade: QuestionGrade | None = None
    dispute: Dispute | None = None

    @property
    def answered(self) -> bool:
        """True when some answer was typed."""
        return bool(self.answer.strip())

    @property
    def graded(self) -> bool:
        """True when the grade judges the committed answer."""
        return self.grade is not None and self.committed is not None \
            and self.grade.answer == self.committed

    @property
    def score(self) -> int | None:
        """The score in force (a dispute wins over the grade); None while not graded."""
        if not self.graded:
            return None
        if self.dispute is not None:
            return self.dispute.score
        assert self.grade is not None
        return self.grade.score


@dataclass(frozen=True)
class GradeJob:
    """An answer waiting for a grade: run `ExamGrading.grade` on ``request`` in a worker."""

    index: int
    """0-based question index."""
    answer: str
    request: Any = field(compare=False)
    """The `GradeRequest` to grade."""
