"""The main file's schema version and the migrations that bring old files up to date.

Version 0 is a TinyDB file without tutor's ``_meta`` table (what TinyDB's own
JSONStorage writes); version 1 adds ``_meta`` (schema, sequence number) and the
``cards``, ``reviews`` and ``exams`` tables. A migration is a pure function from
the raw data of version N to version N+1; the store keeps a copy of the file as
it was before migrating (``study.json.schemaN``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 1
META_TABLE = "_meta"
META_ID = "1"
TABLES = ("cards", "reviews", "exams")

Data = dict[str, Any]


def schema_of(data: Data) -> int:
    """The schema version of raw file data; ``ValueError`` if the meta table is malformed."""
    meta = data.get(META_TABLE)
    if meta is None:
        return 0
    doc = meta.get(META_ID) if isinstance(meta, dict) else None
    version = doc.get("schema") if isinstance(doc, dict) else None
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError("the _meta table has no valid schema version")
    return version


def _from_0(data: Data) -> Data:
    """Add the meta table and tutor's tables to a plain TinyDB file."""
    migrated = dict(data)
    for name in TABLES:
        migrated.setdefault(name, {})
    migrated[META_TABLE] = {META_ID: {"schema": 1, "seq": 0}}
    return migrated


#: ``MIGRATIONS[n]`` turns version ``n`` data into version ``n + 1``.
MIGRATIONS: dict[int, Callable[[Data], Data]] = {0: _from_0}


def migrate(data: Data) -> tuple[Data, int]:
    """Bring ``data`` to `SCHEMA_VERSION`; return it and the version it had.

    Raises ``ValueError`` for a version newer than this tutor knows; the caller
    turns that into a clear `StoreError`.
    """
    original = version = schema_of(data)
    if version > SCHEMA_VERSION:
        raise ValueError(f"schema {version} is newer than {SCHEMA_VERSION}")
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data[META_TABLE][META_ID]["schema"] = version
    return data, original
