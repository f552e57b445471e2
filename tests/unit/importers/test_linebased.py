"""Plain line-based decks: boundaries without delimiters, scored and reported when unsure."""

from pathlib import Path

from tutor.decks.importers.linebased import LineBasedImporter

DATA = Path(__file__).parent / "data"
IMPORTER = LineBasedImporter()


def pairs(result):
    return [(card.front, card.back) for card in result.cards]


def test_contract_law_deck_card_for_card() -> None:
    result = IMPORTER.parse((DATA / "contract-law-lines.txt").read_text(encoding="utf-8"))
    assert result.title == "Contract Law Flashcards"
    assert pairs(result) == [
        ("What are the elements of a valid contract?",
         "Offer\nAcceptance\nConsideration\nIntention to create legal relations"),
        # a short bare term that repeats an item of the list above starts a card on it
        ("Offer", "A definite promise to be bound on specific terms"),
        # the next line defines the term; 'e.g.' leaves its line unfinished
        ("Invitation to treat", "An invitation to treat is an expression of willingness to "
                                "negotiate\ne.g.\ngoods displayed in a shop window"),
        ("Consideration",
         "Something of value given in exchange for a promise\nMust be sufficient but need not be adequate"),
        # a line starting with 'where' continues the answer
        ("What is promissory estoppel?",
         "A doctrine that prevents a promisor from going back on a promise\nwhere the promisee relied on it"),
        ("Remedies for breach of contract", "- Damages\n- Specific performance\n- Injunction\n- Rescission"),
        # an acronym followed by its spelled-out form
        ("ECHR", "European Convention on Human Rights"),
        # items after 'Types:' are list items, not fronts
        ("Misrepresentation", "A false statement of fact that induces a party to enter a contract\n"
                              "Types:\nFraudulent\nNegligent\nInnocent"),
        ("Can a minor enter a binding contract?", "Generally no, except for contracts for necessaries"),
        # lines that differ only in their numbers form one front
        ("Article 2 ECHR\nArticle 3 ECHR", "the right to life and the prohibition of torture"),
    ]
    assert all(card.topic for card in result.cards)


def test_unsure_boundaries_are_reported_with_line_and_confidence() -> None:
    result = IMPORTER.parse((DATA / "contract-law-lines.txt").read_text(encoding="utf-8"))
    unsure = [w for w in result.warnings if w.confidence is not None]
    assert unsure
    lines = (DATA / "contract-law-lines.txt").read_text(encoding="utf-8").split("\n")
    for warning in unsure:
        assert warning.line is not None and 0.0 <= warning.confidence < 0.75
        assert "starts a new card" in warning.message
        assert lines[warning.line - 1].strip()[:20] in warning.message


def test_a_genuinely_ambiguous_heading_is_reported() -> None:
    text = (
        "Deck\nHow is the learning rate decayed?\nIt drops after each epoch\nOther methods\n"
        "Step decay: halve it every 10 epochs\nWhat is momentum?\nan average of past gradients\n"
    )
    result = IMPORTER.parse(text)
    assert [card.front for card in result.cards][-1] == "What is momentum?"
    assert any(w.line == 4 and w.confidence is not None for w in result.warnings)


def test_question_mark_is_not_always_a_front() -> None:
    text = (
        "Physics\nWhat is Newton's second law?\nF = ma\nwhere F is the net force\n"
        "Why does ice float?\nIt is less dense than water.\nWhy? Hydrogen bonds hold it open.\n"
    )
    result = IMPORTER.parse(text)
    assert [card.front for card in result.cards] == [
        "What is Newton's second law?", "Why does ice float?",
    ]
    assert result.cards[1].back == "It is less dense than water.\nWhy? Hydrogen bonds hold it open."


def test_short_bare_term_can_be_a_front_or_a_list_item() -> None:
    text = (
        "Networks\nTypes of network topology\nStar\nRing\nBus\n"
        "Star\nevery node connects to one central hub\n"
        "How do you add a node to each topology?\nRing\nbreak the ring and insert the node\n"
        "Star\nconnect it to the hub\n"
    )
    result = IMPORTER.parse(text)
    assert pairs(result)[:2] == [
        ("Types of network topology", "Star\nRing\nBus"),
        # repeats an item of the list just above and is followed by its description
        ("Star", "every node connects to one central hub"),
    ]
    assert result.cards[2].front == "How do you add a node to each topology?"
    assert result.cards[2].back.startswith("Ring\nbreak the ring and insert the node")
    # the second repeat of 'Star' could be a new card or part of this answer: it is flagged
    assert any(w.line == 11 and w.confidence is not None for w in result.warnings)


def test_blank_lines_separate_cards() -> None:
    text = "Deck\nfirst term\nits meaning\n\nsecond term\nanother meaning\n\nthird term\nmore\n"
    assert pairs(IMPORTER.parse(text)) == [
        ("first term", "its meaning"), ("second term", "another meaning"), ("third term", "more"),
    ]


def test_first_line_is_a_card_when_it_asks() -> None:
    result = IMPORTER.parse("What is H2O?\nwater\nWhat is NaCl?\nsalt\n")
    assert result.title == ""
    assert pairs(result) == [("What is H2O?", "water"), ("What is NaCl?", "salt")]


def test_page_noise_is_dropped() -> None:
    text = (
        "Deck\nWhat is a noun?\na naming word\nHow well did you know this?\n1\nNot at all\n2\n3\n4\n5\n"
        "Perfectly\nWhat is a verb?\nan action word\nRelated study sets\nGrammar 2\nView Set\n"
    )
    result = IMPORTER.parse(text)
    assert pairs(result) == [("What is a noun?", "a naming word"), ("What is a verb?", "an action word")]


def test_one_line_file_gives_a_warning_not_an_error() -> None:
    result = IMPORTER.parse("just a title\n")
    assert result.cards == []
    assert result.warnings


def test_front_without_answer_is_skipped_with_a_warning() -> None:
    result = IMPORTER.parse("What is a cell?\n")
    assert result.cards == []
    assert any("no answer" in w.message and w.line == 1 for w in result.warnings)


def test_sniff() -> None:
    assert IMPORTER.sniff((DATA / "contract-law-lines.txt").read_text(encoding="utf-8")) >= 0.25
    assert IMPORTER.sniff("one line only") == 0.0
    assert IMPORTER.sniff("") == 0.0


def test_vocabulary_lines_are_paired_in_order_with_a_warning() -> None:
    text = "French Vocabulary\nle chat\nthe cat\nle chien\nthe dog\nmanger\nto eat\n"
    result = IMPORTER.parse(text)
    assert pairs(result) == [("le chat", "the cat"), ("le chien", "the dog"), ("manger", "to eat")]
    assert len(result.warnings) == 1 and "paired in order" in result.warnings[0].message


def test_glossary_of_terms_and_descriptions() -> None:
    text = (
        "Biology Terms\nMitochondria\nPowerhouse of the cell; produces ATP\nRibosome\n"
        "Site of protein synthesis\nNucleus\nContains the cell's genetic material\n"
        "Osmosis\nDiffusion of water across a semi-permeable membrane\nEnzyme\n"
        "Biological catalyst\nSpeeds up reactions without being used up\n"
        "Active transport\nMovement against a concentration gradient\nRequires ATP\n"
    )
    assert pairs(IMPORTER.parse(text)) == [
        ("Mitochondria", "Powerhouse of the cell; produces ATP"),
        ("Ribosome", "Site of protein synthesis"),
        ("Nucleus", "Contains the cell's genetic material"),
        ("Osmosis", "Diffusion of water across a semi-permeable membrane"),
        ("Enzyme", "Biological catalyst\nSpeeds up reactions without being used up"),
        ("Active transport", "Movement against a concentration gradient\nRequires ATP"),
    ]
