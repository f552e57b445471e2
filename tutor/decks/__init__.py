"""Decks: the card model, the native file format, and importers for other formats."""

from tutor.decks.library import DeckLibrary, load_library, resolve_decks
from tutor.decks.model import Card, Deck, make_card_id
from tutor.decks.native import format_deck, load_deck, parse_deck, save_deck

__all__ = [
    "Card",
    "Deck",
    "DeckLibrary",
    "format_deck",
    "load_deck",
    "load_library",
    "make_card_id",
    "parse_deck",
    "resolve_decks",
    "save_deck",
]
