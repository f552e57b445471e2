"""The rules as a fair fallback: no false vetoes on correct answers, real ones kept (issue 13, item 5).

Cards are invented here, on other subjects than the decks and the dev set, so that each
rule is general: list numbering is not a number, "prevents X" is restated by "does not
X", an explanation is not padding, and the sides of a contrast can be swapped.
"""

import pytest

from tutor.grading.base import GradeRequest
from tutor.grading.rules import RulesGrader

RULES = RulesGrader()


def grade(question: str, reference: str, answer: str):
    return RULES.grade(GradeRequest(question, reference, answer))


# ---------------------------------------------------------------- list numbering

STANDARD_SOLUTION = ("How do you prepare a standard solution?",
                     "1) weigh the solute 2) dissolve it in a little distilled water "
                     "3) make up to the mark in a volumetric flask")
TRIAL_STAGES = ("What are the stages of a criminal trial?",
                "1. arraignment\n2. jury selection\n3. opening statements\n4. evidence\n5. verdict")


@pytest.mark.parametrize("card, answer", [
    (STANDARD_SOLUTION, "weigh the solid, dissolve it in some distilled water, then pour it into a "
                        "250 ml volumetric flask and make up to the mark"),
    (TRIAL_STAGES, "arraignment, then selecting the 12 jurors, opening statements, the evidence "
                   "and finally the verdict"),
])
def test_list_numbering_is_not_a_number_to_match(card, answer) -> None:
    result = grade(*card, answer)
    assert result.correct and "number" not in result.notes, result.feedback


def test_numbers_inside_a_numbered_list_still_count() -> None:
    result = grade("How long should an egg boil for a firm yolk?", "1) boil the water 2) cook for 10 minutes",
                   "boil the water and cook it for 3 minutes")
    assert not result.correct and "'3' does not match '10'" in result.feedback


# ---------------------------------------------------------------- prevention and negation

VACCINE = ("What does a vaccine do?",
           "trains the immune system to recognise a pathogen, which prevents infection")
FUSE = ("What does a fuse do?", "melts when the current is too high, which stops the circuit from overheating")
LEVEE = ("What is the role of a levee?", "an embankment along a river that prevents flooding of the land behind it")
ANTACID = ("What does an antacid do?", "neutralises stomach acid, which relieves heartburn")


@pytest.mark.parametrize("card, answer", [
    (VACCINE, "it teaches the immune system to recognise the pathogen so you do not get infected"),
    (FUSE, "it melts if the current gets too high so the circuit does not overheat"),
    (LEVEE, "a raised bank along the river so the land behind it does not flood"),
    (ANTACID, "it neutralises stomach acid so there is no heartburn"),
])
def test_denying_what_the_reference_prevents_agrees_with_it(card, answer) -> None:
    result = grade(*card, answer)
    assert result.correct and "negation" not in result.notes, result.feedback


@pytest.mark.parametrize("card, answer", [
    (VACCINE, "a vaccine does not train the immune system, it treats the infection"),
    (VACCINE, "it trains the immune system to recognise a pathogen but does not prevent infection"),
    (FUSE, "it does not melt, it stops the circuit from overheating"),
    (ANTACID, "it neutralises stomach acid but it is not for heartburn"),
])
def test_negating_what_the_reference_states_is_still_a_contradiction(card, answer) -> None:
    result = grade(*card, answer)
    assert result.score == 0 and "negation" in result.notes, result.feedback


def test_preventing_what_the_reference_denies_agrees_with_it() -> None:
    card = ("What does a circuit breaker ensure?", "that the wiring does not overheat")
    assert grade(*card, "it prevents the wiring from overheating").score == 5
    assert "negation" in grade(*card, "the wiring overheats").notes


# ---------------------------------------------------------------- explanation is not padding

WIND = ("What is a disadvantage of wind power?", "intermittent supply")
UNICAMERAL = ("What is a disadvantage of a unicameral legislature?", "fewer checks on hasty legislation")


@pytest.mark.parametrize("card, answer", [
    (WIND, "the supply is intermittent because the wind speed varies from day to day"),
    (UNICAMERAL, "there are fewer checks on hasty legislation since no second chamber reviews the bills"),
    (("Which gas do plants take in for photosynthesis? Explain how it enters the leaf.", "Carbon dioxide."),
     "carbon dioxide: it diffuses into the leaf through open stomata down its concentration gradient"),
    (("Which element did Marie Curie discover first? Explain how she found it.", "Polonium."),
     "polonium - she separated it from pitchblende ores, whose radioactivity was higher than uranium "
     "content explained"),
])
def test_an_explanation_of_the_reference_is_not_padding(card, answer) -> None:
    result = grade(*card, answer)
    assert result.score >= 4 and "padding" not in result.notes, result.feedback


@pytest.mark.parametrize("card, answer", [
    (WIND, "the supply is intermittent, and the turbines release large amounts of carbon dioxide"),
    (WIND, "the supply is intermittent because turbines only work at night"),
    (UNICAMERAL, "fewer checks on hasty legislation, and its members are appointed by the monarch for life"),
])
def test_the_reference_padded_with_other_claims_is_still_caught(card, answer) -> None:
    result = grade(*card, answer)
    assert result.score <= 1 and "padding" in result.notes, result.feedback
