"""`StudyStore`: one profile's card states, review history and exam results.

Files in the profile folder:

* ``study.json`` - the snapshot, a TinyDB database: ``_meta`` (schema version, sequence
  numbers, how much of the history file is committed, last-studied times),
  ``cards`` (one state per reviewed card), ``exams``, and ``recent`` (the last
  1,000 reviews) (see `tutor.store.snapshot`). Written only by `AtomicJSONStorage`
  (temp file, fsync, rename);
* ``study.json.bak`` - the previous good ``study.json``;
* ``reviews.jsonl`` - the full review history, append-only (see `tutor.store.history`);
* ``study.journal`` - every change since ``study.json`` was written, one
  checksummed JSON line each, fsynced before the call that made it returns;
* ``study.journal.prev`` - the changes between the backup and ``study.json``;
* ``study.lock`` - held (``flock``) by the one tutor process that has the profile open;
  commands that only read open a copy instead (`tutor.store.read_only`);
* ``today.json`` - the extra new cards granted for today ("study more"; `tutor.store.today`).

Recording a review appends one line to the journal: nothing is rewritten. A
*fold* appends the journal's reviews to ``reviews.jsonl``, rewrites the small
``study.json`` and starts a new journal; it happens at `close` and whenever the
journal reaches ``fold_limit`` changes. Opening reads ``study.json`` and replays
the journal; the full history is read only when something asks for it (a card's
history, a report), so opening does not slow down as the history grows.

Opening also repairs what a crash or damage left (`tutor.store.opening`): a journal
line cut short is dropped (that change was never confirmed); a fold appended to the
history but never committed is adopted (the journal says what it holds). When
``study.json`` is damaged, implausible (no ``_meta``, no reviews or card states although
it records some), out of date, or does not fit the history, every way of rebuilding
is tried - ``study.json``, the backup, the review history, each plus both
journals - and the one keeping the most answers wins. Nothing is deleted or cut
short before it is kept whole as ``<name>.damaged-<time>`` (`set_aside`);
``reviews.jsonl`` is otherwise only appended to. `recovery_message` says in one
line what was wrong, how many answers were kept, what was lost (journal lines
that could not be read included) and what was set aside.

This module is the API and the writer; the data in memory is a `StoreContents`
(`tutor.store.contents`), and a fold writes it with `tutor.store.snapshot.write_snapshot`.

Threads: every write (``record_review(s)``, ``undo_last_review``, ``amend_review``,
``save_exam``, ``update_exam``, ``delete_exam``, ``checkpoint``, ``close``) must come
from the thread that opened the store - in the app, the UI thread. Reads may come
from any thread; a lock keeps them consistent with writes.
"""

from __future__ import annotations

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

from tutor.atomic import atomic_write_bytes, fsync_folder, replace_with_link
from tutor.gcpause import paused_gc
from tutor.grading.base import MAX_SCORE
from tutor.schedule.model import CardState, Review, ReviewOutcome, ReviewSummary
from tutor.schedule.queue import DailyCounts
from tutor.store.codec import (
    CARD,
    DECK,
    KIND,
    TIME,
    review_from_row,
    review_row,
    state_doc,
    summary_from_row,
    time_text,
)
from tutor.store.contents import StoreContents, older_than_tail
from tutor.store.errors import StoreError
from tutor.store.history import HISTORY_NAME, append_fold, cut_to, load_history
from tutor.store.journal import JOURNAL_FORMAT, JournalWriter, encode_line
from tutor.store.layout import (
    BACKUP_NAME,
    FILE_NAME,
    JOURNAL_NAME,
    LOCK_NAME,
    PREVIOUS_JOURNAL_NAME,
    TODAY_NAME,
)
from tutor.store.lock import ProfileLock
from tutor.store.opening import open_profile, repair_short_history
from tutor.store.recovery import Recovery
from tutor.store.schema import SCHEMA_VERSION
from tutor.store.snapshot import Snapshot, write_snapshot
from tutor.store.storage import AtomicJSONStorage
from tutor.store.summary_cache import history_summaries
from tutor.store.today import read_extra_new, write_extra_new

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
                 fold_limit: int = FOLD_LIMIT, recent_rows: int = RECENT_ROWS,
                 summary_cache: Path | None = None) -> None:
        self.folder = Path(folder)
        self.profile = profile or self.folder.name
        self.summary_cache = summary_cache
        """Where `review_summaries` keeps the history's summaries between runs
        (`tutor.store.summary_cache`); None: the history is parsed each time."""
        self.fold_limit = max(1, fold_limit)
        self.recent_rows = max(1, recent_rows)
        self.recovery: Recovery | None = None
        self.last_fold_error = ""
        """Why the last automatic fold failed ('' if none); the journal still holds the data."""
        self._mutex = threading.RLock()
        self._owner = threading.get_ident()
        self._lock = ProfileLock(self.folder / LOCK_NAME, self.profile)
        self._contents = StoreContents(Snapshot(), self.folder / HISTORY_NAME)
        self._db = TinyDB(storage=AtomicJSONStorage, path=self.path, data={})
        self._journal: JournalWriter | None = None
        self._journal_entries = 0
        self._extra_new: tuple[str, dict[str, int]] | None = None
        """Today's extra new cards as last read or written: (day, by deck)."""
        self._closed = True
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

    def _open(self) -> None:
        """Read and repair the files (`open_profile`), then fold or go on with the journal."""
        opened = open_profile(self.folder, self.fold_limit)
        self._contents = opened.contents
        self._db = TinyDB(storage=AtomicJSONStorage, path=self.path,
                          data=opened.contents.data, backup_path=self.folder / BACKUP_NAME)
        self.recovery = opened.recovery
        self._journal_entries = opened.journal_entries
        if opened.fold:
            self._journal = JournalWriter(self.folder / JOURNAL_NAME,
                                          truncate_to=opened.journal_size)
            self._fold(keep_backup=opened.keep_backup)
        elif opened.journal_size == 0:
            self._start_journal()
        else:
            self._journal = JournalWriter(self.folder / JOURNAL_NAME,
                                          truncate_to=opened.journal_size)

    @property
    def path(self) -> Path:
        """The main TinyDB file."""
        return self.folder / FILE_NAME

    @property
    def recovery_message(self) -> str | None:
        """One line for the learner when opening repaired something, else None."""
        return None if self.recovery is None else self.recovery.message(self.profile)

    @property
    def history_problem(self) -> str:
        """Set when reading the history file found unreadable parts ('' when all was fine)."""
        return self._contents.history_problem

    def load_full_history(self) -> None:
        """Read the whole review history now, if not done yet (any thread).

        The file is parsed without holding the store's lock, so a report's worker
        thread can call this while the UI thread keeps recording answers.
        """
        with self._mutex:
            contents = self._contents
            if contents.complete:
                return
            limit, start = contents.history_bytes, contents.tail_start
        with paused_gc():
            loaded = load_history(self.folder / HISTORY_NAME, limit)
        with self._mutex:
            if not contents.complete and (contents.history_bytes, contents.tail_start) == (
                    limit, start):
                contents.merge_history(loaded)

    def _start_journal(self) -> None:
        header = {"journal": JOURNAL_FORMAT, "schema": SCHEMA_VERSION,
                  "base": self._contents.seq}
        atomic_write_bytes(self.folder / JOURNAL_NAME, encode_line(header))
        self._journal = JournalWriter(self.folder / JOURNAL_NAME)
        self._journal_entries = 0

    # -- writing -------------------------------------------------------------------------

    def _write(self, entry: dict[str, Any]) -> None:
        """Journal ``entry`` (durably), then apply it. The caller holds the mutex."""
        assert self._journal is not None
        try:
            self._journal.append(entry)
        except OSError as exc:
            raise StoreError(f"could not save to {self.folder / JOURNAL_NAME}:"
                             f" {exc.strerror or exc}") from None
        self._contents.seq = entry["seq"]
        self._journal_entries += 1
        self._contents.apply(entry)
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
                                                  id=self._contents.next_review_id + offset))
                states[outcome.state.card_id] = state_doc(outcome.state)
            self._write({"seq": self._contents.seq + 1, "op": "review",
                         "rows": [review_row(r) for r in stored], "states": states})
            return stored

    def undo_last_review(self) -> Review | None:
        """Remove the most recent review and put its card back as it was; return it."""
        self._check_writer()
        with self._mutex:
            if not self._contents.tail:
                self._contents.ensure_history()
            if not self._contents.tail:
                return None
            review = self._decode_row(self._contents.tail[-1])
            before = review.state_before
            self._write({"seq": self._contents.seq + 1, "op": "undo", "id": review.id,
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
                index = self._contents.row_index(review_id)
            except KeyError:
                raise StoreError(f"there is no review {review_id} to change") from None
            if self._contents.tail[index][CARD] != review.card_id:
                raise ValueError("the amended review must be of the same card")
            if any(row[CARD] == review.card_id for row in self._contents.tail[index + 1:]):
                raise StoreError("this card was reviewed again since; that grade can no longer"
                                 " be changed")
            stored = dataclasses.replace(review, id=review_id)
            self._write({"seq": self._contents.seq + 1, "op": "amend", "row": review_row(stored),
                         "state": state_doc(new_state)})
            return stored

    def save_exam(self, record: dict[str, Any]) -> str:
        """Store a new exam record (any JSON object); return its id."""
        self._check_writer()
        data = _json_copy(record)
        with self._mutex:
            seq = self._contents.seq + 1
            self._write({"seq": seq, "op": "exam", "id": seq, "record": data})
            return str(seq)

    def update_exam(self, exam_id: str, record: dict[str, Any]) -> None:
        """Replace the exam record ``exam_id`` (e.g. answers saved as typed, the final result)."""
        self._check_writer()
        data = _json_copy(record)
        with self._mutex:
            key = self._exam_key(exam_id)
            self._write({"seq": self._contents.seq + 1, "op": "exam", "id": key, "record": data})

    def delete_exam(self, exam_id: str) -> None:
        """Forget an exam record (e.g. an abandoned exam)."""
        self._check_writer()
        with self._mutex:
            key = self._exam_key(exam_id)
            self._write({"seq": self._contents.seq + 1, "op": "exam", "id": key, "record": None})

    def grant_extra_new_cards(self, deck: str, count: int, day: datetime) -> int:
        """Allow ``count`` more new cards in ``deck`` on the study day starting at ``day``
        ("study more"), kept in ``today.json`` until the day ends; return the deck's extra
        cards for that day. Raises `StoreError` when the file cannot be written."""
        self._check_writer()
        if count < 1:
            raise ValueError("count must be 1 or more")
        day_text = time_text(day) or ""
        with self._mutex:
            extra = dict(self.extra_new_cards(day))
            extra[deck] = extra.get(deck, 0) + count
            try:
                write_extra_new(self.folder / TODAY_NAME, day_text, extra)
            except OSError as exc:
                raise StoreError(f"could not save today's new-card limit to"
                                 f" {self.folder / TODAY_NAME}: {exc.strerror or exc}") from None
            self._extra_new = (day_text, extra)
            return extra[deck]

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
        contents = self._contents
        history = self.folder / HISTORY_NAME
        actual = history.stat().st_size if history.exists() else 0
        if actual > contents.history_bytes:
            cut_to(history, contents.history_bytes)  # this process's append that failed halfway
        elif actual < contents.history_bytes:
            repair_short_history(contents)  # the file was cut short behind our back
        if contents.pending:
            contents.history_bytes = append_fold(history, contents.seq, contents.pending)
            contents.pending = []  # in the file now, committed by the write below
        total = contents.review_count()
        recent = contents.tail[-self.recent_rows:]
        write_snapshot(self._db, Snapshot(
            seq=contents.seq, next_review_id=contents.next_review_id, states=contents.states,
            exams=contents.exams, recent=recent, history_bytes=contents.history_bytes,
            history_rows=total, last_by_deck=contents.last_by_deck,
            monotonic=contents.monotonic), contents.dirty_cards)
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        storage.flush(keep_backup=keep_backup)
        if not keep_backup:
            # After a repair the file just written is the only good generation.
            replace_with_link(self.path, self.folder / BACKUP_NAME)
        contents.dirty_cards.clear()
        if not contents.complete:
            contents.tail = list(recent)
            contents.tail_start = total - len(recent)
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
            return self._contents.states.get(card_id)

    def states(self, card_ids: Iterable[str] | None = None) -> dict[str, CardState]:
        """States of the given cards that have one (all cards when None)."""
        with self._mutex:
            if card_ids is None:
                return dict(self._contents.states)
            found = {}
            for card_id in card_ids:
                state = self._contents.states.get(card_id)
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
                positions = self._contents.card_index().get(card_id, [])
                rows = [self._contents.tail[i] for i in positions]
            else:
                start = self._contents.first_since(since_text)  # may read the history: a new tail
                rows = self._contents.tail[start:]
            return [self._decode_row(row) for row in rows
                    if (deck is None or row[DECK] == deck)
                    and (not since_text or row[TIME] >= since_text)]

    def review_summaries(self) -> list[ReviewSummary]:
        """Every review, oldest first, as the `ReviewSummary` a report reads: the whole
        history like ``reviews()``, at a fraction of the cost (no full `Review` objects)."""
        older = self._cached_summaries()
        if older is not None:
            return older
        self.load_full_history()
        with self._mutex:
            rows = list(self._contents.tail)
        try:
            with paused_gc():
                return [summary_from_row(row) for row in rows]
        except (ValueError, TypeError):
            for row in rows:
                self._decode_row(row)  # raises the one-line StoreError for the damaged row
            raise

    def _cached_summaries(self) -> list[ReviewSummary] | None:
        """Every review's summary without parsing the whole history: the older reviews from
        the summary cache (plus what the history gained since), then the ones in memory. None
        when there is no cache, the history is read already, or anything does not fit."""
        with self._mutex:
            contents = self._contents
            if self.summary_cache is None or contents.complete:
                return None
            limit, start, tail = contents.history_bytes, contents.tail_start, list(contents.tail)
        older = history_summaries(self.folder / HISTORY_NAME, limit, self.summary_cache)
        if older is None:
            return None
        before = older_than_tail(older, start, tail)
        if len(before) != start:
            return None  # reviews are missing: the full read says so
        try:
            with paused_gc():
                return before + [summary_from_row(row) for row in tail]
        except (ValueError, TypeError):
            return None

    def review_count(self) -> int:
        """How many reviews are stored."""
        with self._mutex:
            return self._contents.review_count()

    def last_review(self) -> Review | None:
        """The most recent review (what `undo_last_review` would remove)."""
        with self._mutex:
            if not self._contents.tail:
                self._contents.ensure_history()
            return self._decode_row(self._contents.tail[-1]) if self._contents.tail else None

    def last_studied(self, deck: str | None = None) -> datetime | None:
        """When ``deck`` (or any deck) was last reviewed."""
        with self._mutex:
            if deck is None:
                latest = max(self._contents.last_by_deck.values(), default="")
            else:
                latest = self._contents.last_by_deck.get(deck, "")
            return datetime.fromisoformat(latest) if latest else None

    def daily_counts(self, since: datetime, deck: str | None = None) -> DailyCounts:
        """What was done from ``since`` (the study day's start) on, for the daily limits."""
        since_text = time_text(since) or ""
        counts = {"new": 0, "due": 0, "relearn": 0, "practice": 0}
        with self._mutex:
            start = self._contents.first_since(since_text)  # may read the history: a new tail
            for row in self._contents.tail[start:]:
                if row[TIME] >= since_text and (deck is None or row[DECK] == deck):
                    counts[row[KIND]] = counts.get(row[KIND], 0) + 1
        return DailyCounts(new_cards=counts["new"], reviews=counts["due"],
                           relearning=counts["relearn"], practice=counts["practice"])

    def new_cards_by_deck(self, since: datetime) -> dict[str, int]:
        """New cards (first reviews) from ``since`` (the study day's start) on, by deck key."""
        since_text = time_text(since) or ""
        found: dict[str, int] = {}
        with self._mutex:
            start = self._contents.first_since(since_text)  # may read the history: a new tail
            for row in self._contents.tail[start:]:
                if row[KIND] == "new" and row[TIME] >= since_text:
                    found[row[DECK]] = found.get(row[DECK], 0) + 1
        return found

    def review_times(self, since: datetime) -> list[datetime]:
        """When each review from ``since`` on was made, oldest first (in UTC)."""
        since_text = time_text(since) or ""
        with self._mutex:
            start = self._contents.first_since(since_text)  # may read the history: a new tail
            texts = [row[TIME] for row in self._contents.tail[start:] if row[TIME] >= since_text]
        return [datetime.fromisoformat(text) for text in texts]

    def extra_new_cards(self, day: datetime) -> dict[str, int]:
        """More new cards granted for the study day starting at ``day``, by deck key."""
        day_text = time_text(day) or ""
        with self._mutex:
            if self._extra_new is None or self._extra_new[0] != day_text:
                self._extra_new = (day_text, read_extra_new(self.folder / TODAY_NAME, day_text))
            return dict(self._extra_new[1])

    def exams(self) -> list[dict[str, Any]]:
        """Every exam record, oldest first, each with its ``id``."""
        with self._mutex:
            return [{**copy.deepcopy(record), "id": str(key)}
                    for key, record in sorted(self._contents.exams.items())]

    def exam(self, exam_id: str) -> dict[str, Any] | None:
        """One exam record with its ``id``, or None."""
        with self._mutex:
            try:
                key = int(exam_id)
            except (TypeError, ValueError):
                return None
            record = self._contents.exams.get(key)
            return None if record is None else {**copy.deepcopy(record), "id": str(key)}

    def _exam_key(self, exam_id: str) -> int:
        try:
            key = int(exam_id)
        except (TypeError, ValueError):
            key = -1
        if key not in self._contents.exams:
            raise StoreError(f"there is no exam with id '{exam_id}'")
        return key

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

