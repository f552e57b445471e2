"""`tutor exam` from the command line: bad input is one line and exit 2; --history."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.unit.exam.exam_helpers import CAPITALS, EMPTY, capitals, new_exam, write_deck
from tutor.exam import ExamGrading
from tutor.schedule import FixedClock
from tutor.settings import load_settings
from tutor.store import StudyStore, open_store


def profile_folder() -> Path:
    return Path(os.environ["TUTOR_DATA_DIR"]) / "profiles" / "default"


def one_line_error(*args: str) -> str:
    result = run_cli("exam", *args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize(("flags", "message"), [
    (["--minutes", "0"], "tutor: --minutes must be more than 0 (got 0)"),
    (["--minutes", "-5"], "tutor: --minutes must be more than 0 (got -5)"),
    (["--count", "0"], "tutor: --count must be a whole number more than 0 (got 0)"),
    (["--count", "-2"], "tutor: --count must be a whole number more than 0 (got -2)"),
    (["--question-seconds", "0"], "tutor: --question-seconds must be a whole number more than 0"
                                  " (got 0)"),
    (["--topics", "orbits"], "tutor: no cards on topic 'orbits' in the chosen decks"
                             " (topics: europe, americas, asia)"),
    (["--out", "result.txt"], "tutor: cannot export to 'result.txt': the file name must end in"
                              " .md or .json"),
])
def test_bad_values_are_one_line_and_save_nothing(tmp_path: Path, flags: list[str],
                                                  message: str) -> None:
    deck = write_deck(tmp_path, "capitals", CAPITALS)
    assert one_line_error(str(deck), "--rules", *flags) == message
    if profile_folder().exists():
        with StudyStore(profile_folder()) as store:
            assert store.exams() == []


def test_a_deck_without_cards_is_one_line(tmp_path: Path) -> None:
    full = write_deck(tmp_path, "capitals", CAPITALS)
    empty = write_deck(tmp_path, "empty", EMPTY)
    assert one_line_error(str(full), str(empty), "--rules") == "tutor: deck 'empty' has no cards"


def test_no_deck_unknown_deck_and_conflicting_modes(tmp_path: Path) -> None:
    assert one_line_error("--rules") == \
        "tutor: name at least one deck (or use --resume or --history)"
    assert one_line_error("nosuchdeck", "--rules").startswith("tutor: no deck named 'nosuchdeck'")
    deck = write_deck(tmp_path, "capitals", CAPITALS)
    assert one_line_error(str(deck), "--history") == "tutor: --history takes no DECK"
    assert one_line_error(str(deck), "--resume").startswith("tutor: --resume takes no DECK")
    assert "not allowed with argument" in one_line_error("--resume", "--history")
    assert "invalid int value" in one_line_error(str(deck), "--count", "many")


def test_resume_without_an_unfinished_exam(tmp_path: Path) -> None:
    assert one_line_error("--resume", "--rules") == \
        "tutor: there is no unfinished exam to resume (see 'tutor exam --history')"
    assert one_line_error("--resume", "7", "--rules") == \
        "tutor: there is no exam 7 (see 'tutor exam --history')"
    assert one_line_error("--resume", "capitals", "--rules") == \
        "tutor: --resume takes an exam ID from 'tutor exam --history', not 'capitals'"


def test_history_lists_past_exams(tmp_path: Path) -> None:
    empty = run_cli("exam", "--history")
    assert empty.returncode == 0
    assert empty.stdout.strip() == "No exams yet. Start one with 'tutor exam DECK'."
    clock = FixedClock()
    with StudyStore(profile_folder()) as store:
        session = new_exam(capitals(tmp_path), clock, store)
        session.set_answer("Madrid")
        session.finish()
        grading = ExamGrading()
        for job in session.take_jobs():
            session.apply_grade(job, grading.grade(job.request))
        session.finalize()
        new_exam(capitals(tmp_path), clock, store, count=2)
    result = run_cli("exam", "--history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert lines[1].split()[:5] == ["1", "2024-01-01", "09:00", "Capitals", "4"]
    assert "final" in lines[1]
    assert lines[2].endswith("in progress")
    assert lines[4] == "Continue an unfinished exam with 'tutor exam --resume ID'."


def test_history_works_while_the_app_has_the_profile_open(tmp_path: Path) -> None:
    with open_store(load_settings()) as store:  # as the app opens it: the profile is locked
        new_exam(capitals(tmp_path), FixedClock(), store)  # saved in the journal only
        before = {p.name: p.read_bytes() for p in profile_folder().iterdir()}
        result = run_cli("exam", "--history")
        after = {p.name: p.read_bytes() for p in profile_folder().iterdir()}
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4 and lines[1].endswith("in progress")
    assert after == before  # it read a copy: nothing in the profile changed
