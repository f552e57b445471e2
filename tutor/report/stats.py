"""Small statistics for the report: accuracy with a Wilson confidence interval."""

from __future__ import annotations

import math
from dataclasses import dataclass

#: z for a two-sided 95% interval.
Z95 = 1.959964


def wilson_interval(correct: int, answers: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``correct`` successes out of ``answers`` (0.0-1.0).

    Unlike the plain ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and is honest
    for few answers: 2 of 2 right gives about 0.34-1.00, not 1.00-1.00.
    No answers give the whole range (0.0, 1.0).
    """
    if answers <= 0:
        return (0.0, 1.0)
    if not 0 <= correct <= answers:
        raise ValueError("correct must be between 0 and answers")
    p = correct / answers
    z2 = z * z
    denominator = 1 + z2 / answers
    centre = (p + z2 / (2 * answers)) / denominator
    spread = z * math.sqrt(p * (1 - p) / answers + z2 / (4 * answers * answers)) / denominator
    # Rounding must not push the rate itself outside (e.g. 19 of 19 -> high 0.9999999).
    return (max(0.0, min(p, centre - spread)), min(1.0, max(p, centre + spread)))


@dataclass(frozen=True)
class Accuracy:
    """Right answers out of all answers in some period; no rate when there were none."""

    answers: int = 0
    correct: int = 0

    @property
    def wrong(self) -> int:
        """Answers that failed (score below 3)."""
        return self.answers - self.correct

    @property
    def rate(self) -> float | None:
        """Share right, 0.0-1.0; None without answers (never NaN)."""
        return self.correct / self.answers if self.answers else None

    @property
    def interval(self) -> tuple[float, float] | None:
        """The 95% Wilson interval of `rate`; None without answers."""
        return wilson_interval(self.correct, self.answers) if self.answers else None

    @property
    def upper(self) -> float:
        """The interval's upper end: the best accuracy these answers still allow (1.0 if none)."""
        return wilson_interval(self.correct, self.answers)[1]

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.answers + other.answers, self.correct + other.correct)
