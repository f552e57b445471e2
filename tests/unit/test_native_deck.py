"""The native deck format: parsing, writing, round trips and stable ids."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.decks import Card, Deck, format_deck, load_deck, parse_deck, save_deck

SAMPLE = """\
# my deck
title: Cell biology
topics: organelles, division

---
id: aaaaaaaaaa
topic: organelles
tags: exam-1, easy
alt: powerhouse of the cell
Q: What does the mitochondrion do?
A: Produces ATP by cellular respiration.
---
topic: division
Q: Name the phases of mitosis.

Give them in order.
A:
prophase
metaphase

anaphase
telophase
"""


def test_parse_sample() -> None:
    result = parse_deck(SAMPLE)
    deck = result.deck
    assert result.warnings == []
    assert deck.title == "Cell biology"
    assert deck.topics == ["organelles", "division"]
    first, second = deck.cards
    assert first.id == "aaaaaaaaaa"
    assert first.tags == ["exam-1", "easy"]
    assert first.alternatives == ["powerhouse of the cell"]
    assert first.back == "Produces ATP by cellular respiration."
    assert second.front == "Name the phases of mitosis.\n\nGive them in order."
    assert second.back == "prophase\nmetaphase\n\nanaphase\ntelophase"
    assert second.id == ""


def test_markers_inside_text_are_escaped() -> None:
    card = Card(front="Q: tricky\n---\nA: not the answer", back="---\n\\ backslash\nA: x", id="x1")
    text = format_deck(Deck(title="T", cards=[card]))
    back = parse_deck(text).deck.cards[0]
    assert (back.front, back.back) == (card.front, card.back)


def test_problems_become_line_warnings() -> None:
    text = "title: T\nnonsense here\n---\nQ: no answer line\n---\nbogus line\nQ: q\nA: a\n---\nQ:\nA: x\n"
    result = parse_deck(text)
    assert [c.front for c in result.deck.cards] == ["q"]
    joined = "\n".join(result.warnings)
    assert "line 2" in joined
    assert "no 'A:' line" in joined
    assert "expected a field" in joined
    assert "empty question" in joined


def test_ids_are_assigned_written_back_and_survive_edits(tmp_path: Path) -> None:
    path = tmp_path / "bio.deck"
    path.write_text(SAMPLE, encoding="utf-8")
    deck = load_deck(path).deck
    new_id = deck.cards[1].id
    assert len(new_id) == 10 and new_id != "aaaaaaaaaa"
    assert f"id: {new_id}" in path.read_text(encoding="utf-8")
    # The learner fixes a typo in the question: the id stays.
    edited = path.read_text(encoding="utf-8").replace("phases of mitosis", "phases of mitossis")
    path.write_text(edited, encoding="utf-8")
    again = load_deck(path).deck
    assert again.cards[1].id == new_id
    assert "mitossis" in again.cards[1].front


def test_duplicate_ids_are_repaired() -> None:
    deck = Deck(title="T", cards=[Card("a", "1", id="same"), Card("b", "2", id="same")])
    assert deck.ensure_ids() == 1
    assert deck.cards[0].id == "same" and deck.cards[1].id not in ("", "same")


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    deck = Deck(title="T", cards=[Card("q", "a", id="1")])
    folder = tmp_path / "decks"
    save_deck(deck, folder / "t.deck")
    assert [p.name for p in folder.iterdir()] == ["t.deck"]


line = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t",
                             blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=30)
block = st.lists(line, min_size=1, max_size=4).map(lambda ls: "\n".join(ls).strip())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(block, block, st.sampled_from(["general", "a b", "x-y"])), max_size=5))
def test_round_trip_any_text(cards: list[tuple[str, str, str]]) -> None:
    originals = [
        Card(front=f, back=b, topic=t, id=f"id{i}") for i, (f, b, t) in enumerate(cards) if f.strip()
    ]
    for card in originals:
        card.front = "\n".join(part.rstrip() for part in card.front.split("\n"))
        card.back = "\n".join(part.rstrip() for part in card.back.split("\n"))
    deck = Deck(title="Round trip", cards=originals)
    parsed = parse_deck(format_deck(deck)).deck
    assert [(c.front, c.back, c.topic, c.id) for c in parsed.cards] == [
        (c.front, c.back, c.topic, c.id) for c in originals
    ]


def test_saved_files_get_normal_permissions_and_keep_existing_ones(tmp_path: Path) -> None:
    deck = Deck(title="T", cards=[Card("q", "a", id="1")])
    path = save_deck(deck, tmp_path / "t.deck")
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    path.chmod(0o640)
    save_deck(deck, path)
    assert path.stat().st_mode & 0o777 == 0o640


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
