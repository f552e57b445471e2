""""Study more" (Anki's custom study) for one deck: what it offers and what was chosen.

Three ways on, each recorded so that nothing moves a card up early:

* **more new cards today** - the deck's new-card limit grows by `MORE_NEW_CARDS` for
  the rest of the study day (kept in the store's ``today.json``, so a restart the
  same day keeps it); the new cards are ordinary first reviews;
* **review ahead** - the cards falling due in the next N days, asked now as
  *practice*, as a topic drill asks them: a pass leaves box and due date alone (an
  early recall is weaker evidence than one after the full interval, so it earns no
  longer interval), a fail sends the card to box 1, due tomorrow;
* **a topic** - every card of one topic of the deck: a drill (due cards as due
  reviews, the others as practice, new cards as first reviews).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from tutor.decks.model import Deck
from tutor.schedule.leitner import LeitnerScheduler
from tutor.schedule.limits import MORE_NEW_CARDS, NewCardLimits
from tutor.schedule.model import CardState
from tutor.schedule.summary import summarize

#: The "review ahead" spans offered, in days.
AHEAD_DAYS = (1, 3, 7)

StudyMoreKind = Literal["new", "ahead", "topic"]


@dataclass(frozen=True)
class StudyMoreChoice:
    """What the learner chose in the "study more" dialog."""

    kind: StudyMoreKind
    days: int = 0
    """For ``ahead``: cards due in the next ``days`` days."""
    topic: str = ""
    """For ``topic``: the topic whose cards to study."""


@dataclass(frozen=True)
class TopicCount:
    """One topic of the deck and how many cards it has."""

    topic: str
    cards: int


@dataclass(frozen=True)
class StudyMoreOffer:
    """What "study more" can offer for one deck now, with the numbers the dialog shows."""

    deck: Deck
    new_left: int
    """Cards of the deck never studied."""
    new_today: str
    """'20 of 20': new cards studied today of the deck's limit."""
    ahead: tuple[tuple[int, int], ...]
    """(days, cards falling due within them) for each span of `AHEAD_DAYS`."""
    topics: tuple[TopicCount, ...]
    more_new: int = MORE_NEW_CARDS


def ahead_until(scheduler: LeitnerScheduler, now: datetime, days: int) -> datetime:
    """The end of "the next ``days`` days": the start of the study day ``days`` after today
    (a card due then is included)."""
    return scheduler.day_start(now) + timedelta(days=days)


def study_more_offer(deck: Deck, states: dict[str, CardState], limits: NewCardLimits,
                     scheduler: LeitnerScheduler, now: datetime) -> StudyMoreOffer:
    """The numbers of the "study more" dialog for ``deck`` (``states``: its cards')."""
    new_left = summarize([card.id for card in deck.cards], states, now).new
    ahead = []
    for days in AHEAD_DAYS:
        until = ahead_until(scheduler, now, days)
        ahead.append((days, sum(1 for card in deck.cards
                                if (state := states.get(card.id)) is not None
                                and not state.is_new and state.due is not None
                                and now < state.due <= until)))
    counts: dict[str, int] = {}
    for card in deck.cards:
        counts[card.topic] = counts.get(card.topic, 0) + 1
    topics = tuple(TopicCount(topic, cards) for topic, cards in counts.items())
    return StudyMoreOffer(deck=deck, new_left=new_left, new_today=limits.today_text(deck.key),
                          ahead=tuple(ahead), topics=topics)
