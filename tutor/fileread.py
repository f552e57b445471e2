"""Bounded reads of files the learner names: never a device, a FIFO or an unbounded read.

`st_size` is 0 for ``/dev/zero`` and a FIFO blocks ``open`` until a writer comes, so a
size check before ``read_bytes`` guards nothing. `read_limited` opens without blocking,
checks that what it opened is a regular file, and reads at most ``limit + 1`` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """A file that cannot or must not be read; the message is one line for the learner."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_limited(path: Path | str, limit: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``; raises `UnreadableFile` past ``limit`` bytes.

    ``what`` names the file in messages ("deck file", "config file").
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
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"{path} is {_kind(mode)}, not a {what}")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise UnreadableFile(
                f"{path} is over {limit / 1e6:.0f} MB; a {what} this large is refused"
                if limit >= 1_000_000
                else f"{path} is over {limit:,} bytes; a {what} this large is refused"
            )
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
