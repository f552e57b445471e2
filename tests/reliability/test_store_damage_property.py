"""Issue 16, item 1 (property): damage any of ``study.json``, its backup, the journal and
``reviews.jsonl`` at random (cut short, garbage, ``{}``, JSON of the wrong shape,
deleted), then open the store. It never holds fewer answers than the undamaged parts
could give, and no file is shortened or replaced unless a copy was set aside (or, for
the backup and the previous journal, what replaced it holds at least as much)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.store import StudyStore
from tutor.store.codec import ID
from tutor.store.history import load_history
from tutor.store.journal import read_journal
from tutor.store.snapshot import read_snapshot

ROOT = Path(__file__).resolve().parents[2]
SCHEDULER = LeitnerScheduler()
DAMAGED = ("study.json", "study.json.bak", "study.journal", "reviews.jsonl")
WATCHED = (*DAMAGED, "study.journal.prev")
JOURNALS = ("study.journal", "study.journal.prev")
WRONG_SHAPES = (b"[]", b"null", b'"text"', b'{"cards": []}', b'{"_meta": {"1": {"schema": 1}}}',
                b'{"_default": {}}', b'{"seq": 1, "events": "x"}\n', b'{"journal": 1}\n')
KINDS = ("keep", "truncate", "garbage", "empty object", "wrong shape", "delete")

CHILD = """
import os, sys
from datetime import datetime, timedelta, timezone
from tutor.schedule import LeitnerScheduler
from tutor.store import StudyStore
store = StudyStore(sys.argv[1])
scheduler = LeitnerScheduler()
start = datetime(2024, 6, 1, 9, tzinfo=timezone.utc)
for n in range(3):
    state = store.state(f"j{n}") or scheduler.new_state(f"j{n}", "capitals")
    outcome = scheduler.review(state, 3, start + timedelta(minutes=n))
    store.record_review(outcome.review, outcome.state)
os._exit(0)  # stop without closing: these answers are only in the journal
"""


def build(folder: Path, recent_rows: int) -> None:
    """Three sittings (an exam saved, a grade amended, the exam updated), then a fourth
    that stops without closing: every store file exists and holds something."""
    clock = FixedClock()
    answered = 0
    exam_id = ""
    for sitting in range(3):
        with StudyStore(folder, recent_rows=recent_rows) as store:
            if sitting == 0:
                exam_id = store.save_exam({"kind": "exam", "answers": ["x"]})
            for _ in range(5):
                card_id = f"c{answered % 7}"
                state = store.state(card_id) or SCHEDULER.new_state(card_id, "capitals")
                outcome = SCHEDULER.review(state, answered % 6, clock.now())
                stored = store.record_review(outcome.review, outcome.state)
                clock.advance(minutes=3)
                answered += 1
            if sitting == 1:
                regraded = SCHEDULER.regrade(stored, 5, grader="model")
                store.amend_review(stored.id, regraded.review, regraded.state)
            if sitting == 2:
                store.update_exam(exam_id, {"kind": "exam", "answers": ["x", "y"]})
        clock.advance(days=1)
    subprocess.run([sys.executable, "-c", CHILD, str(folder)], check=True, cwd=ROOT, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("templates")
    made = {}
    for name, recent_rows in (("all recent", 1000), ("few recent", 4)):
        build(base / name, recent_rows)
        assert all((base / name / file).exists() for file in WATCHED)
        made[name] = base / name
    return made


damage = st.tuples(st.sampled_from(KINDS), st.floats(0, 1),
                   st.binary(min_size=1, max_size=300), st.sampled_from(WRONG_SHAPES))


def apply_damage(path: Path, kind: str, where: float, junk: bytes, shape: bytes) -> None:
    data = path.read_bytes()
    if kind == "truncate":
        path.write_bytes(data[: int(len(data) * where)])
    elif kind == "garbage":
        path.write_bytes(junk)
    elif kind == "empty object":
        path.write_bytes(b"{}")
    elif kind == "wrong shape":
        path.write_bytes(shape)
    elif kind == "delete":
        path.unlink()


def journal_reviews_after(entries: dict[int, dict[str, Any]], seq: int) -> int:
    return sum(len(entry["rows"]) for number, entry in entries.items()
               if number > seq and entry.get("op") == "review")


def answers_bound(folder: Path, undamaged: set[str]) -> int:
    """The most answers one undamaged source, plus the readable journal entries after it,
    can give: the history's readable lines, or an undamaged study.json or backup."""
    entries: dict[int, dict[str, Any]] = {}
    for name in ("study.journal.prev", "study.journal"):
        for entry in read_journal(folder / name).entries:
            if isinstance(entry.get("seq"), int):
                entries[entry["seq"]] = entry
    loaded = load_history(folder / "reviews.jsonl")
    bounds = [len(loaded.rows) + journal_reviews_after(entries, loaded.last_seq)]
    for name in ("study.json", "study.json.bak"):
        if name in undamaged:
            snapshot = read_snapshot(folder / name)
            bounds.append(len(snapshot.recent) + journal_reviews_after(entries, snapshot.seq))
    return max(bounds)


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()
            if path.is_file() and path.name != "study.lock"}


def normal(name: str, data: bytes) -> bytes:
    """Journals are padded with zeros ahead of their writes; the padding is not content."""
    return data.rstrip(b"\0") if name.startswith("study.journal") else data


def review_ids(entries: list[dict[str, Any]]) -> set[int]:
    return {row[ID] for entry in entries if entry.get("op") == "review" for row in entry["rows"]}


def check_nothing_destroyed(before: dict[str, bytes], after: dict[str, bytes],
                            answers: set[int], undamaged: set[str], scratch: Path) -> None:
    """Every file the open changed is kept somewhere in the folder, only grew (the
    history), or gave way to something holding at least as much (backup, old journal)."""
    kept = {normal(name, data) for name, data in after.items()}

    def parsed(data: bytes, reader: Any) -> Any:
        path = scratch / "parsed"
        path.write_bytes(data)
        return reader(path)

    for name in WATCHED:
        if name not in before:
            continue
        old, new = normal(name, before[name]), normal(name, after.get(name, b""))
        if new == old or old in kept or not old:
            continue
        if name == "reviews.jsonl":
            assert new.startswith(old), "reviews.jsonl was shortened without a copy"
        elif name == "study.json.bak":
            replacement = parsed(after[name], read_snapshot)  # raises if it is no backup
            if name in undamaged:
                previous = parsed(before[name], read_snapshot)
                assert replacement.seq >= previous.seq, "the backup was replaced by an older one"
                assert {row[ID] for row in previous.recent} <= answers, \
                    "the backup was replaced, and answers it held are gone"
        elif name == "study.journal.prev":
            folded = review_ids(parsed(before[name], read_journal).entries)
            assert folded <= answers, "answers of the previous journal were dropped"
        else:
            raise AssertionError(f"{name} was changed and no copy of it was kept")


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(template=st.sampled_from(["all recent", "few recent"]),
       damages=st.tuples(damage, damage, damage, damage))
def test_random_damage_never_costs_answers_the_undamaged_files_hold(
        templates: dict[str, Path], template: str, damages: tuple[Any, ...]) -> None:
    with tempfile.TemporaryDirectory(prefix="tutor-damage-") as scratch:
        folder = Path(scratch) / "profile"
        shutil.copytree(templates[template], folder)
        undamaged = set()
        for name, (kind, where, junk, shape) in zip(DAMAGED, damages, strict=True):
            apply_damage(folder / name, kind, where, junk, shape)
            path, original = folder / name, templates[template] / name
            if path.exists() and path.read_bytes() == original.read_bytes():
                undamaged.add(name)
        bound = answers_bound(folder, undamaged)
        before = files(folder)

        store = StudyStore(folder)
        try:
            message = store.recovery_message
            assert message is None or "\n" not in message
            ids = {review.id for review in store.reviews()}
            after = files(folder)
        finally:
            store.close()

        assert len(ids) >= bound, (message, len(ids), bound)
        check_nothing_destroyed(before, after, ids, undamaged, Path(scratch))
        with StudyStore(folder) as again:  # repaired for good, nothing more lost
            assert again.recovery_message is None, again.recovery_message
            assert {review.id for review in again.reviews()} == ids
