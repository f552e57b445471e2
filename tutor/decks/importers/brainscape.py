"""Brainscape printouts: title lines, then per card a number, ``Q``, front, ``A``, back.

Fronts and backs may span several paragraphs. After a card the page may show its
rating widget ("How well did you know this?" 1 ... 5 "Perfectly"), or the next card
may follow at once. A digit line is a card number only when a ``Q`` line follows it
and it continues the numbering; any other digit line is card text. Text between a
rating widget and the next card is a section heading and becomes the topic of the
cards under it (when the page has two or more sections). Zero-padded chapter codes
that course decks put in the front (``0301 Specifying a model``, a lone ``0203`` or
``02 01`` line) are structure, not text: they are taken out of the front and give
the card its topic ("chapter 3"); later cards without a code stay in that chapter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.importers.pagenoise import (
    RATING_PROMPT,
    NumberedLine,
    is_body_noise,
    is_header_chrome,
    numbered_lines,
    skip_rating_widget,
)
from tutor.decks.model import Card
from tutor.decks.topics import GUESSED_TOPIC_CHARS, assign_topics, clean_topic

_Q = re.compile(r"^Q[:.]?$")
_A = re.compile(r"^A[:.]?$")
_Q_INLINE = re.compile(r"^Q:\s+(\S.*)$")
_A_INLINE = re.compile(r"^A:\s+(\S.*)$")
_CODE_LINE = re.compile(r"^0\d(?:\s?\d\d)?$")
_CODE_PREFIX = re.compile(r"^(0\d)(?:\s?\d\d)?\s+(?=\S)")
_SINGLE_ITEM = re.compile(r"^\s*1[.)]\s+(\S.*)$")
_TERMINAL = (".", "!", "?", ":", ";", ",", ")", "]", '"', "”")
_BARE_WORDS = re.compile(r"^[a-z][a-z'’-]*(?: [a-z][a-z'’-]*){0,2}$")


@dataclass
class _RawCard:
    number_line: int
    front: list[NumberedLine] = field(default_factory=list)
    back: list[NumberedLine] = field(default_factory=list)
    has_answer: bool = False
    section: str = ""


def _marker(text: str, plain: re.Pattern[str], inline: re.Pattern[str]) -> tuple[bool, str]:
    stripped = text.strip()
    if plain.match(stripped):
        return True, ""
    match = inline.match(stripped)
    return (True, match.group(1)) if match else (False, "")


def is_q(text: str) -> bool:
    """A ``Q`` marker line (``Q``, ``Q:``, ``Q.`` or ``Q: text``)."""
    return _marker(text, _Q, _Q_INLINE)[0]


def is_a(text: str) -> bool:
    """An ``A`` marker line."""
    return _marker(text, _A, _A_INLINE)[0]


def _next_filled(lines: list[NumberedLine], index: int) -> int | None:
    for j in range(index, len(lines)):
        if lines[j][1].strip():
            return j
    return None


def _paragraphs(lines: list[NumberedLine]) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for _number, text in lines:
        if text.strip():
            paragraphs[-1].append(text.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def tidy_block(lines: list[NumberedLine]) -> str:
    """Lines as text: blank runs become one blank line; a phrase broken by a blank line
    (a line of 4+ words without end punctuation, then 1-3 lower-case words) is rejoined."""
    paragraphs = _paragraphs(lines)
    merged: list[list[str]] = []
    for paragraph in paragraphs:
        if merged:
            last = merged[-1][-1]
            single = len(paragraph) == 1 and bool(_BARE_WORDS.match(paragraph[0]))
            if single and last[-1:].isalpha() and len(last.split()) >= 4 \
                    and not last.endswith(_TERMINAL):
                merged[-1][-1] = f"{last} {paragraph[0]}"
                continue
        merged.append(list(paragraph))
    return "\n\n".join("\n".join(p) for p in merged)


def _take_codes(front: list[NumberedLine]) -> tuple[list[NumberedLine], str]:
    """Remove chapter codes from a front; return it and the chapter ('' if none)."""
    chapter = ""
    kept: list[NumberedLine] = []
    first_text = True
    for number, text in front:
        stripped = text.strip()
        if _CODE_LINE.match(stripped):
            chapter = chapter or stripped[:2]
            continue
        if stripped and first_text:
            first_text = False
            match = _CODE_PREFIX.match(stripped)
            if match:
                chapter = chapter or match.group(1)
                text = stripped[match.end():]
        kept.append((number, text))
    return kept, chapter


def _unlist_single_item(text: str) -> str:
    """A front that is one '1. item' (a rendered one-item list) is just the item."""
    if "\n" in text:
        return text
    match = _SINGLE_ITEM.match(text)
    return match.group(1).strip() if match else text


class BrainscapeImporter:
    """Brainscape printout: numbered Q/A cards with optional rating widgets."""

    name = "brainscape"
    description = "Brainscape printout: number line, 'Q', front, 'A', back, rating widget"

    def sniff(self, text: str) -> float:
        """High when ``Q``/``A`` marker lines alternate; higher with rating widgets."""
        q_count = a_count = widgets = 0
        expect_q = True
        for line in text[:200_000].split("\n"):
            stripped = line.strip()
            if expect_q and is_q(stripped):
                q_count += 1
                expect_q = False
            elif not expect_q and is_a(stripped):
                a_count += 1
                expect_q = True
            elif RATING_PROMPT.match(stripped):
                widgets += 1
        pairs = min(q_count, a_count)
        if pairs == 0:
            return 0.0
        score = 0.55 + 0.1 * min(3, pairs) + (0.1 if widgets else 0.0)
        return min(0.98, score)

    def parse(self, text: str) -> ImportResult:
        """Cards, title and warnings; never raises."""
        lines = numbered_lines(text)
        warnings: list[ImportWarning] = []
        header, raw_cards = self._split_cards(lines, warnings)
        title, subtitle = self._title(header)
        cards: list[Card] = []
        chapters: list[str] = []
        sections: list[str] = []
        chapter = ""
        for raw in raw_cards:
            front_lines, code = _take_codes(raw.front)
            chapter = code or chapter
            front = _unlist_single_item(tidy_block(front_lines))
            back = tidy_block(raw.back)
            problem = (
                "card has no 'A' line" if not raw.has_answer
                else "card has an empty question" if not front
                else "card has an empty answer" if not back
                else ""
            )
            if problem:
                warnings.append(ImportWarning(f"{problem}; skipped", raw.number_line))
                continue
            cards.append(Card(front=front, back=back, topic=""))
            chapters.append(chapter)
            sections.append(raw.section)
        self._apply_topics(cards, chapters, sections, subtitle, title)
        if not cards:
            warnings.append(ImportWarning(
                "no complete Brainscape cards found (number, 'Q', front, 'A', back)"
            ))
        return ImportResult(cards=cards, format=self.name, title=title, warnings=warnings)

    @staticmethod
    def _apply_topics(
        cards: list[Card], chapters: list[str], sections: list[str], subtitle: str, title: str
    ) -> None:
        """Section headings (two or more), else chapter codes, else keyword topics."""
        if sections and subtitle and not sections[0]:
            sections[0] = subtitle
        if len({name for name in sections if name}) >= 2:
            current = ""
            for card, name in zip(cards, sections):
                current = name or current
                card.topic = clean_topic(current, GUESSED_TOPIC_CHARS) if current else ""
        for card, chapter in zip(cards, chapters):
            if not card.topic and chapter:
                card.topic = f"chapter {int(chapter)}"
        assign_topics(cards, title)

    @staticmethod
    def _title(header: list[NumberedLine]) -> tuple[str, str]:
        texts = [
            " ".join(text.split()) for _n, text in header
            if text.strip() and not is_header_chrome(text) and not is_body_noise(text)
        ]
        title = texts[0] if texts else ""
        subtitle = texts[1] if len(texts) > 1 else ""
        return title, subtitle

    @staticmethod
    def _split_cards(
        lines: list[NumberedLine], warnings: list[ImportWarning]
    ) -> tuple[list[NumberedLine], list[_RawCard]]:
        """Header lines before the first card, and the raw cards."""
        header: list[NumberedLine] = []
        cards: list[_RawCard] = []
        current: _RawCard | None = None
        state = "header"  # header | front | back | after-widget
        last_number = 0
        pending_section: list[str] = []
        index = 0
        while index < len(lines):
            number, text = lines[index]
            stripped = text.strip()
            is_number = stripped.isdecimal()  # not isdigit: int("²") fails
            following = _next_filled(lines, index + 1) if is_number else None
            starts_card = is_q(stripped) or (
                is_number and following is not None and is_q(lines[following][1])
            )
            if starts_card:
                card_number = 0
                first_line = number
                if is_number:
                    card_number = int(stripped)
                    expected = last_number + 1
                    if last_number and card_number not in (expected, 1):
                        warnings.append(ImportWarning(
                            f"card number {card_number} after card {last_number}", number
                        ))
                    last_number = card_number
                    index = following if following is not None else index + 1
                    number, text = lines[index]
                elif current is not None:
                    last_number += 1
                current = _RawCard(number_line=first_line, section=" ".join(pending_section))
                pending_section = []
                cards.append(current)
                inline = _marker(text, _Q, _Q_INLINE)[1]
                if inline:
                    current.front.append((number, inline))
                state = "front"
                index += 1
                continue
            if state == "header":
                header.append((number, text))
            elif state == "front" and current is not None:
                is_answer, inline = _marker(stripped, _A, _A_INLINE)
                if is_answer:
                    current.has_answer = True
                    state = "back"
                    if inline:
                        current.back.append((number, inline))
                else:
                    current.front.append((number, text))
            elif RATING_PROMPT.match(stripped):
                state = "after-widget"
                index = skip_rating_widget(lines, index + 1)
                continue
            elif state == "back" and current is not None:
                if is_body_noise(stripped):
                    warnings.append(ImportWarning(f"skipped page text {stripped[:40]!r}", number))
                else:
                    current.back.append((number, text))
            elif state == "after-widget" and stripped and not is_header_chrome(stripped):
                pending_section.append(stripped)
            index += 1
        return header, cards
