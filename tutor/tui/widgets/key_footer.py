"""`KeyFooter`: Textual's footer, compact, rebuilt at most once per frame."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """The key footer of every screen.

    Compact, so a screen's keys fit at 80 columns; a group of keys ("012345 Rate") keeps a
    space after its label. Textual rebuilds the footer each time
    the keys may have changed (every focus move, every `refresh_bindings`); at start-up
    that was seven rebuilds, ~90 ms, before the first question showed. Requests that come
    while one is pending are folded into it: the rebuild reads the keys in force then.
    """

    DEFAULT_CSS = """
    KeyFooter.-compact FooterLabel {
        margin-right: 1;
    }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        """Schedule one rebuild for any number of changes before the next frame."""
        if self._rebuild_pending:
            return
        self._rebuild_pending = True
        self.call_after_refresh(self._rebuild, screen)

    def _rebuild(self, screen: Screen) -> None:
        self._rebuild_pending = False
        super().bindings_changed(screen)
