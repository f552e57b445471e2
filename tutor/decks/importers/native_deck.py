"""tutor's own ``.deck`` files, imported like any other format.

A learner who is sent a ``.deck`` file runs ``tutor import shared.deck --add``; without
this importer the text was guessed as a flashcard page and the ``id:``/``topic:`` lines
ended up inside the answers. The deck is read by `tutor.decks.native.parse_deck`, so
question, answer, topic, tags and accepted answers come through unchanged.

Card ids are dropped: the imported deck is a new deck, and keeping the ids would give two
decks the same ids (tutor then leaves those cards out of both) when the source file is
itself one of the learner's decks.
"""

from __future__ import annotations

import re

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.native import parse_deck

_SEPARATOR = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
_QUESTION = re.compile(r"^Q:", re.MULTILINE)
_ANSWER = re.compile(r"^A:", re.MULTILINE)
#: What may come before a native deck's first card: blank lines, comments and deck fields;
#: not a Markdown deck's ``## topic`` or ``### question`` headings.
_HEADER_LINE = re.compile(r"\s*$|\s*#(?!#{1,5}(?:\s|$))|\s*(?:title|source|description|topics)\s*:",
                          re.IGNORECASE)
_LINE_WARNING = re.compile(r"line (\d+): (.*)", re.DOTALL)


class NativeDeckImporter:
    """tutor's native deck format (what ``tutor import -o`` and ``--add`` write)."""

    name = "deck"
    description = "tutor deck file: '---' starts a card, then 'Q:' and 'A:' lines"

    def sniff(self, text: str) -> float:
        """Near-certain when only comments and deck fields come before the first '---'
        and most '---' blocks hold a 'Q:' and an 'A:' line (a Markdown deck may have
        such lines in an answer, after its '##'/'###' headings)."""
        first = _SEPARATOR.search(text)
        if first is None or not all(_HEADER_LINE.match(line)
                                    for line in text[:first.start()].split("\n")):
            return 0.0
        blocks = len(_SEPARATOR.findall(text))
        questions = len(_QUESTION.findall(text))
        answers = len(_ANSWER.findall(text))
        if not blocks or not questions or not answers:
            return 0.0
        return 0.98 if min(questions, answers) * 2 >= blocks else 0.3

    def parse(self, text: str) -> ImportResult:
        """The deck's cards (without ids), its title, and its problems as warnings."""
        parsed = parse_deck(text, title="")
        for card in parsed.deck.cards:
            card.id = ""
        return ImportResult(cards=parsed.deck.cards, format=self.name,
                            title=parsed.deck.title,
                            warnings=[_warning(text) for text in parsed.warnings])


def _warning(message: str) -> ImportWarning:
    """A ``line N: ...`` message of `parse_deck` as a warning tied to line N."""
    match = _LINE_WARNING.fullmatch(message)
    if match is None:
        return ImportWarning(message)
    return ImportWarning(match.group(2), line=int(match.group(1)))
