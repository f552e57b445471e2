"""The graded answer: score, verdict, feedback, the reference with key points marked, a diff."""

from __future__ import annotations

import re

from rich.spinner import Spinner
from textual.app import ComposeResult, RenderResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from tutor.decks.model import Card
from tutor.grading.base import MAX_SCORE, PASS_SCORE, PASS_WORDS, GradeResult
from tutor.grading.service import short_name
from tutor.study.session import SELF_GRADER, SELF_RIGHT_SCORE, SELF_WRONG_SCORE, Attempt
from tutor.tui.widgets.word_diff import is_near_miss, word_diff


def verdict_word(result: GradeResult, decided_by_learner: bool = False) -> str:
    """A word or two for a score: a 4 is "with a slip" only when a spelling slip was found;
    a verdict the learner gave (the override, "were you right?") says so, and a self-rating
    is the learner's score, not a right/wrong."""
    if result.grader == SELF_GRADER:
        return "Your rating"
    if decided_by_learner:
        return "Right (you said so)" if result.correct else "Wrong (you said so)"
    if result.score == 4 and result.slips:
        return "Correct, with a slip"
    return PASS_WORDS.get(result.score, "Not right" if result.score else "Wrong")


#: What a model file's name adds after the model itself: '-instruct', the quantisation.
_FILE_SUFFIXES = re.compile(r"(?:[-_.](?:instruct|chat|it|gguf|q\d\w*|iq\d\w*|f16|f32|bf16))+$",
                            re.IGNORECASE)


def model_label(grader: str) -> str:
    """The grader as the verdict line names it, short enough for one line at 80 columns:
    'llm:qwen2.5-coder-1.5b-instruct-q4_k_m' -> 'qwen2.5-coder-1.5b' ('rules' stays)."""
    name = short_name(grader)
    return _FILE_SUFFIXES.sub("", name) or name


def score_style(score: int) -> str:
    """Theme colour of a score: 4-5 success, 3 (a pass with gaps) warning, 0-2 error."""
    return "$success" if score >= 4 else "$warning" if score >= PASS_SCORE else "$error"


def diff_content(answer: str, reference: str) -> Content:
    """Word diff in theme colours: your extra words struck through, missing ones underlined."""
    styles = {"same": "", "extra": "strike $error", "missing": "underline $success"}
    pieces: list[str | tuple[str, str]] = []
    for index, (kind, words) in enumerate(word_diff(answer, reference)):
        if index:
            pieces.append(" ")
        pieces.append((words, styles[kind]) if styles[kind] else words)
    return Content.assemble(*pieces)


def score_content(attempt: Attempt) -> Content:
    """'4/5 ●●●●○ Correct, with a slip · box 2 → 3 · rules'."""
    result = attempt.result
    style = score_style(result.score)
    dots = "●" * result.score + "○" * (MAX_SCORE - result.score)
    box = f"box {attempt.box_before} → {attempt.box_after}"
    if attempt.review.kind == "practice" and attempt.box_before == attempt.box_after:
        box = f"box {attempt.box_after} (practice)"  # asked early: a right answer keeps its box
    by = "rated by you" if result.grader == SELF_GRADER else f"graded by {model_label(result.grader)}"
    return Content.assemble(
        (f"{result.score}/{MAX_SCORE} ", f"bold {style}"), (dots, style), "  ",
        (verdict_word(result, attempt.decided_by_learner), f"bold {style}"),
        ("  ·  ", "$text-muted"), box,
        ("  ·  ", "$text-muted"), (by, "$text-muted"),
    )


def _spans(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for phrase in phrases:
        phrase = phrase.strip()
        if not phrase:
            continue
        match = re.search(re.escape(phrase), text, re.IGNORECASE)
        if match is not None:
            spans.append(match.span())
    return spans


def reference_content(reference: str, result: GradeResult) -> Content:
    """The reference with matched key points highlighted and missing ones marked.

    Key points found verbatim are styled in place; the others are listed under it.
    """
    matched = _spans(reference, result.matched)
    missing = _spans(reference, result.missing)
    marks: list[tuple[int, int, str]] = [(a, b, "bold $success") for a, b in matched]
    marks += [(a, b, "$error underline") for a, b in missing
              if not any(a < mb and ma < b for ma, mb in matched)]
    marks.sort()
    pieces: list[str | tuple[str, str]] = []
    position = 0
    for start, end, style in marks:
        if start < position:
            continue
        pieces.append(reference[position:start])
        pieces.append((reference[start:end], style))
        position = end
    pieces.append(reference[position:])
    lines: list[str | tuple[str, str]] = [("Reference  ", "bold"), *pieces]
    for point in result.matched:
        if not _spans(reference, (point,)):
            lines += ["\n", ("  ✓ ", "$success"), point]
    for point in result.missing:
        if not _spans(reference, (point,)):
            lines += ["\n", ("  ✗ missing: ", "$error"), point]
    return Content.assemble(*lines)


class RefiningSpinner(Widget):
    """A spinner with a line of text, shown while the model refines the verdict."""

    DEFAULT_CSS = """
    RefiningSpinner {
        height: 1;
        color: $text-muted;
    }
    """

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spinner = Spinner("dots", text=text)

    def set_spinning(self, spinning: bool) -> None:
        """Show and animate the spinner, or hide it."""
        self.display = spinning
        self.auto_refresh = 1 / 10 if spinning else None

    def set_text(self, text: str) -> None:
        """Change the line next to the spinner."""
        self._spinner.update(text=text)
        self.refresh()

    def render(self) -> RenderResult:
        return self._spinner


class GradeView(VerticalScroll, can_focus=True):
    """Everything about one graded answer; `show` redraws it when the grade changes."""

    def compose(self) -> ComposeResult:
        yield Static(id="score")
        yield RefiningSpinner(id="refining")
        yield Static(id="ask")
        yield Static(id="feedback")
        yield Static(id="why")
        yield Static(id="reference")
        yield Static(id="diff")
        yield Static(id="notes")

    def clear(self) -> None:
        """Empty the view (while the next question is asked)."""
        for child in self.query(Static):
            child.update("")
            if child.id not in ("score", "feedback", "reference"):
                child.display = False
        self.query_one("#refining", RefiningSpinner).set_spinning(False)
        self.scroll_home(animate=False)

    def reveal(self, card: Card) -> None:
        """Show ``card``'s reference, nothing typed, and ask the learner to rate themselves."""
        self.clear()
        self.query_one("#score", Static).update(
            Content.assemble(("How well did you know it?", "bold")))
        self.query_one("#feedback", Static).update(Content.from_markup(
            "[b reverse] 0 [/b reverse]–[b reverse] 5 [/b reverse] 0 blank · 3 partly · 5 all"
            f"   [b reverse] y [/b reverse] knew it ({SELF_RIGHT_SCORE})"
            f"   [b reverse] n [/b reverse] didn't ({SELF_WRONG_SCORE})"))
        self.query_one("#reference", Static).update(
            Content.assemble(("Reference  ", "bold"), card.back))

    def show(self, attempt: Attempt, model_label: str = "the model") -> None:
        """Draw ``attempt`` with the grade now in force."""
        result = attempt.result
        card = attempt.card
        self.query_one("#score", Static).update(score_content(attempt))
        spinner = self.query_one("#refining", RefiningSpinner)
        spinner.set_spinning(attempt.refining)
        spinner.set_text(f" {model_label} is checking this answer; you can move on (Enter)")
        ask = self.query_one("#ask", Static)
        ask.display = attempt.asks_learner
        ask.update(Content.from_markup(
            "[bold $warning]The grader is unsure.[/] Were you right?  "
            "[b reverse] y [/b reverse] yes   [b reverse] n [/b reverse] no"))
        # Feedback quotes the card and the answer: shown as written, never read as markup.
        self.query_one("#feedback", Static).update(Content(result.feedback or verdict_word(result)))
        why = self.query_one("#why", Static)
        why.display = attempt.explaining or bool(attempt.explanation)
        why.update(Content.assemble(("Why? ", "bold"), Content(
            attempt.explanation or f"{model_label} is writing a sentence or two…")))
        self.query_one("#reference", Static).update(reference_content(card.back, result))
        diff = self.query_one("#diff", Static)
        # Near misses only: a full-marks answer has nothing to fix.
        near_miss = result.score < MAX_SCORE and is_near_miss(attempt.answer, card.back)
        pieces = word_diff(attempt.answer, card.back) if near_miss else []
        near = any(kind != "same" for kind, _words in pieces)
        diff.display = near
        if near:
            diff.update(Content.assemble(("Your answer vs reference  ", "bold"),
                                         diff_content(attempt.answer, card.back)))
        notes = list(result.notes)
        if attempt.refinement_note:
            notes.append(attempt.refinement_note)
        if attempt.added_alternative:
            notes.append(f"added to the accepted answers: {attempt.added_alternative}")
        notes_widget = self.query_one("#notes", Static)
        notes_widget.display = bool(notes)
        notes_widget.update(Content("\n".join(notes)))
