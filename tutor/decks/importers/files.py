"""Importing a file: size guard, Anki packages by their zip magic, text by its encoding."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tutor.decks.importers import IMPORTERS, import_detected, import_text
from tutor.decks.importers.apkg import ZIP_MAGIC, import_apkg_file
from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.textio import MAX_DECK_BYTES, decode_bytes, open_regular
from tutor.errors import DeckError
from tutor.fileread import UnreadableFile, read_limited

#: ``--format`` values besides the text importers' names.
BINARY_FORMATS = ("apkg",)
#: File names read as Anki packages whatever their first bytes.
PACKAGE_SUFFIXES = (".apkg", ".colpkg")
#: Text files larger than this are refused before they are read.
MAX_TEXT_BYTES = MAX_DECK_BYTES
_MB = 1024 * 1024
_UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_ENCODING_NOTES = {
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "cp1252": "Windows-1252 (cp1252): the file is not valid UTF-8",
    "utf-16-le": "UTF-16 (little-endian, with a byte-order mark)",
    "utf-16-be": "UTF-16 (big-endian, with a byte-order mark)",
}


def format_names() -> list[str]:
    """Every format `import_file` accepts, ``auto`` first."""
    return ["auto", *IMPORTERS, *BINARY_FORMATS]


@dataclass
class ImportedFile:
    """The result of importing a file, with how its format was chosen."""

    result: ImportResult
    detected: bool
    """True when the format was detected (``--format auto``)."""
    score: float
    """The detection score (1.0 for an Anki package; 0.0 when the format was named)."""


def import_file(path: Path, format: str = "auto",  # noqa: A002 - CLI name
                separator: str | None = None) -> ImportResult:
    """Cards from the file at ``path`` in ``format`` (``auto`` detects it).

    Anki packages are recognised by their zip magic (or an .apkg/.colpkg name);
    anything else is decoded (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else cp1252;
    the encoding is recorded in ``result.encoding`` and, when not plain UTF-8, as a
    warning) and handed to `import_text`. An empty file gives an empty result with
    a warning. A ``separator`` reads the text as ``term<SEP>definition`` lines (see
    `import_text`). Every failure raises `DeckError` with a one-line message.
    """
    return read_import(path, format, separator).result


def read_import(path: Path, format: str = "auto",  # noqa: A002 - CLI name
                separator: str | None = None) -> ImportedFile:
    """`import_file`, also saying whether the format was detected and with what score."""
    path = Path(path)
    name = (format or "auto").strip().lower()
    if name not in format_names():
        raise DeckError(f"unknown format '{format}' (known: {', '.join(format_names())})")
    auto = name == "auto" and separator is None
    size, head = _probe(path)
    looks_packaged = head in ZIP_MAGIC or path.suffix.lower() in PACKAGE_SUFFIXES
    if separator is not None and (name == "apkg" or looks_packaged):
        raise DeckError(f"{path.name} is an Anki package: --separator is for text files")
    if name == "apkg" or (auto and looks_packaged):
        return ImportedFile(import_apkg_file(path), auto, 1.0 if auto else 0.0)
    if size > MAX_TEXT_BYTES:
        raise DeckError(
            f"{path} is {size / _MB:.0f} MB; text decks over "
            f"{MAX_TEXT_BYTES / _MB:.0f} MB are refused"
        )
    text, encoding = decode_text(_read(path), str(path))
    if not text.strip():
        result = ImportResult(
            cards=[], format="empty" if name == "auto" else name, encoding=encoding,
            warnings=[ImportWarning(f"{path.name} is empty: no cards")],
        )
        return ImportedFile(result, auto, 0.0)
    score = 0.0
    if auto:
        result, score = import_detected(text)
    else:
        result = import_text(text, name, separator)
    result.encoding = encoding
    if encoding in _ENCODING_NOTES:
        result.warnings.insert(0, ImportWarning(f"read as {_ENCODING_NOTES[encoding]}"))
    if "\ufffd" in text:
        line = text[: text.index("\ufffd")].count("\n") + 1
        result.warnings.insert(
            0, ImportWarning("some bytes could not be decoded and show as '\ufffd'", line=line)
        )
    return ImportedFile(result, auto, score)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """`tutor.decks.textio.decode_bytes`, plus UTF-16 files that start with a BOM."""
    for bom, encoding in _UTF16_BOMS.items():
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            if "\x00" in text:
                raise DeckError(f"{name} looks like a binary file, not a text deck")
            return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
    return decode_bytes(data, name)


def _probe(path: Path) -> tuple[int, bytes]:
    """The file's size and first four bytes; a device, FIFO or folder is refused first."""
    with open_regular(path, "file to import") as handle:
        try:
            return os.fstat(handle.fileno()).st_size, handle.read(4)
        except OSError as exc:
            raise DeckError(f"cannot read {path}: {exc.strerror or exc}") from None


def _read(path: Path) -> bytes:
    """At most `MAX_TEXT_BYTES` of the file (it may have grown since `_probe`)."""
    try:
        return read_limited(path, MAX_TEXT_BYTES, "text deck")
    except UnreadableFile as exc:
        raise DeckError(str(exc)) from None
