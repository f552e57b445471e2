"""The review summaries of the history file, cached so a report need not parse it again.

A report reads every review, but only the 12 columns of a `ReviewSummary`; parsing the
JSON of 100,000 reviews takes most of a second on a small machine. The history file only
grows at its end (`tutor.store.history`), so the summaries of its first ``N`` bytes stay
right while those bytes are the same: the cache keeps them with ``N`` and checksums of the
file's first and last 4 KiB before ``N``. A report reads the cache, replays only the
history written since (a few folds: the sessions since the last report), and writes the
cache again for the new length.

The cache is derived data, kept apart from the profile (``<data dir>/cache/<profile>
.summaries``): anything wrong with it - missing, damaged, written by another version, for
another history - and it is ignored and rebuilt from the history; nothing reads it but this
module. Any surprise in the history itself (a damaged line, an event that does not fit, a
malformed review) makes `history_summaries` answer None, so the caller reads the history
the full way, which reports such damage.
"""

from __future__ import annotations

import bisect
import marshal
import os
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

from tutor.atomic import atomic_write_bytes
from tutor.fileread import UnreadableFile, read_limited
from tutor.gcpause import paused_gc
from tutor.schedule.model import KINDS, ReviewSummary
from tutor.store.codec import ID, REVIEW_FIELDS, TIME, check_row, summary_from_row
from tutor.store.journal import decode_line

MAGIC = b"tutor review summaries\n"
#: Bump when the cached columns change: a cache of another format is rebuilt.
CACHE_FORMAT = 1
#: How many bytes at each end of the covered part are checksummed.
ANCHOR_BYTES = 4096
#: A cache larger than this (or than twice the history it covers, plus a margin) is not read.
MAX_CACHE_BYTES = 512 * 1024 * 1024
#: The cache is written again once the history grew by more than 1/REFRESH of what it covers
#: (a few sessions; replaying them is cheaper than rewriting the cache after each).
REFRESH = 16
_ROW_LENGTH = len(REVIEW_FIELDS)
_INT_COLUMNS = (0, 5, 6, 7, 8)
_STR_COLUMNS = (1, 2, 3, 4, 9, 10, 11)


def history_summaries(history: Path, limit: int, cache: Path) -> list[ReviewSummary] | None:
    """The summaries of every review in the first ``limit`` bytes of ``history`` (the
    committed part), using and refreshing ``cache``. None when the history holds anything
    unexpected: the caller then reads it in full (`load_history`), which says what."""
    with paused_gc():
        try:
            with open(history, "rb") as handle:
                cached = _read_cache(cache, handle, limit)
                start, summaries, times = cached if cached is not None else (0, [], [])
                handle.seek(start)
                data = handle.read(limit - start)
        except OSError:
            return None
        if len(data) != limit - start or (data and not data.endswith(b"\n")):
            return None
        try:
            _replay(data, summaries, times)
        except (ValueError, TypeError, KeyError, IndexError):
            return None
        if cached is None or limit - start > start // REFRESH:
            _write_cache(cache, history, limit, summaries, times)
        return summaries


def _replay(data: bytes, summaries: list[ReviewSummary], times: list[str]) -> None:
    """Apply the history events in ``data`` (whole lines) to ``summaries`` (and ``times``,
    their times as stored); raises on any damaged line or event that does not fit (the full
    read then reports it)."""
    make = summary_from_row
    for line in data.split(b"\n")[:-1]:
        entry = decode_line(line)
        events, seq = entry["events"], entry["seq"]
        if type(events) is not list or type(seq) is not int:
            raise ValueError("malformed history line")
        last_id = summaries[-1].id if summaries else None
        for event in events:
            if (type(event) is list and len(event) == 2 and event[0] == "r"
                    and type(row := event[1]) is list and len(row) == _ROW_LENGTH
                    and type(row_id := row[ID]) is int
                    and (last_id is None or row_id > last_id)):
                check_row(row)
                summaries.append(make(row))
                times.append(row[TIME])
                last_id = row_id
                continue
            if event == ["reset"]:
                summaries.clear()
                times.clear()
                last_id = None
                continue
            kind, value = event
            if kind == "u" and summaries and summaries[-1].id == value:
                summaries.pop()
                times.pop()
            elif kind == "a":
                check_row(value)
                index = bisect.bisect_left(summaries, value[ID], key=lambda s: s.id)
                if index >= len(summaries) or summaries[index].id != value[ID]:
                    raise ValueError("amendment of a missing review")
                summaries[index] = make(value)
                times[index] = value[TIME]
            else:
                raise ValueError("history event that does not fit")
            last_id = summaries[-1].id if summaries else None


def _anchors(handle: Any, covered: int) -> tuple[int, int]:
    """Checksums of the first and the last `ANCHOR_BYTES` of the file's first ``covered``."""
    handle.seek(0)
    head = handle.read(min(ANCHOR_BYTES, covered))
    handle.seek(max(0, covered - ANCHOR_BYTES))
    tail = handle.read(min(ANCHOR_BYTES, covered))
    return zlib.crc32(head), zlib.crc32(tail)


def _read_cache(cache: Path, handle: Any,
                limit: int) -> tuple[int, list[ReviewSummary], list[str]] | None:
    """(bytes covered, summaries, their stored times) from the cache when it fits this
    history, else None."""
    try:  # a regular file only (a FIFO would block, a device never end), and bounded
        raw = read_limited(cache, min(MAX_CACHE_BYTES, 2 * limit + 65536), "summary cache")
    except UnreadableFile:
        return None
    header = len(MAGIC) + 9
    if not raw.startswith(MAGIC) or raw[header - 1:header] != b"\n":
        return None
    payload = raw[header:]
    try:
        if int(raw[len(MAGIC):header - 1], 16) != zlib.crc32(payload):
            return None
        version, covered, head_crc, tail_crc, columns = marshal.loads(payload)
    except (ValueError, TypeError, EOFError):
        return None
    if (version != CACHE_FORMAT or type(covered) is not int or not 0 < covered <= limit
            or _anchors(handle, covered) != (head_crc, tail_crc)):
        return None
    summaries = _from_columns(columns)
    return None if summaries is None else (covered, summaries, columns[3])


def _from_columns(columns: Any) -> list[ReviewSummary] | None:
    """The summaries of the cached columns (None when they are not what this version writes)."""
    if (type(columns) is not tuple or len(columns) != len(ReviewSummary._fields)
            or any(type(column) is not list for column in columns)
            or len({len(column) for column in columns}) != 1):
        return None
    if (any(set(map(type, columns[i])) - {int} for i in _INT_COLUMNS)
            or any(set(map(type, columns[i])) - {str} for i in _STR_COLUMNS)
            or not set(columns[4]).issubset(KINDS)):
        return None
    try:
        times = list(map(datetime.fromisoformat, columns[3]))
    except ValueError:
        return None
    if any(moment.tzinfo is None for moment in times):
        return None
    make = ReviewSummary._make
    return list(map(make, zip(*columns[:3], times, *columns[4:])))


def _write_cache(cache: Path, history: Path, covered: int, summaries: list[ReviewSummary],
                 times: list[str]) -> None:
    """Save the summaries of the history's first ``covered`` bytes (quietly: a cache that
    cannot be written only makes the next report slower)."""
    if covered == 0:
        return
    columns = [list(column) for column in zip(*summaries)] if summaries else [
        [] for _ in ReviewSummary._fields]
    columns[3] = times
    for index in _STR_COLUMNS:
        if index != 3:  # each card id, deck, topic... once in the file: smaller and faster to read
            same: dict[str, str] = {}
            columns[index][:] = [same.setdefault(text, text) for text in columns[index]]
    try:
        with open(history, "rb") as handle:
            head_crc, tail_crc = _anchors(handle, covered)
        payload = marshal.dumps((CACHE_FORMAT, covered, head_crc, tail_crc, tuple(columns)))
        atomic_write_bytes(cache, MAGIC + b"%08x\n" % zlib.crc32(payload) + payload)
    except (OSError, ValueError):
        try:
            os.unlink(cache)  # never leave a cache that no longer fits
        except OSError:
            pass
