"""Which cards an exam asks: N drawn across decks and topics, weak cards more often.

Each card gets a weakness weight (`card_weight`): a card low in the Leitner boxes,
with lapses, or failed recently (in reviews or in earlier exams) weighs more; a card
never studied weighs like a box-2 card. The draw is weighted sampling without
replacement (Efraimidis & Spirakis, 2006: each card's key is ``u ** (1 / weight)``
for a uniform ``u``; the highest keys win), so weak cards are likelier but any card
can come up.

Coverage comes first: every topic gets its best-keyed card before any topic gets a
second one. When there are more topics than questions, the topics whose best cards
have the highest keys are asked (weak topics are likelier). The questions are then
shuffled. Everything random comes from one `random.Random(seed)`, and cards are
visited in deck order, so the same decks, store and seed give the same exam.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tutor.decks.model import Card, Deck
from tutor.exam.model import ExamError, ExamQuestion
from tutor.grading.base import PASS_SCORE
from tutor.schedule.model import CardState

#: How far back failed answers count as recent.
RECENT_WINDOW = timedelta(days=30)
#: Weight of a card never studied (like a card in box 2 of 5).
NEW_CARD_WEIGHT = 4.0
LAPSE_WEIGHT = 2.0
RECENT_FAILURE_WEIGHT = 3.0
LAST_FAILED_WEIGHT = 2.0
#: Lapses and recent failures count up to this many each (one bad card must not crowd out the rest).
COUNT_CAP = 5
#: Seeds drawn when the learner gives none fit in this range (short to type back with --seed).
SEED_RANGE = 1_000_000


@dataclass(frozen=True)
class Weakness:
    """What the store says about how well cards are known."""

    states: Mapping[str, CardState] = field(default_factory=dict)
    recent_failures: Mapping[str, int] = field(default_factory=dict)
    """Failed answers (score < 3) per card id within `RECENT_WINDOW`, reviews and exams."""


@dataclass(frozen=True)
class Selection:
    """The drawn questions and how the draw went."""

    questions: tuple[ExamQuestion, ...]
    requested: int
    available: int
    """Cards that matched the decks and topics."""
    topics: tuple[str, ...]
    """Every topic among the matching cards, in deck order."""
    seed: int

    @property
    def short(self) -> bool:
        """True when fewer cards matched than were asked for."""
        return self.available < self.requested

    @property
    def covered(self) -> tuple[str, ...]:
        """Topics that have at least one question."""
        asked = {q.topic.casefold() for q in self.questions}
        return tuple(t for t in self.topics if t.casefold() in asked)


def card_weight(state: CardState | None, recent_failures: int = 0, boxes: int = 5) -> float:
    """How strongly a card is favoured: 1.0 for a card in the top box with a clean record."""
    failures = min(COUNT_CAP, max(0, recent_failures)) * RECENT_FAILURE_WEIGHT
    if state is None or state.is_new:
        return NEW_CARD_WEIGHT + failures
    box = max(1, min(boxes, state.box))
    weight = float(boxes - box + 1)
    weight += min(COUNT_CAP, state.lapses) * LAPSE_WEIGHT + failures
    if state.last_score is not None and state.last_score < PASS_SCORE:
        weight += LAST_FAILED_WEIGHT
    return weight


def new_seed() -> int:
    """A fresh seed for an exam the learner did not seed."""
    return random.SystemRandom().randrange(SEED_RANGE)


def matching_cards(decks: Sequence[Deck], topics: Sequence[str] = ()) -> list[tuple[Deck, Card]]:
    """Cards of ``decks`` (first of each id) on ``topics``; `ExamError` for an unknown topic."""
    wanted = {t.strip().casefold(): t.strip() for t in topics if t.strip()}
    seen: set[str] = set()
    cards: list[tuple[Deck, Card]] = []
    found: set[str] = set()
    known: dict[str, str] = {}
    for deck in decks:
        for card in deck.cards:
            topic = card.topic.casefold()
            known.setdefault(topic, card.topic)
            if wanted and topic not in wanted:
                continue
            if card.id in seen:
                continue
            seen.add(card.id)
            found.add(topic)
            cards.append((deck, card))
    missing = [name for key, name in wanted.items() if key not in found]
    if missing:
        listed = ", ".join(known.values()) or "none"
        raise ExamError(f"no cards on topic '{missing[0]}' in the chosen decks (topics: {listed})")
    return cards


def select_questions(decks: Sequence[Deck], count: int, *, topics: Sequence[str] = (),
                     weakness: Weakness | None = None, seed: int | None = None,
                     boxes: int = 5) -> Selection:
    """Draw up to ``count`` questions (see the module docstring). Cards need ids."""
    if count <= 0:
        raise ExamError(f"--count must be a whole number more than 0 (got {count})")
    seed = new_seed() if seed is None else seed
    weakness = weakness or Weakness()
    cards = matching_cards(decks, topics)
    if not cards:
        raise ExamError("the chosen decks have no cards")
    rng = random.Random(seed)
    keyed = []
    for order, (deck, card) in enumerate(cards):
        weight = card_weight(weakness.states.get(card.id),
                             weakness.recent_failures.get(card.id, 0), boxes)
        # rng.random() is in [0, 1); 1 - it is in (0, 1], so the key is never 0 ** x.
        key = (1.0 - rng.random()) ** (1.0 / weight)
        keyed.append((key, order, deck, card))
    by_topic: dict[str, list[tuple[float, int, Deck, Card]]] = {}
    topic_names: dict[str, str] = {}
    for item in keyed:
        topic = item[3].topic.casefold()
        by_topic.setdefault(topic, []).append(item)
        topic_names.setdefault(topic, item[3].topic)
    wanted = min(count, len(cards))
    best = sorted((max(items, key=_rank) for items in by_topic.values()), key=_rank, reverse=True)
    chosen = best[:wanted]
    taken = {item[1] for item in chosen}
    rest = sorted((item for item in keyed if item[1] not in taken), key=_rank, reverse=True)
    chosen += rest[:wanted - len(chosen)]
    rng.shuffle(chosen)
    questions = tuple(
        ExamQuestion(number=number, card_id=card.id, deck=deck.key, topic=card.topic,
                      question=card.front, reference=card.back,
                      alternatives=tuple(card.alternatives))
        for number, (_key, _order, deck, card) in enumerate(chosen, start=1)
    )
    return Selection(questions=questions, requested=count, available=len(cards),
                     topics=tuple(topic_names.values()), seed=seed)


def _rank(item: tuple[float, int, Any, Any]) -> tuple[float, int]:
    """Higher key first; on equal keys the earlier card wins."""
    return (item[0], -item[1])


def weakness_from_history(states: Mapping[str, CardState], reviews: Iterable[Any],
                          exams: Iterable[dict[str, Any]], since: datetime) -> Weakness:
    """`Weakness` from stored states, reviews and exam records (failures from ``since`` on)."""
    failures: dict[str, int] = {}
    for review in reviews:
        if review.time >= since and review.score < PASS_SCORE:
            failures[review.card_id] = failures.get(review.card_id, 0) + 1
    for record in exams:
        for card_id in _failed_in_exam(record, since):
            failures[card_id] = failures.get(card_id, 0) + 1
    return Weakness(states=dict(states), recent_failures=failures)


def _failed_in_exam(record: dict[str, Any], since: datetime) -> list[str]:
    """Card ids answered wrongly in an exam that ended from ``since`` on (not yet recorded as reviews)."""
    if not isinstance(record, dict) or record.get("schedule_updated"):
        return []  # its answers are already among the reviews
    try:
        ended = datetime.fromisoformat(record.get("ended") or "")
    except (TypeError, ValueError):
        return []
    if ended.tzinfo is None or ended < since:
        return []
    failed = []
    for entry in record.get("questions") or []:
        if not isinstance(entry, dict):
            continue
        score = entry.get("score")
        card_id = entry.get("card_id")
        if isinstance(score, int) and not isinstance(score, bool) and score < PASS_SCORE \
                and isinstance(card_id, str):
            failed.append(card_id)
    return failed


def weakness_from_store(store: Any, card_ids: Iterable[str], now: datetime,
                        window: timedelta = RECENT_WINDOW) -> Weakness:
    """`Weakness` of ``card_ids`` read from a `StudyStore`."""
    since = now - window
    ids = list(card_ids)
    return weakness_from_history(store.states(ids), store.reviews(since=since), store.exams(), since)
