"""From a report to a drill: which topics and cards to study next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from tutor.decks.model import Card, Deck
from tutor.formatting import plural
from tutor.report.model import StudyReport, TopicReport

#: How many of the weakest topics the report's drill (``d``) takes.
DRILL_TOPICS = 3


@dataclass(frozen=True)
class DrillRequest:
    """A request to drill some topics: what the report screen returns, what the app acts on."""

    topics: tuple[tuple[str, str], ...]
    """``(deck key, topic)`` pairs, weakest first."""
    card_ids: tuple[str, ...]
    """The cards of those topics."""
    asked: int = 0
    """How many topics were asked for (`weakest_drill`); 0 when the topics were named."""

    @property
    def shortfall(self) -> str:
        """'2 topics to drill (asked for 3)' when fewer topics qualified than were asked
        for, else ''."""
        return shortfall_text(len(self.topics), self.asked)


    @property
    def title(self) -> str:
        """A session title, e.g. 'Drill: verbs, tenses'."""
        names = list(dict.fromkeys(topic for _deck, topic in self.topics))
        return "Drill: " + ", ".join(names)

    @property
    def decks(self) -> tuple[str, ...]:
        """The deck keys involved, in order."""
        return tuple(dict.fromkeys(deck for deck, _topic in self.topics))

    def card_filter(self) -> Callable[[Card, str], bool]:
        """A fast queue filter for `build_drill_queue` (``include=``)."""
        ids = frozenset(self.card_ids)
        return lambda card, _deck: card.id in ids


def shortfall_text(found: int, asked: int) -> str:
    """'2 topics to drill (asked for 3)' when ``found < asked``, else ''."""
    return f"{plural(found, 'topic')} to drill (asked for {asked})" if found < asked else ""


def drill_topics(topics: Sequence[TopicReport]) -> DrillRequest:
    """A drill of ``topics``' cards."""
    card_ids = tuple(dict.fromkeys(cid for topic in topics for cid in topic.card_ids))
    return DrillRequest(topics=tuple(topic.key for topic in topics), card_ids=card_ids)


def drill_candidates(report: StudyReport, count: int) -> list[TopicReport]:
    """The ``count`` weakest ranked topics that need a drill: a recent wrong answer (however
    few answers the topic has) or a leech; fewer when fewer qualify."""
    if count < 1:
        raise ValueError("count must be at least 1")
    return [t for t in report.weakest if t.stats.recent.wrong or t.stats.leeches][:count]


def weakest_drill(report: StudyReport, count: int) -> DrillRequest | None:
    """A drill of `drill_candidates` (``asked`` = ``count``); None when no topic qualifies."""
    chosen = drill_candidates(report, count)
    return replace(drill_topics(chosen), asked=count) if chosen else None


def topics_drill(decks: Sequence[Deck], names: Sequence[str]) -> DrillRequest:
    """A drill of the cards whose topic is one of ``names`` (case-insensitive) in ``decks``.

    Raises `ValueError` naming the topics that no deck has.
    """
    wanted = {" ".join(name.split()).lower(): name for name in names if name.strip()}
    if not wanted:
        raise ValueError("name at least one topic")
    topics: dict[tuple[str, str], None] = {}
    card_ids: dict[str, None] = {}
    for deck in decks:
        for card in deck.cards:
            if card.topic.lower() in wanted:
                topics.setdefault((deck.key, card.topic), None)
                card_ids.setdefault(card.id, None)
    found = {topic.lower() for _deck, topic in topics}
    missing = [name for key, name in wanted.items() if key not in found]
    if missing:
        known = sorted({card.topic for deck in decks for card in deck.cards}, key=str.lower)
        raise ValueError(f"no topic {', '.join(repr(m) for m in missing)} in these decks"
                         f" (topics: {', '.join(known) or 'none'})")
    return DrillRequest(topics=tuple(topics), card_ids=tuple(card_ids))
