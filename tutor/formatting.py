"""Small wording helpers shared by the command line, the reports and the UI."""

from __future__ import annotations

from datetime import timedelta


def clip(text: str, width: int) -> str:
    """``text`` on one line (runs of whitespace as one space), cut to ``width`` characters
    with '…' when longer."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(0, width - 1)] + "…"


def plural(count: int, noun: str) -> str:
    """'1 deck', '3 decks', '0 answers' (nouns that take an 's')."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def format_duration(time: timedelta | float) -> str:
    """A duration as a clock shows it: '0:07', '4:05', '1:02:03' past an hour.

    ``time`` is a `timedelta` or a number of milliseconds; a negative time shows as 0:00.
    """
    ms = time / timedelta(milliseconds=1) if isinstance(time, timedelta) else time
    seconds = max(0, int(ms // 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
