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
