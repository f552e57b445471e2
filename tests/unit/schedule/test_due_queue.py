"""The due queue: ordering, daily caps, relearning, skip, undo, late regrades, drills."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tutor.decks.model import Card, Deck
from tutor.schedule import (
    CardState,
    DailyCounts,
    DeckSummary,
    DueQueue,
    QueueItem,
    build_drill_queue,
    build_queue,
    summarize,
)

NOW = datetime(2024, 3, 10, 9, 0, tzinfo=timezone.utc)


def deck(key: str, count: int, topic: str = "general") -> Deck:
    cards = [Card(f"{key} question {n}", f"answer {n}", topic=topic, id=f"{key}{n}")
             for n in range(count)]
    return Deck(title=key, cards=cards)


def state(card_id: str, deck_key: str, *, due_days_ago: float, box: int = 2,
          lapses: int = 0) -> CardState:
    return CardState(card_id, deck_key, box=box, due=NOW - timedelta(days=due_days_ago),
                     reviews=2, lapses=lapses, last_reviewed=NOW - timedelta(days=5))


def ids(queue: DueQueue) -> list[str]:
    return [item.card_id for item in queue.pending()]


def test_due_cards_come_first_most_overdue_first_then_new_cards() -> None:
    d = deck("a", 6)
    states = {
        "a0": state("a0", "a", due_days_ago=1),
        "a1": state("a1", "a", due_days_ago=7),
        "a2": state("a2", "a", due_days_ago=-2),  # due in two days: not today
        "a3": state("a3", "a", due_days_ago=3),
    }
    queue = build_queue([d], states, NOW, new_limit=10, review_limit=100)
    assert ids(queue) == ["a1", "a3", "a0", "a4", "a5"]
    assert [item.kind for item in queue.pending()] == ["due", "due", "due", "new", "new"]
    assert queue.pending()[0].due == states["a1"].due
    assert queue.remaining("due") == 3 and queue.remaining("new") == 2


def test_equally_overdue_cards_keep_deck_order() -> None:
    first, second = deck("a", 2), deck("b", 2)
    states = {cid: state(cid, cid[0], due_days_ago=2) for cid in ("a0", "a1", "b0", "b1")}
    assert ids(build_queue([first, second], states, NOW, new_limit=0, review_limit=9)) == [
        "a0", "a1", "b0", "b1"]


def test_new_cards_are_taken_in_turn_across_decks() -> None:
    queue = build_queue([deck("a", 3), deck("b", 1), deck("c", 2)], {}, NOW,
                        new_limit=5, review_limit=100)
    assert ids(queue) == ["a0", "b0", "c0", "a1", "c1"]


def test_daily_limits_count_what_was_done_earlier_today() -> None:
    d = deck("a", 8)
    states = {f"a{n}": state(f"a{n}", "a", due_days_ago=n + 1) for n in range(5)}
    queue = build_queue([d], states, NOW, new_limit=2, review_limit=3)
    assert queue.remaining("due") == 3 and queue.remaining("new") == 2
    assert ids(queue)[:3] == ["a4", "a3", "a2"]  # the most overdue make the cut
    later = build_queue([d], states, NOW, new_limit=2, review_limit=3,
                        counts=DailyCounts(new_cards=1, reviews=2))
    assert later.remaining("due") == 1 and later.remaining("new") == 1
    done = build_queue([d], states, NOW, new_limit=2, review_limit=3,
                       counts=DailyCounts(new_cards=5, reviews=9))
    assert len(done) == 0 and done.current is None


def test_include_filter_narrows_the_queue() -> None:
    cards = deck("a", 4).cards
    cards[1].topic = cards[3].topic = "verbs"
    d = Deck(title="a", cards=cards)
    queue = build_queue([d], {}, NOW, new_limit=10, review_limit=10,
                        include=lambda card, key: card.topic == "verbs")
    assert ids(queue) == ["a1", "a3"]


def test_a_failed_card_comes_back_after_n_other_cards() -> None:
    queue = build_queue([deck("a", 6)], {}, NOW, new_limit=6, review_limit=0, relearn_after=3)
    assert queue.current is not None and queue.current.card_id == "a0"
    relearn = queue.answer(passed=False)
    assert relearn is not None and relearn.kind == "relearn" and relearn.step == 1
    assert relearn.mode == "relearn"
    assert ids(queue) == ["a1", "a2", "a3", "a0", "a4", "a5"]
    assert queue.total == 7 and queue.answered == 1
    for _ in range(3):
        assert queue.answer(passed=True) is None
    assert queue.current is not None and queue.current.kind == "relearn"


def test_relearning_stops_after_max_steps_and_near_the_end_comes_sooner() -> None:
    queue = DueQueue([QueueItem(Card("q", "a", id="x"), "d", "new")], relearn_after=3,
                     max_relearn=2)
    assert queue.answer(passed=False) is not None  # comes straight back: nothing else left
    assert queue.current is not None and queue.current.step == 1
    assert queue.answer(passed=False) is not None
    assert queue.answer(passed=False) is None  # third fail: done for today (box 1, due tomorrow)
    assert not queue and queue.answered == 3


def test_undo_takes_back_the_answer_and_its_relearning_step() -> None:
    queue = build_queue([deck("a", 4)], {}, NOW, new_limit=4, review_limit=0)
    queue.answer(passed=True)
    queue.answer(passed=False)
    assert ids(queue) == ["a2", "a3", "a1"]
    undone = queue.undo()
    assert undone is not None and undone.card_id == "a1"
    assert ids(queue) == ["a1", "a2", "a3"]
    assert queue.undo() is not None and ids(queue) == ["a0", "a1", "a2", "a3"]
    assert queue.undo() is None


def test_skip_sends_the_card_to_the_end() -> None:
    queue = build_queue([deck("a", 3)], {}, NOW, new_limit=3, review_limit=0)
    queue.skip()
    assert ids(queue) == ["a1", "a2", "a0"] and queue.answered == 0
    with pytest.raises(IndexError):
        DueQueue([]).answer(passed=True)


def test_a_late_grade_fixes_the_relearning_step() -> None:
    queue = build_queue([deck("a", 5)], {}, NOW, new_limit=5, review_limit=0)
    queue.answer(passed=True)  # provisional: pass
    queue.regrade("a0", passed=False)  # the model says fail: it must come back
    assert "a0" in ids(queue) and queue.remaining("relearn") == 1
    queue.regrade("a0", passed=True)  # overridden again: no relearning
    assert "a0" not in ids(queue)
    queue.regrade("zz", passed=False)  # unknown card: nothing happens
    assert queue.remaining("relearn") == 0


def test_a_late_pass_keeps_a_relearning_step_that_is_already_being_asked() -> None:
    queue = DueQueue(build_queue([deck("a", 2)], {}, NOW, new_limit=2, review_limit=0).pending(),
                     relearn_after=1)
    queue.answer(passed=False)  # a0 failed: asked again after one card
    queue.answer(passed=True)  # a1
    assert queue.current is not None and queue.current.card_id == "a0"
    on_screen = queue.current
    queue.regrade("a0", passed=True, on_screen=on_screen)  # the pass arrives while a0 is asked
    assert queue.current is on_screen
    queue.answer(passed=True)
    assert queue.current is None


def test_a_late_pass_drops_a_relearning_step_that_is_next_but_not_yet_shown() -> None:
    queue = DueQueue(build_queue([deck("a", 2)], {}, NOW, new_limit=2, review_limit=0).pending(),
                     relearn_after=1)
    queue.answer(passed=False)  # a0 failed: asked again after one card
    queue.answer(passed=True)  # a1, whose verdict is on screen: a0's step is next
    queue.regrade("a0", passed=True, on_screen=None)
    assert queue.current is None


def test_drill_queue_takes_due_then_weakest_then_new_cards_regardless_of_limits() -> None:
    d = deck("a", 5)
    states = {
        "a0": state("a0", "a", due_days_ago=-4, box=4),
        "a1": state("a1", "a", due_days_ago=-4, box=2, lapses=3),
        "a2": state("a2", "a", due_days_ago=2),
        "a3": state("a3", "a", due_days_ago=-4, box=2, lapses=0),
    }
    queue = build_drill_queue([d], states, NOW)
    assert ids(queue) == ["a2", "a1", "a3", "a0", "a4"]
    assert [item.kind for item in queue.pending()] == ["due", "practice", "practice",
                                                       "practice", "new"]
    assert queue.pending()[1].mode == "practice"
    assert ids(build_drill_queue([d], states, NOW, limit=2)) == ["a2", "a1"]


def test_summary_counts_due_new_boxes_and_mastery() -> None:
    d = deck("a", 6)
    states = {
        "a0": state("a0", "a", due_days_ago=1, box=5),
        "a1": state("a1", "a", due_days_ago=-3, box=4),
        "a2": state("a2", "a", due_days_ago=2, box=1),
        "a3": CardState("a3", "a"),  # stored but never reviewed: new
    }
    summary = summarize([c.id for c in d.cards], states, NOW)
    assert summary == DeckSummary(total=6, new=3, due=2, boxes=(1, 0, 0, 1, 1), mastered=2)
    assert summary.mastery == pytest.approx(2 / 6)
    assert summarize([], {}, NOW).mastery == 0.0
