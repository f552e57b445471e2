"""The stored exam record: the one JSON object `StudyStore.save_exam`/`update_exam` keep.

An exam is saved when it starts and again as the learner types (at most about once a
second), on every navigation, when it ends, on every dispute and when the result is
made final, so a crash or quit loses at most a second of typing. Readers (``tutor exam
--history``, weak-topic reports, exports) take records from `StudyStore.exams()`; each
also carries the store's ``id``. Version 1 looks like this::

    {
      "kind": "exam",                 # always "exam"
      "version": 1,
      "status": "in_progress",        # "in_progress" | "ended" | "final"
      "started": "2024-01-01T09:00:00+00:00",   # when the exam was first opened (ISO 8601)
      "ended": null,                  # when time ran out or the learner handed it in
      "ended_by": "",                 # "" | "learner" | "time"
      "finalized": null,              # when the learner accepted the result (no more disputes)
      "decks": [{"key": "capitals", "title": "Capitals"}],
      "settings": {
        "minutes": 20.0, "count": 10, "topics": [], "seed": 1234,
        "update_schedule": false,     # the option chosen: record the result as reviews (see schedule_updated)
        "question_seconds": null,     # optional time per question
        "grader": "rules",            # what graded: "rules", "llm:<model>", "server:<model>"
        "out": null                   # --out given at the start: the absolute path the result
      },                              #   is written to once the exam ends (also after --resume)
      "time_limit_ms": 1200000,
      "time_used_ms": 53000,          # the clock stops while the exam is closed
      "current": 0,                   # 0-based index of the question on screen
      "warnings": ["only 8 cards match; the exam has 8 questions, not 10"],
      "schedule_updated": false,      # true once reviews were recorded for this exam
      "questions": [{
        "number": 1, "card_id": "3f9a2c41d0", "deck": "capitals", "topic": "europe",
        "question": "Capital of France?", "reference": "Paris", "alternatives": [],
        "answer": "Paris",            # as last typed
        "flagged": false, "locked": false,
        "time_ms": 12000,             # time this question was on screen
        "committed": "Paris",         # the answer handed in for grading (null: not yet)
        "grade": {                    # null while not graded
          "answer": "Paris", "score": 5, "feedback": "...", "grader": "rules",
          "confidence": 0.9, "unsure": false,
          "fallback": false,          # true: the model failed here and the rules verdict stands
          "notes": []
        },
        "dispute": null,              # or {"score", "original_score", "reason", "time"}
        "score": 5                    # the score in force (dispute over grade); null while grading
      }],
      "result": {                     # recomputed at every save
        "score": 38, "max_score": 50, "percent": 76.0, "questions": 10, "answered": 9,
        "correct": 7, "complete": true,   # complete: every question has its score
        "topics": [{"topic": "europe", "questions": 4, "score": 12, "max_score": 20,
                    "percent": 60.0, "correct": 2}]   # worst first
      }
    }

Scores are 0-5 per question (correct from 3). An unanswered question scores 0 with the
grader "unanswered". This module is the one reader of the record: `check_record` says
whether this tutor can read it, `parse_*` functions turn the JSON back into the typed
objects of `tutor.exam.model` and raise `ExamError` for a damaged record, and
`saved_score` reads a finished exam's ``result`` for the weak-topic report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from tutor.exam.model import (
    AnswerSheet,
    DeckRef,
    Dispute,
    ExamError,
    ExamQuestion,
    QuestionGrade,
)
from tutor.store.codec import parse_time

RECORD_KIND = "exam"
RECORD_VERSION = 1
STATUSES = ("in_progress", "ended", "final")
#: Statuses of an exam that can still go on (``tutor exam --resume``).
UNFINISHED = ("in_progress", "ended")
#: Statuses of an exam whose time is over: its ``result`` is its score.
FINISHED = ("ended", "final")
ENDED_BY = ("", "learner", "time")


def is_exam_record(record: Any) -> TypeGuard[dict[str, Any]]:
    """True for an object saved as an exam record (readable or not)."""
    return isinstance(record, dict) and record.get("kind") == RECORD_KIND


def check_record(record: Any) -> dict[str, Any]:
    """The record if it is an exam record this tutor can read; else `ExamError`."""
    if not is_exam_record(record):
        raise ExamError(f"exam {_id(record)} is not an exam record")
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ExamError(f"exam {_id(record)} has no version")
    if version > RECORD_VERSION:
        raise ExamError(f"exam {_id(record)} was saved by a newer tutor (record version {version})")
    if record.get("status") not in STATUSES:
        raise ExamError(f"exam {_id(record)} has an unknown status {record.get('status')!r}")
    questions = record.get("questions")
    if not isinstance(questions, list) or not questions:
        raise ExamError(f"exam {_id(record)} has no questions")
    return record


def _id(record: Any) -> str:
    return str(record.get("id", "?")) if isinstance(record, dict) else "?"


def damaged(record: dict[str, Any], what: str) -> ExamError:
    """The error for a record field that cannot be read."""
    return ExamError(f"exam {_id(record)} is damaged ({what})")


def text(data: dict[str, Any], key: str, default: str | None = None) -> str:
    """A string field ('' for null when a default is given)."""
    value = data.get(key, default)
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        raise ValueError(f"'{key}' must be text")
    return value


def integer(data: dict[str, Any], key: str, default: int | None = None) -> int:
    """A whole-number field."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"'{key}' must be a whole number")
    return value


def number(data: dict[str, Any], key: str, default: float | None = None) -> float:
    """A numeric field."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"'{key}' must be a number")
    return float(value)


def moment(data: dict[str, Any], key: str) -> datetime | None:
    """An ISO 8601 time field (null allowed); naive times are refused. Errors name the field."""
    try:
        return parse_time(data.get(key))
    except ValueError as exc:
        raise ValueError(f"'{key}': {exc}") from None


def strings(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list-of-strings field (missing = empty)."""
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{key}' must be a list of text")
    return tuple(value)


def parse_question(data: Any) -> ExamQuestion:
    """The card part of a ``questions[]`` entry."""
    if not isinstance(data, dict):
        raise ValueError("a question is not an object")
    return ExamQuestion(
        number=integer(data, "number"), card_id=text(data, "card_id"), deck=text(data, "deck", ""),
        topic=text(data, "topic", ""), question=text(data, "question"),
        reference=text(data, "reference"), alternatives=strings(data, "alternatives"),
    )


def parse_grade(data: Any) -> QuestionGrade | None:
    """A ``grade`` object (None for null)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("a grade is not an object")
    return QuestionGrade(
        answer=text(data, "answer", ""), score=integer(data, "score"),
        feedback=text(data, "feedback", ""), grader=text(data, "grader", ""),
        confidence=number(data, "confidence", 1.0), unsure=bool(data.get("unsure", False)),
        fallback=bool(data.get("fallback", False)), notes=strings(data, "notes"),
    )


def parse_dispute(data: Any) -> Dispute | None:
    """A ``dispute`` object (None for null)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("a dispute is not an object")
    when = moment(data, "time")
    if when is None:
        raise ValueError("a dispute has no time")
    return Dispute(score=integer(data, "score"), original_score=integer(data, "original_score"),
                   reason=text(data, "reason", ""), time=when)


def parse_sheet(data: Any) -> AnswerSheet:
    """The learner's part of a ``questions[]`` entry."""
    if not isinstance(data, dict):
        raise ValueError("a question is not an object")
    committed = data.get("committed")
    if committed is not None and not isinstance(committed, str):
        raise ValueError("'committed' must be text")
    return AnswerSheet(
        answer=text(data, "answer", ""), flagged=bool(data.get("flagged", False)),
        time_ms=max(0, integer(data, "time_ms", 0)), committed=committed,
        locked=bool(data.get("locked", False)), grade=parse_grade(data.get("grade")),
        dispute=parse_dispute(data.get("dispute")),
    )


def parse_decks(record: dict[str, Any]) -> tuple[DeckRef, ...]:
    """The record's ``decks``."""
    decks = record.get("decks") or []
    if not isinstance(decks, list):
        raise ValueError("'decks' must be a list")
    refs = []
    for entry in decks:
        if not isinstance(entry, dict):
            raise ValueError("a deck entry is not an object")
        refs.append(DeckRef(key=text(entry, "key", ""), title=text(entry, "title", "")))
    return tuple(refs)


def parse_questions(record: dict[str, Any]) -> tuple[tuple[ExamQuestion, ...], list[AnswerSheet]]:
    """Questions and answer sheets of a checked record; `ExamError` when damaged."""
    try:
        entries = record["questions"]
        return (tuple(parse_question(e) for e in entries), [parse_sheet(e) for e in entries])
    except (ValueError, TypeError, KeyError) as exc:
        raise damaged(record, str(exc)) from None


@dataclass(frozen=True)
class SavedScore:
    """A finished exam's score as saved in its record's ``result``."""

    exam_id: str
    finished: datetime | None
    """When it ended (else was made final, else started); None when no time is readable."""
    decks: tuple[DeckRef, ...]
    points: float
    max_points: float
    questions: int


def saved_score(record: Any) -> SavedScore | None:
    """The saved score of a finished exam (status ``ended`` or ``final``), or None for an
    exam still in progress, a record from a newer tutor, a damaged one, or no exam at all.
    """
    try:
        check_record(record)
    except ExamError:
        return None
    if record.get("status") not in FINISHED:
        return None
    result = record.get("result")
    if not isinstance(result, Mapping):
        return None
    points, maximum = _number_or_none(result.get("score")), _number_or_none(result.get("max_score"))
    questions = result.get("questions")
    if (points is None or maximum is None or not 0 <= points <= maximum
            or isinstance(questions, bool) or not isinstance(questions, int)):
        return None
    finished = None
    for key in ("ended", "finalized", "started"):
        try:
            finished = moment(record, key)
        except ValueError:
            finished = None
        if finished is not None:
            break
    entries = record.get("decks")
    decks = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and isinstance(entry.get("key"), str):
            title = entry.get("title")
            decks.append(DeckRef(key=entry["key"], title=title if isinstance(title, str) else ""))
    return SavedScore(exam_id=str(record.get("id", "")), finished=finished, decks=tuple(decks),
                      points=points, max_points=maximum, questions=questions)


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
