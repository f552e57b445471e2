"""A TinyDB storage that keeps the database in memory and replaces the file atomically.

TinyDB's own JSONStorage truncates and rewrites its file in place on every
change, so a crash mid-write leaves a broken file. This storage instead writes
only when `flush` is called: the new content goes to a temp file in the same
folder, is fsynced, the current file is kept as the backup (a hard link, no
copy), and the temp file is renamed over the original. At every moment there is
a complete file under the main name.

It works on its own too: ``TinyDB(path, storage=AtomicJSONStorage)`` reads the
file, and ``db.close()`` writes it back (with ``path + ".bak"`` as the backup).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

Data = dict[str, Any]


class AtomicJSONStorage(Storage):
    """In-memory TinyDB storage with atomic, backed-up writes to one JSON file."""

    def __init__(self, path: Path | str, data: Data | None = None,
                 backup_path: Path | None = None) -> None:
        self.path = Path(path)
        self.backup_path = backup_path or self.path.with_name(self.path.name + ".bak")
        if data is None:
            data = self.load(self.path) if self.path.exists() else {}
        self._data: Data = data
        self.dirty = False

    def read(self) -> Data:
        """The database as it is in memory (TinyDB's tables mutate this dict)."""
        return self._data

    def write(self, data: Data) -> None:
        """Take TinyDB's new state; it reaches the disk at the next `flush`."""
        self._data = data
        self.dirty = True

    def flush(self, *, keep_backup: bool = True) -> int:
        """Write the file atomically; the file it replaces becomes the backup. Return bytes."""
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":"))
        data = payload.encode("utf-8")
        folder = self.path.parent
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if keep_backup and self.path.exists():
                replace_with_link(self.path, self.backup_path)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        fsync_folder(folder)
        self.dirty = False
        return len(data)

    @staticmethod
    def load(path: Path) -> Data:
        """Parse a store file; ``ValueError`` with a short reason when it is unreadable."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ValueError(exc.strerror or str(exc)) from None
        if not raw.strip():
            raise ValueError("the file is empty")
        try:
            data = json.loads(raw)
        except UnicodeDecodeError:
            raise ValueError("the file is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON at byte {exc.pos}") from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise ValueError("not a TinyDB database")
        return data

    def close(self) -> None:
        """Write what changed since the last `flush` (the file is open only while writing)."""
        if self.dirty:
            self.flush()


def replace_with_link(source: Path, target: Path) -> None:
    """Make ``target`` the same content as ``source`` (hard link; copy where links fail)."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def fsync_folder(folder: Path) -> None:
    """Make renames in ``folder`` durable (a no-op where folders cannot be fsynced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
