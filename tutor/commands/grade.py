"""`tutor grade`: grade JSON lines from stdin, one verdict line per input line on stdout.

Input lines: ``{"question": ..., "reference": ..., "answer": ..., "alternatives": [...]}``
(alternatives optional). Output lines: ``{"score", "correct", "feedback", "grader",
"confidence"}``, flushed as each is ready. A malformed line gives ``{"error": "line N: ..."}``
and grading goes on; the model is loaded once for the whole batch.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from tutor.errors import ConfigError
from tutor.grading.base import GradeRequest
from tutor.grading.factory import build_grader
from tutor.grading.server import chat_completions_url
from tutor.settings import Settings


class InputLineError(ValueError):
    """One input line cannot be graded (reported on its own output line)."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `grade` subcommand."""
    from tutor.cli import add_common_options, add_model_options

    parser = subparsers.add_parser(
        "grade",
        help="grade answers given as JSON lines on stdin",
        description=(
            'Read JSON lines {"question", "reference", "answer", "alternatives"?} from stdin and '
            'write one JSON line {"score", "correct", "feedback", "grader", "confidence"} per '
            "input line to stdout."
        ),
    )
    add_common_options(parser)
    add_model_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Grade every stdin line with one policy (one model load)."""
    _check_options(settings)
    policy = build_grader(settings)
    for note in policy.notes:
        print(f"tutor: {note}", file=sys.stderr, flush=True)
    try:
        grade_stream(policy, sys.stdin.buffer, sys.stdout, sys.stderr)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


#: The ending of a policy note that says a refiner failed and the rules verdict stands.
FELL_BACK = "rules verdict kept"


def grade_stream(policy: Any, lines: Any, out: TextIO, log: TextIO | None = None) -> None:
    """Grade each line of ``lines`` (bytes or str) and write one JSON line per input line.

    The output keys are fixed, so when a model fails on a line and the rules verdict
    stands, that is said on ``log`` (stderr): ``tutor: line N: <why>``.
    """
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            _emit(out, {"error": f"line {number}: not UTF-8 text"})
            continue
        if not text.strip():
            continue
        try:
            request = parse_line(text)
        except InputLineError as exc:
            _emit(out, {"error": f"line {number}: {exc}"})
            continue
        result = policy.grade(request)
        _emit(out, result.to_json())
        for note in result.notes:
            if log is not None and note.endswith(FELL_BACK):
                print(f"tutor: line {number}: {note}", file=log, flush=True)


def parse_line(text: str) -> GradeRequest:
    """A `GradeRequest` from one JSON line; `InputLineError` says what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputLineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise InputLineError("expected a JSON object")
    fields: dict[str, str] = {}
    for name in ("question", "reference", "answer"):
        if name not in data:
            raise InputLineError(f"missing field '{name}'")
        value = data[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InputLineError(f"field '{name}' must be a string")
        fields[name] = value
    if not fields["reference"].strip():
        raise InputLineError("field 'reference' is empty")
    alternatives = data.get("alternatives") or []
    if isinstance(alternatives, str):
        alternatives = [alternatives]
    if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
        raise InputLineError("field 'alternatives' must be a list of strings")
    return GradeRequest(fields["question"], fields["reference"], fields["answer"],
                        tuple(a for a in alternatives if a.strip()))


def _emit(out: TextIO, obj: dict[str, object]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    out.flush()


def _check_options(settings: Settings) -> None:
    """Bad option values end the command (exit 2) before any line is read."""
    model = settings.model
    if model.server:
        chat_completions_url(model.server)
    if model.threads < 0:
        raise ConfigError("--threads must be 0 (all cores) or more")
    if model.gpu_layers < -1:
        raise ConfigError("--gpu-layers must be -1 (all) or more")
    if model.timeout <= 0:
        raise ConfigError("model.timeout must be more than 0 seconds")
