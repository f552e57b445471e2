"""`StoreContents`: what a `StudyStore` holds in memory, and the one place changes apply.

Opening builds it from a snapshot and replays the journal into it (`tutor.store.opening`);
the store applies each new change to it after journaling it, and a fold writes it back
(`tutor.store.snapshot.write_snapshot`). Only the newest reviews are held until something
asks for older ones; then the whole history file is read once (`load_history`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from tutor.schedule.model import CardState
from tutor.store.codec import CARD, DECK, ID, TIME, check_row, state_from_doc
from tutor.store.history import HISTORY_NAME, LoadedHistory, apply_event, load_history
from tutor.store.snapshot import Snapshot, in_time_order

Entry = TypeVar("Entry", bound=Sequence[Any])


def older_than_tail(history: Sequence[Entry], start: int, tail: Sequence[list[Any]]) -> list[Entry]:
    """The first ``start`` entries replayed from the history file that come before ``tail``
    (rows, or their `ReviewSummary`: both hold the review id at ``ID``). Fewer than ``start``
    when reviews are missing."""
    before = list(history[:start])
    if tail:
        while before and before[-1][ID] >= tail[0][ID]:
            before.pop()
    return before


class StoreContents:
    """Card states, exam records and review rows of one profile, in memory."""

    def __init__(self, snapshot: Snapshot, history: Path) -> None:
        self.history = history
        """The review history file (``reviews.jsonl``)."""
        self.data = snapshot.data
        """The raw TinyDB data of ``study.json`` (the store keeps using it as its database)."""
        self.seq = snapshot.seq
        self.next_review_id = snapshot.next_review_id
        self.states: dict[str, CardState] = snapshot.states
        self.exams: dict[int, dict[str, Any]] = snapshot.exams
        self.tail: list[list[Any]] = snapshot.recent
        """The newest reviews, oldest first: all of them once `complete`."""
        self.tail_start = snapshot.history_rows - len(snapshot.recent)
        """How many reviews come before ``tail`` (they are only in the history file)."""
        self.complete = self.tail_start == 0
        self.history_bytes = snapshot.history_bytes
        """How much of the history file is committed."""
        self.last_by_deck: dict[str, str] = snapshot.last_by_deck
        self.monotonic = snapshot.monotonic and in_time_order(self.tail)
        """True while review times never went backwards (lets time searches bisect)."""
        self.pending: list[list[Any]] = []
        """History events not yet appended to the history file."""
        self.by_card: dict[str, list[int]] | None = None
        self.dirty_cards: set[str] = set()
        """Cards whose state changed since the last fold."""
        self.history_problem = ""
        """Set when reading the history file found unreadable parts ('' when all was fine)."""

    def review_count(self) -> int:
        """How many reviews there are."""
        return self.tail_start + len(self.tail)

    # -- applying changes (live and replay) ------------------------------------------------

    def apply(self, entry: dict[str, Any]) -> None:
        """Apply one journal entry; check everything before changing anything."""
        op = entry.get("op")
        if op == "review":
            rows, states = entry["rows"], entry["states"]
            decoded = {cid: state_from_doc(cid, doc) for cid, doc in states.items()}
            last = self.tail[-1][ID] if self.tail else self.next_review_id - 1
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
            if not self.tail:
                self.ensure_history()
            if not self.tail or self.tail[-1][ID] != entry["id"]:
                raise ValueError("undo of a review that is not the last one")
            row = self.tail.pop()
            self.pending.append(["u", row[ID]])
            if self.by_card is not None:
                self.by_card[row[CARD]].pop()
            self._refresh_last_studied(row[DECK])
            if state is None:
                self.states.pop(card_id, None)
                self.dirty_cards.add(card_id)
            else:
                self._set_states({card_id: state})
        elif op == "amend":
            row, doc = entry["row"], entry["state"]
            check_row(row)
            state = state_from_doc(row[CARD], doc)
            index = self.row_index(row[ID])
            old = self.tail[index]
            if old[CARD] != row[CARD]:
                raise ValueError("amended review is of another card")
            apply_event(self.tail, ["a", row])
            self.pending.append(["a", row])
            self._refresh_last_studied(old[DECK])
            self._refresh_last_studied(row[DECK])
            self._set_states({row[CARD]: state})
        elif op == "exam":
            exam_id, record = entry["id"], entry["record"]
            if not isinstance(exam_id, int) or not (record is None or isinstance(record, dict)):
                raise ValueError("malformed exam entry")
            if record is None:
                self.exams.pop(exam_id, None)
            else:
                self.exams[exam_id] = record
        else:
            raise ValueError(f"unknown journal entry {op!r}")

    def _append_row(self, row: list[Any]) -> None:
        if self.tail and row[TIME] < self.tail[-1][TIME]:
            self.monotonic = False
        self.tail.append(row)
        self.pending.append(["r", row])
        self.next_review_id = max(self.next_review_id, row[ID] + 1)
        if self.by_card is not None:
            self.by_card.setdefault(row[CARD], []).append(len(self.tail) - 1)
        if row[TIME] > self.last_by_deck.get(row[DECK], ""):
            self.last_by_deck[row[DECK]] = row[TIME]

    def _set_states(self, states: dict[str, CardState]) -> None:
        self.states.update(states)
        self.dirty_cards.update(states)

    def _refresh_last_studied(self, deck: str) -> None:
        """Recompute when ``deck`` was last studied after a review was removed or changed."""
        if not self.monotonic:
            self.ensure_history()
        latest = self._latest_in_tail(deck)
        if not latest and not self.complete:
            self.ensure_history()
            latest = self._latest_in_tail(deck)
        if latest:
            self.last_by_deck[deck] = latest
        else:
            self.last_by_deck.pop(deck, None)

    def _latest_in_tail(self, deck: str) -> str:
        latest = ""
        for row in reversed(self.tail):
            if row[DECK] == deck and row[TIME] > latest:
                latest = row[TIME]
                if self.monotonic:
                    break
        return latest

    # -- finding reviews -------------------------------------------------------------------

    def row_index(self, review_id: int) -> int:
        """Position of a review in ``tail`` (reading the history first if it is older);
        ``KeyError`` when there is no such review."""
        if not self.tail or review_id < self.tail[0][ID]:
            self.ensure_history()
        index = bisect.bisect_left(self.tail, review_id, key=lambda row: row[ID])
        if index >= len(self.tail) or self.tail[index][ID] != review_id:
            raise KeyError(review_id)
        return index

    def card_index(self) -> dict[str, list[int]]:
        """Positions in ``tail`` of each card's reviews (reads the whole history)."""
        self.ensure_history()
        if self.by_card is None:
            index: dict[str, list[int]] = {}
            for position, row in enumerate(self.tail):
                index.setdefault(row[CARD], []).append(position)
            self.by_card = index
        return self.by_card

    def first_since(self, since_text: str) -> int:
        """Index in ``tail`` of the first review at or after ``since_text`` ('' = all).

        Reads the full history first unless the tail is known to reach back that far.
        """
        covered = self.tail and self.tail[0][TIME] < since_text
        if not self.complete and not (self.monotonic and covered):
            self.ensure_history()
        if not since_text or not self.monotonic:
            return 0
        return bisect.bisect_left(self.tail, since_text, key=lambda row: row[TIME])

    # -- the history file ------------------------------------------------------------------

    def ensure_history(self) -> None:
        """Read the whole history, if not done yet."""
        if not self.complete:
            self.load_history()

    def load_history(self) -> int:
        """Read the whole history so ``tail`` holds every review; return reviews missing."""
        return self.merge_history(load_history(self.history, self.history_bytes))

    def merge_history(self, loaded: LoadedHistory) -> int:
        """Put the history's older rows before ``tail``; return how many could not be read."""
        before = older_than_tail(loaded.rows, self.tail_start, self.tail)
        missing = self.tail_start - len(before)
        if missing:
            self.history_problem = f"{HISTORY_NAME}: {missing} older reviews could not be read"
        elif loaded.damaged_lines or loaded.broken_events:
            self.history_problem = f"{HISTORY_NAME}: parts of the file could not be read"
        self.tail = before + self.tail
        self.tail_start = 0
        self.complete = True
        self.by_card = None
        self.monotonic = in_time_order(self.tail)
        return missing
