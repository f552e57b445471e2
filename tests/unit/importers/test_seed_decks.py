"""The shipped decks in decks/ are the seeds' imports, card for card.

Two boundaries in the line-based seeds are genuinely ambiguous; the importer keeps
them as new cards and says it is unsure, and the shipped decks were corrected by
hand there (listed in ``HAND_CORRECTIONS``). Every other card is the importer's own.
"""


import pytest

from tests.conftest import ROOT, SEEDS
from tutor.decks.importers import import_text
from tutor.decks.model import Card
from tutor.decks.native import parse_deck

DECKS = ROOT / "decks"
SHIPPED = [
    ("000_c3e184e25138dc8a.txt", "brainscape", "deep-learning-brainscape.deck"),
    ("001_98cc16c78f1ea251.txt", "quizwiz", "deep-learning-with-python-quizwiz.deck"),
    ("002_e54a7b1d5fe08a38.txt", "lines", "deep-learning-lines.deck"),
    ("003_f5b377ef4079fc61.txt", "lines", "neural-network-modeling-lines.deck"),
    ("004_d2cd7cc23af36c3d.txt", "knowt", "deep-learning-knowt.deck"),
]
#: seed -> (source line, front) of cards merged by hand into the answer above.
HAND_CORRECTIONS = {
    "002_e54a7b1d5fe08a38.txt": [(88, "Other methods")],
    "003_f5b377ef4079fc61.txt": [(127, "Better choices of Activation Function")],
}
NOISE = (
    "How well did you know this?", "Perfectly", "Not at all", "View Set",
    "Ensembles d'études connexes", "Quizwiz", "No study sessions yet.",
    "Looks like no tags are added yet.", "| Mastery |", "|---|",
)


def seed_text(seed: str) -> str:
    return (SEEDS / seed).read_text(encoding="utf-8")


def merge_into_previous(cards: list[Card], front: str) -> None:
    index = next(i for i, card in enumerate(cards) if i and card.front == front)
    above = cards[index - 1]
    above.back = f"{above.back}\n{cards[index].front}\n{cards[index].back}"
    del cards[index]


@pytest.mark.parametrize(("seed", "fmt", "deck_file"), SHIPPED)
def test_shipped_deck_matches_the_import_card_for_card(seed: str, fmt: str, deck_file: str) -> None:
    result = import_text(seed_text(seed), fmt)
    cards = result.cards
    for line, front in HAND_CORRECTIONS.get(seed, []):
        assert any(w.line == line and w.confidence is not None for w in result.warnings), (
            f"line {line} was corrected by hand, so the importer must flag it as unsure"
        )
        merge_into_previous(cards, front)
    parsed = parse_deck((DECKS / deck_file).read_text(encoding="utf-8"))
    assert parsed.warnings == []
    shipped = parsed.deck.cards
    assert [(c.front, c.back) for c in shipped] == [(c.front, c.back) for c in cards]
    assert all(card.topic.strip() and card.id for card in shipped)
    assert seed in parsed.deck.source


@pytest.mark.parametrize(("seed", "fmt", "deck_file"), SHIPPED)
def test_no_page_noise_in_shipped_cards(seed: str, fmt: str, deck_file: str) -> None:
    deck = parse_deck((DECKS / deck_file).read_text(encoding="utf-8")).deck
    for card in deck.cards:
        for noise in NOISE:
            assert noise not in card.front and noise not in card.back, (card.front, noise)


def test_seed_details_a_careful_reader_expects() -> None:
    brainscape = import_text(seed_text("000_c3e184e25138dc8a.txt"), "brainscape").cards
    assert len(brainscape) == 42
    assert brainscape[0].front == "deep learning wins over traditional machine learning"
    assert brainscape[0].back.count("\n") == 10  # eleven listed areas, one per line
    assert brainscape[15].front == "Coding how weight changes affect accuracy"  # '02 01' taken out
    assert brainscape[20].back.startswith("0 You cannot do backward propagation")
    assert [c.topic for c in brainscape[24:27]] == ["chapter 3"] * 3

    quizwiz = import_text(seed_text("001_98cc16c78f1ea251.txt"), "quizwiz").cards
    assert len(quizwiz) == 193
    assert (quizwiz[1].front[:30], quizwiz[1].back) == (
        "It consists in applying K-fold", "Iterated K-fold validation with shuffling",
    )
    assert quizwiz[-1].front.startswith("What can you do if you have no missing values")

    knowt = import_text(seed_text("004_d2cd7cc23af36c3d.txt"), "knowt").cards
    assert len(knowt) == 51
    assert knowt[0].front == "what is deep learning"
    assert knowt[5].back == "translate text\ngenerate text\nsentiment analysis\nsummarise text\nconverse with humans"
