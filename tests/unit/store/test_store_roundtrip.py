"""StudyStore on a real folder: round trips, undo, amend, counts, exams, old history."""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from store_helpers import SCHEDULER, answer
from tinydb import TinyDB

from tutor.schedule import FixedClock, ReviewOutcome
from tutor.settings import Settings
from tutor.store import StoreError, StudyStore, list_profiles, open_store
from tutor.store.codec import review_row, state_after


def test_round_trip_through_the_files(tmp_path: Path) -> None:
    clock = FixedClock()
    folder = tmp_path / "profile"
    with StudyStore(folder) as store:
        first = answer(store, "paris00001", 5, clock.now(), answer="Paris", grader="rules",
                       confidence=0.9, response_ms=4100, topic="europe", feedback="Correct.")
        after_first = store.state("paris00001")
        clock.advance(minutes=1)
        answer(store, "tokyo00001", 1, clock.now(), answer="Kyoto", grader="llm:qwen")
        clock.advance(days=2)
        answer(store, "paris00001", 4, clock.now(), answer="Paris!")
        states, reviews = store.states(), store.reviews()
    assert first.id == 1 and [r.id for r in reviews] == [1, 2, 3]
    with StudyStore(folder) as store:
        assert store.states() == states
        again = store.reviews()
        assert again == reviews
        assert [r.state_before for r in again] == [r.state_before for r in reviews]
        assert again[0].answer == "Paris" and again[0].feedback == "Correct."
        assert again[2].state_before == after_first and again[0].state_before is None
        assert store.review_count() == 3
        assert store.recovery_message is None
    assert store.closed


def test_the_main_file_is_a_tinydb_database(tmp_path: Path) -> None:
    with StudyStore(tmp_path / "p") as store:
        answer(store, "card000001", 5, FixedClock().now())
    db = TinyDB(tmp_path / "p" / "study.json", access_mode="r")
    assert {"_meta", "cards", "recent", "exams"} <= db.tables()
    assert db.table("_meta").get(doc_id=1)["schema"] == 1  # type: ignore[index]
    assert db.table("cards").get(doc_id="card000001")["box"] == 2  # type: ignore[arg-type, index]
    db.close()
    names = {p.name for p in (tmp_path / "p").iterdir()}
    assert {"study.json", "reviews.jsonl", "study.journal", "study.lock"} <= names


def test_undo_restores_the_state_before_even_after_reopening(tmp_path: Path) -> None:
    clock = FixedClock()
    with StudyStore(tmp_path / "p") as store:
        assert store.undo_last_review() is None
        answer(store, "c1", 5, clock.now())
        after_first = store.state("c1")
        clock.advance(days=2)
        answer(store, "c1", 0, clock.now())
        assert store.state("c1").box == 1  # type: ignore[union-attr]
    with StudyStore(tmp_path / "p") as store:
        undone = store.undo_last_review()
        assert undone is not None and undone.score == 0 and undone.id == 2
        assert store.state("c1") == after_first
        undone = store.undo_last_review()
        assert undone is not None and undone.state_before is None
        assert store.state("c1") is None and store.review_count() == 0
    with StudyStore(tmp_path / "p") as store:
        assert store.states() == {} and store.reviews() == []
        assert answer(store, "c1", 3, clock.now()).id == 3  # ids are never reused


def test_amend_applies_a_late_grade_or_an_override(tmp_path: Path) -> None:
    clock = FixedClock()
    with StudyStore(tmp_path / "p") as store:
        answer(store, "c1", 5, clock.now())
        clock.advance(days=2)
        provisional = answer(store, "c1", 2, clock.now(), answer="Lyon", grader="rules")
        answer(store, "c2", 5, clock.now())
        late = SCHEDULER.regrade(provisional, 5, grader="override", source="override")
        stored = store.amend_review(provisional.id, late.review, late.state)
        assert stored.id == provisional.id
        assert store.state("c1") == late.state and store.state("c1").box == 3  # type: ignore
    with StudyStore(tmp_path / "p") as store:
        review = store.reviews(card_id="c1")[-1]
        assert (review.score, review.source, review.original_score) == (5, "override", 2)
        assert review.answer == "Lyon" and store.review_count() == 3
        clock.advance(days=4)
        answer(store, "c1", 4, clock.now())
        with pytest.raises(StoreError, match="reviewed again"):
            store.amend_review(review.id, late.review, late.state)
        with pytest.raises(StoreError, match="no review 99"):
            store.amend_review(99, late.review, late.state)


def test_daily_counts_and_last_studied(tmp_path: Path) -> None:
    clock = FixedClock()
    day_start = SCHEDULER.day_start(clock.now())
    with StudyStore(tmp_path / "p") as store:
        assert store.last_studied() is None
        answer(store, "old", 5, clock.now() - timedelta(days=3), deck="verbs")
        answer(store, "a", 1, clock.now(), deck="nouns")
        answer(store, "a", 5, clock.now(), deck="nouns", mode="relearn")
        answer(store, "b", 5, clock.now(), deck="verbs")
        clock.advance(days=5)
        answer(store, "old", 5, clock.now(), deck="verbs")
        counts = store.daily_counts(day_start)
        assert (counts.new_cards, counts.reviews, counts.relearning, counts.total) == (2, 1, 1, 4)
        assert store.daily_counts(day_start, deck="nouns").new_cards == 1
        assert store.last_studied("nouns") == FixedClock().now()
        assert store.last_studied("verbs") == clock.now() == store.last_studied()
        store.undo_last_review()
        assert store.last_studied("verbs") == FixedClock().now()
        assert [r.card_id for r in store.reviews(since=FixedClock().now())] == ["a", "a", "b"]
        assert [r.card_id for r in store.reviews(deck="verbs")] == ["old", "b"]


def test_several_reviews_in_one_write(tmp_path: Path) -> None:
    now = FixedClock().now()
    outcomes = [SCHEDULER.review(SCHEDULER.new_state(f"c{n}", "exam-deck"), n % 6, now,
                                 source="exam", exam_id="7") for n in range(6)]
    with StudyStore(tmp_path / "p") as store:
        stored = store.record_reviews(outcomes)
        assert [r.id for r in stored] == [1, 2, 3, 4, 5, 6]
        assert store.record_reviews([]) == []
    with StudyStore(tmp_path / "p") as store:
        assert [r.exam_id for r in store.reviews()] == ["7"] * 6
        assert len(store.states()) == 6


def test_bad_records_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    outcome = SCHEDULER.review(SCHEDULER.new_state("c1", "d"), 4, FixedClock().now())
    other = SCHEDULER.review(SCHEDULER.new_state("c2", "d"), 4, FixedClock().now())
    with StudyStore(tmp_path / "p") as store:
        with pytest.raises(ValueError):
            store.record_review(outcome.review, other.state)
        with pytest.raises(ValueError):
            store.record_review(outcome.review, SCHEDULER.new_state("c1", "d"))
        with pytest.raises(ValueError):
            store.record_review(dataclasses.replace(outcome.review, score=9), outcome.state)
        assert store.review_count() == 0


def test_exam_records(tmp_path: Path) -> None:
    with StudyStore(tmp_path / "p") as store:
        first = store.save_exam({"decks": ["capitals"], "status": "running", "answers": {}})
        second = store.save_exam({"decks": ["verbs"], "status": "done", "score": 0.8})
        store.update_exam(first, {"decks": ["capitals"], "status": "done", "id": "ignored",
                                  "answers": {"c1": "Paris"}})
        with pytest.raises(StoreError, match="no exam"):
            store.update_exam("404", {})
        with pytest.raises(ValueError, match="JSON"):
            store.save_exam({"when": object()})
    with StudyStore(tmp_path / "p") as store:
        exams = store.exams()
        assert [e["id"] for e in exams] == [first, second]
        assert exams[0]["answers"] == {"c1": "Paris"} and exams[0]["status"] == "done"
        exams[0]["answers"]["c1"] = "changed"  # a copy: the store is not touched
        assert store.exam(first)["answers"] == {"c1": "Paris"}  # type: ignore[index]
        store.delete_exam(second)
        assert store.exam(second) is None and store.exam("nonsense") is None
    with StudyStore(tmp_path / "p") as store:
        assert [e["id"] for e in store.exams()] == [first]


def test_profiles_are_separate_folders(tmp_path: Path) -> None:
    settings = Settings(data_dir=str(tmp_path / "data"))
    assert list_profiles(settings) == []
    for name, card in (("ana", "c1"), ("ben", "c2")):
        with open_store(settings.replace(profile=name)) as store:
            answer(store, card, 5, FixedClock().now())
    assert list_profiles(settings) == ["ana", "ben"]
    with open_store(settings.replace(profile="ana")) as store:
        assert set(store.states()) == {"c1"} and store.profile == "ana"
    assert (settings.data_path / "profiles" / "ben" / "study.json").exists()


def test_writes_come_from_the_opening_thread_reads_from_any(tmp_path: Path) -> None:
    store = StudyStore(tmp_path / "p")
    answer(store, "c1", 5, FixedClock().now())
    errors: list[BaseException] = []
    seen = []

    def worker() -> None:
        seen.append(store.state("c1"))
        seen.append(len(store.reviews()))
        try:
            answer(store, "c2", 5, FixedClock().now())
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen[0] is not None and seen[1] == 1
    assert len(errors) == 1 and "thread" in str(errors[0])
    store.close()
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        answer(store, "c3", 5, FixedClock().now())


def test_history_older_than_the_recent_reviews_is_read_on_demand(tmp_path: Path) -> None:
    clock = FixedClock()
    folder = tmp_path / "p"
    log = []
    with StudyStore(folder, fold_limit=4, recent_rows=3) as store:
        for n in range(20):
            log.append(answer(store, f"c{n % 3}", [5, 4, 3, 1][n % 4], clock.now()))
            clock.advance(hours=7)
        expected_states = store.states()
    with StudyStore(folder, fold_limit=4, recent_rows=3) as store:
        assert store.review_count() == 20
        assert store.daily_counts(clock.now() - timedelta(hours=15)).total == 2  # recent only
        assert store.daily_counts(FixedClock().now()).total == 20  # reads the history file
        assert [r.id for r in store.reviews(card_id="c1")] == [r.id for r in log
                                                                if r.card_id == "c1"]
    with StudyStore(folder, fold_limit=4, recent_rows=3) as store:
        for expected in reversed(log[-6:]):  # undo past the start of the recent reviews
            assert store.undo_last_review() == expected
        assert store.review_count() == 14
        assert store.states() == {cid: state_after(review_row(next(
            r for r in reversed(log[:14]) if r.card_id == cid))) for cid in expected_states}
    with StudyStore(folder, fold_limit=4, recent_rows=3) as store:
        assert store.reviews() == log[:14]
        assert store.last_review() == log[13]


def test_random_operations_match_a_simple_model(tmp_path: Path) -> None:
    """Record, undo, amend, fold and reopen at random; the store always equals the model."""
    for seed in range(3):
        rng = random.Random(seed)
        clock = FixedClock()
        folder = tmp_path / f"p{seed}"
        model: list = []
        store = StudyStore(folder, fold_limit=5, recent_rows=4)
        for _ in range(70):
            roll = rng.random()
            clock.advance(hours=rng.choice([1, 5, 30]))
            if roll < 0.6:
                model.append(answer(store, f"c{rng.randrange(5)}", rng.randrange(6), clock.now()))
            elif roll < 0.75:
                undone = store.undo_last_review()
                assert undone == (model.pop() if model else None)
            elif roll < 0.85 and model:
                last = model[-1]
                again = SCHEDULER.regrade(last, rng.randrange(6), grader="override",
                                          source="override")
                model[-1] = store.amend_review(last.id, again.review, again.state)
            elif roll < 0.95:
                store.close()
                store = StudyStore(folder, fold_limit=5, recent_rows=4)
            else:
                store.checkpoint()
            assert store.review_count() == len(model)
        assert store.reviews() == model
        latest = {r.card_id: r for r in model}
        assert store.states() == {cid: state_after(review_row(r)) for cid, r in latest.items()}
        store.close()


def test_review_outcome_round_trip_keeps_the_json_shape(tmp_path: Path) -> None:
    outcome = SCHEDULER.review(SCHEDULER.new_state("ü-1", "deck"), 5, FixedClock().now(),
                               answer='naïve "quoted"\nline two \u2028', feedback="ok")
    with StudyStore(tmp_path / "p") as store:
        store.record_reviews([ReviewOutcome(outcome.state, outcome.review)])
    with StudyStore(tmp_path / "p") as store:
        assert store.reviews()[0].answer == outcome.review.answer
    line = (tmp_path / "p" / "reviews.jsonl").read_bytes().splitlines()[0]
    assert json.loads(line[9:])["events"][0][1][13] == outcome.review.answer


def test_the_history_can_be_read_in_a_worker_while_answers_are_recorded(tmp_path: Path) -> None:
    clock = FixedClock()
    folder = tmp_path / "p"
    log = []
    with StudyStore(folder, fold_limit=3, recent_rows=2) as store:
        for n in range(12):
            log.append(answer(store, f"c{n % 4}", 5, clock.now()))
            clock.advance(hours=3)
    with StudyStore(folder, recent_rows=2) as store:
        worker = threading.Thread(target=store.load_full_history)
        worker.start()
        for n in range(3):
            log.append(answer(store, f"c{n}", 4, clock.now()))
            clock.advance(minutes=1)
        worker.join()
        assert store.reviews() == log
