"""The model's "why?" as the learner reads it: one plain line, about their own answer."""

from __future__ import annotations

from tutor.grading.judge import clean_explanation


def test_the_students_answer_reads_as_your_answer() -> None:
    text = ("The student's answer is incorrect because it names only one layer.\n"
            "It misses what the student’s response should say about depth; the student's "
            "answer also confuses weights with layers.")
    assert clean_explanation(text) == (
        "Your answer is incorrect because it names only one layer. It misses what your "
        "response should say about depth; your answer also confuses weights with layers.")


def test_other_mentions_of_the_student_and_control_characters() -> None:
    assert clean_explanation("The student\x1b[31m wrote a list.") == "The student [31m wrote a list."
    assert clean_explanation("A student's notes are not the reference.") == (
        "A student's notes are not the reference.")
