""""Study more" for one deck (Anki's custom study): a `ModalScreen` that returns a
`StudyMoreChoice` (or None) through `dismiss`; the app starts what was chosen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.formatting import plural
from tutor.study.more import StudyMoreChoice, StudyMoreOffer
from tutor.tui.widgets.key_footer import KeyFooter


def choice_of(option_id: str, offer: StudyMoreOffer) -> StudyMoreChoice:
    """The choice an option's id ('new', 'ahead:3', 'topic:2') stands for."""
    kind, _, value = option_id.partition(":")
    if kind == "ahead":
        return StudyMoreChoice("ahead", days=int(value))
    if kind == "topic":
        return StudyMoreChoice("topic", topic=offer.topics[int(value)].topic)
    return StudyMoreChoice("new")


def options_of(offer: StudyMoreOffer) -> list[Option | None]:
    """The dialog's lines: more new cards, review ahead (each span), each topic."""
    left = f"{offer.new_left} left" if offer.new_left else "no new cards left"
    lines: list[Option | None] = [
        Option(f"{offer.more_new} more new cards today ({left})", id="new",
               disabled=offer.new_left == 0),
        None,
    ]
    for days, cards in offer.ahead:
        lines.append(Option(f"Review ahead: cards due in the next {plural(days, 'day')}"
                            f" ({cards})", id=f"ahead:{days}", disabled=cards == 0))
    lines.append(None)
    for index, topic in enumerate(offer.topics):
        lines.append(Option(f"All cards of topic '{topic.topic}' ({topic.cards})",
                            id=f"topic:{index}"))
    return lines


class StudyMoreScreen(ModalScreen[StudyMoreChoice | None]):
    """More new cards today, review ahead, or one topic: ↑/↓ and Enter choose, n takes
    more new cards at once, Escape cancels (None)."""

    CSS_PATH = "study_more.tcss"
    BINDINGS = [
        Binding("n", "more_new", "More new cards"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, offer: StudyMoreOffer) -> None:
        super().__init__()
        self.offer = offer

    def compose(self) -> ComposeResult:
        offer = self.offer
        with Vertical(classes="dialog", id="more-box"):
            yield Static(f"Study more: {offer.deck.title}", classes="dialog-title",
                         markup=False)
            yield Static(f"New cards today: {offer.new_today} · cards asked early never move"
                         " up a box", id="more-note")
            yield OptionList(*options_of(offer), id="more-list", markup=False)
            yield Static("↑/↓ choose · Enter start · n more new cards · Escape cancel",
                         id="more-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start on the first line that can be chosen."""
        options = self.query_one("#more-list", OptionList)
        options.focus()
        options.action_first()

    def action_more_new(self) -> None:
        """More new cards today (when the deck has any left)."""
        if self.offer.new_left:
            self.dismiss(StudyMoreChoice("new"))
        else:
            self.notify("This deck has no new cards left.", title="Study more")

    @on(OptionList.OptionSelected, "#more-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(choice_of(event.option.id or "new", self.offer))
