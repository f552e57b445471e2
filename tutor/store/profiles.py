"""Several learners on one machine: one folder per profile under the data folder."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from tutor.settings import Settings
from tutor.store.layout import FILE_NAME, JOURNAL_NAME
from tutor.store.read_only import open_read_only
from tutor.store.study_store import StudyStore


def open_store(settings: Settings, **options: int) -> StudyStore:
    """Open the study store of ``settings.profile`` (``--profile NAME``)."""
    return StudyStore(settings.profile_path, profile=settings.profile,
                      summary_cache=summary_cache_path(settings), **options)


def read_store(settings: Settings) -> AbstractContextManager[StudyStore]:
    """A copy of ``settings.profile``'s store to read, opened without its lock and
    changing none of its files (`open_read_only`): ``with read_store(settings) as store:``."""
    return open_read_only(settings.profile_path, settings.profile,
                          summary_cache=summary_cache_path(settings))


def summary_cache_path(settings: Settings) -> Path:
    """Where the profile's review summaries are cached for reports
    (`tutor.store.summary_cache`): derived data, outside the profile folder."""
    return settings.data_path / "cache" / f"{settings.profile}.summaries"


def list_profiles(settings: Settings) -> list[str]:
    """Names of the profiles that have study data, sorted."""
    folder = settings.data_path / "profiles"
    if not folder.is_dir():
        return []
    return sorted(
        entry.name for entry in folder.iterdir()
        if entry.is_dir() and ((entry / FILE_NAME).exists() or (entry / JOURNAL_NAME).exists())
    )
