"""New cards per deck (with an optional cap over all decks), and "review ahead"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tutor.decks.model import Card, Deck
from tutor.schedule import CardState, DailyCounts, build_queue
from tutor.schedule.limits import NewCardLimits
from tutor.schedule.queue import build_ahead_queue

NOW = datetime(2024, 3, 10, 9, 0, tzinfo=timezone.utc)
DAY_START = datetime(2024, 3, 10, 4, 0, tzinfo=timezone.utc)


def deck(key: str, count: int) -> Deck:
    return Deck(title=key, cards=[Card(f"{key} q{n}", f"a{n}", id=f"{key}{n:03d}")
                                  for n in range(count)])


def new_cards_by_deck(decks: list[Deck], limits: NewCardLimits) -> dict[str, int]:
    keys = [d.key for d in decks]
    counts = DailyCounts(new_cards=limits.studied_total)
    queue = build_queue(decks, {}, NOW, new_limit=limits.total_limit or 10_000,
                        review_limit=100, counts=counts, deck_new_room=limits.rooms(keys))
    found: dict[str, int] = {}
    for item in queue.pending():
        found[item.deck] = found.get(item.deck, 0) + 1
    return found


def test_each_deck_has_its_own_new_card_limit() -> None:
    decks = [deck("spanish", 30), deck("imported", 30), deck("third", 3)]
    limits = NewCardLimits(per_deck=20)
    assert new_cards_by_deck(decks, limits) == {"spanish": 20, "imported": 20, "third": 3}


def test_what_one_deck_used_today_leaves_the_others_their_limit() -> None:
    decks = [deck("spanish", 30), deck("imported", 30)]
    limits = NewCardLimits(per_deck=20, studied={"spanish": 15})
    assert limits.room("spanish") == 5 and limits.room("imported") == 20
    assert limits.today_text("spanish") == "15 of 20"
    assert new_cards_by_deck(decks, limits) == {"spanish": 5, "imported": 20}


def test_an_overall_cap_limits_all_decks_together_taking_turns() -> None:
    decks = [deck("spanish", 30), deck("imported", 30)]
    limits = NewCardLimits(per_deck=20, total=25, studied={"spanish": 10})
    assert limits.total_limit == 25 and limits.total_room == 15
    assert new_cards_by_deck(decks, limits) == {"spanish": 8, "imported": 7}  # in turn
    assert NewCardLimits(per_deck=20).total_room is None  # 0 = no overall cap


def test_extra_new_cards_raise_the_deck_limit_and_the_overall_cap() -> None:
    decks = [deck("spanish", 40), deck("imported", 40)]
    limits = NewCardLimits(per_deck=20, total=40, studied={"spanish": 20, "imported": 20},
                           extra={"spanish": 10})
    assert limits.limit("spanish") == 30 and limits.today_text("spanish") == "20 of 30"
    assert limits.total_limit == 50 and limits.total_room == 10
    assert new_cards_by_deck(decks, limits) == {"spanish": 10}


def test_review_ahead_takes_cards_due_in_the_window_soonest_first_as_practice() -> None:
    d = deck("a", 5)

    def due_in(card: str, days: float) -> CardState:
        return CardState(card, "a", box=3, due=DAY_START + timedelta(days=days), reviews=2)

    states = {"a000": due_in("a000", 3), "a001": due_in("a001", 1), "a002": due_in("a002", -1),
              "a003": due_in("a003", 4)}  # a002 is due now; a004 is new
    queue = build_ahead_queue([d], states, NOW, DAY_START + timedelta(days=3))
    assert [item.card_id for item in queue.pending()] == ["a001", "a000"]
    assert {item.kind for item in queue.pending()} == {"practice"}
    assert {item.mode for item in queue.pending()} == {"practice"}
