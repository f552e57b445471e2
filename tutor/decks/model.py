"""The deck model: `Card` and `Deck`, with stable card ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_TOPIC = "general"
#: Longest card id kept (generated ids have 10 characters; handwritten ones may be longer).
MAX_CARD_ID_CHARS = 100


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

    def copy(self) -> Card:
        """An independent copy (the tag and alternative lists are not shared)."""
        return Card(front=self.front, back=self.back, topic=self.topic, tags=list(self.tags),
                    alternatives=list(self.alternatives), id=self.id)

    def same_text(self, other: Card) -> bool:
        """True when everything but the id is the same (what a deck file line holds)."""
        return (self.front, self.back, self.topic, self.tags, self.alternatives) == (
            other.front, other.back, other.topic, other.tags, other.alternatives)

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
    origin: Any = field(default=None, repr=False, compare=False)
    """What the file looked like when last read or written (`tutor.decks.native` uses it
    to edit the file in place)."""
    copy_to: Path | None = field(default=None, repr=False, compare=False)
    """Where the deck's first change is saved instead of ``path``: set for a bundled deck
    (the project's own file), whose learner's copy in their deck folder then replaces it."""
    copied_from: Path | None = field(default=None, repr=False, compare=False)
    """The bundled file a change was just saved away from (the UI says so once, then clears it)."""

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

    def ensure_ids(self, taken: Collection[str] = (), warnings: list[str] | None = None) -> int:
        """Give every card without a valid id, or with one an earlier card has, a fresh one.

        New ids also avoid ``taken`` (the ids of other decks). Returns how many cards got
        one; a replaced id (invalid or duplicate: it came from an import, not from tutor)
        adds a line to ``warnings``.
        """
        used = set(taken)
        seen: set[str] = set()
        changed = 0
        for number, card in enumerate(self.cards, start=1):
            if valid_card_id(card.id) and card.id not in seen:
                seen.add(card.id)
                used.add(card.id)
                continue
            if card.id and warnings is not None:
                why = "is used by an earlier card" if card.id in seen else "is not a valid card id"
                warnings.append(f"card {number} ({card.front[:30]!r}): id {card.id[:30]!r} {why};"
                                " it gets a new id")
            card.id = make_card_id(card.front, self.title, used)
            seen.add(card.id)
            used.add(card.id)
            changed += 1
        return changed


def valid_card_id(text: str) -> bool:
    """True for an id an ``id:`` line holds and reads back unchanged: one line of printable
    characters, no space at either end, at most `MAX_CARD_ID_CHARS`. (So an id holding
    ``\\n---\\nQ:`` can never add a card to a deck file.)"""
    return (0 < len(text) <= MAX_CARD_ID_CHARS and text.isprintable()
            and text == text.strip())


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
    """A lowercase file-name-safe form of ``text``: accents dropped ('españoles' ->
    'espanoles'), letters of other scripts kept ('русские'), anything else a '-'."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower())
                    if not unicodedata.combining(ch))
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", plain)).strip("-")
    return slug[:60].strip("-") or "deck"
