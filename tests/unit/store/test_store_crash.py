"""SIGKILL at random moments, 200 times: the store always opens, valid, and keeps every
confirmed change; at most the change in flight is lost."""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.store import StudyStore
from tutor.store.codec import review_row, state_after

KILLS = 200


def study_until_killed(folder: Path, pipe: int, seed: int) -> None:
    """The child: record (and sometimes undo) reviews in a loop, confirming each on ``pipe``."""
    rng = random.Random(seed)
    scheduler = LeitnerScheduler()
    clock = FixedClock(FixedClock.DEFAULT_START + timedelta(days=seed))
    store = StudyStore(folder, fold_limit=rng.choice([2, 5, 30]), recent_rows=rng.choice([3, 40]))
    os.write(pipe, b"open\n")
    while True:
        roll = rng.random()
        if roll < 0.15:
            undone = store.undo_last_review()
            if undone is not None:
                os.write(pipe, f"u{undone.id}\n".encode())
        elif roll < 0.2:
            store.save_exam({"seed": seed, "answers": ["x" * 200] * 5})
        else:
            card_id = f"c{rng.randrange(12)}"
            state = store.state(card_id) or scheduler.new_state(card_id, "deck")
            outcome = scheduler.review(state, rng.randrange(6), clock.now())
            stored = store.record_review(outcome.review, outcome.state)
            os.write(pipe, f"r{stored.id}\n".encode())
        clock.advance(minutes=1)


def kill_at_random(folder: Path, seed: int, delay: float) -> list[str]:
    """Fork a studying child, SIGKILL it after ``delay`` seconds; return what it confirmed."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        os.close(read_end)
        try:
            study_until_killed(folder, write_end, seed)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            os.write(write_end, f"E{type(exc).__name__}: {exc}\n".encode())
        os._exit(1)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        return pipe.read().decode().split("\n")[:-1]


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_at_most_the_change_in_flight(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    rng = random.Random(6)
    confirmed: set[int] = set()
    opened = 0
    for kill in range(KILLS):
        for line in kill_at_random(folder, kill, rng.uniform(0.0, 0.04)):
            assert not line.startswith("E"), f"the child failed: {line[1:]}"
            if line == "open":
                opened += 1
            elif line.startswith("r"):
                confirmed.add(int(line[1:]))
            else:
                confirmed.discard(int(line[1:]))
        with StudyStore(folder) as store:
            recovery = store.recovery
            assert recovery is None or not recovery.damage, store.recovery_message
            reviews = store.reviews()
            ids = {review.id for review in reviews}
            assert len(ids ^ confirmed) <= 1, (kill, sorted(ids ^ confirmed))
            latest = {review.card_id: review for review in reviews}
            assert store.states() == {card_id: state_after(review_row(review))
                                      for card_id, review in latest.items()}
            assert all(exam["answers"] == ["x" * 200] * 5 for exam in store.exams())
            confirmed = ids  # the change in flight, if it made it, is now confirmed too
    assert opened >= KILLS // 2  # most children got as far as studying before the kill
    assert len(confirmed) > 50
