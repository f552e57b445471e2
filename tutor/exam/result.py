"""`ExamResult`: an exam's score, per question and per topic, read from its record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tutor.exam.model import AnswerSheet, DeckRef, ExamError, ExamQuestion, QuestionGrade
from tutor.exam.stored import (
    check_record,
    damaged,
    integer,
    moment,
    number,
    parse_decks,
    parse_questions,
    strings,
    text,
)
from tutor.grading.base import MAX_SCORE, PASS_SCORE


@dataclass(frozen=True)
class QuestionResult:
    """One question's outcome."""

    question: ExamQuestion
    answer: str
    score: int | None
    """The score in force; None while the answer is still being graded."""
    grade: QuestionGrade | None
    disputed: bool
    original_score: int | None
    """The grader's score when the learner disputed it, else None."""
    dispute_reason: str
    time_ms: int
    flagged: bool

    @property
    def number(self) -> int:
        """1-based position in the exam."""
        return self.question.number

    @property
    def answered(self) -> bool:
        """True when an answer was given."""
        return bool(self.answer.strip())

    @property
    def correct(self) -> bool:
        """True when the score passes (>= 3)."""
        return self.score is not None and self.score >= PASS_SCORE

    @property
    def feedback(self) -> str:
        """The grader's feedback ('' while grading)."""
        return self.grade.feedback if self.grade else ""

    @property
    def grader(self) -> str:
        """Who decided the score: a grader's name, or 'override' after a dispute."""
        if self.disputed:
            return "override"
        return self.grade.grader if self.grade else ""

    @property
    def fallback(self) -> bool:
        """True when the model failed on this answer and rules graded it."""
        return bool(self.grade and self.grade.fallback)

    @property
    def unsure(self) -> bool:
        """True when the grader was unsure (worth a look, maybe a dispute)."""
        return bool(self.grade and self.grade.unsure) and not self.disputed


@dataclass(frozen=True)
class TopicResult:
    """How one topic went."""

    topic: str
    questions: int
    score: int
    max_score: int
    correct: int

    @property
    def percent(self) -> float:
        """Score as a percentage of the topic's maximum."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    def to_json(self) -> dict[str, Any]:
        """The record's ``result.topics[]`` entry."""
        return {"topic": self.topic, "questions": self.questions, "score": self.score,
                "max_score": self.max_score, "percent": round(self.percent, 1),
                "correct": self.correct}


@dataclass(frozen=True)
class ExamResult:
    """The whole result: totals, questions, topics (worst first), and what the exam was."""

    exam_id: str
    status: str
    started: datetime | None
    ended: datetime | None
    ended_by: str
    finalized: datetime | None
    decks: tuple[DeckRef, ...]
    settings: dict[str, Any]
    time_limit_ms: int
    time_used_ms: int
    questions: tuple[QuestionResult, ...]
    topics: tuple[TopicResult, ...]
    warnings: tuple[str, ...]
    schedule_updated: bool

    @property
    def score(self) -> int:
        """Points so far (questions still being graded count 0)."""
        return sum(q.score or 0 for q in self.questions)

    @property
    def max_score(self) -> int:
        """Points possible: 5 per question."""
        return MAX_SCORE * len(self.questions)

    @property
    def percent(self) -> float:
        """Score as a percentage of the maximum."""
        return 100.0 * self.score / self.max_score if self.max_score else 0.0

    @property
    def complete(self) -> bool:
        """True when every question has its score."""
        return all(q.score is not None for q in self.questions)

    @property
    def answered(self) -> int:
        """Questions with an answer."""
        return sum(1 for q in self.questions if q.answered)

    @property
    def correct(self) -> int:
        """Questions scored 3 or more."""
        return sum(1 for q in self.questions if q.correct)

    @property
    def final(self) -> bool:
        """True once the learner accepted the result (no more disputes)."""
        return self.status == "final"

    @property
    def deck_names(self) -> str:
        """The decks' titles, comma-separated."""
        return ", ".join(d.title or d.key for d in self.decks)

    def summary_json(self) -> dict[str, Any]:
        """The record's ``result`` object."""
        return {"score": self.score, "max_score": self.max_score,
                "percent": round(self.percent, 1), "questions": len(self.questions),
                "answered": self.answered, "correct": self.correct, "complete": self.complete,
                "topics": [t.to_json() for t in self.topics]}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ExamResult:
        """Read a stored record (see `tutor.exam.stored`); `ExamError` when it is damaged."""
        record = check_record(record)
        questions, sheets = parse_questions(record)
        try:
            settings = record.get("settings") or {}
            if not isinstance(settings, dict):
                raise ValueError("'settings' must be an object")
            return cls(
                exam_id=str(record.get("id", "")), status=text(record, "status"),
                started=moment(record, "started"), ended=moment(record, "ended"),
                ended_by=text(record, "ended_by", ""), finalized=moment(record, "finalized"),
                decks=parse_decks(record), settings=dict(settings),
                time_limit_ms=int(number(record, "time_limit_ms", 0)),
                time_used_ms=integer(record, "time_used_ms", 0),
                questions=question_results(questions, sheets),
                topics=topic_results(questions, sheets),
                warnings=strings(record, "warnings"),
                schedule_updated=bool(record.get("schedule_updated", False)),
            )
        except (ValueError, TypeError) as exc:
            raise damaged(record, str(exc)) from None


def question_results(questions: Sequence[ExamQuestion],
                     sheets: Sequence[AnswerSheet]) -> tuple[QuestionResult, ...]:
    """Each question's outcome from its answer sheet."""
    if len(questions) != len(sheets):
        raise ExamError("questions and answers do not match")
    results = []
    for question, sheet in zip(questions, sheets):
        dispute = sheet.dispute if sheet.graded else None
        results.append(QuestionResult(
            question=question, answer=sheet.answer, score=sheet.score,
            grade=sheet.grade if sheet.graded else None, disputed=dispute is not None,
            original_score=dispute.original_score if dispute else None,
            dispute_reason=dispute.reason if dispute else "", time_ms=sheet.time_ms,
            flagged=sheet.flagged))
    return tuple(results)


def topic_results(questions: Sequence[ExamQuestion],
                  sheets: Sequence[AnswerSheet]) -> tuple[TopicResult, ...]:
    """Per-topic totals, worst percentage first (ties: more questions, then name)."""
    totals: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for question, sheet in zip(questions, sheets):
        key = question.topic.casefold()
        names.setdefault(key, question.topic or "general")
        entry = totals.setdefault(key, [0, 0, 0])
        score = sheet.score or 0
        entry[0] += 1
        entry[1] += score
        entry[2] += 1 if score >= PASS_SCORE else 0
    topics = [TopicResult(topic=names[key], questions=n, score=s, max_score=MAX_SCORE * n,
                          correct=c) for key, (n, s, c) in totals.items()]
    topics.sort(key=lambda t: (t.percent, -t.questions, t.topic.casefold()))
    return tuple(topics)
