"""`tutor import FILE`: read a deck from another format; summarise it (ending with how to
add it), print it as JSON, add it to the user deck folder (``--add``) or write it as a
native deck file (``-o``)."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from collections import Counter
from pathlib import Path

from tutor.atomic import check_out_target, write_out
from tutor.commands.output import emit
from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.importers.files import ImportedFile, format_names, read_import
from tutor.decks.importers.pairs import parse_separator
from tutor.decks.model import Deck, slugify
from tutor.decks.native import BACKUP_SUFFIX, SUFFIX, format_deck
from tutor.decks.sanitize import clean_text
from tutor.errors import DeckError
from tutor.settings import Settings

#: The summary's topics line names this many (the largest first), then says how many more.
MAX_TOPICS_SHOWN = 12


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `import` subcommand."""
    from tutor.cli import add_common_options

    parser = subparsers.add_parser(
        "import",
        help="import a deck from a flashcard site's text, CSV/TSV, Markdown or Anki (.apkg)",
        description=(
            "Read FILE as a deck. Without -o, print a summary (format, encoding, cards, "
            "topics, warnings with line numbers) and how to add it; with --add, write it "
            "into your deck folder; with -o, write a native .deck file elsewhere; "
            "with --json, print the cards and warnings as JSON."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the file to import")
    parser.add_argument(
        "--format", default="auto", choices=format_names(), metavar="FORMAT",
        help=f"source format: {', '.join(format_names())} (default: auto-detect)",
    )
    parser.add_argument(
        "--separator", metavar="SEP", type=_separator,
        help="read FILE as lines of TERM<SEP>DEFINITION, split at the first SEP (a Quizlet"
        " export with a custom separator): the text itself, e.g. ' - ' or ' = ' (use"
        " --separator=' -> ' when it starts with '-'), or tab, comma, semicolon, pipe, colon,"
        " space; a line without SEP continues the definition above",
    )
    parser.add_argument("--json", action="store_true",
                        help='print {"cards": [{"front", "back", "topic"}], "warnings": [...]}')
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--add", action="store_true",
                       help="add the deck to your decks (<data dir>/decks/<title>.deck)")
    where.add_argument("-o", "--output", metavar="OUT",
                       help="write a native deck file (a folder: write <title>.deck in it)")
    parser.add_argument("--title", metavar="T", help="deck title (default: from the source)")
    parser.add_argument("--force", action="store_true",
                        help="replace a deck of that name in your decks (--add) or an"
                        " existing OUT file")
    add_common_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Import the file; print a summary or JSON, or write the deck."""
    source = Path(args.file).expanduser()
    imported = read_import(source, args.format, args.separator)
    result = imported.result
    if args.title:
        result.title = " ".join(args.title.split())
    if args.output == "-":
        raise DeckError("-o writes a .deck file: name a file (--json prints the cards to stdout)")
    if (args.add or args.output) and not result.cards:
        raise DeckError(_no_cards(source, imported))
    deck, target = None, None
    title = args.title or result.title or _title_from(source)
    deck_folder = settings.deck_paths[0]
    if args.add:
        deck = deck_from(result, title, source)
        target = _added_path(deck_folder, deck, args.force)
    elif args.output:
        deck = deck_from(result, title, source)
        target = _output_path(Path(args.output).expanduser(), deck, args.force)
    if args.json:
        emit(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        emit(summary(source, imported))
        if deck is None and result.cards:
            name = deck_folder / f"{slugify(title)}{SUFFIX}"
            emit(f"to add it to your decks: tutor import {shlex.quote(args.file)} --add"
                 f" (writes {name}; -o FILE writes it elsewhere)\n")
    if deck is not None and target is not None:
        backup = _backup_path(target)
        write_out(target, format_deck(deck), backup=backup)
        message = f"wrote {len(deck.cards)} cards to {target}"
        message += f"; study it with 'tutor study {target.stem}'\n" if args.add else "\n"
        if backup is not None:
            message += f"the deck it replaced is kept as {backup}\n"
        if args.add:
            message += "".join(f"it takes the place of the deck {hidden} (same file name)\n"
                               for folder in settings.deck_paths[1:]
                               if (hidden := folder / target.name).is_file())
        if args.json:
            sys.stderr.write(message)
        else:
            emit(message)
    return 0


def _separator(value: str) -> str:
    """``--separator``'s value (`parse_separator`); a bad one is argparse's one-line error."""
    try:
        return parse_separator(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def deck_from(result: ImportResult, title: str, source: Path) -> Deck:
    """A native deck of the imported cards, with ids assigned."""
    deck = Deck(
        title=" ".join(title.split()) or "Imported deck",
        cards=list(result.cards),
        source=f"imported from {source.name} ({result.format})",
    )
    deck.topics = deck.topic_names()
    replaced: list[str] = []
    deck.ensure_ids(warnings=replaced)
    result.warnings += [ImportWarning(message) for message in replaced]
    return deck


def _no_cards(source: Path, imported: ImportedFile) -> str:
    """The one-line error for --add or -o when the file gave no cards: the last warning
    says why (an empty file, nothing in the named --format)."""
    result = imported.result
    how = "" if imported.detected or result.format == "empty" else f" read as {result.format}"
    why = f" ({result.warnings[-1]})" if result.warnings else ""
    return f"no cards in {clean_text(source.name)}{how}{why}; nothing written"


def summary(source: Path, imported: ImportedFile) -> str:
    """The human-readable report printed without --json."""
    result = imported.result
    if result.format == "empty":
        how = "nothing to detect in an empty file"
    elif imported.detected:
        how = f"detected, score {imported.score:.2f}"
    else:
        how = "as requested"
    lines = [
        f"file:     {clean_text(str(source))}",
        f"format:   {result.format} ({how})",
        f"encoding: {_encoding_label(result.encoding)}",
    ]
    if result.title:
        lines.append(f"title:    {result.title}")
    lines.append(f"cards:    {len(result.cards)}")
    counts = Counter(card.topic for card in result.cards)
    if counts:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"{topic} ({n})" for topic, n in ordered[:MAX_TOPICS_SHOWN])
        more = len(ordered) - MAX_TOPICS_SHOWN
        lines.append(f"topics:   {shown}" + (f" and {more} more" if more > 0 else ""))
    if result.warnings:
        lines.append(f"warnings ({len(result.warnings)}):")
        lines += [f"  {warning}" for warning in result.warnings]
    else:
        lines.append("warnings: none")
    return "\n".join(lines) + "\n"


def _encoding_label(encoding: str) -> str:
    return "none (binary Anki package)" if encoding == "binary" else encoding


def _title_from(source: Path) -> str:
    stem = source.name.split(".")[0] if source.name else "deck"
    return " ".join(stem.replace("_", " ").replace("-", " ").split()).capitalize()


def _added_path(folder: Path, deck: Deck, force: bool) -> Path:
    """Where ``--add`` writes: ``<title>.deck`` in the user deck folder (made if missing);
    a deck of that name already there is an error unless ``force``."""
    out = folder / f"{slugify(deck.title)}{SUFFIX}"
    if out.exists() and not force:
        raise DeckError(f"your decks already have {out.name} ({out}); give this one another"
                        " name with --title, or replace it with --force")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeckError(f"cannot make the deck folder {folder}: {exc.strerror or exc}") from None
    check_out_target(out)
    return out


def _backup_path(target: Path) -> Path | None:
    """Where the deck ``--force`` replaces is kept, ``<name>.bak`` beside the file a link
    points at (as every other write of a deck does); None when there is nothing to keep."""
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    return real.with_name(real.name + BACKUP_SUFFIX) if real.is_file() else None


def _output_path(out: Path, deck: Deck, force: bool) -> Path:
    if out.is_dir():
        out = out / f"{slugify(deck.title)}{SUFFIX}"
    elif out.suffix != SUFFIX:
        check_out_target(out)  # '-o /dev/null' is refused, not turned into /dev/null.deck
        out = out.with_name(out.name + SUFFIX)
    check_out_target(out)
    if out.exists() and not force:
        raise DeckError(f"{out} already exists; use --force to replace it")
    return out
