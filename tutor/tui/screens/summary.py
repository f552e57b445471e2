"""The end of a session: what was done, what moved, which topics went worst; drill them now."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Button, Header, Static

from tutor.formatting import format_duration, plural
from tutor.study.session import SessionSummary, StudySession
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.messages import AttemptChanged, BackToDecks, DrillRequested, ReportRequested
from tutor.tui.widgets.grader_status import GraderStatusBar
from tutor.tui.widgets.key_footer import KeyFooter


def summary_content(summary: SessionSummary, refining: int = 0) -> Content:
    """The summary's numbers as lines of text (``refining``: answers the model still checks)."""
    rows: list[str | tuple[str, str]] = []
    if refining:
        rows.append((f"The model is still checking {plural(refining, 'answer')}: these numbers"
                     " update when it is done.\n\n", "$warning"))
    rows += [
        ("Cards reviewed  ", "bold"), f"{summary.reviewed}\n",
        ("Accuracy        ", "bold"),
        (f"{summary.accuracy:.0%}", "$success" if summary.accuracy >= 0.7 else "$warning"),
        f" ({summary.correct} of {summary.reviewed} right)\n",
        ("Time            ", "bold"), f"{format_duration(summary.elapsed)}",
        (f"  (answering {format_duration(summary.answer_time)})", "$text-muted"), "\n",
        ("Boxes           ", "bold"), (f"↑ {summary.moved_up} up", "$success"), "   ",
        (f"↓ {summary.moved_down} down", "$error"), f"   = {summary.stayed} stayed",
    ]
    if summary.overrides:
        rows += ["\n", ("Overrides       ", "bold"), f"{summary.overrides}"]
    if summary.self_rated:
        rows += ["\n", ("Self-rated      ", "bold"), f"{summary.self_rated}",
                 (" (shown the reference, nothing typed)", "$text-muted")]
    rows.append("\n\n")
    if summary.worst:
        rows.append(("Topics that went worst\n", "bold"))
        for topic in summary.worst:
            rows += [("  ✗ ", "$error"), (topic.topic, "bold"),
                     f"  {topic.correct} of {topic.answered} right,"
                     f" mean {topic.mean_score:.1f}/5\n"]
    else:
        rows.append(("Every topic went well: nothing to drill.", "$success"))
    return Content.assemble(*rows)


class SummaryScreen(Screen[None]):
    """Shows `StudySession.summary`; ``d`` drills the worst topics, Enter/q goes back."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        KeyBinding("d", "drill", "Drill worst", help="drill the topics that went worst now",
                   palette="Drill worst topics",
                   palette_help="Study the topics that went worst now"),
        KeyBinding("r", "report", "Report", help="the weak-topic report over every deck",
                   palette="Weak-topic report",
                   palette_help="Where you are weak across all decks"),
        KeyBinding("question_mark", "help", "Help", help="this help"),
        KeyBinding("enter", "back", "Back to decks", help="back to the decks",
                   palette="Back to decks", palette_help="Leave the summary"),
        KeyBinding("q", "back", "Back", show=False),
        KeyBinding("escape", "back", "Back", show=False),
    ]

    def __init__(self, session: StudySession, attempt_changed: Signal[AttemptChanged]) -> None:
        """``attempt_changed``: where late verdicts are published (the numbers follow)."""
        super().__init__()
        self.session = session
        self.summary = session.summary()
        self._attempt_changed = attempt_changed

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary-box"):
            yield Static(Content(f"Session over: {self.session.title}"), id="summary-title")
            yield Static(summary_content(self.summary, self.refining), id="summary")
            with Horizontal(id="summary-buttons"):
                if self.summary.worst:
                    yield Button("Drill worst topics (d)", id="drill", variant="primary")
                yield Button("Report (r)", id="report")
                yield Button("Back to decks (Enter)", id="back")
        yield GraderStatusBar()
        yield KeyFooter()

    @property
    def refining(self) -> int:
        """Answers of the session the model is still checking."""
        return sum(1 for attempt in self.session.attempts if attempt.refining)

    def on_mount(self) -> None:
        """Title the screen; follow late verdicts."""
        self.sub_title = "Summary"
        self._attempt_changed.subscribe(self, self.late_verdict)

    async def late_verdict(self, change: AttemptChanged) -> None:
        """A late verdict arrived: say what changed and redraw the numbers."""
        if change.session is not self.session:
            return
        change.notify_regrade(self)
        self.summary = self.session.summary()
        focused = self.focused.id if self.focused is not None else None
        await self.recompose()
        # The redraw replaced every widget: give the focus back to the new one in its place.
        target = self.query(f"#{focused}") if focused else None
        (target.first() if target else self.query_one("#summary-box")).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Drilling needs a topic that went wrong."""
        if action == "drill":
            return bool(self.summary.worst)
        return True

    def action_drill(self) -> None:
        """Start a session of the worst topics' cards now."""
        drill = self.session.drill_worst()
        if drill is None or drill.finished:
            self.notify("No cards to drill.", timeout=3)
            return
        self.post_message(DrillRequested(drill))

    def action_report(self) -> None:
        """The weak-topic report, over the deck list (this screen closes)."""
        self.post_message(ReportRequested())

    def action_help(self) -> None:
        """Every key of this screen."""
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("Session summary", help_rows(self.BINDINGS)))

    def action_back(self) -> None:
        """Back to the deck list."""
        self.post_message(BackToDecks())

    @on(Button.Pressed, "#drill")
    def _drill_pressed(self) -> None:
        self.action_drill()

    @on(Button.Pressed, "#report")
    def _report_pressed(self) -> None:
        self.action_report()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()
