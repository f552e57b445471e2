"""Question selection: every topic covered, weak cards favoured, the same seed the same exam."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tutor.decks.model import Card, Deck
from tutor.exam import ExamError, Weakness, card_weight, select_questions, weakness_from_history
from tutor.schedule import CardState, LeitnerScheduler

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


def deck(key: str, topics: dict[str, int]) -> Deck:
    """A deck with ``n`` cards per topic; card ids are '<key>-<topic>-<i>'."""
    cards = [Card(front=f"{key} {topic} question {i}?", back=f"answer {i}", topic=topic,
                  id=f"{key}-{topic}-{i}")
             for topic, n in topics.items() for i in range(n)]
    return Deck(title=key.title(), cards=cards, path=Path(f"{key}.deck"))


def state(card_id: str, box: int, lapses: int = 0, last_score: int = 4) -> CardState:
    return CardState(card_id=card_id, deck="d", box=box, reviews=5, lapses=lapses,
                     last_score=last_score, due=NOW, last_reviewed=NOW - timedelta(days=1))


def test_every_topic_is_asked_when_there_are_enough_questions() -> None:
    decks = [deck("bio", {"cells": 10, "genes": 6, "ecology": 1}),
             deck("chem", {"acids": 8, "bonds": 1})]
    for seed in range(30):
        selection = select_questions(decks, 6, seed=seed)
        topics = Counter(q.topic for q in selection.questions)
        assert set(topics) == {"cells", "genes", "ecology", "acids", "bonds"}
        assert len(selection.questions) == 6
        assert len({q.card_id for q in selection.questions}) == 6


def test_fewer_questions_than_topics_gives_distinct_topics() -> None:
    decks = [deck("geo", {t: 3 for t in ("rivers", "peaks", "cities", "deserts", "lakes")})]
    selection = select_questions(decks, 3, seed=11)
    assert len({q.topic for q in selection.questions}) == 3
    assert set(selection.covered) == {q.topic for q in selection.questions}


def test_weak_cards_are_drawn_far_more_often() -> None:
    decks = [deck("hist", {"wars": 10})]
    ids = [c.id for c in decks[0].cards]
    weak, strong = ids[0], ids[1:]
    weakness = Weakness(
        states={weak: state(weak, box=1, lapses=3, last_score=1),
                **{cid: state(cid, box=5) for cid in strong}},
        recent_failures={weak: 2})
    picks = Counter(select_questions(decks, 1, weakness=weakness, seed=seed).questions[0].card_id
                    for seed in range(300))
    # The weak card weighs 5 + 6 + 2 + 6 = 19, each strong card 1: about 19/28 of the draws.
    assert picks[weak] > 150
    assert max(picks[cid] for cid in strong) < 30
    assert card_weight(weakness.states[weak], 2) > 10 * card_weight(weakness.states[strong[0]])


def test_weak_topic_is_preferred_when_not_every_topic_fits() -> None:
    decks = [deck("lang", {"verbs": 4, "nouns": 4, "idioms": 4})]
    weakness = Weakness(states={c.id: state(c.id, box=1 if c.topic == "idioms" else 5,
                                            lapses=2 if c.topic == "idioms" else 0)
                                for c in decks[0].cards})
    topics = Counter(select_questions(decks, 1, weakness=weakness, seed=s).questions[0].topic
                     for s in range(200))
    assert topics["idioms"] > 140  # weight 9 vs 1 per card: about 36/44 of the draws


def test_box_order_of_weights() -> None:
    scheduler = LeitnerScheduler()
    weights = [card_weight(state("c", box=b)) for b in range(1, scheduler.boxes + 1)]
    assert weights == sorted(weights, reverse=True)
    assert card_weight(None) == card_weight(state("c", box=2))
    assert card_weight(state("c", box=3, lapses=1)) > card_weight(state("c", box=3))
    assert card_weight(None, recent_failures=1) > card_weight(None)


def test_the_same_seed_draws_the_same_exam() -> None:
    decks = [deck("bio", {"cells": 10, "genes": 6}), deck("chem", {"acids": 8})]
    weakness = Weakness(states={"bio-cells-1": state("bio-cells-1", box=1, lapses=2)})
    first = select_questions(decks, 8, weakness=weakness, seed=1234)
    again = select_questions(decks, 8, weakness=weakness, seed=1234)
    other = select_questions(decks, 8, weakness=weakness, seed=1235)
    assert first.questions == again.questions
    assert [q.card_id for q in first.questions] != [q.card_id for q in other.questions]
    assert [q.number for q in first.questions] == list(range(1, 9))
    assert first.seed == 1234


def test_no_seed_draws_one_and_reports_it() -> None:
    decks = [deck("bio", {"cells": 10})]
    selection = select_questions(decks, 3)
    assert select_questions(decks, 3, seed=selection.seed).questions == selection.questions


def test_fewer_cards_than_asked_uses_them_all() -> None:
    decks = [deck("bio", {"cells": 2, "genes": 1})]
    selection = select_questions(decks, 10, seed=1)
    assert selection.short
    assert selection.available == 3
    assert len(selection.questions) == 3


def test_topics_filter_and_duplicates() -> None:
    first = deck("a", {"cells": 3, "genes": 3})
    copy = Deck(title="Copy", cards=list(first.cards), path=Path("copy.deck"))
    selection = select_questions([first, copy], 10, topics=["CELLS"], seed=3)
    assert {q.topic for q in selection.questions} == {"cells"}
    assert selection.available == 3
    assert {q.deck for q in selection.questions} == {"a"}


def test_unknown_topic_and_empty_decks_are_errors() -> None:
    with pytest.raises(ExamError, match="no cards on topic 'orbits'.*topics: cells"):
        select_questions([deck("a", {"cells": 2})], 2, topics=["orbits"], seed=1)
    with pytest.raises(ExamError, match="no cards"):
        select_questions([Deck(title="Empty")], 2, seed=1)
    with pytest.raises(ExamError, match="--count"):
        select_questions([deck("a", {"cells": 2})], 0, seed=1)


class _Review:
    def __init__(self, card_id: str, score: int, time: datetime) -> None:
        self.card_id, self.score, self.time = card_id, score, time


def test_recent_failures_come_from_reviews_and_unrecorded_exams() -> None:
    since = NOW - timedelta(days=30)
    reviews = [_Review("x", 1, NOW - timedelta(days=2)), _Review("x", 5, NOW),
               _Review("y", 0, NOW - timedelta(days=40))]
    exams = [
        {"kind": "exam", "ended": (NOW - timedelta(days=1)).isoformat(), "schedule_updated": False,
         "questions": [{"card_id": "x", "score": 2}, {"card_id": "z", "score": 5}]},
        {"kind": "exam", "ended": (NOW - timedelta(days=1)).isoformat(), "schedule_updated": True,
         "questions": [{"card_id": "z", "score": 0}]},
        {"kind": "exam", "ended": None, "questions": [{"card_id": "q", "score": 0}]},
    ]
    weakness = weakness_from_history({}, reviews, exams, since)
    assert weakness.recent_failures == {"x": 2}
