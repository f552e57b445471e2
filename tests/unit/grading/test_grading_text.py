"""Normalisation, tokens, word matching and numbers used by the rules grader."""

from tutor.grading.keypoints import asked_count, parse_reference
from tutor.grading.text import (
    antonyms,
    negated_form,
    normalise,
    numbers_equal,
    stem,
    tokenize,
    word_match,
)


def _match(answer: str, reference: str) -> tuple[float, str]:
    a, r = tokenize(answer)[0], tokenize(reference)[0]
    return word_match(a.text, r.text, a.key, r.key)


def test_folding_expands_contractions_shorthand_and_phrases() -> None:
    text = normalise("It doesn’t go up — w/o errors, bc the LR’s fine & café")
    assert "does not" in text and "increases" in text
    assert "without" in text and " and " in text and "cafe" in text
    assert "because" in [t.text for t in tokenize("bc the lr is fine")]


def test_stems_join_inflections_and_british_spelling() -> None:
    assert stem("modelling") == stem("modeling") == stem("model")
    assert stem("vectorisation") == stem("vectorization")
    assert stem("labelled") == stem("labeled")
    assert stem("colours") == stem("color")
    assert stem("uses") == stem("used") == stem("using") == stem("use")


def test_typos_match_but_different_words_do_not() -> None:
    assert _match("convolutinal", "convolutional") == (0.9, "typo")
    assert _match("netwrok", "network")[1] == "typo"
    assert _match("profase", "prophase")[1] == "typo"
    assert _match("meiosis", "mitosis")[0] == 0.0
    assert _match("naltrexone", "naloxone")[0] == 0.0
    assert _match("2d", "3d")[0] == 0.0


def test_synonyms_families_and_abbreviations() -> None:
    assert _match("tiny", "small")[1] == "synonym"
    assert _match("probabilistic", "probability")[1] == "family"
    assert _match("eps", "epsilon")[1] == "abbreviation"
    assert _match("b1", "beta1")[1] == "abbreviation"


def test_antonyms_from_pairs_and_prefixes() -> None:
    assert antonyms("first", "last")
    assert antonyms("increases", "decrease")
    assert antonyms("hypoglycaemia", "hyperglycaemia")
    assert antonyms("endothermic", "exothermic")
    assert not antonyms("first", "initial")
    assert negated_form("unlabeled", "labeled")
    assert negated_form("invalid", "valid")
    assert not negated_form("inflows", "flows")
    assert not negated_form("around", "round")


def test_negation_marks_the_words_it_applies_to() -> None:
    tokens = {t.text: t.negated for t in tokenize("the error does not decrease, the loss grows")}
    assert tokens["decrease"] is True
    assert tokens["loss"] is False and tokens["grows"] is False


def test_numbers_words_fractions_and_scientific_notation() -> None:
    values = [t.number for t in tokenize("one complete pass, 1,100 / 1.10, ½ mv², 150 million km") if t.number]
    assert values == [1, 1100, 1.1, 0.5, 2, 150_000_000]
    light_year = [t for t in tokenize("about 9.46 × 10^12 km") if t.number][0]
    assert numbers_equal(tokenize("9.5 trillion")[0], light_year)
    assert numbers_equal(tokenize("9.8")[0], tokenize("9.81")[0])
    assert not numbers_equal(tokenize("-11")[0], tokenize("11")[0])
    assert [t.number for t in tokenize("angiotensin II into angiotensin I") if t.content] == [None, 2, None, 1]


def test_key_points_from_lists_sentences_and_parentheses() -> None:
    parse = parse_reference("Beta1, beta2 and epsilon", "Which Adam hyperparameters are never tuned?")
    assert parse.is_list and [p.text for p in parse.required] == ["Beta1", "beta2", "epsilon"]
    cnn = parse_reference("CNN (convolution neural network)", "Which architecture?")
    assert [t.key for t in cnn.points[0].alias] == [stem("convolution"), "neural", stem("network")]
    sigmoid = parse_reference("Sigmoid, because you want to limit the output to the range 0 to 1.",
                              "Which activation for binary output?")
    assert [p.text for p in sigmoid.required][0] == "Sigmoid"
    examples = parse_reference("e.g. HTTP, DNS, SMTP (also FTP, SSH)", "Name three application-layer protocols.")
    assert examples.required_items == 3
    assert {p.text for p in examples.points if p.optional} == {"FTP", "SSH"}


def test_words_the_question_gives_are_not_required_but_choices_are() -> None:
    parse = parse_reference("Less accurate: the error grows.", "Would it be more or less accurate?")
    assert "less" in {t.key for p in parse.required for t in p.tokens}
    given = parse_reference("Mean squared error decreases as iterations go up.",
                            "What happens to the mean squared error as iterations go up?")
    assert [t.key for t in given.required[0].tokens] == [stem("decreases")]


def test_asked_count() -> None:
    assert asked_count("Name three CPU scheduling algorithms.") == 3
    assert asked_count("Give 2 examples of X") == 2
    assert asked_count("What is an epoch?") is None
