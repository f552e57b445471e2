"""The weak-topic report: weakest topics with the reason, accuracy over time, the boxes.

`ReportScreen` shows a `StudyReport` (given, or built by a callable in a worker
thread). Enter on a topic opens `TopicCardsScreen`: its cards and each card's
review history. ``d`` asks for a drill of the weakest topics (or, on the topic
screen, of that topic): the screen dismisses with a `DrillRequest` that the app
turns into a study session; Escape dismisses with None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from tutor.formatting import clip
from tutor.report import CardReport, DrillRequest, StudyReport, TopicReport
from tutor.report.drill import DRILL_TOPICS, drill_topics, weakest_drill
from tutor.report.render import (
    interval_text,
    percent,
    recent_text,
    seconds_text,
    studied,
    trend_text,
)
from tutor.report.stats import Accuracy
from tutor.study.session import SELF_GRADER
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.widgets.key_footer import KeyFooter
from tutor.tui.widgets.row_table import RowTable

_BLOCKS = " ▁▂▃▄▅▆▇█"

ReportBuilder = Callable[[], StudyReport]
"""Builds the report (called in a worker thread), e.g. a `report_from_store` closure."""


def accuracy_style(rate: float) -> str:
    """Green from 80%, amber from 60%, red below."""
    return "$success" if rate >= 0.8 else "$warning" if rate >= 0.6 else "$error"


class AccuracyChart(Widget):
    """A bar chart of accuracy per period; periods without answers show a dot."""

    def __init__(self, points: Sequence[Accuracy] = (), labels: tuple[str, str] = ("", ""),
                 *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points = list(points)
        self.labels = labels

    def show(self, points: Sequence[Accuracy], labels: tuple[str, str]) -> None:
        """Plot ``points`` (oldest first); ``labels`` name the first and last period."""
        self.points = list(points)
        self.labels = labels
        self.refresh()

    def render(self) -> Content:
        """The bars, a 0-100% scale on the left, the period labels underneath."""
        rows = max(1, self.size.height - 1)
        axis = 5
        width = max(1, self.size.width - axis)
        points = self.points[-width:]
        if not points:
            return Content("no answers yet")
        step = max(1, width // len(points))
        parts: list[str | tuple[str, str]] = []
        for row in range(rows - 1, -1, -1):
            label = "100% " if row == rows - 1 else "  0% " if row == 0 else "     "
            parts.append((label, "$text-muted"))
            for point in points:
                rate = point.rate
                if rate is None:
                    cell = "·" if row == 0 else " "
                    parts.append((cell.ljust(step), "$text-muted"))
                    continue
                eighths = max(1, round(rate * rows * 8))
                level = max(0, min(8, eighths - row * 8))
                parts.append((_BLOCKS[level] * step, accuracy_style(rate)))
            parts.append("\n")
        first, last = self.labels
        gap = max(1, step * len(points) - len(first) - len(last))
        parts.append((" " * axis + first + " " * gap + last, "$text-muted"))
        return Content.assemble(*parts)


class BoxChart(Widget):
    """Horizontal bars: new cards and cards per Leitner box."""

    def __init__(self, new: int = 0, boxes: Sequence[int] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.new = new
        self.boxes = list(boxes)

    def show(self, new: int, boxes: Sequence[int]) -> None:
        """Draw ``new`` cards and ``boxes`` (box 1 first)."""
        self.new = new
        self.boxes = list(boxes)
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """One line per box plus one for new cards."""
        return len(self.boxes) + 1

    def render(self) -> Content:
        """'Box 3 ██████ 12' lines; the top two boxes (mastered) in green."""
        counts = [("New", self.new), *((f"Box {i}", n) for i, n in enumerate(self.boxes, 1))]
        biggest = max([n for _label, n in counts] + [1])
        width = max(1, self.size.width - 12)
        parts: list[str | tuple[str, str]] = []
        mastered_from = len(self.boxes) - 1
        for index, (label, count) in enumerate(counts):
            bar = "█" * (round(count / biggest * width) if count else 0)
            style = "$text-muted" if index == 0 else (
                "$success" if index >= mastered_from else "$accent")
            parts += [f"{label:<6}", (bar, style), f" {count}"]
            if index < len(counts) - 1:
                parts.append("\n")
        return Content.assemble(*parts)


@dataclass
class ReportReady(Message):
    """The worker finished building the report."""

    report: StudyReport


def summary_content(report: StudyReport) -> Content:
    """The headline numbers of a report."""
    totals = report.totals
    days = report.rules.recent_days
    parts: list[str | tuple[str, str]] = [(f"{totals.answers}", "bold"), " answers   "]
    rate = totals.recent.rate
    if rate is not None:
        parts += [(f"{percent(rate)}", f"bold {accuracy_style(rate)}"),
                  f" right in {days} days (CI {interval_text(totals)})   "]
    else:
        parts += [f"no answers in the last {days} days   "]
    parts += [(percent(totals.mastery), "bold"), " mastered   ",
              (str(totals.leeches), "bold $error" if totals.leeches else "bold"),
              f" leech{'es' if totals.leeches != 1 else ''}"]
    trend = trend_text(totals)
    if trend != "-":
        parts += ["   trend ", (trend, "bold")]
    return Content.assemble(*parts)


def topic_detail(topic: TopicReport) -> Content:
    """Every number of one topic, for the line under the table."""
    stats = topic.stats
    mean = "-" if stats.mean_score is None else f"{stats.mean_score:.1f}/5"
    parts: list[str | tuple[str, str]] = [
        (topic.topic, "bold"), ": ", topic.reason, "\n",
        f"recent {recent_text(stats)} (95% CI {interval_text(stats)}) · trend {trend_text(stats)}"
        f" · mean {mean} · {stats.lapses} lapses · {stats.leeches} leeches · {stats.cards} cards,"
        f" {percent(stats.mastery)} mastered · {seconds_text(stats.avg_response_s)} per answer",
    ]
    return Content.assemble(*parts)


class ReportScreen(Screen[DrillRequest | None]):
    """The report: weakest topics first; Enter opens a topic, ``d`` drills the weakest."""

    CSS_PATH = "report.tcss"
    BINDINGS = [
        KeyBinding("d", "drill", "Drill weakest", help="drill the weakest topics' cards now"),
        KeyBinding("question_mark", "help", "Help", help="this help"),
        KeyBinding("escape", "close", "Back", help="back"),
        KeyBinding("q", "close", "Back", show=False),
    ]
    #: Keys of the topics table, for the help screen.
    TABLE_KEYS = [
        ("↑ / ↓", "choose a topic (its numbers show under the table)"),
        ("Enter", "the topic's cards and each card's answers"),
    ]
    HELP_TEXT = ("Topics answered in the last 30 days are ranked by the upper end of their 95%"
                 " accuracy interval, lowest first ('few answers': under 5 of them); the rest"
                 " follow unranked. 'd' drills the 3 weakest with a recent wrong answer or a"
                 " leech. See the README's 'Weak-topic reports'.")

    def __init__(self, source: StudyReport | ReportBuilder, *, title: str = "Report") -> None:
        super().__init__()
        self.source = source
        self.title_text = title
        self.report: StudyReport | None = source if isinstance(source, StudyReport) else None
        self.rows: list[TopicReport] = []
        """The topics in the table, in row order."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Building the report…", id="report-summary")
        with Horizontal(id="report-body"):
            with Vertical(id="report-topics"):
                yield Static("Weakest topics (Enter: a topic's cards)", classes="report-heading")
                yield RowTable(id="weak")
                yield Static(id="topic-detail")
            with Vertical(id="report-charts"):
                yield Static("Accuracy per day", classes="report-heading", id="accuracy-title")
                yield AccuracyChart(id="accuracy")
                yield Static("Cards per box", classes="report-heading")
                yield BoxChart(id="boxes")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Show the report, or build it in a worker."""
        self.sub_title = self.title_text
        if self.report is not None:
            self.show_report(self.report)
        else:
            self.build()

    @work(thread=True, exclusive=True, exit_on_error=False, description="build the report")
    def build(self) -> None:
        """Build the report off the UI thread (reading a long history takes a moment)."""
        assert callable(self.source)
        self.post_message(ReportReady(self.source()))

    def on_report_ready(self, message: ReportReady) -> None:
        """The worker's report arrived."""
        self.show_report(message.report)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            text = getattr(error, "message", None) or str(error) or type(error).__name__
            self.query_one("#report-summary", Static).update(
                Content.assemble(("Could not build the report: ", "$error"), text.splitlines()[0]))

    def show_report(self, report: StudyReport) -> None:
        """Fill the screen from ``report``."""
        self.report = report
        summary = self.query_one("#report-summary", Static)
        table = self.query_one("#weak", DataTable)
        table.clear()
        self.rows = [t for t in report.topics if studied(t)]
        if report.empty:
            summary.update(report.empty_message)
        else:
            summary.update(summary_content(report))
        cells = [self._row_cells(topic, report) for topic in self.rows]
        table.clear(columns=True)
        for index, label in enumerate(("#", "Topic", "Recent", "Why")):
            width = max([len(label), *(row[index].cell_length for row in cells)])
            table.add_column(label, width=width)
        for row in cells:
            table.add_row(*row)
        days = [p.accuracy for p in report.daily]
        labels = ((f"{report.daily[0].start:%b %d}", f"{report.daily[-1].start:%b %d}")
                  if report.daily else ("", ""))
        self.query_one("#accuracy-title", Static).update(
            f"Accuracy per day, last {report.rules.recent_days} days")
        self.query_one("#accuracy", AccuracyChart).show(days, labels)
        self.query_one("#boxes", BoxChart).show(report.totals.new, report.totals.boxes)
        table.focus()

    @staticmethod
    def _row_cells(topic: TopicReport, report: StudyReport) -> list[Content]:
        rank = str(topic.rank) if topic.rank is not None else "–"
        name = f"{topic.topic} ({topic.deck})" if report.multi_deck else topic.topic
        rate = topic.stats.recent.rate
        recent = recent_text(topic.stats)
        return [
            Content(rank), Content(name),
            Content(recent) if rate is None else Content.styled(recent, accuracy_style(rate)),
            Content(topic.reason) if topic.rank is not None
            else Content.styled(topic.reason, "$text-muted"),
        ]

    def selected_topic(self) -> TopicReport | None:
        """The topic under the cursor."""
        table = self.query_one("#weak", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Drilling needs a ranked topic; opening one needs a row."""
        if action == "drill":
            return self.report is not None and bool(self.report.weakest)
        return True

    def action_open_topic(self) -> None:
        """Drill down: the selected topic's cards and their history."""
        topic = self.selected_topic()
        if topic is not None and self.report is not None:
            self.app.push_screen(TopicCardsScreen(self.report, topic), self._topic_closed)

    @on(DataTable.RowHighlighted, "#weak")
    def _row_highlighted(self) -> None:
        topic = self.selected_topic()
        detail = self.query_one("#topic-detail", Static)
        detail.update(topic_detail(topic) if topic is not None else "")

    @on(DataTable.RowSelected, "#weak")
    def _row_selected(self) -> None:
        self.action_open_topic()

    def _topic_closed(self, request: DrillRequest | None) -> None:
        if request is not None:
            self.dismiss(request)

    def action_drill(self) -> None:
        """Ask for a drill of the weakest topics' cards."""
        if self.report is None:
            return
        request = weakest_drill(self.report, DRILL_TOPICS)
        if request is None or not request.card_ids:
            self.notify("Nothing to drill yet: no topic has a recent wrong answer or a leech.",
                        timeout=3)
            return
        self.dismiss(request)

    def action_close(self) -> None:
        """Back, without a drill."""
        self.dismiss(None)

    def action_help(self) -> None:
        """Every key of this screen."""
        _show_help(self, "Report")


def card_history_content(card: CardReport, report: StudyReport) -> Content:
    """A card's question and its answers, newest first."""
    zone = report.now.tzinfo
    parts: list[str | tuple[str, str]] = [
        ("Q: ", "bold"), card.front or "(the card's deck is not loaded)", "\n",
        ("A: ", "bold"), card.back or "-", "\n\n",
    ]
    if not card.history:
        parts.append(("Not answered in this period.", "$text-muted"))
        return Content.assemble(*parts)
    for review in reversed(card.history):
        style = "$success" if review.correct else "$error"
        kind = {"relearn": " (again)", "practice": " (drill)", "new": " (first)"}.get(
            review.kind, "")
        answer = clip(review.answer, 60) or (
            "(rated yourself)" if review.grader == SELF_GRADER else "(no answer)")
        parts += [(f"{review.time.astimezone(zone):%Y-%m-%d %H:%M}", "$text-muted"), "  ",
                  (f"{review.score}/5", f"bold {style}"), f"  box {review.box_before}→"
                  f"{review.box_after}{kind}  ", answer, "\n"]
    return Content.assemble(*parts)


class TopicCardsScreen(Screen[DrillRequest | None]):
    """One topic: its cards (most failed first) and the highlighted card's review history."""

    CSS_PATH = "report.tcss"
    BINDINGS = [
        KeyBinding("d", "drill", "Drill this topic", help="drill this topic's cards now"),
        KeyBinding("question_mark", "help", "Help", help="this help"),
        KeyBinding("escape", "close", "Back", help="back to the report"),
        KeyBinding("q", "close", "Back", show=False),
    ]
    #: Keys of the cards table, for the help screen.
    TABLE_KEYS = [("↑ / ↓", "choose a card (its answers show below)")]
    HELP_TEXT = "Cards are listed most failed first."

    def __init__(self, report: StudyReport, topic: TopicReport) -> None:
        super().__init__()
        self.report = report
        self.topic = topic
        self.cards = report.cards_of(topic)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._heading(), id="topic-summary")
        with Vertical(id="topic-body"):
            yield RowTable(id="cards")
            with VerticalScroll(id="history-box"):
                yield Static(id="history")
        yield KeyFooter()

    def _heading(self) -> Content:
        stats = self.topic.stats
        rank = f"#{self.topic.rank} weakest" if self.topic.rank else "not ranked"
        return Content.assemble(
            (self.topic.topic, "bold"), f" ({self.topic.deck}) · {rank} · ",
            f"{stats.cards} cards, {percent(stats.mastery)} mastered · recent"
            f" {recent_text(stats)} · ", (self.topic.reason, "$text-muted"))

    def on_mount(self) -> None:
        """Fill the card table."""
        self.sub_title = f"Topic: {self.topic.topic}"
        table = self.query_one("#cards", DataTable)
        rows = [self._card_cells(card) for card in self.cards]
        for index, label in enumerate(("Question", "Box", "Answers", "Fails", "Last", "Leech")):
            table.add_column(label, width=max([len(label), *(r[index].cell_length for r in rows)]))
        for card, row in zip(self.cards, rows, strict=True):
            table.add_row(*row, key=card.card_id)
        if self.cards:
            self._show_history(self.cards[0])
        table.focus()

    @staticmethod
    def _card_cells(card: CardReport) -> list[Content]:
        # 42: the six columns, their padding and a scrollbar fit 80 (48 cut 'Leech' off)
        question = clip(card.front or card.card_id, 42)
        last = "-" if card.last_score is None else f"{card.last_score}/5"
        return [Content(question), Content("new" if card.box is None else str(card.box)),
                Content(str(card.answers)), Content(str(card.fails)), Content(last),
                Content.styled("leech", "$error") if card.leech else Content("")]

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        card = self.report.cards.get(key or "")
        if card is not None:
            self._show_history(card)

    def _show_history(self, card: CardReport) -> None:
        self.query_one("#history", Static).update(card_history_content(card, self.report))

    def action_drill(self) -> None:
        """Ask for a drill of this topic's cards."""
        self.dismiss(drill_topics([self.topic]))

    def action_close(self) -> None:
        """Back to the report."""
        self.dismiss(None)

    def action_help(self) -> None:
        """Every key of this screen."""
        _show_help(self, f"Topic: {self.topic.topic}")


def _show_help(screen: ReportScreen | TopicCardsScreen, title: str) -> None:
    from tutor.tui.screens.help import HelpScreen

    keys = help_rows(screen.BINDINGS, screen.TABLE_KEYS)
    screen.app.push_screen(HelpScreen(title, keys, screen.HELP_TEXT))
