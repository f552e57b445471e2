"""Format detection and the importer registry."""

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tutor.decks.importers import (
    IMPORTERS,
    ImportResult,
    ImportWarning,
    detect_format,
    import_detected,
    import_text,
)
from tutor.errors import DeckError

DATA = Path(__file__).parent / "data"
SEED_FORMATS = {
    "000_c3e184e25138dc8a.txt": "brainscape",
    "001_98cc16c78f1ea251.txt": "quizwiz",
    "002_e54a7b1d5fe08a38.txt": "lines",
    "003_f5b377ef4079fc61.txt": "lines",
    "004_d2cd7cc23af36c3d.txt": "knowt",
}
SAMPLE_FORMATS = {
    "chemistry-brainscape.txt": "brainscape",
    "spanish-quizwiz.txt": "quizwiz",
    "history-knowt.txt": "knowt",
    "contract-law-lines.txt": "lines",
    "biology-quizlet-dash.txt": "pairs",
}


def test_registry_names_my_formats() -> None:
    for name in ("brainscape", "quizwiz", "knowt", "lines"):
        assert IMPORTERS[name].name == name
        assert IMPORTERS[name].description


@pytest.mark.parametrize(("seed", "expected"), sorted(SEED_FORMATS.items()))
def test_each_seed_detects_as_its_format(seed: str, expected: str) -> None:
    name, score = detect_format((SEEDS / seed).read_text(encoding="utf-8"))
    assert (name, score > 0.2) == (expected, True)


@pytest.mark.parametrize(("sample", "expected"), sorted(SAMPLE_FORMATS.items()))
def test_own_samples_detect_as_their_format(sample: str, expected: str) -> None:
    name, _score = detect_format((DATA / sample).read_text(encoding="utf-8"))
    assert name == expected


def test_auto_import_uses_the_detected_format() -> None:
    result = import_text((DATA / "spanish-quizwiz.txt").read_text(encoding="utf-8"))
    assert result.format == "quizwiz"
    assert result.cards[0].front == "el perro"


@pytest.mark.parametrize("text", ["", "   \n\n", "one line only", "\x01\x02\x03"])
def test_text_matching_no_format_names_the_formats_tried(text: str) -> None:
    assert detect_format(text) == ("", 0.0)
    with pytest.raises(DeckError) as caught:
        import_text(text)
    message = str(caught.value)
    for name in ("brainscape", "quizwiz", "knowt", "lines"):
        assert name in message


def test_unknown_format_name_is_a_clear_error() -> None:
    with pytest.raises(DeckError, match="unknown format 'pdf'"):
        import_text("What?\nyes\n", "pdf")


def test_named_format_overrides_detection() -> None:
    text = (DATA / "contract-law-lines.txt").read_text(encoding="utf-8")
    assert import_text(text, "lines").format == "lines"
    assert import_text(text, "LINES").format == "lines"


class _ClaimsEverything:
    """A format whose sniff is sure of any text but which finds no cards in it."""

    name = "greedy"
    description = "claims every text"

    def sniff(self, text: str) -> float:
        return 0.99

    def parse(self, text: str) -> ImportResult:
        return ImportResult(cards=[], format=self.name,
                            warnings=[ImportWarning("no cards found after its header")])


def test_a_detected_format_that_finds_no_cards_gives_way_to_the_next(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A sniff is a guess from a few lines: the format that parses cards wins, and the
    warning says which format was passed over, not a header the file lacks."""
    monkeypatch.setitem(IMPORTERS, "greedy", _ClaimsEverything())
    text = (DATA / "spanish-quizwiz.txt").read_text(encoding="utf-8")
    assert detect_format(text)[0] == "greedy"
    result, score = import_detected(text)
    assert result.format == "quizwiz" and result.cards
    assert score == IMPORTERS["quizwiz"].sniff(text)
    assert str(result.warnings[0]) == ("read as quizwiz: greedy matched better (score 0.99) but"
                                       " found no cards (use --format greedy to read it that way)")
    assert import_text(text).format == "quizwiz"
    assert import_text("one line only").cards == []  # nothing else matches: greedy's result
