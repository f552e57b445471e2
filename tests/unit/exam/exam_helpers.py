"""Shared pieces of the exam tests: small real deck files, a real store, ready exams."""

from __future__ import annotations

from pathlib import Path

from tutor.decks.model import Deck
from tutor.decks.native import load_deck
from tutor.exam import ExamOptions, ExamSession, start_exam
from tutor.schedule import FixedClock

CAPITALS = """title: Capitals
---
id: cap0000001
topic: europe
Q: Capital of France?
A: Paris
---
id: cap0000002
topic: europe
Q: Capital of Spain?
A: Madrid
---
id: cap0000003
topic: americas
Q: Capital of Peru?
A: Lima
---
id: cap0000004
topic: americas
Q: Capital of Canada?
A: Ottawa
---
id: cap0000005
topic: asia
Q: Capital of Japan?
A: Tokyo
---
id: cap0000006
topic: asia
Q: Capital of Mongolia?
A: Ulaanbaatar
"""

EMPTY = "title: Empty\n"


def write_deck(folder: Path, name: str, text: str) -> Path:
    """Write a .deck file and return its path."""
    path = folder / f"{name}.deck"
    path.write_text(text, encoding="utf-8")
    return path


def capitals(folder: Path) -> Deck:
    """The capitals deck, loaded from a real file."""
    return load_deck(write_deck(folder, "capitals", CAPITALS)).deck


def answers_by_question(deck: Deck) -> dict[str, str]:
    """Question text -> correct answer."""
    return {card.front: card.back for card in deck.cards}


def new_exam(deck: Deck, clock: FixedClock, store: object, **options: object) -> ExamSession:
    """A started exam over ``deck`` (seed 7 unless given)."""
    settings = {"minutes": 5.0, "count": 4, "seed": 7, **options}
    return start_exam(ExamOptions(decks=(deck.key,), **settings), [deck], clock,  # type: ignore[arg-type]
                      store=store)
