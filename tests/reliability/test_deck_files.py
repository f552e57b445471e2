"""Issue 16, items 2-5 and 14 (writer): writing a deck file never loses what is in it.

Real files in tmp_path; `tutor export` runs as a real child process.
"""

from __future__ import annotations

import os
import sqlite3
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli
from tutor.decks import Card, Deck, load_library, parse_deck
from tutor.decks.export import export_deck
from tutor.decks.model import make_card_id, valid_card_id
from tutor.decks.native import load_deck, save_deck

MALFORMED = """\
# my biology notes: keep this comment
title: Mal
these notes are a draft, ignore this line

---
# a card I copied from the book
topic: cells
Q: What does the mitochondrion do?
A: Produces ATP.
---
id: keep000002
topic: cells
Q: What does the ribosome make?
A: Proteins.

---
id: keep000001
Q: A card with no answer line
---
alt: mitochondria
alt: powerhouse

# notes after the last card
"""


def _without_id_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if not line.startswith("id: ")]


def test_export_writes_ids_in_place_and_keeps_a_backup(tmp_path: Path, isolated_home: Path) -> None:
    folder = isolated_home / "data" / "decks"
    folder.mkdir(parents=True)
    path = folder / "mal.deck"
    path.write_text(MALFORMED, encoding="utf-8")

    proc = run_cli("export", "mal", "--format", "csv", timeout=60)

    assert proc.returncode == 0, proc.stderr
    after = path.read_text(encoding="utf-8")
    # Every line tutor does not own is still there, in order; only one id line was added.
    assert _without_id_lines(after) == _without_id_lines(MALFORMED)
    assert after.count("id: ") == MALFORMED.count("id: ") + 1
    assert "id: keep000001" in after and "id: keep000002" in after
    new_id = load_deck(path, write_ids=False).deck.cards[0].id
    assert valid_card_id(new_id) and new_id not in ("keep000001", "keep000002")
    assert (folder / "mal.deck.bak").read_text(encoding="utf-8") == MALFORMED
    assert "Produces ATP." in proc.stdout


def test_an_edit_rewrites_only_its_card_and_keeps_crlf_and_backup(tmp_path: Path) -> None:
    original = MALFORMED.replace("\n", "\r\n").encode("utf-8")
    path = tmp_path / "mal.deck"
    path.write_bytes(original)
    deck = load_deck(path).deck
    with_ids = path.read_bytes()
    ribosome = deck.card("keep000002")
    assert ribosome is not None
    ribosome.back = "Proteins, from amino acids."

    save_deck(deck)

    after = path.read_bytes()
    assert after == with_ids.replace(b"A: Proteins.\r\n", b"A: Proteins, from amino acids.\r\n")
    assert (tmp_path / "mal.deck.bak").read_bytes() == with_ids
    assert load_deck(path).deck.card("keep000002").back == "Proteins, from amino acids."


DECK = """\
title: Small
---
id: small00001
Q: Capital of France?
A: Paris
---
id: small00002
Q: Capital of Spain?
A: Madrid
"""
APPENDED = """---
id: small00003
Q: Capital of Peru?
A: Lima
"""


def test_save_merges_edits_made_outside_since_load(tmp_path: Path) -> None:
    path = tmp_path / "small.deck"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(path).deck
    # Another editor changes a question and appends a card while tutor has the deck open.
    outside = DECK.replace("Capital of Spain?", "What is the capital of Spain?") + APPENDED
    path.write_text(outside, encoding="utf-8")
    deck.cards[0].back = "Paris (on the Seine)"

    save_deck(deck)

    after = path.read_text(encoding="utf-8")
    assert after == outside.replace("A: Paris\n", "A: Paris (on the Seine)\n")
    assert (tmp_path / "small.deck.bak").read_text(encoding="utf-8") == outside
    # The copy in memory now shows the outside edit too.
    assert deck.cards[1].front == "What is the capital of Spain?"
    # A second save (undo) still keeps all of it.
    deck.cards[0].back = "Paris"
    save_deck(deck)
    assert path.read_text(encoding="utf-8") == outside


def test_a_card_object_replaced_in_memory_is_saved_over_its_block(tmp_path: Path) -> None:
    path = tmp_path / "small.deck"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(path).deck
    deck.cards[1] = Card("Capital of Spain?", "Madrid, on the Manzanares", id="small00002")
    deck.cards.append(Card("Capital of Peru?", "Lima"))

    save_deck(deck)

    saved = parse_deck(path.read_text(encoding="utf-8")).deck.cards
    assert [(c.id, c.back) for c in saved[:2]] == [
        ("small00001", "Paris"), ("small00002", "Madrid, on the Manzanares")]
    assert [c.front for c in saved] == ["Capital of France?", "Capital of Spain?",
                                        "Capital of Peru?"]
    assert path.read_text(encoding="utf-8").startswith(DECK.split("A: Madrid")[0])


def test_save_refuses_when_the_file_was_removed(tmp_path: Path) -> None:
    path = tmp_path / "small.deck"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(path).deck
    path.rename(tmp_path / "renamed.deck")
    deck.cards[0].back = "Paris!"
    try:
        save_deck(deck)
    except Exception as exc:  # noqa: BLE001 - the type is checked below
        from tutor.errors import DeckError

        assert isinstance(exc, DeckError) and "\n" not in str(exc)
    else:
        raise AssertionError("saving over a removed deck file should be refused")
    assert not path.exists()


async def test_tui_edit_keeps_edits_made_outside(tmp_path: Path) -> None:
    from tutor.schedule import FixedClock
    from tutor.settings import Settings
    from tutor.tui import create_app
    from tutor.tui.screens.edit_card import EditCardScreen
    from tutor.tui.screens.study import StudyScreen

    path = tmp_path / "small.deck"
    path.write_text(DECK, encoding="utf-8")
    app = create_app(Settings(deck_dirs=(str(tmp_path),)), load_library([path]),
                     clock=FixedClock())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, StudyScreen)
        outside = DECK.replace("Capital of Spain?", "What is the capital of Spain?") + APPENDED
        path.write_text(outside, encoding="utf-8")
        await pilot.press("escape", "e")
        assert isinstance(app.screen, EditCardScreen)
        app.screen.query_one("#topic").value = "europe"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
    after = path.read_text(encoding="utf-8")
    assert "What is the capital of Spain?" in after and "id: small00003" in after
    edited = parse_deck(after).deck
    assert [c.id for c in edited.cards] == ["small00001", "small00002", "small00003"]
    assert edited.cards[0].topic == "europe"


def test_a_symlinked_deck_is_written_through_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    target = real / "bio.deck"
    target.write_text("title: Bio\n---\nQ: q\nA: a\n", encoding="utf-8")
    link = tmp_path / "decks" / "bio.deck"
    link.parent.mkdir()
    link.symlink_to(target)

    deck = load_deck(link).deck

    assert link.is_symlink() and os.readlink(link) == str(target)
    assert f"id: {deck.cards[0].id}" in target.read_text(encoding="utf-8")
    assert (real / "bio.deck.bak").exists() and not (link.parent / "bio.deck.bak").exists()
    deck.cards[0].back = "b"
    save_deck(deck)
    assert link.is_symlink() and "A: b" in target.read_text(encoding="utf-8")


def test_one_card_id_in_two_decks_is_refused_not_shared(tmp_path: Path) -> None:
    first = "title: One\n---\nid: shared0001\nQ: one?\nA: 1\n---\nid: own0000001\nQ: x?\nA: y\n"
    second = "title: Two\n---\nid: shared0001\nQ: two?\nA: 2\n---\nid: own0000002\nQ: z?\nA: w\n"
    (tmp_path / "one.deck").write_text(first, encoding="utf-8")
    (tmp_path / "two.deck").write_text(second, encoding="utf-8")

    library = load_library([tmp_path])

    ids = [card.id for deck in library.decks for card in deck.cards]
    # Neither copy is studied: a deck that sorts first must not take over the other's schedule.
    assert sorted(ids) == ["own0000001", "own0000002"]
    assert [c.id for c in library.find("one").cards] == ["own0000001"]
    assert [c.id for c in library.find("two").cards] == ["own0000002"]
    assert sum("shared0001" in e and "one.deck" in e and "two.deck" in e for e in library.errors) == 2
    # Nothing is rewritten: the learner decides which card keeps the history.
    assert (tmp_path / "two.deck").read_text(encoding="utf-8") == second


def test_new_ids_avoid_ids_of_other_decks(tmp_path: Path) -> None:
    # a.deck (loaded first) has no id yet; b.deck already holds the id it would get.
    taken = make_card_id("Same question?", "Same")
    (tmp_path / "a.deck").write_text("title: Same\n---\nQ: Same question?\nA: x\n", "utf-8")
    (tmp_path / "b.deck").write_text(f"title: Same\n---\nid: {taken}\nQ: Same question?\nA: x\n",
                                     "utf-8")

    library = load_library([tmp_path])

    assert library.errors == []
    assert library.find("b").cards[0].id == taken
    assert library.find("a").cards[0].id not in ("", taken)


def test_invalid_and_duplicate_ids_are_never_written_raw(tmp_path: Path) -> None:
    deck = Deck(title="T", cards=[
        Card("first?", "1", id="abc\n---\nQ: injected?\nA: x"),
        Card("second?", "2", id="dup"),
        Card("third?", "3", id="dup"),
        Card("fourth?", "4", id="bell\x07"),
    ])
    path = save_deck(deck, tmp_path / "t.deck")
    parsed = parse_deck(path.read_text(encoding="utf-8"))
    assert [c.front for c in parsed.deck.cards] == ["first?", "second?", "third?", "fourth?"]
    ids = [c.id for c in parsed.deck.cards]
    assert all(valid_card_id(i) for i in ids) and len(set(ids)) == 4 and ids[1] == "dup"
    assert ids == [c.id for c in deck.cards]


def test_invalid_ids_in_a_deck_file_get_fresh_ones_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.deck"
    too_long = "x" * 150
    path.write_text(f"---\nid: {too_long}\nQ: q?\nA: a\n---\nid: cap0000001\nQ: r?\nA: b\n"
                    "---\nid: cap0000001\nQ: s?\nA: c\n", "utf-8")
    result = load_deck(path)
    ids = [card.id for card in result.deck.cards]
    assert ids[1] == "cap0000001" and len(set(ids)) == 3 and all(map(valid_card_id, ids))
    assert too_long not in path.read_text("utf-8")
    assert parse_deck(path.read_text("utf-8")).deck.cards[2].id == ids[2]
    assert any("line 2" in w and "id" in w for w in result.warnings)
    assert any("line 10" in w and "cap0000001" in w for w in result.warnings)


def test_import_of_an_apkg_with_a_bad_tutor_id_writes_one_card_per_note(tmp_path: Path) -> None:
    import genanki

    from tutor.decks.export import package_bytes

    model = genanki.Model(1607392319, "tutor: T", fields=[
        {"name": "Front"}, {"name": "Back"}, {"name": "Topic"}, {"name": "TutorID"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])
    anki = genanki.Deck(2059400110, "T")
    for front, tutor_id in (("first?", "abc\n---\nQ: injected?\nA: x"), ("second?", "twin"),
                            ("third?", "twin")):
        anki.add_note(genanki.Note(model=model, fields=[front, "answer", "t", tutor_id]))
    source = tmp_path / "t.apkg"
    source.write_bytes(package_bytes(genanki.Package(anki)))

    proc = run_cli("import", str(source), "-o", str(tmp_path / "t.deck"), timeout=60)

    assert proc.returncode == 0, proc.stderr
    cards = parse_deck((tmp_path / "t.deck").read_text(encoding="utf-8")).deck.cards
    assert [c.front for c in cards] == ["first?", "second?", "third?"]
    assert all(valid_card_id(c.id) for c in cards) and len({c.id for c in cards}) == 3
    assert "injected" not in (tmp_path / "t.deck").read_text(encoding="utf-8")


def test_apkg_export_carries_only_valid_ids(tmp_path: Path) -> None:
    deck = Deck(title="T", cards=[Card("q?", "a", id="x\ny"), Card("r?", "b", id="ok")])
    path = export_deck(deck, "apkg", tmp_path / "t.apkg")
    with zipfile.ZipFile(path) as archive:
        data = archive.read("collection.anki2")
    db = tmp_path / "c.anki2"
    db.write_bytes(data)
    with sqlite3.connect(db) as connection:
        ids = [row[0].split("\x1f")[3] for row in connection.execute("select flds from notes")]
    assert sorted(ids) == sorted(c.id for c in deck.cards)
    assert all(valid_card_id(i) for i in ids) and "ok" in ids


_LINES = ["---", "Q: q", "A: a", "id: same", "id: other", "# note", "", "topic: t", "alt: y",
          "stray text", "tags: a, b", "\\---", "more answer", "Q:", "A:", "title: T"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(_LINES), max_size=25), st.integers(min_value=0, max_value=30))
def test_any_deck_keeps_every_line_through_ids_and_an_edit(tmp_path_factory, lines: list[str],
                                                           pick: int) -> None:
    path = tmp_path_factory.mktemp("any") / "any.deck"
    original = "\n".join(lines) + "\n"
    path.write_text(original, encoding="utf-8")
    before = parse_deck(original).deck.cards

    deck = load_deck(path).deck

    written = path.read_text(encoding="utf-8")
    assert _without_id_lines(written) == _without_id_lines(original)
    again = parse_deck(written).deck.cards
    assert [(c.front, c.back, c.topic) for c in again] == [
        (c.front, c.back, c.topic) for c in before]
    assert [c.id for c in again] == [c.id for c in deck.cards]
    assert len({c.id for c in again}) == len(again) and all(valid_card_id(c.id) for c in again)
    if deck.cards:
        card = deck.cards[pick % len(deck.cards)]
        card.back = "new\n---\nanswer"
        save_deck(deck)
        edited = parse_deck(path.read_text(encoding="utf-8")).deck.cards
        assert [(c.id, c.front, c.back) for c in edited] == [
            (c.id, c.front, c.back) for c in deck.cards]


def test_export_says_which_ids_it_replaced(tmp_path: Path) -> None:
    """A replaced id unlinks that card's history: the learner is told, never silently."""
    deck = tmp_path / "ids.deck"
    deck.write_text("---\nid: dup01\nQ: a?\nA: 1\n---\nid: dup01\nQ: b?\nA: 2\n", encoding="utf-8")
    done = run_cli("export", str(deck), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert "dup01" in done.stderr and "new id" in done.stderr
