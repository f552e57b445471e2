"""The welcome shown the first time tutor opens: how grading works, the keys that matter
first, where decks and progress live. It is shown once per data folder: the app writes
`Settings.welcome_marker` when the learner closes it."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.settings import BUNDLED_DECKS
from tutor.tui.widgets.key_footer import KeyFooter


def welcome_text(deck_folders: list[Path], progress: Path, model: bool = True) -> Content:
    """What the welcome says, with the real folders; ``model``: a model grades this run."""
    user, *bundled = deck_folders or [Path("decks")]
    grading = ("Type your answer and press Enter. The rules grader's verdict shows at once; "
               "then the local model reads your answer, and its verdict replaces the rules' one "
               "(a note says when the score changes).\n\n") if model else (
               "Type your answer and press Enter. The rules grader's verdict shows at once. No "
               "model grades in this run (--rules, or [model] enabled = false); by default the "
               "local model's verdict follows and replaces the rules' one.\n\n")
    lines: list[str | tuple[str, str]] = [
        ("How grading works", "bold"), "\n", grading,
        ("o", "bold $accent"), "  overrides a wrong grade: \"I was right\" scores 5 and teaches the card"
        " your answer; \"I was wrong\" scores 1.\n",
        ("Space", "bold $accent"), " on an empty answer shows the reference: rate yourself 0-5 or y/n.\n",
        ("?", "bold $accent"), "  lists the keys of the screen you are on (F1 during exams).\n\n",
        ("Your decks    ", "bold"), f"{user}\n",
        "              (tutor import FILE --add puts a deck there)\n",
    ]
    for folder in bundled:
        label = "Bundled decks " if folder == BUNDLED_DECKS else "More decks    "
        lines += [(label, "bold"), f"{folder}\n"]
    lines += [("Progress      ", "bold"), f"{progress}\n\n",
              ("Enter or Escape to start.", "$text-muted")]
    return Content.assemble(*lines)


class WelcomeScreen(ModalScreen[None]):
    """A first-start note; Enter or Escape closes it."""

    CSS_PATH = "welcome.tcss"
    BINDINGS = [
        Binding("enter", "dismiss", "Start"),
        Binding("escape", "dismiss", "Start", show=False),
    ]

    def __init__(self, deck_folders: list[Path], progress: Path, model: bool = True) -> None:
        super().__init__()
        self.deck_folders = deck_folders
        self.progress = progress
        self.model = model

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box"):
            yield Static("Welcome to tutor", id="welcome-title")
            yield Static(welcome_text(self.deck_folders, self.progress, self.model), id="welcome-text")
        yield KeyFooter()
