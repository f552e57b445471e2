"""The deck folders a learner starts with: the user's (missing until the first deck is
added) and the bundled one, with a user deck replacing the bundled deck of its name."""

from __future__ import annotations

import shutil
from pathlib import Path

from tutor.decks.library import resolve_decks
from tutor.settings import BUNDLED_DECKS, Settings


def bundled_keys() -> list[str]:
    """The keys of the decks shipped in decks/."""
    return sorted(path.stem for path in BUNDLED_DECKS.glob("*.deck"))


def test_first_start_without_a_user_deck_folder_loads_the_bundled_decks_quietly() -> None:
    settings = Settings()
    assert not (settings.data_path / "decks").exists()

    library = resolve_decks([], settings.deck_paths)

    assert library.errors == [] and library.warnings == []
    assert sorted(deck.key for deck in library.decks) == bundled_keys()


def test_a_missing_configured_folder_is_empty(tmp_path: Path) -> None:
    present = tmp_path / "present"
    present.mkdir()
    (present / "one.deck").write_text("title: One\n---\nid: a1\nQ: q\nA: a\n", encoding="utf-8")
    settings = Settings(deck_dirs=(str(tmp_path / "missing"), str(present)))

    library = resolve_decks([], settings.deck_paths)

    assert library.errors == []
    assert [deck.key for deck in library.decks] == ["one"]


def test_a_user_deck_named_like_a_bundled_one_replaces_it() -> None:
    settings = Settings()
    user_folder = settings.data_path / "decks"
    user_folder.mkdir(parents=True)
    bundled = sorted(BUNDLED_DECKS.glob("*.deck"))[0]
    shutil.copy(bundled, user_folder / bundled.name)

    library = resolve_decks([], settings.deck_paths)

    keys = [deck.key for deck in library.decks]
    assert sorted(keys) == bundled_keys()  # each deck once
    mine = library.find(bundled.stem)
    assert mine is not None and mine.path == user_folder / bundled.name
    assert library.errors == []  # no "same id in two decks" for the replaced copy


def test_a_deck_named_on_the_command_line_is_the_user_copy() -> None:
    settings = Settings()
    user_folder = settings.data_path / "decks"
    user_folder.mkdir(parents=True)
    bundled = sorted(BUNDLED_DECKS.glob("*.deck"))[0]
    shutil.copy(bundled, user_folder / bundled.name)

    library = resolve_decks([bundled.stem], settings.deck_paths)

    assert [deck.path for deck in library.decks] == [user_folder / bundled.name]
    assert library.errors == []


def test_a_bundled_deck_named_by_its_path_is_the_user_copy_once_there_is_one(
        tmp_path: Path) -> None:
    # `tutor study decks/x.deck` read the bundled file (without the learner's edits and
    # accepted answers) and refused every change, since the copy is never overwritten.
    own, bundled = tmp_path / "own", tmp_path / "bundled"
    own.mkdir()
    bundled.mkdir()
    deck = "title: One\n---\nid: a1\nQ: q\nA: a\n"
    (bundled / "one.deck").write_text(deck, encoding="utf-8")
    (bundled / "two.deck").write_text(deck.replace("a1", "b1"), encoding="utf-8")
    (own / "one.deck").write_text(deck.replace("A: a", "A: a, as I wrote it"), encoding="utf-8")
    folders = [own, bundled]

    library = resolve_decks([str(bundled / "one.deck")], folders)

    assert [d.path for d in library.decks] == [own / "one.deck"]
    assert library.decks[0].cards[0].back == "a, as I wrote it"
    assert library.notes == [f"{bundled / 'one.deck'}: your own copy {own / 'one.deck'}"
                             " replaces it, so that is read"]
    assert library.warnings == []
    whole = resolve_decks([str(bundled)], folders)  # the bundled folder named: the same
    assert [d.path for d in whole.decks] == [own / "one.deck", bundled / "two.deck"]
    assert whole.errors == []
    mine = resolve_decks([str(own / "one.deck"), str(bundled / "two.deck")], folders)
    assert [d.path for d in mine.decks] == [own / "one.deck", bundled / "two.deck"]
    assert mine.warnings == [] and mine.notes == []
