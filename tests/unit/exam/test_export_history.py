"""Exports (Markdown, JSON) and the history list, from real stored records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exam_helpers import answers_by_question, capitals, new_exam

from tutor.exam import (
    ExamError,
    ExamGrading,
    ExamResult,
    exam_markdown,
    export_format,
    history_lines,
    unfinished,
    write_export,
)
from tutor.schedule import FixedClock
from tutor.store import StudyStore


def finished_exam(tmp_path: Path, store: StudyStore, clock: FixedClock):  # type: ignore[no-untyped-def]
    deck = capitals(tmp_path)
    answers = answers_by_question(deck)
    session = new_exam(deck, clock, store)
    session.set_answer(answers[session.question.question])
    session.toggle_flag()
    session.next()
    session.set_answer("Some | pipe\nand a second line")
    clock.advance(seconds=42)
    session.finish()
    grading = ExamGrading()
    for job in session.take_jobs():
        session.apply_grade(job, grading.grade(job.request))
    session.dispute(1, 2, "partly right")
    session.finalize()
    return session


def test_markdown_export_has_totals_topics_and_every_question(tmp_path: Path) -> None:
    clock = FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = finished_exam(tmp_path, store, clock)
        text = exam_markdown(ExamResult.from_record(store.exam(session.exam_id)))
    assert text.startswith("# Exam result: Capitals\n")
    assert "- **Score:** 7 / 20 (35.0%), 1 of 4 correct" in text
    assert "- **Time used:** 0:42 of 5:00 (handed in)" in text
    assert "## By topic (worst first)" in text
    assert "| americas | 1 | 0/5 | 0% | 0 |" in text
    assert "disputed, the grader gave" in text and "partly right" in text
    assert "> Some | pipe\n> and a second line" in text
    assert text.count("### ") == 4
    assert "**Reference:**" in text and "(no answer)" in text


def test_json_export_is_the_record_and_files_are_written_by_ending(tmp_path: Path) -> None:
    clock = FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = finished_exam(tmp_path, store, clock)
        record = store.exam(session.exam_id)
    (tmp_path / "out").mkdir()  # an export never creates folders
    out = write_export(record, tmp_path / "out" / "result.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["id"] == session.exam_id and data["status"] == "final"
    assert data["result"]["score"] == 7
    assert data["questions"][1]["dispute"]["reason"] == "partly right"
    md = write_export(record, tmp_path / "result.MD")
    assert md.read_text(encoding="utf-8").startswith("# Exam result")
    with pytest.raises(ExamError, match=r"must end in \.md or \.json"):
        export_format(tmp_path / "result.txt")


def test_history_lists_exams_and_what_to_resume(tmp_path: Path) -> None:
    clock = FixedClock()
    with StudyStore(tmp_path / "p") as store:
        assert history_lines(store.exams()) == ["No exams yet. Start one with 'tutor exam DECK'."]
        finished_exam(tmp_path, store, clock)
        running = new_exam(capitals(tmp_path), clock, store, count=3)
        store.save_exam({"kind": "exam", "version": 1, "status": "final", "questions": "x"})
        lines = history_lines(store.exams())
        assert unfinished(store.exams())["id"] == running.exam_id
    assert lines[0].split() == ["ID", "DATE", "DECKS", "Q", "SCORE", "STATUS"]
    assert lines[1].split()[:7] == ["1", "2024-01-01", "09:00", "Capitals", "4", "7/20", "35%"]
    assert lines[1].endswith("final")
    assert lines[2].endswith("in progress")
    assert lines[2].split()[0] == running.exam_id
    assert "has no questions" in lines[3]
    assert lines[4:] == ["", "Continue an unfinished exam with 'tutor exam --resume ID'."]


def test_history_lines_fit_80_columns(tmp_path: Path) -> None:
    """Long deck names, a reviewed exam and an unfinished one: no line wraps at 80 columns."""
    clock = FixedClock()
    with StudyStore(tmp_path / "p") as store:
        finished_exam(tmp_path, store, clock)
        record = store.exams()[-1]
        store.save_exam({**record, "schedule_updated": True,
                         "decks": [{"key": "a", "title": "A deck with a very long title indeed"},
                                   {"key": "b", "title": "And a second deck"}]})
        new_exam(capitals(tmp_path), clock, store, count=3)
        lines = history_lines(store.exams())
    assert max(len(line) for line in lines) <= 80, lines
    assert any(line.endswith("final +boxes") for line in lines)
    assert lines[-2:] == ["Continue an unfinished exam with 'tutor exam --resume ID'.",
                          "+boxes: the exam's grades were recorded as reviews (its cards' boxes moved)."]
