"""A TinyDB storage that keeps the database in memory and replaces the file atomically.

TinyDB's own JSONStorage truncates and rewrites its file in place on every
change, so a crash mid-write leaves a broken file. This storage instead writes
only when `flush` is called, through `tutor.atomic.atomic_write_bytes`: the new
content goes to a temp file in the same folder, is fsynced, the current file is
kept as the backup (a hard link, no copy), and the temp file is renamed over the
original. At every moment there is a complete file under the main name.

It works on its own too: ``TinyDB(path, storage=AtomicJSONStorage)`` reads the
file, and ``db.close()`` writes it back (with ``path + ".bak"`` as the backup).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from tutor.atomic import atomic_write_bytes

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
        atomic_write_bytes(self.path, data, make_parents=False,
                           backup=self.backup_path if keep_backup else None)
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
