"""Reading a profile without touching it: a consistent copy, opened in a temporary folder.

`open_read_only` copies the profile's data files (again when a tutor that has the
profile open changed them during the copy) and opens a `StudyStore` on the copy. The
profile's lock is not taken and none of its files changes: a repair the copy needs is
made in the copy only, and said by `damage_note`. ``tutor report``, ``tutor exam
--history`` and ``tutor study --weak`` read this way, so they work while the app has
the profile open.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tutor.store.errors import StoreError
from tutor.store.layout import DATA_FILES
from tutor.store.study_store import StudyStore

#: How often to copy again when the profile changed while it was being copied.
COPY_ATTEMPTS = 5


@contextmanager
def open_read_only(folder: Path, profile: str, *,
                   summary_cache: Path | None = None) -> Iterator[StudyStore]:
    """A store opened on a copy of the profile in ``folder``; the copy is deleted after.
    ``summary_cache``: the profile's summary cache (`StudyStore.summary_cache`), which is
    read and refreshed (it is not in the profile folder).

    A profile with no study data yet reads as empty (and nothing is created in
    ``folder``). Writes to the store change only the copy. Raises `StoreError` (one
    line) when the files cannot be read or kept changing during every copy.
    """
    with tempfile.TemporaryDirectory(prefix="tutor-read-") as scratch:
        copy = Path(scratch) / "profile"
        copy_profile(folder, copy, profile)
        try:
            store = StudyStore(copy, profile=profile, summary_cache=summary_cache)
        except OSError as exc:
            raise StoreError(f"cannot read the study data of profile '{profile}':"
                             f" {exc.strerror or exc}") from None
        try:
            yield store
        finally:
            store.close()


def damage_note(store: StudyStore, shown: str) -> str | None:
    """One line when the copy had to be repaired: what is wrong, and that ``shown`` (e.g.
    'this report') holds what could be read. None when nothing was damaged."""
    recovery = store.recovery
    if recovery is None or not recovery.damage:
        return None
    return (f"the study data of profile '{store.profile}' is damaged ({recovery.damage});"
            f" {shown} shows what could be read, and the next 'tutor study' repairs it")


def copy_profile(folder: Path, copy: Path, profile: str) -> None:
    """Copy the study files, again while another tutor changes them during the copy."""
    for attempt in range(COPY_ATTEMPTS):
        before = _fingerprint(folder)
        if copy.exists():
            shutil.rmtree(copy)
        copy.mkdir(parents=True)
        try:
            for name in DATA_FILES:
                if (folder / name).exists():
                    shutil.copyfile(folder / name, copy / name)
        except FileNotFoundError:
            continue  # replaced between the check and the copy: copy again
        except OSError as exc:
            raise StoreError(f"cannot read the study data of profile '{profile}' in {folder}:"
                             f" {exc.strerror or exc}") from None
        if _fingerprint(folder) == before:
            return
        time.sleep(0.05 * (attempt + 1))
    raise StoreError(f"the study data of profile '{profile}' kept changing while it was read"
                     " (a session is saving); try again in a moment")


def _fingerprint(folder: Path) -> dict[str, tuple[int, int, int]]:
    found = {}
    for name in DATA_FILES:
        try:
            info = os.stat(folder / name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(f"cannot read {folder / name}: {exc.strerror or exc}") from None
        found[name] = (info.st_ino, info.st_size, info.st_mtime_ns)
    return found
