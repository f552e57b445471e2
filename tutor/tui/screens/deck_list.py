"""The deck list: every deck with due / new / total, new cards studied today of the deck's
limit, mastery and last studied, then the study streak and the cards due on each of the
next 7 days; Enter studies, m studies more."""

from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from tutor.decks.library import DeckLibrary
from tutor.decks.model import Deck
from tutor.formatting import clip, plural
from tutor.schedule.clock import Clock
from tutor.schedule.forecast import due_forecast
from tutor.schedule.leitner import LeitnerScheduler
from tutor.schedule.summary import DeckSummary, summarize
from tutor.settings import StudySettings
from tutor.store.study_store import StudyStore
from tutor.study.daily import days_in_a_row, new_card_limits
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.messages import (
    BrowseRequested,
    ExamRequested,
    ReportRequested,
    StudyMoreRequested,
    StudyRequested,
)
from tutor.tui.widgets.grader_status import GraderStatusBar
from tutor.tui.widgets.key_footer import KeyFooter
from tutor.tui.widgets.mastery import last_studied_text, mastery_bar
from tutor.tui.widgets.row_table import RowTable

#: Room the columns other than the title take (cells, padding, scrollbar) with the narrow
#: mastery bar; a wide screen gives the bar `WIDE_BAR - NARROW_BAR` more cells.
OTHER_COLUMNS_WIDTH = 60
#: Mastery bar cells below / from `WIDE_SCREEN` columns: at 80 columns the deck titles need
#: the room more (the bundled ones all start "Deep Learning …").
NARROW_BAR, WIDE_BAR, WIDE_SCREEN = 5, 10, 100


class DeckTable(RowTable):
    """The decks table; Enter (or a click on the selected row) studies the deck."""

    BINDINGS = [Binding("enter", "select_cursor", "Study")]


def deck_matches(deck: Deck, text: str) -> bool:
    """True when the filter ``text`` is in the deck's title, key or topics."""
    wanted = text.strip().lower()
    if not wanted:
        return True
    haystack = " ".join([deck.title, deck.key, *deck.topic_names()]).lower()
    return all(word in haystack for word in wanted.split())


class DeckListScreen(Screen[None]):
    """Lists the loaded decks and where the learner stands in each."""

    CSS_PATH = "deck_list.tcss"
    BINDINGS = [
        KeyBinding("enter", "study_deck", "Study deck", show=False,
                   help="study the selected deck (due cards, then new ones)",
                   palette="Study selected deck",
                   palette_help="Due and new cards of the deck under the cursor"),
        KeyBinding("a", "study_all", "All",
                   help="study every deck's due cards, then new ones within the daily limit",
                   palette="Study all due cards", palette_help="Every deck's due cards"),
        KeyBinding("m", "study_more", "More",
                   help="study more in the selected deck: 10 more new cards today, review"
                        " ahead, or one topic",
                   palette="Study more",
                   palette_help="More new cards today, review ahead, or one topic"),
        KeyBinding("slash", "filter", "Filter",
                   help="filter decks by title or topic (Escape clears)",
                   palette="Filter decks", palette_help="Show only decks matching a text"),
        KeyBinding("b", "browse", "Browse", help="browse the selected deck's cards",
                   palette="Browse deck", palette_help="Read through the selected deck's cards"),
        KeyBinding("x", "exam", "Exam",
                   help="a timed exam on the selected deck (a form for its options)",
                   palette="Exam on selected deck",
                   palette_help="A timed exam: minutes, questions, topics"),
        KeyBinding("r", "report", "Report", help="weak-topic report: what to drill next",
                   palette="Weak-topic report",
                   palette_help="Where you are weak and what to drill next"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        KeyBinding("question_mark", "help", "Help", help="this help",
                   palette="Deck list help", palette_help="Every key of the deck list"),
        KeyBinding("q", "app.quit", "Quit", help="quit (progress is always saved)"),
    ]

    def __init__(self, library: DeckLibrary, store: StudyStore, clock: Clock, *,
                 boxes: int, study: StudySettings | None = None,
                 scheduler: LeitnerScheduler | None = None) -> None:
        """``store``, ``clock`` and ``boxes`` (the Leitner boxes) give each deck's numbers;
        ``study`` its new-card limit, ``scheduler`` when a study day starts."""
        super().__init__()
        self.library = library
        self.store = store
        self.clock = clock
        self.boxes = boxes
        self.study = study or StudySettings()
        self.scheduler = scheduler or LeitnerScheduler()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter decks by title or topic; Enter to go to the list",
                    id="filter")
        if not self.library.decks:
            yield Static(
                "No decks found. Import one with 'tutor import FILE -o NAME.deck',"
                " or put .deck files in your decks folder.",
                id="empty",
            )
        yield DeckTable(id="decks")
        yield Static(id="selected")
        yield Static(id="totals")
        yield Static(id="outlook")
        yield GraderStatusBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the table."""
        self.sub_title = "Decks"
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck")
        table.add_column("Due", key="due")
        table.add_column("New", key="new")
        table.add_column("Total", key="total")
        table.add_column("New today", key="today")
        table.add_column("Mastery", key="mastery", width=NARROW_BAR + 5)
        table.add_column("Last studied", key="last", width=12)
        self.query_one("#filter", Input).display = False
        self.refill()
        self.show_outlook()
        table.focus()

    def on_resize(self) -> None:
        """Titles are cut to the width."""
        if self.is_mounted:
            self.refill()

    def on_screen_resume(self) -> None:
        """Back from a session: the numbers changed."""
        if self.is_mounted:
            self.refill()
            self.show_outlook()

    def deck_summary(self, deck: Deck) -> DeckSummary:
        """Due / new / total / mastery of one deck now."""
        ids = [card.id for card in deck.cards]
        return summarize(ids, self.store.states(ids), self.clock.now(), boxes=self.boxes)

    def refill(self) -> None:
        """Rebuild the rows (keeping the cursor on the same deck when it is still listed)."""
        table = self.query_one("#decks", DataTable)
        selected = self.selected_deck()
        text = self.query_one("#filter", Input).value
        table.clear()
        now = self.clock.now()
        limits = new_card_limits(self.store, self.study, self.scheduler.day_start(now))
        bar = WIDE_BAR if self.size.width >= WIDE_SCREEN else NARROW_BAR
        title_width = max(16, self.size.width - OTHER_COLUMNS_WIDTH - (bar - NARROW_BAR))
        table.columns[ColumnKey("mastery")].width = bar + 5  # '█████░░░░░  50%'
        titles = [clip(deck.title, title_width) for deck in self.library.decks
                  if deck_matches(deck, text)]
        # clear() keeps the widest title ever shown: after a shrink it pushed columns out
        deck_column = table.columns[ColumnKey("deck")]
        deck_column.content_width = max([deck_column.label.cell_len, *map(cell_len, titles)])

        due_total = new_total = 0
        for index, deck in enumerate(self.library.decks):
            summary = self.deck_summary(deck)
            due_total += summary.due
            new_total += summary.new
            if not deck_matches(deck, text):
                continue
            table.add_row(
                clip(deck.title, title_width),
                str(summary.due),
                str(summary.new),
                str(summary.total),
                limits.today_text(deck.key),
                mastery_bar(summary.mastery, bar),
                last_studied_text(self.store.last_studied(deck.key), now),
                key=str(index),
            )
            if deck is selected:
                table.move_cursor(row=table.row_count - 1)
        shown = table.row_count
        totals = (f"{plural(len(self.library.decks), 'deck')} · {plural(due_total, 'card')} due"
                  f" · {new_total} new")
        if limits.total_limit:
            totals += f" · new today: {limits.studied_total} of {limits.total_limit} in all"
        if text.strip():
            totals += f" · filter '{text.strip()}': {shown} shown"
        self.query_one("#totals", Static).update(Content(totals))  # a filter is not markup
        self.show_selected()

    def show_selected(self) -> None:
        """The highlighted deck in full under the table: its title (cut in the table, and the
        bundled ones all start alike), card and topic counts, and its file."""
        deck = self.selected_deck()
        line = self.query_one("#selected", Static)
        if deck is None:
            line.update("")
            return
        width = max(20, self.size.width - 2)
        text = clip(deck.title, width)
        topics = {card.topic for card in deck.cards if card.topic}
        more = [plural(len(deck.cards), "card"), plural(len(topics), "topic") if topics else "",
                deck.path.name if deck.path is not None else ""]
        for part in filter(None, more):  # what does not fit is left out, never cut
            if len(text) + 3 + len(part) > width:
                break
            text += f" · {part}"
        line.update(Content(text))

    def show_outlook(self) -> None:
        """The streak and the cards due on each of the next 7 days (once anything was
        studied)."""
        outlook = self.query_one("#outlook", Static)
        outlook.display = self.store.review_count() > 0
        if not outlook.display:
            return
        now = self.clock.now()
        ids = [card.id for deck in self.library.decks for card in deck.cards]
        forecast = due_forecast(self.store.states(ids).values(), self.scheduler.day_start(now))
        streak = days_in_a_row(self.store, self.scheduler, now)
        days = " ".join(f"{day.start:%a} {day.due}" for day in forecast)
        outlook.update(f"Streak: {plural(streak, 'day')} · due ahead: {days}")

    def selected_deck(self) -> Deck | None:
        """The deck under the cursor."""
        table = self.query_one("#decks", DataTable)
        if table.row_count == 0 or table.cursor_row < 0:
            return None
        row_key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        return self.library.decks[int(row_key.value or 0)]

    def action_study_deck(self) -> None:
        """Study the selected deck's due and new cards."""
        deck = self.selected_deck()
        if deck is not None:
            self.post_message(StudyRequested([deck], title=deck.title))

    def action_study_all(self) -> None:
        """Study every deck's due cards (and new ones, within the daily limit)."""
        if self.library.decks:
            self.post_message(StudyRequested(self.library.decks, title="All decks"))

    def action_study_more(self) -> None:
        """More of the selected deck: new cards, review ahead, a topic (a dialog asks)."""
        deck = self.selected_deck()
        if deck is not None:
            self.post_message(StudyMoreRequested(deck))

    def action_browse(self) -> None:
        """Browse the selected deck's cards."""
        deck = self.selected_deck()
        if deck is not None:
            self.post_message(BrowseRequested(deck))

    def action_exam(self) -> None:
        """The exam form for the selected deck."""
        deck = self.selected_deck()
        if deck is not None:
            self.post_message(ExamRequested([deck]))

    def action_report(self) -> None:
        """The weak-topic report over every deck."""
        self.post_message(ReportRequested())

    def action_filter(self) -> None:
        """Show the filter box."""
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        """Hide the filter and list every deck again."""
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.refill()
            self.query_one("#decks", DataTable).focus()

    def action_help(self) -> None:
        """Every key of this screen."""
        from tutor.tui.screens.help import HelpScreen

        extra = ("**Mastery** is the share of a deck's cards in the top two Leitner boxes."
                 " **Due** cards were reviewed before and are scheduled for today."
                 " **New today**: new cards studied today of the deck's limit"
                 f" ({self.study.new_per_day} a day, more with `m`)."
                 " **Streak**: days studied in a row; **due ahead**: cards due on each of"
                 " the next 7 days.")
        self.app.push_screen(HelpScreen("Decks", help_rows(self.BINDINGS), extra))

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#decks", DataTable).focus()

    @on(DataTable.RowHighlighted, "#decks")
    def _row_highlighted(self) -> None:
        self.show_selected()

    @on(DataTable.RowSelected, "#decks")
    def _row_selected(self) -> None:
        self.action_study_deck()
