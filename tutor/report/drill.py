"""From a report to a drill: which topics and cards to study next."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tutor.decks.model import Card, Deck
from tutor.report.model import StudyReport, TopicReport


@dataclass(frozen=True)
class DrillRequest:
    """A request to drill some topics: what the report screen returns, what the app acts on."""

    topics: tuple[tuple[str, str], ...]
    """``(deck key, topic)`` pairs, weakest first."""
    card_ids: tuple[str, ...]
    """The cards of those topics."""

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


def drill_topics(topics: Sequence[TopicReport]) -> DrillRequest:
    """A drill of ``topics``' cards."""
    card_ids = tuple(dict.fromkeys(cid for topic in topics for cid in topic.card_ids))
    return DrillRequest(topics=tuple(topic.key for topic in topics), card_ids=card_ids)


def weakest_drill(report: StudyReport, count: int) -> DrillRequest | None:
    """A drill of the ``count`` weakest ranked topics that need it (a recent wrong answer
    or a leech); None when no ranked topic does."""
    if count < 1:
        raise ValueError("count must be at least 1")
    chosen = [t for t in report.weakest if t.stats.recent.wrong or t.stats.leeches][:count]
    return drill_topics(chosen) if chosen else None


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
