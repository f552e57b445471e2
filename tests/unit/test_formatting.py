"""The shared wording helpers: durations as a clock shows them, plurals, and clipped lines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tutor.formatting import clip, format_duration, plural


@pytest.mark.parametrize(("ms", "shown"), [
    (0, "0:00"), (7_999, "0:07"), (245_000, "4:05"), (3_723_000, "1:02:03"), (-5_000, "0:00"),
])
def test_durations_in_milliseconds_and_as_timedelta_read_the_same(ms: int, shown: str) -> None:
    assert format_duration(ms) == shown
    assert format_duration(timedelta(milliseconds=ms)) == shown


def test_plural() -> None:
    assert [plural(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]


def test_clip_puts_text_on_one_line_and_cuts_it_with_an_ellipsis() -> None:
    assert clip("Deep Learning in Python (Brainscape)", 20) == "Deep Learning in Py…"
    assert clip("two\n  lines\tand tabs", 40) == "two lines and tabs"
    assert clip("exactly ten", 11) == "exactly ten" and clip("exactly ten", 10) == "exactly t…"
    assert len(clip("x" * 500, 28)) == 28
