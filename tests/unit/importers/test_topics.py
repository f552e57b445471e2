"""Keyword topics: every card gets one, deterministically, on any subject."""

from tutor.decks.model import DEFAULT_TOPIC, Card
from tutor.decks.topics import assign_topics, build_vocabulary, card_terms, clean_topic


def biology_cards() -> list[Card]:
    return [
        Card("What does the mitochondria do?", "produces ATP by cellular respiration"),
        Card("Where is the mitochondria's DNA?", "inside the mitochondria matrix"),
        Card("What is the cell membrane made of?", "a phospholipid bilayer"),
        Card("What crosses the cell membrane freely?", "small nonpolar molecules"),
        Card("Cell membrane transport", "diffusion, osmosis, active transport"),
        Card("What does photosynthesis need?", "light, water and carbon dioxide"),
        Card("Where does photosynthesis happen?", "in the chloroplast"),
        Card("Products of photosynthesis", "glucose and oxygen"),
        Card("What is a gene?", "a length of DNA coding for a protein"),
        Card("What is an allele?", "a version of a gene"),
        Card("Who discovered penicillin?", "Alexander Fleming"),
    ]


def test_every_card_gets_a_topic_from_the_deck_terms() -> None:
    cards = biology_cards()
    topics = assign_topics(cards, title="Biology revision")
    assert all(card.topic for card in cards)
    by_front = {card.front: card.topic for card in cards}
    assert by_front["What does the mitochondria do?"] == by_front["Where is the mitochondria's DNA?"]
    assert by_front["What is the cell membrane made of?"] == "cell membrane"
    assert by_front["Where does photosynthesis happen?"] == "photosynthesis"
    assert by_front["Who discovered penicillin?"] == DEFAULT_TOPIC  # shares no term
    assert set(topics) == {card.topic for card in cards}


def test_assignment_is_deterministic() -> None:
    first, second = biology_cards(), biology_cards()
    assign_topics(first, "Biology")
    assign_topics(list(reversed(second)), "Biology")
    assert [c.topic for c in first] == [c.topic for c in second]


def test_structure_topics_are_kept() -> None:
    cards = biology_cards()
    cards[0].topic = "chapter 1"
    assign_topics(cards)
    assert cards[0].topic == "chapter 1"


def test_title_words_are_the_subject_not_a_topic() -> None:
    cards = [Card(f"deep learning fact {n} about dropout", "x") for n in range(3)]
    cards += [Card(f"deep learning fact {n} about pooling", "y") for n in range(3)]
    vocabulary = build_vocabulary(cards, title="Deep learning")
    assert "deep" not in vocabulary and "learning" not in vocabulary
    assert "deep learning" not in vocabulary


def test_acronyms_count_as_the_term_they_abbreviate() -> None:
    cards = [
        Card("What is a neural network?", "layers of units"),
        Card("How does a neural network learn?", "backpropagation"),
        Card("Why use an NN for images?", "it learns features"),
        Card("What is a decision tree?", "a flowchart of splits"),
        Card("How is a decision tree pruned?", "remove weak branches"),
        Card("Limits of a decision tree", "overfitting"),
        Card("What does k-means do?", "clusters points around centroids"),
        Card("How is k chosen in k-means?", "the elbow method"),
        Card("What is a support vector?", "a point on the margin"),
        Card("What kernel trick?", "maps inputs to a higher dimension"),
    ]
    assign_topics(cards)
    assert cards[2].topic == "neural network"


def test_terms_and_clean_names() -> None:
    terms, surface = card_terms("Gradient descent updates the weights of networks")
    assert {"gradient", "descent", "gradient descent", "network"} <= terms
    assert surface["network"] == "networks"
    assert clean_topic("Sets, relations\n and  functions") == "Sets, relations and functions"
    assert clean_topic("x" * 80) == "x" * 80
    assert clean_topic("a long guessed name", limit=7) == "a long"
    assert clean_topic("   ") == DEFAULT_TOPIC
