"""Finding and loading the learner's decks from folders and paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor.decks.model import Deck
from tutor.decks.native import SUFFIX, load_deck
from tutor.errors import DeckError


@dataclass
class DeckLibrary:
    """The decks that loaded, plus one line for each file that did not."""

    decks: list[Deck] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

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


def load_library(paths: list[Path], strict: bool = False) -> DeckLibrary:
    """Load decks from files and folders. With ``strict``, the first bad file raises."""
    library = DeckLibrary()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(deck_files([path]))
        else:
            files.append(path)
    for path in files:
        try:
            result = load_deck(path)
        except DeckError as exc:
            if strict:
                raise
            library.errors.append(str(exc))
            continue
        library.decks.append(result.deck)
        library.warnings.extend(f"{path.name}: {w}" for w in result.warnings)
    return library


def resolve_decks(names: list[str], folders: list[Path]) -> DeckLibrary:
    """Decks named on the command line: file paths, or keys/titles of decks in ``folders``.

    No names means every deck in ``folders``. An unknown name raises `DeckError`.
    """
    if not names:
        return load_library(folders)
    library = DeckLibrary()
    known: DeckLibrary | None = None
    for name in names:
        path = Path(name).expanduser()
        if path.exists() or path.suffix == SUFFIX or "/" in name:
            loaded = load_library([path], strict=True)
        else:
            known = known or load_library(folders)
            deck = known.find(name)
            if deck is None:
                choices = ", ".join(d.key for d in known.decks) or "none found"
                raise DeckError(f"no deck named '{name}' (known decks: {choices})")
            loaded = DeckLibrary(decks=[deck])
        library.decks.extend(loaded.decks)
        library.warnings.extend(loaded.warnings)
    return library
