"""Timed exams: question selection, timing, background grading, disputes, results.

No Textual here: the exam screens in ``tutor.tui.screens`` drive `ExamSession`. The
stored record's shape is documented in `tutor.exam.stored`, its one reader.
"""

from importlib import import_module
from typing import Any

from tutor.exam.export import exam_json, exam_markdown, export_format, write_export
from tutor.exam.history import history_lines, unfinished
from tutor.exam.model import (
    AnswerSheet,
    DeckRef,
    Dispute,
    ExamError,
    ExamOptions,
    ExamQuestion,
    GradeJob,
    QuestionGrade,
)
from tutor.exam.result import ExamResult, QuestionResult, TopicResult
from tutor.exam.selection import (
    Selection,
    Weakness,
    card_weight,
    select_questions,
    weakness_from_history,
    weakness_from_store,
)
from tutor.formatting import format_duration

#: The parts that grade (they import the rules grader), imported on first use: the
#: record, results and history stay cheap for the report and ``tutor exam --history``.
_LAZY = {
    "ExamGrading": "tutor.exam.grading",
    "QUESTION_TIME_UP": "tutor.exam.session",
    "TIME_UP": "tutor.exam.session",
    "ExamSession": "tutor.exam.session",
    "check_decks": "tutor.exam.setup",
    "resume_exam": "tutor.exam.setup",
    "start_exam": "tutor.exam.setup",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'tutor.exam' has no attribute {name!r}")


__all__ = [
    "QUESTION_TIME_UP",
    "TIME_UP",
    "AnswerSheet",
    "DeckRef",
    "Dispute",
    "ExamError",
    "ExamGrading",
    "ExamOptions",
    "ExamQuestion",
    "ExamResult",
    "ExamSession",
    "GradeJob",
    "QuestionGrade",
    "QuestionResult",
    "Selection",
    "TopicResult",
    "Weakness",
    "card_weight",
    "check_decks",
    "exam_json",
    "exam_markdown",
    "export_format",
    "format_duration",
    "history_lines",
    "resume_exam",
    "select_questions",
    "start_exam",
    "unfinished",
    "weakness_from_history",
    "weakness_from_store",
    "write_export",
]
