"""The exam result: total, every question with answer, reference and feedback, topics.

Until the learner accepts the result (a, or closing the screen) any grade can be
disputed (d): the new score counts, and the grader's score is kept beside it.
Accepting makes the result final and, for an exam started with
``--update-schedule``, records the answers as reviews. e exports Markdown or JSON.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from tutor.errors import TutorError
from tutor.exam.export import write_export
from tutor.exam.result import ExamResult, QuestionResult
from tutor.exam.session import ExamSession
from tutor.formatting import clip, format_duration, plural
from tutor.grading.base import MAX_SCORE
from tutor.schedule.leitner import LeitnerScheduler
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.screens.exam_dialogs import DisputeChoice, DisputeScreen, ExportScreen
from tutor.tui.screens.help import HelpScreen
from tutor.tui.widgets.grade_view import model_label
from tutor.tui.widgets.key_footer import KeyFooter
from tutor.tui.widgets.row_table import RowTable, plain

ENDINGS = {"time": "time ran out", "learner": "handed in"}


#: Characters of an answer shown in the result table (the rest is in the detail pane).
ANSWER_WIDTH = 28

def score_cell(item: QuestionResult) -> Text:
    """'4/5', '…' while grading, '4/5*' when disputed; red below a pass."""
    if item.score is None:
        return Text("…", style="dim")
    style = "green" if item.correct else "red"
    return Text(f"{item.score}/{MAX_SCORE}{'*' if item.disputed else ''}", style=style)


#: The flag mark, as on the exam's question strip.
FLAG = "⚑"


def number_cell(item: QuestionResult) -> Text:
    """The question's number, with ⚑ when the learner flagged it for review (in the first
    column, so it shows however narrow the table is)."""
    text = Text(str(item.number))
    if item.flagged:
        text.append(f" {FLAG}", style="bold yellow")
    return text


def marks(item: QuestionResult) -> str:
    """Short notes for a row: disputed, rules fallback, unsure, flagged."""
    found = []
    if item.disputed:
        found.append(f"disputed (was {item.original_score})")
    if item.fallback:
        found.append("rules: model failed")
    if item.unsure:
        found.append("unsure")
    if item.flagged:
        found.append("flagged")
    return ", ".join(found)




def detail_text(item: QuestionResult) -> Text:
    """Everything about one question, for the detail pane."""
    q = item.question
    text = Text()
    text.append(f"Question {q.number} · {q.topic or 'general'} · {q.deck}\n", style="bold")
    if item.flagged:
        text.append(f"{FLAG} You flagged this question for review.\n", style="yellow")
    text.append(f"{q.question}\n\n")
    text.append("Your answer\n", style="bold")
    text.append(f"{item.answer if item.answered else '(no answer)'}\n\n")
    text.append("Reference\n", style="bold")
    text.append(f"{q.reference}\n\n")
    if item.score is None:
        text.append("Still being graded…\n", style="dim")
        return text
    text.append("Score ", style="bold")
    text.append(f"{item.score}/{MAX_SCORE}", style="green" if item.correct else "red")
    text.append(f" by {model_label(item.grader)} · time {format_duration(item.time_ms)}\n")
    if item.disputed:
        reason = f": {item.dispute_reason}" if item.dispute_reason else ""
        text.append(f"You disputed the grader's {item.original_score}{reason}\n")
    if item.feedback:
        text.append(f"{item.feedback}\n")
    if item.fallback:
        text.append("The model failed on this answer; the rules grade stands.\n", style="yellow")
    notes = [n for n in (item.grade.notes if item.grade else ()) if n]
    if notes:
        text.append("; ".join(notes) + "\n", style="dim")
    return text


class ExamResultScreen(Screen[ExamResult | None]):
    """Shows an ended exam's result; disputes until accepted; export."""

    CSS_PATH = "exam_result.tcss"
    BINDINGS = [
        KeyBinding("d", "dispute", "Dispute", help="dispute its grade"),
        KeyBinding("a", "accept", "Accept", help="accept the result (final)"),
        KeyBinding("e", "export", "Export", help="export Markdown or JSON"),
        KeyBinding("q", "close", "Close", help="accept and close"),
        KeyBinding("escape", "close", "Close", show=False),
        KeyBinding("f1", "help", "Keys", help="this list of keys"),
    ]
    #: Keys of the questions table, for the help screen.
    TABLE_KEYS = [("Up / Down", "choose a question")]

    def __init__(self, session: ExamSession, *, scheduler: LeitnerScheduler | None = None,
                 export_path: Path | None = None) -> None:
        super().__init__()
        self.session = session
        self.scheduler = scheduler or LeitnerScheduler()
        self.export_path = export_path
        self._ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="result-summary")
        with Horizontal(id="result-main"):
            yield RowTable(id="result-questions")
            with VerticalScroll(id="result-detail"):
                yield Static(id="detail")
        yield DataTable(id="result-topics", cursor_type="none", zebra_stripes=True)
        yield Static(id="result-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the tables."""
        self.sub_title = "Exam result"
        questions = self.query_one("#result-questions", DataTable)
        questions.add_columns("#", "Topic", "Score", "Time", "Your answer", "Notes")
        topics = self.query_one("#result-topics", DataTable)
        topics.add_columns("Topic (worst first)", "Questions", "Score", "%", "Correct")
        self._ready = True
        self.refresh_result()
        questions.focus()

    @property
    def result(self) -> ExamResult:
        """The result as it stands."""
        return self.session.result()

    def refresh_result(self) -> None:
        """Redraw everything (a grade arrived, a dispute, acceptance)."""
        if not self._ready:
            return  # on_mount draws it
        result = self.result
        self._summary(result)
        table = self.query_one("#result-questions", DataTable)
        row = table.cursor_row
        table.clear()
        for item in result.questions:
            table.add_row(number_cell(item), clip(item.question.topic or "general", 18),
                          score_cell(item), format_duration(item.time_ms),
                          clip(item.answer, ANSWER_WIDTH) if item.answered else Text("(none)", style="dim"),
                          marks(item), key=str(item.number - 1))
        if result.questions:
            table.move_cursor(row=max(0, min(row, len(result.questions) - 1)))
        topics = self.query_one("#result-topics", DataTable)
        topics.clear()
        for topic in result.topics:
            topics.add_row(plain(topic.topic), str(topic.questions), f"{topic.score}/{topic.max_score}",
                           f"{topic.percent:.0f}%", str(topic.correct))
        self._show_detail()

    def _summary(self, result: ExamResult) -> None:
        ended = ENDINGS.get(result.ended_by, "ended")
        text = Text()
        text.append(f"Score {result.score}/{result.max_score} ({result.percent:.0f}%)",
                    style="bold")
        text.append(f" · {result.correct} of {len(result.questions)} correct"
                    f" · time {format_duration(result.time_used_ms)}"
                    f" of {format_duration(result.time_limit_ms)} ({ended})")
        self.query_one("#result-summary", Static).update(text)
        pending = sum(1 for q in result.questions if q.score is None)
        if pending:
            status = f"Grading {plural(pending, 'answer')}…"
        elif result.final:
            status = "Final." + (" Your answers were recorded in the schedule."
                                 if result.schedule_updated else " The schedule was not changed.")
        else:
            status = "d disputes a grade; a accepts the result (then it is final)."
        if any(q.fallback for q in result.questions):
            status += " Some answers were graded by rules because the model failed."
        self.query_one("#result-status", Static).update(status)

    def selected_index(self) -> int:
        """0-based index of the question under the cursor."""
        table = self.query_one("#result-questions", DataTable)
        return max(0, min(table.cursor_row, self.session.count - 1))

    @on(DataTable.RowHighlighted, "#result-questions")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.result.questions[self.selected_index()]
        self.query_one("#detail", Static).update(detail_text(item))

    # -- actions -------------------------------------------------------------------------

    def action_dispute(self) -> None:
        """Override the selected question's grade."""
        if self.session.final:
            self.notify("The result is final; grades can no longer be disputed.", title="Dispute")
            return
        index = self.selected_index()
        item = self.result.questions[index]
        if not item.answered:
            self.notify("That question was not answered; there is no grade to dispute.",
                        title="Dispute")
            return
        if item.score is None:
            self.notify("That answer is still being graded.", title="Dispute")
            return
        self.app.push_screen(DisputeScreen(index, item), self._disputed)

    def _disputed(self, choice: DisputeChoice | None) -> None:
        if choice is None:
            return
        try:
            dispute = self.session.dispute(choice.index, choice.score, choice.reason)
        except TutorError as exc:
            self.notify(exc.message, title="Dispute", severity="error")
            return
        self.refresh_result()
        if dispute is None:
            self.notify("The grader's score stands.", title="Dispute", timeout=3)
        else:
            self.notify(f"Question {choice.index + 1} now scores {dispute.score}/{MAX_SCORE}.",
                        title="Dispute", timeout=3)

    def action_accept(self) -> bool:
        """Make the result final (records reviews when the exam updates the schedule)."""
        if self.session.final:
            return True
        if not self.session.grading_complete:
            self.notify("Some answers are still being graded; try again in a moment.",
                        title="Exam")
            return False
        try:
            self.session.finalize(self.scheduler)
        except TutorError as exc:
            self.notify(exc.message, title="Could not finish the exam", severity="error")
            return False
        self.refresh_result()
        return True

    def action_export(self) -> None:
        """Write the result to a file (asks where)."""
        default = self.export_path or Path.cwd() / f"tutor-exam-{self.session.exam_id or 'result'}.md"
        self.app.push_screen(ExportScreen(default), self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            write_export(self.session.to_record(), path)
        except TutorError as exc:
            self.notify(exc.message, title="Export", severity="error")
            return
        self.notify(f"Result written to {path}", title="Export", timeout=5)

    def action_close(self) -> None:
        """Accept the result and close."""
        if self.action_accept():
            self.dismiss(self.result)

    def action_help(self) -> None:
        """List the keys."""
        keys = help_rows(self.BINDINGS, self.TABLE_KEYS)
        self.app.push_screen(HelpScreen("Result keys", keys,
                                        "A disputed score counts instead of the grader's; both"
                                        " are stored. After accepting, disputes are closed."))
