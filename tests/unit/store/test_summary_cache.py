"""The review summaries cache (`tutor.store.summary_cache`): a report reads the history once.

Every test compares with the summaries of a store opened without a cache (the whole
history parsed, as before the cache existed), so a cache can only ever be a shortcut.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import SCHEDULER, answer

import tutor.store.study_store as study_store_module
import tutor.store.summary_cache as summary_cache_module
from tutor.schedule.model import ReviewSummary
from tutor.store import StudyStore
from tutor.store.history import HISTORY_NAME

START = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)
#: Few rows in study.json, so that most reviews are only in the history file.
RECENT = 5


def fill(folder: Path, count: int, *, first: int = 0, undo: bool = True) -> None:
    """``count`` answers folded into the history in several lines (the last one undone)."""
    with StudyStore(folder, fold_limit=7, recent_rows=RECENT) as store:
        for n in range(first, first + count):
            answer(store, f"c{n % 9}", n % 6, START + timedelta(hours=n), topic=f"t{n % 4}",
                   answer=f"answer {n}", response_ms=1000 + n)
        if undo:
            store.undo_last_review()


def full_read(folder: Path) -> list[ReviewSummary]:
    """The summaries with no cache: the whole history parsed."""
    with StudyStore(folder, recent_rows=RECENT) as store:
        return store.review_summaries()


def cached_read(folder: Path, cache: Path) -> list[ReviewSummary]:
    with StudyStore(folder, recent_rows=RECENT, summary_cache=cache) as store:
        summaries = store.review_summaries()
        assert not store.history_problem
        return summaries


def forbid_full_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make parsing the whole history fail: only the cache can answer."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the whole history was parsed")

    monkeypatch.setattr(study_store_module, "load_history", refuse)


def test_the_cache_gives_the_same_summaries_and_spares_the_next_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = tmp_path / "p", tmp_path / "cache" / "p.summaries"
    fill(folder, 40)
    expected = full_read(folder)
    assert len(expected) == 39
    assert cached_read(folder, cache) == expected
    assert cache.is_file()
    forbid_full_reads(monkeypatch)
    assert cached_read(folder, cache) == expected


def test_sessions_after_the_cache_are_replayed_on_top_of_it(tmp_path: Path) -> None:
    folder, cache = tmp_path / "p", tmp_path / "p.summaries"
    fill(folder, 40)
    cached_read(folder, cache)
    with StudyStore(folder, fold_limit=3, recent_rows=RECENT) as store:
        # An override of an old review (only in the history file), an undo, new answers.
        old = store.reviews(card_id="c3")[-1]
        assert old.id < store.reviews()[-RECENT].id
        late = SCHEDULER.regrade(old, 5, grader="override", source="override")
        store.amend_review(old.id, late.review, late.state)
        store.undo_last_review()
        for n in range(50, 56):
            answer(store, f"c{n % 9}", 5, START + timedelta(hours=n), answer=f"later {n}")
    expected = full_read(folder)
    got = cached_read(folder, cache)
    assert got == expected
    assert [s.score for s in got if s.id == old.id] == [5]


def test_a_small_session_is_replayed_without_rewriting_the_cache(tmp_path: Path) -> None:
    folder, cache = tmp_path / "p", tmp_path / "p.summaries"
    fill(folder, 300, undo=False)
    cached_read(folder, cache)
    written = cache.read_bytes()
    fill(folder, 2, first=300, undo=False)  # far less than 1/16 of the history
    assert cached_read(folder, cache) == full_read(folder)
    assert cache.read_bytes() == written
    fill(folder, 60, first=302, undo=False)  # more: the cache is brought up to date
    assert cached_read(folder, cache) == full_read(folder)
    assert cache.read_bytes() != written


def test_a_cache_of_another_history_is_not_used(tmp_path: Path) -> None:
    cache = tmp_path / "shared.summaries"
    fill(tmp_path / "a", 40)
    cached_read(tmp_path / "a", cache)
    fill(tmp_path / "b", 60, first=7)  # another learner: a longer, different history
    assert cached_read(tmp_path / "b", cache) == full_read(tmp_path / "b")
    fill(tmp_path / "c", 12, first=3)  # shorter than what the cache covers
    assert cached_read(tmp_path / "c", cache) == full_read(tmp_path / "c")


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage", "magic", "huge"])
def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    damage: str) -> None:
    folder, cache = tmp_path / "p", tmp_path / "p.summaries"
    fill(folder, 40)
    expected = full_read(folder)
    cached_read(folder, cache)
    data = cache.read_bytes()
    damaged = {
        "flip": data[:-20] + bytes([data[-20] ^ 0x40]) + data[-19:],
        "truncate": data[: len(data) // 2],
        "empty": b"",
        "garbage": b"\x00\xff" * 500,
        "magic": b"x" + data[1:],
        "huge": data + b"\x00" * (3 * (folder / HISTORY_NAME).stat().st_size),
    }[damage]
    cache.write_bytes(damaged)
    assert cached_read(folder, cache) == expected
    assert cache.read_bytes() != damaged  # written again, whole
    forbid_full_reads(monkeypatch)
    assert cached_read(folder, cache) == expected


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    fill(folder, 30)
    (tmp_path / "not-a-folder").write_text("a file where the cache folder would be")
    cache = tmp_path / "not-a-folder" / "p.summaries"
    assert cached_read(folder, cache) == full_read(folder)
    assert (tmp_path / "not-a-folder").read_text() == "a file where the cache folder would be"


def test_damage_in_the_history_is_read_the_full_way_and_reported(tmp_path: Path) -> None:
    folder, cache = tmp_path / "p", tmp_path / "p.summaries"
    fill(folder, 40)
    cached_read(folder, cache)
    fill(folder, 30, first=40, undo=False)
    history = folder / HISTORY_NAME
    lines = history.read_bytes().split(b"\n")
    lines[-2] = lines[-2][:30] + b"X" + lines[-2][31:]  # the last fold fails its checksum
    history.write_bytes(b"\n".join(lines))
    with StudyStore(folder, recent_rows=RECENT) as store:
        expected, problem = store.review_summaries(), store.history_problem
    with StudyStore(folder, recent_rows=RECENT, summary_cache=cache) as store:
        assert store.review_summaries() == expected
        assert store.history_problem == problem != ""


def test_the_cache_never_changes_the_profile(tmp_path: Path) -> None:
    folder, cache = tmp_path / "p", tmp_path / "cache" / "p.summaries"
    fill(folder, 40)
    def files() -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in folder.iterdir()
                if path.name != "study.lock"}  # holds the pid of whoever has the profile open

    before = files()
    with StudyStore(folder, recent_rows=RECENT, summary_cache=cache) as store:
        store.review_summaries()
        assert files() == before
    assert sorted(path.name for path in cache.parent.iterdir()) == ["p.summaries"]
    assert summary_cache_module.MAGIC == cache.read_bytes()[: len(summary_cache_module.MAGIC)]


def test_a_pipe_where_the_cache_would_be_is_not_waited_on(tmp_path: Path) -> None:
    import os
    import threading

    folder, cache = tmp_path / "p", tmp_path / "p.summaries"
    fill(folder, 40)
    expected = full_read(folder)
    os.mkfifo(cache)  # reading it would wait for a writer for ever (a device: read for ever)
    got: list[list[ReviewSummary]] = []
    reader = threading.Thread(target=lambda: got.append(cached_read(folder, cache)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    try:
        assert not reader.is_alive(), "the report waited on the pipe"
    finally:
        if reader.is_alive():
            with open(cache, "wb"):  # let the stuck reader go
                pass
            reader.join(timeout=10)
    assert got == [expected]
