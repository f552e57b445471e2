"""`tutor grade`: grade JSON lines from stdin, one verdict line per input line on stdout.

Input lines: ``{"question": ..., "reference": ..., "answer": ..., "alternatives": [...]}``
(alternatives optional). Output lines: ``{"score", "correct", "feedback", "grader",
"confidence"}``, flushed as each is ready. Every input line gets exactly one output line, so
output N answers input N: a line that cannot be graded (blank, malformed, nested too deeply,
over `MAX_LINE_BYTES`) gives ``{"error": "line N: ..."}`` and grading goes on. A line is
read at most `MAX_LINE_BYTES` + 1 bytes at a time, so no input can exhaust memory. The
model is loaded once for the whole batch, by the `GradingService` (as in the UI): a model
failure is one ``tutor: line N: ...`` line on stderr, its traceback goes to the log.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType, TracebackType
from typing import Any, TextIO

from tutor.errors import ConfigError
from tutor.grading.base import GradeRequest
from tutor.grading.server import chat_completions_url
from tutor.grading.service import GradingService
from tutor.logs import log_failure
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
    """Grade every stdin line with one grading service (one model load)."""
    _check_options(settings)
    grading = GradingService.for_settings(settings)
    for note in grading.notes:
        print(f"tutor: {note}", file=sys.stderr, flush=True)
    try:
        with InterruptibleGrading(grading) as guarded:
            grade_stream(guarded, sys.stdin.buffer, sys.stdout, sys.stderr)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


class InterruptibleGrading:
    """Ctrl+C stops `tutor grade` even while the model loads.

    llama.cpp calls back into Python while it loads (its log), and a KeyboardInterrupt
    raised in such a callback is swallowed by ctypes: the load, the grade and the stream
    went on. Here Ctrl+C is remembered, a load under way is told to stop (at its next
    chunk), and the interrupt is raised again once the grade under way returns.
    """

    def __init__(self, grading: Any) -> None:
        self._grading = grading
        self.interrupted = False
        self._previous: Any = None

    def __enter__(self) -> InterruptibleGrading:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_interrupt)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _on_interrupt(self, signum: int, frame: FrameType | None) -> None:
        self.interrupted = True
        self._grading.close()
        if frame is not None and "llama_cpp" in frame.f_code.co_filename:
            return  # inside llama.cpp's callback: raised after the grade returns instead
        raise KeyboardInterrupt

    def grade(self, request: GradeRequest) -> Any:
        """The grading service's verdict; KeyboardInterrupt if Ctrl+C came meanwhile."""
        result = self._grading.grade(request)
        if self.interrupted:
            raise KeyboardInterrupt
        return result


#: The longest input line that is parsed; a longer one gets an error line and is skipped.
MAX_LINE_BYTES = 64 * 1024


def grade_stream(grading: Any, lines: Any, out: TextIO, log: TextIO | None = None) -> None:
    """Grade each line of ``lines`` with ``grading`` (a `GradingService`, or anything with
    its ``grade``) and write exactly one JSON line per input line.

    ``lines`` is a binary stream (read in bounded pieces) or an iterable of bytes or str.
    The output keys are fixed, so when a model fails on a line and the rules verdict
    stands, that is said on ``log`` (stderr): ``tutor: line N: <why>``.
    """
    source = read_lines(lines) if hasattr(lines, "readline") else lines
    for number, raw in enumerate(source, start=1):
        try:
            request = parse_line(_line_text(raw))
        except InputLineError as exc:
            _emit(out, {"error": f"line {number}: {exc}"})
            continue
        try:
            result = grading.grade(request)
        except Exception as exc:  # noqa: BLE001 - one bad line must not end the stream
            reason = log_failure(f"line {number} could not be graded", exc)
            _emit(out, {"error": f"line {number}: could not be graded ({reason})"})
            continue
        _emit(out, result.to_json())
        if log is not None and result.fallback_reason:
            print(f"tutor: line {number}: {result.fallback_note}", file=log, flush=True)


def read_lines(stream: Any, limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """Each line of a binary ``stream``, or None for a line over ``limit`` bytes.

    At most ``limit`` + 1 bytes are held at once: the rest of an overlong line is read
    and dropped, so a gigabyte without a newline costs no more memory than a short line.
    """
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if line.endswith(b"\n") or len(line) <= limit:
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(limit + 1)
        yield None


def _line_text(raw: bytes | str | None) -> str:
    """The text of one input line; `InputLineError` when it cannot be a request."""
    if raw is None or len(raw) > MAX_LINE_BYTES + 2:
        raise InputLineError(f"longer than {MAX_LINE_BYTES // 1024} KiB; not graded")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise InputLineError("not UTF-8 text") from None
    if not text.strip():
        raise InputLineError("empty line (expected a JSON object)")
    return text


def parse_line(text: str) -> GradeRequest:
    """A `GradeRequest` from one JSON line; `InputLineError` says what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputLineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InputLineError("not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InputLineError(f"not valid JSON ({exc})") from None
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
        if not _is_unicode(value):
            raise InputLineError(f"field '{name}' holds an unpaired surrogate (not Unicode text)")
        fields[name] = value
    if not fields["reference"].strip():
        raise InputLineError("field 'reference' is empty")
    alternatives = data.get("alternatives") or []
    if isinstance(alternatives, str):
        alternatives = [alternatives]
    if not isinstance(alternatives, list) or not all(isinstance(a, str) for a in alternatives):
        raise InputLineError("field 'alternatives' must be a list of strings")
    if not all(_is_unicode(a) for a in alternatives):
        raise InputLineError("field 'alternatives' holds an unpaired surrogate (not Unicode text)")
    return GradeRequest(fields["question"], fields["reference"], fields["answer"],
                        tuple(a for a in alternatives if a.strip()))


def _is_unicode(text: str) -> bool:
    """False for text holding a lone surrogate ('\\ud800' in JSON), which cannot be written."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _emit(out: TextIO, obj: dict[str, object]) -> None:
    """One JSON line; escaped to ASCII when stdout's encoding cannot hold the text."""
    try:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        out.write(json.dumps(obj) + "\n")
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
