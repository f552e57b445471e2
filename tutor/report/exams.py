"""Exam scores over time, read from the store's exam records (`StudyStore.exams`).

The record is documented in `tutor.exam.exam_json` (version 1). Only finished exams
(status ``ended`` or ``final``) with a ``result`` count; an exam still in progress,
a record from a newer tutor, or a damaged record is left out of the report rather
than failing it. No exams at all is normal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from tutor.report.model import ExamScore

#: The newest exam record version this reader understands.
EXAM_RECORD_VERSION = 1
FINISHED = ("ended", "final")


def exam_results(records: Iterable[Mapping[str, Any]], *, deck: str | None = None,
                 since: datetime | None = None, now: datetime | None = None) -> list[ExamScore]:
    """Finished exams, oldest first; ``deck`` keeps exams that drew on that deck key."""
    results = []
    for record in records:
        result = _exam_score(record)
        if result is None:
            continue
        if deck is not None and deck not in result.decks:
            continue
        if result.finished is not None:
            if since is not None and result.finished < since:
                continue
            if now is not None and result.finished > now:
                continue
        results.append(result)
    results.sort(key=lambda r: (r.finished is None, r.finished or datetime.min, r.exam_id))
    return results


def _exam_score(record: Mapping[str, Any]) -> ExamScore | None:
    """One record as an `ExamScore`, or None when it is not a finished, readable exam."""
    if not isinstance(record, Mapping) or record.get("kind") != "exam":
        return None
    version = record.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > EXAM_RECORD_VERSION:
        return None
    if record.get("status") not in FINISHED:
        return None
    result = record.get("result")
    if not isinstance(result, Mapping):
        return None
    points, maximum = _number(result.get("score")), _number(result.get("max_score"))
    questions = result.get("questions")
    if (points is None or maximum is None or not 0 <= points <= maximum
            or isinstance(questions, bool) or not isinstance(questions, int)):
        return None
    finished = None
    for key in ("ended", "finalized", "started"):
        finished = _time(record.get(key))
        if finished is not None:
            break
    decks = []
    titles = []
    for entry in record.get("decks") or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("key"), str):
            decks.append(entry["key"])
            title = entry.get("title")
            titles.append(title if isinstance(title, str) and title else entry["key"])
    return ExamScore(
        exam_id=str(record.get("id", "")), finished=finished,
        title=", ".join(titles) or "exam", points=points, max_points=maximum,
        questions=questions, decks=tuple(decks),
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
