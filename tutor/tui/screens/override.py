"""The override dialog: the learner says "I was right" or "I was wrong"."""

from __future__ import annotations

from enum import Enum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.study.session import OVERRIDE_RIGHT_SCORE, Attempt
from tutor.tui.widgets.key_footer import KeyFooter


class OverrideChoice(Enum):
    """What the learner decided about a grade."""

    RIGHT = "right"
    WRONG = "wrong"

    @property
    def correct(self) -> bool:
        """True for "I was right"."""
        return self is OverrideChoice.RIGHT


class OverrideScreen(ModalScreen[OverrideChoice | None]):
    """Asks "I was right" (r) or "I was wrong" (w); Escape cancels (None)."""

    CSS_PATH = "override.tcss"
    BINDINGS = [
        Binding("r", "choose('right')", "I was right"),
        Binding("w", "choose('wrong')", "I was wrong"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt
        from tutor.grading.rules import why_never_right  # loaded by the grading that came first

        self.refused = why_never_right(attempt.answer)
        """Why "I was right" is not offered (an empty or "I don't know" answer, or one that
        gives the grader instructions), or None."""

    def compose(self) -> ComposeResult:
        result = self.attempt.result
        right = (f"I was right: scored {OVERRIDE_RIGHT_SCORE}/5, and your answer is accepted"
                 " for this card from now on." if self.refused is None else
                 f"{self.refused[0].upper()}{self.refused[1:]}.")
        with Vertical(id="override-box"):
            yield Static(f"Override the grade ({result.score}/5)", id="override-title")
            yield Static(f"{right}\nI was wrong: the card fails and comes back soon.",
                         id="override-help", markup=False)
            with Horizontal(id="override-buttons"):
                yield Button("I was right (r)", id="right", variant="success",
                             disabled=self.refused is not None)
                yield Button("I was wrong (w)", id="wrong", variant="error")
                yield Button("Cancel (Esc)", id="cancel")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """"I was right" is not offered where it cannot be chosen."""
        if action == "choose" and parameters == ("right",):
            return self.refused is None
        return True

    def action_choose(self, choice: str) -> None:
        """Close with the choice."""
        self.dismiss(OverrideChoice(choice))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.dismiss(OverrideChoice(event.button.id or "wrong"))
