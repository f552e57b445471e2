"""Per-topic, per-deck and per-card numbers; what counts and what does not."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from report_history import NOW, History, deck

from tutor.report import build_report
from tutor.schedule import FixedClock

SPANISH = deck("spanish", {"verbs": 5, "nouns": 2})
FRENCH = deck("french", {"verbs": 3})


def boxes_history() -> History:
    history = History()
    when = NOW - timedelta(days=12)
    plan = {
        "spanish-verbs-1": [5, 5, 5],          # box 4
        "spanish-verbs-2": [5, 5, 5, 5],       # box 5
        "spanish-verbs-3": [5, 2],             # box 2, then a lapse: box 1
        "spanish-verbs-4": [1],                # box 1 (a first answer is no lapse)
    }
    times = {"spanish-verbs-1": 2000, "spanish-verbs-2": 4000, "spanish-verbs-3": 0,
             "spanish-verbs-4": 9000}
    for card_id, scores in plan.items():
        for score in scores:
            history.answer(card_id, score, when, topic="verbs", response_ms=times[card_id])
            when += timedelta(days=1)
    return history


def test_topic_numbers() -> None:
    history = boxes_history()
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    verbs = report.topic("spanish", "verbs")
    assert verbs is not None
    stats = verbs.stats
    assert (stats.cards, stats.new) == (5, 1)
    assert stats.boxes == (2, 0, 0, 1, 1)
    assert stats.mastered == 2 and stats.mastery == pytest.approx(0.4)
    assert (stats.answers, stats.correct) == (10, 8)
    assert stats.mean_score == pytest.approx(43 / 10)
    assert stats.lapses == 1
    # spanish-verbs-3 was not timed (0 ms): the mean is over the 8 timed answers.
    assert stats.avg_response_s == pytest.approx((3 * 2 + 4 * 4 + 9) / 8)
    assert stats.last_reviewed == NOW - timedelta(days=12) + timedelta(days=9)
    nouns = report.topic("spanish", "nouns")
    assert nouns is not None and nouns.stats.new == 2 and nouns.reason == "not studied yet"
    assert nouns.stats.mean_score is None and nouns.stats.avg_response_s is None
    deck_stats = report.decks[0].stats
    assert (report.decks[0].deck, report.decks[0].title) == ("spanish", "Spanish")
    assert (deck_stats.cards, deck_stats.new, deck_stats.answers) == (7, 3, 10)
    assert report.totals.mastery == pytest.approx(2 / 7)


def test_card_report_holds_the_history() -> None:
    history = boxes_history()
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    card = report.cards["spanish-verbs-3"]
    assert [r.score for r in card.history] == [5, 2]
    assert (card.box, card.last_score, card.fails, card.lapses) == (1, 2, 1, 1)
    assert card.front == "verbs question 3"
    fresh = report.cards["spanish-verbs-5"]
    assert fresh.box is None and fresh.last_score is None and fresh.history == ()
    topic = report.topic("spanish", "verbs")
    assert topic is not None
    order = [c.card_id for c in report.cards_of(topic)]
    assert order[0] in ("spanish-verbs-3", "spanish-verbs-4") and order[-1] == "spanish-verbs-5"


def test_since_drops_older_answers_but_not_boxes() -> None:
    history = boxes_history()
    since = NOW - timedelta(days=5)
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH], since=since)
    stats = report.topic("spanish", "verbs").stats  # type: ignore[union-attr]
    assert stats.answers == 3  # days 7, 8, 9 of the plan
    assert stats.boxes == (2, 0, 0, 1, 1)
    naive = build_report(history.reviews, history.states, NOW, decks=[SPANISH],
                         since=since.replace(tzinfo=None))
    assert naive.totals.answers == 3


def test_deck_filter_and_topics_per_deck() -> None:
    history = boxes_history()
    history.answers(["french-verbs-1"], [1, 1], NOW - timedelta(days=1), deck="french",
                    topic="verbs")
    both = build_report(history.reviews, history.states, NOW, decks=[SPANISH, FRENCH])
    assert both.multi_deck
    assert both.topic("french", "verbs").stats.answers == 2  # type: ignore[union-attr]
    assert both.topic("spanish", "verbs").stats.answers == 10  # type: ignore[union-attr]
    french = build_report(history.reviews, history.states, NOW, decks=[SPANISH, FRENCH],
                          deck="french")
    assert [d.deck for d in french.decks] == ["french"]
    assert [t.key for t in french.topics] == [("french", "verbs")]
    assert french.totals.answers == 2 and french.totals.cards == 3


def test_history_of_decks_not_loaded_is_kept_and_deleted_cards_are_not() -> None:
    history = History()
    history.answers(["g1", "g2"], [1, 5, 1, 5, 1], NOW - timedelta(days=3), deck="german",
                    topic="cases")
    history.answer("spanish-removed-1", 0, NOW - timedelta(days=2), topic="verbs")
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    cases = report.topic("german", "cases")
    assert cases is not None and cases.stats.answers == 5 and cases.stats.cards == 2
    assert report.cards["g1"].front == ""
    assert "spanish-removed-1" not in report.cards
    assert report.topic("spanish", "verbs").stats.answers == 0  # type: ignore[union-attr]
    assert {d.deck for d in report.decks} == {"spanish", "german"}


def test_now_may_be_a_clock_and_later_answers_are_ignored() -> None:
    history = boxes_history()
    history.answer("spanish-nouns-1", 1, NOW + timedelta(hours=1), topic="nouns")
    with_clock = build_report(history.reviews, history.states, FixedClock(NOW), decks=[SPANISH])
    assert with_clock.now == NOW
    assert with_clock.totals.answers == 10
    with pytest.raises(ValueError):
        build_report([], {}, datetime(2024, 3, 1, 9, 0), decks=[SPANISH])


def test_timelines() -> None:
    history = History()
    history.answers(["spanish-verbs-1"], [5, 1, 5], NOW - timedelta(hours=2),
                    timedelta(minutes=30), topic="verbs")
    history.answer("spanish-verbs-2", 1, NOW - timedelta(days=2), topic="verbs")
    history.answer("spanish-verbs-3", 5, NOW - timedelta(days=40), topic="verbs")
    report = build_report(history.reviews, history.states, NOW, decks=[SPANISH])
    assert len(report.daily) == 30
    today = report.daily[-1]
    assert today.start == datetime(2024, 3, 1, tzinfo=timezone.utc)
    assert (today.accuracy.answers, today.accuracy.correct) == (3, 2)
    assert report.daily[-3].accuracy.answers == 1 and report.daily[-3].accuracy.rate == 0.0
    assert report.daily[-2].accuracy.rate is None
    assert sum(p.accuracy.answers for p in report.daily) == 4  # the 40-day-old one is out
    assert len(report.weekly) == 12 and report.weekly[-1].end == NOW
    assert report.weekly[-1].accuracy.answers == 4
    assert report.weekly[-6].accuracy.answers == 1  # 40 days ago: 6th week back


def test_empty_history_has_no_nan_and_says_so() -> None:
    report = build_report([], {}, NOW, decks=[SPANISH])
    assert report.empty
    assert report.empty_message.startswith("No reviews yet")
    assert report.totals.accuracy is None and report.totals.recent.rate is None
    assert report.totals.mastery == 0.0
    assert report.weakest == ()
    assert all(t.reason == "not studied yet" for t in report.topics)
    nothing = build_report([], {}, NOW)
    assert nothing.empty and nothing.totals.cards == 0 and nothing.totals.mastery == 0.0
    since = build_report([], {}, NOW, since=NOW - timedelta(days=7), deck="spanish")
    assert since.empty_message == ("No reviews in deck 'spanish' since 2024-02-23: nothing to"
                                   " report for that period.")
