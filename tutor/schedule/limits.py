"""Today's new-card allowance: so many new cards a day in each deck, optionally a cap over
all decks, plus the extra cards the learner asked for today ("study more").

As in Anki, ``study.new_per_day`` is per deck: 20 new cards in one deck leave the next
deck its own 20. ``study.new_per_day_total`` (0 = none) caps all decks together. Extra
cards granted for today raise their deck's limit and the overall cap by as many.
Pure: the counts come from the store (`tutor.study.daily`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: How many more new cards "study more" grants at a time.
MORE_NEW_CARDS = 10


@dataclass(frozen=True)
class NewCardLimits:
    """How many new cards each deck may give today, and how many it gave already."""

    per_deck: int
    """New cards a day in each deck (``study.new_per_day``)."""
    total: int = 0
    """New cards a day over all decks together (``study.new_per_day_total``); 0 = no cap."""
    studied: Mapping[str, int] = field(default_factory=dict)
    """New cards studied today, by deck key."""
    extra: Mapping[str, int] = field(default_factory=dict)
    """More new cards granted for today ("study more"), by deck key."""

    def limit(self, deck: str) -> int:
        """Today's new-card limit of ``deck`` (its extra cards included)."""
        return max(0, self.per_deck) + max(0, self.extra.get(deck, 0))

    def studied_in(self, deck: str) -> int:
        """New cards studied in ``deck`` today."""
        return self.studied.get(deck, 0)

    def room(self, deck: str) -> int:
        """New cards ``deck`` may still give today (before the overall cap)."""
        return max(0, self.limit(deck) - self.studied_in(deck))

    @property
    def total_limit(self) -> int:
        """Today's cap over all decks (extra cards included); 0 when there is none."""
        if self.total <= 0:
            return 0
        return self.total + sum(max(0, n) for n in self.extra.values())

    @property
    def studied_total(self) -> int:
        """New cards studied today in every deck."""
        return sum(self.studied.values())

    @property
    def total_room(self) -> int | None:
        """New cards all decks may still give today; None when there is no overall cap."""
        if self.total <= 0:
            return None
        return max(0, self.total_limit - self.studied_total)

    def rooms(self, decks: Iterable[str]) -> dict[str, int]:
        """`room` of each deck key."""
        return {deck: self.room(deck) for deck in decks}

    def today_text(self, deck: str) -> str:
        """'7 of 20': new cards studied in ``deck`` today of its limit."""
        return f"{self.studied_in(deck)} of {self.limit(deck)}"
