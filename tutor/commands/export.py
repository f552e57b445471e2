"""`tutor export DECK --format csv|tsv|markdown|apkg [-o OUT]`: write a deck for other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.commands.output import emit
from tutor.decks.export import EXPORT_FORMATS, SUFFIXES, export_deck, export_text
from tutor.decks.library import resolve_decks
from tutor.decks.model import Deck
from tutor.errors import DeckError
from tutor.settings import Settings

#: ``-o -``: write to stdout (a text format), as Unix tools read it.
STDOUT = "-"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `export` subcommand."""
    from tutor.cli import add_common_options

    parser = subparsers.add_parser(
        "export",
        help="export a deck as CSV, TSV, Markdown or an Anki package (.apkg)",
        description=(
            "Write DECK (a .deck file or the name of a deck in your library) in another "
            "format. Text formats go to stdout unless -o is given; apkg goes to -o, or to "
            "<deck>.apkg in the current folder."
        ),
    )
    parser.add_argument("deck", metavar="DECK", help="a .deck file or a deck name")
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, metavar="FORMAT",
                        help=f"one of {', '.join(EXPORT_FORMATS)}")
    parser.add_argument("-o", "--output", metavar="OUT",
                        help="file to write ('-': stdout, for a text format)")
    parser.add_argument("--force", action="store_true", help="replace an existing OUT file")
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Load the deck and write it in the chosen format."""
    deck = _one_deck(args.deck, settings)
    if args.output == STDOUT and args.format == "apkg":
        raise DeckError("an .apkg is a binary package, not text for stdout; name a file with -o")
    if args.output in (None, STDOUT) and args.format != "apkg":
        emit(export_text(deck, args.format))
        return 0
    target = Path(args.output).expanduser() if args.output else Path(deck.key + SUFFIXES["apkg"])
    written = export_deck(deck, args.format, target, overwrite=args.force)
    emit(f"wrote {len(deck.cards)} cards as {args.format} to {written.resolve()}\n")
    return 0


def _one_deck(name: str, settings: Settings) -> Deck:
    library = resolve_decks([name], settings.deck_paths)
    if not library.decks:
        raise DeckError(f"no deck found at '{name}'")
    if len(library.decks) > 1:
        keys = ", ".join(deck.key for deck in library.decks)
        raise DeckError(f"'{name}' holds {len(library.decks)} decks ({keys}); name one of them")
    problems = library.errors + library.warnings  # e.g. an id replaced, a card left out
    if not library.decks[0].cards:
        why = f" ({problems[0]}{'; …' if len(problems) > 1 else ''})" if problems else ""
        raise DeckError(f"deck '{library.decks[0].title}' has no cards to export{why}")
    for line in problems:
        print(f"tutor: {line}", file=sys.stderr)
    for line in library.notes:
        print(f"tutor: note: {line}", file=sys.stderr)
    return library.decks[0]
