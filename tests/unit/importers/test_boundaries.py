"""The boundary scorer shared by the line-based and Knowt importers."""

import pytest

from tutor.decks.importers.boundaries import (
    BoundaryProfile,
    SourceLine,
    are_digit_variants,
    asks,
    decode,
    expands_acronym,
    is_bullet,
    is_numbered,
    join_lines,
    restatement,
    segment_lines,
    to_source_lines,
)


def lines_of(*texts: str) -> list[SourceLine]:
    return to_source_lines(list(enumerate(texts, start=1)))


def test_decode_respects_the_card_shape() -> None:
    starts, probabilities = decode([5.0, 5.0, 5.0, -5.0, 5.0])
    assert starts[0] is True
    assert not any(a and b for a, b in zip(starts, starts[1:])), "a front needs an answer line"
    assert starts[-1] is False, "the last line cannot start a card"
    assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert decode([]) == ([], [])
    assert decode([-3.0]) == ([True], [1.0])


def test_decode_probabilities_follow_the_scores() -> None:
    _starts, probabilities = decode([0.0, -4.0, 4.0, -4.0, 0.0, -4.0])
    assert probabilities[2] > 0.9
    assert probabilities[1] < 0.1
    assert 0.2 < probabilities[4] < 0.8  # no evidence either way: unsure


@pytest.mark.parametrize(
    ("text", "bullet"),
    [("- item", True), ("-item", True), ("• item", True), ("-1 is negative", False), ("word", False)],
)
def test_bullets(text: str, bullet: bool) -> None:
    assert is_bullet(text) is bullet


def test_numbered_items() -> None:
    assert is_numbered("1) start") and is_numbered("2. step") and is_numbered("a) option")
    assert not is_numbered("1st input: accounts") and not is_numbered("2020 was a year")


def test_question_openings() -> None:
    assert asks("what is a noun") == 2.5
    assert asks("Difference between mitosis and meiosis") > 1.5
    assert asks("List the noble gases") > 1.5
    assert asks("List of things to tune") == 0.0  # a noun phrase, not an instruction
    assert asks("Where sequence matters") < 1.0  # 'where' without a verb is a relative clause
    assert asks("Photosynthesis") == 0.0


def test_restatement_and_acronyms() -> None:
    assert restatement("adversarial example", "An adversarial example is an input ...") == 2.0
    assert restatement("Vanishing Gradient Problem", "Vanishing Gradient is when the slope ...") == 2.0
    assert restatement("Mitosis", "cell division producing two cells") == 0.0
    assert expands_acronym("LSTM full format", "Long Short Term Memory")
    assert expands_acronym("ECHR", "European Convention on Human Rights")
    assert not expands_acronym("LSTM", "maintains long and short term state")


def test_digit_variants() -> None:
    assert are_digit_variants("Conv1D", "Conv2D")
    assert are_digit_variants("Article 2 ECHR", "Article 3 ECHR")
    assert not are_digit_variants("1) start with random weights", "2) compute predictions")
    assert not are_digit_variants("Conv1D", "Conv1D")


def test_join_lines_keeps_one_blank_between_paragraphs() -> None:
    lines = to_source_lines([(1, "a"), (2, ""), (3, ""), (4, "b"), (5, "c")])
    assert [line.blank_before for line in lines] == [False, True, False]
    assert join_lines(lines) == "a\n\nb\nc"


def test_segment_lines_reports_unsure_decisions() -> None:
    lines = lines_of(
        "What is an enzyme?", "a biological catalyst",
        "Enzyme kinetics", "Michaelis constant", "Km",
    )
    result = segment_lines(lines, BoundaryProfile())
    assert result.cards[0].front_text == "What is an enzyme?"
    assert len(result.probabilities) == len(lines)
    for warning in result.warnings:
        assert warning.line in {3, 4, 5}
        assert warning.confidence is not None and warning.confidence < 0.75


def test_knowt_style_lower_case_fronts() -> None:
    lines = lines_of(
        "what is a cell", "the basic unit of life", "what is dna", "a molecule",
        "that carries genes", "how do cells divide", "mitosis", "meiosis",
    )
    result = segment_lines(lines, BoundaryProfile(lowercase_fronts=True))
    assert [card.front_text for card in result.cards] == [
        "what is a cell", "what is dna", "how do cells divide",
    ]
    assert result.cards[2].back_text == "mitosis\nmeiosis"
