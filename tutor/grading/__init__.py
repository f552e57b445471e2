"""Grading: the Grader protocol, its backends, and the policy that combines them.

- `RulesGrader` (tutor.grading.rules): key-point coverage with vetoes; always available.
- `LlamaCppGrader` (tutor.grading.llamacpp): any GGUF model through llama-cpp-python.
- `ServerGrader` (tutor.grading.server): any OpenAI-compatible chat endpoint.
- `GradingPolicy` (tutor.grading.policy): rules first, refiners after, vetoes and fallbacks.
- `build_grader(settings)` (tutor.grading.factory): the policy the settings ask for.
"""

from importlib import import_module
from typing import Any

from tutor.grading.base import GradeRequest, GradeResult, Grader, GradingError

#: Heavier parts, imported on first use (so `tutor.grading.modelfile` stays cheap for the CLI).
_LAZY = {
    "build_grader": "tutor.grading.factory",
    "GradingPolicy": "tutor.grading.policy",
    "LlamaCppGrader": "tutor.grading.llamacpp",
    "RulesGrader": "tutor.grading.rules",
    "ServerGrader": "tutor.grading.server",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tutor.grading' has no attribute {name!r}")

__all__ = [
    "GradeRequest",
    "GradeResult",
    "Grader",
    "GradingError",
    "GradingPolicy",
    "LlamaCppGrader",
    "RulesGrader",
    "ServerGrader",
    "build_grader",
]
