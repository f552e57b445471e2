"""Knowt exports: a page header, then line-based cards.

The header holds a card counter (``1/50``), the tags line ("Looks like no tags are
added yet." when there are none), the study-mode table header (``Name | Mastery |
Learn | ...`` and ``|---|``) and "No study sessions yet."; none of it is card text.
The cards follow as in the line-based format: a front line, then one or more back
lines. Knowt decks are often written in lower case, so capitalisation is not taken
as a sign of a front there; a blank line (Knowt leaves one after some backs) is.
"""

from __future__ import annotations

import re

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.importers.boundaries import BoundaryProfile
from tutor.decks.importers.linebased import cards_from_lines, clean_body
from tutor.decks.importers.pagenoise import (
    EMPTY_STATES,
    NumberedLine,
    is_table_chrome,
    numbered_lines,
    page_counter,
)

#: How far into the text the page header can reach (non-blank lines).
HEADER_SPAN = 12
_TAG_SPLIT = re.compile(r"\s*(?:,|#|;|\s{2,}|\t)\s*")
_KNOWT_MARKERS = (
    re.compile(r"^\d{1,5}\s*/\s*\d{1,5}$"),
    re.compile(r"^looks like no tags are added yet\.?$", re.IGNORECASE),
    re.compile(r"^\|?\s*name\s*\|\s*mastery\s*\|", re.IGNORECASE),
    # The table's rule row ``|---|``: with a pipe, as a bare ``---`` is Markdown's rule.
    re.compile(r"^(?=.*\|)\|?\s*-{3,}\s*\|?$"),
    re.compile(r"^no study sessions yet\.?$", re.IGNORECASE),
    re.compile(r"call with kai", re.IGNORECASE),
    re.compile(r"\bknowt\b", re.IGNORECASE),
)


def is_knowt_chrome(text: str) -> bool:
    """A line of Knowt's page header."""
    stripped = text.strip()
    return bool(
        page_counter(stripped)
        or is_table_chrome(stripped)
        or EMPTY_STATES.match(stripped)
        or any(marker.search(stripped) for marker in _KNOWT_MARKERS)
    )


def split_header(lines: list[NumberedLine]) -> tuple[str, list[str], list[NumberedLine], int]:
    """``(title, tags, body, header lines dropped)`` of a Knowt page."""
    filled = [index for index, (_n, text) in enumerate(lines) if text.strip()]
    window: list[int] = []
    chrome: list[int] = []
    run = 0  # consecutive non-chrome lines: two in a row are cards, not header
    for index in filled[:HEADER_SPAN]:
        if is_knowt_chrome(lines[index][1]):
            chrome.append(index)
            run = 0
        else:
            run += 1
            if run >= 2 and chrome:
                break
        window.append(index)
    if not chrome:
        return "", [], lines, 0
    end = chrome[-1]
    counter_at = next((i for i in chrome if page_counter(lines[i][1])), None)
    title, tags = "", []
    for index in window:
        if index > end:
            break
        text = lines[index][1].strip()
        if index in chrome:
            continue
        if counter_at is not None and index > counter_at:
            tags += [tag for tag in _TAG_SPLIT.split(text.lstrip("#")) if tag]
        elif not title:
            title = " ".join(text.split())
    dropped = sum(1 for index in filled if index <= end)
    return title, tags, lines[end + 1:], dropped


def drop_counters(lines: list[NumberedLine], total: int | None) -> list[NumberedLine]:
    """Remove repeated page counters (``2/50``) of the same deck inside the body."""
    if total is None:
        return lines
    kept = []
    for number, text in lines:
        counter = page_counter(text)
        if counter and counter[1] == total:
            continue
        kept.append((number, text))
    return kept


class KnowtImporter:
    """Knowt flashcard export: page header, then line-based cards."""

    name = "knowt"
    description = "Knowt export: '1/50' counter, tags line, study table header, then cards"
    profile = BoundaryProfile(name="knowt", blank_before=3.0)

    def sniff(self, text: str) -> float:
        """High when Knowt's page header is there."""
        head = [line.strip() for line in text[:5000].split("\n") if line.strip()][:HEADER_SPAN]
        hits = {
            index for index, marker in enumerate(_KNOWT_MARKERS)
            for line in head if marker.search(line)
        }
        if not hits:
            return 0.0
        if hits == {0}:
            return 0.3
        return min(0.97, 0.55 + 0.15 * len(hits))

    def parse(self, text: str) -> ImportResult:
        """Cards with unsure boundaries as warnings; never raises."""
        lines = numbered_lines(text)
        title, tags, body, _dropped = split_header(lines)
        totals = [counter for _n, t in lines[:40] if (counter := page_counter(t))]
        body = drop_counters(body, totals[0][1] if totals else None)
        body, warnings = clean_body(body)
        result = cards_from_lines(body, self.profile, title, self.name)
        for card in result.cards:
            card.tags = list(tags)
        result.warnings = warnings + result.warnings
        if not result.cards:
            result.warnings.append(ImportWarning("no cards found after the Knowt page header"))
        return result
