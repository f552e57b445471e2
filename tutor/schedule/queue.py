"""The study queue: which cards to ask today, in what order, and failed cards again.

Order (`build_queue`): due cards first, most overdue first (ties keep deck order),
at most ``review_limit`` scheduled reviews a day; then new cards, taken round-robin
across the decks so every deck moves forward, at most ``new_limit`` a day over all
the decks and, with ``deck_new_room``, at most that many more from each deck (the
per-deck limit, `tutor.schedule.limits`). ``review_limit`` and ``new_limit`` count
what was already done today (`DailyCounts`, from `StudyStore.daily_counts`) across
decks.

`build_ahead_queue` is "review ahead": cards due in the next days, asked early as
practice (a pass moves nothing, a fail sends the card to box 1, as in a drill).

A card answered wrongly comes back in the same session after ``relearn_after``
other cards (sooner when fewer are left), at most ``max_relearn`` times; it is
also in box 1 and due again tomorrow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from tutor.decks.model import Card, Deck
from tutor.schedule.model import CardState, ReviewKind, ReviewMode

RELEARN_AFTER = 3
MAX_RELEARN = 2


@dataclass(frozen=True)
class DailyCounts:
    """What one profile has done today, for the daily limits."""

    new_cards: int = 0
    """Cards reviewed for the first time (kind ``new``)."""
    reviews: int = 0
    """Scheduled reviews (kind ``due``); the review cap counts these."""
    relearning: int = 0
    practice: int = 0

    @property
    def total(self) -> int:
        """All reviews today."""
        return self.new_cards + self.reviews + self.relearning + self.practice


@dataclass(frozen=True)
class QueueItem:
    """One card to ask, and why: ``due``, ``new``, ``relearn`` or ``practice``."""

    card: Card
    deck: str
    """The deck's key (`Deck.key`)."""
    kind: ReviewKind
    due: datetime | None = None
    step: int = 0
    """Relearning step: 0 for the first time in a session, 1.. for repeats after a fail."""

    @property
    def card_id(self) -> str:
        """The card's id."""
        return self.card.id

    @property
    def mode(self) -> ReviewMode:
        """The ``mode`` to pass to `LeitnerScheduler.review` for this item."""
        return "due" if self.kind == "new" else self.kind


class DueQueue:
    """A session's cards in order; answers, skips and undo move through it.

    ``current`` is the card to ask; `answer` finishes it (re-queueing a failed card),
    `skip` sends it to the end, `undo` takes back the last answer.
    """

    def __init__(self, items: Iterable[QueueItem], *, relearn_after: int = RELEARN_AFTER,
                 max_relearn: int = MAX_RELEARN) -> None:
        if relearn_after < 0 or max_relearn < 0:
            raise ValueError("relearn_after and max_relearn must be 0 or more")
        self._pending: list[QueueItem] = list(items)
        self._history: list[list[QueueItem | None]] = []
        self.relearn_after = relearn_after
        self.max_relearn = max_relearn

    @property
    def current(self) -> QueueItem | None:
        """The card to ask now, or None when the session is done."""
        return self._pending[0] if self._pending else None

    def __len__(self) -> int:
        return len(self._pending)

    def __bool__(self) -> bool:
        return bool(self._pending)

    @property
    def answered(self) -> int:
        """Answers given this session (relearning steps included)."""
        return len(self._history)

    @property
    def total(self) -> int:
        """Answered plus still to come: the "m" of "n of m"."""
        return self.answered + len(self._pending)

    def pending(self) -> list[QueueItem]:
        """The cards still to come, in order (a copy)."""
        return list(self._pending)

    def remaining(self, kind: ReviewKind | None = None) -> int:
        """Cards still to come, of one kind or all."""
        if kind is None:
            return len(self._pending)
        return sum(1 for item in self._pending if item.kind == kind)

    def answer(self, passed: bool) -> QueueItem | None:
        """Finish the current card; a fail queues a relearning step, which is returned."""
        if not self._pending:
            raise IndexError("the queue is empty")
        item = self._pending.pop(0)
        relearn = None if passed else self._queue_relearn(item)
        self._history.append([item, relearn])
        return relearn

    def skip(self) -> None:
        """Send the current card to the end of the queue."""
        if self._pending:
            self._pending.append(self._pending.pop(0))

    def undo(self) -> QueueItem | None:
        """Take back the last answer: its relearning step goes, the card is current again."""
        if not self._history:
            return None
        item, relearn = self._history.pop()
        assert item is not None
        self._drop_pending(relearn)
        self._pending.insert(0, item)
        return item

    def regrade(self, card_id: str, passed: bool, *, on_screen: QueueItem | None = None) -> None:
        """A late grade changed the last answer for ``card_id``: fix its relearning step.

        A relearning step that is ``on_screen`` (the learner is being asked it, maybe
        typing) stays: the answer must go to the card on screen.
        """
        for entry in reversed(self._history):
            item, relearn = entry
            assert item is not None
            if item.card_id != card_id:
                continue
            if passed and relearn is not None:
                if relearn is on_screen:
                    return
                self._drop_pending(relearn)
                entry[1] = None
            elif not passed and relearn is None:
                entry[1] = self._queue_relearn(item)
            return

    def _queue_relearn(self, item: QueueItem) -> QueueItem | None:
        if item.step >= self.max_relearn:
            return None
        relearn = replace(item, kind="relearn", step=item.step + 1)
        self._pending.insert(min(self.relearn_after, len(self._pending)), relearn)
        return relearn

    def _drop_pending(self, target: QueueItem | None) -> None:
        for index, pending in enumerate(self._pending):
            if pending is target:
                del self._pending[index]
                return


CardFilter = Callable[[Card, str], bool]
"""Chooses cards for a queue: called with the card and its deck's key."""


def build_queue(decks: Sequence[Deck], states: Mapping[str, CardState], now: datetime, *,
                new_limit: int, review_limit: int, counts: DailyCounts | None = None,
                deck_new_room: Mapping[str, int] | None = None,
                include: CardFilter | None = None, relearn_after: int = RELEARN_AFTER,
                max_relearn: int = MAX_RELEARN) -> DueQueue:
    """Today's queue over ``decks``: due cards (most overdue first), then new cards.

    ``states`` maps card ids to their stored state (missing = never reviewed);
    ``counts`` is what was done earlier today; ``deck_new_room`` how many new cards
    each deck (by key) may still give today (a deck not in it: no limit of its own);
    ``include`` narrows the cards.
    """
    counts = counts or DailyCounts()
    due: list[QueueItem] = []
    new_by_deck: list[list[QueueItem]] = []
    for deck in decks:
        fresh: list[QueueItem] = []
        for card in deck.cards:
            if include is not None and not include(card, deck.key):
                continue
            state = states.get(card.id)
            if state is None or state.is_new:
                fresh.append(QueueItem(card, deck.key, "new"))
            elif state.is_due(now):
                due.append(QueueItem(card, deck.key, "due", state.due))
        if deck_new_room is not None and deck.key in deck_new_room:
            fresh = fresh[: max(0, deck_new_room[deck.key])]
        new_by_deck.append(fresh)
    due.sort(key=lambda item: item.due or now)  # stable: ties keep deck order
    review_room = max(0, review_limit - counts.reviews)
    new_room = max(0, new_limit - counts.new_cards)
    items = due[:review_room] + _round_robin(new_by_deck, new_room)
    return DueQueue(items, relearn_after=relearn_after, max_relearn=max_relearn)


def build_drill_queue(decks: Sequence[Deck], states: Mapping[str, CardState], now: datetime, *,
                      include: CardFilter | None = None, limit: int | None = None,
                      relearn_after: int = RELEARN_AFTER,
                      max_relearn: int = MAX_RELEARN) -> DueQueue:
    """A drill of chosen cards (weak topics) regardless of due dates and daily limits.

    Due cards come first (kind ``due``), then cards not yet due, weakest first
    (lowest box, then most lapses) as kind ``practice``, then new cards.
    """
    due: list[QueueItem] = []
    early: list[tuple[int, int, QueueItem]] = []
    fresh: list[QueueItem] = []
    for deck in decks:
        for card in deck.cards:
            if include is not None and not include(card, deck.key):
                continue
            state = states.get(card.id)
            if state is None or state.is_new:
                fresh.append(QueueItem(card, deck.key, "new"))
            elif state.is_due(now):
                due.append(QueueItem(card, deck.key, "due", state.due))
            else:
                early.append((state.box, -state.lapses,
                              QueueItem(card, deck.key, "practice", state.due)))
    due.sort(key=lambda item: item.due or now)
    early.sort(key=lambda entry: (entry[0], entry[1]))
    items = due + [entry[2] for entry in early] + fresh
    if limit is not None:
        items = items[: max(0, limit)]
    return DueQueue(items, relearn_after=relearn_after, max_relearn=max_relearn)


def build_ahead_queue(decks: Sequence[Deck], states: Mapping[str, CardState], now: datetime,
                      until: datetime, *, relearn_after: int = RELEARN_AFTER,
                      max_relearn: int = MAX_RELEARN) -> DueQueue:
    """"Review ahead": the cards not due yet that fall due by ``until``, soonest first,
    as kind ``practice`` (asked early, so a pass does not move them up a box)."""
    ahead: list[QueueItem] = []
    seen: set[str] = set()
    for deck in decks:
        for card in deck.cards:
            state = states.get(card.id)
            if state is None or state.is_new or state.due is None or card.id in seen:
                continue
            if now < state.due <= until:
                seen.add(card.id)
                ahead.append(QueueItem(card, deck.key, "practice", state.due))
    ahead.sort(key=lambda item: item.due or until)  # stable: ties keep deck order
    return DueQueue(ahead, relearn_after=relearn_after, max_relearn=max_relearn)


def _round_robin(groups: list[list[QueueItem]], room: int) -> list[QueueItem]:
    """Take one item from each group in turn until ``room`` items are taken."""
    taken: list[QueueItem] = []
    index = 0
    while len(taken) < room:
        progressed = False
        for group in groups:
            if index < len(group) and len(taken) < room:
                taken.append(group[index])
                progressed = True
        if not progressed:
            break
        index += 1
    return taken
