"""The report over a real StudyStore file on disk."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from report_history import NOW, deck

from tutor.report import report_from_store
from tutor.schedule import LeitnerScheduler
from tutor.store import StudyStore


def test_report_from_a_real_store(tmp_path: Path) -> None:
    spanish = deck("spanish", {"verbs": 3, "nouns": 2})
    scheduler = LeitnerScheduler()
    folder = tmp_path / "profile"
    with StudyStore(folder) as store:
        when = NOW - timedelta(days=6)
        for index, score in enumerate([1, 1, 2, 5, 1, 0, 1]):
            card_id = f"spanish-verbs-{index % 3 + 1}"
            state = store.state(card_id) or scheduler.new_state(card_id, "spanish")
            outcome = scheduler.review(state, score, when, topic="verbs", response_ms=3000)
            store.record_review(outcome.review, outcome.state)
            when += timedelta(hours=7)
        store.save_exam({"kind": "exam", "version": 1, "status": "final",
                         "ended": (NOW - timedelta(days=1)).isoformat(),
                         "decks": [{"key": "spanish", "title": "Spanish"}],
                         "questions": [{}],
                         "result": {"score": 12, "max_score": 20, "questions": 4}})
    with StudyStore(folder) as store:  # reopened: read back from the files
        report = report_from_store(store, NOW, decks=[spanish])
    verbs = report.topic("spanish", "verbs")
    assert verbs is not None and verbs.rank == 1
    assert verbs.reason == "6 of the last 7 answers wrong"
    assert report.totals.answers == 7
    assert [round(e.score or 0, 2) for e in report.exams] == [0.6]
    assert report.exams[0].exam_id != ""
