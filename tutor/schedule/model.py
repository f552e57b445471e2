"""The scheduler's data model: a card's `CardState` and each `Review` (what it reads and writes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, NamedTuple, TypeGuard, get_args

from tutor.grading.base import PASS_SCORE

ReviewKind = Literal["new", "due", "relearn", "practice"]
"""Why a card is asked (a `QueueItem`) and so what its review was: ``new``, a card's first
review; ``due``, a scheduled review; ``relearn``, a failed card asked again later in the
same session; ``practice``, a card asked before it was due (topic drills, exams with
``--update-schedule``)."""
ReviewMode = Literal["due", "relearn", "practice"]
"""How `LeitnerScheduler.review` applies an answer (a card's first review is ``new`` anyway)."""
ReviewSource = Literal["grader", "override", "exam"]
"""Where a review's score came from: a grader (rules or model), the learner overriding
the grader, or an exam."""
KINDS: tuple[ReviewKind, ...] = get_args(ReviewKind)
SOURCES: tuple[ReviewSource, ...] = get_args(ReviewSource)


def is_kind(text: str) -> TypeGuard[ReviewKind]:
    """True when ``text`` is a `ReviewKind` (for data read back from disk)."""
    return text in KINDS


def is_source(text: str) -> TypeGuard[ReviewSource]:
    """True when ``text`` is a `ReviewSource` (for data read back from disk)."""
    return text in SOURCES


@dataclass(frozen=True)
class CardState:
    """Where one card stands: its Leitner box, when it is due, and its record so far.

    A card nobody has reviewed has no stored state; `LeitnerScheduler.new_state`
    gives the state it starts from (box 1, never reviewed, not yet due).
    """

    card_id: str
    deck: str
    """Key of the deck the card was last reviewed in (`Deck.key`)."""
    box: int = 1
    due: datetime | None = None
    """When the card is next due; None for a card never reviewed."""
    reviews: int = 0
    lapses: int = 0
    """Failed reviews of a card that had been learned (see `Review.lapse`)."""
    streak: int = 0
    """Passing reviews in a row (0 after any fail)."""
    last_reviewed: datetime | None = None
    first_reviewed: datetime | None = None
    last_score: int | None = None

    @property
    def is_new(self) -> bool:
        """True for a card never reviewed."""
        return self.reviews == 0

    def is_due(self, now: datetime) -> bool:
        """True when the card has been reviewed before and its due time has come."""
        return self.due is not None and self.due <= now

    def overdue(self, now: datetime) -> timedelta:
        """How long past due the card is (negative when due later, zero when new)."""
        return now - self.due if self.due is not None else timedelta(0)


@dataclass(frozen=True)
class Review:
    """One graded answer, kept in full so a later scheduler (e.g. FSRS) can be fitted.

    ``state_before`` is the card's whole state before this review (None for a
    card's first review); undoing the review restores it.
    """

    card_id: str
    deck: str
    time: datetime
    score: int
    kind: ReviewKind
    box_before: int
    box_after: int
    due_after: datetime | None = None
    answer: str = ""
    grader: str = ""
    """Which grader decided ('rules', 'llm:<model>', 'override', ...)."""
    confidence: float = 1.0
    response_ms: int = 0
    """Time from showing the question to submitting the answer."""
    source: ReviewSource = "grader"
    topic: str = ""
    feedback: str = ""
    original_score: int | None = None
    """The score this review replaced when it was regraded (late model verdict, override)."""
    original_grader: str = ""
    exam_id: str = ""
    state_before: CardState | None = field(default=None, compare=False)
    id: int = 0
    """Assigned by the store when the review is recorded (0 before)."""

    @property
    def correct(self) -> bool:
        """True when the score passes (>= 3)."""
        return self.score >= PASS_SCORE

    @property
    def relearning(self) -> bool:
        """True for a repeat of a failed card within the same session."""
        return self.kind == "relearn"

    @property
    def lapse(self) -> bool:
        """A failed review of a learned card (not its first review, not a relearning step)."""
        return self.kind in ("due", "practice") and not self.correct


@dataclass(frozen=True)
class ReviewOutcome:
    """What a review produces: the card's new state and the record to store."""

    state: CardState
    review: Review


class ReviewSummary(NamedTuple):
    """The parts of a `Review` a report reads, without the rest (cheap to make by the
    hundred thousand: `StudyStore.review_summaries`). Same names and meanings as `Review`."""

    id: int
    card_id: str
    deck: str
    time: datetime
    kind: str
    """A `ReviewKind`."""
    score: int
    box_before: int
    box_after: int
    response_ms: int
    answer: str
    topic: str
    grader: str

    @property
    def correct(self) -> bool:
        """True when the score passes (>= 3)."""
        return self.score >= PASS_SCORE

    @classmethod
    def of(cls, review: Review) -> ReviewSummary:
        """The summary of a full review."""
        return cls(review.id, review.card_id, review.deck, review.time, review.kind,
                   review.score, review.box_before, review.box_after, review.response_ms,
                   review.answer, review.topic, review.grader)
