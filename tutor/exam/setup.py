"""Starting and resuming exams: what the CLI and the deck list's exam form both call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tutor.decks.model import Deck
from tutor.exam.history import unfinished
from tutor.exam.model import ExamError, ExamOptions
from tutor.exam.selection import select_questions, weakness_from_store
from tutor.exam.session import ExamSession
from tutor.schedule.clock import Clock


def check_decks(decks: Sequence[Deck]) -> None:
    """`ExamError` when no deck is given or one of them has no cards."""
    if not decks:
        raise ExamError("name at least one deck for the exam")
    for deck in decks:
        if not deck.cards:
            raise ExamError(f"deck '{deck.key}' has no cards")


def start_exam(options: ExamOptions, decks: Sequence[Deck], clock: Clock, *, store: Any = None,
               grader: str = "rules", boxes: int = 5) -> ExamSession:
    """Validate, draw the questions (weak cards favoured, from ``store``), save, return the exam."""
    options.validate()
    check_decks(decks)
    for deck in decks:
        if any(not card.id for card in deck.cards):
            deck.ensure_ids()
    ids = [card.id for deck in decks for card in deck.cards]
    weakness = weakness_from_store(store, ids, clock.now()) if store is not None else None
    selection = select_questions(decks, options.count, topics=options.topics, weakness=weakness,
                                 seed=options.seed, boxes=boxes)
    return ExamSession.start(selection, options, clock, decks=decks, store=store, grader=grader)


def resume_exam(store: Any, clock: Clock) -> ExamSession:
    """The newest exam not yet final, ready to go on; `ExamError` when there is none."""
    record = unfinished(store.exams())
    if record is None:
        raise ExamError("there is no unfinished exam to resume (see 'tutor exam --history')")
    return ExamSession.from_record(record, clock, store)
