"""`StudyStore.review_summaries`: the whole history as the light records a report reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_helpers import answer

from tutor.schedule.model import ReviewSummary
from tutor.store import StudyStore
from tutor.store.codec import COLUMN, summary_from_row
from tutor.store.errors import StoreError

START = datetime(2024, 1, 1, 9, tzinfo=timezone.utc)


def fill(folder: Path, count: int) -> None:
    """``count`` answers, folded into the history file in several lines, one card undone."""
    with StudyStore(folder, fold_limit=7) as store:
        for n in range(count):
            answer(store, f"c{n % 9}", n % 6, START + timedelta(hours=n), topic=f"t{n % 4}",
                   answer=f"answer {n}", response_ms=1000 + n)
        store.undo_last_review()


def test_summaries_are_the_reviews_in_short(tmp_path: Path) -> None:
    fill(tmp_path / "p", 40)
    with StudyStore(tmp_path / "p") as store:
        summaries = store.review_summaries()
        reviews = store.reviews()
    assert len(summaries) == len(reviews) == 39
    assert summaries == [ReviewSummary.of(review) for review in reviews]
    assert summaries[5].time.tzinfo is not None and summaries[5].answer == "answer 5"
    assert [s.correct for s in summaries[:6]] == [False, False, False, True, True, True]


@pytest.mark.parametrize(("column", "value"), [
    ("score", "five"), ("score", True), ("box_after", None), ("topic", 3), ("answer", None),
    ("kind", "later"), ("time", "2024-01-01T09:00:00"), ("response_ms", 1.5)])
def test_a_damaged_row_is_refused(tmp_path: Path, column: str, value: object) -> None:
    fill(tmp_path / "p", 12)
    with StudyStore(tmp_path / "p") as store:
        row = list(store._contents.tail[0])
        assert summary_from_row(row).id == row[COLUMN["id"]]
        row[COLUMN[column]] = value
        with pytest.raises(ValueError):
            summary_from_row(row)
        store._contents.tail[0] = row  # as if read so from the file
        with pytest.raises(StoreError, match="damaged review record"):
            store.review_summaries()
