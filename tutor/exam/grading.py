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
from dataclasses import replace

from tutor.exam.model import NO_GRADER, QuestionGrade
from tutor.errors import one_line
from tutor.grading.base import GradeRequest, GradeResult
from tutor.grading.policy import GradingPolicy
from tutor.grading.rules import RulesGrader

#: Consecutive model failures after which an exam grades with rules only.
MAX_MODEL_FAILURES = 2


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
                fallback=True, feedback=f"This answer could not be graded ({one_line(exc)});"
                " dispute the grade if it deserves marks.", notes=("grading failed",))
        if not self.policy.uses_model or provisional.veto is not None:
            return _grade_of(request.answer, provisional)
        if self._failures >= self.max_model_failures:
            reason = f"model not used after repeated failures ({self._last_failure})"
            return _grade_of(request.answer, replace(provisional, fallback_reason=reason))
        try:
            final = self.policy.refine(request, provisional)
        except Exception as exc:  # noqa: BLE001 - any model failure falls back to rules
            final = replace(provisional, fallback_reason=one_line(exc))
        if final.fallback_reason:
            self._failures += 1
            self._last_failure = final.fallback_reason
        else:
            self._failures = 0
        return _grade_of(request.answer, final)


def _grade_of(answer: str, result: GradeResult) -> QuestionGrade:
    """The exam's record of ``result``: a fallback is marked and its note kept for people."""
    notes = result.notes + ((result.fallback_note,) if result.fallback_reason else ())
    return QuestionGrade(answer=answer, score=result.score, feedback=result.feedback,
                         grader=result.grader, confidence=result.confidence,
                         unsure=result.needs_learner, fallback=result.fallback_reason is not None,
                         notes=notes)
