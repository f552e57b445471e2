"""Bounded reads of files the learner names: never a device, a FIFO or an unbounded read.

`st_size` is 0 for ``/dev/zero`` and a FIFO blocks ``open`` until a writer comes, so a
size check before ``read_bytes`` guards nothing. `read_limited` opens without blocking,
checks that what it opened is a regular file, and reads at most ``limit + 1`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class UnreadableFile(Exception):
    """A file that cannot or must not be read; the message is one line for the learner."""


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ('a device', 'a pipe (FIFO)', ...)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: Path | str, what: str = "file") -> BinaryIO:
    """``path`` opened for reading when it is a regular file; else `UnreadableFile` at once.

    The open does not block on a FIFO and never makes a terminal the controlling one.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnreadableFile(f"no such {what}: {path}") from None
    except PermissionError:
        raise UnreadableFile(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnreadableFile(f"{path} is {file_kind(mode)}, not a {what}")
    return os.fdopen(fd, "rb")


def read_limited(path: Path | str, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``; raises `UnreadableFile` past ``limit`` bytes.

    ``what`` names the file in messages ("deck file", "config file").
    """
    with open_regular(path, what) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UnreadableFile(
            f"{path} is over {limit / 1e6:.0f} MB; a {what} this large is refused"
            if limit >= 1_000_000
            else f"{path} is over {limit:,} bytes; a {what} this large is refused"
        )
    return data
