"""The verdict line says what happened: "with a slip" only for a spelling slip, and the
learner's own "I was wrong" reads as wrong, without the grader's contrary words."""

from __future__ import annotations

from pathlib import Path

from tests.functional.conftest import settle, text_of, write_deck
from tutor.decks import load_library
from tutor.grading.base import GradeRequest, GradeResult
from tutor.schedule import FixedClock, LeitnerScheduler
from tutor.settings import Settings
from tutor.store import StudyStore
from tutor.tui import create_app
from tutor.tui.screens.override import OverrideScreen


class FourWithoutSlip:
    """A model stand-in that gives every answer 4/5 and finds no spelling slip."""

    name = "llm:four"

    def grade(self, request: GradeRequest) -> GradeResult:
        return GradeResult(score=4, feedback="Mostly right; the reference adds a detail.",
                           grader=self.name, confidence=0.9)


async def test_a_four_without_a_slip_is_mostly_right(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock(),
                     grader=FourWithoutSlip())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"the city of Paris", "enter")
        await settle(pilot)
        score = text_of(app, "#score")
        assert "4/5" in score and "Mostly right" in score and "slip" not in score


async def test_i_was_wrong_reads_wrong(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
        assert "5/5" in text_of(app, "#score") and "Correct" in text_of(app, "#score")
        await pilot.press("o")
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("w")
        await pilot.pause()
        score, feedback = text_of(app, "#score"), text_of(app, "#feedback")
        assert "1/5" in score and "Wrong" in score and "Correct" not in score
        assert feedback == "You marked this answer wrong (the grader gave 5/5)."
        assert app.store.reviews()[-1].score == 1


class RulesOnAnotherCard:
    """The rules' verdict on a 4 with a spelling slip and a word not mentioned."""

    name = "rules"

    def grade(self, request: GradeRequest) -> GradeResult:
        from tutor.grading.rules import RulesGrader

        return RulesGrader().grade(GradeRequest("What does the mitochondrion do?",
                                                "It produces ATP through cellular respiration.",
                                                "it produces ATP through respiraton"))


async def test_a_four_with_a_slip_and_a_word_missing_is_mostly_right(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock(),
                     grader=RulesOnAnotherCard())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"Paris", "enter")
        await settle(pilot)
        score, feedback = text_of(app, "#score"), text_of(app, "#feedback")
        assert feedback.startswith("Mostly right: not mentioned: cellular")
        assert "4/5" in score and "Mostly right" in score and "Correct" not in score


async def test_a_practice_answer_says_its_box_stays(tmp_path: Path) -> None:
    library = load_library([write_deck(tmp_path)])
    deck = library.decks[0]
    peru = next(card for card in deck.cards if "Peru" in card.front)
    clock = FixedClock()
    scheduler = LeitnerScheduler()
    with StudyStore(Settings().profile_path) as store:  # learned earlier: box 2, not yet due
        outcome = scheduler.review(scheduler.new_state(peru.id, deck.key), 5, clock.now())
        store.record_review(outcome.review, outcome.state)
    drill = create_app(Settings(), library, clock=clock, topics=["America"])
    async with drill.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Lima", "enter")
        await settle(pilot)
        score = text_of(drill, "#score")
        assert drill.store.reviews()[-1].kind == "practice"
        assert "5/5" in score and "box 2 (practice)" in score and "→" not in score, score


class NamedLikeAModelFile:
    """A refiner named as the default model's file is (what `tutor` shows after Enter)."""

    name = "llm:qwen2.5-coder-1.5b-instruct-q4_k_m"

    def grade(self, request: GradeRequest) -> GradeResult:
        return GradeResult(score=3, feedback="Partly right.", grader=self.name, confidence=0.7)


async def test_the_verdict_line_names_the_model_in_one_line_at_80_columns(tmp_path: Path) -> None:
    app = create_app(Settings(), load_library([write_deck(tmp_path)]), clock=FixedClock(),
                     grader=NamedLikeAModelFile())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", *"the city of Paris", "enter")
        await settle(pilot)
        score = text_of(app, "#score")
        assert score.endswith("graded by qwen2.5-coder-1.5b"), score
        assert app.screen.query_one("#score").region.height == 1
