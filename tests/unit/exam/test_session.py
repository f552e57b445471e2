"""`ExamSession` without a UI: a real deck file, a real store, a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from exam_helpers import answers_by_question, capitals, new_exam

from tutor.exam import TIME_UP, ExamError, ExamGrading, ExamResult, ExamSession, resume_exam
from tutor.exam.session import QUESTION_TIME_UP, TIME_SAVE_MS
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.store import StudyStore


def grade_all(session: ExamSession, grading: ExamGrading | None = None) -> None:
    """Run every pending grade job (what the screen's workers do)."""
    grading = grading or ExamGrading()
    for job in session.take_jobs():
        session.apply_grade(job, grading.grade(job.request))


def answer_current(session: ExamSession, answers: dict[str, str]) -> None:
    session.set_answer(answers[session.question.question])


def test_exam_is_saved_at_once_and_as_typed(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        assert session.exam_id == "1"
        assert store.exam("1")["status"] == "in_progress"
        session.set_answer("Par")
        assert session.unsaved
        assert store.exam("1")["questions"][0]["answer"] == ""
        clock.advance(seconds=1)
        assert session.tick() is None
        assert not session.unsaved
        assert store.exam("1")["questions"][0]["answer"] == "Par"
        assert store.exam("1")["time_used_ms"] == 1000


def test_time_used_is_saved_now_and_then_without_typing(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        clock.advance(seconds=TIME_SAVE_MS / 1000 - 1)
        session.tick()
        assert store.exam("1")["time_used_ms"] == 0
        clock.advance(seconds=1)
        session.tick()
        assert store.exam("1")["time_used_ms"] == TIME_SAVE_MS


def test_navigation_commits_and_grades_in_the_background(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    session = new_exam(deck, clock, None)
    answer_current(session, answers)
    assert session.take_jobs() == []  # typed, not handed in
    clock.advance(seconds=20)
    assert session.next()
    jobs = session.take_jobs()
    assert [job.index for job in jobs] == [0]
    assert session.take_jobs() == []  # already being graded
    assert session.sheets[0].time_ms == 20_000
    session.go_to(0)
    session.set_answer("something else")
    session.go_to(2)
    newer = session.take_jobs()
    assert [job.answer for job in newer] == ["something else"]
    grading = ExamGrading()
    assert not session.apply_grade(jobs[0], grading.grade(jobs[0].request))  # stale: dropped
    assert session.apply_grade(newer[0], grading.grade(newer[0].request))
    assert session.sheets[0].grade.answer == "something else"
    assert session.previous() and session.current == 1
    session.go_to(0)
    assert not session.previous() and session.current == 0
    session.go_to(session.count - 1)
    assert not session.next()
    with pytest.raises(ExamError, match="no question 9"):
        session.go_to(8)


def test_time_up_ends_the_exam_and_unanswered_score_zero(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store, minutes=2.0)
        answer_current(session, answers)
        session.next()
        session.set_answer("I typed this but never pressed Enter")
        clock.advance(minutes=3)
        assert session.tick() == TIME_UP
        assert not session.running
        assert session.ended_by == "time"
        assert session.remaining_ms() == 0
        assert session.time_used_ms == 120_000
        assert not session.set_answer("too late")
        grade_all(session)
        result = session.result()
        assert result.complete
        assert [q.score for q in result.questions][2:] == [0, 0]
        assert result.questions[2].grader == "unanswered"
        assert result.questions[0].score == 5
        assert result.questions[1].answer == "I typed this but never pressed Enter"
        assert store.exam("1")["status"] == "ended"


def test_question_time_limit_locks_and_moves_on(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    session = new_exam(deck, clock, None, count=2, question_seconds=30)
    session.set_answer("first")
    clock.advance(seconds=31)
    assert session.tick() == QUESTION_TIME_UP
    assert session.current == 1
    assert session.sheets[0].locked
    assert session.sheets[0].time_ms == 30_000
    assert not session.set_answer("changed", index=0)
    assert [job.answer for job in session.take_jobs()] == ["first"]
    clock.advance(seconds=30)
    assert session.tick() == TIME_UP
    assert session.ended_by == "time"


def test_resume_carries_on_where_it_stopped_and_the_clock_stopped(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    folder = tmp_path / "p"
    with StudyStore(folder) as store:
        session = new_exam(deck, clock, store, minutes=10.0)
        session.set_answer("Madrid")
        clock.advance(minutes=1)
        session.next()
        session.toggle_flag()
        session.set_answer("half an ans")
        clock.advance(seconds=5)
        session.tick()
    clock.advance(hours=5)  # away: does not count
    with StudyStore(folder) as store:
        again = resume_exam(store, clock)
        assert again.exam_id == "1"
        assert again.current == 1
        assert again.sheet.answer == "half an ans"
        assert again.sheet.flagged
        assert again.sheets[0].committed == "Madrid"
        assert again.remaining_ms() == 10 * 60_000 - 65_000
        assert again.questions == session.questions
        assert [job.index for job in again.take_jobs()] == [0]  # its grade never arrived


def test_disputes_only_between_the_end_and_the_final_result(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        session.set_answer("wrong city")
        with pytest.raises(ExamError, match="once the exam has ended"):
            session.dispute(0, 5)
        session.finish()
        grade_all(session)
        original = session.sheets[0].grade.score
        assert original < 3
        with pytest.raises(ExamError, match="not answered"):
            session.dispute(1, 5)
        with pytest.raises(ExamError, match="0 to 5"):
            session.dispute(0, 6)
        dispute = session.dispute(0, 4, "  the reference   allows it ")
        assert dispute is not None and dispute.reason == "the reference allows it"
        assert session.result().questions[0].score == 4
        assert session.result().questions[0].original_score == original
        stored = store.exam("1")["questions"][0]
        assert stored["score"] == 4 and stored["dispute"]["original_score"] == original
        assert session.dispute(0, original) is None  # back to the grader's score
        session.dispute(0, 3)
        result = session.finalize()
        assert result.final and result.questions[0].grader == "override"
        with pytest.raises(ExamError, match="final"):
            session.dispute(0, 5)


def test_results_do_not_touch_the_schedule_by_default(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        answer_current(session, answers)
        session.finish()
        with pytest.raises(ExamError, match="still being graded"):
            session.finalize()
        grade_all(session)
        session.finalize()
        assert store.review_count() == 0
        assert store.states() == {}
        assert store.exam("1")["status"] == "final"
        assert store.exam("1")["schedule_updated"] is False


def test_update_schedule_records_exam_reviews_once(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    folder = tmp_path / "p"
    with StudyStore(folder) as store:
        session = new_exam(deck, clock, store, update_schedule=True)
        answer_current(session, answers)
        session.finish()
        grade_all(session)
        # A crash after the reviews were written but before the exam was saved as final:
        session._record_reviews(LeitnerScheduler())
    with StudyStore(folder) as store:
        again = resume_exam(store, clock)
        result = again.finalize()
        assert result.schedule_updated
        reviews = store.reviews()
        assert len(reviews) == 4
        assert {r.source for r in reviews} == {"exam"}
        assert {r.exam_id for r in reviews} == {"1"}
        first = next(r for r in reviews if r.card_id == again.questions[0].card_id)
        assert first.score == 5 and first.box_after == 2
        assert all(r.box_after == 1 for r in reviews if r is not first)


def test_damaged_records_are_one_line_errors(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    record = new_exam(deck, clock, None).to_record()
    record["id"] = "9"
    broken = dict(record, questions=[{"number": "one"}])
    with pytest.raises(ExamError, match="exam 9 is damaged"):
        ExamSession.from_record(broken, clock)
    with pytest.raises(ExamError, match="newer tutor"):
        ExamSession.from_record(dict(record, version=99), clock)
    with pytest.raises(ExamError, match="damaged"):
        ExamSession.from_record(dict(record, settings={"minutes": -1, "count": 3}), clock)
    with pytest.raises(ExamError, match="damaged"):
        ExamResult.from_record(dict(record, started="yesterday"))


def test_record_round_trip(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    session = new_exam(deck, clock, None, question_seconds=60, topics=("europe", "asia"))
    session.set_answer("Paris")
    session.toggle_flag()
    session.finish()
    grade_all(session)
    session.dispute(0, 2, "too generous")
    record = session.to_record()
    again = ExamSession.from_record(record, clock)
    assert again.to_record() == record
    assert again.options.topics == ("europe", "asia")
    assert record["result"]["score"] == session.result().score
