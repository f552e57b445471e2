"""Quizwiz / Quizlet page text: title, an advertising line, then front and back paragraphs.

Paragraphs (runs of lines between blank lines) alternate front, back, front, back.
Some sets are written definition-first (the front is a definition, the back the
term); pairs are kept exactly as the page shows them: what comes first is the front.
Page furniture is dropped: the advertising / call-to-action lines under the title,
and the footer of related sets ("Related study sets", "Ensembles d'études connexes",
... followed by set titles and "View Set" links).
"""

from __future__ import annotations

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.importers.boundaries import asks, is_question
from tutor.decks.importers.pagenoise import (
    RELATED_SETS_HEADINGS,
    SITE_NAMES,
    VIEW_SET,
    NumberedLine,
    drop_rating_widgets,
    is_body_noise,
    is_header_chrome,
    numbered_lines,
    strip_footer,
)
from tutor.decks.model import Card
from tutor.decks.topics import assign_topics

#: Paragraphs at the top that may hold the title and advertising.
HEADER_PARAGRAPHS = 4

Paragraph = list[NumberedLine]


def paragraphs_of(lines: list[NumberedLine]) -> list[Paragraph]:
    """Runs of non-blank lines."""
    out: list[Paragraph] = []
    current: Paragraph = []
    for number, text in lines:
        if text.strip():
            current.append((number, text.strip()))
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's lines joined by newlines."""
    return "\n".join(text for _n, text in paragraph)


class QuizwizImporter:
    """Quizwiz or Quizlet page copied as text: alternating front/back paragraphs."""

    name = "quizwiz"
    description = "Quizwiz/Quizlet page: title, ad line, front/back paragraphs, related-sets footer"

    def sniff(self, text: str) -> float:
        """Alternating one-line paragraphs; site names or a related-sets footer make it sure."""
        lines = [line.strip() for line in text[:300_000].replace("\r", "\n").split("\n")]
        filled = [i for i, line in enumerate(lines) if line]
        if len(filled) < 3:
            return 0.0
        isolated = sum(
            1 for i in filled
            if (i == 0 or not lines[i - 1]) and (i + 1 >= len(lines) or not lines[i + 1])
        )
        structure = isolated / len(filled)
        score = 0.45 * structure if structure >= 0.6 else 0.0
        head = [line for line in lines[:12] if line]
        if any(SITE_NAMES.search(line) and "quiz" in line.lower() for line in head):
            score += 0.45
        if any(RELATED_SETS_HEADINGS.match(line) or VIEW_SET.match(line) for line in lines):
            score += 0.35
        return min(0.95, round(score, 3))

    def parse(self, text: str) -> ImportResult:
        """Cards in page order and warnings; never raises."""
        warnings: list[ImportWarning] = []
        lines, widgets = drop_rating_widgets(numbered_lines(text))
        lines, footer = strip_footer(lines)
        if footer:
            warnings.append(ImportWarning(f"skipped the related-sets footer ({footer} lines)"))
        paragraphs = paragraphs_of(lines)
        title, body = self._split_header(paragraphs, warnings)
        kept: list[Paragraph] = []
        for paragraph in body:
            text_ = paragraph_text(paragraph)
            if len(paragraph) == 1 and is_body_noise(text_):
                warnings.append(ImportWarning(f"skipped page text {text_[:40]!r}", paragraph[0][0]))
                continue
            kept.append(paragraph)
        cards: list[Card] = []
        for index in range(0, len(kept) - 1, 2):
            front, back = kept[index], kept[index + 1]
            cards.append(Card(front=paragraph_text(front), back=paragraph_text(back), topic=""))
            if is_question(paragraph_text(back)) and not is_question(paragraph_text(front)):
                warnings.append(ImportWarning(
                    "the answer reads like a question: check that fronts and backs still "
                    "alternate here", line=back[0][0], confidence=0.5,
                ))
        if len(kept) % 2:
            last = kept[-1]
            warnings.append(ImportWarning(
                f"{paragraph_text(last)[:50]!r} has no answer after it; skipped", last[0][0]
            ))
        if widgets:
            warnings.append(ImportWarning(f"skipped {widgets} rating widgets"))
        assign_topics(cards, title)
        if not cards:
            warnings.append(ImportWarning("no front/back paragraphs found"))
        return ImportResult(cards=cards, format=self.name, title=title, warnings=warnings)

    @staticmethod
    def _split_header(
        paragraphs: list[Paragraph], warnings: list[ImportWarning]
    ) -> tuple[str, list[Paragraph]]:
        """The title and the card paragraphs after the page's advertising."""
        head = paragraphs[:HEADER_PARAGRAPHS]
        chrome = [
            i for i, p in enumerate(head) if len(p) <= 2 and is_header_chrome(paragraph_text(p))
        ]
        for index in chrome:
            warnings.append(ImportWarning(
                f"skipped page text {paragraph_text(paragraphs[index])[:40]!r}",
                paragraphs[index][0][0],
            ))
        rest = [p for i, p in enumerate(paragraphs) if i not in chrome]
        if not rest:
            return "", []
        first = paragraph_text(rest[0])
        titled = len(rest) % 2 == 1 or bool(chrome and chrome[0] <= 1)
        if is_question(first) or asks(first) >= 2.5 and len(rest) % 2 == 0:
            titled = False
        if titled and len(rest[0]) == 1:
            return " ".join(first.split()), rest[1:]
        return "", rest
