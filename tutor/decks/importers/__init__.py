"""Importers: turn text copied or exported from flashcard sites into cards.

`IMPORTERS` maps a format name to its importer (see `base.TextImporter`). To add a
format, import its class here and add one instance to the tuple below.
`detect_format` picks the format whose ``sniff`` scores highest; `import_text`
parses with the named format, or for ``"auto"`` with the detected one (the next best
when that one finds no cards: `import_detected`).
"""

from __future__ import annotations

from tutor.decks.importers.base import ImportResult, ImportWarning, TextImporter, sanitize_result
from tutor.decks.importers.brainscape import BrainscapeImporter
from tutor.decks.importers.delimited import CsvImporter, TsvImporter
from tutor.decks.importers.knowt import KnowtImporter
from tutor.decks.importers.linebased import LineBasedImporter
from tutor.decks.importers.markdown import MarkdownImporter
from tutor.decks.importers.native_deck import NativeDeckImporter
from tutor.decks.importers.pairs import PAGE_FORMATS, PairsImporter, unsure_hint
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
        PairsImporter(),
        MarkdownImporter(),
        NativeDeckImporter(),
    )
}
"""Format name -> importer, in the order formats are tried and listed."""

#: A sniff score below this means "not this format".
MIN_SNIFF_SCORE = 0.2


def rank_formats(text: str) -> list[tuple[str, float]]:
    """The formats whose sniff score reaches `MIN_SNIFF_SCORE`, best first (ties in
    `IMPORTERS` order), each with its score."""
    scored = []
    for name, importer in IMPORTERS.items():
        try:
            score = float(importer.sniff(text))
        except Exception:  # a sniffer must never break detection  # noqa: BLE001
            score = 0.0
        if score >= MIN_SNIFF_SCORE:
            scored.append((name, score))
    return sorted(scored, key=lambda item: -item[1])


def detect_format(text: str) -> tuple[str, float]:
    """The best-matching format name and its sniff score (``("", 0.0)`` if none matches)."""
    ranked = rank_formats(text)
    return ranked[0] if ranked else ("", 0.0)


def import_detected(text: str) -> tuple[ImportResult, float]:
    """Cards from ``text`` in the format that scores best, and that score. When that
    format finds no cards, the next one that does is used, with a warning naming the
    format passed over (a sniff is a guess from a few lines; the parse is the proof).

    Raises `DeckError` when no format matches (the message lists the formats tried).
    """
    ranked = rank_formats(text)
    if not ranked:
        tried = ", ".join(IMPORTERS)
        raise DeckError(
            f"could not recognise the deck format (tried {tried}); name one with --format"
        )
    best, best_score = ranked[0]
    chosen = sanitize_result(IMPORTERS[best].parse(text)), best_score
    for name, score in ranked[1:] if not chosen[0].cards else []:
        result = sanitize_result(IMPORTERS[name].parse(text))
        if result.cards:
            result.warnings.insert(0, ImportWarning(
                f"read as {name}: {best} matched better (score {best_score:.2f})"
                f" but found no cards (use --format {best} to read it that way)"))
            chosen = result, score
            break
    if chosen[0].format in PAGE_FORMATS and (hint := unsure_hint(text)) is not None:
        chosen[0].warnings.append(hint)
    return chosen


def import_text(text: str, format: str = "auto",  # noqa: A002 - CLI name
                separator: str | None = None) -> ImportResult:
    """Cards from ``text`` in ``format`` (a key of `IMPORTERS`, or ``"auto"`` to detect
    it with `import_detected`). A ``separator`` (``tutor import --separator``) reads the
    text as ``term<SEP>definition`` lines (`PairsImporter`): ``format`` must then be
    ``auto`` or ``pairs``.

    Every text in the result is free of escape sequences and control characters
    (`sanitize_result`).

    Raises `DeckError` for an unknown format name, or when ``"auto"`` finds no format
    that matches (the message lists the formats tried).
    """
    name = (format or "auto").strip().lower()
    if separator is not None:
        if name not in ("auto", PairsImporter.name):
            raise DeckError(f"--separator reads term<SEP>definition lines (format"
                            f" {PairsImporter.name}), not {name}: leave out --format {name}")
        return sanitize_result(PairsImporter(separator).parse(text))
    if name == "auto":
        return import_detected(text)[0]
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
    "import_detected",
    "import_text",
    "rank_formats",
]
