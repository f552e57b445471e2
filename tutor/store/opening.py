"""Opening a profile folder: load the most complete generation, replay the journal, repair.

The usual open reads ``study.json`` and the journal only. When they do not account
for the other files (``study.json`` damaged, implausible or older than the journal,
the history holding lines the journal does not explain), every way of rebuilding is
tried - from ``study.json``, from the backup, from the review history, each plus both
journals - and the one keeping the most answers wins. Nothing is deleted or cut short
before it was set aside as ``<name>.damaged-<time>`` (`set_aside`); what was repaired
is a `Recovery`. `open_profile` returns the contents and what the store must do next
(fold at once, or go on with the journal); `StudyStore` calls it with the profile locked.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.atomic import replace_with_link
from tutor.formatting import plural
from tutor.store.contents import StoreContents
from tutor.store.history import complete_size, cut_to, file_size, load_history, read_region
from tutor.store.journal import (
    JOURNAL_FORMAT,
    JournalContents,
    damaged_seqs,
    header_base,
    read_journal,
)
from tutor.store.layout import (
    BACKUP_NAME,
    FILE_NAME,
    HISTORY_NAME,
    JOURNAL_NAME,
    PREVIOUS_JOURNAL_NAME,
)
from tutor.store.recovery import Recovery, set_aside
from tutor.store.schema import SCHEMA_VERSION
from tutor.store.snapshot import (
    Damaged,
    Snapshot,
    implausible,
    newer_schema_error,
    read_snapshot,
    snapshot_from_history,
)

#: What each way of opening is called in messages.
SOURCE_FILES = {"": FILE_NAME, "backup": BACKUP_NAME, "review history": HISTORY_NAME}


@dataclass
class Plan:
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


@dataclass
class Opened:
    """What opening found, and what the store does next."""

    contents: StoreContents
    recovery: Recovery | None
    """What had to be repaired (None when nothing was)."""
    fold: bool
    """Fold at once: after a repair, a migration or an adopted fold, or a full journal."""
    keep_backup: bool
    """False after rebuilding: the file the fold writes becomes the backup too."""
    journal_size: int
    """The journal's length up to its last complete line (0: start a new journal)."""
    journal_entries: int
    """Changes in the journal (the store folds after ``fold_limit`` of them)."""


def open_profile(folder: Path, fold_limit: int) -> Opened:
    """Read (and where needed repair) the study data in ``folder``; the caller holds its lock.

    Raises `StoreError` when a newer tutor wrote the data, `OSError` when a file
    cannot be read or repaired.
    """
    return _Opening(folder).open(fold_limit)


class _Opening:
    """One opening of a profile folder: the ways to rebuild tried, the files set aside."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / FILE_NAME
        self.history = folder / HISTORY_NAME
        self.aside: list[str] = []
        """Files set aside ('NAME as NEW-NAME'; '' when there was nothing to keep)."""
        self.previous: JournalContents | None = None
        self.backup_problem = ""
        self.exams_from = ""

    def open(self, fold_limit: int) -> Opened:
        """Load the most complete generation, replay the journal, repair and report."""
        remove_stale_temp_files(self.folder)
        current = read_journal(self.folder / JOURNAL_NAME)
        check_journal_schema(current, self.folder / JOURNAL_NAME)
        folded = (current.base > 0 or (self.folder / BACKUP_NAME).exists()
                  or (self.folder / PREVIOUS_JOURNAL_NAME).exists())
        main, main_problem = self.read_generation(self.path, folded, tutor_files=folded or (
            current.size > 0 or file_size(self.history) > 0))
        if main is None and not main_problem:
            main = Snapshot()  # a new profile
        stale = None
        if main is not None and (current.base > main.seq or header_base(
                self.folder / PREVIOUS_JOURNAL_NAME) > main.seq):
            # Every fold writes study.json before it starts the next journal.
            main_problem = f"{FILE_NAME}: out of date (older than the last save)"
            stale, main = main, None
        plan: Plan | None = None
        reason = ""
        if main is not None:
            plan = self.plan_for("", main, current)
            if plan.history:  # the history does not fit: compare with the other ways
                reason, plan = plan.note, None
        if plan is not None:
            contents, lost, consistent = self.run(plan, current, keep=plan.adopt < 0)
            if not consistent:
                plan, reason = None, f"{JOURNAL_NAME}: changes that do not fit {HISTORY_NAME}"
        if plan is None:
            plan, contents, lost = self.choose(main, stale, current)
        damage = self.damage(plan, main_problem or reason)
        self.fix_history(plan, contents)
        if plan.source or main_problem:
            self.aside.append(set_aside(self.path))
        if self.backup_problem:
            self.aside.append(set_aside(self.folder / BACKUP_NAME))
        journal_damage, journal_lost, unreadable = self.journal_damage(current)
        damage = ", ".join(part for part in (damage, journal_damage) if part)
        lost += journal_lost
        torn = bool(current.torn_bytes) and not current.torn_garbage
        aside = tuple(name for name in self.aside if name)
        recovery = None
        if damage or lost:
            recovery = Recovery(
                damage or "saved changes are in neither study.json nor the journal",
                plan.source, lost, torn, kept_answers=contents.review_count(), set_aside=aside,
                unreadable_journal=unreadable, exams_from=self.exams_from)
        elif torn or aside:  # an unfinished write (to the journal or the history)
            recovery = Recovery("", "", 0, True, set_aside=aside)
        schema = plan.snapshot.schema
        migrated = not plan.source and schema < SCHEMA_VERSION and not damage
        if migrated:
            keep_copy(self.path, f"schema{schema}")
        fold = bool(damage or lost or migrated or aside or plan.adopt >= 0
                    or len(current.entries) >= fold_limit)
        return Opened(contents, recovery, fold=fold, keep_backup=not plan.source,
                      journal_size=current.good_size, journal_entries=len(current.entries))

    def read_generation(self, path: Path, folded: bool,
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

    def previous_journal(self) -> JournalContents:
        """``study.journal.prev``, read the first time it is needed."""
        if self.previous is None:
            self.previous = read_journal(self.folder / PREVIOUS_JOURNAL_NAME)
            check_journal_schema(self.previous, self.folder / JOURNAL_NAME)
        return self.previous

    def plan_for(self, source: str, snapshot: Snapshot, current: JournalContents) -> Plan:
        """How ``snapshot`` fits the history file: as is, adopting a fold it never
        committed, or not at all (``cut``: lines it does not explain; ``reset``: the
        file lost its end and is rewritten from memory)."""
        plan = Plan(source, snapshot, exams_base=snapshot.seq)
        size, committed = file_size(self.history), snapshot.history_bytes
        if size < committed:
            plan.history = "reset"
            plan.note = f"{HISTORY_NAME} is shorter than recorded"
        elif size > committed:
            region = read_region(self.history, committed)
            seqs = self.journal_seqs(current, after=snapshot.seq)
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

    def journal_seqs(self, current: JournalContents, after: int) -> set[int]:
        """Sequence numbers after ``after`` that the journals hold."""
        entries = list(current.entries)
        if after < current.base or self.previous is not None:
            entries += self.previous_journal().entries
        return {entry["seq"] for entry in entries
                if isinstance(entry.get("seq"), int) and entry["seq"] > after}

    def choose(self, main: Snapshot | None, stale: Snapshot | None,
               current: JournalContents) -> tuple[Plan, StoreContents, int]:
        """Try every way to rebuild; keep the one with the most answers (the first on ties).

        ``stale`` is a readable ``study.json`` older than the journal: not a way to
        rebuild, but its exam records may be the newest there are. Returns the plan,
        the contents it gives and the changes lost.
        """
        self.previous_journal()
        plans = []
        if main is not None:
            plans.append(self.plan_for("", main, current))
        backup, problem = self.read_generation(self.folder / BACKUP_NAME, True)
        self.backup_problem = problem if (self.folder / BACKUP_NAME).exists() else ""
        if backup is not None:
            plans.append(self.plan_for("backup", backup, current))
        rebuilt, loaded = snapshot_from_history(self.history)
        donor = max((s for s in (main, stale, backup) if s is not None),
                    key=lambda s: s.seq, default=None)
        rebuilt.exams = dict(donor.exams) if donor is not None else {}
        history_plan = Plan("review history", rebuilt,
                            exams_base=donor.seq if donor is not None else 0,
                            history_end=loaded.size,
                            next_review_id=donor.next_review_id if donor is not None else 1)
        if loaded.damaged_lines or loaded.broken_events:
            history_plan.history = "reset"  # keep the file whole, but readable from here on
        plans.append(history_plan)
        best, best_count = plans[-1], -1
        for plan in plans:
            contents, _, consistent = self.run(plan, current, keep=False)
            if not consistent:  # a fold it would adopt does not replay: do not adopt it
                plan.adopt, plan.history = -1, "cut"
                contents, _, _ = self.run(plan, current, keep=False)
            count = contents.review_count()
            if count > best_count:
                best, best_count = plan, count
        contents, lost, _ = self.run(best, current, keep=False)
        if best.source == "review history":
            self.exams_from = self.exams_source(donor, backup, current)
        return best, contents, lost

    def exams_source(self, donor: Snapshot | None, backup: Snapshot | None,
                     current: JournalContents) -> str:
        """Where a rebuild's exam records came from: 'study.json', 'backup', 'journal'
        (the journals reach back to the first change) or '' (older ones are lost)."""
        if donor is not None and donor.exams:
            return "backup" if donor is backup else "study.json"
        previous = self.previous_journal()
        first = previous if previous.header is not None else current
        whole = (first.header is not None and first.base == 0
                 and not previous.damaged and not current.damaged)
        return "journal" if whole or donor is not None else ""

    def run(self, plan: Plan, current: JournalContents, *,
            keep: bool) -> tuple[StoreContents, int, bool]:
        """``plan``'s snapshot (a copy unless ``keep``) with the journals replayed.

        Returns the contents, the changes lost, and False when a journal entry the
        history already holds (an adopted fold) could not be replayed.
        """
        contents = StoreContents(plan.snapshot if keep else copy.deepcopy(plan.snapshot),
                                 self.history)
        lost = 0
        if plan.source == "review history":
            contents.dirty_cards = set(contents.states)  # the cards table is written anew
        if plan.history and plan.source != "review history":
            loaded = load_history(self.history, contents.history_bytes)
            missing = contents.merge_history(loaded)
            lost += missing
            if plan.history == "cut" and (missing or loaded.damaged_lines
                                          or loaded.broken_events
                                          or loaded.size != contents.history_bytes):
                plan.history = "reset"  # the committed part is damaged too
        previous = self.previous if self.previous is not None else JournalContents()
        if plan.exams_base < plan.snapshot.seq or current.base > plan.snapshot.seq:
            previous = self.previous_journal()
        replay_lost, consistent = replay(contents, plan.snapshot.seq, current, previous,
                                         exams_base=plan.exams_base, adopt=plan.adopt)
        if plan.history == "reset":
            contents.pending = [["reset"]] + [["r", row] for row in contents.tail]
        contents.next_review_id = max(contents.next_review_id, plan.next_review_id)
        return contents, lost + replay_lost, consistent

    def damage(self, plan: Plan, problem: str) -> str:
        """What was wrong, for the recovery message ('' when nothing was)."""
        parts = [problem or plan.note]
        if self.backup_problem and plan.source != "backup":
            parts.append(self.backup_problem)
        return ", ".join(part for part in parts if part)

    def fix_history(self, plan: Plan, contents: StoreContents) -> None:
        """Make the history file fit ``plan``: cut only what was first set aside."""
        size = file_size(self.history)
        if plan.history == "cut":
            end = plan.snapshot.history_bytes
        elif plan.history == "reset":
            end = complete_size(self.history)
        elif plan.adopt >= 0 or plan.source == "review history":
            end = plan.history_end
        else:
            return
        if size > end:
            self.aside.append(set_aside(self.history, copy=True))
            cut_to(self.history, end)
        contents.history_bytes = end

    def journal_damage(self, current: JournalContents) -> tuple[str, int, bool]:
        """What the journal lost: (description, changes lost beyond the replay's count,
        whether it was unreadable as a whole). A damaged or cut journal is copied aside."""
        parts = []
        if current.damaged:
            parts.append(plural(current.damaged, "unreadable line"))
        if current.torn_garbage:
            parts.append(f"{current.torn_bytes} unreadable bytes at its end")
        if current.damaged or current.torn_bytes:
            self.aside.append(set_aside(self.folder / JOURNAL_NAME, copy=True))
        previous = self.previous
        if previous is not None and (previous.damaged or previous.torn_garbage):
            self.aside.append(set_aside(self.folder / PREVIOUS_JOURNAL_NAME, copy=True))
        if not parts:
            return "", 0, False
        unreadable = current.header is None and not current.entries
        unknown = sum(1 for seq in damaged_seqs(current) if seq is None)
        return f"{JOURNAL_NAME}: {' and '.join(parts)}", 0 if unreadable else unknown, unreadable


def replay(contents: StoreContents, base: int, current: JournalContents,
           previous: JournalContents, *, exams_base: int | None = None,
           adopt: int = -1) -> tuple[int, bool]:
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
    target = max([floor, current.base, *(s for s in entries if s > base), *damaged])
    failed = 0
    consistent = True
    adopted = adopt < 0
    for seq in sorted(entries):
        entry = entries[seq]
        if seq <= base and entry.get("op") != "exam":
            continue
        if not adopted and seq > adopt:
            contents.pending = []  # the history file already holds these
            adopted = True
        try:
            contents.apply(entry)
        except (ValueError, TypeError, KeyError, IndexError):
            failed += 1
            consistent = consistent and seq > adopt
    if not adopted:
        contents.pending = []
    contents.seq = max(target, *contents.exams, 0)  # a new exam's id is the next number
    replayed = sum(1 for seq in entries if seq > floor)
    return max(0, target - floor - replayed) + failed, consistent


def repair_short_history(contents: StoreContents) -> int:
    """The history file lost its end: keep what it has, rewrite the rest from memory.

    Appends (at the next fold) a ``reset`` and every review known, so the file
    is whole again; returns how many reviews are gone for good. An unfinished
    last line is cut off only after the file was set aside.
    """
    missing = contents.load_history()
    history = contents.history
    complete = complete_size(history)
    if file_size(history) > complete:
        set_aside(history, copy=True)
        cut_to(history, complete)
    contents.history_bytes = complete
    contents.pending = [["reset"]] + [["r", row] for row in contents.tail]
    return missing


def check_journal_schema(contents: JournalContents, path: Path) -> None:
    """`StoreError` when a newer tutor wrote the journal (``path`` names it)."""
    header = contents.header or {}
    version = header.get("schema", SCHEMA_VERSION)
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise newer_schema_error(path, version)
    if header.get("journal", JOURNAL_FORMAT) != JOURNAL_FORMAT:
        raise newer_schema_error(path, version)


def keep_copy(path: Path, label: str) -> None:
    """Keep ``path`` as it is now as ``<name>.<label>`` too (a hard link; a copy where
    links fail); a failure only means there is no such copy."""
    try:
        replace_with_link(path, path.with_name(f"{path.name}.{label}"))
    except OSError:
        pass


def remove_stale_temp_files(folder: Path) -> None:
    """Delete temp files a write cut short left behind."""
    for leftover in folder.glob(".study.*.tmp"):
        try:
            leftover.unlink()
        except OSError:
            pass
