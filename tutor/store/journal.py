"""The write-ahead journal: one JSON line per change, checksummed, on disk per append.

Each line is ``<crc32 of the JSON, 8 hex digits> <JSON>\\n``. A line cut short by a
crash (no final newline) is the change that was being written: readers drop it
and report it as a torn tail; a complete line whose checksum fails is damage.
The first line is a header: ``{"journal": 1, "schema": N, "base": SEQ}`` where
``base`` is the sequence number already folded into the main file.

The file is grown ahead of the writes with zero bytes (`GROW_BYTES` at a time),
and each line is written over those zeros and flushed with ``fdatasync``: the
file's size does not change, so the flush is one data write with no file-system
metadata to commit - the same trick as a database's write-ahead log. Readers
ignore the trailing zeros.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JOURNAL_FORMAT = 1
#: How far ahead of the last line the file is grown with zeros.
GROW_BYTES = 256 * 1024
_datasync = getattr(os, "fdatasync", os.fsync)
#: What the start of a line looks like: a write cut short leaves a prefix of this.
_LINE_START = re.compile(rb"[0-9a-f]{0,8}\Z|[0-9a-f]{8} (\{.*)?\Z", re.DOTALL)


def encode_line(entry: dict[str, Any]) -> bytes:
    """One journal line for ``entry``."""
    payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return b"%08x " % zlib.crc32(payload) + payload + b"\n"


def decode_line(line: bytes) -> dict[str, Any]:
    """The entry of one complete line; ``ValueError`` when it is damaged."""
    if len(line) < 10 or line[8:9] != b" ":
        raise ValueError("malformed journal line")
    payload = line[9:]
    if int(line[:8], 16) != zlib.crc32(payload):
        raise ValueError("journal line fails its checksum")
    entry = json.loads(payload)
    if not isinstance(entry, dict):
        raise ValueError("journal line is not an object")
    return entry


@dataclass
class JournalContents:
    """What a journal file holds."""

    header: dict[str, Any] | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    damaged: int = 0
    """Complete lines that could not be read."""
    damaged_at: list[int] = field(default_factory=list)
    """Their line numbers (0 is the header's place)."""
    anchor: tuple[int, int] | None = None
    """(line number, sequence number) of the header or the first readable entry: each
    later line holds the next number, so a damaged line's number can be worked out."""
    torn_bytes: int = 0
    """Bytes of an unfinished last line (a write cut short, or garbage)."""
    torn_garbage: bool = False
    """The unfinished last line is not the start of a journal line: damage, not a torn write."""
    good_size: int = 0
    """Length of the file up to the end of its last complete line."""
    size: int = 0
    """Length of the file without its zero padding."""

    @property
    def base(self) -> int:
        """The header's ``base``: the sequence number it starts after (0 when it has none)."""
        base = (self.header or {}).get("base", 0)
        return base if isinstance(base, int) and not isinstance(base, bool) else 0


def read_journal(path: Path) -> JournalContents:
    """Read a journal file (a missing file reads as empty)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalContents()
    data = data.rstrip(b"\0")
    contents = JournalContents(size=len(data))
    end = data.rfind(b"\n") + 1
    contents.good_size = end
    contents.torn_bytes = len(data) - end
    contents.torn_garbage = bool(contents.torn_bytes) and not _LINE_START.match(data[end:])
    for number, line in enumerate(data[:end].split(b"\n")[:-1]):
        try:
            entry = decode_line(line)
        except ValueError:
            contents.damaged += 1
            contents.damaged_at.append(number)
            continue
        if number == 0 and "journal" in entry:
            contents.header = entry
            seq = entry.get("base")
        else:
            contents.entries.append(entry)
            seq = entry.get("seq")
        if contents.anchor is None and isinstance(seq, int) and not isinstance(seq, bool):
            contents.anchor = (number, seq)
    return contents


def header_base(path: Path) -> int:
    """The ``base`` in the header of the journal at ``path`` (0 when it has none); reads
    the first line only."""
    try:
        with open(path, "rb") as handle:
            first = handle.read(4096).split(b"\n", 1)
    except FileNotFoundError:
        return 0
    try:
        base = decode_line(first[0]).get("base", 0) if len(first) == 2 else 0
    except ValueError:
        return 0
    return base if isinstance(base, int) and not isinstance(base, bool) else 0


def damaged_seqs(contents: JournalContents) -> list[int | None]:
    """The sequence number each damaged line held (None where nothing tells; the header's
    place, line 0, holds no change and is left out)."""
    seqs: list[int | None] = []
    for number in contents.damaged_at:
        if number == 0:
            continue
        if contents.anchor is None:
            seqs.append(None)
        else:
            line, seq = contents.anchor
            seqs.append(seq + number - line)
    return seqs


class JournalWriter:
    """Appends entries to a journal file; each append is on disk when it returns."""

    def __init__(self, path: Path, *, truncate_to: int | None = None) -> None:
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            allocated = os.fstat(self._fd).st_size
            if truncate_to is None:
                data = os.pread(self._fd, allocated, 0) if allocated else b""
                truncate_to = len(data.rstrip(b"\0"))
            if truncate_to < allocated:
                os.ftruncate(self._fd, truncate_to)
                os.fsync(self._fd)
        except BaseException:
            os.close(self._fd)
            raise
        self.size = truncate_to
        """Bytes of journal lines (the file may be longer: zero padding)."""
        self._allocated = truncate_to

    def append(self, entry: dict[str, Any]) -> int:
        """Write one entry and flush it to disk; return the bytes written."""
        line = encode_line(entry)
        end = self.size + len(line)
        if end > self._allocated:
            self._grow(end)
        view = memoryview(line)
        offset = self.size
        while view:
            written = os.pwrite(self._fd, view, offset)
            view, offset = view[written:], offset + written
        _datasync(self._fd)
        self.size = end
        return len(line)

    def _grow(self, needed: int) -> None:
        """Extend the file with zeros past ``needed`` and make the new size durable."""
        target = max(needed, self._allocated) + GROW_BYTES
        zeros = bytes(target - self._allocated)
        view, offset = memoryview(zeros), self._allocated
        while view:
            written = os.pwrite(self._fd, view, offset)
            view, offset = view[written:], offset + written
        os.fsync(self._fd)
        self._allocated = target

    def close(self) -> None:
        """Close the file (every append is already on disk)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
