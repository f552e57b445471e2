"""The rules' list signals the grading head reads: how much of a listed reference an answer
covers, and how far short of the list its own points fall (cards made up for these tests)."""

from __future__ import annotations

import pytest

from tutor.grading.head import FEATURES, LOG_ODDS_CLIP, head_features
from tutor.grading.rules import RulesGrader

SEASONS = ("Name the four seasons.", "Spring, summer, autumn, winter")
COLOURS = ("Name three primary colours of light.", "Red, green and blue")
THERMOSTAT = ("What does a thermostat do?",
              "It keeps a room at a set temperature by switching the heating on and off.")


@pytest.mark.parametrize(("card", "answer", "coverage", "short"), [
    (SEASONS, "spring, summer, autumn and winter", 1.0, 0.0),
    (SEASONS, "summer, winter", 0.5, 0.5),         # half the list
    (SEASONS, "apples, pears", 0.0, 0.5),          # two points, neither one of the seasons
    (COLOURS, "red", 1 / 3, 2 / 3),                # the question asks for three
    (THERMOSTAT, "keeps the temperature steady", 0.0, 0.0),  # not a list: both 0
])
def test_list_coverage_and_shortfall(card: tuple[str, str], answer: str, coverage: float,
                                     short: float) -> None:
    verdict = RulesGrader().assess(*card, answer)
    assert verdict.list_coverage == pytest.approx(coverage)
    assert verdict.list_short == pytest.approx(short)


def test_the_head_sees_list_coverage_and_the_log_odds_scaled_by_the_shortfall() -> None:
    verdict = RulesGrader().assess(*SEASONS, "summer, winter")
    features = dict(zip(FEATURES, head_features(3.0, verdict)))
    assert features["list_coverage"] == pytest.approx(0.5)
    assert features["log_odds_x_list_short"] == pytest.approx(1.5)
    sure = dict(zip(FEATURES, head_features(50.0, verdict)))
    assert sure["log_odds_x_list_short"] == pytest.approx(LOG_ODDS_CLIP * 0.5)  # clipped first
