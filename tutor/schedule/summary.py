"""Counts for a deck list row or a report: due, new, total, boxes, mastery."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tutor.schedule.model import CardState

#: Mastery counts the cards in this many top boxes.
MASTERY_TOP_BOXES = 2


@dataclass(frozen=True)
class DeckSummary:
    """Where a set of cards stands at one moment."""

    total: int
    new: int
    """Cards never reviewed."""
    due: int
    """Reviewed cards whose due time has come (before the daily review cap)."""
    boxes: tuple[int, ...]
    """Reviewed cards per box: ``boxes[0]`` is box 1."""
    mastered: int
    """Cards in the top `MASTERY_TOP_BOXES` boxes."""

    @property
    def mastery(self) -> float:
        """Share of all cards (new ones included) that are mastered, 0.0-1.0."""
        return self.mastered / self.total if self.total else 0.0


def summarize(card_ids: Iterable[str], states: Mapping[str, CardState], now: datetime, *,
              boxes: int = 5, top: int = MASTERY_TOP_BOXES) -> DeckSummary:
    """Summarise the cards ``card_ids`` (e.g. ``[c.id for c in deck.cards]``)."""
    per_box = [0] * boxes
    total = new = due = 0
    for card_id in card_ids:
        total += 1
        state = states.get(card_id)
        if state is None or state.is_new:
            new += 1
            continue
        per_box[max(1, min(boxes, state.box)) - 1] += 1
        if state.is_due(now):
            due += 1
    mastered = sum(per_box[max(0, boxes - top):])
    return DeckSummary(total=total, new=new, due=due, boxes=tuple(per_box), mastered=mastered)
