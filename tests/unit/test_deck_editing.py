"""`tutor.decks.editing`: a card deleted from a deck leaves its file by its own lines only,
and comes back with its id; adding and editing write the file at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.decks import load_library
from tutor.decks.editing import add_card, delete_card, edit_card, restore_card
from tutor.decks.model import Deck, make_card_id
from tutor.errors import TutorError

DECK = """# my notes: keep me
title: Capitals

---
id: c-france
# France first: it was the first one I learned
Q: Capital of France?
A: Paris

---
id: c-peru
topic: america
Q: Capital of Peru?
A: Lima
---
id: c-chad
Q: Capital of Chad?
A: N'Djamena
"""


def load(path: Path) -> Deck:
    library = load_library([path])
    assert not library.errors and not library.warnings, (library.errors, library.warnings)
    return library.decks[0]


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "capitals.deck"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_delete_takes_out_only_the_cards_lines_and_keeps_a_backup(deck_file: Path) -> None:
    deck = load(deck_file)
    delete_card(deck, deck.cards[1])
    assert deck_file.read_text(encoding="utf-8") == DECK.replace(
        "---\nid: c-peru\ntopic: america\nQ: Capital of Peru?\nA: Lima\n", "")
    assert (deck_file.parent / "capitals.deck.bak").read_text(encoding="utf-8") == DECK
    assert [card.id for card in load(deck_file).cards] == ["c-france", "c-chad"]


def test_a_deleted_cards_comment_stays_under_a_dash_line_that_starts_no_card(
        deck_file: Path) -> None:
    deck = load(deck_file)
    delete_card(deck, deck.cards[0])
    text = deck_file.read_text(encoding="utf-8")
    assert "---\n# France first: it was the first one I learned\n\n---\nid: c-peru" in text
    assert "Paris" not in text and "c-france" not in text
    assert [card.id for card in load(deck_file).cards] == ["c-peru", "c-chad"]


def test_deleting_the_last_block_keeps_the_files_final_newline(deck_file: Path) -> None:
    deck = load(deck_file)
    delete_card(deck, deck.cards[2])
    assert deck_file.read_text(encoding="utf-8").endswith("A: Lima\n")
    for card in list(deck.cards):
        delete_card(deck, card)
    text = deck_file.read_text(encoding="utf-8")
    assert text.startswith("# my notes: keep me\ntitle: Capitals\n") and text.endswith("\n")
    empty = load(deck_file)
    assert (empty.title, empty.cards) == ("Capitals", [])


def test_delete_keeps_an_edit_made_outside_meanwhile(deck_file: Path) -> None:
    deck = load(deck_file)
    deck_file.write_text(DECK.replace("A: N'Djamena", "A: N'Djamena (on the Chari)"),
                         encoding="utf-8")
    delete_card(deck, deck.cards[0])
    assert [(c.id, c.back) for c in load(deck_file).cards] == [
        ("c-peru", "Lima"), ("c-chad", "N'Djamena (on the Chari)")]


def test_a_restored_card_comes_back_at_the_end_with_its_id(deck_file: Path) -> None:
    deck = load(deck_file)
    peru = deck.cards[1]
    delete_card(deck, peru)
    restore_card(deck, peru)
    back = load(deck_file)
    assert [card.id for card in back.cards] == ["c-france", "c-chad", "c-peru"]
    assert back.cards[2].same_text(peru)
    with pytest.raises(TutorError, match="already has"):
        restore_card(deck, peru)


def test_a_deck_whose_file_went_is_left_as_it_was(deck_file: Path) -> None:
    deck = load(deck_file)
    deck_file.unlink()
    peru = deck.cards[1]
    with pytest.raises(TutorError, match="moved or deleted"):
        delete_card(deck, peru)
    assert deck.cards[1] is peru
    with pytest.raises(TutorError, match="moved or deleted"):
        add_card(deck, front="Capital of Chile?", back="Santiago", topic="")
    assert len(deck.cards) == 3


def test_add_gives_an_id_no_other_deck_has_and_edit_keeps_the_id(deck_file: Path) -> None:
    deck = load(deck_file)
    with pytest.raises(TutorError, match="both a question and an answer"):
        add_card(deck, front="Capital of Chile?", back="  ", topic="")
    assert deck_file.read_text(encoding="utf-8") == DECK
    usual = make_card_id("Capital of Chile?", "Capitals")  # another deck has it
    card = add_card(deck, front=" Capital of Chile?", back="Santiago", topic=" south  america ",
                    alternatives=["  Santiago de  Chile ", " "], taken={usual})
    assert card.id != usual and card.topic == "south america"
    edit_card(deck, card, front="Capital of Chile (the country)?", back="Santiago", topic="")
    loaded = load(deck_file).card(card.id)
    assert loaded is not None and loaded.front == "Capital of Chile (the country)?"
    assert (loaded.topic, loaded.alternatives) == ("south america", ["Santiago de Chile"])


def bundled_and_own(tmp_path: Path) -> tuple[Path, Path, Deck]:
    """A deck in a 'bundled' folder, marked to copy on change into an 'own' folder."""
    from tutor.decks.library import copy_bundled_on_change, load_folders

    bundled, own = tmp_path / "bundled", tmp_path / "own"
    bundled.mkdir()
    (bundled / "capitals.deck").write_text(DECK, encoding="utf-8")
    library = load_folders([own, bundled])  # as the app loads them: the user's folder first
    copy_bundled_on_change(library.decks, bundled, own)
    return bundled, own, library.decks[0]


def test_a_bundled_decks_first_change_goes_to_the_learners_own_copy(tmp_path: Path) -> None:
    from tutor.decks.editing import take_copy_note
    from tutor.decks.library import load_folders

    bundled, own, deck = bundled_and_own(tmp_path)
    card = deck.card("c-peru")
    assert card is not None
    edit_card(deck, card, front="Capital of Peru?", back="Lima (on the coast)", topic="america")
    assert (bundled / "capitals.deck").read_text(encoding="utf-8") == DECK  # untouched
    copy = own / "capitals.deck"
    assert deck.path == copy
    # The copy is the bundled file with the one change: comments, ids and layout kept.
    assert copy.read_text(encoding="utf-8") == DECK.replace("A: Lima\n", "A: Lima (on the coast)\n")
    note = take_copy_note([deck])
    assert note is not None and str(copy) in note and "bundled file is left as it was" in note
    assert take_copy_note([deck]) is None  # said once
    # Later changes go to the copy; the copy replaces the bundled deck when decks are loaded.
    add_card(deck, front="Capital of Chile?", back="Santiago", topic="america")
    assert (bundled / "capitals.deck").read_text(encoding="utf-8") == DECK
    again = load_folders([own, bundled])
    assert [d.path for d in again.decks] == [copy]
    assert [c.back for c in again.decks[0].cards] == ["Paris", "Lima (on the coast)", "N'Djamena", "Santiago"]
    assert [c.id for c in again.decks[0].cards][:3] == ["c-france", "c-peru", "c-chad"]


def test_an_existing_own_copy_is_never_overwritten(tmp_path: Path) -> None:
    bundled, own, deck = bundled_and_own(tmp_path)
    own.mkdir()
    mine = DECK.replace("A: Paris", "A: Paris, my notes")
    (own / "capitals.deck").write_text(mine, encoding="utf-8")  # e.g. the bundled one named by path
    card = deck.card("c-chad")
    assert card is not None
    with pytest.raises(TutorError, match="already exists: your copy of this deck is there"):
        edit_card(deck, card, front="Capital of Chad?", back="Ndjamena", topic="")
    assert (own / "capitals.deck").read_text(encoding="utf-8") == mine
    assert (bundled / "capitals.deck").read_text(encoding="utf-8") == DECK
    assert card.back == "N'Djamena" and deck.path == bundled / "capitals.deck"
