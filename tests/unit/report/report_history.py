"""Constructed study histories for the report tests: real scheduler, known answers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tutor.decks.model import Card, Deck
from tutor.schedule import CardState, LeitnerScheduler, Review

#: "Now" of every constructed history: a Friday morning.
NOW = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def deck(key: str, topics: dict[str, int], title: str = "") -> Deck:
    """A deck with ``count`` cards per topic; card ids are '<key>-<topic>-<n>'."""
    cards = [Card(front=f"{topic} question {n}", back=f"{topic} answer {n}", topic=topic,
                  id=f"{key}-{topic}-{n}")
             for topic, count in topics.items() for n in range(1, count + 1)]
    return Deck(title=title or key.title(), cards=cards, topics=list(topics),
                path=Path(f"{key}.deck"))


class History:
    """Answers recorded through the real `LeitnerScheduler`, kept in memory like the store."""

    def __init__(self) -> None:
        self.scheduler = LeitnerScheduler()
        self.states: dict[str, CardState] = {}
        self.reviews: list[Review] = []

    def answer(self, card_id: str, score: int, when: datetime, *, deck: str = "spanish",
               topic: str = "", mode: str = "due", response_ms: int = 4000) -> Review:
        """Record one answer to ``card_id`` at ``when``."""
        state = self.states.get(card_id) or self.scheduler.new_state(card_id, deck)
        outcome = self.scheduler.review(state, score, when, mode=mode, topic=topic,
                                        response_ms=response_ms, grader="rules")
        review = dataclasses.replace(outcome.review, id=len(self.reviews) + 1)
        self.reviews.append(review)
        self.states[card_id] = outcome.state
        return review

    def answers(self, card_ids: Iterable[str], scores: Iterable[int], start: datetime,
                step: timedelta = timedelta(hours=5), **options: object) -> datetime:
        """Answer the cards in turn (cycling) with ``scores``; return the time after the last."""
        ids = list(card_ids)
        when = start
        for index, score in enumerate(scores):
            self.answer(ids[index % len(ids)], score, when, **options)  # type: ignore[arg-type]
            when += step
        return when
