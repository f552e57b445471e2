"""The review history file: append-only, one checksummed line per fold.

``reviews.jsonl`` grows only at the end. Each fold of the journal appends one
line ``{"seq": S, "events": [...]}`` holding, in order, what happened to the
history since the previous fold: ``["r", row]`` a review was added, ``["u", id]``
the last review was undone, ``["a", row]`` a review was amended, ``["reset"]``
everything before is replaced by the rows that follow (written once after the
file lost its end). ``S`` is the journal sequence number the fold covers.
``study.json`` records how many bytes of this file are committed. Lines past that
are a fold that was written but never committed (tutor stopped before rewriting
``study.json``): the journal still holds their changes, so opening adopts them
(`read_region` tells which). Repair only ever appends to this file; the one
exception, an unfinished last line, is cut off after the file was copied aside.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.store.codec import CARD, DECK, ID, KIND, REVIEW_FIELDS, TIME, check_row
from tutor.store.journal import decode_line, encode_line

HISTORY_NAME = "reviews.jsonl"
_ROW_LENGTH = len(REVIEW_FIELDS)


def append_fold(path: Path, seq: int, events: list[list[Any]]) -> int:
    """Append one fold's events durably; return the file's new size."""
    line = encode_line({"seq": seq, "events": events})
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)


def complete_size(path: Path) -> int:
    """Length of the file up to the end of its last complete line (0 when missing)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    return data.rfind(b"\n") + 1


def file_size(path: Path) -> int:
    """Size of ``path`` in bytes (0 when missing)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


@dataclass
class Region:
    """The part of the history file past its committed length."""

    at_line_start: bool
    """The committed length ends a line (else the committed part itself was damaged)."""
    seqs: list[int] = field(default_factory=list)
    """The sequence number of each complete line, in order."""
    readable: bool = True
    """Every complete line is a fold line."""
    end: int = 0
    """Where the last complete line ends (the committed length when there is none)."""
    torn: int = 0
    """Bytes of an unfinished last line after ``end``."""


def read_region(path: Path, start: int) -> Region:
    """Read the lines of ``path`` from byte ``start`` (the committed length) on."""
    with open(path, "rb") as handle:
        handle.seek(max(0, start - 1))
        data = handle.read()
    at_line_start = start == 0 or data[:1] == b"\n"
    data = data[1:] if start else data
    last = data.rfind(b"\n") + 1
    region = Region(at_line_start=at_line_start, end=start + last, torn=len(data) - last)
    for line in data[:last].split(b"\n")[:-1]:
        try:
            entry = decode_line(line)
            seq, events = entry["seq"], entry["events"]
            if isinstance(seq, bool) or not isinstance(seq, int) or not isinstance(events, list):
                raise ValueError("malformed history line")
        except (ValueError, KeyError):
            region.readable = False
            continue
        region.seqs.append(seq)
    return region


def cut_to(path: Path, size: int) -> None:
    """Drop everything after ``size`` bytes (the caller has kept a copy, or wrote them itself)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class LoadedHistory:
    """The rows a history file holds, and what could not be read."""

    rows: list[list[Any]] = field(default_factory=list)
    last_seq: int = 0
    size: int = 0
    """Bytes read (up to the end of the last complete line)."""
    damaged_lines: int = 0
    broken_events: int = 0
    """Events that did not fit (an undo or amendment of a review that is not there)."""


def load_history(path: Path, limit: int | None = None) -> LoadedHistory:
    """Read the first ``limit`` bytes (all when None) and replay their events."""
    loaded = LoadedHistory()
    try:
        with open(path, "rb") as handle:
            data = handle.read() if limit is None else handle.read(limit)
    except FileNotFoundError:
        return loaded
    end = data.rfind(b"\n") + 1
    loaded.size = end
    rows = loaded.rows
    for line in data[:end].split(b"\n")[:-1]:
        try:
            entry = decode_line(line)
            events = entry["events"]
            seq = entry["seq"]
            if not isinstance(events, list) or not isinstance(seq, int):
                raise ValueError("malformed history line")
        except (ValueError, KeyError):
            loaded.damaged_lines += 1
            continue
        loaded.last_seq = max(loaded.last_seq, seq)
        last_id = rows[-1][ID] if rows else None
        for event in events:
            # The common case inline (a review added after the last one): the same checks
            # as `apply_event`, without a call per review.
            if (type(event) is list and len(event) == 2 and event[0] == "r"
                    and type(row := event[1]) is list and len(row) == _ROW_LENGTH
                    and type(row_id := row[ID]) is int and type(row[CARD]) is str
                    and type(row[DECK]) is str and type(row[TIME]) is str
                    and type(row[KIND]) is str and (last_id is None or row_id > last_id)):
                rows.append(row)
                last_id = row_id
                continue
            if event == ["reset"]:
                rows.clear()
                loaded.damaged_lines = loaded.broken_events = 0
            else:
                try:
                    apply_event(rows, event)
                except (ValueError, TypeError, IndexError, KeyError):
                    loaded.broken_events += 1
            last_id = rows[-1][ID] if rows else None
    return loaded


def apply_event(rows: list[list[Any]], event: Any) -> None:
    """Apply one history event to ``rows`` (ordered by id)."""
    kind, value = event
    if kind == "r":
        check_row(value)
        if rows and value[ID] <= rows[-1][ID]:
            raise ValueError("review id out of order")
        rows.append(value)
    elif kind == "u":
        if not rows or rows[-1][ID] != value:
            raise ValueError("undo of a review that is not the last")
        rows.pop()
    elif kind == "a":
        check_row(value)
        index = bisect.bisect_left(rows, value[ID], key=lambda row: row[ID])
        if index >= len(rows) or rows[index][ID] != value[ID]:
            raise ValueError("amendment of a missing review")
        rows[index] = value
    else:
        raise ValueError(f"unknown history event {kind!r}")
