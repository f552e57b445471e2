"""Exam scores over time, read from the store's exam records (`StudyStore.exams`).

The record is documented and read in `tutor.exam.stored` (`saved_score`). Only finished
exams (status ``ended`` or ``final``) with a ``result`` count; an exam still in progress,
a record from a newer tutor, or a damaged record is left out of the report rather
than failing it. No exams at all is normal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from tutor.exam.stored import saved_score
from tutor.report.model import ExamScore


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
    saved = saved_score(record)
    if saved is None:
        return None
    return ExamScore(
        exam_id=saved.exam_id, finished=saved.finished,
        title=", ".join(d.title or d.key for d in saved.decks) or "exam", points=saved.points,
        max_points=saved.max_points, questions=saved.questions,
        decks=tuple(d.key for d in saved.decks),
    )
