"""Reading deck files: encoding detection, and guards against binary, huge and special files."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

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
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise DeckError(f"no such {what}: {path}") from None
    except PermissionError:
        raise DeckError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise DeckError(f"cannot read {path}: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise DeckError(f"{path} is {_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, "
                        f"not a {what}")
    return os.fdopen(fd, "rb")


_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
}
