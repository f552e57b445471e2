"""The grading contract: a `Grader` turns a `GradeRequest` into a `GradeResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

#: A score at or above this is a correct answer.
PASS_SCORE = 3
MAX_SCORE = 5
#: The words for a passing score: the verdict line's, and the lead of every grader's feedback
#: ("Correct" only for a 5, or a 4 whose only fault is a spelling slip).
PASS_WORDS = {5: "Correct", 4: "Mostly right", 3: "Partly right"}

Veto = Literal["idk", "injection", "alternative"]
"""Why a verdict is final, whatever a model says: an empty or "I don't know" answer, an
answer that talks to the grader, a match with one of the card's accepted answers."""

CheckKind = Literal["negation", "antonym", "number", "swap", "order", "padding",
                    "substitution", "formula"]
"""A rules check that fired on an answer (see the README's table of vetoes)."""

#: What follows a fallback's reason when it is told to people.
FALLBACK_KEPT = "rules verdict kept"


@dataclass(frozen=True)
class GradeRequest:
    """What is graded: the card's question and reference, and the learner's answer."""

    question: str
    reference: str
    answer: str
    alternatives: tuple[str, ...] = ()
    """Other accepted answers for this card (from the deck or the learner's overrides)."""


@dataclass(frozen=True)
class GradeResult:
    """A verdict: score 0-5 (correct when >= 3), how sure, and feedback to act on."""

    score: int
    feedback: str
    grader: str
    """Which grader decided: 'rules', 'llm:<model>', 'server:<model>', 'override', ..."""
    confidence: float = 1.0
    matched: tuple[str, ...] = ()
    """Key points of the reference that the answer covers."""
    missing: tuple[str, ...] = ()
    """Key points of the reference that the answer lacks."""
    veto: Veto | None = None
    """Set when this verdict is final: no model is asked, none may change it."""
    checks: tuple[CheckKind, ...] = ()
    """The rules checks that fired (sorted): what lowered the score, for programs."""
    fallback_reason: str | None = None
    """Set when a model was asked and failed: why. The verdict is then the rules' one, kept."""
    notes: tuple[str, ...] = ()
    """Sentences for people beyond the feedback (e.g. 'rules said 2, llm:x said 4')."""
    needs_learner: bool = False
    """The grader is unsure: the UI should ask the learner to judge."""
    slips: tuple[tuple[str, str], ...] = ()
    """Spelling slips, as (answer word, reference word), set only when they are all that is
    wrong: a 4 with slips is "correct, with a slip"; a 4 without is mostly right."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", clamp_score(self.score))
        object.__setattr__(self, "confidence", clamp_confidence(self.confidence))

    @property
    def correct(self) -> bool:
        """True when the score passes (>= 3)."""
        return self.score >= PASS_SCORE

    @property
    def fallback_note(self) -> str:
        """The fallback told to people ('llm:x: timed out; rules verdict kept'), '' if none."""
        return f"{self.fallback_reason}; {FALLBACK_KEPT}" if self.fallback_reason else ""

    def to_json(self) -> dict[str, object]:
        """The `tutor grade` output object."""
        return {
            "score": self.score,
            "correct": self.correct,
            "feedback": self.feedback,
            "grader": self.grader,
            "confidence": round(self.confidence, 3),
        }


@runtime_checkable
class Grader(Protocol):
    """Anything that grades. Implementations must be safe to call from a worker thread."""

    name: str

    def grade(self, request: GradeRequest) -> GradeResult:
        """Grade one answer. May raise `GradingError` (the policy then falls back)."""
        ...


class GradingError(Exception):
    """A grader could not produce a verdict (model failed, timed out, garbled reply)."""


def clamp_score(score: float) -> int:
    """A score as a whole number on the 0-5 scale."""
    return max(0, min(MAX_SCORE, int(score)))


def clamp_confidence(confidence: float) -> float:
    """A confidence within 0.0-1.0."""
    return max(0.0, min(1.0, float(confidence)))
