"""The `tutor` command line: parses arguments, loads settings, dispatches to a command.

Each subcommand lives in ``tutor/commands/<name>.py`` with ``register(subparsers)``
(which sets ``func``) and ``run(args, settings) -> int``. Expected failures raise
`TutorError`; they print one line and exit 2. Failures that are only told in one line
(a model that fails) are logged with their traceback to ``<data dir>/tutor.log``
(`tutor.logs`); ``--debug`` prints them on stderr too.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import NoReturn

from tutor import __version__
from tutor.errors import TutorError
from tutor.grading.modelfile import check_model_file
from tutor.logs import configure_logging, flush_debug_log
from tutor.settings import PROFILE_NAME_RULE, Settings, load_settings, valid_profile_name

#: Subcommand name -> its module under ``tutor.commands``, in help order.
COMMANDS = {"study": "study", "import": "import_deck", "export": "export", "grade": "grade",
            "report": "report", "exam": "exam"}


class CliParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    command_names: set[str] = set()
    """Subcommand names (``import`` lives in module ``import_deck``)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """Options every command takes (defaults suppressed so either position works)."""
    group = parser.add_argument_group("common options")
    group.add_argument("--profile", default=argparse.SUPPRESS, help="learner profile name")
    group.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="also print what goes to the log (tracebacks of failures) on stderr")


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Options that pick and tune the grading model."""
    group = parser.add_argument_group("grading model")
    pick = group.add_mutually_exclusive_group()
    pick.add_argument("--model", metavar="PATH", help="grade with this GGUF model file")
    pick.add_argument("--server", metavar="URL", help="grade with an OpenAI-compatible server")
    pick.add_argument("--rules", action="store_true", help="grade with rules only (no model)")
    group.add_argument("--api-key", help="API key for --server")
    group.add_argument("--model-name", help="model name to request from --server")
    group.add_argument(
        "--gpu-layers", type=int, metavar="N", help="layers to offload to the GPU (-1 = all)"
    )
    group.add_argument("--threads", type=int, metavar="N", help="CPU threads for the model")


def build_parser(only: str | None = None) -> CliParser:
    """The parser with every subcommand, or with just ``only`` (the one being run).

    Registering a subcommand imports its module; the study UI's start-up should not
    pay for the exam, report and import code it does not run.
    """
    parser = CliParser(
        prog="tutor",
        description="Offline flashcard tutor: type answers, get them graded locally.",
        epilog="Run 'tutor COMMAND --help' for a command's options. No command = 'study'.",
    )
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    add_common_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is None or name == only:
            importlib.import_module(f"tutor.commands.{module_name}").register(subparsers)
    parser.command_names = set(COMMANDS)
    return parser


def settings_for(args: argparse.Namespace) -> Settings:
    """Settings from the config file, overridden by command-line flags."""
    settings = load_settings()
    settings = settings.replace(profile=getattr(args, "profile", None))
    if getattr(args, "rules", False):
        settings = settings.with_model(enabled=False)
    if getattr(args, "model", None):
        check_model_file(Path(args.model).expanduser())
        settings = settings.with_model(path=args.model, server="", enabled=True)
    if getattr(args, "server", None):
        settings = settings.with_model(server=args.server, enabled=True)
    return settings.with_model(
        api_key=getattr(args, "api_key", None),
        name=getattr(args, "model_name", None),
        gpu_layers=getattr(args, "gpu_layers", None),
        threads=getattr(args, "threads", None),
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tutor` script."""
    argv = sys.argv[1:] if argv is None else argv
    wants_help = {"-h", "--help", "--version"} & set(argv)
    command = _first_word(argv)
    if command not in COMMANDS and not wants_help:
        argv, command = ["study", *argv], "study"
    parser = build_parser(only=command if command in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        settings = settings_for(args)
        if getattr(args, "profile", None) is not None and not valid_profile_name(args.profile):
            raise TutorError(f"invalid profile name '{args.profile}' ({PROFILE_NAME_RULE})")
        configure_logging(settings.data_path, debug=getattr(args, "debug", False))
        return int(args.func(args, settings) or 0)
    except TutorError as exc:
        print(f"tutor: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("tutor: interrupted", file=sys.stderr)
        return 130
    finally:
        flush_debug_log()


def _first_word(argv: list[str]) -> str | None:
    """The first argument that is not an option or an option's value."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--profile":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None
