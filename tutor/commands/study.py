"""`tutor study [DECK…]`: open the TUI; with decks named, start studying them at once."""

from __future__ import annotations

import argparse
import gc

from tutor.decks.library import resolve_decks
from tutor.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `study` subcommand."""
    from tutor.cli import add_common_options, add_model_options

    parser = subparsers.add_parser(
        "study",
        help="study decks in the terminal UI (the default command)",
        description=(
            "Open the study UI. With no DECK, the deck list opens; with DECKs named, a session"
            " over their due and new cards starts at once. DECK is a .deck file or the name of"
            " a deck in your library."
        ),
    )
    parser.add_argument("decks", nargs="*", metavar="DECK", help="decks to study (default: all)")
    drill = parser.add_mutually_exclusive_group()
    drill.add_argument("--topics", metavar="T,…",
                       help="drill the cards of these topics now, due or not (comma-separated)")
    drill.add_argument("--weak", type=int, metavar="N",
                       help="drill the N weakest topics of 'tutor report'")
    add_common_options(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Load the decks, open the store, build the app through the shared factory and run it.

    A locked profile (another tutor has it open) or damaged study data that cannot be
    repaired raises `StoreError` before the UI starts: one line, exit 2.
    """
    # Start-up allocates a lot and frees little: the collector's passes were a tenth of
    # the time to the first question. The app turns it back on once that is drawn.
    gc.disable()
    try:
        return _run_app(args, settings)
    finally:
        gc.enable()


def _run_app(args: argparse.Namespace, settings: Settings) -> int:
    library = resolve_decks(list(args.decks), settings.deck_paths)
    from tutor.tui import create_app

    request = None
    if args.topics is not None or args.weak is not None:
        from tutor.study.drill import study_drill

        request = study_drill(settings, library.decks, topics=args.topics, weak=args.weak)
    app = create_app(settings, library, study=library.decks if args.decks and request is None
                     else (), drill=request)
    try:
        app.run()
    finally:
        if app.owns_store:
            app.store.close()
    return app.return_code or 0
