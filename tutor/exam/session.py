"""`ExamSession`: a timed exam as plain logic; the exam screens drive it, tests too.

An exam is a fixed list of questions with an answer sheet each. The learner moves
freely between them (`go_to`, `next`, `previous`), flags some for review, and types;
`set_answer` keeps the text as typed and `tick` saves it (at most once per tick).
Leaving a question, or pressing Enter, *commits* its answer: `take_jobs` then hands
out a `GradeJob` that a worker thread grades with `ExamGrading.grade`, and
`apply_grade` stores the verdict, unless the answer changed since (a newer job
follows). No grade or reference is shown while the exam runs.

Time: the exam has a time limit (and optionally a limit per question). Only time
with the exam open counts: quitting stops the clock, and ``tutor exam --resume``
carries on with the time that was left. `tick` (the screen calls it about once a
second) moves the clock on, locks a question whose own time ran out, and ends the
exam when the whole time is used: answers are then committed as they stand and
unanswered questions score 0.

After the end the learner may dispute grades (`dispute`) until `finalize` makes the
result final, which records the answers as reviews (source ``exam``, mode
``practice``) only when the exam was started with ``update_schedule``.

Writes go through the store's ``save_exam``/``update_exam``, so every method that
saves must run on the thread that opened the store (the UI thread). Only
`ExamGrading.grade` runs in workers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Any

from tutor.decks.model import Deck
from tutor.exam.model import (
    UNANSWERED_GRADER,
    AnswerSheet,
    DeckRef,
    Dispute,
    ExamError,
    ExamOptions,
    ExamQuestion,
    GradeJob,
    QuestionGrade,
)
from tutor.exam.result import ExamResult, question_results, topic_results
from tutor.exam.selection import Selection
from tutor.exam.stored import (
    ENDED_BY,
    RECORD_KIND,
    RECORD_VERSION,
    check_record,
    damaged,
    integer,
    moment,
    number,
    parse_decks,
    parse_questions,
    strings,
    text,
)
from tutor.grading.base import MAX_SCORE, GradeRequest
from tutor.schedule.clock import Clock
from tutor.schedule.leitner import LeitnerScheduler
from tutor.schedule.model import ReviewOutcome


class ClockEvent(Enum):
    """What `ExamSession.tick` reports besides nothing."""

    TIME_UP = "time-up"
    """The exam's time ran out: it has ended."""
    QUESTION_TIME_UP = "question-time-up"
    """The question's own time ran out: the exam moved to the next open question."""


TIME_UP = ClockEvent.TIME_UP
QUESTION_TIME_UP = ClockEvent.QUESTION_TIME_UP

#: With nothing typed, the time used is still saved this often (exam time).
TIME_SAVE_MS = 15_000
UNANSWERED_FEEDBACK = "No answer was given."


class ExamSession:
    """One exam: questions, answers, the clock, grades, disputes, and its stored record.

    Build it with `ExamSession.start` (a new exam, saved at once) or
    `ExamSession.from_record` (``--resume``). ``store`` may be None in tests of the
    pure logic; then nothing is saved.
    """

    def __init__(self, questions: Sequence[ExamQuestion], options: ExamOptions, clock: Clock, *,
                 sheets: Sequence[AnswerSheet] | None = None, store: Any = None,
                 exam_id: str = "", decks: Sequence[DeckRef] = (), grader: str = "rules",
                 warnings: Sequence[str] = (), started: datetime | None = None,
                 time_used_ms: int = 0, current: int = 0, status: str = "in_progress",
                 ended: datetime | None = None, ended_by: str = "",
                 finalized: datetime | None = None, schedule_updated: bool = False) -> None:
        if not questions:
            raise ExamError("an exam needs at least one question")
        options.validate()
        self.questions: tuple[ExamQuestion, ...] = tuple(questions)
        self.sheets: list[AnswerSheet] = list(sheets) if sheets is not None else [
            AnswerSheet() for _ in self.questions]
        if len(self.sheets) != len(self.questions):
            raise ExamError("questions and answer sheets do not match")
        self.options = options
        self.clock = clock
        self.store = store
        self.exam_id = exam_id
        self.decks: tuple[DeckRef, ...] = tuple(decks)
        self.grader = grader
        """What grades this exam (stored in the record's settings)."""
        self.warnings: list[str] = list(warnings)
        now = clock.now()
        self.started: datetime = started or now
        self.time_used_ms = max(0, min(time_used_ms, self.time_limit_ms))
        self.current = max(0, min(current, len(self.questions) - 1))
        self.status = status
        """'in_progress', 'ended' (disputes allowed) or 'final'."""
        self.ended = ended
        self.ended_by = ended_by
        self.finalized = finalized
        self.schedule_updated = schedule_updated
        self._mark = now
        self._in_flight: dict[int, str] = {}
        self._dirty = False
        self._saved_used_ms = self.time_used_ms

    # -- building ------------------------------------------------------------------------

    @classmethod
    def start(cls, selection: Selection, options: ExamOptions, clock: Clock, *,
              decks: Sequence[Deck], store: Any = None, grader: str = "rules",
              warnings: Sequence[str] = ()) -> ExamSession:
        """A new exam over ``selection``, saved at once (the store gives it its id)."""
        options = dataclasses.replace(options, seed=selection.seed)
        notes = list(warnings)
        if selection.short:
            notes.insert(0, shortfall_message(selection))
        used = {q.deck for q in selection.questions}
        refs = [DeckRef(deck.key, deck.title) for deck in decks if deck.key in used]
        session = cls(selection.questions, options, clock, store=store, decks=refs,
                      grader=grader, warnings=notes)
        session.save()
        return session

    @classmethod
    def from_record(cls, record: dict[str, Any], clock: Clock, store: Any = None) -> ExamSession:
        """The exam of a stored record, ready to go on (`ExamError` when it is damaged)."""
        record = check_record(record)
        questions, sheets = parse_questions(record)
        try:
            settings = record.get("settings")
            if not isinstance(settings, dict):
                raise ValueError("'settings' must be an object")
            seconds = settings.get("question_seconds")
            options = ExamOptions(
                decks=tuple(d.key for d in parse_decks(record)),
                minutes=number(settings, "minutes"), count=integer(settings, "count"),
                topics=strings(settings, "topics"), seed=settings.get("seed"),
                update_schedule=bool(settings.get("update_schedule", False)),
                question_seconds=None if seconds is None else integer(settings, "question_seconds"),
                out=text(settings, "out") if settings.get("out") is not None else None,
            )
            options.validate()
            ended_by = text(record, "ended_by", "")
            if ended_by not in ENDED_BY:
                raise ValueError(f"unknown 'ended_by' {ended_by!r}")
            return cls(
                questions, options, clock, sheets=sheets, store=store,
                exam_id=str(record.get("id", "")), decks=parse_decks(record),
                grader=text(settings, "grader", "rules"), warnings=strings(record, "warnings"),
                started=moment(record, "started"), time_used_ms=integer(record, "time_used_ms", 0),
                current=integer(record, "current", 0), status=text(record, "status"),
                ended=moment(record, "ended"), ended_by=ended_by,
                finalized=moment(record, "finalized"),
                schedule_updated=bool(record.get("schedule_updated", False)),
            )
        except ExamError as exc:
            raise damaged(record, exc.message) from None
        except (ValueError, TypeError) as exc:
            raise damaged(record, str(exc)) from None

    # -- where we are --------------------------------------------------------------------

    @property
    def count(self) -> int:
        """How many questions the exam has."""
        return len(self.questions)

    @property
    def running(self) -> bool:
        """True while the learner can still answer."""
        return self.status == "in_progress"

    @property
    def ended_or_final(self) -> bool:
        """True once the exam is over (time ran out, handed in, or final)."""
        return self.status != "in_progress"

    @property
    def final(self) -> bool:
        """True once the result is final."""
        return self.status == "final"

    @property
    def question(self) -> ExamQuestion:
        """The question on screen."""
        return self.questions[self.current]

    @property
    def sheet(self) -> AnswerSheet:
        """The answer sheet of the question on screen."""
        return self.sheets[self.current]

    @property
    def answered(self) -> int:
        """Questions with an answer typed."""
        return sum(1 for s in self.sheets if s.answered)

    @property
    def flagged(self) -> list[int]:
        """Indices of the questions flagged for review."""
        return [i for i, s in enumerate(self.sheets) if s.flagged]

    @property
    def unanswered(self) -> list[int]:
        """Indices of the questions without an answer."""
        return [i for i, s in enumerate(self.sheets) if not s.answered]

    @property
    def time_limit_ms(self) -> int:
        """The whole exam's time."""
        return int(round(self.options.minutes * 60_000))

    @property
    def question_limit_ms(self) -> int | None:
        """Each question's own time, or None."""
        seconds = self.options.question_seconds
        return None if seconds is None else seconds * 1000

    def remaining_ms(self) -> int:
        """Exam time left (0 once over)."""
        self._sync()
        return max(0, self.time_limit_ms - self.time_used_ms)

    def question_remaining_ms(self, index: int | None = None) -> int | None:
        """Time left for a question when questions have their own limit, else None."""
        limit = self.question_limit_ms
        if limit is None:
            return None
        self._sync()
        sheet = self.sheets[self.current if index is None else index]
        return 0 if sheet.locked else max(0, limit - sheet.time_ms)

    def editable(self, index: int | None = None) -> bool:
        """True when the answer to a question may still change."""
        sheet = self.sheets[self.current if index is None else index]
        return self.running and not sheet.locked

    # -- the clock -----------------------------------------------------------------------

    def _sync(self) -> None:
        """Count the time since the last look at the clock (only while the exam runs)."""
        now = self.clock.now()
        elapsed = int((now - self._mark).total_seconds() * 1000)
        self._mark = now
        if not self.running or elapsed <= 0:
            return
        elapsed = min(elapsed, self.time_limit_ms - self.time_used_ms)
        if elapsed <= 0:
            return
        self.time_used_ms += elapsed
        sheet = self.sheet
        if sheet.locked:
            return
        limit = self.question_limit_ms
        sheet.time_ms += elapsed if limit is None else min(elapsed, max(0, limit - sheet.time_ms))

    def tick(self) -> ClockEvent | None:
        """Move the clock on: `TIME_UP` when the exam just ended, `QUESTION_TIME_UP` when the
        question's own time ran out (the exam moved to the next open question), else None.
        Saves typed answers and, now and then, the time used."""
        if not self.running:
            return None
        self._sync()
        if self.time_used_ms >= self.time_limit_ms:
            self.finish("time")
            return TIME_UP
        event: ClockEvent | None = None
        limit = self.question_limit_ms
        if limit is not None and not self.sheet.locked and self.sheet.time_ms >= limit:
            self.sheet.locked = True
            self.sheet.committed = self.sheet.answer
            self._dirty = True
            following = self._next_open(self.current)
            if following is None:
                self.finish("time")
                return TIME_UP
            self.current = following
            event = QUESTION_TIME_UP
        if self._dirty or self.time_used_ms - self._saved_used_ms >= TIME_SAVE_MS:
            self.save()
        return event

    def _next_open(self, index: int) -> int | None:
        """The next question (wrapping round) whose time has not run out."""
        for step in range(1, self.count + 1):
            candidate = (index + step) % self.count
            if not self.sheets[candidate].locked:
                return candidate
        return None

    # -- answering -----------------------------------------------------------------------

    def set_answer(self, answer: str, index: int | None = None) -> bool:
        """Keep the answer as typed (saved at the next `tick`); False when it may not change."""
        index = self.current if index is None else index
        if not self.editable(index):
            return False
        sheet = self.sheets[index]
        if sheet.answer != answer:
            self._sync()
            sheet.answer = answer
            self._dirty = True
        return True

    def commit(self, index: int | None = None) -> None:
        """Hand in a question's answer for grading (see `take_jobs`)."""
        index = self.current if index is None else index
        sheet = self.sheets[index]
        if sheet.committed != sheet.answer:
            sheet.committed = sheet.answer
            self._dirty = True

    def go_to(self, index: int) -> None:
        """Show question ``index`` (0-based), committing the one left; saves."""
        if not 0 <= index < self.count:
            raise ExamError(f"there is no question {index + 1} (the exam has {self.count})")
        self._sync()
        if index != self.current:
            if self.running:
                self.commit()
            self.current = index
            self._dirty = True
        self.save()

    def next(self) -> bool:
        """Go to the next question; False at the last one."""
        if self.current + 1 >= self.count:
            return False
        self.go_to(self.current + 1)
        return True

    def previous(self) -> bool:
        """Go to the previous question; False at the first one."""
        if self.current == 0:
            return False
        self.go_to(self.current - 1)
        return True

    def toggle_flag(self, index: int | None = None) -> bool:
        """Flag a question for review, or unflag it; return the new flag. Saves."""
        sheet = self.sheets[self.current if index is None else index]
        sheet.flagged = not sheet.flagged
        self._dirty = True
        self.save()
        return sheet.flagged

    # -- grading -------------------------------------------------------------------------

    def take_jobs(self) -> list[GradeJob]:
        """Committed answers that need a grade and are not being graded; marks them taken."""
        jobs = []
        for index, (question, sheet) in enumerate(zip(self.questions, self.sheets)):
            answer = sheet.committed
            if answer is None or not answer.strip() or sheet.graded:
                continue
            if self._in_flight.get(index) == answer:
                continue
            self._in_flight[index] = answer
            request = GradeRequest(question=question.question, reference=question.reference,
                                   answer=answer, alternatives=question.alternatives)
            jobs.append(GradeJob(index=index, answer=answer, request=request))
        return jobs

    def apply_grade(self, job: GradeJob, grade: QuestionGrade) -> bool:
        """Store a worker's grade; False when the answer changed since (the grade is dropped)."""
        if self._in_flight.get(job.index) == job.answer:
            del self._in_flight[job.index]
        sheet = self.sheets[job.index]
        if sheet.committed != job.answer or grade.answer != job.answer:
            return False
        sheet.grade = grade
        self._dirty = True
        if self.ended_or_final:
            self.save()
        return True

    @property
    def grading_pending(self) -> int:
        """Committed answers still without their grade."""
        return sum(1 for s in self.sheets
                   if s.committed is not None and s.committed.strip() and not s.graded)

    @property
    def grading_complete(self) -> bool:
        """True when every question has its score (only possible once the exam ended)."""
        return self.ended_or_final and all(s.graded for s in self.sheets)

    # -- the end -------------------------------------------------------------------------

    def finish(self, ended_by: str = "learner") -> None:
        """End the exam: commit every answer, score blank ones 0, save. Then grade what
        `take_jobs` hands out."""
        if ended_by not in ("learner", "time"):
            raise ValueError("ended_by must be 'learner' or 'time'")
        if self.running:
            self._sync()
            for sheet in self.sheets:
                sheet.committed = sheet.answer
                if not sheet.answered:
                    sheet.grade = QuestionGrade(answer=sheet.answer, score=0,
                                                feedback=UNANSWERED_FEEDBACK,
                                                grader=UNANSWERED_GRADER)
            self.status = "ended"
            self.ended = self.clock.now()
            self.ended_by = ended_by
            self._dirty = True
            self.save()

    def dispute(self, index: int, score: int, reason: str = "") -> Dispute | None:
        """Override question ``index``'s grade (0-based); the grader's score is kept beside it.

        Allowed after the exam ended and before the result is final. Giving the grader's own
        score back removes the dispute (returns None).
        """
        if self.running:
            raise ExamError("grades can be disputed once the exam has ended")
        if self.final:
            raise ExamError("the result is final; its grades can no longer be disputed")
        if not 0 <= index < self.count:
            raise ExamError(f"there is no question {index + 1} (the exam has {self.count})")
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= MAX_SCORE:
            raise ExamError(f"a score must be a whole number from 0 to {MAX_SCORE}")
        sheet = self.sheets[index]
        if not sheet.answered:
            raise ExamError(f"question {index + 1} was not answered; there is no grade to dispute")
        if not sheet.graded or sheet.grade is None:
            raise ExamError(f"question {index + 1} is still being graded")
        if score == sheet.grade.score:
            sheet.dispute = None
        else:
            sheet.dispute = Dispute(score=score, original_score=sheet.grade.score,
                                    reason=" ".join(reason.split())[:500], time=self.clock.now())
        self._dirty = True
        self.save()
        return sheet.dispute

    def finalize(self, scheduler: LeitnerScheduler | None = None) -> ExamResult:
        """Make the result final (no more disputes); record reviews when ``update_schedule``."""
        if self.final:
            return self.result()
        if self.running:
            raise ExamError("the exam is still running")
        if not self.grading_complete:
            raise ExamError("some answers are still being graded")
        if self.options.update_schedule and not self.schedule_updated:
            self._record_reviews(scheduler or LeitnerScheduler())
            self.schedule_updated = True
        self.status = "final"
        self.finalized = self.clock.now()
        self._dirty = True
        self.save()
        return self.result()

    def _record_reviews(self, scheduler: LeitnerScheduler) -> None:
        if self.store is None:
            raise ExamError("this exam has no study data to update")
        if not self.exam_id:
            self.save()
        done = {r.card_id for r in self.store.reviews(since=self.started)
                if r.exam_id == self.exam_id}
        now = self.clock.now()
        outcomes: list[ReviewOutcome] = []
        for question, sheet, result in zip(self.questions, self.sheets, self.result().questions):
            if question.card_id in done or result.score is None:
                continue
            state = self.store.state(question.card_id) or scheduler.new_state(
                question.card_id, question.deck)
            grade = sheet.grade
            outcomes.append(scheduler.review(
                state, result.score, now, mode="practice", answer=sheet.answer,
                grader=result.grader, confidence=grade.confidence if grade else 1.0,
                response_ms=sheet.time_ms, source="exam", topic=question.topic,
                feedback=result.feedback, exam_id=self.exam_id))
        self.store.record_reviews(outcomes)

    # -- results and records ---------------------------------------------------------------

    def result(self) -> ExamResult:
        """The result as it stands (scores of answers still being graded are None)."""
        return ExamResult(
            exam_id=self.exam_id, status=self.status, started=self.started, ended=self.ended,
            ended_by=self.ended_by, finalized=self.finalized, decks=self.decks,
            settings=self.settings_json(), time_limit_ms=self.time_limit_ms,
            time_used_ms=self.time_used_ms,
            questions=question_results(self.questions, self.sheets),
            topics=topic_results(self.questions, self.sheets), warnings=tuple(self.warnings),
            schedule_updated=self.schedule_updated)

    def settings_json(self) -> dict[str, Any]:
        """The record's ``settings`` object."""
        options = self.options
        return {"minutes": float(options.minutes), "count": options.count,
                "topics": list(options.topics), "seed": options.seed,
                "update_schedule": options.update_schedule,
                "question_seconds": options.question_seconds, "grader": self.grader,
                "out": options.out}

    def to_record(self) -> dict[str, Any]:
        """The exam as the stored JSON record (documented in `tutor.exam.stored`), with its
        ``id`` once it has one (the store keeps ids apart)."""
        questions = []
        for question, sheet in zip(self.questions, self.sheets):
            entry = question.to_json()
            entry.update({
                "answer": sheet.answer, "flagged": sheet.flagged, "locked": sheet.locked,
                "time_ms": sheet.time_ms, "committed": sheet.committed,
                "grade": sheet.grade.to_json() if sheet.grade else None,
                "dispute": sheet.dispute.to_json() if sheet.dispute else None,
                "score": sheet.score,
            })
            questions.append(entry)
        record: dict[str, Any] = {"id": self.exam_id} if self.exam_id else {}
        record.update({
            "kind": RECORD_KIND, "version": RECORD_VERSION, "status": self.status,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat() if self.ended else None, "ended_by": self.ended_by,
            "finalized": self.finalized.isoformat() if self.finalized else None,
            "decks": [d.to_json() for d in self.decks], "settings": self.settings_json(),
            "time_limit_ms": self.time_limit_ms, "time_used_ms": self.time_used_ms,
            "current": self.current, "warnings": list(self.warnings),
            "schedule_updated": self.schedule_updated, "questions": questions,
            "result": self.result().summary_json(),
        })
        return record

    def save(self) -> None:
        """Write the record now (`StoreError` when the store cannot; the answers stay here)."""
        if self.store is None:
            self._dirty = False
            return
        record = self.to_record()
        if self.exam_id:
            self.store.update_exam(self.exam_id, record)
        else:
            self.exam_id = self.store.save_exam(record)
        self._dirty = False
        self._saved_used_ms = self.time_used_ms

    @property
    def unsaved(self) -> bool:
        """True when something changed since the last save."""
        return self._dirty


def shortfall_message(selection: Selection) -> str:
    """The one line telling the learner fewer cards matched than were asked for."""
    cards = "card matches" if selection.available == 1 else "cards match"
    return (f"only {selection.available} {cards} the chosen decks and topics;"
            f" the exam has {selection.available} questions, not {selection.requested}")

