"""Exam scores over time, drills from a report, and the Wilson interval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_history import NOW, History, deck

from tutor.report import (
    build_report,
    exam_results,
    topics_drill,
    weakest_drill,
    wilson_interval,
)
from tutor.report.drill import drill_topics
from tutor.schedule import build_drill_queue


def exam(exam_id: str, ended: str | None, score: float, max_score: float = 50, *,
         status: str = "final", decks: tuple[str, ...] = ("spanish",), version: int = 1) -> dict:
    return {
        "kind": "exam", "version": version, "status": status, "id": exam_id,
        "started": "2024-02-01T10:00:00+00:00", "ended": ended, "finalized": None,
        "decks": [{"key": key, "title": key.title()} for key in decks],
        "questions": [{"number": 1}],
        "result": {"score": score, "max_score": max_score, "percent": 0.0, "questions": 10,
                   "answered": 10, "correct": 5, "complete": True, "topics": []},
    }


def test_exam_scores_over_time_oldest_first() -> None:
    records = [
        exam("3", "2024-02-25T10:00:00+00:00", 45),
        exam("1", "2024-02-05T10:00:00+00:00", 20),
        exam("2", "2024-02-15T10:00:00+00:00", 30, decks=("french",)),
        exam("5", None, 10, status="in_progress"),           # still running: left out
        exam("6", "2024-02-26T10:00:00+00:00", 10, version=9),  # newer tutor: left out
        {"kind": "exam", "status": "final", "version": 1, "id": "7"},  # no result: left out
        {"something": "else"},
    ]
    results = exam_results(records)
    assert [r.exam_id for r in results] == ["1", "2", "3"]
    assert [r.score for r in results] == [0.4, 0.6, 0.9]
    assert results[0].title == "Spanish" and results[0].questions == 10
    assert [r.exam_id for r in exam_results(records, deck="french")] == ["2"]
    since = NOW.replace(month=2, day=10)
    assert [r.exam_id for r in exam_results(records, since=since)] == ["2", "3"]


def test_no_exams_is_normal() -> None:
    report = build_report([], {}, NOW)
    assert report.exams == ()
    assert exam_results([]) == []


def test_weakest_drill_takes_the_weak_topics_cards() -> None:
    spanish = deck("spanish", {"verbs": 3, "nouns": 3, "colours": 2})
    history = History()
    verbs = [c.id for c in spanish.cards if c.topic == "verbs"]
    nouns = [c.id for c in spanish.cards if c.topic == "nouns"]
    history.answers(verbs, [1, 1, 5, 1, 2, 1], NOW - timedelta(days=4), topic="verbs")
    history.answers(nouns, [5, 5, 5, 5, 5, 5], NOW - timedelta(days=4), topic="nouns")
    report = build_report(history.reviews, history.states, NOW, decks=[spanish])
    drill = weakest_drill(report, 3)
    assert drill is not None
    # nouns is ranked but was always right: nothing to drill there.
    assert drill.topics == (("spanish", "verbs"),)
    assert drill.card_ids == tuple(verbs)
    assert drill.title == "Drill: verbs" and drill.decks == ("spanish",)
    queue = build_drill_queue([spanish], history.states, NOW, include=drill.card_filter())
    assert sorted(item.card_id for item in queue.pending()) == sorted(verbs)
    both = drill_topics(report.weakest)
    assert set(both.card_ids) == set(verbs) | set(nouns)
    with pytest.raises(ValueError):
        weakest_drill(report, 0)


def test_no_ranked_topic_gives_no_drill() -> None:
    assert weakest_drill(build_report([], {}, NOW), 2) is None


def test_wilson_known_values() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 5)
    assert low == 0.0 and high == pytest.approx(0.4345, abs=1e-4)
    low, high = wilson_interval(6, 10)
    assert (low, high) == (pytest.approx(0.3127, abs=1e-4), pytest.approx(0.8318, abs=1e-4))
    low, high = wilson_interval(2, 2)
    assert low == pytest.approx(0.3424, abs=1e-4) and high == 1.0
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


@given(st.integers(min_value=1, max_value=5000), st.data())
def test_wilson_interval_contains_the_rate(answers: int, data: st.DataObject) -> None:
    correct = data.draw(st.integers(min_value=0, max_value=answers))
    low, high = wilson_interval(correct, answers)
    assert 0.0 <= low <= correct / answers <= high <= 1.0


def test_topics_drill_by_name_across_decks() -> None:
    spanish = deck("spanish", {"verbs": 2, "nouns": 1})
    french = deck("french", {"Verbs": 2, "food": 1})
    drill = topics_drill([spanish, french], ["VERBS", " food "])
    assert drill.topics == (("spanish", "verbs"), ("french", "Verbs"), ("french", "food"))
    assert drill.card_ids == ("spanish-verbs-1", "spanish-verbs-2", "french-Verbs-1",
                              "french-Verbs-2", "french-food-1")
    with pytest.raises(ValueError, match="no topic 'dance' in these decks"):
        topics_drill([spanish], ["verbs", "dance"])
    with pytest.raises(ValueError, match="name at least one topic"):
        topics_drill([spanish], [" "])
