"""Brainscape printouts: numbered Q/A cards, rating widgets, chapter codes, sections."""

from pathlib import Path

from tutor.decks.importers.brainscape import BrainscapeImporter, tidy_block

DATA = Path(__file__).parent / "data"
IMPORTER = BrainscapeImporter()

WIDGET = "How well did you know this?\n1\nNot at all\n2\n3\n4\n5\nPerfectly\n"


def pairs(result):
    return [(card.front, card.back) for card in result.cards]


def test_chemistry_printout_card_for_card() -> None:
    result = IMPORTER.parse((DATA / "chemistry-brainscape.txt").read_text(encoding="utf-8"))
    assert result.title == "General Chemistry Flashcards"
    assert pairs(result) == [
        ("What are the three subatomic particles?", "proton\nneutron\nelectron"),
        ("Atomic number", "The number of protons in the nucleus of an atom.\n\nIt defines the element."),
        ("How many electrons fit in the second shell?", "8"),
        (
            "A sample of carbon-14 decays with a half-life of 5730 years.\n\n"
            "How much of a 100 g sample remains after 11460 years?",
            "25 g\n2\nhalf-lives have passed",
        ),
        ("Avogadro's number", "6.022 × 10^23 particles per mole"),
        ("Ionic bond", "Electrostatic attraction between oppositely charged ions, formed by"
                       " electron transfer."),
        ("Covalent bond", "A shared pair of electrons between two atoms.\n0 net charge on the molecule"),
    ]
    # the deck heading and the heading after a rating widget are the sections
    assert [card.topic for card in result.cards] == ["Atomic Structure"] * 5 + ["Chemical Bonding"] * 2
    assert result.warnings == []


def test_digit_lines_in_answers_are_not_card_numbers() -> None:
    text = "T\n\n1\nQ\nHow many moles?\nA\n2\n\n3\nQ\nNext?\nA\nyes\n"
    result = IMPORTER.parse(text)
    # '2' is followed by a blank and '3', not by 'Q': it is the answer; 3 skips 2 (warned)
    assert pairs(result) == [("How many moles?", "2"), ("Next?", "yes")]
    assert any("card number 3" in w.message for w in result.warnings)


def test_rating_widget_is_never_card_text() -> None:
    text = f"Deck\n1\nQ\nfront one\nA\nback one\n{WIDGET}2\nQ\nfront two\nA\nback two\n{WIDGET}"
    result = IMPORTER.parse(text)
    assert pairs(result) == [("front one", "back one"), ("front two", "back two")]
    for card in result.cards:
        assert "Perfectly" not in card.back and "How well" not in card.back


def test_cards_without_widget_run_into_the_next_card() -> None:
    text = "Deck\n\n1\nQ\n\nalpha\n\nA\n\nfirst\n\nsecond\n\n2\nQ\n\nbeta\n\nA\n\nthird\n"
    result = IMPORTER.parse(text)
    assert pairs(result) == [("alpha", "first\n\nsecond"), ("beta", "third")]


def test_chapter_codes_become_topics_and_leave_the_front() -> None:
    text = (
        "Course\n\n1\nQ\n\nIntro card\n\nA\n\nintro\n\n"
        "2\nQ\n\nCoding it\n\n02 01\n\nA\n\nsecond chapter\n\n"
        "3\nQ\n\n0202 Scaling up\n\nA\n\nstill two\n\n"
        "4\nQ\n\nno code here\n\nA\n\ninherits two\n\n"
        "5\nQ\n\n0300\nUnderstanding data\n\nA\n\nchapter three\n\n"
        "6\nQ\n\n03 Classification data\n\nA\n\nalso three\n"
    )
    result = IMPORTER.parse(text)
    assert [card.front for card in result.cards] == [
        "Intro card", "Coding it", "Scaling up", "no code here", "Understanding data",
        "Classification data",
    ]
    assert [card.topic for card in result.cards][1:] == [
        "chapter 2", "chapter 2", "chapter 2", "chapter 3", "chapter 3",
    ]
    assert result.cards[0].topic  # keyword topic or 'general', never empty


def test_years_are_not_chapter_codes() -> None:
    result = IMPORTER.parse("D\n1\nQ\n1984 novel author\nA\nOrwell\n")
    assert result.cards[0].front == "1984 novel author"
    assert not result.cards[0].topic.startswith("chapter")


def test_one_item_list_front_and_broken_phrase_are_tidied() -> None:
    text = ("D\n1\nQ\n  1. Rectified linear unit\nA\nmax(0, x)\n"
            "2\nQ\n\ndeep learning wins over machine\n\nlearning\n\nA\n\nimages\n")
    result = IMPORTER.parse(text)
    assert [card.front for card in result.cards] == [
        "Rectified linear unit", "deep learning wins over machine learning",
    ]


def test_tidy_block_keeps_urls_and_sentences_apart() -> None:
    lines = [(1, "see https: //example.org/a"), (2, ""), (3, "https://example.org/b")]
    assert tidy_block(lines) == "see https: //example.org/a\n\nhttps://example.org/b"
    lines = [(1, "Ends with a full stop."), (2, ""), (3, "next")]
    assert tidy_block(lines) == "Ends with a full stop.\n\nnext"


def test_card_without_answer_is_skipped_with_a_warning() -> None:
    result = IMPORTER.parse("D\n1\nQ\nlonely front\n2\nQ\nok\nA\nfine\n")
    assert pairs(result) == [("ok", "fine")]
    assert any("no 'A' line" in w.message and w.line == 2 for w in result.warnings)


def test_sniff() -> None:
    sample = (DATA / "chemistry-brainscape.txt").read_text(encoding="utf-8")
    assert IMPORTER.sniff(sample) > 0.9
    assert IMPORTER.sniff("What is a cell?\nThe unit of life.\n") == 0.0
    assert IMPORTER.sniff("") == 0.0


def test_a_superscript_digit_line_is_not_a_card_number() -> None:
    """'²' is a digit to str.isdigit() but not to int(): it raised ValueError."""
    result = IMPORTER.parse("Units\n1\nQ\nArea of a square of side 1 m?\nA\n1 m\n²\nQ\nnext?\nA\nyes\n")
    assert pairs(result)[0][0] == "Area of a square of side 1 m?"
    assert len(result.cards) == 2
