"""`StudyStore`: one profile's card states, review history and exam results.

Files in the profile folder:

* ``study.json`` - the TinyDB database: ``_meta`` (schema version, sequence
  numbers, how much of the history file is committed, last-studied times),
  ``cards`` (one state per reviewed card), ``exams``, and ``recent`` (the last
  1,000 reviews). Written only by `AtomicJSONStorage` (temp file, fsync, rename);
* ``study.json.bak`` - the previous good ``study.json``;
* ``reviews.jsonl`` - the full review history, append-only (see `tutor.store.history`);
* ``study.journal`` - every change since ``study.json`` was written, one
  checksummed JSON line each, fsynced before the call that made it returns;
* ``study.journal.prev`` - the changes between the backup and ``study.json``;
* ``study.lock`` - held (``flock``) by the one tutor process that has the profile open.

Recording a review appends one line to the journal: nothing is rewritten. A
*fold* appends the journal's reviews to ``reviews.jsonl``, rewrites the small
``study.json`` and starts a new journal; it happens at `close` and whenever the
journal reaches ``fold_limit`` changes. Opening reads ``study.json`` and replays
the journal; the full history is read only when something asks for it (a card's
history, a report), so opening does not slow down as the history grows.

Opening also repairs what a crash or damage left: a journal line cut short is
dropped (that change was never confirmed); history bytes past the committed
length are cut off (the journal still has them); a damaged ``study.json`` is
replaced by the backup plus both journals, or, without a usable backup, card
states are rebuilt from the review history. `recovery_message` says in one line
what happened and what, if anything, was lost.

Threads: every write (``record_review(s)``, ``undo_last_review``, ``amend_review``,
``save_exam``, ``update_exam``, ``delete_exam``, ``checkpoint``, ``close``) must come
from the thread that opened the store - in the app, the UI thread. Reads may come
from any thread; a lock keeps them consistent with writes.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import json
import os
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from tutor import __version__
from tutor.atomic import atomic_write_bytes
from tutor.grading.base import MAX_SCORE
from tutor.schedule.queue import DailyCounts
from tutor.schedule.records import CardState, Review, ReviewOutcome
from tutor.store.codec import (
    CARD,
    DECK,
    ID,
    KIND,
    REVIEW_FIELDS,
    TIME,
    check_row,
    review_from_row,
    review_row,
    state_doc,
    state_from_doc,
    time_text,
)
from tutor.store.errors import StoreError
from tutor.store.history import (
    HISTORY_NAME,
    LoadedHistory,
    append_fold,
    apply_event,
    complete_size,
    cut_to,
    load_history,
)
from tutor.store.journal import (
    JOURNAL_FORMAT,
    JournalContents,
    JournalWriter,
    encode_line,
    read_journal,
)
from tutor.store.lock import ProfileLock
from tutor.store.recovery import Recovery
from tutor.store.schema import META_ID, META_TABLE, SCHEMA_VERSION
from tutor.store.snapshot import (
    Damaged,
    KeyedTable,
    Snapshot,
    in_time_order,
    newer_schema_error,
    read_snapshot,
    snapshot_from_history,
)
from tutor.store.storage import AtomicJSONStorage, fsync_folder, replace_with_link

FILE_NAME = "study.json"
BACKUP_NAME = "study.json.bak"
JOURNAL_NAME = "study.journal"
PREVIOUS_JOURNAL_NAME = "study.journal.prev"
LOCK_NAME = "study.lock"
#: Reviews kept in ``study.json`` so that today's counts and undo need no history read.
RECENT_ROWS = 1000
#: A session folds the journal into the files after this many changes.
FOLD_LIMIT = 1000


class StudyStore:
    """One profile's study data; open it with ``StudyStore(folder)`` or `open_store`.

    Use it as a context manager or call `close`. Raises `StoreError` when the
    profile is open in another process or was written by a newer tutor.
    """

    def __init__(self, folder: Path | str, *, profile: str | None = None,
                 fold_limit: int = FOLD_LIMIT, recent_rows: int = RECENT_ROWS) -> None:
        self.folder = Path(folder)
        self.profile = profile or self.folder.name
        self.fold_limit = max(1, fold_limit)
        self.recent_rows = max(1, recent_rows)
        self.recovery: Recovery | None = None
        self.history_problem = ""
        """Set when reading the history file found unreadable parts ('' when all was fine)."""
        self.last_fold_error = ""
        """Why the last automatic fold failed ('' if none); the journal still holds the data."""
        self._mutex = threading.RLock()
        self._owner = threading.get_ident()
        self._lock = ProfileLock(self.folder / LOCK_NAME, self.profile)
        self._db = TinyDB(storage=AtomicJSONStorage, path=self.path, data={})
        self._journal: JournalWriter | None = None
        self._journal_entries = 0
        self._closed = True
        self._seq = 0
        self._next_review_id = 1
        self._states: dict[str, CardState] = {}
        self._exams: dict[int, dict[str, Any]] = {}
        self._tail: list[list[Any]] = []
        """The newest reviews, oldest first: all of them once `_complete`."""
        self._tail_start = 0
        """How many reviews come before ``_tail`` (they are only in the history file)."""
        self._complete = True
        self._history_bytes = 0
        self._pending: list[list[Any]] = []
        """History events not yet appended to the history file."""
        self._by_card: dict[str, list[int]] | None = None
        self._last_by_deck: dict[str, str] = {}
        self._monotonic = True
        self._dirty_cards: set[str] = set()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the profile folder {self.folder}:"
                             f" {exc.strerror or exc}") from None
        self._lock.acquire()
        try:
            self._open()
        except OSError as exc:
            self._abandon()
            raise StoreError(f"cannot open the study data in {self.folder}:"
                             f" {exc.strerror or exc}") from None
        except BaseException:
            self._abandon()
            raise
        self._closed = False

    def _abandon(self) -> None:
        if self._journal is not None:
            self._journal.close()
        self._lock.release()

    # -- opening -------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The main TinyDB file."""
        return self.folder / FILE_NAME

    @property
    def recovery_message(self) -> str | None:
        """One line for the learner when opening repaired something, else None."""
        return None if self.recovery is None else self.recovery.message(self.profile)

    def _open(self) -> None:
        """Load the newest usable generation, replay the journal, repair and report."""
        self._remove_stale_temp_files()
        current = read_journal(self.folder / JOURNAL_NAME)
        self._check_journal_schema(current)
        snapshot, damage, restored_from, previous, lost = self._load_generation(current)
        self._install(snapshot)
        history = self.folder / HISTORY_NAME
        if (history.stat().st_size if history.exists() else 0) < self._history_bytes:
            lost += self._repair_short_history()
            damage = damage or f"{HISTORY_NAME} is shorter than recorded"
        lost += self._replay(snapshot.seq, current, previous)
        migrated = snapshot.schema < SCHEMA_VERSION and not damage
        main = self.folder / FILE_NAME
        if damage or lost:
            self.recovery = Recovery(damage or f"{JOURNAL_NAME}: unreadable lines", restored_from,
                                     lost, bool(current.torn_bytes))
            if main.exists() and restored_from:
                self._set_aside(main, "damaged")
        elif current.torn_bytes:
            self.recovery = Recovery("", "", 0, True)
        if migrated:
            self._set_aside(main, f"schema{snapshot.schema}", keep=True)
        if damage or lost or migrated or self._journal_entries >= self.fold_limit:
            self._journal = JournalWriter(self.folder / JOURNAL_NAME,
                                          truncate_to=current.good_size)
            self._fold(keep_backup=not restored_from)
        elif current.good_size == 0:
            self._start_journal()
        else:
            self._journal = JournalWriter(self.folder / JOURNAL_NAME,
                                          truncate_to=current.good_size)

    def _load_generation(self, current: JournalContents) -> tuple[
            Snapshot, str, str, JournalContents, int]:
        """``study.json``, else its backup, else a rebuild from the history.

        Returns the snapshot, what was damaged ('' if nothing), where it was restored
        from, the previous journal (read only when needed) and the changes lost.
        """
        main, backup = self.folder / FILE_NAME, self.folder / BACKUP_NAME
        previous_path = self.folder / PREVIOUS_JOURNAL_NAME
        history = self.folder / HISTORY_NAME
        damage, snapshot = "", None
        if main.exists():
            try:
                snapshot = read_snapshot(main)
            except Damaged as exc:
                damage = f"{FILE_NAME}: {exc}"
        elif backup.exists() or previous_path.exists() or _header_base(current) > 0:
            damage = f"{FILE_NAME} is missing"
        if not damage:
            snapshot = snapshot or Snapshot()
            if history.exists() and history.stat().st_size > snapshot.history_bytes:
                cut_to(history, snapshot.history_bytes)  # a fold that never committed
            return snapshot, "", "", JournalContents(), 0
        previous = read_journal(previous_path)
        self._check_journal_schema(previous)
        if backup.exists():
            try:
                snapshot = read_snapshot(backup)
            except Damaged:
                snapshot = None
            if snapshot is not None:
                if history.exists() and history.stat().st_size > snapshot.history_bytes:
                    cut_to(history, snapshot.history_bytes)
                return snapshot, damage, "backup", previous, 0
        rebuilt, lost = snapshot_from_history(history)
        return rebuilt, damage, "review history", previous, lost

    def _repair_short_history(self) -> int:
        """The history file lost its end: keep what it has, rewrite the rest from memory.

        Appends (at the next fold) a ``reset`` and every review known, so the file
        is whole again; returns how many reviews are gone for good.
        """
        history = self.folder / HISTORY_NAME
        missing = self._load_history()
        if history.exists():
            cut_to(history, complete_size(history))
        self._history_bytes = history.stat().st_size if history.exists() else 0
        self._pending = [["reset"]] + [["r", row] for row in self._tail]
        return missing

    def _install(self, snapshot: Snapshot) -> None:
        self._db = TinyDB(storage=AtomicJSONStorage, path=self.path,
                          data=snapshot.data, backup_path=self.folder / BACKUP_NAME)
        self._seq = snapshot.seq
        self._next_review_id = snapshot.next_review_id
        self._states = snapshot.states
        self._exams = snapshot.exams
        self._tail = snapshot.recent
        self._tail_start = snapshot.history_rows - len(snapshot.recent)
        self._complete = self._tail_start == 0
        self._history_bytes = snapshot.history_bytes
        self._last_by_deck = snapshot.last_by_deck
        self._monotonic = snapshot.monotonic and in_time_order(self._tail)
        self._pending = []
        self._by_card = None
        self._dirty_cards = set()

    def _replay(self, base: int, current: JournalContents, previous: JournalContents) -> int:
        """Apply journal entries newer than ``base``; return how many changes are lost."""
        entries: dict[int, dict[str, Any]] = {}
        for entry in previous.entries + current.entries:
            seq = entry.get("seq")
            if isinstance(seq, int) and not isinstance(seq, bool) and seq > base:
                entries[seq] = entry
        target = max([base, _header_base(current), *entries])
        failed = 0
        for seq in sorted(entries):
            try:
                self._apply(entries[seq])
            except (ValueError, TypeError, KeyError, IndexError):
                failed += 1
        self._seq = target
        self._journal_entries = len(current.entries)
        return (target - base - len(entries)) + failed

    def _load_history(self) -> int:
        """Read the whole history so ``_tail`` holds every review; return reviews missing."""
        return self._merge_history(load_history(self.folder / HISTORY_NAME, self._history_bytes))

    def _merge_history(self, loaded: LoadedHistory) -> int:
        before = loaded.rows[: self._tail_start]
        if self._tail:
            while before and before[-1][ID] >= self._tail[0][ID]:
                before.pop()
        missing = self._tail_start - len(before)
        if missing:
            self.history_problem = f"{HISTORY_NAME}: {missing} older reviews could not be read"
        elif loaded.damaged_lines or loaded.broken_events:
            self.history_problem = f"{HISTORY_NAME}: parts of the file could not be read"
        self._tail = before + self._tail
        self._tail_start = 0
        self._complete = True
        self._by_card = None
        self._monotonic = in_time_order(self._tail)
        return missing

    def _ensure_history(self) -> None:
        if not self._complete:
            self._load_history()

    def load_full_history(self) -> None:
        """Read the whole review history now, if not done yet (any thread).

        The file is parsed without holding the store's lock, so a report's worker
        thread can call this while the UI thread keeps recording answers.
        """
        with self._mutex:
            if self._complete:
                return
            limit, start = self._history_bytes, self._tail_start
        loaded = load_history(self.folder / HISTORY_NAME, limit)
        with self._mutex:
            if not self._complete and (self._history_bytes, self._tail_start) == (limit, start):
                self._merge_history(loaded)

    def _check_journal_schema(self, contents: JournalContents) -> None:
        header = contents.header or {}
        version = header.get("schema", SCHEMA_VERSION)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise newer_schema_error(self.folder / JOURNAL_NAME, version)
        if header.get("journal", JOURNAL_FORMAT) != JOURNAL_FORMAT:
            raise newer_schema_error(self.folder / JOURNAL_NAME, version)

    def _set_aside(self, path: Path, label: str, keep: bool = False) -> None:
        """Keep ``path`` as ``<name>.<label>`` (moved, or copied by a hard link when ``keep``)."""
        target = path.with_name(f"{path.name}.{label}")
        try:
            if keep:
                replace_with_link(path, target)
            else:
                os.replace(path, target)
        except OSError:
            pass

    def _remove_stale_temp_files(self) -> None:
        for leftover in self.folder.glob(".study.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass

    def _start_journal(self) -> None:
        header = {"journal": JOURNAL_FORMAT, "schema": SCHEMA_VERSION, "base": self._seq}
        atomic_write_bytes(self.folder / JOURNAL_NAME, encode_line(header))
        self._journal = JournalWriter(self.folder / JOURNAL_NAME)
        self._journal_entries = 0

    # -- applying changes (live and replay) ------------------------------------------------

    def _apply(self, entry: dict[str, Any]) -> None:
        """Apply one journal entry to memory; check everything before changing anything."""
        op = entry.get("op")
        if op == "review":
            rows, states = entry["rows"], entry["states"]
            decoded = {cid: state_from_doc(cid, doc) for cid, doc in states.items()}
            last = self._tail[-1][ID] if self._tail else self._next_review_id - 1
            for row in rows:
                check_row(row)
                if row[ID] <= last:
                    raise ValueError("review id out of order")
                last = row[ID]
            for row in rows:
                self._append_row(row)
            self._set_states(decoded)
        elif op == "undo":
            card_id, doc = entry["card"], entry["state"]
            state = None if doc is None else state_from_doc(card_id, doc)
            if not self._tail:
                self._ensure_history()
            if not self._tail or self._tail[-1][ID] != entry["id"]:
                raise ValueError("undo of a review that is not the last one")
            row = self._tail.pop()
            self._pending.append(["u", row[ID]])
            if self._by_card is not None:
                self._by_card[row[CARD]].pop()
            self._refresh_last_studied(row[DECK])
            if state is None:
                self._states.pop(card_id, None)
                self._dirty_cards.add(card_id)
            else:
                self._set_states({card_id: state})
        elif op == "amend":
            row, doc = entry["row"], entry["state"]
            check_row(row)
            state = state_from_doc(row[CARD], doc)
            index = self._row_index(row[ID])
            old = self._tail[index]
            if old[CARD] != row[CARD]:
                raise ValueError("amended review is of another card")
            apply_event(self._tail, ["a", row])
            self._pending.append(["a", row])
            self._refresh_last_studied(old[DECK])
            self._refresh_last_studied(row[DECK])
            self._set_states({row[CARD]: state})
        elif op == "exam":
            exam_id, record = entry["id"], entry["record"]
            if not isinstance(exam_id, int) or not (record is None or isinstance(record, dict)):
                raise ValueError("malformed exam entry")
            if record is None:
                self._exams.pop(exam_id, None)
            else:
                self._exams[exam_id] = record
        else:
            raise ValueError(f"unknown journal entry {op!r}")

    def _append_row(self, row: list[Any]) -> None:
        if self._tail and row[TIME] < self._tail[-1][TIME]:
            self._monotonic = False
        self._tail.append(row)
        self._pending.append(["r", row])
        self._next_review_id = max(self._next_review_id, row[ID] + 1)
        if self._by_card is not None:
            self._by_card.setdefault(row[CARD], []).append(len(self._tail) - 1)
        if row[TIME] > self._last_by_deck.get(row[DECK], ""):
            self._last_by_deck[row[DECK]] = row[TIME]

    def _set_states(self, states: dict[str, CardState]) -> None:
        self._states.update(states)
        self._dirty_cards.update(states)

    def _refresh_last_studied(self, deck: str) -> None:
        """Recompute when ``deck`` was last studied after a review was removed or changed."""
        if not self._monotonic:
            self._ensure_history()
        latest = self._latest_in_tail(deck)
        if not latest and not self._complete:
            self._ensure_history()
            latest = self._latest_in_tail(deck)
        if latest:
            self._last_by_deck[deck] = latest
        else:
            self._last_by_deck.pop(deck, None)

    def _latest_in_tail(self, deck: str) -> str:
        latest = ""
        for row in reversed(self._tail):
            if row[DECK] == deck and row[TIME] > latest:
                latest = row[TIME]
                if self._monotonic:
                    break
        return latest

    def _row_index(self, review_id: int) -> int:
        """Position of a review in ``_tail`` (reading the history first if it is older)."""
        if not self._tail or review_id < self._tail[0][ID]:
            self._ensure_history()
        index = bisect.bisect_left(self._tail, review_id, key=lambda row: row[ID])
        if index >= len(self._tail) or self._tail[index][ID] != review_id:
            raise KeyError(review_id)
        return index

    def _card_index(self) -> dict[str, list[int]]:
        self._ensure_history()
        if self._by_card is None:
            index: dict[str, list[int]] = {}
            for position, row in enumerate(self._tail):
                index.setdefault(row[CARD], []).append(position)
            self._by_card = index
        return self._by_card

    # -- writing -------------------------------------------------------------------------

    def _write(self, entry: dict[str, Any]) -> None:
        """Journal ``entry`` (durably), then apply it. The caller holds the mutex."""
        assert self._journal is not None
        try:
            self._journal.append(entry)
        except OSError as exc:
            raise StoreError(f"could not save to {self.folder / JOURNAL_NAME}:"
                             f" {exc.strerror or exc}") from None
        self._seq = entry["seq"]
        self._journal_entries += 1
        self._apply(entry)
        if self._journal_entries >= self.fold_limit:
            self._fold_quietly()

    def _check_writer(self) -> None:
        if self._closed:
            raise RuntimeError("the study store is closed")
        if threading.get_ident() != self._owner:
            raise RuntimeError("StudyStore writes must come from the thread that opened it"
                               " (the UI thread)")

    def record_review(self, review: Review, new_state: CardState) -> Review:
        """Save one review and the card's new state; return the review with its id."""
        return self.record_reviews([ReviewOutcome(state=new_state, review=review)])[0]

    def record_reviews(self, outcomes: Sequence[ReviewOutcome]) -> list[Review]:
        """Save several reviews in one durable write (e.g. an exam that updates the schedule)."""
        self._check_writer()
        if not outcomes:
            return []
        with self._mutex:
            stored: list[Review] = []
            states: dict[str, dict[str, Any]] = {}
            for offset, outcome in enumerate(outcomes):
                _check_outcome(outcome.review, outcome.state)
                stored.append(dataclasses.replace(outcome.review,
                                                  id=self._next_review_id + offset))
                states[outcome.state.card_id] = state_doc(outcome.state)
            self._write({"seq": self._seq + 1, "op": "review",
                         "rows": [review_row(r) for r in stored], "states": states})
            return stored

    def undo_last_review(self) -> Review | None:
        """Remove the most recent review and put its card back as it was; return it."""
        self._check_writer()
        with self._mutex:
            if not self._tail:
                self._ensure_history()
            if not self._tail:
                return None
            review = self._decode_row(self._tail[-1])
            before = review.state_before
            self._write({"seq": self._seq + 1, "op": "undo", "id": review.id,
                         "card": review.card_id,
                         "state": None if before is None else state_doc(before)})
            return review

    def amend_review(self, review_id: int, review: Review, new_state: CardState) -> Review:
        """Replace a stored review (a late model grade, an override) and the card's state.

        Only the card's latest review can be amended (its state follows from it);
        otherwise `StoreError`. Build ``review``/``new_state`` with
        `LeitnerScheduler.regrade`.
        """
        self._check_writer()
        _check_outcome(review, new_state)
        with self._mutex:
            try:
                index = self._row_index(review_id)
            except KeyError:
                raise StoreError(f"there is no review {review_id} to change") from None
            if self._tail[index][CARD] != review.card_id:
                raise ValueError("the amended review must be of the same card")
            if any(row[CARD] == review.card_id for row in self._tail[index + 1:]):
                raise StoreError("this card was reviewed again since; that grade can no longer"
                                 " be changed")
            stored = dataclasses.replace(review, id=review_id)
            self._write({"seq": self._seq + 1, "op": "amend", "row": review_row(stored),
                         "state": state_doc(new_state)})
            return stored

    def save_exam(self, record: dict[str, Any]) -> str:
        """Store a new exam record (any JSON object); return its id."""
        self._check_writer()
        data = _json_copy(record)
        with self._mutex:
            seq = self._seq + 1
            self._write({"seq": seq, "op": "exam", "id": seq, "record": data})
            return str(seq)

    def update_exam(self, exam_id: str, record: dict[str, Any]) -> None:
        """Replace the exam record ``exam_id`` (e.g. answers saved as typed, the final result)."""
        self._check_writer()
        data = _json_copy(record)
        with self._mutex:
            key = self._exam_key(exam_id)
            self._write({"seq": self._seq + 1, "op": "exam", "id": key, "record": data})

    def delete_exam(self, exam_id: str) -> None:
        """Forget an exam record (e.g. an abandoned exam)."""
        self._check_writer()
        with self._mutex:
            key = self._exam_key(exam_id)
            self._write({"seq": self._seq + 1, "op": "exam", "id": key, "record": None})

    def checkpoint(self) -> None:
        """Fold the journal into the files now (it also happens at close and every so often)."""
        self._check_writer()
        with self._mutex:
            try:
                self._fold(keep_backup=True)
            except OSError as exc:
                raise StoreError(f"could not write {self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        """Fold the journal, release the profile lock. Safe to call twice."""
        if self._closed:
            return
        self._check_writer()
        with self._mutex:
            try:
                if self._journal_entries:
                    self._fold_quietly()
            finally:
                if self._journal is not None:
                    self._journal.close()
                    self._journal = None
                self._lock.release()
                self._closed = True

    def __enter__(self) -> StudyStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """True after `close`."""
        return self._closed

    def _fold_quietly(self) -> None:
        try:
            self._fold(keep_backup=True)
            self.last_fold_error = ""
        except OSError as exc:
            self.last_fold_error = exc.strerror or str(exc)

    def _fold(self, *, keep_backup: bool) -> None:
        """Append pending history, rewrite ``study.json`` (the commit), start a new journal."""
        history = self.folder / HISTORY_NAME
        actual = history.stat().st_size if history.exists() else 0
        if actual > self._history_bytes:
            cut_to(history, self._history_bytes)  # a fold that failed after appending
        elif actual < self._history_bytes:
            self._repair_short_history()  # the file was cut short behind our back
        size = self._history_bytes
        if self._pending:
            size = append_fold(history, self._seq, self._pending)
        total = self._tail_start + len(self._tail)
        recent = self._tail[-self.recent_rows:]
        db = self._db
        meta = db.table(META_TABLE)
        meta.truncate()
        meta.insert(Document({
            "schema": SCHEMA_VERSION, "seq": self._seq, "next_review_id": self._next_review_id,
            "history_bytes": size, "history_rows": total, "last_studied": self._last_by_deck,
            "monotonic": self._monotonic, "writer": f"tutor {__version__}",
        }, doc_id=int(META_ID)))
        cards = KeyedTable(db.storage, "cards")
        if self._dirty_cards:
            cards.remove(doc_ids=list(self._dirty_cards))  # type: ignore[arg-type]
            cards.insert_multiple(
                Document(state_doc(self._states[cid]), doc_id=cid)  # type: ignore[arg-type]
                for cid in self._dirty_cards if cid in self._states)
        table = db.table("recent")
        table.truncate()
        table.insert(Document({"fields": list(REVIEW_FIELDS), "rows": recent}, doc_id=1))
        exams = db.table("exams")
        exams.truncate()
        exams.insert_multiple(Document(record, doc_id=key) for key, record in self._exams.items())
        storage = db.storage
        assert isinstance(storage, AtomicJSONStorage)
        storage.flush(keep_backup=keep_backup)
        if not keep_backup:
            # After a repair the file just written is the only good generation.
            replace_with_link(self.path, self.folder / BACKUP_NAME)
        self._history_bytes = size
        self._pending = []
        self._dirty_cards.clear()
        if not self._complete:
            self._tail = list(recent)
            self._tail_start = total - len(recent)
        journal = self.folder / JOURNAL_NAME
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if journal.exists():
            os.replace(journal, self.folder / PREVIOUS_JOURNAL_NAME)
        fsync_folder(self.folder)
        self._start_journal()

    # -- reading -------------------------------------------------------------------------

    def state(self, card_id: str) -> CardState | None:
        """The card's state, or None when it was never reviewed."""
        with self._mutex:
            return self._states.get(card_id)

    def states(self, card_ids: Iterable[str] | None = None) -> dict[str, CardState]:
        """States of the given cards that have one (all cards when None)."""
        with self._mutex:
            if card_ids is None:
                return dict(self._states)
            found = {}
            for card_id in card_ids:
                state = self._states.get(card_id)
                if state is not None:
                    found[card_id] = state
            return found

    def reviews(self, card_id: str | None = None, deck: str | None = None,
                since: datetime | None = None) -> list[Review]:
        """Reviews, oldest first, optionally of one card / one deck / from a time on.

        Reviews older than the last 1,000 are read from the history file the first
        time they are asked for (under a second per 100,000 reviews), then kept.
        """
        since_text = time_text(since) or ""
        if card_id is not None or not since_text:
            self.load_full_history()
        with self._mutex:
            if card_id is not None:
                rows = [self._tail[i] for i in self._card_index().get(card_id, [])]
            else:
                start = self._first_since(since_text)  # may read the history: new _tail
                rows = self._tail[start:]
            return [self._decode_row(row) for row in rows
                    if (deck is None or row[DECK] == deck)
                    and (not since_text or row[TIME] >= since_text)]

    def review_count(self) -> int:
        """How many reviews are stored."""
        with self._mutex:
            return self._tail_start + len(self._tail)

    def last_review(self) -> Review | None:
        """The most recent review (what `undo_last_review` would remove)."""
        with self._mutex:
            if not self._tail:
                self._ensure_history()
            return self._decode_row(self._tail[-1]) if self._tail else None

    def last_studied(self, deck: str | None = None) -> datetime | None:
        """When ``deck`` (or any deck) was last reviewed."""
        with self._mutex:
            if deck is None:
                latest = max(self._last_by_deck.values(), default="")
            else:
                latest = self._last_by_deck.get(deck, "")
            return datetime.fromisoformat(latest) if latest else None

    def daily_counts(self, since: datetime, deck: str | None = None) -> DailyCounts:
        """What was done from ``since`` (the study day's start) on, for the daily limits."""
        since_text = time_text(since) or ""
        counts = {"new": 0, "due": 0, "relearn": 0, "practice": 0}
        with self._mutex:
            start = self._first_since(since_text)  # may read the history: new _tail
            for row in self._tail[start:]:
                if row[TIME] >= since_text and (deck is None or row[DECK] == deck):
                    counts[row[KIND]] = counts.get(row[KIND], 0) + 1
        return DailyCounts(new_cards=counts["new"], reviews=counts["due"],
                           relearning=counts["relearn"], practice=counts["practice"])

    def exams(self) -> list[dict[str, Any]]:
        """Every exam record, oldest first, each with its ``id``."""
        with self._mutex:
            return [{**copy.deepcopy(record), "id": str(key)}
                    for key, record in sorted(self._exams.items())]

    def exam(self, exam_id: str) -> dict[str, Any] | None:
        """One exam record with its ``id``, or None."""
        with self._mutex:
            try:
                key = int(exam_id)
            except (TypeError, ValueError):
                return None
            record = self._exams.get(key)
            return None if record is None else {**copy.deepcopy(record), "id": str(key)}

    def _exam_key(self, exam_id: str) -> int:
        try:
            key = int(exam_id)
        except (TypeError, ValueError):
            key = -1
        if key not in self._exams:
            raise StoreError(f"there is no exam with id '{exam_id}'")
        return key

    def _first_since(self, since_text: str) -> int:
        """Index in ``_tail`` of the first review at or after ``since_text`` ('' = all).

        Reads the full history first unless the tail is known to reach back that far.
        """
        covered = self._tail and self._tail[0][TIME] < since_text
        if not self._complete and not (self._monotonic and covered):
            self._ensure_history()
        if not since_text or not self._monotonic:
            return 0
        return bisect.bisect_left(self._tail, since_text, key=lambda row: row[TIME])

    def _decode_row(self, row: list[Any]) -> Review:
        try:
            return review_from_row(row)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"study data of profile '{self.profile}' holds a damaged review"
                             f" record ({exc})") from None


def _check_outcome(review: Review, state: CardState) -> None:
    if review.card_id != state.card_id:
        raise ValueError("review and state are of different cards")
    if state.reviews < 1:
        raise ValueError("a reviewed card's state must count the review")
    if not 0 <= review.score <= MAX_SCORE:
        raise ValueError(f"score must be 0-{MAX_SCORE}")
    if review.time.tzinfo is None:
        raise ValueError("review times must be timezone-aware")


def _json_copy(record: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise ValueError("an exam record must be a dict")
    try:
        data: dict[str, Any] = json.loads(json.dumps(record, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"an exam record must be plain JSON data: {exc}") from None
    data.pop("id", None)
    return data


def _header_base(contents: JournalContents) -> int:
    base = (contents.header or {}).get("base", 0)
    return base if isinstance(base, int) and not isinstance(base, bool) else 0
