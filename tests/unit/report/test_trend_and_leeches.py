"""Trend (this week against the previous one) and leeches, on constructed histories."""

from __future__ import annotations

from datetime import timedelta

import pytest
from report_history import NOW, History, deck

from tutor.report import build_report

TOPICS = deck("bio", {"cells": 8})
CARDS = [card.id for card in TOPICS.cards]
STEP = timedelta(hours=1)


def trend_of(previous: list[int], this_week: list[int]):
    history = History()
    history.answers(CARDS, previous, NOW - timedelta(days=10), STEP, deck="bio", topic="cells")
    history.answers(CARDS, this_week, NOW - timedelta(days=3), STEP, deck="bio", topic="cells")
    report = build_report(history.reviews, history.states, NOW, decks=[TOPICS])
    topic = report.topic("bio", "cells")
    assert topic is not None
    return topic


def test_trend_up_is_detected() -> None:
    topic = trend_of([1, 1, 5, 1, 1, 5, 1, 1], [5, 5, 5, 4, 5, 5, 1, 5])
    trend = topic.stats.trend
    assert trend.previous_week.answers == 8 and trend.previous_week.correct == 2
    assert trend.this_week.answers == 8 and trend.this_week.correct == 7
    assert trend.direction == "up"
    assert trend.change == pytest.approx(0.625)
    assert "better this week: 25% -> 88%" in topic.reason


def test_trend_down_is_detected() -> None:
    topic = trend_of([5, 5, 5, 4, 5, 5, 1, 5], [1, 1, 5, 1, 1, 5, 1, 1])
    assert topic.stats.trend.direction == "down"
    assert topic.stats.trend.change == pytest.approx(-0.625)
    assert "worse this week: 88% -> 25%" in topic.reason


def test_small_change_is_flat() -> None:
    topic = trend_of([5, 5, 1, 5, 5, 1, 5, 5], [5, 1, 5, 5, 5, 1, 5, 5])
    assert topic.stats.trend.direction == "flat"
    assert topic.stats.trend.change == pytest.approx(0.0)
    assert "this week" not in topic.reason


def test_exactly_fifteen_points_counts_as_a_change() -> None:
    topic = trend_of([5] * 6 + [1] * 4, [5] * 15 + [1] * 5)  # 60% -> 75%
    assert topic.stats.trend.direction == "up"


def test_too_few_answers_give_an_unknown_trend() -> None:
    topic = trend_of([1, 1, 1, 1, 1, 1], [5, 5, 5])
    assert topic.stats.trend.direction == "unknown"
    assert topic.stats.trend.change == pytest.approx(1.0)  # known, but not enough to call


def test_a_card_failed_four_times_is_a_leech() -> None:
    history = History()
    when = NOW - timedelta(days=20)
    for score in (1, 4, 2, 5, 0, 1):  # four fails
        history.answer(CARDS[0], score, when, deck="bio", topic="cells")
        when += timedelta(days=1)
    for score in (1, 2, 1, 5):  # three fails
        history.answer(CARDS[1], score, when, deck="bio", topic="cells")
        when += timedelta(days=1)
    report = build_report(history.reviews, history.states, NOW, decks=[TOPICS])
    assert [card.card_id for card in report.leeches] == [CARDS[0]]
    leech = report.leeches[0]
    assert (leech.fails, leech.answers, leech.leech) == (4, 6, True)
    assert report.cards[CARDS[1]].leech is False
    assert report.topic("bio", "cells").stats.leeches == 1  # type: ignore[union-attr]
    assert report.totals.leeches == 1


def test_relearning_steps_are_not_fresh_fails() -> None:
    history = History()
    when = NOW - timedelta(days=5)
    for _ in range(3):
        history.answer(CARDS[2], 1, when, deck="bio", topic="cells")
        history.answer(CARDS[2], 1, when + timedelta(minutes=2), deck="bio", topic="cells",
                       mode="relearn")
        when += timedelta(days=1)
    report = build_report(history.reviews, history.states, NOW, decks=[TOPICS])
    card = report.cards[CARDS[2]]
    assert card.fails == 3 and card.leech is False
    assert len(card.history) == 6  # the history shows every step
    assert report.totals.answers == 3


def test_leeches_are_sorted_most_failed_first() -> None:
    history = History()
    when = NOW - timedelta(days=25)
    for card_id, fails in ((CARDS[3], 4), (CARDS[4], 6), (CARDS[5], 5)):
        for _ in range(fails):
            history.answer(card_id, 0, when, deck="bio", topic="cells")
            when += timedelta(hours=6)
    report = build_report(history.reviews, history.states, NOW, decks=[TOPICS])
    assert [(c.card_id, c.fails) for c in report.leeches] == [
        (CARDS[4], 6), (CARDS[5], 5), (CARDS[3], 4)]
