"""`tutor import` and `tutor export` through the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.functional.conftest import assert_one_line_error
from tutor.decks.native import load_deck
from tutor.settings import BUNDLED_DECKS

TSV = (
    "Term\tDefinition\tTopic\n"
    "mitochondrion\tproduces ATP\torganelles\n"
    "mitosis phases\tprophase\n"
    "metaphase\n"
    "ribosome\tmakes proteins\torganelles\n"
)
DECK = """\
title: Cell biology

---
topic: organelles
tags: exam-1, easy
alt: the powerhouse of the cell
alt: it makes ATP
Q: What does the mitochondrion do?
A: Produces ATP, "the energy currency".
---
topic: division
Q: Name the phases of mitosis.
A:
prophase
metaphase

anaphase
---
topic: lab work
Q: #1 rule?
A: goggles	on
"""


@pytest.fixture
def tsv_file(tmp_path: Path) -> Path:
    path = tmp_path / "cells.tsv"
    path.write_text(TSV, encoding="utf-8")
    return path


@pytest.fixture
def deck_file(isolated_home: Path) -> Path:
    folder = isolated_home / "data" / "decks"
    folder.mkdir(parents=True)
    path = folder / "cellbio.deck"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_import_prints_a_summary(tsv_file: Path) -> None:
    proc = run_cli("import", str(tsv_file))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "format:   tsv (detected, score 0." in out
    assert "encoding: utf-8" in out and "cards:    3" in out
    assert "organelles (2)" in out
    assert "line 4: line has no separator; added to the back of the card above" in out


def test_import_json_is_exactly_cards_and_warnings(tsv_file: Path) -> None:
    proc = run_cli("import", str(tsv_file), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["cards", "warnings"]
    assert all(list(card) == ["front", "back", "topic"] for card in data["cards"])
    assert data["cards"][1]["back"] == "prophase\nmetaphase"
    assert data["cards"][0] == {"front": "mitochondrion", "back": "produces ATP",
                                "topic": "organelles"}
    assert data["warnings"][0].startswith("line 4: ")


def test_import_writes_a_native_deck_and_refuses_to_overwrite(
    tsv_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "decks" / "cells"
    out.parent.mkdir()  # -o never creates folders
    proc = run_cli("import", str(tsv_file), "-o", str(out), "--title", "Cells")
    assert proc.returncode == 0, proc.stderr
    written = out.with_name("cells.deck")
    assert f"wrote 3 cards to {written}" in proc.stdout
    deck = load_deck(written).deck
    assert deck.title == "Cells" and len(deck.cards) == 3 and all(c.id for c in deck.cards)
    assert [c.topic for c in deck.cards][0] == "organelles"
    assert_one_line_error(run_cli("import", str(tsv_file), "-o", str(written)),
                          "already exists", "--force")
    assert run_cli("import", str(tsv_file), "-o", str(written), "--force").returncode == 0


def test_export_text_formats_to_stdout_by_name_and_path(deck_file: Path) -> None:
    proc = run_cli("export", "cellbio", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("front,back,topic,tags,alternatives\n")
    assert run_cli("export", str(deck_file), "--format", "tsv").stdout.startswith(
        "#separator:tab\n"
    )
    markdown = run_cli("export", "cellbio", "--format", "markdown").stdout
    assert markdown.startswith("# Cell biology\n\n## organelles\n")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "apkg"])
def test_round_trip_through_the_command_line(deck_file: Path, tmp_path: Path, fmt: str) -> None:
    exported = tmp_path / f"cells.{fmt}"
    proc = run_cli("export", "cellbio", "--format", fmt, "-o", str(exported))
    assert proc.returncode == 0 and "wrote 3 cards" in proc.stdout, proc.stderr
    back = json.loads(run_cli("import", str(exported), "--json").stdout)
    original = load_deck(deck_file).deck
    assert back["cards"] == [
        {"front": c.front, "back": c.back, "topic": c.topic} for c in original.cards
    ]
    imported = tmp_path / "again.deck"
    assert run_cli("import", str(exported), "-o", str(imported)).returncode == 0
    assert [(c.front, c.back, c.topic, c.tags, c.alternatives)
            for c in load_deck(imported).deck.cards] == [
        (c.front, c.back, c.topic, c.tags, c.alternatives) for c in original.cards]
    assert original.cards[0].alternatives == ["the powerhouse of the cell", "it makes ATP"]


def test_apkg_export_without_output_writes_into_the_current_folder(
    deck_file: Path, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "tutor", "export", str(deck_file), "--format", "apkg"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)
    target = tmp_path / "cellbio.apkg"
    assert proc.returncode == 0, proc.stderr
    assert f"to {target}" in proc.stdout and target.stat().st_size > 0
    again = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env,
                           timeout=120)
    assert_one_line_error(again, "already exists")


def test_bad_inputs_are_one_line_errors(tmp_path: Path, deck_file: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    assert_one_line_error(run_cli("import", str(binary)), "binary")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert_one_line_error(run_cli("import", str(huge)), "50 MB", "refused")
    assert_one_line_error(run_cli("import", str(tmp_path / "missing.txt")), "no such file")
    assert_one_line_error(run_cli("import", str(tmp_path)), "folder")
    one_line = tmp_path / "one.txt"
    one_line.write_text("just a single line of prose\n", encoding="utf-8")
    assert_one_line_error(run_cli("import", str(one_line)),
                          "could not recognise", "tried", "csv, tsv, pairs, markdown")
    assert_one_line_error(run_cli("import", str(one_line), "--format", "pdf"), "invalid choice")
    broken = tmp_path / "broken.apkg"
    broken.write_bytes(b"PK\x03\x04 truncated")
    assert_one_line_error(run_cli("import", str(broken)), "broken zip")
    assert_one_line_error(run_cli("import", str(one_line), "--format", "apkg"),
                          "not an Anki package")
    assert_one_line_error(run_cli("export", "nosuchdeck", "--format", "csv"), "no deck named")
    no_cards = tmp_path / "draft.deck"
    no_cards.write_text("title: Draft\n\n---\nQ: a question still without its answer\n",
                        encoding="utf-8")
    assert_one_line_error(run_cli("export", str(no_cards), "--format", "csv"),
                          "no cards to export", "no 'A:' line")
    assert not list(tmp_path.glob("*.csv"))
    assert_one_line_error(run_cli("export", str(deck_file), "--format", "pdf"), "invalid choice")


def test_empty_file_and_wrong_encoding_are_imported_with_warnings(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    proc = run_cli("import", str(empty))
    assert proc.returncode == 0 and "cards:    0" in proc.stdout and "is empty" in proc.stdout
    legacy = tmp_path / "legacy.tsv"
    legacy.write_bytes("café\tcoffee\nthé\ttea\n".encode("cp1252"))
    proc = run_cli("import", str(legacy), "--json")
    data = json.loads(proc.stdout)
    assert [c["front"] for c in data["cards"]] == ["café", "thé"]
    assert "cp1252" in data["warnings"][0]


def test_import_without_output_ends_saying_how_to_add_the_deck(
        tsv_file: Path, isolated_home: Path) -> None:
    proc = run_cli("import", str(tsv_file))
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.splitlines()[-1]
    target = isolated_home / "data" / "decks" / "cells.deck"
    assert last == (f"to add it to your decks: tutor import {tsv_file} --add"
                    f" (writes {target}; -o FILE writes it elsewhere)")
    assert not target.exists()


def test_import_add_writes_into_the_user_deck_folder_and_never_over_a_deck(
        tsv_file: Path, isolated_home: Path) -> None:
    folder = isolated_home / "data" / "decks"
    assert not folder.exists()  # a new user: --add makes it
    proc = run_cli("import", str(tsv_file), "--add")
    assert proc.returncode == 0, proc.stderr
    target = folder / "cells.deck"
    assert proc.stdout.splitlines()[-1] == \
        f"wrote 3 cards to {target}; study it with 'tutor study cells'"
    assert len(load_deck(target).deck.cards) == 3
    exported = run_cli("export", "cells", "--format", "csv")  # now in the library
    assert exported.returncode == 0 and "mitochondrion" in exported.stdout

    before = target.read_bytes()
    again = run_cli("import", str(tsv_file), "--add")
    assert_one_line_error(again, "already have cells.deck", "--title", "--force")
    assert target.read_bytes() == before
    other = run_cli("import", str(tsv_file), "--add", "--title", "Cells two")
    assert other.returncode == 0 and (folder / "cells-two.deck").exists()
    assert "takes the place" not in other.stdout
    shadowing = run_cli("import", str(tsv_file), "--add", "--title", "Deep learning knowt")
    assert shadowing.returncode == 0, shadowing.stderr
    assert shadowing.stdout.splitlines()[-1] == ("it takes the place of the deck "
                                                 f"{BUNDLED_DECKS / 'deep-learning-knowt.deck'} (same file name)")
    assert_one_line_error(run_cli("import", str(tsv_file), "--add", "-o", "x.deck"),
                          "not allowed with argument")


def test_importing_a_native_deck_file_keeps_every_card(deck_file: Path, tmp_path: Path) -> None:
    """A .deck file someone shares is read as a deck, not guessed as a page (which put
    its 'id:'/'topic:' lines into the answers and its comment into the title)."""
    proc = run_cli("import", str(deck_file), "--json")
    assert proc.returncode == 0, proc.stderr
    original = load_deck(deck_file).deck
    assert json.loads(proc.stdout) == {"cards": [
        {"front": c.front, "back": c.back, "topic": c.topic} for c in original.cards],
        "warnings": []}
    summary = run_cli("import", str(deck_file)).stdout
    assert "format:   deck (detected" in summary and "title:    Cell biology" in summary
    copy = tmp_path / "copy.deck"
    assert run_cli("import", str(deck_file), "-o", str(copy)).returncode == 0
    assert [(c.front, c.back, c.topic, c.tags, c.alternatives)
            for c in load_deck(copy).deck.cards] == [
        (c.front, c.back, c.topic, c.tags, c.alternatives) for c in original.cards]


def test_add_or_output_with_no_cards_writes_nothing(tsv_file: Path, tmp_path: Path,
                                                    isolated_home: Path) -> None:
    """An empty file, or a file read with the wrong --format, gave an empty deck file
    ('wrote 0 cards ...; study it with ...') instead of saying nothing was found."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_one_line_error(run_cli("import", str(empty), "--add"),
                          "no cards in empty.csv", "is empty", "nothing written")
    assert not (isolated_home / "data" / "decks" / "empty.deck").exists()
    out = tmp_path / "cells.deck"
    assert_one_line_error(run_cli("import", str(tsv_file), "--format", "markdown", "-o", str(out)),
                          "no cards in cells.tsv", "### question", "nothing written")
    assert not out.exists()


def test_the_summary_lists_at_most_a_dozen_topics(tmp_path: Path) -> None:
    """An Anki export whose first tags are all different gave a topics line of one
    entry per card (80,000 characters for 5,000 topics)."""
    many = tmp_path / "vocab.csv"
    many.write_text("front,back,topic\n" + "".join(
        f"word {n},meaning {n},lesson {n:02d}\n" for n in range(40)), encoding="utf-8")
    proc = run_cli("import", str(many))
    assert proc.returncode == 0, proc.stderr
    topics = next(line for line in proc.stdout.splitlines() if line.startswith("topics:"))
    assert topics.startswith("topics:   lesson 00 (1), lesson 01 (1),")
    assert topics.endswith("lesson 11 (1) and 28 more")


def test_cards_repeated_in_the_source_are_kept_with_a_warning(tmp_path: Path) -> None:
    """A list pasted twice gave twice the cards and no word about it."""
    verbs = tmp_path / "verbs.csv"
    verbs.write_text("front,back\nhablar (yo),hablo\ncomer (yo),como\nhablar (yo),hablo\n"
                     "hablar (yo),hablamos\ncomer (yo),como\n", encoding="utf-8")
    proc = run_cli("import", str(verbs), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["cards"]) == 5
    assert data["warnings"] == ["2 cards repeat an earlier card's question and answer: card 3"
                                " = card 1 ('hablar (yo)'), card 5 = card 2 ('comer (yo)');"
                                " all kept (delete the copies from the deck file)"]


def test_output_dash_is_stdout_never_a_file_named_dash(deck_file: Path, tsv_file: Path,
                                                      tmp_path: Path) -> None:
    """'-o -' wrote a file called '-' into the current folder (and '-.deck' on import)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def tutor(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=120)

    proc = tutor("export", str(deck_file), "--format", "csv", "-o", "-")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("front,back,topic,tags,alternatives\n")
    assert_one_line_error(tutor("export", str(deck_file), "--format", "apkg", "-o", "-"),
                          "apkg", "name a file")
    assert_one_line_error(tutor("import", str(tsv_file), "-o", "-"), "--json", "name a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cells.tsv", "home"]


def test_add_names_the_deck_file_after_a_title_in_any_language(tsv_file: Path,
                                                               isolated_home: Path) -> None:
    """Accents were cut out of the file name ('verbos-espa-oles') and titles in other
    scripts all became 'deck.deck', so the second such deck was refused."""
    folder = isolated_home / "data" / "decks"
    for title, stem in [("Verbos españoles", "verbos-espanoles"),
                        ("Química orgánica", "quimica-organica"),
                        ("Русские глаголы", "русские-глаголы"), ("日本語の単語", "日本語の単語")]:
        proc = run_cli("import", str(tsv_file), "--add", "--title", title)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[-1] == (f"wrote 3 cards to {folder / stem}.deck;"
                                                f" study it with 'tutor study {stem}'")


def test_force_keeps_the_deck_it_replaces_as_a_backup(tsv_file: Path, isolated_home: Path) -> None:
    """--force replaced a deck the learner had edited by hand and kept no copy of it
    (every other write of a deck keeps the version it replaced as <name>.deck.bak)."""
    assert run_cli("import", str(tsv_file), "--add").returncode == 0
    target = isolated_home / "data" / "decks" / "cells.deck"
    edited = target.read_text(encoding="utf-8") + "\n---\nQ: my own card\nA: my own answer\n"
    target.write_text(edited, encoding="utf-8")
    proc = run_cli("import", str(tsv_file), "--add", "--force")
    assert proc.returncode == 0, proc.stderr
    backup = target.with_name("cells.deck.bak")
    assert backup.read_text(encoding="utf-8") == edited
    assert f"the deck it replaced is kept as {backup}" in proc.stdout
    assert "my own card" not in target.read_text(encoding="utf-8")


#: Topics a comma-splitting or length-cutting importer would change; accepted answers
#: with commas and semicolons.
COMMA_TOPICS = """\
title: Discrete maths

---
topic: Sets, relations and functions
alt: a subset of A × B, as pairs
alt: pairs (a, b); nothing more
Q: What is a relation from A to B?
A: A subset of A × B, e.g. {(1, 2), (2, 3)}.
---
topic: Graphs, trees, and the long topic names a textbook chapter sometimes has, e.g. this one
tags: exam-1, easy
Q: What is a tree?
A: A connected graph, without cycles.
---
topic: Sets, relations and functions
Q: What is a function?
A: A relation that gives each element of A exactly one image.
"""


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "apkg", "deck"])
def test_topics_with_commas_survive_export_then_import(tmp_path: Path, fmt: str) -> None:
    """Every export format (and tutor's own .deck, written by `import -o`) reads back
    with the same cards: a topic holding commas was split or lost its commas."""
    source = tmp_path / "maths.deck"
    source.write_text(COMMA_TOPICS, encoding="utf-8")
    exported = tmp_path / f"maths-copy.{fmt}"
    if fmt == "deck":
        proc = run_cli("import", str(source), "-o", str(exported))
    else:
        proc = run_cli("export", str(source), "--format", fmt, "-o", str(exported))
    assert proc.returncode == 0, proc.stderr
    back = json.loads(run_cli("import", str(exported), "--json").stdout)
    original = load_deck(source).deck.cards
    assert [card["topic"] for card in back["cards"]] == [c.topic for c in original]
    again = tmp_path / "again.deck"
    assert run_cli("import", str(exported), "-o", str(again)).returncode == 0
    assert [(c.front, c.back, c.topic, c.tags, c.alternatives)
            for c in load_deck(again).deck.cards] == [
        (c.front, c.back, c.topic, c.tags, c.alternatives) for c in original]


#: Card text that looks like HTML but is not: a tag named in prose, generics, comparisons,
#: entities written out.
MARKUP_AS_TEXT = """\
title: Text that looks like markup

---
topic: html
Q: How do you make text bold in HTML?
A: Wrap it in <b> and </b>: <b>bold</b><br> is bold, then a line break.
---
topic: c#
Q: Declare a list of ints.
A: List<int> xs = new List<int>();
---
topic: logic
Q: What does a < b and c > d say? (a <b and c> d)
A: AT&amp;T writes &nbsp; for a space; &lt; is <.
"""


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_html_looking_text_survives_csv_and_tsv_export_then_import(tmp_path: Path,
                                                                  fmt: str) -> None:
    """tutor's own CSV was read as HTML: '<b>' vanished, '&amp;' became '&'."""
    source = tmp_path / "markup.deck"
    source.write_text(MARKUP_AS_TEXT, encoding="utf-8")
    exported = tmp_path / f"markup.{fmt}"
    assert run_cli("export", str(source), "--format", fmt, "-o", str(exported)).returncode == 0
    back = json.loads(run_cli("import", str(exported), "--json").stdout)
    assert [(c["front"], c["back"]) for c in back["cards"]] == [
        (c.front, c.back) for c in load_deck(source).deck.cards]


#: One card whose answer holds a '---' line (a Markdown rule, and Knowt's table rule
#: without its pipes).
ONE_CARD_WITH_A_RULE = """\
title: Markdown rules

---
topic: syntax
Q: How do you write a horizontal rule in Markdown?
A:
Three dashes on a line of their own:
\\---
"""


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "apkg"])
def test_a_one_card_export_with_a_dash_line_is_detected_as_its_format(tmp_path: Path,
                                                                     fmt: str) -> None:
    """The Markdown export of this card was detected as Knowt: 0 cards, the '# title'
    line as its title, and a warning about a Knowt page header the file does not have."""
    source = tmp_path / "rules.deck"
    source.write_text(ONE_CARD_WITH_A_RULE, encoding="utf-8")
    exported = tmp_path / f"rules.{fmt}"
    assert run_cli("export", str(source), "--format", fmt, "-o", str(exported)).returncode == 0
    summary = run_cli("import", str(exported)).stdout
    assert f"format:   {fmt} (detected" in summary
    assert "title:    Markdown rules" in summary or fmt in ("csv", "tsv")
    assert "cards:    1" in summary and "warnings: none" in summary
    back = json.loads(run_cli("import", str(exported), "--json").stdout)
    card = load_deck(source).deck.cards[0]
    assert card.back.endswith("\n---")
    assert back["cards"] == [{"front": card.front, "back": card.back, "topic": card.topic}]


QUIZLET_CUSTOM = (
    "photosynthesis - how plants turn light, water and CO2 into sugar\n"
    "mitosis - cell division; gives two identical cells\n"
    "meiosis - cell division giving four cells\n"
    "long-term potentiation - lasting strengthening of synapses\n"
)


def test_a_quizlet_export_with_a_custom_separator_imports_its_cards(tmp_path: Path) -> None:
    """It was read as line-based text: 1 card made of three lines, and no warning."""
    source = tmp_path / "quizlet.txt"
    source.write_text(QUIZLET_CUSTOM, encoding="utf-8")
    summary = run_cli("import", str(source)).stdout
    assert "format:   pairs (detected" in summary and "cards:    4" in summary
    cards = json.loads(run_cli("import", str(source), "--json").stdout)["cards"]
    assert [(c["front"], c["back"]) for c in cards] == [
        tuple(line.split(" - ", 1)) for line in QUIZLET_CUSTOM.splitlines()]
    equals = tmp_path / "equals.txt"
    equals.write_text(QUIZLET_CUSTOM.replace(" - ", " ~ "), encoding="utf-8")
    cards = json.loads(run_cli("import", str(equals), "--separator", " ~ ", "--json").stdout)["cards"]
    assert [c["front"] for c in cards] == ["photosynthesis", "mitosis", "meiosis",
                                           "long-term potentiation"]


def test_separator_option_has_help_and_one_line_errors(tmp_path: Path) -> None:
    source = tmp_path / "quizlet.txt"
    source.write_text(QUIZLET_CUSTOM, encoding="utf-8")
    assert "--separator SEP" in run_cli("import", "--help").stdout
    assert_one_line_error(run_cli("import", str(source), "--separator", ""),
                          "--separator", "between a term and its definition")
    assert_one_line_error(run_cli("import", str(source), "--separator", "a\nb"),
                          "--separator", "one line")
    assert_one_line_error(run_cli("import", str(source), "--separator", " - ", "--format", "csv"),
                          "--separator", "leave out --format csv")
