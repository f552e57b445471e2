"""`tutor report [--deck D] [--since DATE] [--json|--markdown|--csv] [--out FILE]`.

Prints the weak-topic report: the weakest topics with a reason, per-topic and
per-deck numbers, leeches and exam scores (see `tutor.report`). Plain-text
tables by default; ``--json`` follows the versioned schema of
`tutor.report.report_json`; ``--markdown`` and ``--csv`` are for sharing.
``--out FILE`` writes the file instead (its suffix .json/.md/.csv picks the
format when no format flag is given).

Reading never changes the profile and works while another tutor has it open:
it reads a copy (`tutor.store.read_only`).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tutor.atomic import check_out_target, write_out
from tutor.commands.output import emit
from tutor.decks.library import DeckLibrary, load_folders, resolve_decks
from tutor.decks.model import Deck
from tutor.errors import DeckError, TutorError
from tutor.formatting import plural
from tutor.gcpause import paused_gc
from tutor.report import (
    build_report,
    render_csv,
    render_markdown,
    render_text,
    report_to_json,
)
from tutor.schedule.clock import SystemClock
from tutor.schedule.model import CardState, ReviewSummary
from tutor.settings import Settings
from tutor.store.profiles import read_store
from tutor.store.read_only import damage_note

FORMATS = ("text", "json", "markdown", "csv")
SUFFIX_FORMATS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".csv": "csv",
                  ".txt": "text"}
_RELATIVE = re.compile(r"^(\d{1,4})\s*([dw])$", re.IGNORECASE)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `report` subcommand."""
    from tutor.cli import add_common_options

    parser = subparsers.add_parser(
        "report",
        help="weak topics, accuracy, leeches and exam scores: what to drill next",
        description=(
            "Show where you are weak: topics ranked weakest first with the reason, accuracy "
            "of the last 30 days with a 95% interval, trend, mastery, leeches and exam "
            "scores. Reading works while another tutor has the profile open."
        ),
    )
    parser.add_argument("--deck", metavar="DECK", help="only this deck (a name or a .deck file)")
    parser.add_argument("--since", metavar="DATE",
                        help="only answers from DATE on: YYYY-MM-DD, or 7d / 4w ago")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--json", dest="format", action="store_const", const="json",
                      help="JSON with a stable, versioned schema")
    kind.add_argument("--markdown", dest="format", action="store_const", const="markdown",
                      help="a Markdown document")
    kind.add_argument("--csv", dest="format", action="store_const", const="csv",
                      help="one CSV row per deck and per topic")
    parser.add_argument("--out", metavar="FILE",
                        help="write the report to FILE (.json/.md/.csv pick the format)")
    add_common_options(parser)
    parser.set_defaults(func=run, format=None)


@dataclass
class ProfileData:
    """What the report reads from a profile's store."""

    states: dict[str, CardState] = field(default_factory=dict)
    reviews: list[ReviewSummary] = field(default_factory=list)
    exams: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """One line each about damage the copy had to work around."""

    @property
    def deck_keys(self) -> set[str]:
        """Deck keys the history knows."""
        return {r.deck for r in self.reviews} | {s.deck for s in self.states.values()}


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Read the profile, build the report, print or save it."""
    now = SystemClock().now()
    since = parse_since(args.since, now) if args.since else None
    out = Path(args.out).expanduser() if args.out else None
    if out is not None:
        check_out_target(out)
    fmt = args.format or (SUFFIX_FORMATS.get(out.suffix.lower(), "text") if out else "text")
    with paused_gc():  # the whole history in memory at once: no collector runs over it
        data = read_profile(settings)
        library, deck_key = _decks(args.deck, settings, data)
        report = build_report(data.reviews, data.states, now, decks=library.decks,
                              exams=data.exams, boxes=len(settings.study.intervals),
                              since=since, deck=deck_key)
    for note in data.notes:
        print(f"tutor: note: {note}", file=sys.stderr)
    if fmt == "json":
        text = json.dumps(report_to_json(report, profile=settings.profile), indent=2,
                          ensure_ascii=False, allow_nan=False) + "\n"
    elif fmt == "markdown":
        text = render_markdown(report, profile=settings.profile)
    elif fmt == "csv":
        text = render_csv(report)
        if report.empty:
            print(f"tutor: {report.empty_message_for(settings.profile)}", file=sys.stderr)
    else:
        text = render_text(report, profile=settings.profile, width=terminal_width(out))
    if out is None:
        emit(text)
        return 0
    write_out(out, text)
    emit(f"wrote the report ({fmt}) to {out.resolve()}\n")
    return 0


def terminal_width(out: Path | None) -> int | None:
    """The terminal's columns when the report is printed to one (its tables then fit), else
    None: piped or saved, every column is kept whole. A terminal that reports under 20
    columns (0 in some) counts as none."""
    if out is not None or not sys.stdout.isatty():
        return None
    columns = shutil.get_terminal_size().columns
    return columns if columns >= 20 else None


def parse_since(text: str, now: datetime) -> datetime:
    """``--since``: 'YYYY-MM-DD' (local midnight), an ISO time, or '7d' / '4w' before ``now``."""
    value = text.strip()
    relative = _RELATIVE.match(value)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2).lower()
        return now - timedelta(days=amount * (7 if unit == "w" else 1))
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise TutorError(f"--since '{text}' is not a date (use YYYY-MM-DD, or 7d / 4w for"
                         " days / weeks ago)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    if moment > now:
        raise TutorError(f"--since '{text}' is in the future")
    return moment


def read_profile(settings: Settings) -> ProfileData:
    """The profile's study data, read from a copy so the profile itself is never touched.

    A profile with no study data yet gives empty data (and creates nothing).
    """
    with read_store(settings) as store:
        data = ProfileData(states=store.states(), reviews=store.review_summaries(),
                           exams=store.exams())
        note = damage_note(store, "this report")
        if note:
            data.notes.append(note)
        if store.history_problem:
            data.notes.append(f"{store.history_problem}; older answers may be missing")
    return data


def _decks(name: str | None, settings: Settings,
           data: ProfileData) -> tuple[DeckLibrary, str | None]:
    """The decks to report on and the ``--deck`` key (None for all decks)."""
    library = load_folders(settings.deck_paths)
    if library.errors:
        count = len(library.errors)
        print(f"tutor: note: {plural(count, 'deck problem')} ({library.errors[0]}"
              f"{'; …' if count > 1 else ''}); the cards concerned are reported from the history"
              " only", file=sys.stderr)
    if name is None:
        return library, None
    found = library.find(name)
    if found is not None:
        return library, found.key
    known = {key.lower(): key for key in data.deck_keys}
    if name.lower() in known:
        return library, known[name.lower()]
    path = Path(name).expanduser()
    if not (path.exists() or path.suffix == ".deck" or "/" in name):
        choices = sorted({d.key for d in library.decks} | data.deck_keys)
        raise DeckError(f"no deck '{name}' (decks: {', '.join(choices) or 'none yet'})")
    named = resolve_decks([name], settings.deck_paths)
    if len(named.decks) != 1:
        raise DeckError(f"'{name}' holds {len(named.decks)} decks; name one of them")
    deck: Deck = named.decks[0]
    others = [d for d in library.decks if d.key != deck.key]
    return DeckLibrary(decks=[*others, deck]), deck.key
