"""The command palette (Ctrl+P): the current screen's main actions, searchable.

The entries come from the screen's ``BINDINGS`` (`tutor.tui.keys.palette_entries`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tutor.tui.keys import palette_entries


class TutorCommands(Provider):
    """Lists what the screen under the palette offers: its keys that name a palette entry
    and apply now."""

    def _runner(self, action: str) -> Callable[[], object]:
        """What choosing ``action`` runs: the screen's palette runner if it has one
        (the study screen lets commands through while its answer box has focus)."""
        run = getattr(self.screen, "run_palette_action", None) or self.screen.run_action
        return partial(run, action)

    def _actions(self) -> list[tuple[str, str, str]]:
        return palette_entries(self.screen)

    async def discover(self) -> Hits:
        """Every action, in the screen's order."""
        for title, help_text, action in self._actions():
            yield DiscoveryHit(title, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose title matches ``query``."""
        matcher = self.matcher(query)
        for title, help_text, action in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._runner(action),
                          text=title, help=help_text)
