"""The command palette (Ctrl+P): the current screen's main actions, searchable."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TutorCommands(Provider):
    """Lists what the screen under the palette offers (its ``palette_actions``)."""

    def _actions(self) -> list[tuple[str, str, str]]:
        actions = getattr(self.screen, "palette_actions", None)
        return list(actions()) if callable(actions) else []

    async def discover(self) -> Hits:
        """Every action, in the screen's order."""
        for title, help_text, action in self._actions():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """Actions whose title matches ``query``."""
        matcher = self.matcher(query)
        for title, help_text, action in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self.screen.run_action, action),
                          text=title, help=help_text)
