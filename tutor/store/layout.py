"""The files of one profile folder, by name (what each holds: `tutor.store.study_store`)."""

from __future__ import annotations

from tutor.store.history import HISTORY_NAME

FILE_NAME = "study.json"
BACKUP_NAME = "study.json.bak"
JOURNAL_NAME = "study.journal"
PREVIOUS_JOURNAL_NAME = "study.journal.prev"
LOCK_NAME = "study.lock"
#: Today's extra new cards (`tutor.store.today`): no study data, so not in `DATA_FILES`
#: (a read-only copy does not need it and opening never repairs it).
TODAY_NAME = "today.json"
#: The files that hold study data (the lock file holds none).
DATA_FILES = (FILE_NAME, BACKUP_NAME, HISTORY_NAME, JOURNAL_NAME, PREVIOUS_JOURNAL_NAME)

__all__ = ["BACKUP_NAME", "DATA_FILES", "FILE_NAME", "HISTORY_NAME", "JOURNAL_NAME", "LOCK_NAME",
           "PREVIOUS_JOURNAL_NAME", "TODAY_NAME"]
