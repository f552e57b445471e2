"""Grading: the Grader protocol, its backends, and the policy that combines them."""

from tutor.grading.base import GradeRequest, GradeResult, Grader, GradingError

__all__ = ["GradeRequest", "GradeResult", "Grader", "GradingError"]
