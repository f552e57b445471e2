"""Browse one deck: a table of its cards with where each stands, the selected card below.

Each row shows the card's question (cut to fit), its Leitner box, when it is due, its last
score and its lapses. ``s`` cycles the column the table is sorted by, ``r`` reverses the
order, and clicking a column header sorts by it (again: reversed). New cards have no box,
due date or score: they sort after every reviewed card, whatever the direction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Markdown

from tutor.decks.model import Card, Deck
from tutor.formatting import clip
from tutor.schedule.model import CardState
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.widgets.key_footer import KeyFooter


def card_markdown(card: Card) -> str:
    """A card as Markdown: question, answer, topic."""
    back = card.back.replace("\n", "  \n")
    front = card.front.replace("\n", "  \n")
    alts = "".join(f"\n- also accepted: {alt}" for alt in card.alternatives)
    return f"**Q:** {front}\n\n**A:** {back}\n\n*topic: {card.topic}*{alts}"


def due_text(due: datetime | None, now: datetime) -> str:
    """When a card is due, in days from ``now``: 'today', 'in 3d', '2d late'; '-' when new."""
    if due is None:
        return "-"
    days = (due.astimezone(now.tzinfo).date() - now.date()).days
    if due <= now:
        return "today" if days == 0 else f"{-days}d late"
    return "today" if days == 0 else f"in {days}d"


@dataclass(frozen=True)
class SortColumn:
    """A column the browser can sort by: its label and the value each row sorts on."""

    key: str
    label: str
    value: Callable[[Card, CardState | None], Any]
    """The row's sort value; None (a new card) sorts last in either direction."""


def _reviewed(state: CardState | None) -> CardState | None:
    return None if state is None or state.is_new else state


#: The sortable columns, in the order ``s`` cycles through them ("deck" = the file's order).
SORT_COLUMNS = (
    SortColumn("deck", "Deck order", lambda _card, _state: None),
    SortColumn("question", "Question", lambda card, _state: " ".join(card.front.split()).lower()),
    SortColumn("box", "Box", lambda _card, state: s.box if (s := _reviewed(state)) else None),
    SortColumn("due", "Due", lambda _card, state: s.due if (s := _reviewed(state)) else None),
    SortColumn("last", "Last", lambda _card, state: s.last_score if (s := _reviewed(state))
               else None),
    SortColumn("lapses", "Lapses", lambda _card, state: s.lapses if (s := _reviewed(state))
               else None),
)
#: Table columns: (sort key, header, width with room for the ▲/▼ of the sort column); the
#: question takes what is left.
_COLUMNS = (("question", "Question", 0), ("box", "Box", 4), ("due", "Due", 8),
            ("last", "Last", 5), ("lapses", "Lapses", 7))
#: Width the table's other columns, cell padding and scrollbar take (80 columns leave 44).
_FIXED_WIDTH = sum(width for _key, _label, width in _COLUMNS) + 2 * len(_COLUMNS) + 2




class CardBrowserScreen(Screen[None]):
    """Read through a deck's cards, sorted by where they stand."""

    CSS_PATH = "card_browser.tcss"
    BINDINGS = [
        KeyBinding("s", "next_sort", "Sort", help="sort by the next column (question, box,"
                   " due, last score, lapses, deck order)"),
        KeyBinding("r", "reverse", "Reverse", help="reverse the order"),
        KeyBinding("question_mark", "help", "Help", help="this help"),
        KeyBinding("escape", "close", "Back", help="back to the decks"),
        KeyBinding("q", "close", "Back", show=False),
    ]
    #: Keys of the cards table, for the help screen.
    TABLE_KEYS = [("↑ / ↓", "choose a card (shown below the table)"),
                  ("click a header", "sort by that column (again: reversed)")]
    HELP_TEXT = ("Box: the card's Leitner box; Due: when it is next asked; Last: its latest"
                 " score; Lapses: times it was failed after being learned. New cards ('new')"
                 " sort last.")

    def __init__(self, deck: Deck, states: Mapping[str, CardState] | None = None,
                 now: datetime | None = None) -> None:
        super().__init__()
        self.deck = deck
        self.states: Mapping[str, CardState] = states or {}
        self.now = now or datetime.now().astimezone()
        self.sort_key = "deck"
        """The key of the `SORT_COLUMNS` entry the rows are sorted by."""
        self.descending = False
        self.order: list[Card] = list(deck.cards)
        """The cards in table order."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail"):
            yield Markdown(id="card")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Fill the table and show the first card."""
        self.sub_title = self.deck.title
        table = self.query_one("#cards", DataTable)
        table.focus()
        self._fill()

    def on_resize(self) -> None:
        """The question column takes the width left; refill at the new width."""
        self._fill()

    def _question_width(self) -> int:
        return max(12, self.size.width - _FIXED_WIDTH)

    def _fill(self, current: Card | None = None) -> None:
        """(Re)build the table in `order`, the cursor on ``current`` (default: where it is)."""
        table = self.query_one("#cards", DataTable)
        current = current or self.selected_card()
        table.clear(columns=True)
        width = self._question_width()
        for key, label, fixed in _COLUMNS:
            marker = ("▼" if self.descending else "▲") if key == self.sort_key else ""
            table.add_column(label + marker, key=key, width=fixed or width)
        for card in self.order:
            table.add_row(*self._cells(card, width), key=card.id)
        if current is not None and current in self.order:
            table.move_cursor(row=self.order.index(current))
        if self.order:
            self._show(self.order[table.cursor_row])

    def _cells(self, card: Card, width: int) -> list[str]:
        state = _reviewed(self.states.get(card.id))
        if state is None:
            return [clip(card.front.split("\n", 1)[0], width), "new", "-", "-", "-"]
        last = "-" if state.last_score is None else f"{state.last_score}/5"
        return [clip(card.front.split("\n", 1)[0], width), str(state.box), due_text(state.due, self.now), last,
                str(state.lapses)]

    def selected_card(self) -> Card | None:
        """The card under the cursor."""
        table = self.query_one("#cards", DataTable)
        if not self.order or not 0 <= table.cursor_row < len(self.order):
            return None
        return self.order[table.cursor_row]

    def sort_by(self, key: str, *, descending: bool = False) -> None:
        """Sort the rows by the `SORT_COLUMNS` entry ``key``; the selected card stays selected."""
        column = next(c for c in SORT_COLUMNS if c.key == key)
        current = self.selected_card()
        self.sort_key, self.descending = key, descending
        cards = list(self.deck.cards)
        if key != "deck":
            values = {card.id: column.value(card, self.states.get(card.id)) for card in cards}
            known = [c for c in cards if values[c.id] is not None]
            known.sort(key=lambda c: values[c.id], reverse=descending)  # stable: deck order ties
            cards = known + [c for c in cards if values[c.id] is None]
        elif descending:
            cards.reverse()
        self.order = cards
        self._fill(current)
        self.sub_title = f"{self.deck.title} · by {column.label.lower()}" + (
            ", reversed" if descending else "")

    def action_next_sort(self) -> None:
        """Sort by the next column."""
        keys = [c.key for c in SORT_COLUMNS]
        self.sort_by(keys[(keys.index(self.sort_key) + 1) % len(keys)])

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.sort_by(self.sort_key, descending=not self.descending)

    @on(DataTable.HeaderSelected, "#cards")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value or "deck"
        self.sort_by(key, descending=key == self.sort_key and not self.descending)

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        card = self.selected_card()
        if card is not None:
            self._show(card)

    def _show(self, card: Card) -> None:
        self.query_one("#card", Markdown).update(card_markdown(card))

    def action_close(self) -> None:
        """Back to the deck list."""
        self.app.pop_screen()

    def action_help(self) -> None:
        """Every key of this screen."""
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(f"Browse: {self.deck.title}",
                                        help_rows(self.BINDINGS, self.TABLE_KEYS),
                                        self.HELP_TEXT))
