"""The rules grader's feedback names only what is true: a spelling slip only for a word
genuinely misspelt (not another real word), missing words only as the reference writes
them, missing points only from the reference (never from an accepted answer).

The cards are written for these tests (none from the dev set or the training corpus).
"""

from __future__ import annotations

from tutor.grading.base import GradeRequest, GradeResult
from tutor.grading.rules import RulesGrader, Verdict, _feedback


def grade(question: str, reference: str, answer: str,
          alternatives: tuple[str, ...] = ()) -> GradeResult:
    return RulesGrader().grade(GradeRequest(question, reference, answer, alternatives))


def test_another_real_word_is_not_offered_as_a_spelling_slip() -> None:
    result = grade("Who first described the doubling of transistor counts?",
                   "Gordon Moore, a co-founder of Intel.",
                   "a co-founder of Intel who wanted more chips")
    assert "spelling" not in result.feedback and "'more'" not in result.feedback
    assert result.slips == ()
    assert "Gordon Moore" in result.feedback  # what is really missing


def test_a_real_word_for_a_real_word_does_not_cost_a_point() -> None:
    result = grade("What limits a river's flow in a dry summer?",
                   "The water level falls, so the stream carries less water.",
                   "the water level falls so the stream carries loss water")
    assert "spelling" not in result.feedback and result.slips == ()


def test_a_genuine_typo_is_named_and_is_a_slip() -> None:
    result = grade("How does water cross a cell membrane?",
                   "By osmosis through the membrane.",
                   "by osmossis through the membrane")
    assert result.score == 4
    assert "spelling: 'osmossis' -> 'osmosis'" in result.feedback
    assert result.slips == (("osmossis", "osmosis"),)


def test_missing_words_are_written_as_the_reference_writes_them() -> None:
    result = grade("What does a plant make in photosynthesis?",
                   "Plants use light to turn CO2 and water into glucose in the chloroplast.",
                   "plants use light")
    assert "CO2" in result.feedback and "co2" not in result.feedback


def test_a_word_the_reference_does_not_hold_is_never_missing() -> None:
    # The grader reads 'at least' as 'minimum': a word the learner cannot find on the card.
    result = grade("What should a runner do before a race?",
                   "Warm up for at least ten minutes.", "warm up")
    assert "minimum" not in result.feedback
    assert "ten" in result.feedback and "minutes" in result.feedback


def test_missing_points_come_from_the_reference_not_an_accepted_answer() -> None:
    result = grade("Which city is the capital of Portugal?", "Lisbon",
                   "the city of seven hills",
                   alternatives=("The city of seven hills on the Tagus estuary",))
    assert "Tagus" not in result.feedback and "estuary" not in result.feedback
    assert result.missing == ("Lisbon",)


def test_a_pass_with_nothing_to_list_is_not_called_wrong() -> None:
    passing = Verdict(score=3, coverage=0.45, main=0.5, precision=1.0)
    assert _feedback(passing) == "Partly right."
    # A 4 with nothing to list is mostly right, as the grade view says (never "Correct").
    assert _feedback(Verdict(score=4, coverage=0.7, main=1.0, precision=1.0)) == "Mostly right."
    assert _feedback(Verdict(score=5, coverage=1.0, main=1.0, precision=1.0)) == "Correct."
    assert _feedback(Verdict(score=2, coverage=0.3, main=0.3, precision=1.0)) == \
        "Not the reference answer."


def test_a_passing_answer_with_something_missing_is_not_called_correct() -> None:
    result = grade("What does a lighthouse keeper log each night?",
                   "The lamp lighting time, the weather, fog hours and passing ships.",
                   "the lamp lighting time, the weather and fog hours")
    assert result.score == 4, result
    assert "missing" in result.feedback or "not mentioned" in result.feedback
    assert not result.feedback.startswith("Correct"), result.feedback
    assert result.feedback.startswith("Mostly right")
    slipped = grade("How does water cross a cell membrane?", "By osmosis through the membrane.",
                    "by osmossis through the membrane")
    assert slipped.feedback.startswith("Correct: spelling")  # a slip alone is still correct


def test_a_slip_beside_something_missing_is_not_correct_with_a_slip() -> None:
    # The grade view says "Correct, with a slip" for a 4 with `slips`: only when the slip
    # is all that is wrong, as the feedback's lead says.
    from tutor.grading.local_model import feedback

    question = "What does the mitochondrion do?"
    reference = "It produces ATP through cellular respiration."
    unsaid = grade(question, reference, "it produces ATP through respiraton")
    assert unsaid.score == 4 and unsaid.feedback.startswith("Mostly right: not mentioned: cellular")
    assert unsaid.slips == ()
    missing = grade("What does a lighthouse keeper log each night?",
                    "The lamp lighting time, the weather, fog hours and passing ships.",
                    "the lamp lighting time, the wether and fog hours")
    assert missing.score == 4 and missing.feedback.startswith("Mostly right: missing")
    assert missing.slips == ()
    slip = grade(question, reference, "it produces ATP through cellular respiraton")
    assert slip.score == 4 and slip.feedback.startswith("Correct: spelling")
    assert slip.slips == (("respiraton", "respiration"),)
    # The model's feedback (its head decides the score) follows the same words.
    rules = RulesGrader()
    verdict = rules.assess(question, reference, "it produces ATP through respiraton")
    assert feedback(4, verdict) == "Mostly right."
    slipped = rules.assess(question, reference, "it produces ATP through cellular respiraton")
    assert feedback(4, slipped) == "Correct, with a slip: 'respiraton' -> 'respiration'."
    assert feedback(3, slipped) == "Partly right."  # a 3 is never "correct"
    assert feedback(4, rules.assess(question, reference, "mitochondria are organelles")
                    ).startswith("Mostly right: the model accepts")


def test_i_dont_know_is_not_called_no_answer() -> None:
    card = ("What gas do divers breathe in a rebreather's bailout?", "Open-circuit air or nitrox.")
    said = grade(*card, "no idea, sorry")
    assert said.score == 0 and said.veto == "idk"
    assert said.feedback == "You said you don't know."
    assert grade(*card, "   ").feedback == "No answer given."
