"""`GradingHead`: score and verdict always on the same side of the pass mark."""

from __future__ import annotations

import json

import pytest

from tutor.errors import ModelError
from tutor.grading.head import DEFAULT_HEAD_PATH, FEATURES, GradingHead, load_head

N = len(FEATURES)
LOG_ODDS, RULES_SCORE = FEATURES.index("log_odds"), FEATURES.index("rules_score")


def head(regressed: float) -> GradingHead:
    """p(correct) follows the log-odds; the regression says ``regressed`` whatever the input."""
    classifier = tuple(1.0 if i == LOG_ODDS else 0.0 for i in range(N)) + (0.0,)
    return GradingHead(classifier, (0.0,) * N + (regressed,), (0.0,) * N, (1.0,) * N, {})


def row(log_odds: float, rules_score: int) -> list[float]:
    features = [0.0] * N
    features[LOG_ODDS], features[RULES_SCORE] = log_odds, rules_score / 5
    return features


@pytest.mark.parametrize(("log_odds", "rules_score", "regressed", "expected"), [
    (3.0, 4, 1.0, 4),    # both pass: the rules' score stands
    (-3.0, 1, 4.0, 1),   # both fail: the rules' score stands
    (3.0, 0, 1.0, 3),    # the head passes what the rules failed: at least 3
    (3.0, 0, 4.6, 5),
    (-3.0, 5, 4.0, 2),   # the head fails what the rules passed: at most 2
    (-3.0, 5, 0.2, 0),
])
def test_score_follows_the_verdict(log_odds: float, rules_score: int, regressed: float,
                                   expected: int) -> None:
    verdict = head(regressed).predict(row(log_odds, rules_score))
    assert verdict.score == expected and verdict.correct == (log_odds > 0)


def test_the_shipped_head_loads_and_a_damaged_one_is_one_line(tmp_path) -> None:
    shipped = load_head()
    assert shipped.info["figures"]["validation"]["n"] >= 600
    data = json.loads(DEFAULT_HEAD_PATH.read_text(encoding="utf-8"))
    data["scale"][0] = 0.0
    broken = tmp_path / "head.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="^the grading head file is damaged; run make train-grader$"):
        load_head(broken)
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read the grading head"):
        load_head(broken)
