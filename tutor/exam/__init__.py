"""Timed exams: question selection, timing, background grading, disputes, results.

No Textual here: the exam screens in ``tutor.tui.screens`` drive `ExamSession`. The
stored record's shape is documented in `tutor.exam.exam_json`.
"""

from tutor.exam.export import exam_json, exam_markdown, export_format, write_export
from tutor.exam.grading import ExamGrading
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
    format_duration,
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
from tutor.exam.session import QUESTION_TIME_UP, TIME_UP, ExamSession
from tutor.exam.setup import check_decks, resume_exam, start_exam

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
