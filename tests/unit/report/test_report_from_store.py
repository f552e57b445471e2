"""The report over a real StudyStore file on disk."""

from __future__ import annotations

import random
from datetime import timedelta, timezone
from pathlib import Path

from report_history import NOW, deck

from tutor.report import build_report, report_from_store, report_to_json
from tutor.schedule import LeitnerScheduler
from tutor.schedule.model import ReviewSummary
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


def test_light_records_give_the_same_report_as_full_reviews(tmp_path: Path) -> None:
    """`report_from_store` reads `review_summaries` (fast); the numbers are those of the full
    `Review`s, in any time zone and with ``since``, over a history longer than the snapshot."""
    spanish = deck("spanish", {"verbs": 6, "nouns": 6, "colours": 4})
    cards = [card.id for card in spanish.cards]
    scheduler = LeitnerScheduler()
    rng = random.Random(5)
    states = {}
    outcomes = []
    when = NOW - timedelta(days=120)
    for _ in range(1500):  # more than the 1,000 answers study.json keeps
        card_id = rng.choice(cards)
        state = states.get(card_id) or scheduler.new_state(card_id, "spanish")
        mode = rng.choice(["due", "due", "relearn", "practice"])
        outcome = scheduler.review(state, rng.randint(0, 5), when, mode=mode,
                                   topic=card_id.split("-")[1], response_ms=rng.randint(0, 9000))
        states[card_id] = outcome.state
        outcomes.append(outcome)
        when += timedelta(minutes=rng.randint(1, 230))
    with StudyStore(tmp_path / "profile") as store:
        for start in range(0, len(outcomes), 250):
            store.record_reviews(outcomes[start:start + 250])
    eastern = timezone(timedelta(hours=-5))
    for now, since in [(NOW, None), (NOW.astimezone(eastern), NOW - timedelta(days=40))]:
        with StudyStore(tmp_path / "profile") as store:
            fast = report_from_store(store, now, decks=[spanish], since=since)
            full = build_report(store.reviews(), store.states(), now, decks=[spanish],
                                exams=store.exams(), since=since)
        assert fast.totals.answers > 200
        assert report_to_json(fast) == report_to_json(full)
        assert [[ReviewSummary.of(r) for r in c.history] for c in full.cards.values()] == [
            list(c.history) for c in fast.cards.values()]
