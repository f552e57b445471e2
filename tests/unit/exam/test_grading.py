"""`ExamGrading`: a model that fails mid-exam leaves rules grades, marked as fallbacks."""

from __future__ import annotations

import threading

from tutor.exam import ExamGrading
from tutor.exam.grading import MAX_MODEL_FAILURES
from tutor.grading.base import GradeRequest, GradeResult, GradingError
from tutor.grading.policy import GradingPolicy
from tutor.grading.rules import RulesGrader

REQUEST = GradeRequest("Capital of France?", "Paris", "Paris, the French capital")


class ScriptedModel:
    """A refiner that answers, then fails the way it is told to."""

    name = "llm:scripted"

    def __init__(self, failures: list[BaseException | None]) -> None:
        self.failures = failures
        self.calls = 0
        self.active = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def grade(self, request: GradeRequest) -> GradeResult:
        with self._lock:
            self.active += 1
            self.most_at_once = max(self.most_at_once, self.active)
        try:
            failure = self.failures[self.calls] if self.calls < len(self.failures) else None
            self.calls += 1
            if failure is not None:
                raise failure
            return GradeResult(score=4, feedback="Model says: nearly.", grader=self.name,
                               confidence=0.8)
        finally:
            with self._lock:
                self.active -= 1


def grading_with(model: ScriptedModel) -> ExamGrading:
    return ExamGrading(GradingPolicy(RulesGrader(), [model]))


def test_a_working_model_decides_and_is_not_a_fallback() -> None:
    grading = grading_with(ScriptedModel([]))
    grade = grading.grade(REQUEST)
    assert grade.grader == "llm:scripted" and grade.score == 4
    assert not grade.fallback
    assert grading.label == "llm:scripted"


def test_model_failures_fall_back_to_rules_and_are_marked() -> None:
    model = ScriptedModel([None, GradingError("the model took longer than 8 s"),
                           RuntimeError("llama.cpp crashed")])
    grading = grading_with(model)
    assert not grading.grade(REQUEST).fallback
    timed_out = grading.grade(REQUEST)
    assert timed_out.fallback and timed_out.grader == "rules"
    assert any("took longer" in note for note in timed_out.notes)
    crashed = grading.grade(REQUEST)
    assert crashed.fallback and crashed.grader == "rules"
    assert any("llama.cpp crashed" in note for note in crashed.notes)
    assert crashed.score == RulesGrader().grade(REQUEST).score


def test_after_repeated_failures_the_model_is_not_asked_again() -> None:
    model = ScriptedModel([GradingError("cannot load model x.gguf")] * MAX_MODEL_FAILURES)
    grading = grading_with(model)
    for _ in range(MAX_MODEL_FAILURES):
        assert grading.grade(REQUEST).fallback
    assert "cannot load model" in grading.model_given_up
    later = grading.grade(REQUEST)
    assert later.fallback
    assert model.calls == MAX_MODEL_FAILURES
    assert any("not used after repeated failures" in note for note in later.notes)


def test_vetoed_answers_skip_the_model_without_a_fallback_mark() -> None:
    model = ScriptedModel([])
    grade = grading_with(model).grade(GradeRequest("Capital of France?", "Paris", "I don't know"))
    assert grade.score == 0 and not grade.fallback
    assert model.calls == 0


def test_rules_only_grading_never_falls_back() -> None:
    grade = ExamGrading().grade(REQUEST)
    assert grade.grader == "rules" and not grade.fallback
    assert ExamGrading().label == "rules"


def test_workers_grade_one_answer_at_a_time() -> None:
    model = ScriptedModel([])
    grading = grading_with(model)
    threads = [threading.Thread(target=grading.grade, args=(REQUEST,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert model.calls == 6
    assert model.most_at_once == 1
