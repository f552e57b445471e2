"""Shared helpers for the store tests: answer cards through the real scheduler."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tutor.schedule import LeitnerScheduler, Review
from tutor.store import StudyStore

SCHEDULER = LeitnerScheduler()
ROOT = Path(__file__).resolve().parents[3]


def answer(store: StudyStore, card_id: str, score: int, now: datetime, *, deck: str = "capitals",
           mode: str = "due", **details: object) -> Review:
    """Grade one answer to ``card_id`` and record it; return the stored review."""
    state = store.state(card_id) or SCHEDULER.new_state(card_id, deck)
    outcome = SCHEDULER.review(state, score, now, mode=mode, **details)  # type: ignore[arg-type]
    return store.record_review(outcome.review, outcome.state)


CRASH_CHILD = """
import os, sys
from datetime import datetime, timedelta, timezone
from tutor.schedule import LeitnerScheduler
from tutor.store import StudyStore
store = StudyStore(sys.argv[1])
scheduler = LeitnerScheduler()
start = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
for n in range(int(sys.argv[2])):
    card_id = f"c{n}"
    state = store.state(card_id) or scheduler.new_state(card_id, "capitals")
    outcome = scheduler.review(state, 5, start + timedelta(minutes=n))
    store.record_review(outcome.review, outcome.state)
os._exit(0)  # dies without closing: the journal is not folded
"""


def record_then_die(folder: Path, count: int) -> None:
    """In a child process: open the store, record ``count`` reviews, exit without closing."""
    subprocess.run([sys.executable, "-c", CRASH_CHILD, str(folder), str(count)], check=True,
                   cwd=ROOT, timeout=60)
