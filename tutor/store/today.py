"""``today.json``: the extra new cards the learner granted for today ("study more").

One small JSON object, replaced whole (`atomic_write_bytes`) by the store that holds
the profile's lock::

    {"format": 1, "day": "2024-01-01T04:00:00.000000+00:00", "extra_new": {"spanish": 10}}

``day`` is the start of the study day the grants are for (UTC, as review times are
stored); on another day the file counts as empty, so grants end with the day without
anything deleting them. It holds no study data: a damaged or unreadable file only
means no extra cards today (the next grant replaces it), so it is not one of the
files `tutor.store.opening` repairs or a read-only copy takes.
"""

from __future__ import annotations

import json
from pathlib import Path

from tutor.atomic import atomic_write_bytes
from tutor.fileread import UnreadableFile, read_limited
from tutor.store.layout import TODAY_NAME

__all__ = ["TODAY_NAME", "read_extra_new", "write_extra_new"]

TODAY_FORMAT = 1
#: Largest ``today.json`` read (a few hundred bytes in use).
TODAY_LIMIT = 1_000_000


def read_extra_new(path: Path, day: str) -> dict[str, int]:
    """The extra new cards granted for the study day ``day`` (UTC ISO text), by deck key."""
    try:
        data = json.loads(read_limited(path, TODAY_LIMIT, "today's limits"))
    except (FileNotFoundError, UnreadableFile, OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("day") != day:
        return {}
    extra = data.get("extra_new")
    if not isinstance(extra, dict):
        return {}
    return {str(deck): count for deck, count in extra.items()
            if isinstance(count, int) and not isinstance(count, bool) and count > 0}


def write_extra_new(path: Path, day: str, extra: dict[str, int]) -> None:
    """Replace the file with ``extra`` for the study day ``day`` (raises `OSError`)."""
    data = {"format": TODAY_FORMAT, "day": day, "extra_new": dict(sorted(extra.items()))}
    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n",
                       make_parents=False)
