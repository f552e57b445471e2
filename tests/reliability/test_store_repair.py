"""Issue 16, item 1: repairing damaged study data never erases the history, never
replaces a backup with something emptier, and says exactly what it kept, dropped and
set aside (``<name>.damaged-<time>``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.store import StudyStore

ROOT = Path(__file__).resolve().parents[2]
SCHEDULER = LeitnerScheduler()
EXAM = {"kind": "exam", "note": "kept through every repair"}

CHILD = """
import os, sys
from datetime import datetime, timedelta, timezone
from tutor.schedule import LeitnerScheduler
from tutor.store import StudyStore
from tutor.store.storage import AtomicJSONStorage
folder, count, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = StudyStore(folder)
scheduler = LeitnerScheduler()
start = datetime(2024, 3, 1, 9, tzinfo=timezone.utc)
for n in range(count):
    state = store.state(f"j{n}") or scheduler.new_state(f"j{n}", "capitals")
    outcome = scheduler.review(state, 4, start + timedelta(minutes=n))
    store.record_review(outcome.review, outcome.state)
if how == "mid-fold":  # stop after the history was appended, before study.json commits it
    AtomicJSONStorage.flush = lambda self, **kw: os._exit(0)
    store.close()
os._exit(0)  # stop without closing: the journal is not folded
"""


def study(folder: Path, answers: int, sessions: int = 1) -> None:
    """Answer ``answers`` cards over ``sessions`` sittings through the real store, as the
    study screen does; the first sitting also saves an exam record."""
    clock = FixedClock()
    per_session = -(-answers // sessions)
    done = 0
    for session in range(sessions):
        with StudyStore(folder) as store:
            if session == 0:
                store.save_exam(EXAM)
            for _ in range(min(per_session, answers - done)):
                card_id = f"c{done % 17}"
                state = store.state(card_id) or SCHEDULER.new_state(card_id, "capitals")
                outcome = SCHEDULER.review(state, (done * 7) % 6, clock.now())
                store.record_review(outcome.review, outcome.state)
                clock.advance(minutes=2)
                done += 1
        clock.advance(days=1)


def study_then_stop(folder: Path, count: int, how: str = "no-close") -> None:
    """In a child process: answer ``count`` more cards, then stop without finishing."""
    subprocess.run([sys.executable, "-c", CHILD, str(folder), str(count), how], check=True,
                   cwd=ROOT, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def contents(store: StudyStore) -> dict[str, object]:
    return {"states": store.states(), "reviews": store.reviews(), "exams": store.exams()}


def set_aside_files(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}.damaged-*"))


def only_meta(raw: bytes) -> bytes:
    return json.dumps({"_meta": json.loads(raw)["_meta"]}).encode()


EMPTIED = {
    "empty object": lambda raw: b"{}",
    "plain tinydb": lambda raw: b'{"_default":{}}',
    "only _meta": only_meta,
    "bare _meta": lambda raw: b'{"_meta":{"1":{"schema":1}}}',
}


@pytest.mark.parametrize("sessions", [1, 3])
@pytest.mark.parametrize("emptied", list(EMPTIED))
def test_an_emptied_study_json_is_rebuilt_from_the_history_not_the_reverse(
        tmp_path: Path, emptied: str, sessions: int) -> None:
    folder = tmp_path / "default"
    study(folder, 38, sessions)
    with StudyStore(folder) as store:
        before = contents(store)
    history = (folder / "reviews.jsonl").read_bytes()
    backup = folder / "study.json.bak"
    backup_before = backup.read_bytes() if backup.exists() else None
    damaged = EMPTIED[emptied]((folder / "study.json").read_bytes())
    (folder / "study.json").write_bytes(damaged)

    with StudyStore(folder) as store:
        assert contents(store) == before and store.review_count() == 38
        message = store.recovery_message or ""
    assert "\n" not in message and "study.json" in message
    assert "study.journal" not in message  # the journal is not to blame
    assert "38 answers kept" in message and "nothing was lost" in message
    assert "set aside study.json as study.json.damaged-" in message
    assert (folder / "reviews.jsonl").read_bytes().startswith(history)  # never shortened
    [aside] = set_aside_files(folder, "study.json")
    assert aside.read_bytes() == damaged
    assert backup.read_bytes() != damaged
    if backup_before is not None:  # the old backup was replaced by something as complete
        assert json.loads(backup_before)["_meta"]["1"]["history_rows"] <= 38
    assert json.loads(backup.read_bytes())["_meta"]["1"]["history_rows"] == 38

    with StudyStore(folder) as store:  # repaired for good: the cards table was written too
        assert store.recovery_message is None
        assert contents(store) == before


def test_tutor_exam_history_after_echo_empty_object_keeps_everything(
        tmp_path: Path, isolated_home: Path, cli) -> None:
    folder = isolated_home / "data" / "profiles" / "default"
    study(folder, 38)
    history = (folder / "reviews.jsonl").read_bytes()
    (folder / "study.json").write_bytes(b"{}\n")

    result = cli("exam", "--history", timeout=60)

    assert result.returncode == 0, result.stderr
    assert "No exams yet" not in result.stdout  # the exam record came back from the journal
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "study.json" in result.stderr
    assert "next 'tutor study' repairs it" in result.stderr
    # --history reads a copy: the profile is left as it was, for the next writer to repair
    assert (folder / "study.json").read_bytes() == b"{}\n"
    assert (folder / "reviews.jsonl").read_bytes() == history
    assert not list(folder.glob("*.damaged-*"))
    with StudyStore(folder) as store:
        assert "study.json" in (store.recovery_message or "") and store.review_count() == 38
    with StudyStore(folder) as store:
        assert store.recovery_message is None and store.review_count() == 38


def test_garbage_study_json_with_an_emptied_backup_keeps_all_41_answers(tmp_path: Path) -> None:
    folder = tmp_path / "default"
    study(folder, 41, sessions=3)
    with StudyStore(folder) as store:
        before = contents(store)
    (folder / "study.json").write_bytes(b"\x00\xff garbage, not JSON")
    (folder / "study.json.bak").write_bytes(b"{}")

    with StudyStore(folder) as store:
        assert store.review_count() == 41
        assert store.states() == before["states"] and store.reviews() == before["reviews"]
        message = store.recovery_message or ""
    assert "rebuilt the cards from the review history" in message and "41 answers kept" in message
    assert "older exam records could not be recovered" in message  # only in the two lost files
    assert "study.json.bak" in message  # its damage is named, and it was set aside
    assert [p.read_bytes() for p in set_aside_files(folder, "study.json.bak")] == [b"{}"]
    assert [p.read_bytes() for p in set_aside_files(folder, "study.json")] == [
        b"\x00\xff garbage, not JSON"]


def test_a_journal_whose_last_line_fails_its_checksum_says_what_it_dropped(
        tmp_path: Path) -> None:
    folder = tmp_path / "default"
    study(folder, 5)
    study_then_stop(folder, 3)  # three answers only in the journal
    journal = folder / "study.journal"
    lines = journal.read_bytes().rstrip(b"\0").split(b"\n")
    assert b'"j2"' in lines[-2]
    lines[-2] = lines[-2].replace(b'"j2"', b'"jX"')  # complete, but its checksum fails
    damaged = b"\n".join(lines)
    journal.write_bytes(damaged)

    with StudyStore(folder) as store:
        assert [r.card_id for r in store.reviews()][-3:] == ["c4", "j0", "j1"]
        message = store.recovery_message or ""
    assert "study.journal: 1 unreadable line" in message
    assert "1 saved change could not be recovered" in message and "intact" not in message
    [aside] = set_aside_files(folder, "study.journal")
    assert aside.read_bytes().rstrip(b"\0") == damaged
    assert "set aside study.journal as " + aside.name in message


def test_a_garbage_journal_is_not_passed_off_as_an_unconfirmed_write(tmp_path: Path) -> None:
    folder = tmp_path / "default"
    study(folder, 5)
    study_then_stop(folder, 3)
    garbage = bytes(range(14, 250)) * 3  # no newline: all of it reads as an unfinished line
    (folder / "study.journal").write_bytes(garbage)

    with StudyStore(folder) as store:
        assert store.review_count() == 5
        message = store.recovery_message or ""
    assert "stopped while saving" not in message and "intact" not in message
    assert f"study.journal: {len(garbage)} unreadable bytes" in message
    assert "could not be recovered" in message
    assert [p.read_bytes() for p in set_aside_files(folder, "study.journal")] == [garbage]


def test_a_fold_cut_short_before_its_commit_is_adopted_not_cut(tmp_path: Path) -> None:
    folder = tmp_path / "default"
    study(folder, 5)
    study_then_stop(folder, 3, "mid-fold")
    history = (folder / "reviews.jsonl").read_bytes()

    with StudyStore(folder) as store:
        assert store.recovery_message is None  # an ordinary stop: nothing was damaged
        assert store.review_count() == 8
        assert (folder / "reviews.jsonl").read_bytes().startswith(history)  # not even for now
    assert (folder / "reviews.jsonl").read_bytes().startswith(history)
    assert not list(folder.glob("*.damaged-*"))


def test_history_lines_nothing_explains_are_set_aside_before_they_are_cut(
        tmp_path: Path) -> None:
    folder = tmp_path / "default"
    study(folder, 6)
    history = folder / "reviews.jsonl"
    committed = history.read_bytes()
    stray = b"0badf00d not a line tutor wrote\n"
    history.write_bytes(committed + stray)

    with StudyStore(folder) as store:
        assert store.review_count() == 6
        message = store.recovery_message or ""
    assert "reviews.jsonl" in message and "set aside reviews.jsonl as" in message
    assert history.read_bytes() == committed
    assert [p.read_bytes() for p in set_aside_files(folder, "reviews.jsonl")] == [
        committed + stray]
