"""Exam results as Markdown (to read or print) and JSON (the stored record, for tools)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tutor.atomic import write_out
from tutor.exam.model import ExamError
from tutor.exam.result import ExamResult, QuestionResult
from tutor.formatting import format_duration
from tutor.grading.base import MAX_SCORE

FORMATS = {".md": "markdown", ".markdown": "markdown", ".json": "json"}
ENDINGS = {"time": "time ran out", "learner": "handed in", "": "not ended"}


def export_format(path: Path) -> str:
    """'markdown' or 'json' from the file name; `ExamError` for any other ending."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ExamError(f"cannot export to '{path.name}': the file name must end in .md or .json")
    return kind


def exam_json(record: dict[str, Any]) -> str:
    """The stored record as indented JSON (its shape is documented in `tutor.exam.stored`)."""
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def exam_markdown(result: ExamResult) -> str:
    """The result as a Markdown document: summary, topics worst first, every question."""
    lines = [f"# Exam result: {result.deck_names or 'exam'}", ""]
    when = result.started.strftime("%Y-%m-%d %H:%M %Z").strip() if result.started else "unknown"
    settings = result.settings
    lines += [
        f"- **Score:** {result.score} / {result.max_score} ({result.percent:.1f}%),"
        f" {result.correct} of {len(result.questions)} correct",
        f"- **Date:** {when}",
        f"- **Time used:** {format_duration(result.time_used_ms)} of"
        f" {format_duration(result.time_limit_ms)} ({ENDINGS.get(result.ended_by, result.ended_by)})",
        f"- **Questions:** {len(result.questions)}, seed {settings.get('seed')},"
        f" graded by {settings.get('grader') or 'rules'}",
        f"- **Schedule:** {'answers recorded as reviews' if result.schedule_updated else 'not changed'}",
        f"- **Status:** {'final' if result.final else 'not final yet (disputes still open)'}",
    ]
    if not result.complete:
        lines.append("- **Note:** some answers were still being graded; they count 0 here")
    lines += [f"- **Note:** {warning}" for warning in result.warnings]
    lines += ["", "## By topic (worst first)", "", "| Topic | Questions | Score | % | Correct |",
              "|---|---:|---:|---:|---:|"]
    for topic in result.topics:
        lines.append(f"| {_cell(topic.topic)} | {topic.questions} | {topic.score}/{topic.max_score}"
                     f" | {topic.percent:.0f}% | {topic.correct} |")
    lines += ["", "## Questions", ""]
    for question in result.questions:
        lines += _question_lines(question)
    return "\n".join(lines).rstrip() + "\n"


def _question_lines(item: QuestionResult) -> list[str]:
    q = item.question
    score = "grading…" if item.score is None else f"{item.score}/{MAX_SCORE}"
    marks = []
    if item.disputed:
        reason = f": {item.dispute_reason}" if item.dispute_reason else ""
        marks.append(f"disputed, the grader gave {item.original_score}{reason}")
    if item.fallback:
        marks.append("graded by rules: the model failed")
    if item.unsure:
        marks.append("the grader was unsure")
    if item.flagged:
        marks.append("flagged")
    extra = f" ({'; '.join(marks)})" if marks else ""
    lines = [f"### {q.number}. {_one_line(q.question)}", "",
             f"- **Topic:** {q.topic or 'general'} · **Deck:** {q.deck}"
             f" · **Time:** {format_duration(item.time_ms)}",
             f"- **Score:** {score}{extra}", "", "**Your answer:**", "",
             _quote(item.answer if item.answered else "(no answer)"), "", "**Reference:**", "",
             _quote(q.reference)]
    if item.feedback:
        lines += ["", f"**Feedback:** {_one_line(item.feedback)}"]
    return lines + [""]


def _cell(value: str) -> str:
    return _one_line(value).replace("|", "\\|")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _quote(value: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in value.splitlines() or [""])


def write_export(record: dict[str, Any], path: Path) -> Path:
    """Write the exam to ``path`` as Markdown or JSON (by its ending); return the path.

    `tutor.atomic.write_out` refuses a device, FIFO or folder and a missing folder.
    """
    kind = export_format(path)
    body = exam_json(record) if kind == "json" else exam_markdown(ExamResult.from_record(record))
    return write_out(path, body)
