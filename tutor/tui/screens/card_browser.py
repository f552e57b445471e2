"""Browse one deck: a table of its cards with where each stands, the selected card below.

Each row shows the card's question (cut to fit), its Leitner box, when it is due, its last
score and its lapses. ``s`` cycles the column the table is sorted by, ``r`` reverses the
order, and clicking a column header sorts by it (again: reversed). New cards have no box,
due date or score: they sort after every reviewed card, whatever the direction.

The browser also fixes the deck: ``e`` (or Enter) edits the selected card in the study
screen's editor, ``a`` adds a card, ``d`` deletes one after asking, and ``u`` brings the
deleted cards back, latest first, while the browser is open. Each change is written to the
deck file at once through `tutor.decks.editing`, as an edit while studying is (in place,
the replaced version kept as ``<name>.deck.bak``; a bundled deck's first change makes the
learner's own copy, said once). A card keeps its id through an edit and
a delete, and the study history is keyed by id, so an edited or restored card keeps its
box.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Markdown

from tutor.decks.editing import add_card, delete_card, edit_card, restore_card
from tutor.decks.model import Card, Deck
from tutor.errors import TutorError
from tutor.formatting import clip
from tutor.schedule.model import CardState
from tutor.tui.keys import KeyBinding, help_rows
from tutor.tui.screens.edit_card import CardEdit, EditCardScreen, tell_deck_copy
from tutor.tui.widgets.key_footer import KeyFooter
from tutor.tui.widgets.row_table import RowTable


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
#: Room for a question in the delete dialog and in notes.
QUESTION_CHARS = 60


def first_line(card: Card, width: int = QUESTION_CHARS) -> str:
    """The card's question: its first line, cut to ``width``."""
    return clip(card.front.split("\n", 1)[0], width)


class CardBrowserScreen(Screen[None]):
    """Read through a deck's cards, sorted by where they stand."""

    CSS_PATH = "card_browser.tcss"
    BINDINGS = [
        KeyBinding("s", "next_sort", "Sort", help="sort by the next column (question, box,"
                   " due, last score, lapses, deck order)"),
        KeyBinding("r", "reverse", "Reverse", help="reverse the order"),
        KeyBinding("e", "edit", "Edit", help="edit the card (Ctrl+S saves, Escape cancels)"),
        KeyBinding("a", "add", "Add", help="add a card to this deck (topic of the selected one)"),
        KeyBinding("d", "delete", "Delete", help="delete the card (asks first)"),
        KeyBinding("u", "undo_delete", "Undo", help="bring back the last card deleted here,"
                   " with its progress"),
        KeyBinding("question_mark", "help", "Help", help="this help"),
        KeyBinding("escape", "close", "Back", help="back to the decks"),
        KeyBinding("q", "close", "Back", show=False),
    ]
    #: Keys of the cards table, for the help screen.
    TABLE_KEYS = [("↑ / ↓", "choose a card (shown below the table)"),
                  ("Enter", "edit the card"),
                  ("click a header", "sort by that column (again: reversed)")]
    HELP_TEXT = ("Box: the card's Leitner box; Due: when it is next asked; Last: its latest"
                 " score; Lapses: times it was failed after being learned. New cards ('new')"
                 " sort last. Changes are saved to the deck file at once; a deleted card's"
                 " progress is kept, and u brings the card back with it.")

    def __init__(self, deck: Deck, states: Mapping[str, CardState] | None = None,
                 now: datetime | None = None, *, other_ids: Collection[str] = ()) -> None:
        super().__init__()
        self.deck = deck
        self.other_ids = other_ids
        """The card ids of the other loaded decks, which a new card's id avoids."""
        self.deleted: list[Card] = []
        """The cards deleted in this browser, latest last (``u`` restores them)."""
        self.states: Mapping[str, CardState] = states or {}
        self.now = now or datetime.now().astimezone()
        self.sort_key = "deck"
        """The key of the `SORT_COLUMNS` entry the rows are sorted by."""
        self.descending = False
        self.order: list[Card] = list(deck.cards)
        """The cards in table order."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(id="cards")
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
        else:
            self.query_one("#card", Markdown).update("*No cards in this deck: `a` adds one.*")

    def _cells(self, card: Card, width: int) -> list[str]:
        state = _reviewed(self.states.get(card.id))
        if state is None:
            return [first_line(card, width), "new", "-", "-", "-"]
        last = "-" if state.last_score is None else f"{state.last_score}/5"
        return [first_line(card, width), str(state.box), due_text(state.due, self.now), last,
                str(state.lapses)]

    def selected_card(self) -> Card | None:
        """The card under the cursor."""
        table = self.query_one("#cards", DataTable)
        if not self.order or not 0 <= table.cursor_row < len(self.order):
            return None
        return self.order[table.cursor_row]

    def sort_by(self, key: str, *, descending: bool = False, select: Card | None = None) -> None:
        """Sort the rows by the `SORT_COLUMNS` entry ``key``; the selected card (or
        ``select``) is selected."""
        column = next(c for c in SORT_COLUMNS if c.key == key)
        current = select or self.selected_card()
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

    # -- changing the deck ------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit and delete need a card; undo a deleted one (the footer shows what applies)."""
        if action in ("edit", "delete"):
            return bool(self.order)
        if action == "undo_delete":
            return bool(self.deleted)
        return True

    def _changed(self, card: Card | None) -> None:
        """Re-sort and redraw after a change, the cursor on ``card``."""
        self.refresh_bindings()
        title = self.sub_title  # the same order as before: its title stays
        select = card if card is not None and card in self.deck.cards else None
        self.sort_by(self.sort_key, descending=self.descending, select=select)
        self.sub_title = title

    def _saved(self, change: Callable[[], Card | None], note: str) -> bool:
        """Run a deck change; a failure to save is one line, and changes nothing."""
        try:
            card = change()
        except TutorError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return False
        self._changed(card)
        self.notify(note, timeout=3)
        tell_deck_copy(self, [self.deck])
        return True

    def action_edit(self) -> None:
        """Edit the selected card (its id, and so its history, is kept)."""
        card = self.selected_card()
        if card is not None:
            self._edit(card, card)

    def _edit(self, card: Card, shown: Card) -> None:
        """The editor over ``shown`` (``card``'s text, or what was typed when it could not
        be saved: the form opens again on it, so nothing typed is lost)."""

        def edited(edit: CardEdit | None) -> None:
            if edit is not None and not self._saved(
                    lambda: edit_card(self.deck, card, front=edit.front, back=edit.back,
                                      topic=edit.topic, alternatives=edit.alternatives),
                    "Card saved."):
                self._edit(card, edit.as_card(card))

        self.app.push_screen(EditCardScreen(shown), edited)

    @on(DataTable.RowSelected, "#cards")
    def _row_selected(self) -> None:
        self.action_edit()

    def action_add(self) -> None:
        """Add a card to this deck (the form starts with the selected card's topic)."""
        selected = self.selected_card()
        self._add(Card(front="", back="", topic=selected.topic if selected else ""))

    def _add(self, shown: Card) -> None:
        """The new-card form over ``shown`` (blank, or what was typed when it could not be
        saved)."""

        def added(edit: CardEdit | None) -> None:
            if edit is not None and not self._saved(
                    lambda: add_card(self.deck, front=edit.front, back=edit.back,
                                     topic=edit.topic, alternatives=edit.alternatives,
                                     taken=self.other_ids),
                    "Card added."):
                self._add(edit.as_card(shown))

        self.app.push_screen(EditCardScreen(shown, title=f"New card in {self.deck.title}"),
                             added)

    def action_delete(self) -> None:
        """Delete the selected card, once the learner confirms (the dialog starts on Keep)."""
        from tutor.tui.screens.exam_dialogs import ConfirmScreen

        card = self.selected_card()
        if card is None:
            return
        index = self.order.index(card)
        after = self.order[index + 1] if index + 1 < len(self.order) else (
            self.order[index - 1] if index else None)

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return

            def delete() -> Card | None:
                delete_card(self.deck, card)
                self.deleted.append(card)
                return after

            self._saved(delete, f"Deleted: {first_line(card, 40)} (u brings it back)")

        question = ("Delete this card from the deck file?\n\n"
                    f"{first_line(card)}\n\nIts progress is kept: u brings it back.")
        self.app.push_screen(ConfirmScreen("Delete card", question, yes="Delete", no="Keep"),
                             confirmed)

    def action_undo_delete(self) -> None:
        """Bring back the card deleted last, with its id and so its progress."""
        if not self.deleted:
            self.notify("No card deleted here to bring back.")
            return
        card = self.deleted[-1]

        def restore() -> Card:
            restore_card(self.deck, card)
            self.deleted.pop()
            return card

        self._saved(restore, f"Restored: {first_line(card, 40)}")

    def action_close(self) -> None:
        """Back to the deck list."""
        self.app.pop_screen()

    def action_help(self) -> None:
        """Every key of this screen."""
        from tutor.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(f"Browse: {self.deck.title}",
                                        help_rows(self.BINDINGS, self.TABLE_KEYS),
                                        self.HELP_TEXT))
