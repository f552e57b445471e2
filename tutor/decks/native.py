"""The native deck format: plain text a learner can write and fix in any editor.

    # comment lines start with '#'
    title: Cell biology
    topics: organelles, division

    ---
    id: 3f9a2c41d0
    topic: organelles
    tags: exam-1, easy
    alt: powerhouse of the cell
    Q: What does the mitochondrion do?
    A: Produces ATP by cellular respiration.
    ---
    Q: Name the phases of mitosis.
    A:
    prophase
    metaphase
    anaphase
    telophase

A line of three or more dashes starts a card. Field lines (``id``, ``topic``,
``tags``, ``alt``) come before ``Q:``; the front runs from ``Q:`` to ``A:``, the back
from ``A:`` to the next card. Both may span lines and paragraphs. Inside a front or
back, a line that would read as a marker (``---``, ``Q:``, ``A:``) or that starts
with a backslash is written with one extra leading backslash.

Cards without an ``id:`` get one when tutor first opens the deck (it is written
back to the file); keep it and the card keeps its history when its text changes.
An id is one line of printable characters (`tutor.decks.model.valid_card_id`); an
invalid one, or one an earlier card of the deck has, is replaced with a warning.

Tutor edits a deck file in place (`save_deck`): it rewrites only the lines of the
cards that changed (their ``id``/``topic``/``tags``/``alt`` lines, question and
answer) and appends new cards; comments, stray text and blocks it could not parse
stay byte for byte. Before writing it re-reads the file: edits made in another
editor since tutor read it are kept (a card changed in tutor wins over the same
card changed outside). ``<name>.deck.bak`` holds the version each write replaced.
A symlinked deck is written through the link. A card deleted in tutor (``removed``)
loses its ``---`` line and the lines it owns; comments or stray text in its block stay,
under their ``---`` (a block without a card reads as nothing).
"""

from __future__ import annotations

import contextlib
import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutor.atomic import atomic_write_bytes
from tutor.decks.model import DEFAULT_TOPIC, Card, Deck, valid_card_id
from tutor.decks.sanitize import clean_text
from tutor.decks.textio import MAX_DECK_BYTES, decode_bytes, read_text
from tutor.errors import DeckError
from tutor.fileread import UnreadableFile, read_limited

SUFFIX = ".deck"
BACKUP_SUFFIX = ".bak"
HEADER_COMMENT = (
    "# tutor deck: edit freely. Keep each card's 'id:' line; it links the card to your"
    " study history."
)
_SEPARATOR = re.compile(r"^-{3,}\s*$")
_MARKER = re.compile(r"^(-{3,}\s*$|Q:|A:|\\)")
_FIELD = re.compile(r"^([A-Za-z_]+)\s*:\s?(.*)$")
_DECK_FIELDS = {"title", "source", "description", "topics"}
_CARD_FIELDS = {"id", "topic", "tags", "alt"}


@dataclass
class CardPlace:
    """Where a parsed card sits in its file (0-based line indexes) and which lines it owns:
    its field lines, the question (``question`` to ``answer``) and the answer (``answer``
    to ``content_end``). Other lines of the block (comments, stray text, trailing blank
    lines) are not the card's and are never rewritten."""

    start: int
    """The block's first line (after its ``---``)."""
    end: int
    """The line after the block."""
    fields: list[tuple[int, str]]
    """(line, key) of each ``id``/``topic``/``tags``/``alt`` line."""
    question: int
    answer: int
    content_end: int
    written_id: str
    """The id as the file has it ('' when missing or invalid)."""


@dataclass
class ParseResult:
    """A parsed deck plus the problems found (``line N: ...``)."""

    deck: Deck
    warnings: list[str] = field(default_factory=list)
    places: list[CardPlace] = field(default_factory=list)
    """Where each card of ``deck.cards`` (as parsed) sits in the text."""


@dataclass
class _Entry:
    card: Card
    """The card object in the deck."""
    saved: Card
    """Its text as in the file (or as tutor last wrote it)."""
    index: int | None
    """Its position in `DeckFile.places`; None once it was deleted outside tutor."""


@dataclass
class DeckFile:
    """A deck file as tutor last read or wrote it: what `save_deck` edits in place and
    compares the file on disk with (to find edits made outside tutor)."""

    path: Path
    """The file itself (symlinks resolved)."""
    text: str
    places: list[CardPlace]
    entries: dict[int, _Entry] = field(default_factory=dict)
    """By ``id()`` of the card object (the entry keeps the object alive)."""

    def entry(self, card: Card) -> _Entry | None:
        """What was saved of ``card``, if it is one of the cards read from this file."""
        found = self.entries.get(id(card))
        return found if found is not None and found.card is card else None

    def line_of(self, card: Card) -> int | None:
        """The 1-based line where ``card``'s block starts, if known."""
        found = self.entry(card)
        if found is None or found.index is None:
            return None
        return self.places[found.index].start + 1


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _unescape(line: str) -> str:
    return line[1:] if line.startswith("\\") else line


def _escape(line: str) -> str:
    return "\\" + line if _MARKER.match(line) else line


def _trim_block(lines: list[str]) -> str:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) == 1:  # most cards: what dedent would give, without its regexes
        return lines[0].strip()
    # Indentation every line shares, and any before the first word, is layout, not content
    # (`A:  x` reads as `x`): without this, "A:" followed by an indented line would change
    # on every write, and no other format keeps it.
    return textwrap.dedent("\n".join(line.rstrip() for line in lines)).strip()


def parse_deck(text: str, title: str = "Untitled deck") -> ParseResult:
    """Parse native deck text. Never raises on content: problems become warnings."""
    result = ParseResult(Deck(title=title))
    lines = clean_text(text).split("\n")  # no escape sequences reach a terminal
    blocks: list[int] = []
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            blocks.append(index + 1)
        elif not blocks:
            _header_line(result.deck, line, index + 1, result.warnings)
    ends = [start - 1 for start in blocks[1:]] + [len(lines)] * bool(blocks)
    first_line_of: dict[str, int] = {}
    for start, end in zip(blocks, ends, strict=True):
        parsed = _parse_card(lines, start, end, result.warnings)
        if parsed is None:
            continue
        card, place = parsed
        if card.id in first_line_of:
            result.warnings.append(
                f"line {start + 1}: id {card.id!r} is also the id of the card at line"
                f" {first_line_of[card.id]}; this card gets a new id")
            card.id = ""
        elif card.id:
            first_line_of[card.id] = start + 1
        result.deck.cards.append(card)
        result.places.append(place)
    return result


def _header_line(deck: Deck, line: str, number: int, warnings: list[str]) -> None:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return
    match = _FIELD.match(stripped)
    if not match or match.group(1).lower() not in _DECK_FIELDS:
        warnings.append(f"line {number}: ignored text before the first card: {stripped[:40]!r}")
        return
    key, value = match.group(1).lower(), match.group(2).strip()
    if key == "topics":
        deck.topics = _split_list(value)
    else:
        setattr(deck, key, value)


def _parse_card(lines: list[str], start: int, end: int,
                warnings: list[str]) -> tuple[Card, CardPlace] | None:
    """The card of the block ``lines[start:end]`` and its place, or None (with a warning)."""
    fields: dict[str, str] = {}
    field_lines: list[tuple[int, str]] = []
    alts: list[str] = []
    front: list[str] = []
    back: list[str] = []
    section = "fields"
    question = answer = content_end = end
    for index in range(start, end):
        line = lines[index]
        number = index + 1
        if section == "fields":
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if line.startswith("Q:"):
                section, question = "front", index
                front.append(line[2:].strip())
                continue
            match = _FIELD.match(stripped)
            if match and match.group(1).lower() in _CARD_FIELDS:
                key, value = match.group(1).lower(), match.group(2).strip()
                field_lines.append((index, key))
                if key == "alt":
                    if value:
                        alts.append(value)
                elif key == "id" and value and not valid_card_id(value):
                    warnings.append(f"line {number}: {value[:30]!r} is not a valid card id (one"
                                    " line of printable characters, at most 100); the card"
                                    " gets a new id")
                    fields[key] = ""
                else:
                    fields[key] = value
                continue
            warnings.append(f"line {number}: expected a field (id, topic, tags, alt) or 'Q:'")
        elif section == "front":
            if line.startswith("A:"):
                section, answer, content_end = "back", index, index + 1
                back.append(line[2:].strip())
            else:
                front.append(_unescape(line))
        else:
            back.append(_unescape(line))
            if line.strip():
                content_end = index + 1
    if section == "fields":
        if fields or alts:
            warnings.append(f"line {start + 1}: card has no 'Q:' line; skipped")
        return None
    front_text, back_text = _trim_block(front), _trim_block(back)
    if section == "front":
        warnings.append(f"line {start + 1}: card has no 'A:' line; skipped")
        return None
    if not front_text:
        warnings.append(f"line {start + 1}: card has an empty question; skipped")
        return None
    if not back_text:
        warnings.append(f"line {start + 1}: card has an empty answer")
    card_id = fields.get("id", "")
    card = Card(
        front=front_text,
        back=back_text,
        topic=fields.get("topic") or DEFAULT_TOPIC,
        tags=_split_list(fields.get("tags", "")),
        alternatives=alts,
        id=card_id,
    )
    place = CardPlace(start=start, end=end, fields=field_lines, question=question,
                      answer=answer, content_end=content_end, written_id=card_id)
    return card, place


def _block_lines(marker: str, text: str) -> list[str]:
    lines = [_escape(line) for line in text.split("\n")]
    first = lines[0] if lines else ""
    if first.startswith("\\"):
        return [marker, *lines]
    return [f"{marker} {first}".rstrip(), *lines[1:]]


def _field_lines(key: str, card: Card) -> list[str]:
    """The ``key`` lines that say what ``card`` holds."""
    if key == "id":
        return [f"id: {card.id}"] if card.id else []
    if key == "topic":
        return [f"topic: {card.topic or DEFAULT_TOPIC}"]
    if key == "tags":
        return [f"tags: {', '.join(card.tags)}"] if card.tags else []
    return [f"alt: {' '.join(alt.split())}" for alt in card.alternatives if alt.strip()]


def _card_lines(card: Card) -> list[str]:
    out = [*_field_lines("id", card), *_field_lines("topic", card), *_field_lines("tags", card),
           *_field_lines("alt", card)]
    return out + _block_lines("Q:", card.front) + _block_lines("A:", card.back)


def format_deck(deck: Deck) -> str:
    """The native text of ``deck`` (round-trips through `parse_deck`)."""
    out = [HEADER_COMMENT, f"title: {deck.title}"]
    if deck.source:
        out.append(f"source: {deck.source}")
    if deck.description:
        out.append(f"description: {deck.description}")
    if deck.topics:
        out.append(f"topics: {', '.join(deck.topics)}")
    for card in deck.cards:
        out += ["", "---", *_card_lines(card)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- reading


def read_deck(path: Path) -> ParseResult:
    """Read and parse a native deck file; ids are not assigned (see `load_deck`)."""
    path = Path(path)
    text, _encoding = read_text(path)
    result = parse_deck(text, title=path.name.removesuffix(SUFFIX))
    result.deck.path = path
    result.deck.origin = _deck_file(_resolved(path), text, result.places, result.deck.cards)
    return result


def give_ids(result: ParseResult, taken: set[str] | None = None, write: bool = True) -> int:
    """Give the cards of a read deck their missing ids (avoiding ``taken``, the ids of
    other decks, which gains the new ones) and write them into the file."""
    deck = result.deck
    changed = deck.ensure_ids(taken or (), result.warnings)
    if taken is not None:
        taken.update(card.id for card in deck.cards)
    if changed and write:
        try:
            save_deck(deck)
        except (OSError, DeckError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            result.warnings.append(f"could not save new card ids to {deck.path}: {why}")
    return changed


def load_deck(path: Path, write_ids: bool = True) -> ParseResult:
    """Read a native deck file; assign missing ids and (optionally) save them back."""
    result = read_deck(path)
    give_ids(result, write=write_ids)
    return result


def _resolved(path: Path) -> Path:
    """The file a path names, through symlinks (relative links resolve from their folder)."""
    return Path(os.path.realpath(path))


def _deck_file(path: Path, text: str, places: list[CardPlace], cards: list[Card]) -> DeckFile:
    origin = DeckFile(path=path, text=text, places=places)
    for index, card in enumerate(cards):
        origin.entries[id(card)] = _Entry(card, card.copy(), index)
    return origin


# --------------------------------------------------------------------------- writing


def save_deck(deck: Deck, path: Path | None = None, *, removed: Sequence[Card] = ()) -> Path:
    """Write ``deck`` to ``path`` (default: where it was loaded from); returns ``path``.

    The deck's own file is edited in place (see the module docstring), merging edits
    made outside tutor since it was read; any other file is replaced by the whole deck.
    ``removed``: cards taken out of ``deck.cards`` since it was read or saved, whose
    blocks are deleted from the file (without it, a card missing from ``deck.cards``
    keeps its lines: a card left out because another deck has its id).
    Either way the version replaced is kept as ``<file>.bak``, and the write is atomic.
    Raises `DeckError` (one line) when the deck's file was removed or cannot be read.
    """
    target = Path(path or deck.path or "")
    if not str(target):
        raise DeckError(f"deck '{deck.title}' has no file to save to")
    deck.ensure_ids()
    real = _resolved(target)
    origin = deck.origin if isinstance(deck.origin, DeckFile) else None
    own_file = deck.path is not None and _resolved(deck.path) == real
    current = _read_current(real, target)
    if current is None and own_file and origin is not None and origin.path == real:
        raise DeckError(f"{target} was moved or deleted since tutor read it; the change was"
                        " not saved (put the file back and try again)")
    if current is None or not own_file:
        text = format_deck(deck)
        origin = None
    else:
        _data, disk_text, _encoding = current
        if origin is None or origin.path != real:
            origin = DeckFile(path=real, text="", places=[])
        text = _merge(deck, origin, disk_text, removed)
    new_data = _encode(text, current)
    if current is None or new_data != current[0]:
        if current is not None:
            atomic_write_bytes(real.with_name(real.name + BACKUP_SUFFIX), current[0])
        atomic_write_bytes(real, new_data)
    deck.path = target
    _remember(deck, real, text)
    return target


def save_copy(deck: Deck, target: Path, *, removed: Sequence[Card] = ()) -> Path:
    """Save ``deck`` into the new file ``target``, which starts as a byte copy of the deck's
    own file (so its comments and layout stay, as an in-place save keeps them); the deck
    then lives there. A bundled deck's first change goes to the learner's copy this way.
    Refuses (`DeckError`, one line) when ``target`` exists: it is never overwritten."""
    if deck.path is None:
        raise DeckError(f"deck '{deck.title}' has no file to copy")
    source = _resolved(deck.path)
    current = _read_current(source, deck.path)
    if current is None:
        raise DeckError(f"{deck.path} was moved or deleted since tutor read it; the change was"
                        " not saved (put the file back and try again)")
    if target.exists() or target.is_symlink():
        raise DeckError(f"{target} already exists: your copy of this deck is there, and this one"
                        f" was read from {deck.path} (study your copy: tutor study {target})")
    atomic_write_bytes(target, current[0])
    old_path, origin = deck.path, deck.origin
    deck.path = target
    if isinstance(origin, DeckFile) and origin.path == source:
        origin.path = _resolved(target)
    try:
        return save_deck(deck, removed=removed)
    except BaseException:
        deck.path = old_path
        if isinstance(origin, DeckFile):
            origin.path = source
        with contextlib.suppress(OSError):
            target.unlink()
        raise


def _read_current(real: Path, shown: Path) -> tuple[bytes, str, str] | None:
    """The file's bytes, text and encoding now; None when there is no file."""
    if not os.path.lexists(real):
        return None
    try:
        data = read_limited(real, MAX_DECK_BYTES, "deck file")
    except UnreadableFile as exc:
        raise DeckError(f"not saved: {exc}") from None
    text, encoding = decode_bytes(data, str(shown))
    return data, text, encoding


def _encode(text: str, current: tuple[bytes, str, str] | None) -> bytes:
    """``text`` in the file's encoding and line endings (new files: UTF-8, ``\\n``)."""
    if current is None:
        return text.encode("utf-8")
    data, _text, encoding = current
    if b"\r\n" in data:
        text = text.replace("\n", "\r\n")
    try:
        return text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return text.encode("utf-8")


def _remember(deck: Deck, real: Path, text: str) -> None:
    """Record what was just written, so the next save edits it in place."""
    parsed = parse_deck(text)
    origin = DeckFile(path=real, text=text, places=parsed.places)
    unused: dict[str, list[int]] = {}
    for index, place in enumerate(parsed.places):
        if place.written_id:
            unused.setdefault(place.written_id, []).append(index)
    previous = deck.origin if isinstance(deck.origin, DeckFile) else None
    for card in deck.cards:
        indexes = unused.get(card.id)
        if indexes:
            origin.entries[id(card)] = _Entry(card, card.copy(), indexes.pop(0))
        elif previous is not None and (entry := previous.entry(card)) is not None:
            # Deleted outside tutor and unchanged here: remember it, so a later save
            # does not bring it back.
            origin.entries[id(card)] = _Entry(card, entry.saved, None)
    for entry in (previous.entries.values() if previous is not None else ()):
        if id(entry.card) not in origin.entries and entry.index is not None:
            # Left out of the deck (its id belongs to another deck): its lines stay.
            indexes = unused.get(entry.saved.id) or unused.get(entry.card.id)
            if indexes:
                origin.entries[id(entry.card)] = _Entry(entry.card, entry.saved, indexes.pop(0))
    deck.origin = origin


def _merge(deck: Deck, origin: DeckFile, disk_text: str, removed: Sequence[Card] = ()) -> str:
    """The file's new text: ``disk_text`` with the deck's changed cards edited in and the
    blocks of the ``removed`` cards deleted.

    A card unchanged since the file was read takes the file's version (an outside
    edit), also in memory; a card changed in tutor wins. Lines no card owns stay.
    """
    if disk_text == origin.text and all(origin.entry(card) is not None for card in deck.cards):
        places, on_disk = origin.places, None
    else:
        parsed = parse_deck(disk_text)
        places, on_disk = parsed.places, parsed.deck.cards
    lines = disk_text.split("\n")
    used: set[int] = set()
    edits: dict[int, list[str]] = {}
    appended: list[Card] = []
    removed_blocks: set[int] = set()
    for card in removed:  # first: their blocks are theirs, whatever the cards kept hold
        entry = origin.entry(card)
        written = origin.places[entry.index].written_id if entry and entry.index is not None else ""
        index = _find_block(card, entry, written, places, on_disk, used)
        if index is not None:
            used.add(index)
            removed_blocks.add(index)
            edits[index] = _unowned_lines(lines, places[index])
    for card in deck.cards:
        entry = origin.entry(card)
        changed = entry is None or not card.same_text(entry.saved)
        written = origin.places[entry.index].written_id if entry and entry.index is not None else ""
        index = _find_block(card, entry, written, places, on_disk, used)
        if index is None:
            if changed:
                appended.append(card)
            continue
        used.add(index)
        if on_disk is not None:
            file_card = on_disk[index]
        else:
            assert entry is not None  # found through it
            file_card = entry.saved
        if not changed and not card.same_text(file_card):
            _take_text(card, file_card)
        block = _edit_block(lines, places[index], file_card, card)
        if block != lines[places[index].start:places[index].end]:
            edits[index] = block
    for index in sorted(edits, reverse=True):
        place = places[index]
        if index in removed_blocks:  # its '---' line goes too (or heads what stays)
            lines[place.start - 1:place.end] = edits[index]
        else:
            lines[place.start:place.end] = edits[index]
    if removed_blocks and disk_text.endswith("\n") and lines and lines[-1] != "":
        lines.append("")  # the last block went, and the newline that ended it
    return _append(lines, appended)


def _unowned_lines(lines: list[str], place: CardPlace) -> list[str]:
    """What is left of a deleted card's block, its ``---`` line included: nothing, or the
    ``---`` line and the comments and stray text the card did not own (they stay where
    they were, under a ``---`` that now starts no card)."""
    owned = {line for line, _key in place.fields} | set(range(place.question, place.content_end))
    kept = [lines[i] for i in range(place.start, place.end) if i not in owned]
    return [lines[place.start - 1], *kept] if any(line.strip() for line in kept) else []


def _find_block(card: Card, entry: _Entry | None, written: str, places: list[CardPlace],
                on_disk: list[Card] | None, used: set[int]) -> int | None:
    """The index of ``card``'s block in the file now (``on_disk``: its cards, None when
    the file is as tutor left it; ``written``: the id its block had then), or None."""
    if on_disk is None:
        return entry.index if entry is not None else None
    for index, place in enumerate(places):
        if index not in used and place.written_id and place.written_id == card.id:
            return index
    if entry is None or entry.index is None:
        return None
    # Read without a usable id, and the new one was never written: find it by its text.
    for index, place in enumerate(places):
        if (index not in used and place.written_id in ("", written)
                and on_disk[index].same_text(entry.saved)):
            return index
    return None


def _take_text(card: Card, source: Card) -> None:
    card.front, card.back, card.topic = source.front, source.back, source.topic
    card.tags, card.alternatives = list(source.tags), list(source.alternatives)


def _edit_block(lines: list[str], place: CardPlace, old: Card, new: Card) -> list[str]:
    """The block's lines with ``new``'s id and changed parts written over ``old``'s; lines
    the card does not own (comments, stray text, blank lines after it) stay as they are."""
    keys = dict(place.fields)
    head = [(lines[i], keys.get(i)) for i in range(place.start, place.question)]
    if place.written_id != new.id:
        head = _replace_field(head, "id", _field_lines("id", new), default=0)
    for key, differs in (("topic", old.topic != new.topic), ("tags", old.tags != new.tags),
                         ("alt", old.alternatives != new.alternatives)):
        if differs:
            head = _replace_field(head, key, _field_lines(key, new), default=None)
    question = lines[place.question:place.answer]
    if old.front != new.front:
        question = _block_lines("Q:", new.front)
    answer = lines[place.answer:place.content_end]
    if old.back != new.back:
        answer = _block_lines("A:", new.back)
    return [line for line, _key in head] + question + answer + lines[place.content_end:place.end]


def _replace_field(head: list[tuple[str, str | None]], key: str, new_lines: list[str],
                   default: int | None) -> list[tuple[str, str | None]]:
    """``head`` with its ``key`` lines replaced by ``new_lines``, where the first of them
    was (else at ``default``, else after the last field line, else before the question)."""
    positions = [i for i, (_line, k) in enumerate(head) if k == key]
    if positions:
        at = positions[0]
    elif default is not None:
        at = default
    else:
        owned = [i for i, (_line, k) in enumerate(head) if k is not None]
        at = owned[-1] + 1 if owned else len(head)
    kept = [item for item in head if item[1] != key]
    return kept[:at] + [(line, key) for line in new_lines] + kept[at:]


def _append(lines: list[str], cards: list[Card]) -> str:
    if not cards:
        return "\n".join(lines)
    while lines and lines[-1] == "":
        lines.pop()
    out = list(lines)
    for card in cards:
        out += ["", "---", *_card_lines(card)] if out else ["---", *_card_lines(card)]
    return "\n".join(out) + "\n"
