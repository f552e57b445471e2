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
dropped (that change was never confirmed); a fold appended to the history but
never committed is adopted (the journal says what it holds). When ``study.json``
is damaged, implausible (no ``_meta``, no reviews or card states although it
records some), out of date, or does not fit the history, every way of rebuilding
is tried - ``study.json``, the backup, the review history, each plus both
journals - and the one keeping the most answers wins. Nothing is deleted or cut
short before it is kept whole as ``<name>.damaged-<time>`` (`set_aside`);
``reviews.jsonl`` is otherwise only appended to. `recovery_message` says in one
line what was wrong, how many answers were kept, what was lost (journal lines
that could not be read included) and what was set aside.

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
from tutor.schedule.model import CardState, Review, ReviewOutcome
from tutor.schedule.queue import DailyCounts
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
    file_size,
    load_history,
    read_region,
)
from tutor.store.journal import (
    JOURNAL_FORMAT,
    JournalContents,
    JournalWriter,
    damaged_seqs,
    encode_line,
    header_base,
    read_journal,
)
from tutor.store.lock import ProfileLock
from tutor.store.recovery import Recovery, set_aside
from tutor.store.schema import META_ID, META_TABLE, SCHEMA_VERSION
from tutor.store.snapshot import (
    Damaged,
    KeyedTable,
    Snapshot,
    implausible,
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
#: What each way of opening is called in messages.
SOURCE_FILES = {"": FILE_NAME, "backup": BACKUP_NAME, "review history": HISTORY_NAME}


@dataclasses.dataclass
class _Plan:
    """One way to open the store: a snapshot, and how the history file fits it."""

    source: str
    """'' (``study.json``), 'backup' or 'review history' (rebuilt from ``reviews.jsonl``)."""
    snapshot: Snapshot
    exams_base: int
    """The snapshot's exam records are as of this sequence number; later exam entries replay."""
    adopt: int = -1
    """Journal entries up to this number are in the history already (a fold never committed)."""
    history_end: int = -1
    """The history's committed length once adopted (or rebuilt)."""
    history: str = ""
    """'' it fits; 'cut': lines past the snapshot's length are set aside and cut off;
    'reset': the file is rewritten from memory (appended: a reset and every review)."""
    note: str = ""
    """Why the history did not fit."""
    next_review_id: int = 1
    """Review ids below this were given out (to reviews since undone): never reuse them."""


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
        self._aside: list[str] = []
        """Files set aside by the repair at open ('NAME as NEW-NAME'; '' when none was)."""
        self._previous: JournalContents | None = None
        self._backup_problem = ""
        self._exams_from = ""
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
        """Load the most complete generation, replay the journal, repair and report.

        The usual open reads ``study.json`` and the journal only. When they do not
        account for the other files (``study.json`` damaged, implausible or older than
        the journal, the history holding lines the journal does not explain), every
        way of rebuilding is tried - from ``study.json``, from the backup, from the
        review history - and the one keeping the most answers wins. Nothing is deleted
        or cut short before it was set aside as ``<name>.damaged-<time>``.
        """
        self._remove_stale_temp_files()
        self._aside, self._previous = [], None
        self._backup_problem = self._exams_from = ""
        current = read_journal(self.folder / JOURNAL_NAME)
        self._check_journal_schema(current)
        folded = (_header_base(current) > 0 or (self.folder / BACKUP_NAME).exists()
                  or (self.folder / PREVIOUS_JOURNAL_NAME).exists())
        main, main_problem = self._read_generation(self.path, folded, tutor_files=folded or (
            current.size > 0 or file_size(self.folder / HISTORY_NAME) > 0))
        if main is None and not main_problem:
            main = Snapshot()  # a new profile
        stale = None
        if main is not None and (_header_base(current) > main.seq or header_base(
                self.folder / PREVIOUS_JOURNAL_NAME) > main.seq):
            # Every fold writes study.json before it starts the next journal.
            main_problem = f"{FILE_NAME}: out of date (older than the last save)"
            stale, main = main, None
        plan, reason = None, ""
        if main is not None:
            plan = self._plan_for("", main, current)
            if plan.history:  # the history does not fit: compare with the other ways
                plan, reason = None, plan.note
        if plan is not None:
            lost, consistent = self._run(plan, current, keep=plan.adopt < 0)
            if not consistent:
                plan, reason = None, f"{JOURNAL_NAME}: changes that do not fit {HISTORY_NAME}"
        if plan is None:
            plan, lost = self._choose(main, stale, current)
        damage = self._damage(plan, main_problem or reason)
        self._fix_history(plan)
        if plan.source or main_problem:
            self._aside.append(set_aside(self.path))
        if self._backup_problem:
            self._aside.append(set_aside(self.folder / BACKUP_NAME))
        journal_damage, journal_lost, unreadable = self._journal_damage(current)
        damage = ", ".join(part for part in (damage, journal_damage) if part)
        lost += journal_lost
        torn = bool(current.torn_bytes) and not current.torn_garbage
        aside = tuple(name for name in self._aside if name)
        if damage or lost:
            self.recovery = Recovery(
                damage or "saved changes are in neither study.json nor the journal",
                plan.source, lost, torn, kept_answers=self.review_count(), set_aside=aside,
                unreadable_journal=unreadable, exams_from=self._exams_from)
        elif torn or aside:  # an unfinished write (to the journal or the history)
            self.recovery = Recovery("", "", 0, True, set_aside=aside)
        schema = plan.snapshot.schema
        migrated = not plan.source and schema < SCHEMA_VERSION and not damage
        if migrated:
            self._set_aside(self.path, f"schema{schema}", keep=True)
        if (damage or lost or migrated or aside or plan.adopt >= 0
                or self._journal_entries >= self.fold_limit):
            self._journal = JournalWriter(self.folder / JOURNAL_NAME,
                                          truncate_to=current.good_size)
            self._fold(keep_backup=not plan.source)
        elif current.good_size == 0:
            self._start_journal()
        else:
            self._journal = JournalWriter(self.folder / JOURNAL_NAME,
                                          truncate_to=current.good_size)

    def _read_generation(self, path: Path, folded: bool,
                         tutor_files: bool = True) -> tuple[Snapshot | None, str]:
        """One ``study.json`` (or backup) if it is usable, else None and why not.

        Missing, it is damage only once a fold has written it (``folded``): before the
        first fold a profile has just a journal, perhaps a history line. A file without
        tutor's ``_meta`` is a plain TinyDB file to migrate only in a folder without
        ``tutor_files``; beside them it is damage (an emptied or replaced file), never
        a reason to drop the history.
        """
        if not path.exists():
            return None, f"{path.name} is missing" if folded else ""
        try:
            snapshot = read_snapshot(path)
        except Damaged as exc:
            return None, f"{path.name}: {exc}"
        if snapshot.schema == 0 and tutor_files:
            return None, f"{path.name}: no tutor data in it (no _meta table)"
        reason = implausible(snapshot)
        if reason:
            return None, f"{path.name}: {reason}"
        return snapshot, ""

    def _previous_journal(self) -> JournalContents:
        """``study.journal.prev``, read the first time it is needed."""
        if self._previous is None:
            self._previous = read_journal(self.folder / PREVIOUS_JOURNAL_NAME)
            self._check_journal_schema(self._previous)
        return self._previous

    def _plan_for(self, source: str, snapshot: Snapshot, current: JournalContents) -> _Plan:
        """How ``snapshot`` fits the history file: as is, adopting a fold it never
        committed, or not at all (``cut``: lines it does not explain; ``reset``: the
        file lost its end and is rewritten from memory)."""
        plan = _Plan(source, snapshot, exams_base=snapshot.seq)
        history = self.folder / HISTORY_NAME
        size, committed = file_size(history), snapshot.history_bytes
        if size < committed:
            plan.history = "reset"
            plan.note = f"{HISTORY_NAME} is shorter than recorded"
        elif size > committed:
            region = read_region(history, committed)
            seqs = self._journal_seqs(current, after=snapshot.seq)
            top = max(region.seqs, default=snapshot.seq)
            explained = (region.at_line_start and region.readable
                         and all(seq > snapshot.seq for seq in region.seqs)
                         and top - snapshot.seq <= len(seqs)
                         and all(seq in seqs for seq in range(snapshot.seq + 1, top + 1)))
            if explained:  # a fold that never committed: the journal holds its changes
                plan.adopt, plan.history_end = top, region.end
            else:
                plan.history = "cut"
                plan.note = f"{HISTORY_NAME} holds lines {SOURCE_FILES[source]} does not record"
        return plan

    def _journal_seqs(self, current: JournalContents, after: int) -> set[int]:
        """Sequence numbers after ``after`` that the journals hold."""
        entries = list(current.entries)
        if after < _header_base(current) or self._previous is not None:
            entries += self._previous_journal().entries
        return {entry["seq"] for entry in entries
                if isinstance(entry.get("seq"), int) and entry["seq"] > after}

    def _choose(self, main: Snapshot | None, stale: Snapshot | None,
                current: JournalContents) -> tuple[_Plan, int]:
        """Try every way to rebuild; keep the one with the most answers (the first on ties).

        ``stale`` is a readable ``study.json`` older than the journal: not a way to
        rebuild, but its exam records may be the newest there are.
        """
        self._previous_journal()
        plans = []
        if main is not None:
            plans.append(self._plan_for("", main, current))
        backup, problem = self._read_generation(self.folder / BACKUP_NAME, True)
        self._backup_problem = problem if (self.folder / BACKUP_NAME).exists() else ""
        if backup is not None:
            plans.append(self._plan_for("backup", backup, current))
        rebuilt, loaded = snapshot_from_history(self.folder / HISTORY_NAME)
        donor = max((s for s in (main, stale, backup) if s is not None),
                    key=lambda s: s.seq, default=None)
        rebuilt.exams = dict(donor.exams) if donor is not None else {}
        history_plan = _Plan("review history", rebuilt,
                             exams_base=donor.seq if donor is not None else 0,
                             history_end=loaded.size,
                             next_review_id=donor.next_review_id if donor is not None else 1)
        if loaded.damaged_lines or loaded.broken_events:
            history_plan.history = "reset"  # keep the file whole, but readable from here on
        plans.append(history_plan)
        best, best_count = plans[-1], -1
        for plan in plans:
            _, consistent = self._run(plan, current, keep=False)
            if not consistent:  # a fold it would adopt does not replay: do not adopt it
                plan.adopt, plan.history = -1, "cut"
                self._run(plan, current, keep=False)
            count = len(self._tail) + self._tail_start
            if count > best_count:
                best, best_count = plan, count
        lost, _ = self._run(best, current, keep=False)
        if best.source == "review history":
            self._exams_from = self._exams_source(donor, backup, current)
        return best, lost

    def _exams_source(self, donor: Snapshot | None, backup: Snapshot | None,
                      current: JournalContents) -> str:
        """Where a rebuild's exam records came from: 'study.json', 'backup', 'journal'
        (the journals reach back to the first change) or '' (older ones are lost)."""
        if donor is not None and donor.exams:
            return "backup" if donor is backup else "study.json"
        previous = self._previous_journal()
        first = previous if previous.header is not None else current
        whole = (first.header is not None and _header_base(first) == 0
                 and not previous.damaged and not current.damaged)
        return "journal" if whole or donor is not None else ""

    def _run(self, plan: _Plan, current: JournalContents, *, keep: bool) -> tuple[int, bool]:
        """Install ``plan``'s snapshot (a copy unless ``keep``) and replay the journals.

        Returns the changes lost, and False when a journal entry the history already
        holds (an adopted fold) could not be replayed.
        """
        self._install(plan.snapshot if keep else copy.deepcopy(plan.snapshot))
        lost = 0
        if plan.source == "review history":
            self._dirty_cards = set(self._states)  # the cards table is written anew
        if plan.history and plan.source != "review history":
            loaded = load_history(self.folder / HISTORY_NAME, self._history_bytes)
            missing = self._merge_history(loaded)
            lost += missing
            if plan.history == "cut" and (missing or loaded.damaged_lines
                                          or loaded.broken_events
                                          or loaded.size != self._history_bytes):
                plan.history = "reset"  # the committed part is damaged too
        previous = self._previous if self._previous is not None else JournalContents()
        if plan.exams_base < plan.snapshot.seq or _header_base(current) > plan.snapshot.seq:
            previous = self._previous_journal()
        replay_lost, consistent = self._replay(plan.snapshot.seq, current, previous,
                                               exams_base=plan.exams_base, adopt=plan.adopt)
        if plan.history == "reset":
            self._pending = [["reset"]] + [["r", row] for row in self._tail]
        self._next_review_id = max(self._next_review_id, plan.next_review_id)
        return lost + replay_lost, consistent

    def _damage(self, plan: _Plan, problem: str) -> str:
        """What was wrong, for the recovery message ('' when nothing was)."""
        parts = [problem or plan.note]
        if self._backup_problem and plan.source != "backup":
            parts.append(self._backup_problem)
        return ", ".join(part for part in parts if part)

    def _fix_history(self, plan: _Plan) -> None:
        """Make the history file fit ``plan``: cut only what was first set aside."""
        history = self.folder / HISTORY_NAME
        size = file_size(history)
        if plan.history == "cut":
            end = plan.snapshot.history_bytes
        elif plan.history == "reset":
            end = complete_size(history)
        elif plan.adopt >= 0 or plan.source == "review history":
            end = plan.history_end
        else:
            return
        if size > end:
            self._aside.append(set_aside(history, copy=True))
            cut_to(history, end)
        self._history_bytes = end

    def _journal_damage(self, current: JournalContents) -> tuple[str, int, bool]:
        """What the journal lost: (description, changes lost beyond the replay's count,
        whether it was unreadable as a whole). A damaged or cut journal is copied aside."""
        parts = []
        if current.damaged:
            parts.append(f"{current.damaged} unreadable line{'s' if current.damaged != 1 else ''}")
        if current.torn_garbage:
            parts.append(f"{current.torn_bytes} unreadable bytes at its end")
        if current.damaged or current.torn_bytes:
            self._aside.append(set_aside(self.folder / JOURNAL_NAME, copy=True))
        previous = self._previous
        if previous is not None and (previous.damaged or previous.torn_garbage):
            self._aside.append(set_aside(self.folder / PREVIOUS_JOURNAL_NAME, copy=True))
        if not parts:
            return "", 0, False
        unreadable = current.header is None and not current.entries
        unknown = sum(1 for seq in damaged_seqs(current) if seq is None)
        return f"{JOURNAL_NAME}: {' and '.join(parts)}", 0 if unreadable else unknown, unreadable

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
        self.history_problem = ""

    def _replay(self, base: int, current: JournalContents, previous: JournalContents, *,
                exams_base: int | None = None, adopt: int = -1) -> tuple[int, bool]:
        """Apply journal entries newer than ``base``, and exam entries newer than
        ``exams_base``; entries up to ``adopt`` are already in the history file.

        Returns how many changes are lost (missing, unreadable with a known number, or
        not applicable) and whether every adopted entry applied. A number missing up to
        ``exams_base`` is not counted: the exam records as of then are kept, and the
        history holds every review folded by then.
        """
        low = base if exams_base is None else min(base, exams_base)
        floor = base if exams_base is None else max(base, exams_base)
        entries: dict[int, dict[str, Any]] = {}
        for entry in previous.entries + current.entries:
            seq = entry.get("seq")
            if isinstance(seq, int) and not isinstance(seq, bool) and seq > low:
                entries[seq] = entry
        damaged = [seq for seq in damaged_seqs(current) + damaged_seqs(previous)
                   if seq is not None]
        target = max([floor, _header_base(current), *(s for s in entries if s > base),
                      *damaged])
        failed = 0
        consistent = True
        adopted = adopt < 0
        for seq in sorted(entries):
            entry = entries[seq]
            if seq <= base and entry.get("op") != "exam":
                continue
            if not adopted and seq > adopt:
                self._pending = []  # the history file already holds these
                adopted = True
            try:
                self._apply(entry)
            except (ValueError, TypeError, KeyError, IndexError):
                failed += 1
                consistent = consistent and seq > adopt
        if not adopted:
            self._pending = []
        self._seq = max(target, *self._exams, 0)  # a new exam's id is the next number
        self._journal_entries = len(current.entries)
        replayed = sum(1 for seq in entries if seq > floor)
        return max(0, target - floor - replayed) + failed, consistent

    def _repair_short_history(self) -> int:
        """The history file lost its end: keep what it has, rewrite the rest from memory.

        Appends (at the next fold) a ``reset`` and every review known, so the file
        is whole again; returns how many reviews are gone for good. An unfinished
        last line is cut off only after the file was set aside.
        """
        missing = self._load_history()
        history = self.folder / HISTORY_NAME
        complete = complete_size(history)
        if file_size(history) > complete:
            self._aside.append(set_aside(history, copy=True))
            cut_to(history, complete)
        self._history_bytes = complete
        self._pending = [["reset"]] + [["r", row] for row in self._tail]
        return missing

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
            cut_to(history, self._history_bytes)  # this process's append that failed halfway
        elif actual < self._history_bytes:
            self._repair_short_history()  # the file was cut short behind our back
        if self._pending:
            self._history_bytes = append_fold(history, self._seq, self._pending)
            self._pending = []  # in the file now, committed by the write below
        size = self._history_bytes
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
