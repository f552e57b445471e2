"""`GradingHead`: one small fitted model that turns the judge's log-odds and the rules'
signals into the verdict (whether the answer is correct, and its 0-5 score).

Inputs (`head_features`): the model judge's log-odds that the answer is correct, and what
the rules measured - the coverage score before and after their checks, key-point
coverage, main-point coverage, precision, a spelling slip, each check that fired
(contradiction, number, swapped roles or order, padding, substitution, formula), and for a
reference that is a list, the mean coverage of its items and the log-odds times how far short
of the list the answer's own points fall (the judge tends to say "yes" to half a list). The
checks are inputs here, not verdicts: the head learned how much each is worth next to
the model. Empty / "I don't know" answers, injection attempts and accepted alternatives
never reach it (they stay vetoes in `GradingPolicy`).

Outputs: logistic models of the ordinal score, one per level: p(score >= k) for k = 1..5;
the one for k = 3 is p(correct) and decides the side of the pass mark. The score is the
median of the score's distribution on that side (p(score >= 4 | correct) >= 1/2 gives at
least 4, and so on), so score, ``correct`` and the box move always agree. On the held-out
subjects this cut the score MAE from 0.75 (the rules' score on the same side, else a ridge
regression) to 0.52 at the same agreement. All are fitted on the team's corpus and chosen
on its held-out subjects by ``training/train_head.py`` (``make train-grader``), which
writes ``models/grader-head.json``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.errors import ModelError
from tutor.grading.base import MAX_SCORE, PASS_SCORE

if TYPE_CHECKING:
    from tutor.grading.rules import Verdict

DEFAULT_HEAD_PATH = Path(__file__).resolve().parent.parent.parent / "models" / "grader-head.json"
HEAD_FORMAT = 2
#: The score levels besides the pass mark that have their own logistic model (p(score >= k)).
LEVELS: tuple[int, ...] = (1, 2, 4, 5)
#: The judge's log-odds are clipped to this range (beyond it the model is just sure).
LOG_ODDS_CLIP = 8.0

#: Check kinds the rules report, grouped as the head sees them.
CHECK_GROUPS: dict[str, frozenset[str]] = {
    "contradiction": frozenset({"negation", "antonym"}),
    "number": frozenset({"number"}),
    "swap": frozenset({"swap", "order"}),
    "padding": frozenset({"padding"}),
    "substitution": frozenset({"substitution"}),
    "formula": frozenset({"formula"}),
}
FEATURES: tuple[str, ...] = (
    "log_odds", "rules_base", "rules_score", "coverage", "main", "precision", "typo",
    *(f"check_{name}" for name in CHECK_GROUPS),
    "list_coverage", "log_odds_x_list_short",
)


def head_features(log_odds: float, verdict: Verdict) -> list[float]:
    """The head's inputs, in `FEATURES` order."""
    kinds = {finding.kind for finding in verdict.findings}
    clipped = max(-LOG_ODDS_CLIP, min(LOG_ODDS_CLIP, log_odds))
    return [
        clipped,
        verdict.base / MAX_SCORE,
        verdict.score / MAX_SCORE,
        verdict.coverage,
        verdict.main,
        verdict.precision,
        1.0 if verdict.typo else 0.0,
        *(1.0 if kinds & group else 0.0 for group in CHECK_GROUPS.values()),
        verdict.list_coverage,
        clipped * verdict.list_short,
    ]


@dataclass(frozen=True)
class HeadVerdict:
    """What the head decided."""

    score: int
    p_correct: float

    @property
    def correct(self) -> bool:
        """True when the score passes."""
        return self.score >= PASS_SCORE


@dataclass(frozen=True)
class GradingHead:
    """Logistic models of p(score >= k) over `FEATURES`: the pass mark's, then `LEVELS`'."""

    classifier: tuple[float, ...]
    """p(score >= 3), i.e. p(correct): weights for the standardised features, then the intercept."""
    levels: tuple[tuple[float, ...], ...]
    """p(score >= k) for each k in `LEVELS`, weights laid out as in ``classifier``."""
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    info: dict

    def predict(self, features: list[float]) -> HeadVerdict:
        """The verdict for one feature row."""
        z = [(x - m) / s for x, m, s in zip(features, self.mean, self.scale)]
        p = _probability(self.classifier, z)
        at_least = dict(zip(LEVELS, (_probability(weights, z) for weights in self.levels)))
        if p >= 0.5:  # the median score given that the answer passes
            four = min(1.0, at_least[4] / p)
            five = min(four, at_least[5] / p)
            return HeadVerdict(5 if five >= 0.5 else 4 if four >= 0.5 else PASS_SCORE, p)
        fail = 1.0 - p  # ... given that it fails
        one = max(0.0, min(1.0, (at_least[1] - p) / fail))
        two = max(0.0, min(one, (at_least[2] - p) / fail))
        return HeadVerdict(2 if two >= 0.5 else 1 if one >= 0.5 else 0, p)

    def to_json(self) -> dict:
        """The stored form (``models/grader-head.json``)."""
        return {"format": HEAD_FORMAT, "features": list(FEATURES), "classifier": list(self.classifier),
                "levels": {str(k): list(w) for k, w in zip(LEVELS, self.levels)},
                "mean": list(self.mean), "scale": list(self.scale), "info": self.info}

    @classmethod
    def from_json(cls, data: dict) -> GradingHead:
        """Read the stored form; `ModelError` when it is not one this tutor can use."""
        try:
            if data["format"] != HEAD_FORMAT or tuple(data["features"]) != FEATURES:
                raise ModelError("the grading head was fitted for other features; run make train-grader")
            n = len(FEATURES)
            head = cls(tuple(map(float, data["classifier"])),
                       tuple(tuple(map(float, data["levels"][str(k)])) for k in LEVELS),
                       tuple(map(float, data["mean"])), tuple(map(float, data["scale"])),
                       dict(data.get("info", {})))
        except (KeyError, TypeError, ValueError):
            raise ModelError("the grading head file is damaged; run make train-grader") from None
        weights = (head.classifier, *head.levels)
        if (any(len(w) != n + 1 for w in weights) or len(head.mean) != n
                or len(head.scale) != n or any(s <= 0 for s in head.scale)
                or not all(math.isfinite(v) for v in (*head.mean, *head.scale,
                                                      *(x for w in weights for x in w)))):
            raise ModelError("the grading head file is damaged; run make train-grader")
        return head


def _probability(weights: tuple[float, ...], z: list[float]) -> float:
    """A logistic model's probability for standardised features ``z`` (intercept last)."""
    logit = sum(w * x for w, x in zip(weights, z)) + weights[-1]
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def load_head(path: Path = DEFAULT_HEAD_PATH) -> GradingHead:
    """The fitted head. Raises `ModelError` with one line."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"no grading head at {path}; run make train-grader") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the grading head {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ModelError("the grading head file is damaged; run make train-grader")
    return GradingHead.from_json(data)
