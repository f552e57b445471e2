"""Random text and random line structures: no importer ever raises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.decks.importers import detect_format, import_text
from tutor.decks.importers.brainscape import BrainscapeImporter
from tutor.decks.importers.knowt import KnowtImporter
from tutor.decks.importers.linebased import LineBasedImporter
from tutor.decks.importers.quizwiz import QuizwizImporter
from tutor.errors import DeckError

MINE = [BrainscapeImporter(), QuizwizImporter(), KnowtImporter(), LineBasedImporter()]

#: Lines that sit on the boundaries the importers decide.
TRICKY = [
    "", "", "Q", "A", "Q:", "A: answer", "1", "2", "3", "5", "02 01", "0301 Chapter",
    "How well did you know this?", "Not at all", "Perfectly", "View Set",
    "Related study sets", "Ensembles d'études connexes", "1/50", "|---|",
    "Name | Mastery | Learn | Test |", "No study sessions yet.",
    "Looks like no tags are added yet.", "Ace your homework & exams now with Quizwiz!",
    "What is a cell?", "what is dna", "Explain osmosis", "- bullet", "1) step", "Types:",
    "term: definition", "x = y + 1", "where x is", "e.g.", "Conv1D", "Conv2D", "LSTM",
    "Long Short Term Memory", "  1. item", "?", "¿Qué?", "A long sentence that ends here.",
]
settings_ = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def check(result) -> None:
    for card in result.cards:
        assert isinstance(card.front, str) and card.front.strip()
        assert isinstance(card.back, str) and card.back.strip()
        assert card.topic.strip() and "," not in card.topic and "\n" not in card.topic
    for warning in result.warnings:
        assert str(warning)
        assert warning.confidence is None or 0.0 <= warning.confidence <= 1.0


@settings_
@given(st.text(max_size=600))
def test_random_text_never_raises(text: str) -> None:
    for importer in MINE:
        assert 0.0 <= importer.sniff(text) <= 1.0
        check(importer.parse(text))


@settings_
@given(st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=40)), max_size=60))
def test_random_line_structures_never_raise(lines: list[str]) -> None:
    text = "\n".join(lines)
    for importer in MINE:
        importer.sniff(text)
        check(importer.parse(text))


@settings_
@given(st.lists(st.sampled_from(TRICKY), max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_auto_import_is_a_result_or_a_deck_error(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    name, score = detect_format(text)
    assert (name == "") == (score == 0.0)
    try:
        result = import_text(text)
    except DeckError as error:
        assert "tried" in str(error)
    else:
        if result.format in {importer.name for importer in MINE}:
            check(result)
