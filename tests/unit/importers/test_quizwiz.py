"""Quizwiz/Quizlet pages: alternating paragraphs, advertising, related-sets footers."""

from pathlib import Path

from tutor.decks.importers.quizwiz import QuizwizImporter

DATA = Path(__file__).parent / "data"
IMPORTER = QuizwizImporter()


def pairs(result):
    return [(card.front, card.back) for card in result.cards]


def test_spanish_page_card_for_card() -> None:
    result = IMPORTER.parse((DATA / "spanish-quizwiz.txt").read_text(encoding="utf-8"))
    assert result.title == "Spanish 1 - Unit 3 Vocabulary"
    assert pairs(result) == [
        ("el perro", "the dog"),
        ("la casa", "the house"),
        # definition-first pairs stay as the page pairs them: what comes first is the front
        ("to eat", "comer"),
        ("What is the yo form of tener?", "tengo"),
        ("¿Cómo te llamas?", "What is your name?"),
        ("the library", "la biblioteca"),
        ('Which verb means "to be" for location?', "estar"),
        ("Conjugate hablar in the present tense:", "hablo\nhablas\nhabla\nhablamos\nhabláis\nhablan"),
    ]
    text = " ".join(card.front + " " + card.back for card in result.cards)
    for noise in ("Quizwiz", "View Set", "Related study sets", "AP Biology"):
        assert noise not in text
    assert all(card.topic for card in result.cards)


def test_french_interface_footer_and_ad_are_dropped() -> None:
    text = (
        "Biologie cellulaire\n\nRéussis tes devoirs et examens dès maintenant avec Quizwiz!\n\n"
        "mitochondrie\n\nproduit l'ATP\n\nribosome\n\nsynthèse des protéines\n\n\n"
        "Ensembles d'études connexes\n\nChapitre 3\n\nView Set\n\nAnatomie\n"
    )
    result = IMPORTER.parse(text)
    assert result.title == "Biologie cellulaire"
    assert pairs(result) == [("mitochondrie", "produit l'ATP"), ("ribosome", "synthèse des protéines")]


def test_trailing_view_set_list_without_heading_is_a_footer() -> None:
    text = "Title\n\nfront a\n\nback a\n\nfront b\n\nback b\n\nOther set\n\nView Set\n\nMore\n\nView Set\n"
    assert pairs(IMPORTER.parse(text)) == [("front a", "back a"), ("front b", "back b")]


def test_page_without_title_or_ad_starts_with_a_card() -> None:
    text = "What is 2+2?\n\n4\n\nCapital of France?\n\nParis\n"
    result = IMPORTER.parse(text)
    assert result.title == ""
    assert pairs(result) == [("What is 2+2?", "4"), ("Capital of France?", "Paris")]


def test_title_without_ad_is_recognised_by_parity() -> None:
    text = "Planets\n\nLargest planet\n\nJupiter\n\nRed planet\n\nMars\n"
    result = IMPORTER.parse(text)
    assert result.title == "Planets"
    assert pairs(result) == [("Largest planet", "Jupiter"), ("Red planet", "Mars")]


def test_unpaired_paragraph_is_reported() -> None:
    text = "Set\n\nAce your homework & exams now with Quizwiz!\n\nq1\n\na1\n\nq2\n"
    result = IMPORTER.parse(text)
    assert pairs(result) == [("q1", "a1")]
    assert any("no answer" in w.message and w.line == 9 for w in result.warnings)


def test_multi_line_paragraphs_keep_their_lines() -> None:
    text = "Set\n\nSteps of mitosis\n\nprophase\nmetaphase\nanaphase\ntelophase\n\nATP\n\nenergy currency\n"
    result = IMPORTER.parse(text)
    assert result.cards[0].back == "prophase\nmetaphase\nanaphase\ntelophase"


def test_sniff() -> None:
    sample = (DATA / "spanish-quizwiz.txt").read_text(encoding="utf-8")
    assert IMPORTER.sniff(sample) > 0.9
    assert IMPORTER.sniff("one\ntwo\nthree\nfour\n") == 0.0
    assert IMPORTER.sniff("") == 0.0
