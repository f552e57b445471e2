"""Term/definition lines with a custom separator (Quizlet's export: ' - ', ' = ' …)."""

from pathlib import Path

import pytest

from tests.conftest import SEED_FILES
from tutor.decks.importers import detect_format, import_text
from tutor.decks.importers.pairs import PairsImporter, parse_separator, unsure_hint

DATA = Path(__file__).parent / "data"


def _pairs(text: str, separator: str | None = None) -> list[tuple[str, str]]:
    return [(c.front, c.back) for c in import_text(text, "auto", separator).cards]


def test_a_dash_separated_export_is_detected_card_for_card() -> None:
    text = (DATA / "biology-quizlet-dash.txt").read_text(encoding="utf-8")
    assert detect_format(text)[0] == "pairs"
    result = import_text(text)
    assert [(c.front, c.back) for c in result.cards][3:6] == [
        ("mitosis", "cell division giving two identical daughter cells\n"
                    "phases: prophase, metaphase, anaphase, telophase"),
        ("meiosis", "cell division giving four cells - each with half the chromosomes"),
        ("chloroplast", "where photosynthesis happens, in plant cells"),
    ]
    assert len(result.cards) == 9 and result.title == ""
    assert [str(w) for w in result.warnings] == [
        "line 5: line has no ' - '; added to the back of the card above (confidence 0.60)"]


@pytest.mark.parametrize("separator", [" - ", " = ", " : ", ": ", " – ", " -> ", " → "])
def test_each_common_separator_is_found(separator: str) -> None:
    rows = [("el perro", "the dog"), ("la casa", "the house"), ("el libro", "the book"),
            ("la mesa", "the table, or a desk")]
    text = "Spanish unit 3\n" + "".join(f"{t}{separator}{d}\n" for t, d in rows)
    assert detect_format(text)[0] == "pairs"
    result = import_text(text)
    assert [(c.front, c.back) for c in result.cards] == rows
    assert result.title == "Spanish unit 3" and result.warnings == []


def test_the_separator_option_reads_any_separator() -> None:
    text = "el perro ~ the dog\nla casa ~ the house\n"
    assert _pairs(text, " ~ ") == [("el perro", "the dog"), ("la casa", "the house")]
    assert _pairs("a\tb\nc\td\n", parse_separator("tab")) == [("a", "b"), ("c", "d")]
    assert parse_separator(" = ") == " = " and parse_separator("\\t") == "\t"
    for bad in ("", "x" * 11, "a\nb", "\x1b"):
        with pytest.raises(ValueError):
            parse_separator(bad)


def test_lines_with_few_separators_get_a_hint_naming_the_option() -> None:
    text = ("mitosis = division of a cell\ninto two identical cells\n"
            "meiosis = division into four cells\nwith half the chromosomes\n"
            "osmosis = diffusion of water\nthrough a membrane\n")
    assert PairsImporter().sniff(text) == 0.0  # too unsure to claim the text
    result = import_text(text)
    assert result.format == "lines"
    assert str(result.warnings[-1]) == (
        "3 of 6 lines hold ' = ': if each is a term and its definition (a Quizlet export),"
        " import with --separator ' = '")


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_pages_are_not_term_definition_lines(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    assert PairsImporter().sniff(text) == 0.0 and unsure_hint(text) is None


@pytest.mark.parametrize("labels", [("Q", "A"), ("Term", "Definition")])
def test_labelled_lines_are_not_term_definition_pairs(labels: tuple[str, str]) -> None:
    """'Q: …'/'A: …' lines hold ': ' everywhere, but 'Q' and 'A' are labels, not terms."""
    front, back = labels
    text = "".join(f"{front}: What is {word}?\n{back}: The {word} part.\n"
                   for word in ("a cell", "DNA", "RNA", "a gene"))
    assert PairsImporter().sniff(text) == 0.0 and unsure_hint(text) is None
