"""Exports: CSV, TSV, Markdown and .apkg, each read back by tutor's importers."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tutor.atomic import OutputError
from tutor.decks.export import (
    EXPORT_FORMATS,
    SUFFIXES,
    export_deck,
    export_text,
    note_guid,
    stable_anki_id,
    to_apkg,
    to_csv,
    to_tsv,
)
from tutor.decks.importers import import_text
from tutor.decks.importers.apkg import import_apkg
from tutor.decks.importers.files import import_file
from tutor.decks.model import Card, Deck
from tutor.decks.native import format_deck, parse_deck
from tutor.errors import DeckError

NATIVE = """\
title: Cell biology
topics: organelles, division

---
topic: organelles
Q: What does the mitochondrion do?
A: Produces ATP, "the energy currency", by respiration.
---
topic: division
Q: Name the phases of mitosis.

Give them in order.
A:
prophase
metaphase

anaphase
telophase
---
topic: lab work
Q: #1 safety rule?
A:
?
\\---
goggles	on
---
topic: general
Q: Unicode: café, naïve, 東京
A:
"""


def _native_deck() -> Deck:
    deck = parse_deck(NATIVE).deck
    deck.ensure_ids()
    return deck


def _triples(cards: list[Card]) -> list[tuple[str, str, str]]:
    return [(c.front, c.back, c.topic) for c in cards]


def _read_back(fmt: str, deck: Deck) -> list[Card]:
    if fmt == "apkg":
        return import_apkg(to_apkg(deck)).cards
    return import_text(export_text(deck, fmt), fmt).cards


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_native_export_import_round_trip(fmt: str) -> None:
    deck = _native_deck()
    assert _triples(_read_back(fmt, deck)) == _triples(deck.cards)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_round_trip_through_files_with_format_detection(fmt: str, tmp_path: Path) -> None:
    deck = _native_deck()
    path = export_deck(deck, fmt, tmp_path / f"cells.{fmt}")
    result = import_file(path)
    assert result.format == fmt
    assert _triples(result.cards) == _triples(deck.cards)


#: A card whose answer holds lines that read as native deck markers once unescaped.
MARKER_LINES = """\
title: Deck notes

---
topic: format
Q: How does a tutor deck card look?
A:
\\---
\\Q: the question
\\A: the answer
---
topic: format
Q: What starts a card?
A: A line of three dashes.
---
topic: format
Q: What comes before the question?
A: The card's fields: id, topic, tags, alt.
---
topic: format
Q: How is a line like 'Q:' kept inside an answer?
A: With a leading backslash.
"""


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_an_answer_with_deck_markers_is_detected_as_the_exported_format(
        fmt: str, tmp_path: Path) -> None:
    deck = parse_deck(MARKER_LINES).deck
    assert deck.cards[0].back == "---\nQ: the question\nA: the answer"
    path = export_deck(deck, fmt, tmp_path / f"notes{SUFFIXES[fmt]}")
    result = import_file(path)
    assert result.format == fmt
    assert _triples(result.cards) == _triples(deck.cards)


def test_csv_and_tsv_layout() -> None:
    deck = Deck("D", [Card("a, b", 'say "hi"\nthen go', "neural nets", ["extra tag"],
                           ["hello", "bye"])])
    assert to_csv(deck) == ('front,back,topic,tags,alternatives\n'
                            '"a, b","say ""hi""\nthen go",neural nets,"extra tag,","hello\nbye"\n')
    assert to_tsv(deck) == (
        "#separator:tab\n#html:false\n#columns:front\tback\ttags\ttopic\talternatives\n"
        "#tags column:3\n"
        'a, b\t"say ""hi""\nthen go"\tneural_nets extra_tag\tneural nets\t"hello\nbye"\n'
    )


def test_apkg_keeps_ids_and_uses_stable_anki_ids() -> None:
    deck = _native_deck()
    data = to_apkg(deck)
    assert [c.id for c in import_apkg(data).cards] == [c.id for c in deck.cards]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "collection.anki2" in archive.namelist()
        database = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(database)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
    models, decks = json.loads(models_json), json.loads(decks_json)
    model = models[str(stable_anki_id("model", deck.title))]
    assert [f["name"] for f in model["flds"]] == ["Front", "Back", "Topic", "TutorID", "Alternatives"]
    assert decks[str(stable_anki_id("deck", deck.title))]["name"] == "Cell biology"
    guids = [row[0] for row in connection.execute("SELECT guid FROM notes ORDER BY id")]
    assert guids == [note_guid(deck, card) for card in deck.cards]
    tags = [row[0].split() for row in connection.execute("SELECT tags FROM notes ORDER BY id")]
    assert tags[2] == ["lab_work"]
    assert connection.execute("SELECT count(*) FROM cards").fetchone() == (len(deck.cards),)


def test_re_export_keeps_guids_when_text_changes() -> None:
    deck = _native_deck()
    before = [note_guid(deck, card) for card in deck.cards]
    deck.cards[0].front = "What does the mitochondrion make?"
    assert [note_guid(deck, card) for card in deck.cards] == before
    assert stable_anki_id("deck", "Cell  biology") == stable_anki_id("deck", "cell biology")
    assert stable_anki_id("deck", "Cell biology") != stable_anki_id("deck", "Genetics")
    assert 1 << 30 <= stable_anki_id("model", "x") < 1 << 31


def test_export_deck_refuses_to_overwrite(tmp_path: Path) -> None:
    deck = _native_deck()
    target = tmp_path / "out.csv"
    export_deck(deck, "csv", target)
    with pytest.raises(DeckError, match="already exists; use --force"):
        export_deck(deck, "csv", target)
    export_deck(deck, "tsv", target, overwrite=True)
    assert target.read_text(encoding="utf-8").startswith("#separator:tab")
    with pytest.raises(OutputError, match="is a folder"):
        export_deck(deck, "csv", tmp_path)
    with pytest.raises(DeckError, match="unknown export format"):
        export_deck(deck, "pdf", tmp_path / "x.pdf")


#: Card text, with pieces that read as markup or deck structure somewhere.
_TEXT = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from("\n\n\t#?\\,\"'")
    | st.sampled_from(["<b>", "</b>", "<br>", "&amp;", "&nbsp;", "List<int>", " < ", " > "]),
    max_size=40,
).map("".join)
_TOPIC = st.text(alphabet=st.sampled_from("abcé xyz-#?,;"), min_size=1, max_size=70).map(
    lambda t: " ".join(t.split())
).filter(bool)


def _normalised(raw: list[tuple[str, str, str]]) -> Deck:
    """Cards as the native format keeps them (written and parsed once)."""
    deck = Deck("Random deck", [Card(front, back, topic) for front, back, topic in raw])
    parsed = parse_deck(format_deck(deck)).deck
    parsed.cards = [card for card in parsed.cards if card.front]
    return parsed


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT, _TOPIC), min_size=1, max_size=4),
       st.sampled_from(EXPORT_FORMATS))
def test_random_decks_round_trip(raw: list[tuple[str, str, str]], fmt: str) -> None:
    deck = _normalised(raw)
    assume(deck.cards)
    assert _triples(_read_back(fmt, deck)) == _triples(deck.cards)


#: Cards with accepted answers and tags, and answer lines that look like those fields.
WITH_EXTRAS = """\
title: Cell biology

---
topic: organelles
tags: exam-1, easy, chapter_3
alt: the powerhouse of the cell
alt: it makes ATP, "the energy currency"
Q: What does the mitochondrion do?
A: Produces ATP by cellular respiration.
---
topic: lab work
tags: safety
Q: Which rule comes first in the lab?
A:
alt: goggles on
tags: this line is answer text
---
topic: division
alt: PMAT
Q: Name the phases of mitosis.
A:
prophase
metaphase
anaphase
telophase
---
topic: division
Q: What is a plain card?
A: One without extras.
"""


def _everything(cards: list[Card]) -> list[tuple[str, str, str, list[str], list[str]]]:
    return [(c.front, c.back, c.topic, c.tags, c.alternatives) for c in cards]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_export_keeps_accepted_answers_and_tags(fmt: str, tmp_path: Path) -> None:
    deck = parse_deck(WITH_EXTRAS).deck
    deck.ensure_ids()
    assert deck.cards[1].back == "alt: goggles on\ntags: this line is answer text"
    path = export_deck(deck, fmt, tmp_path / f"cells{SUFFIXES[fmt]}")

    result = import_file(path)

    assert result.format == fmt
    assert _everything(result.cards) == _everything(deck.cards)
    assert result.warnings == []


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_a_tag_with_spaces_comes_back_whole_where_the_format_allows(fmt: str) -> None:
    deck = Deck("D", [Card("q", "a", "t", ["exam 1"]), Card("r", "b", "t", ["exam 2", "hard"])])
    assert [c.tags for c in import_text(export_text(deck, fmt), fmt).cards] == \
        [["exam 1"], ["exam 2", "hard"]]
