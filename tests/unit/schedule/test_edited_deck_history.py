"""An edited deck keeps its history: card ids are stable across text edits."""

from __future__ import annotations

from pathlib import Path

from tutor.decks import load_deck
from tutor.schedule import FixedClock, LeitnerScheduler, build_queue, summarize
from tutor.store import StudyStore

ORIGINAL = """\
title: Capitals

---
Q: Capital of France?
A: Paris
---
Q: Capital of Japan?
A: Tokyo
---
Q: Capital of Peru?
A: Lima
"""


def study_everything(path: Path, store: StudyStore, clock: FixedClock, score: int) -> None:
    scheduler = LeitnerScheduler()
    deck = load_deck(path).deck
    queue = build_queue([deck], store.states(), clock.now(), new_limit=20, review_limit=100)
    while queue.current is not None:
        item = queue.current
        state = store.state(item.card_id) or scheduler.new_state(item.card_id, deck.key)
        outcome = scheduler.review(state, score, clock.now(), mode=item.mode,
                                   topic=item.card.topic)
        store.record_review(outcome.review, outcome.state)
        queue.answer(passed=outcome.review.correct)


def test_text_changed_card_removed_card_added_keeps_history(tmp_path: Path) -> None:
    path = tmp_path / "capitals.deck"
    path.write_text(ORIGINAL, encoding="utf-8")
    clock = FixedClock()
    first = load_deck(path).deck  # assigns ids and writes them into the file
    france, japan, peru = (card.id for card in first.cards)
    assert len({france, japan, peru}) == 3 and f"id: {japan}" in path.read_text()
    with StudyStore(tmp_path / "profile") as store:
        study_everything(path, store, clock, score=5)
        before = store.states()

    text = path.read_text(encoding="utf-8")
    text = text.replace("Capital of Japan?", "What is the capital city of Japan?")
    text = text.replace("A: Tokyo", "A: Tokyo (東京)")
    peru_block = text[text.index(f"id: {peru}"):]
    text = text.replace(peru_block, "Q: Capital of Kenya?\nA: Nairobi\n")
    path.write_text(text, encoding="utf-8")

    edited = load_deck(path).deck
    ids = [card.id for card in edited.cards]
    assert ids[:2] == [france, japan] and peru not in ids
    kenya = ids[2]
    assert kenya not in (france, japan, peru)
    assert edited.cards[1].front == "What is the capital city of Japan?"

    clock.advance(days=2)  # France and Japan (box 2) are due again
    with StudyStore(tmp_path / "profile") as store:
        states = store.states()
        assert states[japan] == before[japan]  # the edit did not touch its schedule
        queue = build_queue([edited], states, clock.now(), new_limit=20, review_limit=100)
        assert [(item.card_id, item.kind) for item in queue.pending()] == [
            (france, "due"), (japan, "due"), (kenya, "new")]
        summary = summarize([c.id for c in edited.cards], states, clock.now())
        assert (summary.total, summary.new, summary.due) == (3, 1, 2)
        study_everything(path, store, clock, score=4)
        assert [r.box_after for r in store.reviews(card_id=japan)] == [2, 3]
        assert [r.kind for r in store.reviews(card_id=kenya)] == ["new"]
        assert len(store.reviews(card_id=peru)) == 1  # the removed card's history stays
        assert store.state(peru) == before[peru]
