"""CSV and TSV decks: Quizlet exports and Anki's "Notes in Plain Text" export.

One row is one card: ``front<SEP>back[<SEP>tags]``. What is understood:

- an optional header row naming the columns (``front/term/question``,
  ``back/definition/answer``, ``topic/category``, ``tags``);
- Anki's header lines ``#separator:tab`` (or comma, semicolon, pipe, colon, space, or
  the character itself), ``#html:true|false``, ``#tags column:N``, ``#guid column:N``,
  ``#notetype column:N``, ``#deck column:N`` (those three columns are not card text);
- RFC 4180 quoting (``"a ""quoted"" field"``), including newlines inside quoted fields;
  a file whose quotes do not follow those rules is read line by line instead;
- unquoted multi-line backs (Quizlet): a line without a separator continues the
  previous card's back (reported as a warning);
- HTML (``<br>``, ``<div>``, entities), stripped when ``#html:true`` says so or when a
  field plainly holds markup (`anki_fields.looks_like_html`: a ``<br>``, a known element
  opened and closed, an entity), and then only known elements' tags are markup
  (``List<int>`` and ``a < b`` stay text). ``#html:false``, or tutor's CSV header row
  (``front,back,topic,tags,alternatives``), says the file is plain text: tutor's own
  exports read back character for character;
- a third column of tags: its first tag becomes the card's topic (``_`` read as a
  space, as Anki tags cannot hold spaces), all of them its tags. A tags field holding
  a comma is a comma-separated list instead (tutor's CSV export: a tag may hold
  spaces), except in the column ``#tags column:`` names (Anki's tags never hold spaces,
  but may hold commas). A column headed ``topic`` or ``category`` is taken as the topic verbatim;
  then a first tag that only repeats it (tutor's TSV export) is not kept as a tag;
- a column headed ``alternatives`` (or ``alt``, ``accepted``): the card's accepted
  answers, one a line (tutor's CSV and TSV exports).

Cards without a topic from the source get one from `tutor.decks.topics`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from tutor.decks.importers.anki_fields import (
    SYSTEM_TAGS,
    cloze_card,
    escape_text_brackets,
    has_cloze,
    html_to_text,
    looks_like_html,
    tag_to_anki,
    tidy_lines,
    topic_from_tags,
)
from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.model import Card
from tutor.decks.topics import fill_missing_topics

#: Names Anki uses in ``#separator:`` lines.
SEPARATOR_NAMES = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "pipe": "|",
    "colon": ":",
    "space": " ",
}
#: The header row of tutor's CSV export. A file that starts with it is plain text:
#: ``<b>`` or ``&amp;`` in a card is that text, not markup (see `_as_markup`).
TUTOR_CSV_COLUMNS = ("front", "back", "topic", "tags", "alternatives")
#: Separators tried by the CSV importer when the file does not name one.
CSV_SEPARATORS = (",", ";", "|")

_FRONT_NAMES = {"front", "term", "question", "word", "prompt", "card front", "side 1"}
_BACK_NAMES = {"back", "definition", "answer", "meaning", "card back", "side 2"}
_TOPIC_NAMES = {"topic", "category", "section", "chapter", "subject"}
_TAG_NAMES = {"tags", "tag", "labels"}
_ALT_NAMES = {"alternatives", "alternative", "alt", "accepted", "accepted answers"}
_HEADER_NAMES = (_FRONT_NAMES | _BACK_NAMES | _TOPIC_NAMES | _TAG_NAMES | _ALT_NAMES
                 | {"notes", "deck"})

_ANKI_HEADER = re.compile(
    r"^#(separator|html|tags|columns|notetype|deck|if matches|match scope"
    r"|(?:tags|guid|notetype|deck) column):(.*)$",
    re.IGNORECASE,
)
#: How much of a file `sniff` looks at.
SNIFF_CHARS = 64 * 1024
# --------------------------------------------------------------------------- records


@dataclass
class Record:
    """One row of a delimited file: its fields and the 1-based line it starts on."""

    line: int
    fields: list[str]


@dataclass
class Tokenized:
    """The rows of a file plus the lines where quoting was broken."""

    records: list[Record] = field(default_factory=list)
    bad_quotes: list[int] = field(default_factory=list)


def split_quoted(text: str, separator: str, first_line: int = 1) -> Tokenized:
    """RFC 4180 rows: quoted fields may hold separators, newlines and doubled quotes.

    Spaces after a separator are skipped (so ``a, "b, c"`` works). At the first
    quote that breaks the rules (text after a closing quote, a quote never closed)
    reading stops and that row's line is recorded in ``bad_quotes``.
    """
    out = Tokenized()
    _allow_fields_up_to(len(text))
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=separator, quotechar='"',
        doublequote=True, skipinitialspace=True, strict=True,
    )
    consumed = 0
    try:
        for fields in reader:
            out.records.append(Record(first_line + consumed, fields or [""]))
            consumed = reader.line_num
    except csv.Error:
        out.bad_quotes.append(first_line + consumed)
    return out


def _allow_fields_up_to(length: int) -> None:
    """Let `csv` read a field as long as the whole text: its default limit (128 KiB)
    made a long but valid quoted field look like broken quoting, and its text was lost."""
    if csv.field_size_limit() < length:
        csv.field_size_limit(length)


def split_plain(text: str, separator: str, first_line: int = 1) -> Tokenized:
    """Rows split at every separator, one per line; quotes are plain text."""
    out = Tokenized()
    for offset, line in enumerate(text.split("\n")):
        out.records.append(Record(first_line + offset, line.split(separator)))
    return out


def _is_blank(record: Record) -> bool:
    return all(not value.strip() for value in record.fields)


def _consistency(records: list[Record]) -> tuple[int, float]:
    """The commonest field count (>= 2) and the share of non-blank rows that have it."""
    counts: dict[int, int] = {}
    rows = [r for r in records if not _is_blank(r)]
    for record in rows:
        counts[len(record.fields)] = counts.get(len(record.fields), 0) + 1
    multi = {k: v for k, v in counts.items() if k >= 2}
    if not rows or not multi:
        return 1, 0.0
    width = max(multi, key=lambda k: (multi[k], -k))
    return width, multi[width] / len(rows)


# --------------------------------------------------------------------------- header lines


@dataclass
class AnkiHeader:
    """What Anki's ``#key:value`` lines at the top of a text export say."""

    separator: str | None = None
    html: bool | None = None
    tags_column: int | None = None
    skip_columns: set[int] = field(default_factory=set)
    deck_column: int | None = None
    column_names: list[str] = field(default_factory=list)
    """Names from a ``#columns:`` line (a header row in header form)."""
    lines: int = 0
    """How many lines the header took."""


def read_anki_header(text: str) -> AnkiHeader:
    """Parse the leading ``#separator:``/``#html:``/``#… column:N`` lines (0-based columns)."""
    header = AnkiHeader()
    columns = ""
    for line in text.split("\n"):
        match = _ANKI_HEADER.match(line.strip("\r\ufeff"))
        if not match:
            break
        header.lines += 1
        key, value = " ".join(match.group(1).lower().split()), match.group(2).strip()
        if key == "separator":
            lowered = value.lower()
            if lowered in SEPARATOR_NAMES:
                header.separator = SEPARATOR_NAMES[lowered]
            elif len(match.group(2)) == 1:
                header.separator = match.group(2)
        elif key == "columns":
            columns = match.group(2)
        elif key == "html":
            header.html = value.lower() == "true"
        elif key.endswith(" column") and value.isdecimal() and int(value) >= 1:
            column = int(value) - 1
            kind = key[: -len(" column")].strip()
            if kind == "tags":
                header.tags_column = column
            elif kind == "deck":
                header.deck_column = column
                header.skip_columns.add(column)
            elif kind in {"guid", "notetype"}:
                header.skip_columns.add(column)
    if columns:
        header.column_names = columns.split(header.separator or "\t")
    return header


# --------------------------------------------------------------------------- importer


@dataclass
class _Columns:
    front: int
    back: int
    topic: int | None = None
    tags: int | None = None
    deck: int | None = None
    alternatives: int | None = None


class DelimitedImporter:
    """Cards from delimiter-separated rows (see the module docstring)."""

    def __init__(self, name: str, description: str, separators: tuple[str, ...]) -> None:
        self.name = name
        self.description = description
        self.separators = separators

    # -- detection

    def sniff(self, text: str) -> float:
        """High when most rows split into the same number (>= 2) of fields."""
        header = read_anki_header(text)
        if header.separator is not None:
            return 1.0 if header.separator in self.separators else 0.0
        body = _body(text, header)
        if not body.strip():
            return 0.0
        return max((self._sniff_with(body, sep) for sep in self.separators if sep in body),
                   default=0.0)

    def _sniff_with(self, body: str, separator: str) -> float:
        if len(body) > SNIFF_CHARS:
            # A sample of whole lines; a quoted field cut at its end is not a fault.
            sample = body[: body.rfind("\n", 0, SNIFF_CHARS) + 1] or body[:SNIFF_CHARS]
            tokens = split_quoted(sample, separator)
            if tokens.bad_quotes and len(tokens.records) < 2:
                tokens = split_plain(sample, separator)
        else:
            tokens = _tokenize(body, separator, 1)
        rows = [r for r in tokens.records if not _is_blank(r)]
        width, share = _consistency(tokens.records)
        if width < 2 or not rows:
            return 0.0
        if separator == "\t":
            # A tab is almost never prose: continuation lines may lack it.
            score = 0.5 + 0.45 * share
        else:
            # Commas and semicolons are common in prose: insist on regular rows.
            if share < 0.8:
                return 0.1 * share
            score = 0.35 + 0.4 * share
            named = _header_columns(rows[0].fields) is not None
            if width > 4 and not named:  # a header row naming the columns vouches for them
                score -= 0.2
            if named or any(f.startswith('"') for r in rows[:50] for f in r.fields):
                score += 0.15
        if len(rows) == 1:
            score -= 0.2
        return max(0.0, min(score, 0.95))

    # -- parsing

    def parse(self, text: str) -> ImportResult:
        """Cards and warnings; never raises."""
        result = ImportResult(cards=[], format=self.name)
        header = read_anki_header(text)
        body = _body(text, header)
        first_line = header.lines + 1
        if not body.strip():
            result.warnings.append(ImportWarning("no cards found: the file is empty"))
            return result
        separator = self._choose_separator(body, header)
        tokens = _tokenize(body, separator, first_line)
        if tokens.bad_quotes:
            result.warnings.append(
                ImportWarning(
                    "quotes do not follow CSV rules; read the file line by line instead",
                    line=tokens.bad_quotes[0],
                )
            )
        records = [r for r in tokens.records if not _is_blank(r)]
        if not records:
            result.warnings.append(ImportWarning("no cards found: the file is empty"))
            return result
        # Anki's header lines replace a header row: its first row is a card.
        if header.lines:
            columns, has_header = _header_columns(header.column_names), False
            if columns is not None and columns.tags is None:
                columns.tags = header.tags_column
        else:
            columns = _header_columns(records[0].fields)
            has_header = columns is not None
            if has_header and is_tutor_csv_header(records[0].fields):
                header.html = False  # tutor's own export: card text, never markup
        if columns is None:
            columns = _default_columns(header, records)
        # A writer that quotes multi-line fields never leaves a bare continuation line.
        quotes_newlines = any("\n" in f for r in tokens.records for f in r.fields)
        records = _join_continuations(
            tokens.records, columns, has_header, result, join=not quotes_newlines
        )
        decks: list[str] = []
        for record in records:
            card = _card_from(record, columns, header, result)
            if card is not None:
                result.cards.append(card)
                decks.append(_field(record, columns.deck))
        _use_decks(result.cards, decks, result)
        if not result.cards:
            result.warnings.append(
                ImportWarning(f"no cards found: no row has a front and a back separated by "
                              f"{_separator_label(separator)}")
            )
        fill_missing_topics(result.cards)
        return result

    def _choose_separator(self, body: str, header: AnkiHeader) -> str:
        if header.separator is not None:
            return header.separator
        if len(self.separators) == 1:
            return self.separators[0]
        best, best_score = self.separators[0], -1.0
        for separator in self.separators:
            if separator not in body:
                continue
            score = self._sniff_with(body, separator)
            if score > best_score:
                best, best_score = separator, score
        return best


def _body(text: str, header: AnkiHeader) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not header.lines:
        return text
    return "\n".join(text.split("\n")[header.lines:])


def _tokenize(body: str, separator: str, first_line: int) -> Tokenized:
    """Quoted parsing, unless its quotes are broken and plain splitting is as regular."""
    quoted = split_quoted(body, separator, first_line)
    if not quoted.bad_quotes:
        return quoted
    plain = split_plain(body, separator, first_line)
    plain.bad_quotes = quoted.bad_quotes
    return plain


def _separator_label(separator: str) -> str:
    names = {value: key for key, value in SEPARATOR_NAMES.items()}
    return names.get(separator, repr(separator))


def is_tutor_csv_header(fields: list[str]) -> bool:
    """True for the header row of tutor's CSV export (`TUTOR_CSV_COLUMNS`)."""
    return tuple(" ".join(f.split()).lower() for f in fields) == TUTOR_CSV_COLUMNS


def _header_columns(fields: list[str]) -> _Columns | None:
    """Columns named by a header row, or None when the row is card text."""
    names = [" ".join(f.strip().lower().split()).strip("#:") for f in fields]
    if sum(1 for name in names if name in _HEADER_NAMES) < 2:
        return None
    front = next((i for i, n in enumerate(names) if n in _FRONT_NAMES), None)
    back = next((i for i, n in enumerate(names) if n in _BACK_NAMES and i != front), None)
    if front is None or back is None:
        return None
    topic = next((i for i, n in enumerate(names) if n in _TOPIC_NAMES), None)
    tags = next((i for i, n in enumerate(names) if n in _TAG_NAMES), None)
    deck = next((i for i, n in enumerate(names) if n == "deck"), None)
    alternatives = next((i for i, n in enumerate(names) if n in _ALT_NAMES), None)
    return _Columns(front, back, topic, tags, deck, alternatives)


def _default_columns(header: AnkiHeader, records: list[Record]) -> _Columns:
    """Without a header row: the first two text columns, tags where Anki says (or third)."""
    skip = set(header.skip_columns)
    if header.tags_column is not None:
        skip.add(header.tags_column)
    width = max(len(r.fields) for r in records)
    text_columns = [i for i in range(max(width, 2 + len(skip))) if i not in skip]
    front, back = text_columns[0], text_columns[1]
    columns = _Columns(front, back, deck=header.deck_column)
    if header.tags_column is not None:
        columns.tags = header.tags_column
    elif len(text_columns) > 2 and width > text_columns[2]:
        columns.topic = text_columns[2]
    return columns


def _join_continuations(
    records: list[Record], columns: _Columns, has_header: bool, result: ImportResult,
    join: bool = True,
) -> list[Record]:
    """Card rows, with continuation lines merged into the back of the card above.

    With ``join``, a row with a single field (no separator at all) right after a
    card row is a line of that card's multi-line back (Quizlet exports do not quote
    them); blank lines between them are kept as paragraph breaks. The header row
    is dropped.
    """
    needed = max(columns.front, columns.back) + 1
    merged: list[Record] = []
    blanks = 0
    skip_header = has_header
    for record in records:
        if _is_blank(record):
            blanks += 1
            continue
        if skip_header:
            skip_header = False
        elif join and len(record.fields) == 1 and merged and len(merged[-1].fields) >= needed:
            previous = merged[-1]
            previous.fields[columns.back] = (
                previous.fields[columns.back].rstrip("\n") + "\n" * (blanks + 1) + record.fields[0]
            )
            result.warnings.append(
                ImportWarning(
                    "line has no separator; added to the back of the card above",
                    line=record.line,
                    confidence=0.6 if blanks == 0 else 0.4,
                )
            )
        else:
            merged.append(Record(record.line, list(record.fields)))
        blanks = 0
    return merged


def _field(record: Record, index: int | None) -> str:
    if index is None or index >= len(record.fields):
        return ""
    return record.fields[index]


def _as_markup(value: str, html: bool | None) -> str | None:
    """``value`` as HTML to read, or None when it is plain text. With no ``#html:`` line
    a field is HTML only when `looks_like_html` says so, and then only known elements'
    tags are markup: a ``<`` that starts none (``List<int>``, ``a < b``) stays text."""
    if html is True:
        return value
    if html is None and looks_like_html(value):
        return escape_text_brackets(value)
    return None


def _clean(value: str, html: bool | None) -> str:
    markup = _as_markup(value, html)
    if markup is not None:
        return html_to_text(markup, keep_newlines=True)
    return tidy_lines(value).strip()


def _card_from(
    record: Record, columns: _Columns, header: AnkiHeader, result: ImportResult
) -> Card | None:
    raw_front = _field(record, columns.front)
    if has_cloze(raw_front):
        markup = _as_markup(raw_front, header.html)
        front, back = cloze_card(raw_front if markup is None else markup, html=markup is not None)
    else:
        front = _clean(raw_front, header.html)
        back = _clean(_field(record, columns.back), header.html)
    if not front and not back:
        return None
    if len(record.fields) <= max(columns.front, columns.back):
        result.warnings.append(
            ImportWarning("row has only one field; skipped (no answer)", line=record.line)
        )
        return None
    if not front:
        result.warnings.append(ImportWarning("row has an empty front; skipped", line=record.line))
        return None
    if not back:
        result.warnings.append(ImportWarning("card has an empty back", line=record.line))
    tags: list[str] = []
    topic = ""
    if columns.tags is not None:
        anki_tags = columns.tags == header.tags_column  # '#tags column:N': Anki's spaced tags
        tags = read_tags(_field(record, columns.tags), spaced=anki_tags)
        topic = topic_from_tags(tags)
    if columns.topic is not None:
        raw = _clean(_field(record, columns.topic), header.html)
        topic = " ".join(raw.split()) or topic
        if topic and columns.tags is None:
            tags = [topic]
        elif topic and tags[:1] == [tag_to_anki(topic)]:
            tags = tags[1:]  # the topic as Anki's first tag (tutor's TSV export): not a tag
    alternatives = read_alternatives(_clean(_field(record, columns.alternatives), header.html))
    return Card(front=front, back=back, topic=topic, tags=tags, alternatives=alternatives)


def read_tags(text: str, spaced: bool = False) -> list[str]:
    """A tags field: comma-separated when it holds a comma (tutor's CSV export, so a tag
    may hold spaces), else split at spaces as Anki writes it (its system tags dropped).
    ``spaced``: the column Anki's ``#tags column:`` names, always split at spaces (an
    Anki tag may hold a comma: tutor's TSV export writes a topic ``a, b`` as ``a,_b``)."""
    if "," in text and not spaced:
        return [tag for tag in (" ".join(part.split()) for part in text.split(",")) if tag]
    return [tag for tag in text.split() if tag.lower() not in SYSTEM_TAGS]


def read_alternatives(text: str) -> list[str]:
    """An accepted-answers field: one answer a line."""
    return [alt for alt in (" ".join(line.split()) for line in text.split("\n")) if alt]


def _use_decks(cards: list[Card], decks: list[str], result: ImportResult) -> None:
    """Anki's deck column: several decks name the topics of untagged cards; one deck
    names the whole deck."""
    names = [" ".join(deck.split("::")[-1].split()) for deck in decks]
    distinct = {name for name in names if name}
    if len(distinct) == 1:
        result.title = result.title or distinct.pop()
    elif distinct:
        for card, name in zip(cards, names):
            card.topic = card.topic or name


class CsvImporter(DelimitedImporter):
    """Comma-separated cards (also ``;`` or ``|``), with or without a header row."""

    def __init__(self) -> None:
        super().__init__(
            "csv",
            "comma-separated rows: front,back[,topic] (Quizlet/Anki/spreadsheet export)",
            CSV_SEPARATORS,
        )


class TsvImporter(DelimitedImporter):
    """Tab-separated cards: Quizlet export and Anki's "Notes in Plain Text"."""

    def __init__(self) -> None:
        super().__init__(
            "tsv",
            "tab-separated rows: front<TAB>back[<TAB>tags] (Quizlet, Anki plain-text export)",
            ("\t",),
        )
