"""Page noise that flashcard sites put around the cards when a page is copied as text.

Rating widgets, "View Set" footers, "Related study sets" headings, table headers,
page counters and empty-state messages are never card text. Each helper here works
on stripped lines and is shared by the scraped-page importers.
"""

from __future__ import annotations

import re

#: Footer headings after which a page lists other sets (English and the languages
#: Quizlet-style sites are served in).
RELATED_SETS_HEADINGS = re.compile(
    r"^(related (study )?sets|related flashcard sets|students also (viewed|studied)"
    r"|sets found in the same folder|other sets by this creator|flashcard sets|"
    r"ensembles d'[ée]tudes connexes|ensembles connexes|conjuntos de estudio relacionados"
    r"|conjuntos de estudo relacionados|verwandte lernsets|ähnliche lernsets"
    r"|insiemi di studio correlati|set di studio correlati|gerelateerde studiesets"
    r"|powiązane zestawy( do nauki)?|recommended (textbook solutions|study sets)"
    r"|more (study sets|flashcards) like this|similar (study )?sets)\s*:?$",
    re.IGNORECASE,
)
VIEW_SET = re.compile(
    r"^(view set|voir (l'ensemble|le set)|ver (conjunto|set)|set ansehen|visualizza set"
    r"|bekijk set|zobacz zestaw|view flashcards|see set)$",
    re.IGNORECASE,
)
#: Advertising and call-to-action lines of Quizlet-style pages.
SITE_NAMES = re.compile(r"\b(quizwiz|quizlet|brainscape|knowt|studocu|cram\.com)\b", re.IGNORECASE)
CALL_TO_ACTION = re.compile(
    r"^(sign up|log in|create a free account|try it free|start studying|study with|"
    r"flip|flashcards|learn|test|match|share|save|print|terms in this set( \(\d+\))?|"
    r"created by.*|updated .* ago|studied by \d+ (people|students)|preview|"
    r"click (the )?card to flip|tap (the )?card to flip)$",
    re.IGNORECASE,
)

RATING_PROMPT = re.compile(r"^how well did you know this\??$", re.IGNORECASE)
RATING_PARTS = re.compile(r"^([1-5]|not at all|perfectly)$", re.IGNORECASE)

PAGE_COUNTER = re.compile(r"^(\d{1,5})\s*/\s*(\d{1,5})$")
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
TABLE_ROW = re.compile(r"^\|?[^|]+(\|[^|]*){2,}\|?$")
EMPTY_STATES = re.compile(
    r"^(no study sessions yet\.?|looks like no tags are added yet\.?|no tags yet\.?|"
    r"no cards yet\.?|no description( yet)?\.?|no ratings yet\.?|not studied yet\.?|"
    r"you haven't studied (this|these) (set|cards) yet\.?)$",
    re.IGNORECASE,
)
#: Study-mode names that label Knowt's page tables and tab bars.
STUDY_MODES = {
    "name", "mastery", "learn", "test", "matching", "spaced", "spaced repetition",
    "call with kai", "practice test", "flashcards", "match", "study", "review",
    "terms", "definitions", "term", "definition", "status", "progress",
}


def is_rating_part(line: str) -> bool:
    """A line of the rating widget below the prompt: a digit 1-5, 'Not at all' or 'Perfectly'."""
    return bool(RATING_PARTS.match(line.strip()))


def is_table_chrome(line: str) -> bool:
    """A table separator row, or a table header row made of study-mode names."""
    stripped = line.strip()
    if TABLE_SEPARATOR.match(stripped) and "-" in stripped:
        return True
    if "|" not in stripped or not TABLE_ROW.match(stripped):
        return False
    cells = [cell.strip().lower() for cell in stripped.strip("|").split("|") if cell.strip()]
    return bool(cells) and sum(cell in STUDY_MODES for cell in cells) >= max(2, len(cells) // 2)


def is_header_chrome(line: str) -> bool:
    """Advertising, call-to-action, counter or empty-state text around a page's cards.

    Only for lines before the first card or after the last: words such as 'Test'
    or 'Learn' are page buttons there but can be answers inside the cards.
    """
    stripped = line.strip()
    if not stripped:
        return False
    if is_body_noise(stripped) or CALL_TO_ACTION.match(stripped) or page_counter(stripped):
        return True
    return bool(SITE_NAMES.search(stripped)) and len(stripped.split()) <= 16


def is_body_noise(line: str) -> bool:
    """Page furniture that is never card text, wherever it appears."""
    stripped = line.strip()
    return bool(
        EMPTY_STATES.match(stripped)
        or RATING_PROMPT.match(stripped)
        or VIEW_SET.match(stripped)
        or RELATED_SETS_HEADINGS.match(stripped)
        or is_table_chrome(stripped)
    )


def page_counter(line: str) -> tuple[int, int] | None:
    """``(k, n)`` for a counter line like ``1/50`` (k <= n), else None."""
    match = PAGE_COUNTER.match(line.strip())
    if not match:
        return None
    k, n = int(match.group(1)), int(match.group(2))
    return (k, n) if 0 < k <= n else None


__all__ = [
    "RATING_PROMPT",
    "RELATED_SETS_HEADINGS",
    "VIEW_SET",
    "is_body_noise",
    "is_header_chrome",
    "is_rating_part",
    "is_table_chrome",
    "page_counter",
]


NumberedLine = tuple[int, str]
"""A source line with its 1-based line number."""


def numbered_lines(text: str) -> list[NumberedLine]:
    """The text's lines with their 1-based numbers (any line ending accepted)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return [(number, line.rstrip()) for number, line in enumerate(text.split("\n"), start=1)]


def drop_rating_widgets(lines: list[NumberedLine]) -> tuple[list[NumberedLine], int]:
    """Remove every 'How well did you know this? 1 ... 5 Perfectly' widget; return how many.

    After the prompt, the digits 1-5 (in order) and the labels 'Not at all' and
    'Perfectly' are consumed; a digit out of sequence (the next card's number) is not.
    """
    kept: list[NumberedLine] = []
    removed = 0
    index = 0
    while index < len(lines):
        number, text = lines[index]
        index += 1
        if not RATING_PROMPT.match(text.strip()):
            kept.append((number, text))
            continue
        removed += 1
        index = skip_rating_widget(lines, index)
    return kept, removed


def skip_rating_widget(lines: list[NumberedLine], index: int) -> int:
    """Index after a rating widget's '1 Not at all 2 3 4 5 Perfectly' lines from ``index``
    (just after its prompt): the digits 1-5 in order and the labels; a digit out of
    sequence (the next card's number) is not part of it."""
    expected = 1
    while index < len(lines):
        candidate = lines[index][1].strip()
        if not candidate:
            index += 1
            continue
        if candidate.isdecimal():  # not isdigit: int("²") fails
            if int(candidate) != expected or expected > 5:
                return index
            expected += 1
        elif not is_rating_part(candidate):
            return index
        index += 1
        if candidate.lower() == "perfectly":
            return index
    return index


def strip_footer(lines: list[NumberedLine]) -> tuple[list[NumberedLine], int]:
    """Cut a 'Related study sets' footer (and trailing 'View Set' lists); return lines cut."""
    cut = len(lines)
    for index in range(len(lines) // 2, len(lines)):
        if RELATED_SETS_HEADINGS.match(lines[index][1].strip()):
            cut = index
            break
    filled = [index for index in range(cut) if lines[index][1].strip()]
    k = len(filled) - 1
    while k >= 1 and VIEW_SET.match(lines[filled[k]][1].strip()):
        k -= 2
    if k + 1 < len(filled):
        cut = filled[k + 1]
    removed = sum(1 for _n, text in lines[cut:] if text.strip())
    return lines[:cut], removed
