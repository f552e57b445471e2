"""The study screen: a question, the answer box, then the graded answer; keyboard first.

Phases: ``asking`` (typing an answer), ``revealed`` (Space on an empty answer showed the
reference: the learner rates themselves 0-5 or y / n) and ``graded`` (the verdict is shown).
The rules verdict appears at once; when a model refines it, the app's worker reports
back and the view is redrawn, even after the learner moved on to the next card. A card the
learner rates is never shown to a grader.

The line above the question is the session's progress: a bar and "6 of 20" for the planned
cards done (fixed when the session starts), and the repeats of failed cards still to come
apart ("2 again"), so the total never grows under the learner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Header, Markdown, ProgressBar, Static, TextArea

from tutor.errors import TutorError
from tutor.study.session import (
    SELF_RIGHT_SCORE,
    SELF_WRONG_SCORE,
    Attempt,
    DeckNotSaved,
    StudySession,
)
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.messages import AttemptChanged, SessionFinished
from tutor.tui.widgets.answer_input import AnswerInput
from tutor.tui.widgets.card_timer import CardTimer
from tutor.tui.widgets.grade_view import GradeView
from tutor.tui.widgets.grader_status import GraderStatusBar
from tutor.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from tutor.decks.model import Card
    from tutor.tui.screens.edit_card import CardEdit
    from tutor.tui.screens.override import OverrideChoice

HELP_TEXT = (
    "While you type, **Enter** submits and **Ctrl+J** (or Shift+Enter, Alt+Enter) starts a new line;"
    " **Escape** leaves the answer box so the one-letter keys work.\n\n"
    "A card not worth typing (a long list): **Space** in the empty answer box shows the"
    " reference, then rate yourself **0**-**5**, or **y** / **n**. No grader sees it; **u**"
    " takes the rating back.\n\n"
    "Every answer is saved the moment it is graded: quitting never loses progress. When a"
    " model grades, its verdict replaces the instant rules verdict when it is ready, even if"
    " you already moved on."
)

StudyPhase = Literal["asking", "revealed", "graded"]
"""The study screen's phase: typing an answer, the reference shown to rate oneself, or the
verdict shown."""

#: The footer shows the rating keys as one group: "012345 Rate".
RATE_KEYS = Binding.Group("Rate", compact=True)

#: Rows for the question and for the answer box (borders included) once graded.
GRADED_QUESTION_ROWS = 6
GRADED_ANSWER_ROWS = 5


def question_markdown(front: str) -> str:
    """A card's front as Markdown, keeping its line breaks."""
    return front.replace("\n", "  \n")


class StudyHost(Protocol):
    """What the study screen needs from whoever runs the model's work behind the UI
    (the app: its workers outlive the screen)."""

    attempt_changed: Signal[AttemptChanged]
    """Published when the grade in force for an answer changes (a late verdict)."""

    def start_background_work(self) -> None:
        """Start the grader's work behind the UI (once): called when the first question
        is drawn."""

    def prepare_card(self, question: str, reference: str, answer: str | None = None) -> None:
        """Let the model read the card on screen, and the answer as it is typed."""

    def refine_grade(self, session: StudySession, attempt: Attempt) -> None:
        """Ask the model for its verdict on ``attempt`` in a worker."""

    def can_explain(self) -> bool:
        """True while a model grades (it can say why, "w")."""

    def explain_attempt(self, session: StudySession, attempt: Attempt) -> None:
        """Ask the model why it graded ``attempt`` so, in a worker ("w")."""


class StudyScreen(Screen[None]):
    """Ask the session's cards one by one."""

    CSS_PATH = "study.tcss"
    BINDINGS = [
        KeyBinding("enter", "next", "Next", help="submit the answer / next card",
                   palette="Next card", palette_help="Go on to the next card"),
        KeyBinding("escape", "leave_answer", "More keys",
                   help="leave the answer box (then the letter keys work)"),
        KeyBinding("i", "answer", "Answer", help="back into the answer box"),
        KeyBinding("space", "reveal", "Show answer",
                   help="with nothing typed: show the reference and rate yourself",
                   palette="Show answer", palette_help="See the reference and rate yourself"),
        *[KeyBinding(str(score), f"rate({score})", "Rate", group=RATE_KEYS,
                     help="rate yourself once the reference is shown: 0 blank … 5 all of it")
          for score in range(6)],
        KeyBinding("y", "choose(True)", "Right", tooltip="I was right",
                   help="an unsure grade, or a card you rate: I was right / I was wrong"),
        KeyBinding("n", "choose(False)", "Wrong", tooltip="I was wrong",
                   help="an unsure grade, or a card you rate: I was right / I was wrong"),
        KeyBinding("o", "override", "Override",
                   help="override the grade (I was right / I was wrong)",
                   palette="Override grade", palette_help="I was right / I was wrong"),
        KeyBinding("w", "why", "Why?", tooltip="Ask the model why",
                   help="why? the model says in a sentence or two what the answer misses",
                   palette="Why?", palette_help="The model says what the answer misses"),
        KeyBinding("e", "edit", "Edit", help="edit the card",
                   palette="Edit card", palette_help="Change this card's text"),
        KeyBinding("s", "skip", "Skip", help="skip the card (it comes back at the end)",
                   palette="Skip card", palette_help="Ask this card again at the end"),
        KeyBinding("u", "undo", "Undo", help="undo the last grade",
                   palette="Undo last grade", palette_help="Take back the last grade"),
        KeyBinding("question_mark", "help", "Help", help="this help",
                   palette="Study help", palette_help="Every key of the study screen"),
        KeyBinding("f1", "help", "Help", show=False),
        KeyBinding("q", "quit_session", "Quit", help="end the session (progress is already saved)",
                   palette="End session", palette_help="Show the summary (progress is saved)"),
    ]
    #: Keys of the answer box, for the help screen.
    ANSWER_KEYS = [("Ctrl+J, Shift+Enter, Alt+Enter", "new line in the answer")]
    ANSWER_PLACEHOLDER = "Type your answer; Enter submits (Space first: show it, rate yourself)"

    phase: reactive[StudyPhase] = reactive("asking")
    """'asking' while the learner types, 'graded' while the verdict is shown."""

    def __init__(self, session: StudySession, host: StudyHost) -> None:
        super().__init__()
        self.session = session
        self.host = host
        self.shown: Attempt | None = None
        """The attempt on screen in the graded phase."""
        self._from_palette = False
        self._blank = True
        """The answer box was blank at the last look (Space then shows the answer)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="info"):
            yield ProgressBar(total=self.session.planned, show_percentage=False,
                              show_eta=False, id="bar")
            yield Static(id="progress")
            yield CardTimer(self.session.clock, id="timer")
        with VerticalScroll(id="question-box", can_focus=True):
            yield Markdown(id="question")
        yield AnswerInput(id="answer", placeholder=self.ANSWER_PLACEHOLDER, keep_focus=True,
                          space_on_blank=True)
        yield GradeView(id="grade")
        yield GraderStatusBar()
        yield KeyFooter()

    @property
    def grader_label(self) -> str:
        """The name of what grades this session."""
        return self.session.grading.label

    def on_mount(self) -> None:
        """Show the first card; the app's work behind the UI starts once it is drawn."""
        self.sub_title = self.session.title
        self.host.attempt_changed.subscribe(self, self.late_verdict)
        self.run_worker(self._when_drawn(self.show_question()), group="first-question")

    async def _when_drawn(self, question: AwaitComplete | None) -> None:
        if question is not None:
            await question  # the Markdown is parsed and mounted
        self.call_after_refresh(self.host.start_background_work)

    # -- drawing -------------------------------------------------------------------------

    def on_screen_resume(self) -> None:
        """Back from a screen over this one (the first-start welcome, help, the palette): time
        spent there with nothing typed is not time spent answering."""
        if self.phase == "asking" and not self.query_one("#answer", AnswerInput).text.strip():
            self.query_one("#timer", CardTimer).restart()

    def show_question(self, prefill: str = "") -> AwaitComplete | None:
        """Ask the session's current card (or end the session).

        Returns the question's Markdown update (awaitable until it is mounted).
        """
        item = self.session.current
        if item is None:
            self.finish()
            return None
        self.shown = None
        self.session.on_screen = item
        self.phase = "asking"
        self.query_one("#grade", GradeView).clear()
        update = self.query_one("#question", Markdown).update(question_markdown(item.card.front))
        self.query_one("#question-box", VerticalScroll).scroll_home(animate=False)
        answer = self.query_one("#answer", AnswerInput)
        answer.read_only = False
        answer.placeholder = self.ANSWER_PLACEHOLDER
        answer.text = prefill
        self._blank = not prefill.strip()
        answer.move_cursor(answer.document.end)
        answer.focus()
        self.query_one("#timer", CardTimer).restart()
        self.host.prepare_card(item.card.front, item.card.back)
        self.update_progress()
        return update

    def show_grade(self, attempt: Attempt) -> None:
        """Show ``attempt``'s verdict (and redraw it when it changes)."""
        self.shown = attempt
        self.phase = "graded"
        self.query_one("#grade", GradeView).show(attempt, self.grader_label)
        self.update_progress()
        self.call_after_refresh(self.refresh_bindings)

    def update_progress(self) -> None:
        """The progress line: a bar and "done of planned", repeats to come, box and topic."""
        progress = self.session.progress()
        self.query_one("#bar", ProgressBar).update(total=max(progress.planned, 1),
                                                   progress=progress.done)
        if self.phase == "graded" and self.shown is not None:
            card, deck = self.shown.card, self.shown.item.deck
            box = f"box {self.shown.box_after}"
        else:
            item = self.session.current
            if item is None:
                return
            card, deck = item.card, item.deck
            box = f"box {self.session.state(card.id, deck).box}"
            if item.kind == "new":
                box += " (new)"
            elif item.kind == "relearn":
                box += " (again)"
        parts = [f"{progress.done} of {progress.planned} done"]
        if progress.repeats_left:
            parts.append(f"{progress.repeats_left} again")
        parts += [box, card.topic]
        text = " · ".join(parts)
        self.query_one("#progress", Static).update(Content(text))  # a topic is not markup

    def watch_phase(self, phase: StudyPhase) -> None:
        """Lay the screen out for the phase; the footer's keys follow once it is drawn.

        The verdict's pane is always there, below the answer box. Once graded, the
        question and the answer shrink to make room for it. Their sizes are set
        directly, not by a class: a class change restyles every widget inside the
        panes, and that alone used to put the verdict a frame late.
        """
        graded = phase != "asking"
        # Empty while asking: a click or Tab there must not take the focus from the answer.
        self.query_one("#grade", GradeView).can_focus = graded
        question = self.query_one("#question-box").styles
        question.max_height = GRADED_QUESTION_ROWS if graded else None
        answer = self.query_one("#answer").styles
        answer.height = "auto" if graded else None
        answer.min_height = 3 if graded else None
        answer.max_height = GRADED_ANSWER_ROWS if graded else None
        self.call_after_refresh(self.refresh_bindings)

    @property
    def typing(self) -> bool:
        """True while the answer box has the focus (letter keys type, they are not commands)."""
        return self.phase == "asking" and self.focused is self.query_one("#answer")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which keys apply now (the footer shows only those)."""
        graded = self.phase == "graded"
        typed = graded and self.shown is not None and not self.shown.self_rated
        if action == "leave_answer":
            return self.typing
        if action == "reveal":  # Space in the empty answer box: typing has not begun
            return self.phase == "asking" and self._blank
        if self.typing and action != "help" and not self._from_palette:
            return False
        if action == "next":
            return graded
        if action == "override":
            return typed
        if action == "why":
            return typed and self.host.can_explain()
        if action == "rate":
            return self.phase == "revealed"
        if action == "choose":
            return self.phase == "revealed" or (
                graded and self.shown is not None and self.shown.asks_learner)
        if action in ("answer", "skip"):
            return self.phase == "asking"
        if action == "undo":
            return self.session.last_attempt is not None
        return True

    # -- answering -----------------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _typed(self, event: TextArea.Changed) -> None:
        """Let the model read the answer as it is typed (a worker; skipped while it is busy)."""
        item = self.session.on_screen
        if self.phase != "asking":
            return
        blank = not event.text_area.text.strip()
        if blank != self._blank:
            self._blank = blank
            self.refresh_bindings()  # Space shows the answer only while nothing is typed
        if item is not None:
            self.host.prepare_card(item.card.front, item.card.back, event.text_area.text)

    @on(AnswerInput.SpaceOnBlank, "#answer")
    def _space_on_blank(self, event: AnswerInput.SpaceOnBlank) -> None:
        self.action_reveal()

    def action_reveal(self) -> None:
        """Show the reference of the card asked, with nothing typed: the learner rates
        themselves next (no grader sees the card)."""
        item = self.session.current
        if self.phase != "asking" or item is None or not self._blank:
            return
        if item is not self.session.on_screen:
            self.show_question()  # the queue changed under the question: ask what it holds
            return
        self.query_one("#timer", CardTimer).stop()
        answer = self.query_one("#answer", AnswerInput)
        answer.read_only = True
        answer.placeholder = "Nothing typed: rate yourself below"
        self.phase = "revealed"
        grade = self.query_one("#grade", GradeView)
        grade.reveal(item.card)
        self.call_after_refresh(self._focus_reference, item)

    def _focus_reference(self, item: object) -> None:
        """Give the reference the focus (arrow keys scroll a long one) if still shown."""
        if self.phase == "revealed" and self.session.on_screen is item and self.is_current:
            self.query_one("#grade", GradeView).focus()

    def action_rate(self, score: int) -> None:
        """Record the learner's own rating of the revealed card and show it."""
        if self.phase != "revealed":
            return
        if self.session.current is not self.session.on_screen:
            # A late verdict changed the queue under the reference: ask the card it holds.
            self.notify("The cards changed: here is the next one.", timeout=4)
            self.show_question()
            return
        elapsed = self.query_one("#timer", CardTimer).elapsed
        try:
            attempt = self.session.self_rate(score, int(elapsed.total_seconds() * 1000))
        except TutorError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        self.query_one("#answer", AnswerInput).placeholder = "Nothing typed: you rated yourself"
        self.show_grade(attempt)

    @on(AnswerInput.Submitted, "#answer")
    def _submitted(self, event: AnswerInput.Submitted) -> None:
        if self.phase != "asking" or self.session.current is None:
            return
        if self.session.current is not self.session.on_screen:
            # The queue changed under the question (a late verdict): ask the card it holds.
            self.notify("The cards changed while you typed: here is the next one.", timeout=4)
            self.show_question(prefill=event.value)
            return
        if not event.value.strip():
            self.notify("Type an answer first (or \"I don't know\").", timeout=3)
            return
        elapsed = self.query_one("#timer", CardTimer).stop()
        try:
            attempt = self.session.submit(event.value, int(elapsed.total_seconds() * 1000))
        except TutorError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        answer = self.query_one("#answer", AnswerInput)
        answer.read_only = True
        answer.move_cursor((0, 0))  # the shrunk box shows the answer's start
        self.show_grade(attempt)
        # Focus follows once the verdict is drawn: moving it restyles both panes.
        self.call_after_refresh(self._focus_verdict, attempt)
        if attempt.refining:
            # Start the model once the rules verdict is on screen.
            self.call_after_refresh(self.host.refine_grade, self.session, attempt)

    def _focus_verdict(self, attempt: Attempt) -> None:
        """Give the verdict the focus (arrow keys scroll it) if it is still on screen."""
        if self.shown is attempt and self.phase == "graded" and self.is_current:
            self.query_one("#grade", GradeView).focus()

    def late_verdict(self, change: AttemptChanged) -> None:
        """A late verdict arrived: redraw it if shown, else say what changed."""
        if change.session is not self.session:
            return
        attempt = change.attempt
        if self.phase == "asking" and self.session.current is not self.session.on_screen:
            # The late verdict changed the queue under the question: ask what it holds now.
            self.show_question(prefill=self.query_one("#answer", AnswerInput).text)
        if attempt is self.shown:
            self.show_grade(attempt)
        else:
            change.notify_regrade(self)
        self.update_progress()

    def action_next(self) -> None:
        """Go on to the next card (the model may still be refining the last grade)."""
        if self.phase == "graded":
            self.show_question()

    def action_answer(self) -> None:
        """Back into the answer box."""
        self.query_one("#answer", AnswerInput).focus()

    def action_leave_answer(self) -> None:
        """Leave the answer box so the one-letter keys work."""
        self.query_one("#question-box").focus()

    def action_choose(self, correct: bool) -> None:
        """Answer the "were you right?" question of an unsure grade with one key, or rate a
        revealed card right / wrong."""
        if self.phase == "revealed":
            self.action_rate(SELF_RIGHT_SCORE if correct else SELF_WRONG_SCORE)
            return
        self._override(correct)

    def action_override(self) -> None:
        """Ask "I was right" / "I was wrong" in a dialog."""
        from tutor.tui.screens.override import OverrideScreen

        attempt = self.shown
        if attempt is None:
            return

        def chosen(choice: OverrideChoice | None) -> None:
            if choice is not None:
                self._override(choice.correct)

        self.app.push_screen(OverrideScreen(attempt), chosen)

    def action_why(self) -> None:
        """Ask the model for a sentence or two on what the answer misses (in a worker)."""
        attempt = self.shown
        if attempt is None:
            return
        if attempt.refining:
            self.notify("The model is still checking this answer: ask why once its verdict is in.",
                        timeout=4)
            return
        self.host.explain_attempt(self.session, attempt)
        self.show_grade(attempt)

    def _override(self, correct: bool) -> None:
        attempt = self.shown
        if attempt is None:
            return
        attempt.explanation = ""  # it explained the verdict the learner just replaced
        try:
            self.session.override(correct, attempt)
        except DeckNotSaved as exc:  # the grade changed all the same: show it
            self.notify(exc.message, title=exc.title, severity="warning", timeout=10)
        except TutorError as exc:
            self.notify(exc.message, title="Override", severity="warning")
            return
        self.show_grade(attempt)
        self.note_deck_copy()

    def note_deck_copy(self) -> None:
        """Say once that a change to a bundled deck went to the learner's own copy."""
        from tutor.tui.screens.edit_card import tell_deck_copy

        tell_deck_copy(self, self.session.decks)

    def action_skip(self) -> None:
        """Put the current card at the end of the queue."""
        if self.phase == "asking":
            self.session.skip()
            self.show_question()

    def action_undo(self) -> None:
        """Take back the last grade and ask that card again."""
        try:
            attempt = self.session.undo()
        except DeckNotSaved as exc:  # the grade is taken back all the same
            self.notify(exc.message, title=exc.title, severity="warning", timeout=10)
            attempt = exc.attempt
        except TutorError as exc:
            self.notify(exc.message, title="Undo", severity="warning")
            return
        else:
            if attempt is None:
                self.notify("Nothing to undo in this session.", severity="information")
                return
            self.notify(f"Grade taken back: {attempt.card.front.splitlines()[0][:60]}",
                        timeout=3)
        self.note_deck_copy()
        self.show_question(prefill=attempt.answer)

    def action_edit(self) -> None:
        """Edit the card on screen (its id, and so its history, is kept)."""
        card = self.shown.card if self.shown is not None else None
        if card is None and self.session.current is not None:
            card = self.session.current.card
        if card is not None:
            self._edit(card, card)

    def _edit(self, card: Card, shown: Card) -> None:
        """The editor over ``shown`` (``card``'s text, or what was typed when it could not
        be saved: the form opens again on it, so nothing typed is lost)."""
        from tutor.tui.screens.edit_card import EditCardScreen

        def edited(edit: CardEdit | None) -> None:
            if edit is None:
                return
            try:
                self.session.edit_card(card, front=edit.front, back=edit.back, topic=edit.topic,
                                       alternatives=edit.alternatives)
            except TutorError as exc:
                self.notify(exc.message, title=exc.title, severity="error")
                self._edit(card, edit.as_card(card))
                return
            self.notify("Card saved.", timeout=3)
            self.note_deck_copy()
            if self.shown is not None:
                self.query_one("#grade", GradeView).show(self.shown, self.grader_label)
            elif self.phase == "revealed":
                self.query_one("#grade", GradeView).reveal(card)
            self.query_one("#question", Markdown).update(
                question_markdown((self.shown.card if self.shown else card).front))
            self.update_progress()

        self.app.push_screen(EditCardScreen(shown), edited)

    def action_help(self) -> None:
        """Every key of this screen."""
        from tutor.tui.screens.help import HelpScreen

        keys = help_rows(self.BINDINGS, self.ANSWER_KEYS, after="next")
        self.app.push_screen(HelpScreen("Studying", keys, HELP_TEXT))

    def action_quit_session(self) -> None:
        """End the session: the summary if anything was answered, else back to the decks."""
        self.finish()

    def finish(self) -> None:
        """End the session: the app shows its summary (or goes back when nothing was
        answered)."""
        self.post_message(SessionFinished(self.session))

    async def run_palette_action(self, action: str) -> None:
        """Run a command chosen in the palette: as its key would, even while typing."""
        self._from_palette = True
        try:
            await self.run_action(action)
        finally:
            self._from_palette = False

    def palette_check(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which commands the palette offers now: those that apply, as they do when the
        palette runs one (even while the answer box has the focus)."""
        self._from_palette = True
        try:
            return self.check_action(action, parameters)
        finally:
            self._from_palette = False
