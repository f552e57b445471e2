"""Starting and resuming exams: what the CLI and the deck list's exam form both call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tutor.decks.model import Deck
from tutor.exam.history import resume_command, unfinished
from tutor.exam.model import ExamError, ExamOptions
from tutor.exam.selection import select_questions, weakness_from_store
from tutor.exam.session import ExamSession
from tutor.exam.stored import UNFINISHED, is_exam_record
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


def resume_exam(store: Any, clock: Clock, exam_id: str = "") -> ExamSession:
    """Exam ``exam_id`` (default: the newest not yet final), ready to go on; `ExamError`
    when there is no such exam or it is final."""
    if not exam_id:
        record = unfinished(store.exams())
        if record is None:
            raise ExamError("there is no unfinished exam to resume (see 'tutor exam --history')")
        return ExamSession.from_record(record, clock, store)
    if not exam_id.isdigit():
        raise ExamError(f"--resume takes an exam ID from 'tutor exam --history', not {exam_id[:40]!r}")
    found = store.exam(exam_id)
    if found is None or not is_exam_record(found):
        raise ExamError(f"there is no exam {exam_id} (see 'tutor exam --history')")
    if found.get("status") not in UNFINISHED:
        raise ExamError(f"exam {exam_id} is finished: there is nothing to resume")
    return ExamSession.from_record(found, clock, store)


def unfinished_note(store: Any) -> str | None:
    """Before a new exam starts: the line saying how to go back to the unfinished one
    (``--resume`` alone would continue the new one from then on), or None."""
    if store is None:
        return None
    record = unfinished(store.exams())
    if record is None:
        return None
    exam_id = record.get("id", "?")
    return f"exam {exam_id} is not finished; it is kept: '{resume_command(exam_id)}' continues it"
