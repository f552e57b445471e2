"""The help screen: every key binding of the screen it was opened from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tutor.tui.widgets.key_footer import KeyFooter


class HelpScreen(ModalScreen[None]):
    """Lists key bindings; any of Escape, q or ? closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def __init__(self, title: str, bindings: list[tuple[str, str]], extra: str = "") -> None:
        super().__init__()
        self.help_title = title
        self.bindings_help = bindings
        self.extra = extra

    def compose(self) -> ComposeResult:
        rows = "\n".join(f"| `{key}` | {what} |" for key, what in self.bindings_help)
        text = f"## {self.help_title}\n\n| key | action |\n|---|---|\n{rows}\n\n{self.extra}"
        with VerticalScroll(id="help-box"):
            yield Markdown(text)
        yield KeyFooter()
