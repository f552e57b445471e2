"""Damaged, truncated, half-written and too-new store files: clear messages, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store_helpers import answer, record_then_die
from tinydb import TinyDB

from tutor.schedule import FixedClock
from tutor.store import SCHEMA_VERSION, StoreError, StudyStore
from tutor.store.journal import encode_line


def build(folder: Path, sessions: int = 3, per_session: int = 4) -> dict[str, object]:
    """A profile studied in several sessions (so there is a backup); return what it holds."""
    clock = FixedClock()
    for session in range(sessions):
        with StudyStore(folder) as store:
            for n in range(per_session):
                answer(store, f"c{n}", (session + n) % 6, clock.now())
                clock.advance(minutes=3)
            if session == 0:
                store.save_exam({"score": 0.5})
        clock.advance(days=1)
    with StudyStore(folder) as store:
        return {"states": store.states(), "reviews": store.reviews(), "exams": store.exams()}


def contents(folder: Path) -> dict[str, object]:
    with StudyStore(folder) as store:
        return {"states": store.states(), "reviews": store.reviews(), "exams": store.exams()}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "not-tinydb", "bad-card"])
def test_a_damaged_main_file_is_restored_from_the_backup_and_journal(tmp_path: Path,
                                                                       damage: str) -> None:
    folder = tmp_path / "p"
    before = build(folder)
    main = folder / "study.json"
    raw = main.read_bytes()
    damaged = {
        "garbage": b"\x00\xffnot json at all",
        "truncated": raw[: len(raw) // 2],
        "empty": b"",
        "not-tinydb": b"[1, 2, 3]",
        "bad-card": raw.replace(b'"box":', b'"box":"two","x":', 1),
    }[damage]
    main.write_bytes(damaged)
    with StudyStore(folder) as store:
        message = store.recovery_message
        assert message is not None and "\n" not in message
        assert "damaged" in message and "study.json" in message
        assert "restored the last good backup" in message and "nothing was lost" in message
        assert store.recovery is not None and store.recovery.lost_changes == 0
        assert {"states": store.states(), "reviews": store.reviews(),
                "exams": store.exams()} == before
    [aside] = folder.glob("study.json.damaged-*")  # timed: an earlier one is never replaced
    assert aside.read_bytes() == damaged
    with StudyStore(folder) as store:
        assert store.recovery_message is None  # repaired for good


def test_a_missing_main_file_is_restored_too(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    before = build(folder)
    (folder / "study.json").unlink()
    with StudyStore(folder) as store:
        assert "study.json is missing" in (store.recovery_message or "")
    assert contents(folder) == before


def test_without_a_usable_backup_cards_are_rebuilt_from_the_history(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    before = build(folder)
    (folder / "study.json").write_bytes(b"{broken")
    (folder / "study.json.bak").write_bytes(b"{broken too")
    with StudyStore(folder) as store:
        message = store.recovery_message or ""
        assert "rebuilt the cards from the review history" in message
        assert store.states() == before["states"]
        assert store.reviews() == before["reviews"]
        assert store.exams() == []  # exam records lived only in study.json


def test_a_write_cut_short_by_a_crash_is_dropped_with_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    record_then_die(folder, 2)
    journal = folder / "study.journal"
    data = journal.read_bytes().rstrip(b"\0")
    half = encode_line({"seq": 99, "op": "review", "rows": [], "states": {}})[:30]
    journal.write_bytes(data + half)
    with StudyStore(folder) as store:
        message = store.recovery_message or ""
        assert "stopped while saving" in message and "intact" in message
        assert [r.card_id for r in store.reviews()] == ["c0", "c1"]
        answer(store, "c2", 4, FixedClock().now())
    with StudyStore(folder) as store:
        assert store.recovery_message is None
        assert [r.card_id for r in store.reviews()] == ["c0", "c1", "c2"]


def test_a_damaged_journal_line_is_reported_as_lost(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    record_then_die(folder, 3)
    journal = folder / "study.journal"
    lines = journal.read_bytes().rstrip(b"\0").split(b"\n")
    assert b'"c1"' in lines[2]
    lines[2] = lines[2].replace(b'"c1"', b'"cX"')  # the second review: its checksum fails
    journal.write_bytes(b"\n".join(lines))
    with StudyStore(folder) as store:
        message = store.recovery_message or ""
        assert "1 saved change could not be recovered" in message
        assert [r.card_id for r in store.reviews()] == ["c0", "c2"]


def test_history_lines_no_journal_explains_are_set_aside_then_cut_off(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    before = build(folder, sessions=2)
    history = folder / "reviews.jsonl"
    committed = history.read_bytes()
    with history.open("ab") as handle:  # appended, but neither study.json nor a journal has it
        handle.write(encode_line({"seq": 999, "events": [["u", 1]]}))
    original = history.read_bytes()
    with StudyStore(folder) as store:  # (until issue 16 this line was cut off without a copy)
        message = store.recovery_message or ""
        assert "reviews.jsonl holds lines study.json does not record" in message
        assert "nothing was lost" in message and "set aside reviews.jsonl as" in message
        assert store.reviews() == before["reviews"]
    assert history.read_bytes() == committed
    [aside] = folder.glob("reviews.jsonl.damaged-*")
    assert aside.read_bytes() == original


def test_a_history_file_shorter_than_recorded_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    clock = FixedClock()
    for _session in range(3):
        with StudyStore(folder, recent_rows=2) as store:
            for n in range(3):
                answer(store, f"c{n}", 5, clock.now())
                clock.advance(hours=1)
    history = folder / "reviews.jsonl"
    first_line = history.read_bytes().split(b"\n")[0] + b"\n"
    history.write_bytes(first_line)  # the later folds are gone
    with StudyStore(folder, recent_rows=2) as store:
        message = store.recovery_message or ""
        assert "reviews.jsonl is shorter than recorded" in message
        # The backup's 2 recent reviews and the previous journal's 3 are more than
        # study.json's 2: until issue 16 only study.json was used, and 4 were lost.
        assert "restored the last good backup" in message
        assert "1 saved change could not be recovered" in message
        assert store.review_count() == 8  # 3 from the first fold, 2 + 3 from the backup
        assert [r.id for r in store.reviews()] == [1, 2, 3, 5, 6, 7, 8, 9]
        assert len(store.states()) == 3


def test_a_file_from_a_newer_tutor_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    build(folder, sessions=1)
    main = folder / "study.json"
    data = json.loads(main.read_text())
    data["_meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    main.write_text(json.dumps(data))
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "study.lock"}
    with pytest.raises(StoreError) as caught:
        StudyStore(folder)
    message = str(caught.value)
    assert "newer tutor" in message and f"schema {SCHEMA_VERSION + 1}" in message
    assert "upgrade tutor" in message and "\n" not in message
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "study.lock"} == snapshot
    data["_meta"]["1"]["schema"] = SCHEMA_VERSION
    main.write_text(json.dumps(data))
    StudyStore(folder).close()  # the lock was released by the refusal


def test_a_journal_from_a_newer_tutor_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    build(folder, sessions=1)
    header = {"journal": 1, "schema": SCHEMA_VERSION + 3, "base": 0}
    (folder / "study.journal").write_bytes(encode_line(header))
    with pytest.raises(StoreError, match="newer tutor"):
        StudyStore(folder)


def test_a_plain_tinydb_file_is_migrated_and_the_original_kept(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    plain = TinyDB(folder / "study.json")
    plain.insert({"note": "made by plain TinyDB"})
    plain.close()
    with StudyStore(folder) as store:
        assert store.recovery_message is None
        answer(store, "c1", 5, FixedClock().now())
    assert (folder / "study.json.schema0").exists()
    upgraded = TinyDB(folder / "study.json", access_mode="r")
    assert upgraded.table("_meta").get(doc_id=1)["schema"] == SCHEMA_VERSION  # type: ignore
    assert upgraded.table("_default").all() == [{"note": "made by plain TinyDB"}]
    upgraded.close()
    with StudyStore(folder) as store:
        assert list(store.states()) == ["c1"]


def test_a_lost_history_is_rewritten_from_the_recent_reviews(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    before = build(folder)  # every review still fits in study.json's recent reviews
    (folder / "reviews.jsonl").unlink()
    with StudyStore(folder) as store:
        message = store.recovery_message or ""
        assert "reviews.jsonl is shorter than recorded" in message and "nothing was lost" in message
    with StudyStore(folder, recent_rows=1) as store:  # now read back from reviews.jsonl
        assert store.recovery_message is None
        assert store.reviews() == before["reviews"] and store.history_problem == ""
