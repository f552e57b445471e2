"""Anki packages (.apkg) and the file-level entry point `import_file`."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.decks.export import package_bytes
from tutor.decks.importers.apkg import import_apkg, import_apkg_file
from tutor.decks.importers.files import import_file, read_import
from tutor.errors import DeckError


def _package(*decks: genanki.Deck) -> bytes:
    return package_bytes(genanki.Package(list(decks)))


def _basic_deck(deck_id: int = 1_234_567_890, name: str = "Biology") -> genanki.Deck:
    deck = genanki.Deck(deck_id, name)
    notes = [
        (["What is the <b>mitochondrion</b>?", "The cell&#x27;s power plant<br>makes ATP"],
         ["cell_biology", "leech"]),
        (["<div>Phases of mitosis</div>", "<ul><li>prophase</li><li>metaphase</li></ul>"],
         ["marked", "cell_biology"]),
        (["Osmosis", "water &amp; a membrane"], []),
        (['<img src="heart.png">', "the heart"], ["anatomy"]),
    ]
    for fields, tags in notes:
        deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=fields, tags=tags))
    return deck


def _rezip(data: bytes, rename: dict[str, str | None]) -> bytes:
    """Copy a zip, renaming (or, with None, dropping) some members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name = rename.get(info.filename, info.filename)
            if name is not None:
                target.writestr(name, source.read(info))
    return out.getvalue()


def test_basic_notes_html_tags_and_skipped_media() -> None:
    result = import_apkg(_package(_basic_deck()))
    assert result.format == "apkg" and result.title == "Biology"
    assert [(c.front, c.back, c.topic) for c in result.cards[:2]] == [
        ("What is the mitochondrion?", "The cell's power plant\nmakes ATP", "cell biology"),
        ("Phases of mitosis", "prophase\nmetaphase", "cell biology"),
    ]
    assert result.cards[0].tags == ["cell_biology"]  # Anki's 'leech' is not a topic
    assert result.cards[2].back == "water & a membrane" and result.cards[2].topic
    assert len(result.cards) == 3
    assert [str(w) for w in result.warnings] == ["note 4 has only an image or sound; skipped"]


def test_cloze_notes_hide_their_deletions() -> None:
    deck = genanki.Deck(99, "Geo")
    deck.add_note(genanki.Note(
        model=genanki.CLOZE_MODEL,
        fields=["The capital of {{c1::France}} is {{c2::Paris::city}}.", ""],
        tags=["capitals"],
    ))
    result = import_apkg(_package(deck))
    assert [(c.front, c.back, c.topic) for c in result.cards] == [
        ("The capital of [...] is [city].", "France\nParis", "capitals"),
    ]


def test_untagged_notes_take_their_sub_deck_as_topic_when_there_are_several() -> None:
    first, second = genanki.Deck(1, "Bio::Cells"), genanki.Deck(2, "Bio::Genetics")
    first.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["What is a ribosome?", "x"]))
    second.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["What is DNA?", "y"]))
    result = import_apkg(_package(first, second))
    assert [c.topic for c in result.cards] == ["Cells", "Genetics"]
    assert result.title == ""


def test_collection_anki21_is_read_before_anki2() -> None:
    """Anki's legacy export: meta, collection.anki21, and an old-format stand-in."""
    buffer = io.BytesIO(_rezip(_package(_basic_deck()), {"collection.anki2": "collection.anki21"}))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("collection.anki2", b"stand-in for old Anki versions")
        archive.writestr("meta", b"\x08\x02")
    assert len(import_apkg(buffer.getvalue()).cards) == 3


def test_newer_schema_with_note_types_in_their_own_tables(tmp_path: Path) -> None:
    db = tmp_path / "collection.anki21"
    connection = sqlite3.connect(db)
    connection.executescript(
        "CREATE TABLE col (models TEXT, decks TEXT);"
        "INSERT INTO col VALUES ('', '');"
        "CREATE TABLE notes (id INTEGER, mid INTEGER, flds TEXT, tags TEXT);"
        "CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT);"
        "CREATE TABLE cards (nid INTEGER, did INTEGER, ord INTEGER);"
        "CREATE TABLE decks (id INTEGER, name TEXT);"
        "INSERT INTO fields VALUES (7, 0, 'Front'), (7, 1, 'Back'), (7, 2, 'Topic');"
        "INSERT INTO decks VALUES (1, 'Chemistry');"
        "INSERT INTO cards VALUES (10, 1, 0);"
    )
    connection.execute(
        "INSERT INTO notes VALUES (10, 7, ?, ' acids ')", ("pH of water\x1f7\x1fAcids and bases",)
    )
    connection.commit()
    connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(db, "collection.anki21")
    result = import_apkg(buffer.getvalue())
    assert [(c.front, c.back, c.topic) for c in result.cards] == [
        ("pH of water", "7", "Acids and bases")
    ]
    assert result.title == "Chemistry"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"not a zip at all", "not an Anki package"),
        (b"", "not an Anki package"),
        (b"PK\x03\x04" + b"\x00" * 40, "broken zip"),
        (_zip({"notes.txt": b"hello"}), "no collection.anki2"),
        (_zip({"collection.anki21b": b"\x28\xb5\x2f\xfd", "collection.anki2": b"dummy"}),
         "Support older Anki versions"),
        (_zip({"collection.anki2": b"definitely not sqlite"}), "not an SQLite database"),
        (_zip({"collection.anki2": b"SQLite format 3\x00" + b"\xff" * 200}), "damaged"),
        (_zip({"collection.anki2": b""}), "not an SQLite database"),
    ],
)
def test_broken_packages_raise_one_line_deck_errors(data: bytes, words: str) -> None:
    with pytest.raises(DeckError) as caught:
        import_apkg(data)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_truncated_package() -> None:
    data = _package(_basic_deck())
    with pytest.raises(DeckError):
        import_apkg(data[: len(data) // 2])


def test_sqlite_without_notes_table() -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE other (x)")
    database = connection.serialize()
    with pytest.raises(DeckError, match="damaged"):
        import_apkg(_zip({"collection.anki2": database}))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_raise_only_deck_error(data: bytes) -> None:
    for candidate in (data, b"PK\x03\x04" + data):
        try:
            import_apkg(candidate)
        except DeckError:
            pass


_VALID = _package(_basic_deck())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_damaged_valid_packages_raise_only_deck_error(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_VALID)
    for offset, value in flips:
        data[offset] = value
    try:
        import_apkg(bytes(data))
    except DeckError:
        pass


_VALID_DB = zipfile.ZipFile(io.BytesIO(_VALID)).read("collection.anki2")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(100, len(_VALID_DB) - 1), st.integers(0, 255)),
                min_size=1, max_size=30))
def test_damaged_collections_raise_only_deck_error(flips: list[tuple[int, int]]) -> None:
    """Byte flips inside the SQLite file (zipped again, so the zip itself is sound)."""
    data = bytearray(_VALID_DB)
    for offset, value in flips:
        data[offset] = value
    try:
        import_apkg(_zip({"collection.anki2": bytes(data)}))
    except DeckError:
        pass


def test_invalid_utf8_in_a_note_is_replaced_not_fatal(tmp_path: Path) -> None:
    db = tmp_path / "c.anki2"
    connection = sqlite3.connect(db)
    connection.executescript(
        "CREATE TABLE col (models TEXT, decks TEXT); INSERT INTO col VALUES ('{}', '{}');"
        "CREATE TABLE notes (id INTEGER, mid INTEGER, flds TEXT, tags TEXT);"
        "INSERT INTO notes VALUES (1, 1, CAST(X'6361660a1f6f6b' AS TEXT), '');"
        "INSERT INTO notes VALUES (2, 1, CAST(X'63e91f6f6b' AS TEXT), '');"
    )
    connection.commit()
    connection.close()
    result = import_apkg(_zip({"collection.anki2": db.read_bytes()}))
    assert [(c.front, c.back) for c in result.cards] == [("caf", "ok"), ("c\ufffd", "ok")]


# --------------------------------------------------------------------------- import_file


def test_import_file_routes_packages_by_magic_and_suffix(tmp_path: Path) -> None:
    package = tmp_path / "bio.zip"
    package.write_bytes(_VALID)
    imported = read_import(package)
    assert imported.result.format == "apkg" and imported.detected and imported.score == 1.0
    assert len(import_apkg_file(package).cards) == 3
    fake = tmp_path / "fake.apkg"
    fake.write_text("q\ta\n", encoding="utf-8")
    with pytest.raises(DeckError, match="not an Anki package"):
        import_file(fake)
    assert import_file(fake, "tsv").cards[0].front == "q"


def test_import_file_encodings(tmp_path: Path) -> None:
    cases = {
        "utf-8": ("café\tcoffee\n".encode(), None),
        "utf-8-sig": (b"\xef\xbb\xbf" + "café\tcoffee\n".encode(), "byte-order mark"),
        "cp1252": ("café\tcoffee\n".encode("cp1252"), "cp1252"),
        "utf-16-le": (b"\xff\xfe" + "café\tcoffee\n".encode("utf-16-le"), "UTF-16"),
    }
    for encoding, (data, note) in cases.items():
        path = tmp_path / f"{encoding}.tsv"
        path.write_bytes(data)
        result = import_file(path)
        assert result.encoding == encoding
        assert (result.cards[0].front, result.cards[0].back) == ("café", "coffee")
        if note is None:
            assert result.warnings == []
        else:
            assert note in result.warnings[0].message


def test_import_file_bad_inputs(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = import_file(empty)
    assert result.cards == [] and "empty" in str(result.warnings[0])
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DeckError, match="binary"):
        import_file(binary)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(DeckError, match="50 MB; text decks over 20 MB are refused"):
        import_file(huge)
    with pytest.raises(DeckError, match="no such file"):
        import_file(tmp_path / "missing.csv")
    with pytest.raises(DeckError, match="folder"):
        import_file(tmp_path)
    with pytest.raises(DeckError, match="unknown format 'pdf'"):
        import_file(empty, "pdf")


def test_import_file_path_through_a_file(tmp_path: Path) -> None:
    parent = tmp_path / "notes.csv"
    parent.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(DeckError, match="cannot read .*Not a directory"):
        import_file(parent / "child.csv")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_import_file_unreadable(tmp_path: Path) -> None:
    locked = tmp_path / "locked.csv"
    locked.write_text("a,b\n", encoding="utf-8")
    locked.chmod(0)
    with pytest.raises(DeckError, match="permission denied"):
        import_file(locked)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["auto", "csv", "tsv", "markdown", "apkg"]))
def test_random_files_raise_only_deck_error(data: bytes, fmt: str) -> None:
    path = Path(os.environ["TUTOR_DATA_DIR"]).parent / "random.bin"
    path.write_bytes(data)
    try:
        import_file(path, fmt)
    except DeckError:
        pass
