"""The shared wording helpers: durations as a clock shows them, and plurals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tutor.formatting import format_duration, plural


@pytest.mark.parametrize(("ms", "shown"), [
    (0, "0:00"), (7_999, "0:07"), (245_000, "4:05"), (3_723_000, "1:02:03"), (-5_000, "0:00"),
])
def test_durations_in_milliseconds_and_as_timedelta_read_the_same(ms: int, shown: str) -> None:
    assert format_duration(ms) == shown
    assert format_duration(timedelta(milliseconds=ms)) == shown


def test_plural() -> None:
    assert [plural(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
