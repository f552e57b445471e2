"""The answer box: multi-line, Enter submits, Ctrl+J or Shift+Enter adds a newline; optionally
Space in an empty box is a command (the study screen's "show the answer") instead of a space."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea


class AnswerInput(TextArea):
    """A TextArea where Enter submits the answer instead of breaking the line."""

    NEWLINE_KEYS = {"ctrl+j", "shift+enter", "alt+enter"}
    #: Keys that move the focus away; with ``keep_focus`` they do nothing while typing.
    STAY_KEYS = {"tab", "shift+tab"}

    @dataclass
    class Submitted(Message):
        """The learner pressed Enter: ``value`` is the typed answer."""

        input: "AnswerInput"
        value: str

        @property
        def control(self) -> "AnswerInput":
            """The answer box that was submitted."""
            return self.input

    @dataclass
    class SpaceOnBlank(Message):
        """The learner pressed Space with nothing (or only blanks) typed."""

        input: "AnswerInput"

        @property
        def control(self) -> "AnswerInput":
            """The answer box where Space was pressed."""
            return self.input

    def __init__(self, *, id: str | None = None, placeholder: str = "",
                 keep_focus: bool = False, space_on_blank: bool = False) -> None:
        """``keep_focus``: Tab stays in the box while it is editable (for screens where
        letter keys outside it are commands: a stray Tab must not turn words into them).
        ``space_on_blank``: Space in a blank box posts `SpaceOnBlank` instead of typing;
        once something is typed, Space is a space as usual."""
        super().__init__(
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            placeholder=placeholder,
        )
        self.keep_focus = keep_focus
        self.space_on_blank = space_on_blank

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Space in a blank box is the screen's key (it shows in the footer), not a space."""
        if self.space_on_blank and key == "space" and not self.text.strip():
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only:
            return
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        if self.space_on_blank and event.key == "space" and not self.text.strip():
            event.stop()
            event.prevent_default()
            self.post_message(self.SpaceOnBlank(self))
            return
        if self.keep_focus and event.key in self.STAY_KEYS:
            event.stop()
            event.prevent_default()
            return
        if event.key in self.NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            start, end = self.selection
            self._replace_via_keyboard("\n", start, end)
            return
        await super()._on_key(event)
