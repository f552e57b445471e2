"""The exam screen: a countdown, one question at a time, free navigation, no grades shown.

The learner types; the answer is kept as typed and saved about once a second
(`ExamSession.tick`). Enter or leaving a question hands its answer in, and a thread
worker grades it in the background, so the result is ready when the exam ends.
Nothing about grades or reference answers is shown until then.

When the time runs out (or the learner hands the exam in) the result screen is
pushed on top of this one; this screen stays underneath so that its grading
workers can finish, then closes with the result when the result screen does.
Escape leaves the exam: everything is saved and the clock stops until
``tutor exam --resume``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Static, TextArea

from tutor.errors import TutorError
from tutor.exam.grading import ExamGrading
from tutor.exam.history import resume_command
from tutor.exam.model import GradeJob, QuestionGrade
from tutor.exam.result import ExamResult
from tutor.exam.session import QUESTION_TIME_UP, TIME_UP, ExamSession
from tutor.formatting import format_duration, plural
from tutor.schedule.leitner import LeitnerScheduler
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.screens.exam_dialogs import ConfirmScreen, JumpScreen
from tutor.tui.screens.exam_result import ExamResultScreen
from tutor.tui.screens.help import HelpScreen
from tutor.tui.widgets.answer_input import AnswerInput
from tutor.tui.widgets.key_footer import KeyFooter

_T = TypeVar("_T")

#: Worker group of the exam's grading workers.
EXAM_GRADE_GROUP = "exam-grade"
#: Below this much time left the countdown turns to a warning colour.
LOW_TIME_MS = 60_000

HELP_TEXT = (
    "Type your answer; it is saved as you type. **Enter** hands the answer in and moves on;"
    " **Ctrl+J** (or Shift+Enter, Alt+Enter) starts a new line. You can come back and change any answer"
    " until the time is up.\n\nGrades and reference answers appear on the result screen."
    " **Escape** leaves the exam: your answers are kept and the clock stops until"
    " `tutor exam --resume`."
)


@dataclass
class GradeReady(Message):
    """A grading worker finished ``job``."""

    job: GradeJob
    grade: QuestionGrade


def nav_text(session: ExamSession) -> Text:
    """The question strip: every number, current one highlighted, answered ●, flagged ⚑."""
    text = Text()
    for index, sheet in enumerate(session.sheets):
        mark = "⚑" if sheet.flagged else ("●" if sheet.answered else "○")
        style = "dim" if sheet.locked else ("green" if sheet.answered else "")
        if sheet.flagged:
            style = "yellow"
        if index == session.current:
            style += " reverse bold"
        text.append(f" {index + 1}{mark} ", style=style.strip())
    return text


class ExamScreen(Screen[ExamResult | None]):
    """Runs one exam, then shows its result (`ExamResultScreen`) and closes with it."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        KeyBinding("ctrl+n", "next_question", "Next", priority=True,
                   help="next / previous question"),
        KeyBinding("ctrl+b", "previous_question", "Back", priority=True,
                   help="next / previous question"),
        KeyBinding("ctrl+g", "jump", "Go to", priority=True, help="go to a question (list)"),
        KeyBinding("ctrl+f", "flag", "Flag", priority=True, help="flag for review"),
        KeyBinding("ctrl+t", "hand_in", "Hand in", priority=True, help="hand the exam in"),
        KeyBinding("escape", "leave", "Leave", help="leave; resume later"),
        KeyBinding("f1", "help", "Keys", help="this list of keys"),
    ]
    #: Keys of the answer box, for the help screen.
    ANSWER_KEYS = [("Enter", "hand in this answer, next question"),
                   ("Ctrl+J / Shift+Enter / Alt+Enter", "new line in the answer")]
    #: How often the clock is checked and typed answers saved, in seconds.
    TICK_SECONDS = 1.0

    remaining_ms: reactive[int] = reactive(0)
    """Exam time left, as shown by the countdown."""

    def __init__(self, session: ExamSession, grading: ExamGrading, *,
                 scheduler: LeitnerScheduler | None = None, export_path: Path | None = None,
                 tick_seconds: float | None = None) -> None:
        super().__init__()
        self.session = session
        self.grading = grading
        self.scheduler = scheduler or LeitnerScheduler()
        self.export_path = export_path
        self.tick_seconds = tick_seconds or self.TICK_SECONDS
        self.result_screen: ExamResultScreen | None = None
        self._shown_index = -1
        self._save_failed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-bar"):
            yield Static(id="exam-progress")
            yield Static(id="question-clock")
            yield Static(id="countdown")
        yield Static(id="exam-nav")
        with VerticalScroll(id="question-box"):
            yield Static(id="question-heading", markup=False)
            yield Static(id="question-text", markup=False)
        yield AnswerInput(id="answer", placeholder="Type your answer; Enter hands it in and moves on")
        yield Static(id="exam-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the current question and start the clock (or the result, for an ended exam)."""
        titles = ", ".join(d.title or d.key for d in self.session.decks)
        self.sub_title = f"Exam: {titles}" if titles else "Exam"
        self.set_interval(self.tick_seconds, self.check_clock)
        self.show_question()
        self.dispatch_grading()
        if self.session.ended_or_final:
            self.call_after_refresh(self.show_result)
        elif self.session.time_used_ms == 0:
            for warning in self.session.warnings:
                self.notify(warning, title="Exam", severity="warning", timeout=8)

    def on_unmount(self) -> None:
        """Save what is unsaved (quitting the app mid-exam keeps every answer)."""
        if self.session.unsaved:
            self._save(self.session.save)

    # -- drawing -------------------------------------------------------------------------

    def show_question(self) -> None:
        """Put the current question and its answer on screen."""
        session = self.session
        question, sheet = session.question, session.sheet
        heading = f"Question {question.number} of {session.count} · {question.topic or 'general'}"
        if sheet.flagged:
            heading += " · ⚑ flagged"
        if sheet.locked:
            heading += " · time for this question is up"
        self.query_one("#question-heading", Static).update(heading)
        self.query_one("#question-text", Static).update(question.question)
        self.query_one("#question-box", VerticalScroll).scroll_home(animate=False)
        answer = self.query_one("#answer", AnswerInput)
        self._shown_index = session.current
        answer.load_text(sheet.answer)
        answer.read_only = not session.editable()
        answer.move_cursor(answer.document.end)
        answer.focus()
        self.update_bar()

    def update_bar(self) -> None:
        """Progress, the question strip, the clocks and the status line."""
        session = self.session
        self.query_one("#exam-progress", Static).update(
            f"Answered {session.answered}/{session.count} · flagged {len(session.flagged)}")
        self.query_one("#exam-nav", Static).update(nav_text(session))
        self.update_clock()
        pending = session.grading_pending
        status = "Answers are saved as you type."
        if pending:
            status += f" Grading {plural(pending, 'answer')} in the background."
        self.query_one("#exam-status", Static).update(status)

    def update_clock(self) -> None:
        """Redraw the countdown(s)."""
        self.remaining_ms = self.session.remaining_ms()
        left = self.session.question_remaining_ms()
        clock = self.query_one("#question-clock", Static)
        clock.display = left is not None
        if left is not None:
            clock.update(f"this question {format_duration(left)}")

    def watch_remaining_ms(self, remaining: int) -> None:
        """The countdown follows ``remaining_ms``."""
        countdown = self.query_one("#countdown", Static)
        countdown.update(f"⏱ {format_duration(remaining)} left")
        countdown.set_class(remaining < LOW_TIME_MS, "-low")

    # -- the clock -----------------------------------------------------------------------

    def check_clock(self) -> None:
        """Called every tick: move the clock on, save, end the exam when the time is up."""
        if not self.session.running:
            return
        event = self._save(self.session.tick)
        if event == TIME_UP:
            self.notify("Time is up: the exam has ended.", title="Exam", timeout=6)
            self.end_exam()
        elif event == QUESTION_TIME_UP:
            self.notify("Time for that question is up; here is the next one.", title="Exam")
            self.show_question()
            self.dispatch_grading()
        else:
            self.update_clock()

    def _save(self, action: Callable[..., _T], *args: object) -> _T | None:
        """Run a session call that saves; a store failure is reported once, nothing is lost."""
        try:
            value = action(*args)
        except TutorError as exc:
            if not self._save_failed:
                self.notify(f"{exc.message}. Your answers are kept and saving is retried.",
                            title="Could not save", severity="error", timeout=10)
            self._save_failed = True
            return None
        self._save_failed = False
        return value

    # -- typing and moving ---------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _typed(self, event: TextArea.Changed) -> None:
        if self._shown_index == self.session.current and self.session.running:
            if self.session.set_answer(event.text_area.text):
                self.query_one("#exam-nav", Static).update(nav_text(self.session))
                self.query_one("#exam-progress", Static).update(
                    f"Answered {self.session.answered}/{self.session.count}"
                    f" · flagged {len(self.session.flagged)}")

    def _keep_typed(self) -> None:
        """Take the answer box's text now (a key may beat its Changed message)."""
        if self._shown_index == self.session.current and self.session.running:
            self.session.set_answer(self.query_one("#answer", AnswerInput).text)

    @on(AnswerInput.Submitted, "#answer")
    def _submitted(self, event: AnswerInput.Submitted) -> None:
        event.stop()
        if not self.session.running:
            return
        self._keep_typed()
        self.session.commit()
        if self.session.current + 1 < self.session.count:
            self._move(self.session.current + 1)
        else:
            self._save(self.session.save)
            self.dispatch_grading()
            self.update_bar()
            self.notify("That was the last question: Ctrl+G to review, Ctrl+T to hand in.",
                        title="Exam")

    def _move(self, index: int) -> None:
        self._keep_typed()
        self._save(self.session.go_to, index)
        self.dispatch_grading()
        self.show_question()

    def action_next_question(self) -> None:
        """Go to the next question."""
        if self.session.running and self.session.current + 1 < self.session.count:
            self._move(self.session.current + 1)

    def action_previous_question(self) -> None:
        """Go to the previous question."""
        if self.session.running and self.session.current > 0:
            self._move(self.session.current - 1)

    def action_jump(self) -> None:
        """Pick a question from the list."""
        if self.session.running:
            self._keep_typed()
            self.app.push_screen(JumpScreen(self.session), self._jump_chosen)

    def _jump_chosen(self, index: int | None) -> None:
        if index is not None and self.session.running:
            self._move(index)
        elif self.session.running:
            self.query_one("#answer", AnswerInput).focus()

    def action_flag(self) -> None:
        """Flag the question for review, or unflag it."""
        if self.session.running:
            self._keep_typed()
            flagged = self._save(self.session.toggle_flag)
            self.show_question()
            self.notify("Flagged for review." if flagged else "Flag removed.", timeout=2)

    def action_help(self) -> None:
        """List the keys."""
        keys = help_rows(self.BINDINGS, self.ANSWER_KEYS)
        self.app.push_screen(HelpScreen("Exam keys", keys, HELP_TEXT))

    def action_hand_in(self) -> None:
        """Ask, then end the exam now."""
        if not self.session.running:
            return
        self._keep_typed()
        session = self.session
        missing, flagged = len(session.unanswered), len(session.flagged)
        parts = []
        if missing:
            scores = "it scores" if missing == 1 else "they score"
            parts.append(f"{plural(missing, 'question')} unanswered ({scores} 0)")
        if flagged:
            parts.append(f"{flagged} flagged for review")
        detail = "; ".join(parts) if parts else "every question has an answer"
        left = format_duration(session.remaining_ms())
        self.app.push_screen(
            ConfirmScreen("Hand the exam in?", f"{detail.capitalize()}. {left} left.",
                          yes="Hand in", no="Keep going"), self._hand_in_confirmed)

    def _hand_in_confirmed(self, yes: bool | None) -> None:
        if yes and self.session.running:
            self._save(self.session.finish, "learner")
            self.end_exam()
        else:
            self.query_one("#answer", AnswerInput).focus()

    def action_leave(self) -> None:
        """Ask, then leave the exam (saved; the clock stops)."""
        if not self.session.running:
            return
        self._keep_typed()
        self.app.push_screen(ConfirmScreen(
            "Leave the exam?",
            "Your answers are saved and the clock stops. Continue later with"
            f" '{resume_command(self.session.exam_id)}'.",
            yes="Leave", no="Stay"), self._leave_confirmed)

    def _leave_confirmed(self, yes: bool | None) -> None:
        if yes and self.session.running:
            self._save(self.session.save)
            self.dismiss(None)
        else:
            self.query_one("#answer", AnswerInput).focus()

    # -- grading -------------------------------------------------------------------------

    def dispatch_grading(self) -> None:
        """Start a worker for every answer handed in and not yet graded."""
        for job in self.session.take_jobs():
            self._grade(job)

    @work(thread=True, exit_on_error=False, group=EXAM_GRADE_GROUP,
          description="grade an exam answer")
    def _grade(self, job: GradeJob) -> None:
        """Grade in a thread: `ExamGrading.grade` never raises (a failure is a rules grade
        marked as a fallback, logged with its traceback)."""
        self.post_message(GradeReady(job, self.grading.grade(job.request)))

    def on_grade_ready(self, message: GradeReady) -> None:
        """Keep the grade (UI thread: the store is written here)."""
        self._save(self.session.apply_grade, message.job, message.grade)
        self._grades_changed()

    def _grades_changed(self) -> None:
        if self.result_screen is not None and self.result_screen.is_attached:
            self.result_screen.refresh_result()
        elif self.session.running:
            self.update_bar()

    # -- the end -------------------------------------------------------------------------

    def end_exam(self) -> None:
        """The exam is over: grade what is left and show the result."""
        self._close_dialogs()
        self.dispatch_grading()
        answer = self.query_one("#answer", AnswerInput)
        answer.read_only = True
        self.update_bar()
        self.show_result()

    def _close_dialogs(self) -> None:
        """Close dialogs opened over this screen (time may run out while one is open)."""
        while self.app.screen is not self and isinstance(self.app.screen, ModalScreen) \
                and self in self.app.screen_stack:
            self.app.pop_screen()

    def show_result(self) -> None:
        """Push the result screen (once)."""
        if self.result_screen is not None:
            return
        self.result_screen = ExamResultScreen(self.session, scheduler=self.scheduler,
                                              export_path=self.export_path)
        self.app.push_screen(self.result_screen, self._result_closed)

    def _result_closed(self, result: ExamResult | None) -> None:
        # Runs inside the result screen's dismiss, before it is popped: close after it.
        self.call_after_refresh(self._close, result)

    def _close(self, result: ExamResult | None) -> None:
        self.dismiss(result)

