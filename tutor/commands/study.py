"""`tutor study [DECK…]`: open the TUI on the given decks (default: all decks)."""

from __future__ import annotations

import argparse

from tutor.decks.library import resolve_decks
from tutor.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `study` subcommand."""
    from tutor.cli import add_common_options, add_model_options

    parser = subparsers.add_parser(
        "study",
        help="study decks in the terminal UI (the default command)",
        description="Open the study UI. DECK is a .deck file or the name of a deck in your library.",
    )
    parser.add_argument("decks", nargs="*", metavar="DECK", help="decks to study (default: all)")
    add_common_options(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Load the decks, build the app through the shared factory and run it."""
    library = resolve_decks(list(args.decks), settings.deck_paths)
    from tutor.tui import create_app

    app = create_app(settings, library)
    app.run()
    return app.return_code or 0
