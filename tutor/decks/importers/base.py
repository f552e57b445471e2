"""The importer contract: a pure function from a source's text to cards plus diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from tutor.decks.model import DEFAULT_TOPIC, Card
from tutor.decks.sanitize import clean_text
from tutor.formatting import plural


@dataclass
class ImportWarning:
    """Something the importer was unsure of or skipped, tied to a source line when it can be."""

    message: str
    line: int | None = None
    """1-based line in the source text (None when not tied to one line)."""
    confidence: float | None = None
    """For boundary decisions: how sure the importer was (0-1)."""

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        sure = f" (confidence {self.confidence:.2f})" if self.confidence is not None else ""
        return f"{where}{self.message}{sure}"


@dataclass
class ImportResult:
    """Cards read from one source, with the format used and every doubt found."""

    cards: list[Card]
    format: str
    title: str = ""
    """The deck title found in the source ('' if none)."""
    warnings: list[ImportWarning] = field(default_factory=list)
    encoding: str = "utf-8"

    def to_json(self) -> dict[str, object]:
        """The exact `tutor import --json` shape."""
        return {
            "cards": [{"front": c.front, "back": c.back, "topic": c.topic} for c in self.cards],
            "warnings": [str(w) for w in self.warnings],
        }


def sanitize_result(result: ImportResult) -> ImportResult:
    """``result`` with escape sequences and control characters removed from every text
    it will show (title, card fields, warnings): imported text is printed to terminals,
    where ``\\x1b[2J`` would clear the screen. Changes ``result`` in place; a card left
    without a front is dropped with a warning, one left without a topic gets the default;
    cards that repeat an earlier card exactly are kept, with one warning.
    """
    result.title = clean_text(result.title)
    for warning in result.warnings:
        warning.message = clean_text(warning.message)
    kept: list[Card] = []
    for card in result.cards:
        card.front, card.back = clean_text(card.front), clean_text(card.back)
        card.topic = clean_text(card.topic) or (card.topic and DEFAULT_TOPIC)
        card.id = clean_text(card.id)
        card.tags = [tag for tag in map(clean_text, card.tags) if tag]
        card.alternatives = [alt for alt in map(clean_text, card.alternatives) if alt]
        if card.front.strip():
            kept.append(card)
        else:
            result.warnings.append(ImportWarning("a card's front held only control characters; "
                                                 "skipped"))
    result.cards = kept
    _warn_repeats(result)
    return result


#: How many repeated cards the repeats warning names (it counts them all).
REPEATS_NAMED = 3


def _warn_repeats(result: ImportResult) -> None:
    """One warning for the cards whose question and answer an earlier card has exactly
    (a list pasted twice); they are kept: which copy to delete is the learner's call."""
    first: dict[tuple[str, str], int] = {}
    repeats: list[str] = []
    for number, card in enumerate(result.cards, start=1):
        earlier = first.setdefault((card.front, card.back), number)
        if earlier != number:
            repeats.append(f"card {number} = card {earlier} ({card.front.splitlines()[0][:40]!r})")
    if repeats:
        named = ", ".join(repeats[:REPEATS_NAMED]) + (", …" if len(repeats) > REPEATS_NAMED else "")
        result.warnings.append(ImportWarning(
            f"{plural(len(repeats), 'card')} {'repeats' if len(repeats) == 1 else 'repeat'}"
            " an earlier card's question and answer:"
            f" {named}; all kept (delete the copies from the deck file)"))


class TextImporter(Protocol):
    """One source format. ``sniff`` scores how much ``text`` looks like it (0 = not at all)."""

    name: str
    description: str

    def sniff(self, text: str) -> float:
        """0.0-1.0: how well the text matches this format."""
        ...

    def parse(self, text: str) -> ImportResult:
        """Cards and diagnostics. Must never raise on any text."""
        ...


ParseFunction = Callable[[str], ImportResult]
