"""The store's error: study data that cannot be opened or written."""

from __future__ import annotations

from tutor.errors import TutorError


class StoreError(TutorError):
    """Study data is locked by another tutor, written by a newer tutor, or cannot be saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message, title="Study data error")
