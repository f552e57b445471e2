"""`tutor exam DECK --out FILE`: the file is kept with the exam, so the result is written
there after `tutor exam --resume` too.

The command runs in-process; only the exam screen is replaced (by a stand-in that leaves
the exam, as Escape does, or hands it in), because a subprocess has no terminal for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.unit.exam.exam_helpers import CAPITALS, write_deck
from tutor.cli import main
from tutor.commands import exam as exam_command
from tutor.exam import ExamGrading, ExamSession


def fake_screen(monkeypatch: pytest.MonkeyPatch, hand_in: bool) -> list[Path | None]:
    """Replace the exam UI: it leaves the exam (or hands it in) at once; the export file
    each run gave the exam screen is recorded."""
    given: list[Path | None] = []

    def run_app(settings: Any, library: Any, session: ExamSession, grading: Any, store: Any,
                clock: Any, out: Path | None) -> None:
        given.append(out)
        if hand_in:
            session.finish("learner")
        session.save()

    monkeypatch.setattr(exam_command, "_run_app", run_app)
    return given


def test_out_given_at_the_start_is_written_after_resume(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path, "capitals", CAPITALS)
    result = tmp_path / "result.md"
    given = fake_screen(monkeypatch, hand_in=False)
    assert main(["exam", str(deck), "--rules", "--count", "3", "--out", str(result)]) == 0
    assert "continue it with 'tutor exam --resume 1'" in capsys.readouterr().out
    assert not result.exists()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the file named at the start, not one in today's folder
    given = fake_screen(monkeypatch, hand_in=True)
    assert main(["exam", "--resume", "--rules"]) == 0

    assert given == [result]  # the result screen's `e` offers it too
    assert f"Result written to {result}" in capsys.readouterr().out
    assert result.read_text(encoding="utf-8").startswith("# ")


def test_out_given_at_resume_replaces_the_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path, "capitals", CAPITALS)
    first, second = tmp_path / "first.md", tmp_path / "second.json"
    fake_screen(monkeypatch, hand_in=False)
    assert main(["exam", str(deck), "--rules", "--count", "3", "--out", str(first)]) == 0
    fake_screen(monkeypatch, hand_in=False)
    assert main(["exam", "--resume", "--rules", "--out", str(second)]) == 0
    given = fake_screen(monkeypatch, hand_in=True)
    assert main(["exam", "--resume", "--rules"]) == 0

    assert given == [second]
    assert second.exists() and not first.exists()


def test_a_kept_out_file_that_cannot_be_written_any_more_is_a_note(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path, "capitals", CAPITALS)
    folder = tmp_path / "gone"
    folder.mkdir()
    fake_screen(monkeypatch, hand_in=False)
    assert main(["exam", str(deck), "--rules", "--count", "3", "--out", str(folder / "r.md")]) == 0
    folder.rmdir()
    capsys.readouterr()

    given = fake_screen(monkeypatch, hand_in=True)
    assert main(["exam", "--resume", "--rules"]) == 0

    assert given == [None]
    err = capsys.readouterr().err
    assert err.startswith("tutor: note: the result will not be written (cannot write") and \
        err.count("\n") == 1, err


def test_an_older_unfinished_exam_is_named_and_resumed_by_its_id(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A new exam over an unfinished one says how to go back to it; --resume ID does."""
    deck = write_deck(tmp_path, "capitals", CAPITALS)
    fake_screen(monkeypatch, hand_in=False)
    assert main(["exam", str(deck), "--rules", "--count", "2"]) == 0
    first = capsys.readouterr().out.split()[1]
    assert main(["exam", str(deck), "--rules", "--count", "3"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (f"tutor: note: exam {first} is not finished; it is kept:"
                            f" 'tutor exam --resume {first}' continues it\n")
    second = captured.out.split()[1]
    assert second != first

    resumed: list[int] = []

    def run_app(settings: Any, library: Any, session: ExamSession, grading: Any, store: Any,
                clock: Any, out: Path | None) -> None:
        resumed.append(session.count)
        session.finish("learner")
        grading = ExamGrading()
        for job in session.take_jobs():
            session.apply_grade(job, grading.grade(job.request))
        session.finalize()
        session.save()

    monkeypatch.setattr(exam_command, "_run_app", run_app)
    assert main(["exam", "--resume", first, "--rules"]) == 0
    assert resumed == [2]  # the older exam, not the newest
    assert capsys.readouterr().out.startswith(f"Exam {first}: ")
    assert main(["exam", "--resume", "--rules"]) == 0  # the newest one still waits
    assert resumed == [2, 3]
    capsys.readouterr()
    assert main(["exam", "--resume", first, "--rules"]) == 2
    assert capsys.readouterr().err == \
        f"tutor: exam {first} is finished: there is nothing to resume\n"
