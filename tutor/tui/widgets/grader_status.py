"""The status bar: which grader is active, and a visible note when grading fell back to rules."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

from tutor.grading.service import GraderStatus


class GraderStatusBar(Widget):
    """One line at the bottom of a screen; follows the app's ``grader_status`` reactive."""

    DEFAULT_CSS = """
    GraderStatusBar {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text-muted;
    }
    GraderStatusBar.-fallback {
        background: $warning 25%;
        color: $text;
    }
    """

    def on_mount(self) -> None:
        """Follow the app's grader status."""
        self.watch(self.app, "grader_status", self._status_changed)

    def _status_changed(self, status: GraderStatus) -> None:
        self.set_class(status.is_fallback, "-fallback")
        self.tooltip = status.note or None
        self.refresh()

    @property
    def status(self) -> GraderStatus:
        """The status shown."""
        # The app is typed as any App here (importing TutorApp would close a cycle).
        return self.app.grader_status  # type: ignore[attr-defined]

    def render(self) -> RenderResult:
        status = self.status
        if status.phase == "loading":
            return Content.from_markup(
                "grader: [b]$label[/b] [$text-muted](loading in the background)[/]",
                label=status.label)
        if status.phase == "fallback":
            return Content.from_markup("grader: [b]rules[/b] [$warning]⚠ $note[/]",
                                       note=f"fell back: {status.note}")
        return Content.from_markup("grader: [b]$label[/b]", label=status.label)
