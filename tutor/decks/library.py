"""Finding and loading the learner's decks from folders and paths."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tutor.decks.model import Deck
from tutor.decks.native import SUFFIX, DeckFile, ParseResult, give_ids, read_deck
from tutor.errors import DeckError
from tutor.gcpause import paused_gc


@dataclass
class DeckLibrary:
    """The decks that loaded, plus one line for each file that did not (or loaded in part:
    a card left out because another deck has its id)."""

    decks: list[Deck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Lines that tell, not warn: a bundled deck named by its path read from the learner's copy."""

    def find(self, key: str) -> Deck | None:
        """A deck by key (file stem) or title, case-insensitive."""
        wanted = key.lower()
        for deck in self.decks:
            if deck.key.lower() == wanted or deck.title.lower() == wanted:
                return deck
        return None


def deck_files(folders: list[Path]) -> list[Path]:
    """``*.deck`` files in the folders, sorted, first occurrence of a name wins."""
    seen: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            seen.setdefault(path.name, path)
    return list(seen.values())


def load_folders(folders: list[Path]) -> DeckLibrary:
    """Every deck in the deck folders (`Settings.deck_paths`: the user's first, then the
    bundled ones).

    A folder that does not exist yet (the user deck folder before the first deck is added)
    is simply empty, and a file name an earlier folder already has is left out: a user deck
    named like a bundled one replaces it.
    """
    return load_library(deck_files(folders))


def load_library(paths: list[Path], strict: bool = False) -> DeckLibrary:
    """Load decks from files and folders. With ``strict``, the first bad file raises.

    All files are read before any new id is given, so a new id never repeats one
    that a deck later in the list already has (see `claim_ids`).
    """
    library = DeckLibrary()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(deck_files([path]))
        else:
            files.append(path)
    results: list[ParseResult] = []
    with paused_gc():  # thousands of cards: no collector runs over them while they are built
        for path in files:
            try:
                results.append(read_deck(path))
            except DeckError as exc:
                if strict:
                    raise
                library.errors.append(str(exc))
    decks = [result.deck for result in results]
    library.errors.extend(claim_ids(decks))
    taken = {card.id for deck in decks for card in deck.cards if card.id}
    for result in results:
        give_ids(result, taken)
        library.decks.append(result.deck)
        name = result.deck.path.name if result.deck.path else result.deck.key
        library.warnings.extend(f"{name}: {w}" for w in result.warnings)
    return library


def claim_ids(decks: list[Deck]) -> list[str]:
    """Leave out every card whose id another deck of ``decks`` also has; one line for each.

    The study history is keyed by card id alone (that is what lets a card keep its
    history when its deck file is renamed), so two decks sharing an id would share
    one schedule. Tutor cannot tell which deck's card the history belongs to (keeping
    the first file's card let a newly added deck that sorts first take over another
    card's schedule), so both cards stay out of the session and neither file is
    rewritten, until the learner deletes one of the two ``id:`` lines (that card then
    gets a new id and the other keeps the history).
    """
    holders: dict[str, list[Deck]] = {}
    for deck in decks:
        for card in deck.cards:
            if card.id and deck not in holders.setdefault(card.id, []):
                holders[card.id].append(deck)
    problems: list[str] = []
    for deck in decks:
        kept = []
        for card in deck.cards:
            others = [other for other in holders.get(card.id, []) if other is not deck]
            if not card.id or not others:
                kept.append(card)
                continue
            origin = deck.origin if isinstance(deck.origin, DeckFile) else None
            line = origin.line_of(card) if origin is not None else None
            where = f" (line {line})" if line else ""
            problems.append(
                f"{_file_name(deck)}: card {card.id}{where} left out: {_file_name(others[0])} has"
                " a card with the same id, and one id cannot have two study histories (delete"
                " one of the two 'id:' lines; that card then gets a new id)")
        deck.cards[:] = kept
    return problems


def _replacement(file: Path, folders: list[Path]) -> Path | None:
    """The deck file that replaces ``file``, a deck folder's file named by its path: one of
    the same name in an earlier folder (the learner's own copy of a bundled deck), as
    `deck_files` chooses. None when nothing replaces it."""
    try:
        parent = file.resolve().parent
        reals = [folder.resolve() for folder in folders]
    except OSError:
        return None
    if parent not in reals:
        return None
    for folder in folders[:reals.index(parent)]:
        mine = folder / file.name
        if mine.is_file() and mine.resolve() != file.resolve():
            return mine
    return None


def _real(deck: Deck) -> str:
    """What identifies a deck's file (a deck named twice is loaded once)."""
    return os.path.realpath(deck.path) if deck.path is not None else f"\0{id(deck)}"


def _file_name(deck: Deck) -> str:
    return deck.path.name if deck.path is not None else deck.key


def copy_bundled_on_change(decks: list[Deck], bundled: Path, own: Path) -> None:
    """Decks read from the ``bundled`` folder (the project's own files) save their first
    change into the learner's ``own`` deck folder, under the same file name: that copy then
    replaces the bundled deck (`deck_files`: the user's folder comes first) and keeps the
    card ids, so the cards keep their history. Nothing happens when the two folders are
    the same."""
    try:
        bundled_real, own_real = bundled.resolve(), own.resolve()
    except OSError:
        return
    if bundled_real == own_real:
        return
    for deck in decks:
        if deck.path is not None and Path(_real(deck)).parent == bundled_real:
            deck.copy_to = own / deck.path.name


def resolve_decks(names: list[str], folders: list[Path]) -> DeckLibrary:
    """Decks named on the command line: file paths, or keys/titles of decks in ``folders``.

    No names means every deck in ``folders``. An unknown name raises `DeckError`. A file
    of a deck folder named by its path that a deck of an earlier folder replaces (a bundled
    deck the learner has their own copy of) is read from that deck instead, with a note.
    """
    if not names:
        return load_folders(folders)
    library = DeckLibrary()
    known: DeckLibrary | None = None
    for name in names:
        path = Path(name).expanduser()
        if path.exists() or path.suffix == SUFFIX or "/" in name:
            files = deck_files([path]) if path.is_dir() else [path]
            own = {file: _replacement(file, folders) for file in files}
            loaded = load_library([own[file] or file for file in files], strict=True)
            loaded.notes.extend(f"{file}: your own copy {mine} replaces it, so that is read"
                                   for file, mine in own.items() if mine is not None)
        else:
            known = known or load_folders(folders)
            deck = known.find(name)
            if deck is None:
                choices = ", ".join(d.key for d in known.decks) or "none found"
                raise DeckError(f"no deck named '{name}' (known decks: {choices})")
            ours = f"{_file_name(deck)}: "
            loaded = DeckLibrary(decks=[deck],
                                 errors=[e for e in known.errors if e.startswith(ours)])
        had = {_real(deck) for deck in library.decks}
        library.decks.extend(deck for deck in loaded.decks if _real(deck) not in had)
        library.errors.extend(loaded.errors)
        library.warnings.extend(loaded.warnings)
        library.notes.extend(loaded.notes)
    library.errors.extend(claim_ids(library.decks))
    return library
