"""The Leitner scheduler: a grade moves a card between boxes; each box has an interval.

Choices (documented for the README):

* Five boxes with intervals of 1, 2, 4, 8 and 16 days by default
  (``settings.study.intervals``), the Leitner baseline of Settles & Meeder (2016,
  the Duolingo half-life regression paper): intervals double from box to box.
* A new card enters box 1. Its first review moves it like any other review.
* Scores 5 and 4 move the card up one box (a 4 is a correct answer with a slip:
  still a successful recall, so it earns the longer interval; the top box keeps
  its card). A 3 (the key idea, parts missing) keeps the card in its box, so it
  comes back after the same interval. 0-2 send it back to box 1 (``on_fail="reset"``,
  classic Leitner) or down one box (``on_fail="down"``).
* A card is due at the start of a study day, not at the minute of its last review:
  reviewed on Monday evening with a 1-day interval, it is due from Tuesday 04:00.
  A study day starts at ``day_starts_at`` (04:00 local time), so a session past
  midnight still counts for the evening it started in.
* A relearning step (a failed card asked again in the same session) is recorded
  but moves nothing: the fail already put the card in box 1, due tomorrow.
* A practice review (a card asked before it is due, e.g. a topic drill) moves the
  card only when it fails (to box 1, due tomorrow); a pass leaves box and due date.
* No interval is longer than ``MAX_INTERVAL_DAYS`` (100 years) and no due date later
  than the year 9999 allows, whatever intervals a caller passes: a date past Python's
  range would raise `OverflowError` and lose the answer being recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime, timedelta

from tutor.grading.base import MAX_SCORE, PASS_SCORE, clamp_confidence
from tutor.schedule.model import (
    SOURCES,
    CardState,
    Review,
    ReviewKind,
    ReviewMode,
    ReviewOutcome,
    ReviewSource,
)
from tutor.settings import MAX_INTERVAL_DAYS, StudySettings

DEFAULT_INTERVALS = (1, 2, 4, 8, 16)
#: Scores at or above this move a card up one box.
PROMOTE_SCORE = 4
FAIL_POLICIES = ("reset", "down")
#: The latest due date (naive; given the review's timezone): two days inside Python's
#: range, so converting it to any other timezone cannot overflow either.
LATEST_DUE = datetime.max.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=2)


class LeitnerScheduler:
    """Turns a score into a card's next box and due date. Pure: time is passed in."""

    def __init__(self, intervals: Sequence[int] = DEFAULT_INTERVALS, *, on_fail: str = "reset",
                 day_starts_at: int = 4) -> None:
        if not intervals or any(not isinstance(d, int) or d <= 0 for d in intervals):
            raise ValueError("intervals must be positive whole numbers of days")
        if on_fail not in FAIL_POLICIES:
            raise ValueError(f"on_fail must be one of {FAIL_POLICIES}")
        if not 0 <= day_starts_at <= 23:
            raise ValueError("day_starts_at must be an hour 0-23")
        self.intervals: tuple[int, ...] = tuple(min(d, MAX_INTERVAL_DAYS) for d in intervals)
        self.on_fail = on_fail
        self.day_starts_at = day_starts_at

    @classmethod
    def from_settings(cls, study: StudySettings) -> LeitnerScheduler:
        """The scheduler configured by ``settings.study``."""
        return cls(study.intervals)

    @property
    def boxes(self) -> int:
        """How many boxes there are (box numbers run 1..boxes)."""
        return len(self.intervals)

    def interval(self, box: int) -> timedelta:
        """Time between reviews for a card in ``box``."""
        return timedelta(days=self.intervals[self._clamp(box) - 1])

    def next_box(self, box: int, score: int) -> int:
        """The box a card in ``box`` moves to after a normal review scored ``score``."""
        box = self._clamp(box)
        if score >= PROMOTE_SCORE:
            return min(box + 1, self.boxes)
        if score >= PASS_SCORE:
            return box
        return 1 if self.on_fail == "reset" else max(1, box - 1)

    def new_state(self, card_id: str, deck: str) -> CardState:
        """The state of a card never reviewed: box 1, not yet due."""
        return CardState(card_id=card_id, deck=deck, box=1)

    def day_start(self, now: datetime) -> datetime:
        """Start of the study day that contains ``now`` (in ``now``'s timezone)."""
        _require_aware(now)
        start = now.replace(hour=self.day_starts_at, minute=0, second=0, microsecond=0)
        return start - timedelta(days=1) if now < start else start

    def due_after(self, box: int, now: datetime) -> datetime:
        """When a card put in ``box`` at ``now`` is next due: a whole-day interval later
        (never past `LATEST_DUE`)."""
        start = self.day_start(now)
        room = LATEST_DUE.replace(tzinfo=start.tzinfo) - start
        return start + max(timedelta(0), min(self.interval(box), room))

    def review(self, state: CardState, score: int, now: datetime, *, mode: ReviewMode = "due",
               answer: str = "", grader: str = "", confidence: float = 1.0,
               response_ms: int = 0, source: ReviewSource = "grader", topic: str = "",
               feedback: str = "", exam_id: str = "", deck: str | None = None) -> ReviewOutcome:
        """Apply one graded answer to ``state``; return the new state and the review record.

        ``mode`` is ``due`` (a scheduled or new card), ``relearn`` or ``practice`` (see the
        module docstring); a card's first review is always of kind ``new``. ``deck`` is
        the key of the deck the card is studied in now (default: the state's; pass it so
        a renamed deck file moves its cards' history along).
        """
        _check_score(score)
        _require_aware(now)
        if mode not in ("due", "relearn", "practice"):
            raise ValueError(f"mode must be 'due', 'relearn' or 'practice', not {mode!r}")
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        if deck is not None and deck != state.deck:
            state = dataclasses.replace(state, deck=deck)
        kind: ReviewKind = "new" if state.is_new else mode
        box, due = state.box, state.due
        passed = score >= PASS_SCORE
        if kind in ("new", "due") or (kind == "practice" and not passed):
            box = self.next_box(state.box, score)
            due = self.due_after(box, now)
        review = Review(
            card_id=state.card_id, deck=state.deck, time=now, score=score, kind=kind,
            box_before=state.box, box_after=box, due_after=due, answer=answer, grader=grader,
            confidence=clamp_confidence(confidence), response_ms=max(0, int(response_ms)),
            source=source, topic=topic, feedback=feedback, exam_id=exam_id,
            state_before=None if state.is_new else state,
        )
        new_state = dataclasses.replace(
            state, box=box, due=due, reviews=state.reviews + 1,
            lapses=state.lapses + (1 if review.lapse else 0),
            streak=state.streak + 1 if passed else 0, last_reviewed=now,
            first_reviewed=state.first_reviewed or now, last_score=score,
        )
        return ReviewOutcome(state=new_state, review=review)

    def regrade(self, review: Review, score: int, *, grader: str, confidence: float = 1.0,
                source: ReviewSource | None = None, feedback: str | None = None) -> ReviewOutcome:
        """Redo ``review`` with a new score (a late model verdict or a learner override).

        The card goes back to the state before ``review`` and the answer is applied
        again at the original time; the result remembers the score it replaced.
        Store it with `StudyStore.amend_review`.
        """
        before = review.state_before or self.new_state(review.card_id, review.deck)
        mode: ReviewMode = "due" if review.kind == "new" else review.kind
        outcome = self.review(
            before, score, review.time, mode=mode, answer=review.answer, grader=grader,
            confidence=confidence, response_ms=review.response_ms,
            source=source or review.source, topic=review.topic,
            feedback=review.feedback if feedback is None else feedback, exam_id=review.exam_id,
        )
        record = dataclasses.replace(outcome.review, original_score=review.score,
                                     original_grader=review.grader, id=review.id)
        return ReviewOutcome(state=outcome.state, review=record)

    def _clamp(self, box: int) -> int:
        return max(1, min(self.boxes, int(box)))


def _check_score(score: int) -> None:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
        raise ValueError(f"score must be a whole number 0-{MAX_SCORE}, not {score!r}")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("times must be timezone-aware (use a Clock)")

