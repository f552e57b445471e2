"""Reading deck files: encoding detection, and guards against binary, huge and special files."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from tutor import fileread
from tutor.errors import DeckError
from tutor.fileread import UnreadableFile, read_limited

#: Files larger than this are refused rather than parsed (a deck is text, not a dump).
MAX_DECK_BYTES = 20 * 1024 * 1024


def decode_bytes(data: bytes, name: str = "file") -> tuple[str, str]:
    """Decode deck bytes: UTF-8, then UTF-8 with BOM, then cp1252. Returns (text, encoding).

    Binary data (NUL bytes) raises `DeckError`. Line endings are normalised to ``\\n``.
    """
    if b"\x00" in data[:65536]:
        raise DeckError(f"{name} looks like a binary file, not a text deck")
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def read_text(path: Path, max_bytes: int = MAX_DECK_BYTES) -> tuple[str, str]:
    """Read a deck file as text, with the same guards as `decode_bytes`.

    Only a regular file is read, and at most ``max_bytes`` of it (`read_limited`): a
    device such as ``/dev/zero`` reports size 0 and never ends, and a FIFO would block.
    """
    path = Path(path)
    try:
        data = read_limited(path, max_bytes, "deck file")
    except UnreadableFile as exc:
        raise DeckError(str(exc)) from None
    return decode_bytes(data, str(path))


def open_regular(path: Path, what: str = "file") -> BinaryIO:
    """``path`` opened for reading, when it is a regular file; else `DeckError` at once.

    For files read in part (an Anki package's zip index and one member), where
    `read_limited` would read all of it. The open does not block on a FIFO.
    """
    try:
        return fileread.open_regular(path, what)
    except UnreadableFile as exc:
        raise DeckError(str(exc)) from None
