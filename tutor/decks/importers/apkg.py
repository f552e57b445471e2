"""Anki packages (``.apkg``, also ``.colpkg``): a zip holding an SQLite collection.

Each note becomes one card: its first field is the front, its second the back, both
with HTML stripped (``<br>`` and blocks become line breaks, entities unescaped,
images and sounds dropped). A cloze note (``{{c1::answer}}``) becomes one card whose
front hides every deletion as ``[...]`` (or ``[hint]``) and whose back lists the
deleted text. The note's first tag is the card's topic (Anki's system tags
``leech``/``marked`` are skipped); a note type field named ``Topic`` wins over tags,
and one named ``TutorID`` keeps the card id of a deck that tutor exported (whose first
tag repeats the ``Topic`` field and is not kept as a tag); a field named
``Alternatives`` holds accepted answers, one a line. Notes
without either get the name of their sub-deck when the package has several decks,
else a topic from `tutor.decks.topics`.

A package is untrusted input: only a regular file is opened; the collection is read
only through its real tables (a view or virtual table named ``notes`` or ``cards`` is
never queried), under a time limit, a note limit and a value-size limit; a
``TutorID`` that is not a valid id, or repeats another note's, is dropped with a
warning; and every text is stripped of escape sequences and control characters.

Only ``collection.anki21`` and ``collection.anki2`` can be read: the newer
``collection.anki21b`` is zstd-compressed and needs Anki itself (export again with
"Support older Anki versions" ticked).
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tutor.decks.importers.anki_fields import (
    SYSTEM_TAGS,
    cloze_card,
    has_cloze,
    html_to_text,
    tag_to_anki,
    topic_from_tags,
)
from tutor.decks.importers.base import ImportResult, ImportWarning, sanitize_result
from tutor.decks.model import Card, valid_card_id
from tutor.decks.textio import open_regular
from tutor.decks.topics import fill_missing_topics
from tutor.errors import DeckError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
SQLITE_MAGIC = b"SQLite format 3\x00"
#: A collection database larger than this is refused (media files do not count).
MAX_COLLECTION_BYTES = 256 * 1024 * 1024
#: Reading a collection stops after this long: a query of a crafted database (a
#: recursive view, say) could otherwise run for ever and fill the disk.
MAX_QUERY_SECONDS = 30.0
#: A collection with more notes than this is refused.
MAX_NOTES = 500_000
#: The longest text or blob a query may produce.
MAX_VALUE_BYTES = 64 * 1024 * 1024
TOPIC_FIELD = "topic"
ID_FIELD = "tutorid"
ALTERNATIVES_FIELD = "alternatives"
NEW_FORMAT_HINT = (
    "this .apkg uses Anki's newer collection format (collection.anki21b), which tutor "
    "cannot read; in Anki, export again with 'Support older Anki versions' ticked"
)

_IMAGE = re.compile(r"<img\b", re.IGNORECASE)
_MARKUP = re.compile(r"<[a-zA-Z/!]")
#: What a damaged database can raise (bad UTF-8 in its schema raises UnicodeDecodeError).
_DB_ERRORS = (sqlite3.Error, ValueError, TypeError)


def is_zip(data: bytes) -> bool:
    """True when ``data`` starts like a zip archive (an .apkg is one)."""
    return data[:4] in ZIP_MAGIC


def import_apkg(data: bytes, name: str = "the file") -> ImportResult:
    """Cards from the bytes of an Anki package. Raises `DeckError` when it cannot be read."""
    if not is_zip(data):
        raise DeckError(f"{name} is not an Anki package (.apkg files are zip archives)")
    return _import_zip(io.BytesIO(data), name)


def import_apkg_file(path: Path) -> ImportResult:
    """Cards from an .apkg file on disk (only the collection is read, not the media).

    A device, FIFO or folder is refused before anything is read from it."""
    path = Path(path)
    try:
        with open_regular(path, "Anki package") as handle:
            if not is_zip(handle.read(4)):
                raise DeckError(f"{path} is not an Anki package (.apkg files are zip archives)")
            handle.seek(0)
            return _import_zip(handle, str(path))
    except OSError as exc:
        raise DeckError(f"cannot read {path}: {exc.strerror or exc}") from None


def _import_zip(source: IO[bytes], name: str) -> ImportResult:
    try:
        with zipfile.ZipFile(source) as archive:
            database = _collection_bytes(archive, name)
    except DeckError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise DeckError(f"{name} is a broken zip archive ({exc})") from None
    except (NotImplementedError, RuntimeError, ValueError) as exc:
        # zipfile raises NotImplementedError for compression methods it lacks (e.g. zstd
        # in newer Anki exports) and RuntimeError for encrypted members.
        raise DeckError(f"{name}: cannot unpack the Anki collection ({exc})") from None
    return _read_collection(database, name)


def _collection_bytes(archive: zipfile.ZipFile, name: str) -> bytes:
    members = {info.filename: info for info in archive.infolist()}
    if "collection.anki21" in members:
        info = members["collection.anki21"]
    elif "collection.anki21b" in members:
        raise DeckError(f"{name}: {NEW_FORMAT_HINT}")
    elif "collection.anki2" in members:
        info = members["collection.anki2"]
    else:
        raise DeckError(
            f"{name} is a zip archive but not an Anki package "
            "(no collection.anki2 or collection.anki21 inside)"
        )
    if info.file_size > MAX_COLLECTION_BYTES:
        raise DeckError(
            f"{name}: the Anki collection is {info.file_size / 2**20:.0f} MB; "
            f"collections over {MAX_COLLECTION_BYTES / 2**20:.0f} MB are refused"
        )
    with archive.open(info) as member:
        data = member.read(MAX_COLLECTION_BYTES + 1)
    if len(data) > MAX_COLLECTION_BYTES:
        raise DeckError(f"{name}: the Anki collection is larger than its zip entry says")
    return data


@dataclass
class _NoteType:
    fields: list[str]
    """Field names in order."""


class _Collection:
    """An Anki collection opened in memory, read only through real tables and under a
    time limit (a progress handler interrupts any query past `MAX_QUERY_SECONDS`)."""

    def __init__(self, database: bytes) -> None:
        self.connection = sqlite3.connect(":memory:")
        self.connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        self.deadline = time.monotonic() + MAX_QUERY_SECONDS
        self.tables: set[str] = set()
        """Names of the collection's real tables: a view or virtual table of the same
        name is never queried."""
        try:
            self.connection.set_progress_handler(self.too_long, 10_000)
            self.connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            self.connection.deserialize(database)
            self.connection.execute("PRAGMA query_only = ON")
            self.tables = {
                str(table) for (table,) in self.connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL%'"
                )
            }
        except BaseException:
            self.connection.close()
            raise

    def too_long(self) -> bool:
        return time.monotonic() > self.deadline

    def rows(self, table: str, query: str) -> list[tuple]:
        """The rows of ``query`` over ``table``; `sqlite3.DatabaseError` when ``table``
        is not a real table of the collection."""
        if table not in self.tables:
            raise sqlite3.DatabaseError(f"it has no table '{table}'")
        return self.connection.execute(query).fetchall()


def _read_collection(database: bytes, name: str) -> ImportResult:
    if not database.startswith(SQLITE_MAGIC):
        raise DeckError(f"{name}: the Anki collection inside is not an SQLite database")
    collection = None
    try:
        collection = _Collection(database)
        note_types = _note_types(collection)
        deck_names, note_decks = _decks(collection)
        rows = collection.rows(
            "notes", f"SELECT id, mid, flds, tags FROM notes ORDER BY id LIMIT {MAX_NOTES + 1}"
        )
    except _DB_ERRORS as exc:
        if collection is not None and collection.too_long():
            raise DeckError(
                f"{name}: reading the Anki collection took over {MAX_QUERY_SECONDS:.0f} s; "
                "it was stopped (the package may be crafted to never finish)"
            ) from None
        raise DeckError(f"{name}: the Anki collection is damaged ({exc})") from None
    finally:
        if collection is not None:
            collection.connection.close()
    if len(rows) > MAX_NOTES:
        raise DeckError(f"{name}: the Anki collection holds over {MAX_NOTES:,} notes; refused")
    result = ImportResult(cards=[], format="apkg", encoding="binary")
    used_decks = {note_decks[row[0]] for row in rows if row[0] in note_decks}
    if len(used_decks) == 1:
        result.title = deck_names.get(next(iter(used_decks)), "").split("::")[-1].strip()
    several_decks = len(used_decks) > 1
    id_notes: dict[str, int] = {}
    for number, (note_id, model_id, fields_text, tags_text) in enumerate(rows, start=1):
        note_type = note_types.get(str(model_id))
        deck = deck_names.get(note_decks.get(note_id, -1), "") if several_decks else ""
        card = _card_from_note(
            number, str(fields_text or ""), str(tags_text or ""), note_type, deck, result
        )
        if card is not None:
            _check_id(card, number, id_notes, result)
            result.cards.append(card)
    if not result.cards:
        result.warnings.append(ImportWarning("no cards found: the package holds no usable notes"))
    fill_missing_topics(result.cards, result.title)
    return sanitize_result(result)


def _check_id(card: Card, number: int, id_notes: dict[str, int], result: ImportResult) -> None:
    """Drop a ``TutorID`` that is not a valid id or repeats an earlier note's, with a
    warning: the card gets a fresh id when the deck is written."""
    if not card.id:
        return
    shown = repr(card.id[:40] + ("…" if len(card.id) > 40 else ""))
    if not valid_card_id(card.id):
        why = "is not a valid card id"
    elif card.id in id_notes:
        why = f"repeats note {id_notes[card.id]}'s"
    else:
        id_notes[card.id] = number
        return
    result.warnings.append(
        ImportWarning(f"note {number}: TutorID {shown} {why}; a new id is given")
    )
    card.id = ""


def _note_types(collection: _Collection) -> dict[str, _NoteType]:
    """Note types by id (their field names, in order)."""
    types: dict[str, _NoteType] = {}
    try:
        (models_json,) = next(iter(collection.rows("col", "SELECT models FROM col LIMIT 1")),
                              ("",))
        models = json.loads(models_json or "{}")
    except _DB_ERRORS:
        models = {}
    if isinstance(models, dict):
        for model_id, model in models.items():
            if not isinstance(model, dict):
                continue
            fields = sorted(
                (f for f in model.get("flds", []) if isinstance(f, dict)),
                key=lambda f: f.get("ord", 0) if isinstance(f.get("ord"), int) else 0,
            )
            types[str(model_id)] = _NoteType([str(f.get("name", "")) for f in fields])
    if types:
        return types
    try:  # schema 15+ keeps note types in their own tables
        for ntid, field_name in collection.rows(
            "fields", "SELECT ntid, name FROM fields ORDER BY ntid, ord"
        ):
            types.setdefault(str(ntid), _NoteType([])).fields.append(str(field_name))
    except _DB_ERRORS:
        pass
    return types


def _decks(collection: _Collection) -> tuple[dict[int, str], dict[int, int]]:
    """Deck names by id, and the deck of each note (that of its first card)."""
    names: dict[int, str] = {}
    try:
        (decks_json,) = next(iter(collection.rows("col", "SELECT decks FROM col LIMIT 1")),
                             ("",))
        decks = json.loads(decks_json or "{}")
        if isinstance(decks, dict):
            for deck_id, deck in decks.items():
                if isinstance(deck, dict) and str(deck_id).lstrip("-").isdecimal():
                    names[int(deck_id)] = str(deck.get("name", ""))
    except _DB_ERRORS:
        pass
    if not names:
        try:
            rows = collection.rows("decks", "SELECT id, name FROM decks")
            names = {int(i): str(n) for i, n in rows}
        except _DB_ERRORS:
            names = {}
    note_decks: dict[int, int] = {}
    try:
        for note_id, deck_id in collection.rows("cards", "SELECT nid, did FROM cards ORDER BY ord"):
            note_decks.setdefault(note_id, deck_id)
    except _DB_ERRORS:
        pass
    return names, note_decks


def _card_from_note(
    number: int,
    fields_text: str,
    tags_text: str,
    note_type: _NoteType | None,
    deck: str,
    result: ImportResult,
) -> Card | None:
    values = fields_text.split("\x1f")
    names = [n.strip().lower() for n in (note_type.fields if note_type else [])]
    named = dict(zip(names, values))
    if has_cloze(values[0]):
        front, back = cloze_card(values[0])
    elif len(values) < 2:
        result.warnings.append(ImportWarning(f"note {number} has only one field; skipped"))
        return None
    else:
        decode = field_text if ID_FIELD in names else html_to_text
        front, back = decode(values[0]), decode(values[1])
    if not front:
        why = "only an image or sound" if _IMAGE.search(values[0]) else "an empty front"
        result.warnings.append(ImportWarning(f"note {number} has {why}; skipped"))
        return None
    if not back:
        why = "only an image or sound" if len(values) > 1 and _IMAGE.search(values[1]) else ""
        message = f"note {number}: the back is {why}" if why else f"note {number} has an empty back"
        result.warnings.append(ImportWarning(message))
    tags = [t for t in tags_text.split() if t.lower() not in SYSTEM_TAGS]
    topic = " ".join(html_to_text(named.get(TOPIC_FIELD, "")).split())
    if topic and tags[:1] == [tag_to_anki(topic)]:
        tags = tags[1:]  # the Topic field's tag (tutor's export): not a tag of its own
    topic = topic or topic_from_tags(tags) or " ".join(deck.split("::")[-1].split())
    card_id = field_text(named.get(ID_FIELD, "")).strip()
    accepted = field_text(named.get(ALTERNATIVES_FIELD, "")).split("\n")
    alternatives = [alt for alt in (" ".join(line.split()) for line in accepted) if alt]
    return Card(front=front, back=back, topic=topic, tags=tags, alternatives=alternatives,
                id=card_id)


def field_text(value: str) -> str:
    """A field tutor exported (escaped text joined by ``<br>``) read back exactly;
    a field edited in Anki since (other markup) goes through `html_to_text`."""
    if _MARKUP.search(value.replace("<br>", "")):
        return html_to_text(value)
    lines = [html.unescape(line.replace("&nbsp;", " ")) for line in value.split("<br>")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)
