"""The exam screens driven with Pilot: a real deck file, a real TinyDB store, a fixed clock."""

from __future__ import annotations

import json
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Checkbox, DataTable, Input

from tests.functional.conftest import text_of, wait_until
from tests.unit.exam.exam_helpers import answers_by_question, capitals, new_exam
from tutor.exam import ExamGrading, ExamOptions, ExamResult, ExamSession, resume_exam
from tutor.grading.base import GradeRequest, GradeResult, GradingError
from tutor.grading.policy import GradingPolicy
from tutor.grading.rules import RulesGrader
from tutor.schedule import FixedClock
from tutor.store import StudyStore
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_dialogs import (
    ConfirmScreen,
    DisputeScreen,
    ExamOptionsScreen,
    ExportScreen,
    JumpScreen,
)
from tutor.tui.screens.exam_result import ExamResultScreen
from tutor.tui.widgets.answer_input import AnswerInput

SIZE = (100, 30)
TICK = 0.05


class ExamHost(App[None]):
    """A bare app that shows one exam and remembers what it closed with."""

    def __init__(self, screen: ExamScreen) -> None:
        super().__init__()
        self.exam_screen = screen
        self.closed_with: object = "still open"

    def on_mount(self) -> None:
        self.push_screen(self.exam_screen, self.exam_closed)

    def exam_closed(self, result: ExamResult | None) -> None:
        self.closed_with = result


def host(session: ExamSession, grading: ExamGrading | None = None, **options: object) -> ExamHost:
    return ExamHost(ExamScreen(session, grading or ExamGrading(), tick_seconds=TICK,
                               **options))  # type: ignore[arg-type]


async def type_answer(pilot: Pilot, text: str) -> None:
    await pilot.press(*[" " if ch == " " else ch for ch in text])



async def test_time_runs_out_unanswered_score_zero_and_the_schedule_is_untouched(
        tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store, minutes=3.0)
        app = host(session)
        async with app.run_test(size=SIZE) as pilot:
            assert "3:00 left" in text_of(app, "#countdown")
            await type_answer(pilot, answers[session.question.question])
            await pilot.press("enter")
            assert session.current == 1
            await type_answer(pilot, "no enter here")
            clock.advance(minutes=1)
            await wait_until(pilot, lambda: "2:00 left" in text_of(app, "#countdown"))
            screen_text = " ".join(text_of(app, s) for s in ("#question-text", "#exam-status"))
            assert answers[session.questions[0].question] not in screen_text  # no references
            clock.advance(minutes=5)
            await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
            assert session.ended_by == "time"
            await wait_until(pilot, lambda: session.grading_complete)
            await pilot.pause()
            result = session.result()
            assert [q.score for q in result.questions][2:] == [0, 0]
            assert result.questions[0].score == 5
            assert result.questions[1].answer == "no enter here"
            assert "Score 5/20 (25%)" in text_of(app, "#result-summary")
            table = app.screen.query_one("#result-questions", DataTable)
            assert table.row_count == 4
            assert str(table.get_row_at(2)[2]) == "0/5"
            assert "(time ran out)" in text_of(app, "#result-summary")
            await pilot.press("q")
            await wait_until(pilot, lambda: app.closed_with != "still open")
        assert isinstance(app.closed_with, ExamResult) and app.closed_with.final
        stored = store.exam(session.exam_id)
        assert stored["status"] == "final" and stored["ended_by"] == "time"
        assert stored["questions"][1]["answer"] == "no enter here"
        assert stored["result"]["score"] == 5
        assert stored["decks"] == [{"key": "capitals", "title": "Capitals"}]
        assert stored["settings"]["seed"] == 7
        assert store.review_count() == 0
        assert store.states() == {}


async def test_a_quit_exam_resumes_with_answers_flags_and_the_time_left(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    folder = tmp_path / "p"
    with StudyStore(folder) as store:
        session = new_exam(deck, clock, store, minutes=10.0)
        app = host(session)
        async with app.run_test(size=SIZE) as pilot:
            await type_answer(pilot, "Madrid")
            await pilot.press("ctrl+n")
            await type_answer(pilot, "half typed")
            await pilot.press("ctrl+f")
            clock.advance(minutes=2)
            await wait_until(pilot, lambda: store.exam("1")["time_used_ms"] == 120_000)
            assert store.exam("1")["questions"][1]["answer"] == "half typed"
            # The app goes away without leaving the exam (a crash or a closed terminal).
            app.exit()
    clock.advance(days=1)
    with StudyStore(folder) as store:
        again = resume_exam(store, clock)
        app = host(again)
        async with app.run_test(size=SIZE) as pilot:
            assert again.current == 1
            assert app.screen.query_one("#answer", AnswerInput).text == "half typed"
            assert "⚑ flagged" in text_of(app, "#question-heading")
            assert "8:00 left" in text_of(app, "#countdown")
            await type_answer(pilot, " now done")
            await pilot.press("ctrl+b")
            assert app.screen.query_one("#answer", AnswerInput).text == "Madrid"
            await pilot.press("ctrl+t")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
            await wait_until(pilot, lambda: again.grading_complete)
            assert again.result().questions[1].answer == "half typed now done"
            assert again.ended_by == "learner"
        assert store.exam("1")["status"] == "ended"  # not accepted yet: --resume shows the result
        assert resume_exam(store, clock).status == "ended"


async def test_a_disputed_grade_counts_and_is_stored(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        app = host(session)
        async with app.run_test(size=SIZE) as pilot:
            await type_answer(pilot, "Barcelona")
            await pilot.press("ctrl+t", "y")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
            await wait_until(pilot, lambda: session.grading_complete)
            await pilot.pause()
            original = session.result().questions[0].score
            assert original is not None and original < 3
            await pilot.press("d")
            assert isinstance(app.screen, DisputeScreen)
            await pilot.press("backspace", "4", "tab")
            await type_answer(pilot, "my city counts")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ExamResultScreen)
            table = app.screen.query_one("#result-questions", DataTable)
            assert str(table.get_row_at(0)[2]) == "4/5*"
            assert f"disputed (was {original})" in str(table.get_row_at(0)[5])
            await pilot.press("down", "d")  # an unanswered question cannot be disputed
            assert isinstance(app.screen, ExamResultScreen)
            await pilot.press("a")
            await pilot.press("up", "d")  # final: no more disputes
            assert isinstance(app.screen, ExamResultScreen)
            await pilot.press("q")
            await wait_until(pilot, lambda: app.closed_with != "still open")
        stored = store.exam(session.exam_id)["questions"][0]
        assert stored["score"] == 4
        assert stored["dispute"] == {"score": 4, "original_score": original,
                                     "reason": "my city counts", "time": clock.now().isoformat()}
        assert stored["grade"]["score"] == original
        assert store.exam(session.exam_id)["result"]["score"] == 4


async def test_escape_leaves_the_exam_saved(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        app = host(session)
        async with app.run_test(size=SIZE) as pilot:
            await type_answer(pilot, "Mad")
            await pilot.press("escape")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert isinstance(app.screen, ExamScreen)
            await type_answer(pilot, "rid")
            await pilot.press("escape", "y")
            await wait_until(pilot, lambda: app.closed_with != "still open")
        assert app.closed_with is None
        assert store.exam("1")["status"] == "in_progress"
        assert store.exam("1")["questions"][0]["answer"] == "Madrid"


async def test_jump_flag_and_export(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        app = host(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+g")
            assert isinstance(app.screen, JumpScreen)
            await pilot.press("down", "down", "down", "enter")
            assert session.current == 3
            await pilot.press("ctrl+f")
            assert session.sheets[3].flagged
            await type_answer(pilot, answers[session.question.question])
            await pilot.press("enter")  # the last question: stays, hands the answer in
            assert session.current == 3
            await wait_until(pilot, lambda: session.sheets[3].graded)
            assert "⚑" in text_of(app, "#exam-nav")
            await pilot.press("ctrl+t", "y")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
            await pilot.press("e")
            assert isinstance(app.screen, ExportScreen)
            out = tmp_path / "exam.json"
            field = app.screen.query_one("#export-path")
            field.value = str(tmp_path / "exam.txt")  # type: ignore[attr-defined]
            await pilot.press("enter")
            assert isinstance(app.screen, ExportScreen)  # wrong ending: asks again
            assert "must end in .md or .json" in text_of(app, "#export-error")
            field.value = str(out)  # type: ignore[attr-defined]
            await pilot.press("enter")
            await wait_until(pilot, out.exists)
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["questions"][3]["flagged"] is True
        assert data["questions"][3]["score"] == 5


class FlakyModel:
    """A model that grades the first answer, then fails (a crash mid-exam)."""

    name = "llm:flaky"

    def __init__(self) -> None:
        self.calls = 0

    def grade(self, request: GradeRequest) -> GradeResult:
        self.calls += 1
        if self.calls > 1:
            raise GradingError("the model failed: out of memory")
        return GradeResult(score=5, feedback="Model: right.", grader=self.name, confidence=0.9)


async def test_a_model_failing_mid_exam_falls_back_to_rules_and_says_so(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    answers = answers_by_question(deck)
    grading = ExamGrading(GradingPolicy(RulesGrader(), [FlakyModel()]))
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        app = host(session, grading)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(2):
                await type_answer(pilot, answers[session.question.question])
                await pilot.press("enter")
            await pilot.press("ctrl+t", "y")
            await wait_until(pilot, lambda: session.grading_complete)
            await pilot.pause()
            first, second = session.result().questions[:2]
            assert first.grader == "llm:flaky" and not first.fallback
            assert second.grader == "rules" and second.fallback and second.score == 5
            table = app.screen.query_one("#result-questions", DataTable)
            assert "rules: model failed" in str(table.get_row_at(1)[5])
            assert "graded by rules because the model failed" in text_of(app, "#result-status")
        assert store.exam(session.exam_id)["questions"][1]["grade"]["fallback"] is True


class FormHost(App[None]):
    """A bare app that shows the exam form and keeps what it returned."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: object = "still open"

    def on_mount(self) -> None:
        self.push_screen(ExamOptionsScreen(("capitals",), "Capitals", ["europe", "asia"]),
                         self.choose)

    def choose(self, options: ExamOptions | None) -> None:
        self.chosen = options


async def test_the_exam_form_returns_typed_options() -> None:
    app = FormHost()
    async with app.run_test(size=SIZE) as pilot:
        form = app.screen
        form.query_one("#exam-minutes", Input).value = "0"
        await pilot.press("enter")
        assert "minutes must be more than 0" in text_of(app, "#options-error")
        form.query_one("#exam-minutes", Input).value = "7.5"
        form.query_one("#exam-count", Input).value = "3"
        form.query_one("#exam-topics", Input).value = "europe, asia"
        form.query_one("#exam-seed", Input).value = "42"
        form.query_one("#exam-question-seconds", Input).value = "90"
        form.query_one("#exam-update", Checkbox).value = True
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.chosen != "still open")
    assert app.chosen == ExamOptions(decks=("capitals",), minutes=7.5, count=3,
                                     topics=("europe", "asia"), seed=42, update_schedule=True,
                                     question_seconds=90)


def visible_lines(table: DataTable) -> list[str]:
    """The table's lines as the screen shows them (what scrolled out of view is not there)."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_the_result_table_marks_flagged_questions_at_80x24(tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        app = host(session)
        async with app.run_test(size=(80, 24)) as pilot:
            await type_answer(pilot, "I am not sure about this one at all")
            await pilot.press("ctrl+n", "ctrl+f")  # flag question 2, with a long answer
            await type_answer(pilot, "I would say it is probably Madrid")
            assert session.sheets[1].flagged
            await pilot.press("ctrl+t", "y")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
            await wait_until(pilot, lambda: session.grading_complete)
            lines = visible_lines(app.screen.query_one("#result-questions", DataTable))
            rows = {line.split()[0]: line for line in lines[1:] if line.strip()}
            assert "⚑" in rows["2"], lines
            assert not any("⚑" in rows[n] for n in rows if n != "2"), lines
            await pilot.press("down")
            assert "You flagged this question for review" in text_of(app, "#detail")
            await pilot.press("down")
            assert "flagged" not in text_of(app, "#detail")


class NamedLikeTheModelFile:
    """The default model's grader name, as an exam with the model records it."""

    name = "llm:qwen2.5-coder-1.5b-instruct-q4_k_m"

    def grade(self, request: GradeRequest) -> GradeResult:
        return GradeResult(score=2, feedback="Partly right.", grader=self.name, confidence=0.9)


async def test_the_dispute_dialog_and_the_detail_name_the_model_shortly_at_80x24(
        tmp_path: Path) -> None:
    deck, clock = capitals(tmp_path), FixedClock()
    grading = ExamGrading(GradingPolicy(RulesGrader(), [NamedLikeTheModelFile()]))
    with StudyStore(tmp_path / "p") as store:
        session = new_exam(deck, clock, store)
        app = host(session, grading)
        async with app.run_test(size=(80, 24)) as pilot:
            await type_answer(pilot, "Barcelona")
            await pilot.press("ctrl+t", "y")
            await wait_until(pilot, lambda: isinstance(app.screen, ExamResultScreen))
            await wait_until(pilot, lambda: session.grading_complete)
            await pilot.pause()
            assert "by qwen2.5-coder-1.5b ·" in " ".join(text_of(app, "#detail").split())
            await pilot.press("d")
            assert isinstance(app.screen, DisputeScreen)
            title = app.screen.query_one(".dialog-title")
            assert "(graded 2/5 by qwen2.5-coder-1.5b)" in text_of(app, ".dialog-title")
            assert title.region.height == 1
