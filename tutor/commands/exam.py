"""`tutor exam`: a timed exam over decks, ``--resume`` an unfinished one, ``--history``.

    tutor exam DECK… [--minutes M] [--count N] [--topics T,…] [--seed S]
                     [--question-seconds S] [--update-schedule] [--out FILE]
    tutor exam --resume [--out FILE]
    tutor exam --history

``--out`` given at the start is kept with the exam: ``--resume`` writes the result there
too (a new ``--out`` replaces it).

Bad values (minutes or count of zero or less, an unknown topic, an empty deck, an
``--out`` file not ending in .md or .json, or one that is not a regular file in an
existing folder) are one line on stderr and exit 2, before anything is saved. Fewer
matching cards than ``--count`` is said on stderr, and the exam uses them all.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from tutor.atomic import check_out_target
from tutor.decks.library import DeckLibrary, resolve_decks
from tutor.errors import TutorError
from tutor.exam.export import export_format, write_export
from tutor.exam.grading import ExamGrading
from tutor.exam.history import history_lines, resume_command
from tutor.exam.model import DEFAULT_COUNT, DEFAULT_MINUTES, ExamError, ExamOptions
from tutor.exam.session import ExamSession
from tutor.exam.setup import check_decks, resume_exam, start_exam, unfinished_note
from tutor.grading.service import GradingService
from tutor.schedule.clock import SystemClock
from tutor.settings import Settings
from tutor.store.profiles import open_store, read_store
from tutor.store.read_only import damage_note
from tutor.store.study_store import StudyStore


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `exam` subcommand."""
    from tutor.cli import add_common_options, add_model_options

    parser = subparsers.add_parser(
        "exam",
        help="take a timed exam over decks (--resume, --history)",
        description=(
            "Take a timed exam: questions drawn from the DECKs (weak cards more often, every"
            " topic where possible), one clock for the whole exam, answers graded in the"
            " background, then a result you can dispute before accepting it. Exams do not"
            " change the study schedule unless --update-schedule is given."
        ),
    )
    parser.add_argument("decks", nargs="*", metavar="DECK",
                        help="decks to draw questions from (.deck files or deck names)")
    parser.add_argument("--minutes", type=float, default=DEFAULT_MINUTES, metavar="M",
                        help=f"time for the whole exam (default {DEFAULT_MINUTES:g})")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, metavar="N",
                        help=f"number of questions (default {DEFAULT_COUNT})")
    parser.add_argument("--topics", default="", metavar="T,…",
                        help="only cards of these topics (comma-separated)")
    parser.add_argument("--seed", type=int, metavar="S",
                        help="draw the same questions again (saved with the exam and in its export)")
    parser.add_argument("--question-seconds", type=int, metavar="S",
                        help="also give each question at most S seconds")
    parser.add_argument("--update-schedule", action="store_true",
                        help="record the graded answers as reviews (moves Leitner boxes)")
    parser.add_argument("--out", metavar="FILE",
                        help="also write the result to FILE (.md Markdown or .json)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--resume", nargs="?", const="", metavar="ID",
                      help="continue the newest unfinished exam, or exam ID of --history "
                           "(the clock stopped while away)")
    mode.add_argument("--history", action="store_true", help="list past exams")
    add_common_options(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def parse_topics(text: str) -> tuple[str, ...]:
    """'a, b,,c' -> ('a', 'b', 'c')."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def options_from(args: argparse.Namespace) -> ExamOptions:
    """The exam options of the command line, validated (`ExamError` names the bad flag)."""
    if args.topics.strip() and not parse_topics(args.topics):
        raise ExamError("--topics names no topic")
    options = ExamOptions(decks=tuple(args.decks), minutes=args.minutes, count=args.count,
                          topics=parse_topics(args.topics), seed=args.seed,
                          update_schedule=args.update_schedule,
                          question_seconds=args.question_seconds)
    options.validate()
    return options


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Check the input, start (or resume) the exam, run the exam screens, report."""
    if args.history:
        if args.decks:
            raise ExamError("--history takes no DECK")
        with read_store(settings) as store:  # a copy: works while the app has the profile
            note = damage_note(store, "this list")
            if note:
                print(f"tutor: note: {note}", file=sys.stderr)
            print("\n".join(history_lines(store.exams())))
        return 0
    out = Path(args.out).expanduser().absolute() if args.out else None
    if out is not None:
        export_format(out)
        check_out_target(out)
    if args.resume is not None:
        if args.decks:
            raise ExamError("--resume takes no DECK: it continues the unfinished exam")
        options, library = None, DeckLibrary()
    else:
        options = dataclasses.replace(options_from(args), out=str(out) if out else None)
        if not args.decks:
            raise ExamError("name at least one deck (or use --resume or --history)")
        library = resolve_decks(list(args.decks), settings.deck_paths)
        check_decks(library.decks)
    service = GradingService.for_settings(settings)
    grading = ExamGrading(service)
    clock = SystemClock()
    store = open_store(settings)
    try:
        if options is None:
            session = resume_exam(store, clock, args.resume)
            out = _resumed_out(session, out)
        else:
            note = unfinished_note(store)
            if note:
                print(f"tutor: note: {note}", file=sys.stderr)
            session = start_exam(options, library.decks, clock, store=store, grader=grading.label,
                                 boxes=len(settings.study.intervals))
            for warning in session.warnings:
                print(f"tutor: {warning}", file=sys.stderr)
        _run_app(settings, library, session, grading, store, clock, out)
        if session.unsaved:
            session.save()
        return _report(session, out)
    finally:
        store.close()


def _resumed_out(session: ExamSession, out: Path | None) -> Path | None:
    """Where a resumed exam's result goes: ``--out`` given now (kept with the exam from
    now on), else the file named when the exam started, if it can still be written."""
    if out is not None:
        session.options = dataclasses.replace(session.options, out=str(out))
        session.save()
        return out
    if session.options.out is None:
        return None
    kept = Path(session.options.out)
    try:
        check_out_target(kept)
    except TutorError as exc:
        print(f"tutor: note: the result will not be written ({exc.message})", file=sys.stderr)
        return None
    return kept


def _run_app(settings: Settings, library: DeckLibrary, session: ExamSession,
             grading: ExamGrading, store: StudyStore, clock: SystemClock, out: Path | None) -> None:
    """Open the app on the exam screen (the shared factory) and run it until the exam closes."""
    from tutor.schedule.leitner import LeitnerScheduler
    from tutor.tui import create_app
    from tutor.tui.screens.exam import ExamScreen

    screen = ExamScreen(session, grading, export_path=out,
                        scheduler=LeitnerScheduler.from_settings(settings.study))
    app = create_app(settings, library, store=store, clock=clock,
                     grader=grading.service, screen=screen)
    app.run()


def _report(session: ExamSession, out: Path | None) -> int:
    """Say how the exam stands; write ``--out`` once the exam is over."""
    if session.running:
        print(f"Exam {session.exam_id} saved with {session.answered} of {session.count} answered;"
              f" continue it with '{resume_command(session.exam_id)}'.")
        return 0
    result = session.result()
    state = ("final" if result.final
             else f"not final yet: '{resume_command(session.exam_id)}' to finish it")
    print(f"Exam {session.exam_id}: {result.score}/{result.max_score} ({result.percent:.0f}%),"
          f" {result.correct} of {len(result.questions)} correct ({state}).")
    if result.schedule_updated:
        print("Your answers were recorded in the study schedule.")
    if out is not None:
        write_export(session.to_record(), out)
        print(f"Result written to {out}")
    return 0
