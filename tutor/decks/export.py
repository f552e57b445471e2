"""Exporting a deck to CSV, TSV, Markdown or an Anki package (.apkg).

Every format reads back through tutor's own importers with the same cards (front,
back, topic, tags and accepted answers; the ``apkg`` also keeps the card ids):

- ``csv``: a ``front,back,topic,tags,alternatives`` header row, then RFC 4180 rows
  (quoted fields may hold commas, quotes and newlines): tags comma-separated, accepted
  answers one a line. Spreadsheets and Quizlet-style tools read it. The header row tells
  tutor's importer the text is plain (``<b>`` in a card is text, not markup).
- ``tsv``: Anki's "Notes in Plain Text" layout: ``#separator:tab``, ``#html:false``,
  ``#columns:``, ``#tags column:3`` header lines, then
  ``front<TAB>back<TAB>tags<TAB>topic<TAB>alternatives`` rows; the tags column holds
  the topic as the first tag, then the card's tags (spaces become ``_``, as Anki tags
  cannot hold spaces).
- ``markdown``: the convention of `tutor.decks.importers.markdown` (``alt:`` and
  ``tags:`` lines after the answer).
- ``apkg``: an Anki package written by genanki. The deck and note type ids derive
  from the deck title and each note's GUID from the card id, so importing a newer
  export into Anki updates the notes instead of duplicating them. Notes carry
  ``Front``, ``Back``, ``Topic``, ``TutorID`` and ``Alternatives`` fields (the back
  of the card shows the accepted answers); the topic is the first tag, then the
  card's tags (spaces as ``_``).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from tutor.atomic import check_out_target, write_out
from tutor.decks.importers.anki_fields import tag_to_anki
from tutor.decks.importers.delimited import TUTOR_CSV_COLUMNS
from tutor.decks.importers.markdown import format_markdown
from tutor.decks.model import DEFAULT_TOPIC, Card, Deck
from tutor.errors import DeckError

EXPORT_FORMATS = ("csv", "tsv", "markdown", "apkg")
"""Formats `export_deck` writes."""
TEXT_FORMATS = ("csv", "tsv", "markdown")
SUFFIXES = {"csv": ".csv", "tsv": ".tsv", "markdown": ".md", "apkg": ".apkg"}

_NOTE_CSS = """.card {
  font-family: sans-serif;
  font-size: 20px;
  text-align: left;
  color: black;
  background-color: white;
}
.topic { font-size: 14px; color: #777; }
.alt { margin-top: 1em; font-size: 16px; color: #555; }
"""
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_QUESTION = '<div class="topic">{{Topic}}</div>\n{{Front}}'
_ANSWER = ('{{FrontSide}}\n<hr id="answer">\n{{Back}}'
           '{{#Alternatives}}\n<div class="alt">Also accepted:<br>{{Alternatives}}</div>'
           '{{/Alternatives}}')


def stable_anki_id(kind: str, title: str) -> int:
    """A deterministic Anki id (in genanki's recommended range) for ``kind`` + deck title."""
    digest = hashlib.sha1(f"tutor\0{kind}\0{' '.join(title.split()).lower()}".encode())
    return (1 << 30) + int(digest.hexdigest()[:12], 16) % (1 << 30)


def note_guid(deck: Deck, card: Card) -> str:
    """The GUID of a card's Anki note: from its id, so re-exports update the same note."""
    import genanki

    return genanki.guid_for("tutor", card.id or f"{deck.title}\0{card.front}")


def _topic(card: Card) -> str:
    return " ".join((card.topic or DEFAULT_TOPIC).split()) or DEFAULT_TOPIC


# --------------------------------------------------------------------------- text formats


def tag_list(tags: list[str]) -> str:
    """Tags as one comma-separated field, read back whole by the CSV importer: a single
    tag holding a space gets a trailing comma (without a comma, a tags field is split at
    spaces, as Anki writes it)."""
    tags = [" ".join(tag.split()) for tag in tags if tag.strip()]
    text = ", ".join(tags)
    return text + "," if len(tags) == 1 and " " in text else text


def alternative_lines(card: Card) -> str:
    """The card's accepted answers, one a line (each is one line in a deck file)."""
    return "\n".join(" ".join(alt.split()) for alt in card.alternatives if alt.strip())


def to_csv(deck: Deck) -> str:
    """``front,back,topic,tags,alternatives`` rows with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TUTOR_CSV_COLUMNS)
    for card in deck.cards:
        writer.writerow([card.front, card.back, _topic(card), tag_list(card.tags),
                         alternative_lines(card)])
    return buffer.getvalue()


def _tsv_field(value: str) -> str:
    if any(ch in value for ch in '\t\n"') or value[:1] == "#":
        return '"' + value.replace('"', '""') + '"'
    return value


def _anki_tags(card: Card) -> list[str]:
    tags = [tag_to_anki(_topic(card))]
    for tag in card.tags:
        converted = tag_to_anki(tag)
        if tag.strip() and converted not in tags:
            tags.append(converted)
    return tags


def to_tsv(deck: Deck) -> str:
    """Anki "Notes in Plain Text": header lines, then
    ``front<TAB>back<TAB>tags<TAB>topic<TAB>alternatives``."""
    lines = ["#separator:tab", "#html:false",
             "#columns:" + "\t".join(["front", "back", "tags", "topic", "alternatives"]),
             "#tags column:3"]
    for card in deck.cards:
        fields = [card.front, card.back, " ".join(_anki_tags(card)), _topic(card),
                  alternative_lines(card)]
        lines.append("\t".join(_tsv_field(field) for field in fields))
    return "\n".join(lines) + "\n"


def to_markdown(deck: Deck) -> str:
    """Markdown in the convention of `tutor.decks.importers.markdown`."""
    return format_markdown(deck.title, deck.cards)


def export_text(deck: Deck, format: str) -> str:  # noqa: A002 - CLI name
    """The deck as ``csv``, ``tsv`` or ``markdown`` text."""
    writers = {"csv": to_csv, "tsv": to_tsv, "markdown": to_markdown}
    if format not in writers:
        raise DeckError(f"'{format}' is not a text export format (use {', '.join(writers)})")
    return writers[format](deck)


# --------------------------------------------------------------------------- apkg


def text_to_html(text: str) -> str:
    """Card text as an Anki field: escaped, line breaks as ``<br>``, runs of spaces and
    tabs as entities (so Anki shows the indentation). Other control characters, which
    an Anki field cannot hold, become spaces."""
    text = _CONTROL.sub(" ", text)
    lines = []
    for line in text.split("\n"):
        escaped = html.escape(line, quote=False)
        escaped = re.sub(r"^ +| {2,}", lambda m: "&nbsp;" * len(m.group(0)), escaped)
        lines.append(escaped.replace("\t", "&#9;"))
    return "<br>".join(lines)


def to_apkg(deck: Deck) -> bytes:
    """The deck as the bytes of an Anki package (see the module docstring)."""
    import genanki

    model = genanki.Model(
        stable_anki_id("model", deck.title),
        f"tutor: {' '.join(deck.title.split()) or 'deck'}",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Topic"}, {"name": "TutorID"},
                {"name": "Alternatives"}],
        templates=[{"name": "Card 1", "qfmt": _QUESTION, "afmt": _ANSWER}],
        css=_NOTE_CSS,
    )
    anki_deck = genanki.Deck(
        stable_anki_id("deck", deck.title),
        " ".join(deck.title.split()) or "tutor deck",
        description=html.escape(deck.description, quote=False),
    )
    for card in deck.cards:
        fields = [text_to_html(card.front), text_to_html(card.back), html.escape(_topic(card)),
                  html.escape(card.id), text_to_html(alternative_lines(card))]
        anki_deck.add_note(
            genanki.Note(model=model, fields=fields, tags=_anki_tags(card),
                         guid=note_guid(deck, card))
        )
    return package_bytes(genanki.Package(anki_deck))


class AnkiPackage(Protocol):
    """The part of ``genanki.Package`` that `package_bytes` uses (genanki has no types)."""

    def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, id_gen: Iterator[int]) -> None: ...


def package_bytes(package: AnkiPackage) -> bytes:
    """What ``genanki.Package.write_to_file`` writes, built in memory (no temp file)."""
    timestamp = time.time()
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", database)
        archive.writestr("media", json.dumps({}))
    return buffer.getvalue()


# --------------------------------------------------------------------------- files


def export_deck(deck: Deck, format: str, path: Path, overwrite: bool = False) -> Path:  # noqa: A002
    """Write ``deck`` to ``path`` in ``format`` (atomically); refuse to replace a file
    unless ``overwrite``, and anything but a regular file (`tutor.atomic.write_out`).
    Returns the path written."""
    if format not in EXPORT_FORMATS:
        raise DeckError(f"unknown export format '{format}' (use {', '.join(EXPORT_FORMATS)})")
    path = Path(path)
    check_out_target(path)
    if path.exists() and not overwrite:
        raise DeckError(f"{path} already exists; use --force to replace it")
    deck.ensure_ids()
    return write_out(path, to_apkg(deck) if format == "apkg" else export_text(deck, format))
