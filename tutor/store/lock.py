"""One writer per profile: an exclusive ``flock`` on a lock file holding the owner's pid."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from tutor.store.errors import StoreError


class ProfileLock:
    """Held while a store is open; a second process gets a clear `StoreError`.

    The lock belongs to the open file, so it is released when the process ends,
    however it ends (a crash never leaves a stale lock behind).
    """

    def __init__(self, path: Path, profile: str) -> None:
        self.path = path
        self.profile = profile
        self._fd = -1

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._fd >= 0

    def acquire(self) -> None:
        """Take the lock or raise `StoreError` naming the process that has it."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open {self.path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            owner = _read_pid(fd)
            os.close(fd)
            who = f"pid {owner}" if owner else "another process"
            raise StoreError(
                f"profile '{self.profile}' is already open by another tutor ({who});"
                " close it first or use --profile NAME"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (the file stays; it is reused next time)."""
        if self._fd >= 0:
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1


def _read_pid(fd: int) -> int:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return 0
    return int(text) if text.isdigit() else 0
