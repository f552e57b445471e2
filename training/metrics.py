"""Grading metrics for the head trainer (`train_head.py`).

Every function takes parallel lists: the labelled items (dicts with ``score``,
``correct``, ``kind``) and the predicted scores 0-5 (correct = score >= 3).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

PASS_SCORE = 3


@dataclass(frozen=True)
class Summary:
    """Agreement with the human labels over one set of items."""

    n: int
    accuracy: float
    macro_f1: float
    mae: float
    per_kind: dict[str, tuple[int, int]]
    """kind -> (items right, items)."""

    def row(self) -> str:
        """``acc  macroF1  MAE`` formatted for a table."""
        return f"{self.accuracy:6.3f} {self.macro_f1:7.3f} {self.mae:6.2f}"


def macro_f1(truth: list[bool], predicted: list[bool]) -> float:
    """Mean of the F1 scores of the 'correct' and 'wrong' classes."""
    scores = []
    for positive in (True, False):
        tp = sum(t == positive and p == positive for t, p in zip(truth, predicted))
        fp = sum(t != positive and p == positive for t, p in zip(truth, predicted))
        fn = sum(t == positive and p != positive for t, p in zip(truth, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 2


def summarise(items: list[dict], scores: list[int]) -> Summary:
    """Accuracy of the correct/wrong verdict, its macro-F1, score MAE and per-kind accuracy."""
    if len(items) != len(scores):
        raise ValueError("items and scores differ in length")
    if not items:
        return Summary(0, 0.0, 0.0, 0.0, {})
    truth = [bool(item["correct"]) for item in items]
    predicted = [score >= PASS_SCORE for score in scores]
    right = [t == p for t, p in zip(truth, predicted)]
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, ok in zip(items, right):
        per_kind[item["kind"]][0] += ok
        per_kind[item["kind"]][1] += 1
    return Summary(
        n=len(items),
        accuracy=sum(right) / len(items),
        macro_f1=macro_f1(truth, predicted),
        mae=sum(abs(int(item["score"]) - s) for item, s in zip(items, scores)) / len(items),
        per_kind={kind: (ok, n) for kind, (ok, n) in sorted(per_kind.items())},
    )

