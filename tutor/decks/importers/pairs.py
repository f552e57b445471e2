"""Term/definition lines with a separator other than a tab: Quizlet's export with a
custom separator ("Between term and definition: Custom").

    el perro - the dog
    la casa - the house
    photosynthesis - how plants make sugar
    from light, water and CO2                <- no separator: more of the definition above

Each line holding the separator is a card, split at the first separator (a
definition may hold it again; a term cannot). A line without it continues the
definition above (Quizlet does not quote multi-line definitions), reported as a
warning; a first line without it is the deck's title.

Which separator: the one given (``tutor import --separator``), else the candidate of
`SEPARATORS` that most lines hold. `sniff` is sure only when nearly every line holds
it (`SURE_SHARE`); `unsure_hint` is the one-line warning for text another format took
although many lines hold one (`HINT_SHARE`), naming the option that sets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutor.decks.importers.base import ImportResult, ImportWarning
from tutor.decks.importers.delimited import SEPARATOR_NAMES
from tutor.decks.model import Card
from tutor.decks.topics import assign_topics

#: Separators looked for, most specific first (a tie goes to the earlier one). Tab,
#: comma, semicolon and pipe are CSV/TSV (`tutor.decks.importers.delimited`).
SEPARATORS = (" - ", " – ", " — ", " = ", " : ", ": ", " -> ", " => ", " → ")
#: The share of lines holding a separator above which `sniff` is sure of it.
SURE_SHARE = 0.8
#: The share above which another format's reading gets `unsure_hint`'s warning.
HINT_SHARE = 0.4
#: Pairs whose distinct terms are no more than this share of them are labelled lines.
MIN_DISTINCT_TERMS = 0.5
#: Fewer lines than this holding the separator are no sign of it.
MIN_PAIRS = 2
#: The longest ``--separator``.
MAX_SEPARATOR = 10
#: Formats that read page text: when one of them reads a text, `unsure_hint` may add
#: its warning.
PAGE_FORMATS = frozenset({"brainscape", "quizwiz", "knowt", "lines"})
#: How much of a file `sniff` and `unsure_hint` look at.
SNIFF_CHARS = 64 * 1024


@dataclass
class SeparatorCount:
    """How many of a text's lines hold ``separator`` after a term."""

    separator: str
    pairs: int
    lines: int
    """Non-blank lines, not counting a first line without the separator (a title)."""
    terms: int
    """Distinct texts before the separator (case ignored)."""

    @property
    def share(self) -> float:
        """The share of lines that hold the separator; 0 for labelled lines, whose text
        before it repeats (``Q: …``/``A: …``, ``Term: …``/``Definition: …``): those are
        not terms (most terms of a list are different)."""
        if not self.lines or self.terms <= self.pairs * MIN_DISTINCT_TERMS:
            return 0.0
        return self.pairs / self.lines


def split_pair(line: str, separator: str) -> tuple[str, str] | None:
    """``(term, definition)`` when ``line`` holds ``separator`` after some text."""
    index = line.find(separator)
    if index <= 0 or not line[:index].strip() or line.lstrip().startswith("#"):
        return None
    return line[:index].strip(), line[index + len(separator):].strip()


def count_separator(text: str, separator: str) -> SeparatorCount:
    """`SeparatorCount` of ``separator`` in ``text`` (a first line without it is a title)."""
    lines = [line for line in _lines(text) if line.strip()]
    if lines and split_pair(lines[0], separator) is None:
        lines = lines[1:]
    terms = [pair[0].casefold() for line in lines if (pair := split_pair(line, separator))]
    return SeparatorCount(separator, len(terms), len(lines), len(set(terms)))


def best_separator(text: str) -> SeparatorCount | None:
    """The candidate separator most lines hold (None when none is held by `MIN_PAIRS`)."""
    sample = text[:SNIFF_CHARS]
    counts = [count_separator(sample, separator) for separator in SEPARATORS
              if separator in sample]
    counts = [count for count in counts if count.pairs >= MIN_PAIRS]
    return max(counts, key=lambda count: count.pairs, default=None)


def separator_option(separator: str) -> str:
    """``separator`` as it would be typed after ``--separator`` in a shell."""
    names = {value: name for name, value in SEPARATOR_NAMES.items()}
    return names.get(separator, "'" + separator + "'")


def unsure_hint(text: str) -> ImportWarning | None:
    """A warning for text read as another format although many of its lines hold one
    separator: it may be a term/definition list, and ``--separator`` reads it so."""
    found = best_separator(text)
    if found is None or found.share < HINT_SHARE:
        return None
    return ImportWarning(
        f"{found.pairs} of {found.lines} lines hold {found.separator!r}: if each is a term and"
        f" its definition (a Quizlet export), import with --separator"
        f" {separator_option(found.separator)}")


def parse_separator(value: str) -> str:
    """The separator ``--separator`` names: ``tab``, ``comma``, ``semicolon``, ``pipe``,
    ``colon``, ``space`` or the text itself (``\\t`` is a tab). Raises `ValueError`
    with a one-line reason for an empty, too long or multi-line one."""
    separator = SEPARATOR_NAMES.get(value.strip().lower(), value.replace("\\t", "\t"))
    if not separator:
        raise ValueError("give the text between a term and its definition, e.g. ' - ' or tab")
    if len(separator) > MAX_SEPARATOR:
        raise ValueError(f"at most {MAX_SEPARATOR} characters, not {len(separator)}")
    if any(ch in "\n\r" or (not ch.isprintable() and ch != "\t") for ch in separator):
        raise ValueError("a separator is printable text on one line (a tab is 'tab')")
    return separator


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")


class PairsImporter:
    """``term<SEP>definition`` lines (see the module docstring)."""

    name = "pairs"
    description = ("term<SEP>definition lines with a custom separator (' - ', ' = ', ': ' …),"
                   " as Quizlet exports them; --separator names it")

    def __init__(self, separator: str | None = None) -> None:
        self.separator = separator
        """The separator to split at; None: the one most lines hold."""

    def sniff(self, text: str) -> float:
        """High when nearly every line holds the same candidate separator."""
        found = best_separator(text)
        if found is None or found.share < SURE_SHARE:
            return 0.0
        return round(0.45 + 0.4 * found.share, 3)

    def parse(self, text: str) -> ImportResult:
        """Cards and warnings; never raises."""
        result = ImportResult(cards=[], format=self.name)
        separator = self.separator
        if separator is None:
            found = best_separator(text)
            separator = found.separator if found is not None else SEPARATORS[0]
        blanks = 0
        for number, line in enumerate(_lines(text), start=1):
            if not line.strip():
                blanks += 1
                continue
            pair = split_pair(line, separator)
            if pair is not None:
                result.cards.append(Card(front=pair[0], back=pair[1], topic=""))
                if not pair[1]:
                    result.warnings.append(ImportWarning("card has an empty back", line=number))
            elif result.cards:
                card = result.cards[-1]
                card.back = (card.back + "\n" * (blanks + 1) if card.back else "") + line.strip()
                result.warnings.append(ImportWarning(
                    f"line has no {separator!r}; added to the back of the card above",
                    line=number, confidence=0.6 if blanks == 0 else 0.4))
            elif not result.title and not result.warnings:
                result.title = " ".join(line.split())
            else:
                result.warnings.append(ImportWarning(
                    f"line has no {separator!r} and no card above it; skipped", line=number))
            blanks = 0
        if not result.cards:
            result.warnings.append(ImportWarning(
                f"no cards found: no line holds {separator!r} between a term and its definition"
                f" (set the separator with --separator)"))
        assign_topics(result.cards, result.title)
        return result
