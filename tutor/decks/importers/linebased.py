"""Plain line-based decks: a title line, then a front line followed by one or more back lines.

Nothing marks where a card ends, so `boundaries.segment_lines` scores every line and
the unsure splits come back as warnings. Blank lines are optional; where they occur
they are taken as a hint that a new card starts.
"""

from __future__ import annotations

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.importers.boundaries import (
    BoundaryProfile,
    asks,
    is_list_item,
    is_question,
    segment_lines,
    to_source_lines,
    words_of,
)
from tutor.decks.importers.pagenoise import (
    NumberedLine,
    drop_rating_widgets,
    is_body_noise,
    is_header_chrome,
    numbered_lines,
    strip_footer,
)
from tutor.decks.model import Card
from tutor.decks.topics import assign_topics

TITLE_WORDS = ("flashcards", "flash cards", "deck", "quiz", "notes", "study set", "revision")


def looks_like_title(text: str, following: list[NumberedLine]) -> bool:
    """The first line names the deck rather than asking the first question."""
    stripped = text.strip()
    lowered = stripped.lower()
    if any(word in lowered for word in TITLE_WORDS):
        return True
    if is_question(stripped) or asks(stripped) >= 1.5 or is_list_item(stripped):
        return False
    if len(words_of(stripped)) > 12 or stripped.endswith((".", ":", ",")):
        return False
    return len([1 for _n, line in following if line.strip()]) >= 2


def split_title(lines: list[NumberedLine]) -> tuple[str, list[NumberedLine]]:
    """``(title, rest)``: page chrome above the first line is dropped, the title taken off."""
    index = 0
    while index < len(lines) and (not lines[index][1].strip() or is_header_chrome(lines[index][1])):
        index += 1
    if index >= len(lines):
        return "", []
    text = lines[index][1]
    rest = lines[index + 1:]
    if looks_like_title(text, rest):
        return " ".join(text.split()), rest
    return "", lines[index:]


def clean_body(lines: list[NumberedLine]) -> tuple[list[NumberedLine], list[ImportWarning]]:
    """Drop rating widgets, page footers and other page furniture; say what went."""
    warnings: list[ImportWarning] = []
    lines, widgets = drop_rating_widgets(lines)
    lines, footer = strip_footer(lines)
    if footer:
        warnings.append(ImportWarning(f"skipped a page footer of {footer} lines (related sets)"))
    if widgets:
        warnings.append(ImportWarning(f"skipped {widgets} rating widgets"))
    kept: list[NumberedLine] = []
    for number, text in lines:
        if text.strip() and is_body_noise(text):
            warnings.append(ImportWarning(f"skipped page text {text.strip()[:40]!r}", line=number))
            continue
        kept.append((number, text))
    return kept, warnings


def cards_from_lines(
    lines: list[NumberedLine], profile: BoundaryProfile, title: str, format_name: str
) -> ImportResult:
    """Segment cleaned lines into cards, give them topics, and collect every warning."""
    source = to_source_lines(lines)
    segmentation = segment_lines(source, profile)
    cards: list[Card] = []
    warnings = list(segmentation.warnings)
    for found in segmentation.cards:
        front, back = found.front_text, found.back_text
        if not back:
            warnings.append(ImportWarning(
                f"{front[:50]!r} has no answer after it; skipped", line=found.front[0].number
            ))
            continue
        cards.append(Card(front=front, back=back))
    assign_topics(cards, title)
    warnings.sort(key=lambda w: (w.line or 0))
    return ImportResult(cards=cards, format=format_name, title=title, warnings=warnings)


class LineBasedImporter:
    """Title line, then each card as a front line and one or more back lines (no delimiter)."""

    name = "lines"
    description = "plain text: a title line, then a front line followed by its back lines"
    profile = BoundaryProfile(name="lines")

    def sniff(self, text: str) -> float:
        """Any text of a few short lines can be line-based; questions make it likelier."""
        try:
            lines = [line.strip() for line in text.replace("\r", "\n").split("\n")[:400]]
        except Exception:  # noqa: BLE001 - sniffing never fails
            return 0.0
        filled = [line for line in lines if line]
        if len(filled) < 3:
            return 0.0
        blank_share = sum(1 for line in lines if not line) / max(1, len(filled))
        long_share = sum(1 for line in filled if len(line) > 400) / len(filled)
        if long_share > 0.3:
            return 0.0
        prompts = sum(1 for line in filled if is_question(line) or asks(line) >= 1.5)
        score = 0.25 + min(0.2, prompts / len(filled))
        if blank_share > 0.6:
            score -= 0.1
        if "\t" in text[:4000]:
            score -= 0.1
        return max(0.0, round(score, 3))

    def parse(self, text: str) -> ImportResult:
        """Cards with unsure boundaries as warnings; never raises."""
        title, rest = split_title(numbered_lines(text))
        body, warnings = clean_body(rest)
        result = cards_from_lines(body, self.profile, title, self.name)
        result.warnings = warnings + result.warnings
        if not result.cards:
            result.warnings.append(ImportWarning("no cards found"))
        return result
