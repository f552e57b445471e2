"""`ExamGrading`: grades exam answers in worker threads; a failing model falls back to rules.

An exam has no time to ask the learner about each verdict, so an answer gets one
final grade: the configured policy's (rules, then the model when one is set up).
When the model fails on an answer (load error, timeout, garbled reply, or any
unexpected error) the rules verdict stands and the grade is marked ``fallback``;
after `MAX_MODEL_FAILURES` failures in a row the model is no longer asked for
the rest of the exam, so a broken model cannot stall the result.
"""

from __future__ import annotations

import threading

from tutor.exam.model import NO_GRADER, QuestionGrade
from tutor.grading.base import GradeRequest, GradeResult
from tutor.grading.policy import VETO_NOTES, GradingPolicy
from tutor.grading.rules import ASK_LEARNER_NOTE, RulesGrader

#: Consecutive model failures after which an exam grades with rules only.
MAX_MODEL_FAILURES = 2
FALLBACK_SUFFIX = "rules verdict kept"


class ExamGrading:
    """One exam's grader. `grade` is thread-safe, runs one answer at a time, never raises."""

    def __init__(self, policy: GradingPolicy | None = None, *,
                 max_model_failures: int = MAX_MODEL_FAILURES) -> None:
        self.policy = policy or GradingPolicy(RulesGrader())
        self.max_model_failures = max(1, max_model_failures)
        self._lock = threading.Lock()
        self._failures = 0
        self._last_failure = ""

    @property
    def label(self) -> str:
        """What grades: 'rules' or the first refiner's name ('llm:<model>')."""
        return self.policy.refiners[0].name if self.policy.uses_model else "rules"

    @property
    def notes(self) -> tuple[str, ...]:
        """How the policy was set up (e.g. 'no model found; grading with rules')."""
        return self.policy.notes

    @property
    def model_given_up(self) -> str:
        """Why the model is no longer asked ('' while it is, or when none is configured)."""
        with self._lock:
            return self._last_failure if self._failures >= self.max_model_failures else ""

    def grade(self, request: GradeRequest) -> QuestionGrade:
        """The grade of ``request.answer`` (slow when a model is used: call from a worker)."""
        with self._lock:
            return self._grade(request)

    def _grade(self, request: GradeRequest) -> QuestionGrade:
        try:
            provisional = self.policy.provisional(request)
        except Exception as exc:  # noqa: BLE001 - an answer must always get a grade
            return QuestionGrade(
                answer=request.answer, score=0, grader=NO_GRADER, confidence=0.0, unsure=True,
                fallback=True, feedback=f"This answer could not be graded ({_short(exc)});"
                " dispute the grade if it deserves marks.", notes=("grading failed",))
        if not self.policy.uses_model or VETO_NOTES & set(provisional.notes):
            return _grade_of(request.answer, provisional)
        if self._failures >= self.max_model_failures:
            note = f"model not used after repeated failures ({self._last_failure}); {FALLBACK_SUFFIX}"
            return _grade_of(request.answer, provisional, fallback=True, extra=(note,))
        try:
            final = self.policy.refine(request, provisional)
        except Exception as exc:  # noqa: BLE001 - any model failure falls back to rules
            reason = _short(exc)
            self._failed(reason)
            return _grade_of(request.answer, provisional, fallback=True,
                             extra=(f"{reason}; {FALLBACK_SUFFIX}",))
        reason = fell_back(provisional, final)
        if reason:
            self._failed(reason)
            return _grade_of(request.answer, final, fallback=True)
        self._failures = 0
        return _grade_of(request.answer, final)

    def _failed(self, reason: str) -> None:
        self._failures += 1
        self._last_failure = reason.removesuffix(f"; {FALLBACK_SUFFIX}")


def fell_back(provisional: GradeResult, final: GradeResult) -> str:
    """The policy's reason when ``final`` is the rules verdict kept after a refiner failed."""
    if final.grader != provisional.grader:
        return ""
    for note in reversed(final.notes):
        if note.endswith(FALLBACK_SUFFIX):
            return note
    return ""


def _grade_of(answer: str, result: GradeResult, *, fallback: bool = False,
              extra: tuple[str, ...] = ()) -> QuestionGrade:
    notes = tuple(n for n in result.notes + extra if n != ASK_LEARNER_NOTE)
    return QuestionGrade(answer=answer, score=result.score, feedback=result.feedback,
                         grader=result.grader, confidence=result.confidence,
                         unsure=result.needs_learner, fallback=fallback, notes=notes)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
