"""`GradingHead`: the score is the median level on the side of the pass mark the verdict chose."""

from __future__ import annotations

import json
import math
import random

import pytest

from tutor.errors import ModelError
from tutor.grading.head import DEFAULT_HEAD_PATH, FEATURES, LEVELS, GradingHead, load_head

N = len(FEATURES)
LOG_ODDS, RULES_SCORE = FEATURES.index("log_odds"), FEATURES.index("rules_score")


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def head(**at_least: float) -> GradingHead:
    """p(correct) follows the log-odds; p(score >= k) is ``at_least['k<k>']`` whatever the input."""
    classifier = tuple(1.0 if i == LOG_ODDS else 0.0 for i in range(N)) + (0.0,)
    levels = tuple((0.0,) * N + (logit(at_least[f"k{k}"]),) for k in LEVELS)
    return GradingHead(classifier, levels, (0.0,) * N, (1.0,) * N, {})


def row(log_odds: float, rules_score: int) -> list[float]:
    features = [0.0] * N
    features[LOG_ODDS], features[RULES_SCORE] = log_odds, rules_score / 5
    return features


@pytest.mark.parametrize(("log_odds", "k1", "k2", "k4", "k5", "expected"), [
    (3.0, 0.99, 0.98, 0.90, 0.20, 4),   # passes; p(>= 4 | pass) ~ 0.94, p(5 | pass) ~ 0.21
    (3.0, 0.99, 0.98, 0.90, 0.80, 5),
    (3.0, 0.99, 0.98, 0.30, 0.10, 3),
    (3.0, 0.99, 0.98, 0.99, 0.99, 5),   # level models above p(correct): capped, still 5
    (-3.0, 0.90, 0.70, 0.01, 0.01, 2),  # fails; p(>= 1 | fail) ~ 0.9, p(2 | fail) ~ 0.69
    (-3.0, 0.90, 0.20, 0.01, 0.01, 1),
    (-3.0, 0.30, 0.10, 0.01, 0.01, 0),
    (-3.0, 0.01, 0.01, 0.01, 0.01, 0),  # level models below p(correct): 0, not negative
])
def test_the_score_is_the_median_on_the_side_of_the_verdict(
        log_odds: float, k1: float, k2: float, k4: float, k5: float, expected: int) -> None:
    verdict = head(k1=k1, k2=k2, k4=k4, k5=k5).predict(row(log_odds, 0))
    assert verdict.score == expected and verdict.correct == (log_odds > 0)


def test_score_and_verdict_agree_for_any_weights() -> None:
    """Whatever the level models say (even out of order), score >= 3 exactly when p >= 1/2."""
    rng = random.Random(7)
    for _ in range(300):
        weights = [tuple(rng.uniform(-3, 3) for _ in range(N + 1)) for _ in range(1 + len(LEVELS))]
        fitted = GradingHead(weights[0], tuple(weights[1:]), (0.0,) * N, (1.0,) * N, {})
        verdict = fitted.predict([rng.uniform(-2, 2) for _ in range(N)])
        assert 0 <= verdict.score <= 5 and verdict.correct == (verdict.p_correct >= 0.5)


def test_a_head_of_the_old_format_asks_for_a_refit() -> None:
    data = load_head().to_json()
    data["format"] = 1
    with pytest.raises(ModelError, match="run make train-grader$"):
        GradingHead.from_json(data)
    assert GradingHead.from_json(load_head().to_json()).levels == load_head().levels


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


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_scale_that_is_not_a_number_is_damage(tmp_path, value: float) -> None:
    # json reads NaN and Infinity; a NaN scale made every logit NaN, which the clip turned
    # into "surely correct": every answer 5/5.
    data = load_head().to_json()
    data["scale"][0] = value
    broken = tmp_path / "head.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="^the grading head file is damaged; run make train-grader$"):
        load_head(broken)
