"""One generation of ``study.json``: reading it (or rebuilding it from the history) into
memory, and writing memory back into its TinyDB tables at a fold (`write_snapshot`).

The tables: ``_meta`` (schema version, sequence numbers, how much of the history file
is committed, last-studied times), ``cards`` (one state per reviewed card, keyed by card
id), ``recent`` (the newest reviews, one document of rows) and ``exams``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document, Table

from tutor import __version__
from tutor.schedule.model import CardState
from tutor.store.codec import (
    CARD,
    DECK,
    ID,
    REVIEW_FIELDS,
    TIME,
    check_row,
    rows_in_current_layout,
    state_after,
    state_doc,
    state_from_doc,
)
from tutor.store.errors import StoreError
from tutor.store.history import LoadedHistory, load_history
from tutor.store.schema import META_ID, META_TABLE, SCHEMA_VERSION, migrate, schema_of
from tutor.store.storage import AtomicJSONStorage


class KeyedTable(Table):
    """A TinyDB table keyed by text (card ids) instead of numbers."""

    document_id_class = str  # type: ignore[assignment]


class Damaged(Exception):
    """A store file that cannot be used (the message is the reason)."""


@dataclass
class Snapshot:
    """The contents of one ``study.json`` (or what was rebuilt without one), decoded."""

    data: dict[str, Any] = field(default_factory=dict)
    """The raw TinyDB data (the store keeps using it as its database)."""
    seq: int = 0
    """The last journal sequence number this generation includes."""
    next_review_id: int = 1
    states: dict[str, CardState] = field(default_factory=dict)
    exams: dict[int, dict[str, Any]] = field(default_factory=dict)
    recent: list[list[Any]] = field(default_factory=list)
    """The newest review rows (all of them when rebuilt from the history)."""
    history_bytes: int = 0
    """How much of ``reviews.jsonl`` this generation committed."""
    history_rows: int = 0
    last_by_deck: dict[str, str] = field(default_factory=dict)
    monotonic: bool = True
    """True while review times never went backwards (lets time searches bisect)."""
    schema: int = SCHEMA_VERSION
    """The schema the file had before migrating."""


def newer_schema_error(path: Path, version: int) -> StoreError:
    """The error for a file written by a newer tutor."""
    return StoreError(f"the study data in {path} was written by a newer tutor (schema {version};"
                      f" tutor {__version__} reads up to schema {SCHEMA_VERSION}): upgrade tutor"
                      " to open it")


def read_snapshot(path: Path) -> Snapshot:
    """Load, migrate and check one ``study.json``.

    Raises `Damaged` when the file cannot be used and `StoreError` when a newer
    tutor wrote it (that file must not be "repaired" with an older backup).
    """
    try:
        data = AtomicJSONStorage.load(path)
        version = schema_of(data)
    except ValueError as exc:
        raise Damaged(str(exc)) from None
    if version > SCHEMA_VERSION:
        raise newer_schema_error(path, version)
    try:
        data, original = migrate(data)
        return decode_snapshot(path, data, original)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise Damaged(f"unreadable content ({exc})") from None


def decode_snapshot(path: Path, data: dict[str, Any], schema: int) -> Snapshot:
    """Decode migrated TinyDB data through TinyDB's tables; ``ValueError`` when malformed."""
    db = TinyDB(storage=AtomicJSONStorage, path=path, data=data)
    meta = db.table(META_TABLE).get(doc_id=int(META_ID))
    if not isinstance(meta, dict):
        raise ValueError("no meta document")
    snapshot = Snapshot(data=data, schema=schema)
    for name in ("seq", "next_review_id", "history_bytes", "history_rows"):
        value = meta.get(name, getattr(snapshot, name))
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"bad meta value {name}")
        setattr(snapshot, name, value)
    last = meta.get("last_studied", {})
    if not isinstance(last, dict) or not all(isinstance(v, str) for v in last.values()):
        raise ValueError("bad meta value last_studied")
    snapshot.last_by_deck = dict(last)
    snapshot.monotonic = bool(meta.get("monotonic", True))
    for doc in KeyedTable(db.storage, "cards"):
        snapshot.states[str(doc.doc_id)] = state_from_doc(str(doc.doc_id), dict(doc))
    for chunk in sorted(db.table("recent"), key=lambda doc: doc.doc_id):
        snapshot.recent.extend(rows_in_current_layout(chunk.get("fields"), chunk.get("rows")))
    last_id = 0
    for row in snapshot.recent:
        check_row(row)
        if row[ID] <= last_id:
            raise ValueError("review ids out of order")
        last_id = row[ID]
    if len(snapshot.recent) > snapshot.history_rows:
        raise ValueError("more recent reviews than reviews")
    snapshot.next_review_id = max(snapshot.next_review_id, last_id + 1)
    for doc in db.table("exams"):
        snapshot.exams[int(doc.doc_id)] = dict(doc)
    return snapshot


def write_snapshot(db: TinyDB, snapshot: Snapshot, changed_cards: set[str]) -> None:
    """Put ``snapshot`` into ``db``'s tables, the inverse of `decode_snapshot`.

    Only the cards in ``changed_cards`` are rewritten (a card without a state is
    removed); ``snapshot.data`` is not used: ``db`` holds the data. Nothing reaches the
    disk until the caller flushes the storage.
    """
    meta = db.table(META_TABLE)
    meta.truncate()
    meta.insert(Document({
        "schema": SCHEMA_VERSION, "seq": snapshot.seq, "next_review_id": snapshot.next_review_id,
        "history_bytes": snapshot.history_bytes, "history_rows": snapshot.history_rows,
        "last_studied": snapshot.last_by_deck, "monotonic": snapshot.monotonic,
        "writer": f"tutor {__version__}",
    }, doc_id=int(META_ID)))
    cards = KeyedTable(db.storage, "cards")
    if changed_cards:
        cards.remove(doc_ids=list(changed_cards))  # type: ignore[arg-type]
        cards.insert_multiple(
            Document(state_doc(snapshot.states[cid]), doc_id=cid)  # type: ignore[arg-type]
            for cid in changed_cards if cid in snapshot.states)
    recent = db.table("recent")
    recent.truncate()
    recent.insert(Document({"fields": list(REVIEW_FIELDS), "rows": snapshot.recent}, doc_id=1))
    exams = db.table("exams")
    exams.truncate()
    exams.insert_multiple(Document(record, doc_id=key) for key, record in snapshot.exams.items())


def implausible(snapshot: Snapshot) -> str:
    """Why a readable snapshot cannot be one tutor wrote ('' when it can).

    A fold writes the newest reviews and the state of every card they name, so a
    file that records reviews but holds none, or lacks the state of a card its own
    reviews name, was emptied or cut down by something else.
    """
    if snapshot.history_rows and not snapshot.recent:
        return f"no reviews although it records {snapshot.history_rows}"
    missing = {row[CARD] for row in snapshot.recent} - snapshot.states.keys()
    if missing:
        return f"no state for {len(missing)} of the cards its reviews name"
    return ""


def snapshot_from_history(history: Path) -> tuple[Snapshot, LoadedHistory]:
    """Without a usable ``study.json``: card states rebuilt from the whole review history.

    Returns the snapshot (every review in ``recent``) and what reading the history
    found. Exam records are not in the history; the caller adds them.
    """
    loaded = load_history(history)
    snapshot = Snapshot(seq=loaded.last_seq, recent=loaded.rows, history_bytes=loaded.size,
                        history_rows=len(loaded.rows))
    for row in loaded.rows:
        try:
            snapshot.states[row[CARD]] = state_after(row)
        except (ValueError, TypeError):
            loaded.broken_events += 1  # the card keeps the state of its previous review
        snapshot.next_review_id = row[ID] + 1
        if row[TIME] > snapshot.last_by_deck.get(row[DECK], ""):
            snapshot.last_by_deck[row[DECK]] = row[TIME]
    snapshot.monotonic = in_time_order(loaded.rows)
    return snapshot, loaded


def in_time_order(rows: list[list[Any]]) -> bool:
    """True when no review's time is earlier than the one before it."""
    return all(a[TIME] <= b[TIME] for a, b in itertools.pairwise(rows))
