"""`ExamGrading`: one exam's grading through the `GradingService`; a failing model falls back.

An exam has no time to ask the learner about each verdict, so an answer gets one
final grade: the service's (rules, then the model when one is set up). When the model
fails on an answer the rules verdict stands and the grade is marked ``fallback``;
after `MAX_MODEL_FAILURES` failures in a row the model is no longer asked for the rest
of this exam, so a broken model cannot stall the result.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from tutor.exam.model import NO_GRADER, QuestionGrade
from tutor.grading.base import GradeRequest, GradeResult, Grader
from tutor.grading.policy import GradingPolicy
from tutor.grading.service import GradingService
from tutor.logs import log_failure

#: Consecutive model failures after which an exam grades with rules only.
MAX_MODEL_FAILURES = 2


class ExamGrading:
    """One exam's grader. `grade` is thread-safe, runs one answer at a time, never raises."""

    def __init__(self, grading: GradingService | GradingPolicy | Grader | None = None, *,
                 max_model_failures: int = MAX_MODEL_FAILURES) -> None:
        """``grading``: the app's service (an exam shares its loaded model), a policy, one
        refining grader, or None for the rules alone."""
        self.service = GradingService.wrap(grading)
        self.max_model_failures = max(1, max_model_failures)
        self._lock = threading.Lock()
        self._failures = 0
        self._last_failure = ""

    @property
    def label(self) -> str:
        """What grades: 'rules' or the model's grader name ('llm:<model>')."""
        return self.service.model_name

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
            provisional = self.service.provisional(request)
        except Exception as exc:  # noqa: BLE001 - an answer must always get a grade
            reason = log_failure("an exam answer could not be graded", exc)
            return QuestionGrade(
                answer=request.answer, score=0, grader=NO_GRADER, confidence=0.0, unsure=True,
                fallback=True, feedback=f"This answer could not be graded ({reason});"
                " dispute the grade if it deserves marks.", notes=("grading failed",))
        if self._failures >= self.max_model_failures and provisional.veto is None \
                and self.service.policy.uses_model:
            reason = f"model not used after repeated failures ({self._last_failure})"
            return grade_of(request.answer, replace(provisional, fallback_reason=reason))
        final = self.service.refine(request, provisional)
        if final.fallback_reason:
            self._failures += 1
            self._last_failure = final.fallback_reason
        elif final is not provisional:
            self._failures = 0
        return grade_of(request.answer, final)


def grade_of(answer: str, result: GradeResult) -> QuestionGrade:
    """The exam's record of ``result``: a fallback is marked and its note kept for people."""
    notes = result.notes + ((result.fallback_note,) if result.fallback_reason else ())
    return QuestionGrade(answer=answer, score=result.score, feedback=result.feedback,
                         grader=result.grader, confidence=result.confidence,
                         unsure=result.needs_learner, fallback=result.fallback_reason is not None,
                         notes=notes)
