"""Browse one deck: cards on the left, the selected card's question and answer on the right."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, OptionList
from textual.widgets.option_list import Option

from tutor.decks.model import Card, Deck
from tutor.tui.widgets.key_footer import KeyFooter


def card_markdown(card: Card) -> str:
    """A card as Markdown: question, answer, topic."""
    back = card.back.replace("\n", "  \n")
    front = card.front.replace("\n", "  \n")
    alts = "".join(f"\n- also accepted: {alt}" for alt in card.alternatives)
    return f"**Q:** {front}\n\n**A:** {back}\n\n*topic: {card.topic}*{alts}"


class CardBrowserScreen(Screen[None]):
    """Read through a deck's cards."""

    CSS_PATH = "card_browser.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", show=True)]

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(
                *[Option(self._label(card), id=card.id) for card in self.deck.cards],
                id="cards",
            )
            with VerticalScroll(id="detail"):
                yield Markdown(id="card")
        yield KeyFooter()

    @staticmethod
    def _label(card: Card) -> str:
        first = card.front.splitlines()[0] if card.front else ""
        return first if len(first) <= 60 else first[:57] + "..."

    def on_mount(self) -> None:
        """Show the first card."""
        self.sub_title = self.deck.title
        options = self.query_one("#cards", OptionList)
        options.focus()
        if self.deck.cards:
            options.highlighted = 0

    @on(OptionList.OptionHighlighted, "#cards")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        card = self.deck.card(event.option.id or "")
        if card is not None:
            self.query_one("#card", Markdown).update(card_markdown(card))
