"""`StudySession`: the study flow as plain logic (no UI), so it can be tested on its own.

A session asks the cards of a `DueQueue` one by one. `submit` grades an answer
with the instant (rules) verdict and records the review at once, so progress is
saved even if the learner quits on the next key. A slower verdict (the LLM's)
may arrive later, even after the learner moved on: `finalize` then regrades that
same review (`LeitnerScheduler.regrade` + `StudyStore.amend_review`). An override
("I was right" / "I was wrong") is a regrade too; "I was right" also adds the
answer to the card's accepted alternatives and saves the deck file.

A card not worth typing (a long list) can be rated by the learner instead:
`self_rate` records their own 0-5 score (grader ``self``) for the current card, and
no grader, rules or model, sees it.

The plan is fixed when the session starts: `Progress` counts the planned cards
done, and a failed card that comes back is a repeat, not one more planned card.

Every method that writes must be called from the thread that opened the store
(in the app, the UI thread); only `SessionGrading.refine` may run elsewhere.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tutor.decks.editing import edit_card, save
from tutor.decks.model import Card, Deck
from tutor.errors import TutorError
from tutor.formatting import plural
from tutor.grading.base import MAX_SCORE, GradeRequest, GradeResult
from tutor.schedule.clock import Clock
from tutor.schedule.leitner import LeitnerScheduler
from tutor.schedule.model import CardState, Review, ReviewSource
from tutor.schedule.queue import (
    DueQueue,
    QueueItem,
    build_ahead_queue,
    build_drill_queue,
    build_queue,
)
from tutor.settings import StudySettings
from tutor.store.errors import StoreError
from tutor.store.study_store import StudyStore
from tutor.study.daily import new_card_limits
from tutor.study.more import ahead_until

#: Score recorded when the learner says "I was right".
OVERRIDE_RIGHT_SCORE = 5
#: Highest score recorded when the learner says "I was wrong".
OVERRIDE_WRONG_SCORE = 1
#: Grader name of a learner's override.
OVERRIDE_GRADER = "override"
#: Longest answer kept as an accepted alternative.
MAX_ALTERNATIVE_CHARS = 400
#: Grader name of a card the learner rated themselves (shown the reference, nothing typed).
SELF_GRADER = "self"
#: Scores of a self-rating given as right / wrong (y / n) rather than 0-5.
SELF_RIGHT_SCORE = 5
SELF_WRONG_SCORE = 1
#: How many topics the summary calls the worst.
WORST_TOPICS = 3


class DeckNotSaved(TutorError):
    """An override or undo that was done and recorded, while the deck file could not take
    its part (the accepted answer added or taken back): the message says both."""

    def __init__(self, message: str, attempt: Attempt) -> None:
        super().__init__(message, title="Deck not saved")
        self.attempt = attempt


class SessionGrading(Protocol):
    """What a session needs from grading: an instant verdict, then an optional better one."""

    @property
    def label(self) -> str:
        """What grades, for the status bar: a model name or 'rules'."""
        ...

    def provisional(self, request: GradeRequest) -> GradeResult:
        """The instant verdict (rules): fast, never raises."""
        ...

    def wants_refinement(self, request: GradeRequest, provisional: GradeResult) -> bool:
        """True when a slower grader should look at this answer (run `refine` in a worker)."""
        ...

    def refine(self, request: GradeRequest, provisional: GradeResult) -> GradeResult:
        """The final verdict (may be slow; may raise). Safe to call from a worker thread."""
        ...


@dataclass
class Attempt:
    """One answered card of a session and the grade now in force for it."""

    number: int
    """1 for the session's first answer, 2 for the next, ..."""
    item: QueueItem
    answer: str
    response_ms: int
    request: GradeRequest
    provisional: GradeResult
    """The instant verdict shown first."""
    result: GradeResult
    """The grade in force: the provisional one, a refinement, or the learner's override."""
    review: Review
    """The stored review (with its id) that holds ``result``."""
    refining: bool = False
    """A slower grader is still working on this answer."""
    decided_by_learner: bool = False
    """The learner overrode or chose the verdict; a late model verdict no longer replaces it."""
    refinement_note: str = ""
    """Why the refinement did not replace the verdict (failed, too late), '' otherwise."""
    added_alternative: str = ""
    """The alternative this attempt's override added to the card ('' if none)."""
    undone: bool = False
    explanation: str = ""
    """The model's "why?" for the verdict, once asked ('' until then)."""
    explaining: bool = False
    """The model is writing the explanation."""
    self_rated: bool = False
    """The learner rated this card themselves (`StudySession.self_rate`): nothing was typed,
    no grader saw it, and it cannot be overridden (undo, then rate again)."""

    @property
    def card(self) -> Card:
        """The card that was answered."""
        return self.item.card

    @property
    def card_id(self) -> str:
        """The answered card's id."""
        return self.item.card.id

    @property
    def box_before(self) -> int:
        """The card's box before this answer."""
        return self.review.box_before

    @property
    def box_after(self) -> int:
        """The card's box after this answer (with the grade in force)."""
        return self.review.box_after

    @property
    def asks_learner(self) -> bool:
        """True while the grade is unsure and nobody (model or learner) settled it."""
        return self.result.needs_learner and not self.decided_by_learner and not self.refining


@dataclass(frozen=True)
class Progress:
    """Where the session stands: planned cards done, and repeats of failed cards."""

    done: int
    """Planned cards answered (each once, whatever its repeats)."""
    planned: int
    """The cards the session set out to ask: fixed when it started."""
    repeats_done: int
    """Repeats of failed cards answered."""
    repeats_left: int
    """Repeats of failed cards still to come (they never count as planned cards)."""

    @property
    def fraction(self) -> float:
        """Share of the planned cards done, 0.0-1.0 (1.0 for an empty plan)."""
        return self.done / self.planned if self.planned else 1.0


@dataclass(frozen=True)
class TopicScore:
    """How one topic went in a session."""

    topic: str
    answered: int
    correct: int
    mean_score: float

    @property
    def wrong(self) -> int:
        """Answers that failed."""
        return self.answered - self.correct

    @property
    def accuracy(self) -> float:
        """Share of correct answers, 0.0-1.0."""
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class SessionSummary:
    """The end-of-session numbers."""

    reviewed: int
    correct: int
    elapsed: timedelta
    """From the session's start to now."""
    answer_time: timedelta
    """Time spent answering (sum of response times)."""
    moved_up: int
    moved_down: int
    stayed: int
    topics: tuple[TopicScore, ...]
    """Every topic answered, worst first."""
    worst: tuple[TopicScore, ...]
    """The topics that went worst (with at least one wrong answer), at most `WORST_TOPICS`."""
    overrides: int = 0
    self_rated: int = 0
    """Cards the learner rated themselves."""

    @property
    def accuracy(self) -> float:
        """Share of correct answers, 0.0-1.0."""
        return self.correct / self.reviewed if self.reviewed else 0.0


class StudySession:
    """One sitting over some decks: ask, grade, record, move cards; undo, skip, edit, override.

    Build it with `StudySession.due` (today's queue) or `StudySession.drill`
    (chosen topics, regardless of due dates); tests may pass a ready `DueQueue`.
    """

    def __init__(self, decks: Sequence[Deck], store: StudyStore, scheduler: LeitnerScheduler,
                 grading: SessionGrading, clock: Clock, queue: DueQueue, *,
                 title: str = "", mode: str = "due") -> None:
        self.decks = list(decks)
        self.store = store
        self.scheduler = scheduler
        self.grading = grading
        self.clock = clock
        self.queue = queue
        self.title = title or ", ".join(deck.title for deck in self.decks) or "Study"
        self.mode = mode
        """'due' (today's cards) or 'drill' (chosen topics)."""
        self.started: datetime = clock.now()
        self.attempts: list[Attempt] = []
        """Answers in order, undone ones removed."""
        self.planned = queue.remaining()
        """The cards to ask, counted at the start: repeats of failed cards never add to it."""
        self.on_screen: QueueItem | None = None
        """The card a UI is asking now (set by the UI, cleared by `submit`): a late
        verdict never takes that card out of the queue under the learner."""
        self._numbers = itertools.count(1)
        self._decks_by_key = {deck.key: deck for deck in self.decks}

    # -- building ------------------------------------------------------------------------

    @classmethod
    def due(cls, decks: Sequence[Deck], store: StudyStore, scheduler: LeitnerScheduler,
            grading: SessionGrading, clock: Clock, study: StudySettings | None = None, *,
            title: str = "") -> StudySession:
        """Today's session: due cards first, then new ones, within the daily limits (new
        cards: so many per deck, see `tutor.schedule.limits`)."""
        study = study or StudySettings()
        now = clock.now()
        day_start = scheduler.day_start(now)
        ids = [card.id for deck in decks for card in deck.cards]
        limits = new_card_limits(store, study, day_start)
        counts = store.daily_counts(day_start)
        # No overall cap: the per-deck limits alone decide.
        new_limit = limits.total_limit or counts.new_cards + len(ids)
        queue = build_queue(decks, store.states(ids), now, new_limit=new_limit,
                            review_limit=study.review_cap, counts=counts,
                            deck_new_room=limits.rooms(deck.key for deck in decks))
        return cls(decks, store, scheduler, grading, clock, queue, title=title)

    @classmethod
    def ahead(cls, decks: Sequence[Deck], store: StudyStore, scheduler: LeitnerScheduler,
              grading: SessionGrading, clock: Clock, days: int, *,
              title: str = "") -> StudySession:
        """"Review ahead": the cards falling due in the next ``days`` days, asked now as
        practice (a pass moves nothing; see `tutor.study.more`)."""
        now = clock.now()
        ids = [card.id for deck in decks for card in deck.cards]
        queue = build_ahead_queue(decks, store.states(ids), now,
                                  ahead_until(scheduler, now, days))
        label = title or (f"Review ahead ({plural(days, 'day')}): "
                          + ", ".join(deck.title for deck in decks))
        return cls(decks, store, scheduler, grading, clock, queue, title=label, mode="drill")

    @classmethod
    def drill(cls, decks: Sequence[Deck], store: StudyStore, scheduler: LeitnerScheduler,
              grading: SessionGrading, clock: Clock, topics: Sequence[str], *,
              limit: int | None = None, title: str = "",
              include: Callable[[Card, str], bool] | None = None) -> StudySession:
        """A drill of the cards of ``topics`` in ``decks``, due or not (``include``, when
        given, picks the cards instead: e.g. a report's exact (deck, topic) cards)."""
        ids = [card.id for deck in decks for card in deck.cards]
        queue = build_drill_queue(decks, store.states(ids), clock.now(),
                                  include=include or topic_filter(topics), limit=limit)
        label = title or "Drill: " + ", ".join(topics)
        return cls(decks, store, scheduler, grading, clock, queue, title=label, mode="drill")

    def drill_worst(self, limit: int | None = None) -> StudySession | None:
        """A new session drilling this session's worst topics now (None when none went wrong)."""
        worst = self.summary().worst
        if not worst:
            return None
        return StudySession.drill(self.decks, self.store, self.scheduler, self.grading,
                                  self.clock, [t.topic for t in worst], limit=limit)

    # -- where we are --------------------------------------------------------------------

    @property
    def current(self) -> QueueItem | None:
        """The card to ask now, or None when the session is over."""
        return self.queue.current

    @property
    def finished(self) -> bool:
        """True when no card is left."""
        return self.queue.current is None

    @property
    def last_attempt(self) -> Attempt | None:
        """The latest answer still in force."""
        return self.attempts[-1] if self.attempts else None

    def progress(self) -> Progress:
        """Planned cards done of those planned, and the repeats done and still to come."""
        repeats = sum(1 for attempt in self.attempts if attempt.item.step > 0)
        return Progress(done=len(self.attempts) - repeats, planned=self.planned,
                        repeats_done=repeats, repeats_left=self.queue.remaining("relearn"))

    def state(self, card_id: str, deck: str = "") -> CardState:
        """The card's stored state, or the state of a new card."""
        return self.store.state(card_id) or self.scheduler.new_state(card_id, deck)

    def deck_of(self, item: QueueItem) -> Deck | None:
        """The deck a queued card belongs to."""
        return self._decks_by_key.get(item.deck)

    def request_for(self, card: Card, answer: str) -> GradeRequest:
        """What the graders get for ``answer`` to ``card``."""
        return GradeRequest(question=card.front, reference=card.back, answer=answer,
                            alternatives=tuple(card.alternatives))

    # -- answering -----------------------------------------------------------------------

    def submit(self, answer: str, response_ms: int = 0) -> Attempt:
        """Grade ``answer`` to the current card at once (rules) and record the review.

        The queue moves on (a failed card comes back later in the session). When
        ``attempt.refining`` is True, run ``grading.refine`` in a worker and pass
        its result to `finalize` (or its failure to `refinement_failed`).
        """
        item = self.queue.current
        if item is None:
            raise TutorError("the session is over: there is no card to answer")
        request = self.request_for(item.card, answer)
        provisional = self.grading.provisional(request)
        attempt = self._record(item, answer, request, provisional, response_ms)
        attempt.refining = bool(self.grading.wants_refinement(request, provisional))
        return attempt

    def self_rate(self, score: int, response_ms: int = 0) -> Attempt:
        """Record the learner's own rating (0-5) of the current card, shown its reference
        with nothing typed: grader ``self``, and it moves the card like any grade.

        No grader (rules or model) is asked, and no later verdict replaces it.
        """
        item = self.queue.current
        if item is None:
            raise TutorError("the session is over: there is no card to rate")
        if not 0 <= score <= MAX_SCORE:
            raise TutorError(f"a rating is 0 to {MAX_SCORE}, not {score}")
        result = GradeResult(score=score, feedback=f"You rated yourself {score}/{MAX_SCORE}.",
                             grader=SELF_GRADER, confidence=1.0)
        return self._record(item, "", self.request_for(item.card, ""), result, response_ms,
                            self_rated=True)

    def _record(self, item: QueueItem, answer: str, request: GradeRequest, result: GradeResult,
                response_ms: int, *, self_rated: bool = False) -> Attempt:
        """Schedule and store ``item``'s review graded ``result``, move the queue on, and
        keep the attempt (``self_rated``: the learner's own rating, their decision)."""
        outcome = self.scheduler.review(
            self.state(item.card.id, item.deck), result.score, self.clock.now(), mode=item.mode,
            answer=answer, grader=result.grader, confidence=result.confidence,
            response_ms=response_ms, topic=item.card.topic, feedback=result.feedback,
        )
        review = self.store.record_review(outcome.review, outcome.state)
        self.queue.answer(result.correct)
        self.on_screen = None
        attempt = Attempt(
            number=next(self._numbers), item=item, answer=answer,
            response_ms=max(0, int(response_ms)), request=request, provisional=result,
            result=result, review=review, decided_by_learner=self_rated, self_rated=self_rated,
        )
        self.attempts.append(attempt)
        return attempt

    def finalize(self, attempt: Attempt, result: GradeResult) -> bool:
        """Put a later verdict (the model's) in force for ``attempt``: regrade its review.

        Returns False, with ``attempt.refinement_note`` saying why, when the verdict
        came too late (the answer was undone, the learner decided, or the card was
        answered again since); the grade in force then stays.
        """
        attempt.refining = False
        if attempt.undone:
            attempt.refinement_note = "the answer was undone"
            return False
        if attempt.decided_by_learner:
            attempt.refinement_note = "the model's verdict came after you decided: your grade stands"
            return False
        try:
            self._regrade(attempt, result, source="grader")
        except StoreError as exc:
            attempt.refinement_note = exc.message
            return False
        attempt.refinement_note = ""
        return True

    def refinement_failed(self, attempt: Attempt, reason: str) -> None:
        """The slower grader gave up on ``attempt``: the instant verdict stands."""
        attempt.refining = False
        attempt.refinement_note = reason

    def override(self, correct: bool, attempt: Attempt | None = None) -> Attempt:
        """The learner's own verdict on ``attempt`` (default: the latest): recorded as an override.

        "I was right" scores `OVERRIDE_RIGHT_SCORE` and adds the answer to the card's
        accepted alternatives (saved to the deck file); "I was wrong" scores at most
        `OVERRIDE_WRONG_SCORE`. Raises `TutorError` when there is nothing to override.
        """
        attempt = attempt or self.last_attempt
        if attempt is None or attempt.undone:
            raise TutorError("there is no graded answer to override")
        if attempt.self_rated:
            raise TutorError("you rated this card yourself: undo (u) and rate it again")
        from tutor.grading.rules import why_never_right  # the rules stack loads after start-up

        refused = why_never_right(attempt.answer) if correct else None
        if refused:
            raise TutorError(refused)
        before = attempt.result
        score = OVERRIDE_RIGHT_SCORE if correct else min(before.score, OVERRIDE_WRONG_SCORE)
        verdict = "You marked this answer right" if correct else "You marked this answer wrong"
        # The grader's words stay only where they agree ("Correct." beside "wrong" would not).
        agrees = before.correct == correct and before.feedback
        result = dataclasses.replace(
            before, score=score, grader=OVERRIDE_GRADER, confidence=1.0, needs_learner=False,
            feedback=f"{verdict} (the grader gave {before.score}/5)."
                     + (f" {before.feedback}" if agrees else ""),
        )
        self._regrade(attempt, result, source="override")
        attempt.decided_by_learner = True
        attempt.refining = False
        try:
            if correct:
                attempt.added_alternative = (self._add_alternative(attempt)
                                             or attempt.added_alternative)
            elif attempt.added_alternative:
                self._remove_alternative(attempt)
        except TutorError as exc:  # the grade is recorded: a deck that cannot be written
            part = ("your answer was not added to the card's accepted answers" if correct
                    else "the answer it accepted is still in the deck")
            raise DeckNotSaved(f"Your grade stands ({score}/5), but {part}: {exc.message}",
                               attempt) from None
        return attempt

    def skip(self) -> QueueItem | None:
        """Send the current card to the end of the queue; return the new current card."""
        self.queue.skip()
        return self.queue.current

    def undo(self) -> Attempt | None:
        """Take back the latest answer: its review is removed and the card is asked again.

        Only answers of this session can be undone (None when there are none).
        """
        attempt = self.last_attempt
        if attempt is None:
            return None
        last = self.store.last_review()
        if last is None or last.id != attempt.review.id:
            raise TutorError("the last stored review is not this session's; nothing was undone")
        self.store.undo_last_review()
        self.queue.undo()
        attempt.undone = True
        attempt.refining = False
        self.attempts.pop()
        if attempt.added_alternative:
            try:
                self._remove_alternative(attempt)
            except TutorError as exc:  # the grade is taken back: a deck that cannot be written
                raise DeckNotSaved(f"Grade taken back, but the answer it accepted is still in"
                                   f" the deck: {exc.message}", attempt) from None
        return attempt

    # -- editing cards -------------------------------------------------------------------

    def edit_card(self, card: Card, *, front: str, back: str, topic: str,
                  alternatives: Sequence[str] | None = None) -> Card:
        """Change a card's text and save its deck file; the card keeps its id (and history)."""
        return edit_card(self._deck_holding(card), card, front=front, back=back, topic=topic,
                         alternatives=alternatives)

    # -- the end -------------------------------------------------------------------------

    def summary(self) -> SessionSummary:
        """Cards reviewed, accuracy, time, boxes moved, and the topics that went worst."""
        attempts = [a for a in self.attempts if not a.undone]
        up = sum(1 for a in attempts if a.box_after > a.box_before)
        down = sum(1 for a in attempts if a.box_after < a.box_before)
        by_topic: dict[str, list[Attempt]] = {}
        for attempt in attempts:
            by_topic.setdefault(attempt.card.topic, []).append(attempt)
        topics = [
            TopicScore(topic=name, answered=len(group),
                       correct=sum(1 for a in group if a.result.correct),
                       mean_score=sum(a.result.score for a in group) / len(group))
            for name, group in by_topic.items()
        ]
        topics.sort(key=lambda t: (t.accuracy, -t.wrong, t.mean_score, t.topic))
        worst = tuple(t for t in topics if t.wrong)[:WORST_TOPICS]
        return SessionSummary(
            reviewed=len(attempts), correct=sum(1 for a in attempts if a.result.correct),
            elapsed=max(timedelta(0), self.clock.now() - self.started),
            answer_time=timedelta(milliseconds=sum(a.response_ms for a in attempts)),
            moved_up=up, moved_down=down, stayed=len(attempts) - up - down,
            topics=tuple(topics), worst=worst,
            overrides=sum(1 for a in attempts if a.decided_by_learner and not a.self_rated),
            self_rated=sum(1 for a in attempts if a.self_rated),
        )

    # -- internals -----------------------------------------------------------------------

    def _regrade(self, attempt: Attempt, result: GradeResult, *,
                 source: ReviewSource) -> None:
        outcome = self.scheduler.regrade(attempt.review, result.score, grader=result.grader,
                                         confidence=result.confidence, source=source,
                                         feedback=result.feedback)
        was_correct = attempt.result.correct
        stored = self.store.amend_review(attempt.review.id, outcome.review, outcome.state)
        attempt.review = stored
        attempt.result = result
        if result.correct != was_correct:
            self.queue.regrade(attempt.card_id, result.correct, on_screen=self.on_screen)

    def _deck_holding(self, card: Card) -> Deck:
        for deck in self.decks:
            if any(c is card for c in deck.cards):
                return deck
        for deck in self.decks:
            if deck.card(card.id) is not None:
                return deck
        raise TutorError(f"card {card.id} is in none of this session's decks")

    def _save(self, deck: Deck) -> None:
        save(deck)

    def _add_alternative(self, attempt: Attempt) -> str:
        card = attempt.card
        alternative = " ".join(attempt.answer.split())[:MAX_ALTERNATIVE_CHARS]
        known = {" ".join(text.split()).lower() for text in (card.back, *card.alternatives)}
        if not alternative or alternative.lower() in known:
            return ""
        card.alternatives.append(alternative)
        try:
            self._save(self._deck_holding(card))
        except TutorError:
            card.alternatives.remove(alternative)
            raise
        return alternative

    def _remove_alternative(self, attempt: Attempt) -> None:
        card = attempt.card
        if attempt.added_alternative in card.alternatives:
            at = card.alternatives.index(attempt.added_alternative)
            card.alternatives.remove(attempt.added_alternative)
            try:
                self._save(self._deck_holding(card))
            except TutorError:  # the card stays as its file has it
                card.alternatives.insert(at, attempt.added_alternative)
                raise
        attempt.added_alternative = ""


def topic_filter(topics: Sequence[str]) -> Callable[[Card, str], bool]:
    """A queue filter keeping the cards of ``topics`` (case-insensitive)."""
    wanted = {topic.lower() for topic in topics}
    return lambda card, _deck: card.topic.lower() in wanted
