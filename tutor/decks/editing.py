"""Changing a deck's cards from the UI: edit, add, delete and restore a card, each written
to the deck file at once by `save_deck` (in place, atomic, the version it replaced kept as
``<name>.deck.bak``). The study screen's edit and the card browser both come here.

A card's study history is keyed by its id, never by its deck or its text: an edit keeps
the id, and deleting a card leaves its history in the store, so a deleted card restored
(same id) is back in the box it was in. On a failed write the deck in memory is put back
as it was and a `TutorError` says why in one line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from tutor.decks.model import DEFAULT_TOPIC, Card, Deck, make_card_id
from tutor.decks.native import save_copy, save_deck
from tutor.errors import DeckError, TutorError

EMPTY_CARD = "a card needs both a question and an answer"


def save(deck: Deck, removed: Sequence[Card] = ()) -> None:
    """Write ``deck`` to its file (``removed``: cards deleted from it since the last write);
    a bundled deck's first change goes to its ``copy_to`` file instead (the learner's copy,
    which replaces it from then on; ``copied_from`` says so). An OS failure becomes a
    one-line `DeckError`."""
    try:
        if deck.copy_to is not None:
            bundled = deck.path
            save_copy(deck, deck.copy_to, removed=removed)
            deck.copy_to, deck.copied_from = None, bundled
        else:
            save_deck(deck, removed=removed)
    except OSError as exc:
        raise DeckError(f"could not save deck {deck.copy_to or deck.path}: "
                        f"{exc.strerror or exc}") from None


def take_copy_note(decks: Iterable[Deck]) -> str | None:
    """The one line that says a bundled deck's change went to the learner's own copy (see
    `save`), once: ``copied_from`` is cleared. None when no deck was just copied."""
    for deck in decks:
        if deck.copied_from is not None:
            deck.copied_from = None
            return (f"Saved in your own copy of this deck, {deck.path}: the bundled file is left"
                    " as it was, and your copy replaces it from now on.")
    return None


def _alternatives(alternatives: Sequence[str]) -> list[str]:
    return [" ".join(a.split()) for a in alternatives if a.strip()]


def edit_card(deck: Deck, card: Card, *, front: str, back: str, topic: str,
              alternatives: Sequence[str] | None = None) -> Card:
    """Change ``card``'s text and save ``deck``; the card keeps its id (and history).
    An empty topic keeps the card's topic."""
    front, back = front.strip(), back.strip()
    if not front or not back:
        raise TutorError(EMPTY_CARD)
    old = (card.front, card.back, card.topic, list(card.alternatives))
    card.front, card.back = front, back
    card.topic = " ".join(topic.split()) or card.topic
    if alternatives is not None:
        card.alternatives = _alternatives(alternatives)
    try:
        save(deck)
    except TutorError:
        card.front, card.back, card.topic, card.alternatives = old
        raise
    return card


def add_card(deck: Deck, *, front: str, back: str, topic: str,
             alternatives: Sequence[str] = (), taken: Collection[str] = ()) -> Card:
    """Append a new card to ``deck`` and save it. Its id avoids ``taken`` (the ids of the
    other loaded decks: one id cannot have two histories)."""
    front, back = front.strip(), back.strip()
    if not front or not back:
        raise TutorError(EMPTY_CARD)
    card = Card(front=front, back=back, topic=" ".join(topic.split()) or DEFAULT_TOPIC,
                alternatives=_alternatives(alternatives))
    card.id = make_card_id(front, deck.title, {*taken, *(c.id for c in deck.cards)})
    return _append_saved(deck, card)


def delete_card(deck: Deck, card: Card) -> None:
    """Take ``card`` out of ``deck`` and its block out of the file; its history stays in
    the store (see `restore_card`). A deck may be left with no cards: its file then holds
    its header, which loads as an empty deck."""
    index = next((i for i, c in enumerate(deck.cards) if c is card), None)
    if index is None:
        raise DeckError(f"card {card.id} is not in deck '{deck.title}'")
    del deck.cards[index]
    try:
        save(deck, removed=[card])
    except TutorError:
        deck.cards.insert(index, card)
        raise


def restore_card(deck: Deck, card: Card) -> Card:
    """Put a deleted card back, with its id (and so its history), at the end of the deck
    and of its file."""
    if deck.card(card.id) is not None:
        raise DeckError(f"deck '{deck.title}' already has a card with id {card.id}")
    return _append_saved(deck, card)


def _append_saved(deck: Deck, card: Card) -> Card:
    """``card`` appended to ``deck`` and saved; on a failed save the deck is as it was."""
    deck.cards.append(card)
    try:
        save(deck)
    except TutorError:
        deck.cards.remove(card)
        raise
    return card
