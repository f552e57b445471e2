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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tutor.atomic import atomic_write_text
from tutor.decks.model import DEFAULT_TOPIC, Card, Deck
from tutor.decks.sanitize import clean_text
from tutor.decks.textio import read_text
from tutor.errors import DeckError

SUFFIX = ".deck"
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
class ParseResult:
    """A parsed deck plus the problems found (``line N: ...``)."""

    deck: Deck
    warnings: list[str] = field(default_factory=list)


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
    return "\n".join(line.rstrip() for line in lines)


def parse_deck(text: str, title: str = "Untitled deck") -> ParseResult:
    """Parse native deck text. Never raises on content: problems become warnings."""
    deck = Deck(title=title)
    warnings: list[str] = []
    lines = clean_text(text).split("\n")  # no escape sequences reach a terminal
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(lines, start=1):
        if _SEPARATOR.match(line):
            current = []
            blocks.append((number + 1, current))
            continue
        if current is None:
            _header_line(deck, line, number, warnings)
        else:
            current.append(line)
    for start, block in blocks:
        card = _parse_card(block, start, warnings)
        if card is not None:
            deck.cards.append(card)
    return ParseResult(deck, warnings)


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


def _parse_card(block: list[str], start: int, warnings: list[str]) -> Card | None:
    fields: dict[str, str] = {}
    alts: list[str] = []
    front: list[str] = []
    back: list[str] = []
    section = "fields"
    for offset, line in enumerate(block):
        number = start + offset
        if section == "fields":
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if line.startswith("Q:"):
                section = "front"
                front.append(line[2:].strip())
                continue
            match = _FIELD.match(stripped)
            if match and match.group(1).lower() in _CARD_FIELDS:
                key, value = match.group(1).lower(), match.group(2).strip()
                if key == "alt":
                    if value:
                        alts.append(value)
                else:
                    fields[key] = value
                continue
            warnings.append(f"line {number}: expected a field (id, topic, tags, alt) or 'Q:'")
        elif section == "front":
            if line.startswith("A:"):
                section = "back"
                back.append(line[2:].strip())
            else:
                front.append(_unescape(line))
        else:
            back.append(_unescape(line))
    if section == "fields":
        if fields or alts:
            warnings.append(f"line {start}: card has no 'Q:' line; skipped")
        return None
    front_text, back_text = _trim_block(front), _trim_block(back)
    if section == "front":
        warnings.append(f"line {start}: card has no 'A:' line; skipped")
        return None
    if not front_text:
        warnings.append(f"line {start}: card has an empty question; skipped")
        return None
    if not back_text:
        warnings.append(f"line {start}: card has an empty answer")
    return Card(
        front=front_text,
        back=back_text,
        topic=fields.get("topic") or DEFAULT_TOPIC,
        tags=_split_list(fields.get("tags", "")),
        alternatives=alts,
        id=fields.get("id", ""),
    )


def _block_lines(marker: str, text: str) -> list[str]:
    lines = [_escape(line) for line in text.split("\n")]
    first = lines[0] if lines else ""
    if first.startswith("\\"):
        return [marker, *lines]
    return [f"{marker} {first}".rstrip(), *lines[1:]]


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
        out += ["", "---"]
        if card.id:
            out.append(f"id: {card.id}")
        out.append(f"topic: {card.topic or DEFAULT_TOPIC}")
        if card.tags:
            out.append(f"tags: {', '.join(card.tags)}")
        out += [f"alt: {' '.join(alt.split())}" for alt in card.alternatives if alt.strip()]
        out += _block_lines("Q:", card.front)
        out += _block_lines("A:", card.back)
    return "\n".join(out) + "\n"


def load_deck(path: Path, write_ids: bool = True) -> ParseResult:
    """Read a native deck file; assign missing ids and (optionally) save them back."""
    path = Path(path)
    text, _encoding = read_text(path)
    result = parse_deck(text, title=path.name.removesuffix(SUFFIX))
    result.deck.path = path
    if result.deck.ensure_ids() and write_ids:
        try:
            save_deck(result.deck, path)
        except OSError as exc:
            result.warnings.append(f"could not save new card ids to {path}: {exc.strerror or exc}")
    return result


def save_deck(deck: Deck, path: Path | None = None) -> Path:
    """Write ``deck`` atomically to ``path`` (default: where it was loaded from)."""
    target = Path(path or deck.path or "")
    if not str(target):
        raise DeckError(f"deck '{deck.title}' has no file to save to")
    atomic_write_text(target, format_deck(deck))
    deck.path = target
    return target
