"""Study history persisted in TinyDB: atomic, versioned, one writer."""

from tutor.store.errors import StoreError
from tutor.store.profiles import list_profiles, open_store
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
    "list_profiles",
    "open_store",
]
