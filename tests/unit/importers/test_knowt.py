"""Knowt exports: page header dropped, then line-based cards."""

from pathlib import Path

from tutor.decks.importers.knowt import KnowtImporter, split_header
from tutor.decks.importers.pagenoise import numbered_lines

DATA = Path(__file__).parent / "data"
IMPORTER = KnowtImporter()
HEADER = (
    "1/4\nLooks like no tags are added yet.\n"
    "Name | Mastery | Learn | Test | Matching | Spaced | Call with Kai |\n|---|\n"
    "No study sessions yet.\n"
)


def pairs(result):
    return [(card.front, card.back) for card in result.cards]


def test_history_export_card_for_card() -> None:
    result = IMPORTER.parse((DATA / "history-knowt.txt").read_text(encoding="utf-8"))
    assert pairs(result) == [
        ("Who was the first emperor of Rome", "Augustus"),
        ("When did the Western Roman Empire fall", "476 AD"),
        (
            "What were the causes of the fall of Rome",
            "economic troubles\noverreliance on slave labour\nmilitary overspending\n"
            "invasions by barbarian tribes",
        ),
        ("What was the Pax Romana",
         "a period of relative peace across the empire lasting about 200 years\nbegan with Augustus"),
        ("Which treaty ended World War I", "Treaty of Versailles\nsigned in 1919"),
        # a line of digits inside an answer is answer text
        ("How many people died in the Black Death",
         "between 75 and 200 million\n1347\nthe year it reached Sicily"),
        ("what was the magna carta",
         "a charter of rights agreed by King John in 1215\nlimited the power of the king"),
    ]
    text = " ".join(card.front + card.back for card in result.cards)
    for noise in ("3/12", "Mastery", "|---|", "No study sessions", "no tags"):
        assert noise not in text
    assert all(card.topic for card in result.cards)


def test_lower_case_question_deck() -> None:
    text = HEADER + (
        "what is osmosis\nmovement of water across a membrane\nfrom low to high solute\n"
        "what are the organelles of a plant cell\nnucleus\nchloroplast\ncell wall\nvacuole\n\n"
        "how do enzymes work\nlower the activation energy\n"
        "why do leaves change colour\nchlorophyll breaks down in autumn\n"
    )
    result = IMPORTER.parse(text)
    assert [card.front for card in result.cards] == [
        "what is osmosis", "what are the organelles of a plant cell", "how do enzymes work",
        "why do leaves change colour",
    ]
    assert result.cards[1].back == "nucleus\nchloroplast\ncell wall\nvacuole"


def test_header_with_tags_line() -> None:
    text = "2/2\nbiology, exam 1\nName | Mastery | Learn | Test |\n|---|\nwhat is DNA\na molecule\n"
    title, tags, body, dropped = split_header(numbered_lines(text))
    assert tags == ["biology", "exam 1"]
    assert dropped == 4
    result = IMPORTER.parse(text)
    assert pairs(result) == [("what is DNA", "a molecule")]
    assert result.cards[0].tags == ["biology", "exam 1"]


def test_an_answer_saying_test_is_not_page_chrome() -> None:
    text = HEADER + "what do you call a written exam\ntest\nwhat is a quiz\na short test\n"
    assert pairs(IMPORTER.parse(text)) == [
        ("what do you call a written exam", "test"), ("what is a quiz", "a short test"),
    ]


def test_repeated_page_counters_are_dropped() -> None:
    text = HEADER + "what is 1/4 as a decimal\n0.25\n2/4\nwhat is half of 8\n4\n"
    assert pairs(IMPORTER.parse(text)) == [
        ("what is 1/4 as a decimal", "0.25"), ("what is half of 8", "4"),
    ]


def test_header_only_gives_a_warning_not_an_error() -> None:
    result = IMPORTER.parse(HEADER)
    assert result.cards == []
    assert any("no cards" in w.message for w in result.warnings)


def test_sniff() -> None:
    assert IMPORTER.sniff((DATA / "history-knowt.txt").read_text(encoding="utf-8")) > 0.9
    assert IMPORTER.sniff("what is x\ny\n") == 0.0
