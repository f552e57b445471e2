"""The rules as a fair fallback: no false vetoes on correct answers, real ones kept (issue 13, item 5).

Cards are invented here, on other subjects than the decks and the dev set, so that each
rule is general: list numbering is not a number, "prevents X" is restated by "does not
X", an explanation is not padding, and the sides of a contrast can be swapped. Each test
pairs a fair answer that the rules used to fail with a wrong answer to the same card that
they must still catch.
"""

import pytest

from tutor.grading.base import GradeRequest, GradeResult
from tutor.grading.rules import RulesGrader

RULES = RulesGrader()


def grade(card: tuple[str, str], answer: str) -> GradeResult:
    return RULES.grade(GradeRequest(card[0], card[1], answer))


# ---------------------------------------------------------------- list numbering

STANDARD_SOLUTION = ("How do you prepare a standard solution?",
                     "1) weigh the solute 2) dissolve it in a little distilled water "
                     "3) make up to the mark in a volumetric flask")
TRIAL_STAGES = ("What are the stages of a criminal trial?",
                "1. arraignment\n2. jury selection\n3. opening statements\n4. evidence\n5. verdict")
EGG = ("How long should an egg boil for a firm yolk?", "1) boil the water 2) cook for 10 minutes")


@pytest.mark.parametrize("card, answer", [
    (STANDARD_SOLUTION, "weigh the solid, dissolve it in some distilled water, then pour it into a "
                        "250 ml volumetric flask and make up to the mark"),
    (TRIAL_STAGES, "arraignment, then selecting the 12 jurors, opening statements, the evidence "
                   "and finally the verdict"),
])
def test_list_numbering_is_not_a_number_to_match(card, answer) -> None:
    result = grade(card, answer)
    assert result.correct and "number" not in result.checks, result.feedback


def test_numbers_inside_a_numbered_list_still_count() -> None:
    result = grade(EGG, "boil the water and cook it for 3 minutes")
    assert not result.correct and "'3' does not match '10'" in result.feedback
    assert grade(EGG, "boil the water, then cook the egg for 10 minutes").correct


# ---------------------------------------------------------------- prevention and negation

VACCINE = ("What does a vaccine do?",
           "trains the immune system to recognise a pathogen, which prevents infection")
FUSE = ("What does a fuse do?", "melts when the current is too high, which stops the circuit from overheating")
LEVEE = ("What is the role of a levee?", "an embankment along a river that prevents flooding of the land behind it")
ANTACID = ("What does an antacid do?", "neutralises stomach acid, which relieves heartburn")


@pytest.mark.parametrize("card, fair, wrong", [
    (VACCINE, "it teaches the immune system to recognise the pathogen so you do not get infected",
     "a vaccine does not train the immune system, it treats the infection"),
    (VACCINE, "it teaches the immune system to recognise the pathogen so you do not get infected",
     "it trains the immune system to recognise a pathogen but does not prevent infection"),
    (FUSE, "it melts if the current gets too high so the circuit does not overheat",
     "it does not melt, it stops the circuit from overheating"),
    (LEVEE, "a raised bank along the river so the land behind it does not flood",
     "an embankment along a river that does not prevent flooding"),
    (ANTACID, "it neutralises stomach acid so there is no heartburn",
     "it neutralises stomach acid but it is not for heartburn"),
])
def test_denying_what_the_reference_prevents_agrees_with_it(card, fair, wrong) -> None:
    result = grade(card, fair)
    assert result.correct and "negation" not in result.checks, result.feedback
    result = grade(card, wrong)
    assert result.score == 0 and "negation" in result.checks, result.feedback


def test_preventing_what_the_reference_denies_agrees_with_it() -> None:
    card = ("What does a circuit breaker ensure?", "that the wiring does not overheat")
    assert grade(card, "it prevents the wiring from overheating").score == 5
    assert "negation" in grade(card, "the wiring overheats").checks


# ---------------------------------------------------------------- explanation is not padding

WIND = ("What is a disadvantage of wind power?", "intermittent supply")
UNICAMERAL = ("What is a disadvantage of a unicameral legislature?", "fewer checks on hasty legislation")
CO2 = ("Which gas do plants take in for photosynthesis? Explain how it enters the leaf.", "Carbon dioxide.")
CURIE = ("Which element did Marie Curie discover first? Explain how she found it.", "Polonium.")


@pytest.mark.parametrize("card, fair, wrong", [
    (WIND, "the supply is intermittent because the wind speed varies from day to day",
     "the supply is intermittent, and the turbines release large amounts of carbon dioxide"),
    (WIND, "the supply is intermittent because the wind speed varies from day to day",
     "the supply is intermittent because turbines only work at night"),
    (UNICAMERAL, "there are fewer checks on hasty legislation since no second chamber reviews the bills",
     "fewer checks on hasty legislation, and its members are appointed by the monarch for life"),
    (CO2, "carbon dioxide: it diffuses into the leaf through open stomata down its concentration gradient",
     "carbon dioxide, which is always absorbed through the roots"),
    (CURIE, "polonium - she separated it from pitchblende ores, whose radioactivity was higher than uranium "
            "content explained", "radium"),
])
def test_an_explanation_of_the_reference_is_not_padding(card, fair, wrong) -> None:
    result = grade(card, fair)
    assert result.score >= 4 and "padding" not in result.checks, result.feedback
    assert not grade(card, wrong).correct


# ---------------------------------------------------------------- swapped sides of a contrast

GENE = ("How does a gene differ from a chromosome?",
        "a gene is a short section of DNA that codes for one protein, while a chromosome is a long "
        "coiled DNA molecule carrying many genes")
RECESSION = ("Recession versus depression?",
             "a recession is a fall in GDP for two consecutive quarters, whereas a depression is a severe "
             "recession that lasts for years")
ROME = ("Who were the patricians and the plebeians?",
        "Patricians: the wealthy landowning families of Rome; Plebeians: the common citizens, farmers and traders")
HEAT = ("Exothermic versus endothermic reactions?",
        "Exothermic: releases heat to the surroundings, so the temperature rises; endothermic: absorbs heat "
        "from the surroundings, so the temperature falls")


@pytest.mark.parametrize("card, swapped, fair", [
    (GENE, "a chromosome is a short section of DNA that codes for one protein, while a gene is a long coiled "
           "DNA molecule carrying many genes",
     "a chromosome is a long coiled molecule of DNA with many genes on it, while a gene is a short "
     "stretch of DNA coding for one protein"),
    (RECESSION, "a depression is a fall in GDP for two consecutive quarters, whereas a recession is a severe "
                "depression that lasts for years",
     "a depression is a severe recession lasting years; a recession is a fall in GDP for two consecutive "
     "quarters"),
    (ROME, "patricians: the common citizens, farmers and traders; plebeians: the wealthy landowning families",
     "plebeians were the ordinary citizens such as farmers and traders, patricians the wealthy "
     "landowning families"),
    (HEAT, "exothermic: absorbs heat from the surroundings, so the temperature falls; endothermic: releases "
           "heat to the surroundings, so the temperature rises",
     "endothermic reactions absorb heat from the surroundings so it gets colder; exothermic ones "
     "release heat to the surroundings"),
])
def test_swapped_sides_of_a_contrast_are_caught(card, swapped, fair) -> None:
    result = grade(card, swapped)
    assert result.score <= 1 and "swap" in result.checks, result.feedback
    result = grade(card, fair)
    assert result.correct and "swap" not in result.checks, result.feedback


SOLAR = ("What is a drawback of solar panels?", "their output depends on sunlight")


@pytest.mark.parametrize("card, fair, wrong", [
    (SOLAR, "the output depends on sunlight, so it is not always available",
     "the output depends on sunlight, and it always doubles at night"),
    (("What does DNA stand for?", "deoxyribonucleic acid"),
     "deoxyribonucleic acid (please excuse the spelling of my answer)",
     "deoxyribonucleic acid, and it is stored in the mitochondria of plants"),
])
def test_a_denied_absolute_or_a_request_is_not_padding(card, fair, wrong) -> None:
    result = grade(card, fair)
    assert result.score >= 4 and "padding" not in result.checks, result.feedback
    result = grade(card, wrong)
    assert result.score <= 1 and "padding" in result.checks, result.feedback


# ---------------------------------------------------------------- enumerations are not swaps

MEMORY = ("Name the kinds of computer memory.",
          "Random Access Memory (RAM)\nRead Only Memory (ROM)\nStatic Random Access Memory (SRAM)\n"
          "Dynamic Random Access Memory (DRAM)")
DRIVES = ("Which storage devices does a PC use?",
          "Hard Disk Drive (HDD)\nSolid State Drive (SSD)\nOptical Disc Drive (ODD)\nUSB Flash Drive (UFD)")


@pytest.mark.parametrize("card, listed", [
    (MEMORY, "RAM ROM SRAM DRAM"),
    (MEMORY, "ram rom sram and dram"),
    (DRIVES, "HDD SSD ODD UFD"),
])
def test_naming_the_items_of_a_list_in_one_breath_is_not_a_swap(card, listed) -> None:
    result = grade(card, listed)
    assert "swap" not in result.checks and result.correct, result.feedback
