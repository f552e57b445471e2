"""Markdown decks: headings give the structure, everything else is card text.

The convention (what `tutor export --format markdown` writes)::

    # Cell biology                    <- deck title (optional)

    ## Organelles                     <- topic of the cards below it

    ### What does the mitochondrion do?
    Produces ATP by cellular respiration.

    alt: the powerhouse of the cell   <- an accepted answer (repeatable)
    tags: exam-1, easy                <- the card's tags

    ### Name the phases of mitosis.  <- the heading is the question,
    prophase                          <- the lines below it, up to the next
    metaphase                         <- heading, are the answer
    anaphase
    telophase

    ### A question that needs
    more than one line or paragraph.
    ?                                 <- a line holding only '?' ends a long question
    The answer.

- ``# Title`` (level 1): the deck title; text under it is a description and ignored.
- ``## Topic`` (level 2): sets the topic of every card after it.
- ``### Question`` (level 3): starts a card. Its answer runs to the next heading of
  level 1-3; ``####`` and deeper headings are answer text.
- Lines inside fenced code blocks (``` or ~~~) are always card text.
- ``alt: …`` lines (one accepted answer each) and a ``tags: a, b`` line inside a card,
  at the start of a line, are the card's accepted answers and tags, not its text
  (tutor's export writes them after the answer).
- A line that would read as structure (starting with ``#``, a lone ``?``, ``alt:`` or
  ``tags:``, or starting with a backslash) is written with one leading backslash; the
  importer removes it.

Cards before any ``## Topic`` get a topic from `tutor.decks.topics`.
"""

from __future__ import annotations

import re

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.model import DEFAULT_TOPIC, Card
from tutor.decks.topics import fill_missing_topics

#: An ATX heading's opening ``#`` run; its text is the rest of the line. (Patterns for
#: the text and the closing run, ``(.*?)[ \t]*$`` and ``[ \t]+#+[ \t]*$``, took time
#: quadratic or worse in a line's run of spaces.)
_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ESCAPE_NEEDED = re.compile(r"^\s*#|^\\|^\s*\?\s*$|^(?:alt|tags):")
#: The sniff score of text laid out as `format_markdown` writes it (a heading first, a
#: ``## Topic`` before the first ``### Question``, an answer under it): above the page
#: formats' guesses from a line or two (Knowt's header, line-based text), below the
#: formats that announce themselves (a native deck, an Anki header, a Knowt page).
TUTOR_LAYOUT_SCORE = 0.85
#: A card's accepted answer (``alt: …``, repeatable) or its tags (``tags: a, b``).
_FIELD = re.compile(r"(alt|tags):(.*)")


def heading_text(raw: str) -> str:
    """The text of an ATX heading's content (closing ``#`` run removed, trimmed)."""
    text = raw.strip()
    body = text.rstrip("#")
    if body != text and (not body or body[-1] in " \t"):
        text = body
    return text.strip()


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING.match(line)
    if not match:
        return None
    return len(match.group(1)), heading_text(line[match.end(1):])


def _fence(line: str) -> str | None:
    match = _FENCE.match(line)
    return match.group(1) if match else None


def _closes(line: str, opener: str) -> bool:
    marker = _fence(line)
    return (
        marker is not None
        and marker[0] == opener[0]
        and len(marker) >= len(opener)
        and not line.strip()[len(marker):].strip()
    )


class _Card:
    def __init__(self, line: int, heading: str, topic: str) -> None:
        self.line = line
        self.heading = heading
        self.topic = topic
        self.body: list[tuple[str, bool]] = []
        """Lines and whether each is a structural '?' separator."""
        self.alternatives: list[str] = []
        self.tags: list[str] = []


def _trim(lines: list[str]) -> str:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


class MarkdownImporter:
    """Cards from Markdown written in the convention of the module docstring."""

    name = "markdown"
    description = "Markdown: '## Topic' headings, '### Question' headings with the answer below"

    def sniff(self, text: str) -> float:
        """High when ``###`` question headings with text under them are present; higher
        when the text opens with a heading and a ``## Topic`` comes before the first
        question, as every `format_markdown` output does (even of one card whose answer
        holds a ``---`` line that looks like other formats' furniture)."""
        questions = topics = answered = 0
        topic_first = False
        pending = False
        opener: str | None = None
        first = next((line for line in text.split("\n") if line.strip()), "")
        opens_with_heading = _heading(first) is not None
        for line in text.split("\n"):
            if opener is not None:
                if _closes(line, opener):
                    opener = None
                continue
            opener = _fence(line)
            heading = _heading(line)
            if heading is None:
                if pending and line.strip():
                    answered += 1
                    pending = False
                continue
            level, _ = heading
            pending = level == 3
            topic_first = topic_first or (level == 2 and not questions)
            questions += level == 3
            topics += level == 2
        if not questions:
            return 0.0
        score = 0.4 + 0.1 * min(answered, 4) + 0.02 * min(questions, 5)
        score += 0.05 if topics else 0.0
        if opens_with_heading and topic_first and answered:
            return max(min(score, 0.9), TUTOR_LAYOUT_SCORE)
        return min(score, 0.9 if answered >= 2 else 0.6)

    def parse(self, text: str) -> ImportResult:
        """Cards and warnings; never raises."""
        result = ImportResult(cards=[], format=self.name)
        cards: list[_Card] = []
        topic = ""
        opener: str | None = None
        warned: set[tuple[str, str]] = set()
        under = "start"
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
            if opener is not None:
                if _closes(line, opener):
                    opener = None
                self._add(cards, line, False, under)
                continue
            heading = None if line.startswith("\\") else _heading(line)
            if heading is not None and heading[0] <= 3:
                level, title = heading
                if level == 1:
                    result.title = result.title or title
                    under = "title"
                elif level == 2:
                    topic = title
                    under = "topic"
                else:
                    cards.append(_Card(number, title, topic))
                    under = "card"
                continue
            if line.startswith("\\"):
                self._add(cards, line[1:], False, under)
            else:
                opener = _fence(line)
                is_separator = line.strip() == "?"
                field = _FIELD.fullmatch(line) if under == "card" and cards else None
                if field is not None:
                    self._field(cards[-1], field.group(1), field.group(2))
                elif under == "card" or not line.strip():
                    self._add(cards, line, is_separator, under)
                elif under in ("start", "topic") and (under, topic) not in warned:
                    warned.add((under, topic))
                    where = "before the first heading" if under == "start" else "under a topic"
                    result.warnings.append(
                        ImportWarning(f"text {where} is not part of a card; ignored", line=number)
                    )
        for card in cards:
            built = self._build(card, result)
            if built is not None:
                result.cards.append(built)
        if not result.cards:
            result.warnings.append(
                ImportWarning("no cards found: a card starts with a '### question' heading")
            )
        fill_missing_topics(result.cards, result.title)
        return result

    @staticmethod
    def _field(card: _Card, key: str, value: str) -> None:
        if key == "alt":
            if value.strip():
                card.alternatives.append(" ".join(value.split()))
        else:
            card.tags += [tag for tag in (" ".join(t.split()) for t in value.split(",")) if tag]

    @staticmethod
    def _add(cards: list[_Card], line: str, separator: bool, under: str) -> None:
        if under == "card" and cards:
            cards[-1].body.append((line, separator))

    @staticmethod
    def _build(card: _Card, result: ImportResult) -> Card | None:
        split = next((i for i, (_, sep) in enumerate(card.body) if sep), None)
        if split is None:
            front_lines, back_lines = [card.heading], [line for line, _ in card.body]
        else:
            front_lines = [card.heading] + [line for line, _ in card.body[:split]]
            back_lines = [line for line, _ in card.body[split + 1:]]
        front, back = _trim(front_lines), _trim(back_lines)
        if not front:
            result.warnings.append(
                ImportWarning("question heading is empty; skipped", line=card.line)
            )
            return None
        if not back:
            result.warnings.append(ImportWarning("card has an empty answer", line=card.line))
        topic = " ".join(card.topic.split())
        return Card(front=front, back=back, topic=topic, tags=card.tags,
                    alternatives=card.alternatives)


# --------------------------------------------------------------------------- writing


def _heading_line(marks: str, text: str) -> str | None:
    """``marks text`` such that reading it back gives ``text``; None if impossible."""
    for candidate in (text, f"{text} {marks[0]}"):
        line = f"{marks} {candidate}".rstrip()
        parsed = _heading(line)
        if parsed is not None and parsed[1] == text:
            return line
    return None


def _body_lines(text: str) -> list[str]:
    """Lines of card text, escaped so none reads as structure (fences stay intact)."""
    lines = text.split("\n")
    out: list[str] = []
    opener: str | None = None
    for index, line in enumerate(lines):
        if opener is not None:
            if _closes(line, opener):
                opener = None
            out.append(line)
            continue
        marker = _fence(line)
        if marker is not None and any(_closes(later, marker) for later in lines[index + 1:]):
            opener = marker
            out.append(line)
        elif marker is not None or _ESCAPE_NEEDED.match(line):
            out.append("\\" + line)
        else:
            out.append(line)
    return out


def format_markdown(title: str, cards: list[Card]) -> str:
    """Markdown text of the cards in the module's convention (round-trips via the importer)."""
    out: list[str] = []
    heading = _heading_line("#", " ".join(title.split())) if title.strip() else None
    if heading:
        out += [heading, ""]
    topic: str | None = None
    for card in cards:
        card_topic = " ".join((card.topic or DEFAULT_TOPIC).split())
        if card_topic != topic:
            topic = card_topic
            out += [_heading_line("##", topic) or f"## {DEFAULT_TOPIC}", ""]
        front_lines = card.front.split("\n")
        first = _heading_line("###", front_lines[0].strip()) if front_lines[0].strip() else None
        if first is not None and front_lines[0] == front_lines[0].strip():
            out.append(first)
            rest = front_lines[1:]
        else:
            out.append("###")
            rest = front_lines
        if rest:
            out += _body_lines("\n".join(rest))
            out.append("?")
        out += _body_lines(card.back) if card.back else []
        extras = [f"alt: {' '.join(alt.split())}" for alt in card.alternatives if alt.strip()]
        tags = [" ".join(tag.split()) for tag in card.tags if tag.strip()]
        extras += [f"tags: {', '.join(tags)}"] if tags else []
        if extras:
            out += ([""] if card.back else []) + extras
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
