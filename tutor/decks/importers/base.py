"""The importer contract: a pure function from a source's text to cards plus diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from tutor.decks.model import Card


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
