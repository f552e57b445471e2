"""Ctrl+C during `tutor grade` while the model loads: llama.cpp calls back into Python as it
loads, and ctypes swallows a KeyboardInterrupt raised in a callback, so grading went on."""

from __future__ import annotations

import ctypes
import os
import signal

import pytest

from tutor.commands.grade import InterruptibleGrading, grade_stream
from tutor.grading.base import GradeRequest, GradeResult

CALLBACK = ctypes.CFUNCTYPE(None)


class LoadingGrading:
    """A grading service whose first grade 'loads a model': Ctrl+C arrives while Python code
    runs inside a C callback, as llama.cpp's log callback does during a load."""

    def __init__(self) -> None:
        self.graded = 0
        self.closed = False

    def _log(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        sum(range(10_000))  # Python code in the callback: the handler runs here

    def grade(self, request: GradeRequest) -> GradeResult:
        if self.graded == 0:
            CALLBACK(self._log)()  # ctypes prints and drops an exception raised in here
        self.graded += 1
        return GradeResult(score=5, feedback="Correct.", grader="fake")

    def close(self) -> None:
        self.closed = True


class Sink:
    """A text stream that keeps what is written."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)

    def flush(self) -> None:
        pass


def lines(count: int) -> list[str]:
    return ['{"question": "q", "reference": "r", "answer": "a"}'] * count


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_callback_swallows_the_interrupt_without_the_guard() -> None:
    grading = LoadingGrading()
    out = Sink()
    grade_stream(grading, lines(3), out)  # type: ignore[arg-type]
    assert grading.graded == 3 and len(out.lines) == 3  # what happened before: Ctrl+C was lost


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_during_the_load_stops_grading_after_the_grade_under_way() -> None:
    grading = LoadingGrading()
    written = Sink()
    previous = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        with InterruptibleGrading(grading) as guarded:
            grade_stream(guarded, lines(3), written)  # type: ignore[arg-type]
    assert grading.graded == 1 and grading.closed  # the load was told to stop
    assert written.lines == []  # no verdict after Ctrl+C
    assert signal.getsignal(signal.SIGINT) is previous
