"""The card editor: change a card's question, answer, topic and accepted answers (or, given
a blank card, write a new one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, TextArea

from tutor.decks.editing import take_copy_note
from tutor.decks.model import Card, Deck
from tutor.tui.widgets.key_footer import KeyFooter


@dataclass(frozen=True)
class CardEdit:
    """The edited fields of a card (its id is kept)."""

    front: str
    back: str
    topic: str
    alternatives: tuple[str, ...]

    def as_card(self, card: Card) -> Card:
        """``card`` with the edited text (to open the form again on what was typed, when
        saving it failed)."""
        return Card(front=self.front, back=self.back, topic=self.topic, tags=list(card.tags),
                    alternatives=list(self.alternatives), id=card.id)


def tell_deck_copy(widget: Widget, decks: Iterable[Deck]) -> None:
    """Say once that a change to a bundled deck went to the learner's own copy (the study
    screen and the card browser, after any change they save)."""
    copied = take_copy_note(decks)
    if copied:
        widget.notify(copied, title="Your copy", timeout=10)


class EditCardScreen(ModalScreen[CardEdit | None]):
    """A form over one card; Ctrl+S saves (returns a `CardEdit`), Escape cancels (None)."""

    CSS_PATH = "edit_card.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, card: Card, *, title: str = "") -> None:
        super().__init__()
        self.card = card
        self.title_text = title or f"Edit card {card.id} (its history is kept)"
        """The form's first line (a new card's form names its deck)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="edit-box"):
            yield Label(self.title_text, id="edit-title", markup=False)
            yield Label("Question")
            yield TextArea(self.card.front, id="front", soft_wrap=True, tab_behavior="focus")
            yield Label("Answer")
            yield TextArea(self.card.back, id="back", soft_wrap=True, tab_behavior="focus")
            yield Label("Topic")
            yield Input(self.card.topic, id="topic")
            yield Label("Also accepted (one answer a line)")
            yield TextArea("\n".join(self.card.alternatives), id="alternatives",
                           soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="edit-buttons"):
                # Compact (one row each): with full-height buttons the form took 25 rows
                # and its buttons were scrolled out of sight at 80x24.
                yield Button("Save (Ctrl+S)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start in the question field."""
        self.query_one("#front", TextArea).focus()

    def edited(self) -> CardEdit:
        """The form's values."""
        alternatives = self.query_one("#alternatives", TextArea).text.splitlines()
        return CardEdit(
            front=self.query_one("#front", TextArea).text,
            back=self.query_one("#back", TextArea).text,
            topic=self.query_one("#topic", Input).value,
            alternatives=tuple(a.strip() for a in alternatives if a.strip()),
        )

    def action_save(self) -> None:
        """Close with the edited card, unless the question or answer is empty."""
        edit = self.edited()
        if not edit.front.strip() or not edit.back.strip():
            self.notify("A card needs both a question and an answer.", severity="error")
            return
        self.dismiss(edit)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)
