"""Past exams: the plain-text list of ``tutor exam --history`` and the exam to resume."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tutor.exam.model import ExamError
from tutor.exam.result import ExamResult
from tutor.exam.stored import UNFINISHED, is_exam_record
from tutor.formatting import clip

STATUS_WORDS = {"in_progress": "in progress", "ended": "not final", "final": "final"}
#: Marks a final exam whose grades were recorded as reviews (its cards' boxes moved).
REVIEWED_MARK = "final +boxes"
DECKS_WIDTH = 22
#: The list fits an 80-column terminal: the widest row is this many characters.
LINE_WIDTH = 80


def resume_command(exam_id: object) -> str:
    """The command that continues exam ``exam_id`` ('tutor exam --resume 14')."""
    return f"tutor exam --resume {exam_id or ''}".rstrip()


def unfinished(records: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The newest exam record not yet final (what ``--resume`` continues), or None."""
    for record in reversed(records):
        if is_exam_record(record) and record.get("status") in UNFINISHED:
            return record
    return None


def history_lines(records: Sequence[dict[str, Any]]) -> list[str]:
    """One header and one line per exam record, oldest first, each at most `LINE_WIDTH`
    characters; damaged records say so. Notes after the table say how to continue an
    unfinished exam and what "+boxes" means, when such a line is listed."""
    exams = [r for r in records if is_exam_record(r)]
    if not exams:
        return ["No exams yet. Start one with 'tutor exam DECK'."]
    lines = [f"{'ID':>5}  {'DATE':<16}  {'DECKS':<{DECKS_WIDTH}}  {'Q':>3}  {'SCORE':<12}  STATUS"]
    notes: dict[str, str] = {}
    for record in exams:
        exam_id = str(record.get("id", "?"))
        try:
            result = ExamResult.from_record(record)
        except ExamError as exc:
            lines.append(f"{exam_id:>5}  {clip(exc.message, LINE_WIDTH - 7)}")
            continue
        when = result.started.strftime("%Y-%m-%d %H:%M") if result.started else "?"
        decks = clip(result.deck_names or "?", DECKS_WIDTH)
        if result.status == "in_progress":
            score = "-"
        else:
            score = f"{result.score}/{result.max_score} {result.percent:.0f}%"
        status = STATUS_WORDS.get(result.status, result.status)
        if result.status != "final":
            notes["resume"] = f"Continue an unfinished exam with '{resume_command('ID')}'."
        elif result.schedule_updated:
            status = REVIEWED_MARK
            notes["boxes"] = "+boxes: the exam's grades were recorded as reviews (its cards' boxes moved)."
        lines.append(f"{exam_id:>5}  {when:<16}  {decks:<{DECKS_WIDTH}}  {len(result.questions):>3}"
                     f"  {score:<12}  {status}")
    if notes:
        lines += ["", *(notes[key] for key in ("resume", "boxes") if key in notes)]
    return lines
