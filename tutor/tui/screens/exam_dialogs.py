"""The exam's dialogs, each a `ModalScreen` that returns a typed result through `dismiss`.

* `ConfirmScreen` -> bool: hand in / leave the exam.
* `JumpScreen` -> int | None: go to a question (0-based index).
* `DisputeScreen` -> `DisputeChoice` | None: override one grade.
* `ExportScreen` -> Path | None: where to write the result (.md or .json).
* `ExamOptionsScreen` -> `ExamOptions` | None: the exam form of the deck list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tutor.exam.export import export_format
from tutor.exam.model import ExamError, ExamOptions
from tutor.exam.result import QuestionResult
from tutor.exam.session import ExamSession
from tutor.formatting import clip
from tutor.grading.base import MAX_SCORE
from tutor.tui.widgets.grade_view import model_label
from tutor.tui.widgets.key_footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or Enter on "Yes" says yes; n or Escape says no."""

    CSS_PATH = "exam_dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.yes_label = yes
        self.no_label = no
        # The footer names the keys as the buttons do ("y Delete n Keep", not "y Yes n No").
        # The map is this screen's own, its lists are shared with every other: new lists.
        keys = self._bindings.key_to_bindings
        for key, label in (("y", yes), ("n", no)):
            if key in keys:
                keys[key] = [replace(binding, description=label) for binding in keys[key]]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", id="yes", variant="primary")
                yield Button(f"{self.no_label} (n)", id="no")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start on "No": a stray Enter must not end an exam."""
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        """Close with the answer."""
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def question_label(session: ExamSession, index: int) -> Text:
    """One line for the jump list: number, answered/flagged marks, the question's start."""
    question, sheet = session.questions[index], session.sheets[index]
    text = Text()
    text.append(f"{question.number:>3}. ", style="bold" if index == session.current else "")
    text.append("● " if sheet.answered else "○ ", style="green" if sheet.answered else "dim")
    text.append("⚑ " if sheet.flagged else "  ", style="yellow")
    text.append(clip(question.question, 70))
    if sheet.locked:
        text.append("  (time up)", style="dim")
    return text


class JumpScreen(ModalScreen[int | None]):
    """Pick a question to go to: ● answered, ○ not yet, ⚑ flagged for review."""

    CSS_PATH = "exam_dialogs.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="jump-box"):
            yield Static("Go to question  (● answered  ○ not yet  ⚑ flagged)",
                         classes="dialog-title", markup=False)
            yield OptionList(*[Option(question_label(self.session, i), id=str(i))
                               for i in range(self.session.count)], id="jump-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Highlight the question on screen."""
        options = self.query_one("#jump-list", OptionList)
        options.highlighted = self.session.current
        options.focus()

    @on(OptionList.OptionSelected, "#jump-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


@dataclass(frozen=True)
class DisputeChoice:
    """The learner's override of one grade."""

    index: int
    """0-based question index."""
    score: int
    reason: str


class DisputeScreen(ModalScreen[DisputeChoice | None]):
    """Set a question's score (0-5) and say why; Enter saves, Escape cancels."""

    CSS_PATH = "exam_dialogs.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, index: int, item: QuestionResult) -> None:
        super().__init__()
        self.index = index
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        grade = item.grade
        graded = f"{grade.score}/{MAX_SCORE} by {model_label(grade.grader)}" if grade else "not graded"
        now = f"; now {item.score}/{MAX_SCORE} (disputed)" if item.disputed else ""
        with Vertical(classes="dialog", id="dispute-box"):
            yield Static(f"Dispute question {item.number} (graded {graded}{now})",
                         classes="dialog-title", markup=False)
            yield Label(f"Score 0-{MAX_SCORE}:")
            yield Input(str(item.score if item.score is not None else ""), id="dispute-score",
                        restrict=rf"[0-{MAX_SCORE}]?", max_length=1)
            yield Label("Why (optional):")
            yield Input(item.dispute_reason, id="dispute-reason",
                        placeholder="e.g. the reference accepts this wording")
            yield Static("", id="dispute-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (Enter)", id="save", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start in the score box with its digit selected."""
        self.query_one("#dispute-score", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._save()

    def _save(self) -> None:
        value = self.query_one("#dispute-score", Input).value.strip()
        if not value.isdigit() or not 0 <= int(value) <= MAX_SCORE:
            self.query_one("#dispute-error", Static).update(
                f"Type a score from 0 to {MAX_SCORE}.")
            return
        reason = self.query_one("#dispute-reason", Input).value
        self.dismiss(DisputeChoice(self.index, int(value), reason.strip()))


class ExportScreen(ModalScreen[Path | None]):
    """Ask where to export the result; the ending picks the format (.md or .json)."""

    CSS_PATH = "exam_dialogs.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Static("Export the result", classes="dialog-title")
            yield Label("File (.md for Markdown, .json for the full record):")
            yield Input(str(self.default), id="export-path")
            yield Static("", id="export-error", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Focus the file name."""
        self.query_one("#export-path", Input).focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.query_one("#export-error", Static).update("Type a file name.")
            return
        path = Path(value).expanduser()
        try:
            export_format(path)
        except ExamError as exc:
            self.query_one("#export-error", Static).update(exc.message)
            return
        self.dismiss(path)


class ExamOptionsScreen(ModalScreen[ExamOptions | None]):
    """The exam form: minutes, questions, topics, seed, whether to update the schedule."""

    CSS_PATH = "exam_dialogs.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, decks: tuple[str, ...], title: str, topics: list[str],
                 defaults: ExamOptions | None = None) -> None:
        super().__init__()
        self.decks = decks
        self.deck_title = title
        self.topic_names = topics
        self.defaults = defaults or ExamOptions()

    def compose(self) -> ComposeResult:
        d = self.defaults
        with Vertical(classes="dialog", id="options-box"):
            yield Static(f"Exam on {self.deck_title}", classes="dialog-title", markup=False)
            with Horizontal(classes="form-row"):
                yield Label("Minutes")
                yield Input(f"{d.minutes:g}", id="exam-minutes", restrict=r"[0-9.]*", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Questions")
                yield Input(str(d.count), id="exam-count", restrict=r"[0-9]*", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Topics (comma-separated)")
                yield Input(", ".join(d.topics), id="exam-topics", compact=True,
                            placeholder="all: " + ", ".join(self.topic_names[:3]))
            with Horizontal(classes="form-row"):
                yield Label("Seconds per question")
                yield Input("" if d.question_seconds is None else str(d.question_seconds),
                            id="exam-question-seconds", restrict=r"[0-9]*", compact=True,
                            placeholder="no limit")
            with Horizontal(classes="form-row"):
                yield Label("Seed")
                yield Input("" if d.seed is None else str(d.seed), id="exam-seed",
                            restrict=r"-?[0-9]*", compact=True, placeholder="random")
            yield Checkbox("Update the schedule with the result", d.update_schedule,
                           id="exam-update", compact=True)
            yield Static("", id="options-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start (Enter)", id="start", variant="primary")
                yield Button("Cancel (Esc)", id="cancel")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Focus the first field."""
        self.query_one("#exam-minutes", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._start()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self._start()

    def options(self) -> ExamOptions:
        """The options as typed; `ExamError` when a value is not valid."""
        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        try:
            minutes = float(value("exam-minutes"))
        except ValueError:
            raise ExamError("minutes must be a number more than 0") from None
        if not value("exam-count").isdigit():
            raise ExamError("questions must be a whole number more than 0")
        seed_text = value("exam-seed")
        try:
            seed = int(seed_text) if seed_text else None
        except ValueError:
            raise ExamError("the seed must be a whole number") from None
        per_question = value("exam-question-seconds")
        topics = tuple(t.strip() for t in value("exam-topics").split(",") if t.strip())
        options = ExamOptions(decks=self.decks, minutes=minutes, count=int(value("exam-count")),
                              topics=topics, seed=seed,
                              update_schedule=self.query_one("#exam-update", Checkbox).value,
                              question_seconds=int(per_question) if per_question else None)
        options.validate()
        return options

    def _start(self) -> None:
        try:
            options = self.options()
        except ExamError as exc:
            self.query_one("#options-error", Static).update(exc.message.replace("--", ""))
            return
        self.dismiss(options)
