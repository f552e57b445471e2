"""The deck model: `Card` and `Deck`, with stable card ids."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TOPIC = "general"


@dataclass
class Card:
    """One flashcard. ``id`` links it to study history and survives edits of its text."""

    front: str
    back: str
    topic: str = DEFAULT_TOPIC
    tags: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    """Other answers accepted as fully correct (added by the learner's overrides too)."""
    id: str = ""

    def to_json(self) -> dict[str, object]:
        """The card as plain data (the `tutor import --json` shape plus the extras)."""
        return {
            "id": self.id,
            "front": self.front,
            "back": self.back,
            "topic": self.topic,
            "tags": list(self.tags),
            "alternatives": list(self.alternatives),
        }


@dataclass
class Deck:
    """An ordered set of cards with a title; ``path`` is the native file it came from."""

    title: str
    cards: list[Card] = field(default_factory=list)
    path: Path | None = None
    source: str = ""
    description: str = ""
    topics: list[str] = field(default_factory=list)
    """The deck's topic vocabulary (informational; each card names its own topic)."""

    @property
    def key(self) -> str:
        """A short name for the deck: its file stem, else a slug of its title."""
        if self.path is not None:
            name = self.path.name
            return name[: -len(".deck")] if name.endswith(".deck") else self.path.stem
        return slugify(self.title)

    def card(self, card_id: str) -> Card | None:
        """The card with this id, if any."""
        for card in self.cards:
            if card.id == card_id:
                return card
        return None

    def topic_names(self) -> list[str]:
        """Topics in use, in first-seen order."""
        seen: dict[str, None] = {}
        for card in self.cards:
            seen.setdefault(card.topic, None)
        return list(seen)

    def ensure_ids(self) -> int:
        """Give every card without an id (or with a duplicate id) a fresh one; return how many."""
        taken: set[str] = set()
        changed = 0
        for card in self.cards:
            if card.id and card.id not in taken:
                taken.add(card.id)
                continue
            card.id = make_card_id(card.front, self.title, taken)
            taken.add(card.id)
            changed += 1
        return changed


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace and lowercase: the form used for hashing and matching."""
    return " ".join(text.split()).lower()


def make_card_id(front: str, salt: str, taken: set[str] | None = None) -> str:
    """A deterministic 10-hex-digit id from the card's front and the deck title.

    Once written to the deck file the id is kept, so later edits of the text do not
    change it. ``taken`` avoids collisions (identical fronts get a suffix).
    """
    taken = taken or set()
    base = f"{normalise_space(salt)}\0{normalise_space(front)}"
    for attempt in range(1000):
        digest = hashlib.sha1(f"{base}\0{attempt}".encode()).hexdigest()[:10]
        if digest not in taken:
            return digest
    raise RuntimeError("could not allocate a card id")  # pragma: no cover - 1000 collisions


def slugify(text: str) -> str:
    """A lowercase file-name-safe form of ``text``."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "deck"
