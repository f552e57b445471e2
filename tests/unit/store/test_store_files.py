"""The building blocks: the atomic TinyDB storage, the journal's lines, the history file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from tutor.store import AtomicJSONStorage
from tutor.store.history import append_fold, load_history
from tutor.store.journal import JournalWriter, decode_line, encode_line, read_journal


def test_atomic_storage_works_as_a_plain_tinydb_storage(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 1})
    assert not path.exists()  # nothing is written until close (or flush)
    db.close()
    assert json.loads(path.read_text())["_default"] == {"1": {"n": 1}}
    db = TinyDB(path, storage=AtomicJSONStorage)
    assert db.all() == [{"n": 1}]
    db.insert({"n": 2})
    db.close()
    assert len(TinyDB(path, storage=AtomicJSONStorage).all()) == 2
    backup = json.loads((folder / "db.json.bak").read_text())  # the previous good file
    assert backup["_default"] == {"1": {"n": 1}}
    assert sorted(p.name for p in folder.iterdir()) == ["db.json", "db.json.bak"]


def test_study_files_get_normal_permissions_and_keep_the_learners(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 1})
    db.close()
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # what open() gives, not 0600
    path.chmod(0o600)  # the learner made it private
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"n": 2})
    db.close()
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "db.json.bak").stat().st_mode & 0o777 == 0o600


def test_atomic_storage_names_what_is_wrong_with_a_file(tmp_path: Path) -> None:
    cases = {b"": "empty", b"{\"a\": ": "not valid JSON at byte", b"{\"a\": \"\xff\"}": "not UTF-8",
             b"[]": "not a TinyDB database", b'{"t": []}': "not a TinyDB database"}
    for raw, reason in cases.items():
        path = tmp_path / "bad.json"
        path.write_bytes(raw)
        with pytest.raises(ValueError, match=reason):
            AtomicJSONStorage.load(path)


def test_journal_lines_carry_a_checksum() -> None:
    line = encode_line({"seq": 1, "answer": "naïve\nline"})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode_line(line[:-1]) == {"seq": 1, "answer": "naïve\nline"}
    with pytest.raises(ValueError, match="checksum"):
        decode_line(line[:-1].replace(b"seq", b"sex"))
    with pytest.raises(ValueError):
        decode_line(b"nonsense")


def test_journal_grows_ahead_with_zeros_that_readers_ignore(tmp_path: Path) -> None:
    path = tmp_path / "j"
    writer = JournalWriter(path)
    for n in range(3):
        writer.append({"seq": n + 1})
    writer.close()
    raw = path.read_bytes()
    assert len(raw) > 3 * 30 and raw.endswith(b"\0")  # space reserved past the last line
    contents = read_journal(path)
    assert [e["seq"] for e in contents.entries] == [1, 2, 3]
    assert contents.torn_bytes == 0 and contents.damaged == 0
    path.write_bytes(raw.rstrip(b"\0") + b"0000abcd {\"seq\": 4" + bytes(100))
    torn = read_journal(path)
    assert torn.torn_bytes == len(b"0000abcd {\"seq\": 4") and len(torn.entries) == 3
    writer = JournalWriter(path, truncate_to=torn.good_size)
    writer.append({"seq": 4})
    writer.close()
    assert [e["seq"] for e in read_journal(path).entries] == [1, 2, 3, 4]


def test_history_events_add_undo_amend_and_reset(tmp_path: Path) -> None:
    path = tmp_path / "reviews.jsonl"
    row = [1, "c1", "d", "2024-01-01T09:00:00.000000+00:00", "new", 5, 1, 2, None, "grader", "",
           1.0, 0, "", "", "", None, "", "", None]
    second, third = [2, *row[1:]], [3, *row[1:]]
    amended = [2, *row[1:5], 1, *row[6:]]
    size = append_fold(path, 4, [["r", row], ["r", second], ["r", third], ["u", 3]])
    append_fold(path, 5, [["a", amended], ["u", 9]])
    loaded = load_history(path)
    assert [r[0] for r in loaded.rows] == [1, 2] and loaded.rows[1][5] == 1
    assert (loaded.last_seq, loaded.broken_events) == (5, 1)  # undo of a review not there
    assert [r[0] for r in load_history(path, size).rows] == [1, 2]
    append_fold(path, 6, [["reset"], ["r", third]])
    loaded = load_history(path)
    assert [r[0] for r in loaded.rows] == [3] and loaded.broken_events == 0
