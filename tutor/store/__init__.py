"""Study data: a snapshot (TinyDB), an append-only history and a journal; one writer,
any number of readers of a copy (`read_store`)."""

from tutor.store.errors import StoreError
from tutor.store.profiles import list_profiles, open_store, read_store
from tutor.store.read_only import damage_note, open_read_only
from tutor.store.recovery import Recovery
from tutor.store.schema import SCHEMA_VERSION
from tutor.store.storage import AtomicJSONStorage
from tutor.store.study_store import StudyStore

__all__ = [
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "Recovery",
    "StoreError",
    "StudyStore",
    "damage_note",
    "list_profiles",
    "open_read_only",
    "open_store",
    "read_store",
]
