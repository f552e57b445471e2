"""Importers: turn text copied or exported from flashcard sites into cards.

`IMPORTERS` maps a format name to its importer (see `base.TextImporter`). To add a
format, import its class here and add one instance to the tuple below.
`detect_format` picks the format whose ``sniff`` scores highest; `import_text`
parses with the named format, or the detected one for ``"auto"``.
"""

from __future__ import annotations

from tutor.decks.importers.base import ImportResult, ImportWarning, TextImporter, sanitize_result
from tutor.decks.importers.brainscape import BrainscapeImporter
from tutor.decks.importers.delimited import CsvImporter, TsvImporter
from tutor.decks.importers.knowt import KnowtImporter
from tutor.decks.importers.linebased import LineBasedImporter
from tutor.decks.importers.markdown import MarkdownImporter
from tutor.decks.importers.native_deck import NativeDeckImporter
from tutor.decks.importers.quizwiz import QuizwizImporter
from tutor.errors import DeckError

IMPORTERS: dict[str, TextImporter] = {
    importer.name: importer
    for importer in (
        BrainscapeImporter(),
        QuizwizImporter(),
        KnowtImporter(),
        LineBasedImporter(),
        CsvImporter(),
        TsvImporter(),
        MarkdownImporter(),
        NativeDeckImporter(),
    )
}
"""Format name -> importer, in the order formats are tried and listed."""

#: A sniff score below this means "not this format".
MIN_SNIFF_SCORE = 0.2


def detect_format(text: str) -> tuple[str, float]:
    """The best-matching format name and its sniff score (``("", 0.0)`` if none matches)."""
    best, best_score = "", 0.0
    for name, importer in IMPORTERS.items():
        try:
            score = float(importer.sniff(text))
        except Exception:  # a sniffer must never break detection  # noqa: BLE001
            score = 0.0
        if score > best_score:
            best, best_score = name, score
    if best_score < MIN_SNIFF_SCORE:
        return "", 0.0
    return best, best_score


def import_text(text: str, format: str = "auto") -> ImportResult:  # noqa: A002 - CLI name
    """Cards from ``text`` in ``format`` (a key of `IMPORTERS`, or ``"auto"`` to detect it).

    Every text in the result is free of escape sequences and control characters
    (`sanitize_result`).

    Raises `DeckError` for an unknown format name, or when ``"auto"`` finds no format
    that matches (the message lists the formats tried).
    """
    name = (format or "auto").strip().lower()
    if name == "auto":
        name, _score = detect_format(text)
        if not name:
            tried = ", ".join(IMPORTERS)
            raise DeckError(
                f"could not recognise the deck format (tried {tried}); name one with --format"
            )
    importer = IMPORTERS.get(name)
    if importer is None:
        raise DeckError(f"unknown format '{format}' (known: {', '.join(IMPORTERS)}, auto)")
    return sanitize_result(importer.parse(text))


__all__ = [
    "IMPORTERS",
    "MIN_SNIFF_SCORE",
    "ImportResult",
    "ImportWarning",
    "TextImporter",
    "detect_format",
    "import_text",
]
