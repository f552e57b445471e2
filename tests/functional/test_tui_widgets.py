"""Widgets that the study screen is built from."""

from textual.app import App, ComposeResult
from textual.reactive import reactive

from tutor.grading.service import GraderStatus
from tutor.tui.widgets.answer_input import AnswerInput
from tutor.tui.widgets.grader_status import GraderStatusBar
from tutor.tui.widgets.key_footer import KeyFooter
from tutor.tui.widgets.word_diff import is_near_miss, word_diff


class AnswerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield AnswerInput(id="answer")

    def on_answer_input_submitted(self, event: AnswerInput.Submitted) -> None:
        self.submitted.append(event.value)


async def test_enter_submits_and_ctrl_j_breaks_the_line() -> None:
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(AnswerInput).focus()
        await pilot.press(*"first", "ctrl+j", *"second")
        assert app.submitted == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.submitted == ["first\nsecond"]


def test_word_diff_marks_extra_and_missing_words() -> None:
    pieces = word_diff("the mitochondra makes ATP", "The mitochondria makes ATP.")
    assert ("extra", "mitochondra") in pieces
    assert ("missing", "mitochondria") in pieces
    assert pieces[0] == ("same", "The")
    assert is_near_miss("mitochondra", "mitochondria")
    assert not is_near_miss("", "mitochondria")
    assert not is_near_miss("golgi", "mitochondria")


class FooterApp(App[None]):
    """A screen whose 'toggle' key shows only while ``armed``."""

    BINDINGS = [("t", "toggle", "Toggle"), ("x", "other", "Other")]

    def __init__(self) -> None:
        super().__init__()
        self.armed = False

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.armed if action == "toggle" else True


async def test_key_footer_folds_many_changes_into_one_rebuild_with_the_latest_keys() -> None:
    app = FooterApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert footer.compact
        rebuilds = []
        original = footer.recompose

        async def counted() -> None:
            rebuilds.append(1)
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        for _ in range(5):
            app.screen.refresh_bindings()
        app.armed = True
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(rebuilds) == 1
        keys = {key.key: key for key in footer.query("FooterKey")}  # Textual's own key widgets
        assert not keys["t"].disabled  # the rebuild read the keys in force at the time


class StatusApp(App[None]):
    """The status bar alone, following the app's grader status as in tutor."""

    grader_status: reactive[GraderStatus] = reactive(GraderStatus("rules", "rules"))

    def compose(self) -> ComposeResult:
        yield GraderStatusBar()


async def test_a_long_fallback_note_is_cut_with_an_ellipsis_not_at_a_word() -> None:
    # A bad model path: the bar used to wrap inside its one line and show
    # "…model file not found: /tmp/nope/model.gguf; grading", as if that were all.
    app = StatusApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.grader_status = GraderStatus(
            "rules", "fallback",
            "model file not found: /tmp/some/folder/models/model.gguf; grading with rules")
        await pilot.pause()
        line = app.query_one(GraderStatusBar).render_line(0).text.rstrip()
        assert line.startswith("grader: rules ⚠ fell back: model file not found: /tmp/some/")
        assert line.endswith("…")
