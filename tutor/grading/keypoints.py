"""Splitting a reference answer into key points: lines, list items, sentences and clauses.

Parentheses either restate the point before them ("CNN (convolutional neural network)":
an alias that counts as the point) or add optional detail ("(e.g. flip or crop images)").
Words the question already gives away do not count towards a point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tutor.grading.text import Token, tokenize

_ABBREVIATIONS = (
    (re.compile(r"\be\.\s?g\.", re.I), "eg"),
    (re.compile(r"\bi\.\s?e\.", re.I), "ie"),
    (re.compile(r"\betc\.", re.I), "etc"),
    (re.compile(r"\bvs\.", re.I), "vs"),
    (re.compile(r"\bv\.(?=\s)", re.I), "v"),
    (re.compile(r"\bapprox\.", re.I), "approx"),
    (re.compile(r"\bcf\.", re.I), "cf"),
    (re.compile(r"\b(mr|mrs|ms|dr|st|no|fig|jr|sr)\.(?=\s)", re.I), r"\1"),
    (re.compile(r"(?<=\b[A-Z])\.(?=\s?[A-Z]\.)"), ""),
)
_OPTIONAL_LEAD = re.compile(
    r"^\s*(?:eg|e\.g|for example|for instance|such as|like|including|incl|also|plus|see|"
    r"especially|typically|usually|often|sometimes|optionally|as in|cf|note|etc)\b[\s,:]*", re.I
)
_OPTIONAL_TAIL = re.compile(r"[,;]?\s*\b(?:eg|for example|for instance|such as|including)\b", re.I)
_ALSO_TAIL = re.compile(r"^\s*(?:also|plus|and also|as well as)\b", re.I)
_LINE_SPLIT = re.compile(r"\s*\n+\s*|\s+(?=\d+[.)]\s)|(?:^|\s)[•*]\s+")
_SENTENCE_SPLIT = re.compile(r"(?<=[^\d\s])\.\s+|(?<=\d)\.\s+(?=[A-Za-z])|;\s*|\?\s+|!\s+|\s+[-\u2013\u2014]\s+")
_CLAUSE_SPLIT = re.compile(
    r",?\s+\b(?:because|so that|so|which means|which|while|whereas|but|though|although|"
    r"whilst|thereby|therefore|hence|thus|meaning)\b\s+",
    re.I,
)
_LIST_SPLIT = re.compile(r"\s*(?<!\d),\s*(?:and\s+|or\s+)?|\s*,(?!\d{3}\b)\s*(?:and\s+|or\s+)?"
                         r"|\s+(?:and|or|&)\s+", re.I)
_COMMA_SPLIT = re.compile(r"\s*(?<!\d),\s*(?:and\s+|or\s+)?|\s*,(?!\d{3}\b)\s*(?:and\s+|or\s+)?", re.I)
_PARENS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_NUMBERING = re.compile(r"^\s*(?:\d+[.)]|[a-z][.)]|[-*\u2022])\s+", re.I)


@dataclass
class KeyPoint:
    """One thing the reference says that an answer should cover."""

    text: str
    """The point as written in the reference (shown in feedback)."""
    tokens: list[Token]
    """Content tokens that must be matched (question words removed)."""
    alias: list[Token] = field(default_factory=list)
    """A restatement (from parentheses) that counts as the point too."""
    all_tokens: list[Token] = field(default_factory=list)
    """Every content token, question words included (for role and order checks)."""
    optional: bool = False
    """Examples and extras: they support an answer but are not required."""
    item: bool = False
    """A list item (the reference is an enumeration)."""
    sentence: int = 0


@dataclass
class ReferenceParse:
    """A reference split into key points."""

    points: list[KeyPoint]
    is_list: bool
    required_items: int | None = None
    """How many items the question asks for ('name three ...'), when it says."""

    @property
    def required(self) -> list[KeyPoint]:
        """Points an answer is expected to cover."""
        return [p for p in self.points if not p.optional and p.tokens]


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8}
_COUNT_ASK = re.compile(
    r"\b(?:name|list|give|state|identify|mention|cite|provide|describe)\s+(?:any\s+|at least\s+)?"
    r"(two|three|four|five|six|seven|eight|[2-8])\b|\b(two|three|four|five|six|[2-6])\s+"
    r"(?:examples|reasons|ways|types|kinds|advantages|disadvantages|causes|effects|features|"
    r"properties|functions|uses|symptoms|signs|factors|benefits)\b",
    re.I,
)


def _protect(text: str) -> str:
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return text


def asked_count(question: str) -> int | None:
    """The number of items a question asks for ('Name three ...' -> 3), if any."""
    match = _COUNT_ASK.search(question)
    if not match:
        return None
    word = (match.group(1) or match.group(2) or "").lower()
    return _COUNT_WORDS.get(word)


def _content(text: str) -> list[Token]:
    return [t for t in tokenize(text) if t.content]


def _segments_with_parens(line: str) -> tuple[str, list[str]]:
    """The line with parentheses replaced by markers, and their contents."""
    contents: list[str] = []

    def keep(match: re.Match[str]) -> str:
        contents.append(match.group(1) if match.group(1) is not None else match.group(2))
        return f" \x01{len(contents) - 1}\x01 "

    for _level in range(_PAREN_DEPTH):  # innermost first; deeper nesting stays as text
        marked = _PARENS.sub(keep, line)
        if marked == line:
            break
        line = marked
    return line, contents


#: How deeply nested parentheses are taken apart (each level is one pass over the line).
_PAREN_DEPTH = 8


_MARKER = re.compile(r"\x01(\d+)\x01")


def _expand(text: str, contents: list[str]) -> str:
    """Put parenthesised text back (for display)."""
    return re.sub(r"\s+", " ", _MARKER.sub(lambda m: f"({contents[int(m.group(1))]})", text)).strip()


def _strip_markers(text: str) -> tuple[str, list[str]]:
    found = [int(m.group(1)) for m in _MARKER.finditer(text)]
    return _MARKER.sub(" ", text), [str(i) for i in found]


_VERBISH = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "may",
     "might", "must", "should", "does", "do", "did", "be", "been", "being"}
)
_FIRST_ITEM = re.compile(r"(?:^|\s)1[.)]\s")
_SECOND_ITEM = re.compile(r"\s2[.)]\s")


def _enumerated(text: str) -> bool:
    """A numbered list: '1.' (or '1)') and later '2.' (found in linear time)."""
    first = _FIRST_ITEM.search(text)
    return first is not None and _SECOND_ITEM.search(text, first.end()) is not None


def _looks_like_list(parts: list[str], joined_by_and: bool) -> bool:
    """Short parallel parts (a list of items) rather than clauses of a sentence."""
    if len(parts) < 2:
        return False
    words = [tokenize(_MARKER.sub(" ", p)) for p in parts]
    sizes = [sum(1 for t in ws if t.content) for ws in words]
    if not all(sizes) or any(t.text in _VERBISH for ws in words for t in ws):
        return False
    if len(parts) >= 3:
        average = sum(sizes) / len(sizes)
        return average <= 2.5 or (average <= 3.5 and max(sizes) <= 5)
    if joined_by_and:
        return all(2 <= size <= 3 for size in sizes)
    return max(sizes) <= 3


def _choice_keys(question: str) -> set[str]:
    """Words offered as options in the question ('more or less', 'POST or PUT'): never 'given'."""
    keys: set[str] = set()
    for match in re.finditer(r"([\w-]+)\s*,?\s+or\s+([\w-]+)", question.lower()):
        for word in match.groups():
            keys.update(t.key for t in tokenize(word) if t.content)
    return keys


@lru_cache(maxsize=1024)
def parse_reference(reference: str, question: str = "") -> ReferenceParse:
    """Split ``reference`` into key points; words the ``question`` gives are not required.

    Results are cached (a card is graded many times): treat them as read-only.
    """
    question_keys = {t.key for t in tokenize(question) if t.content and t.number is None}
    question_keys -= _choice_keys(question)
    text = _protect(reference.strip())
    enumerated = _enumerated(text)
    raw_points: list[tuple[str, list[str], bool, bool, int]] = []  # text, parens, optional, item, sentence
    sentence_no = 0
    examples_only = False
    lines = _LINE_SPLIT.split(text) if enumerated else re.split(r"\s*\n+\s*|(?:^|\s)[\u2022*]\s+", text)
    for line in lines:
        line = (_NUMBERING.sub("", line) if enumerated else line).strip()
        if not line:
            continue
        marked, contents = _segments_with_parens(line)
        for sentence in _SENTENCE_SPLIT.split(marked):
            sentence = sentence.strip(" .,:")
            if not _MARKER.sub("", sentence).strip(" .,:"):
                for index in (int(m.group(1)) for m in _MARKER.finditer(sentence)):
                    raw_points.append((contents[index], [], False, False, sentence_no))
                continue
            lead = _OPTIONAL_LEAD.match(_MARKER.sub("", sentence))
            optional_sentence = bool(lead) and sentence_no > 0
            if lead and sentence_no == 0 and re.match(r"^\s*(?:eg|for example|such as|e\.g)\b", sentence, re.I):
                sentence = _OPTIONAL_LEAD.sub("", sentence, count=1)
                examples_only = True
            optional_tail = ""
            cut = _OPTIONAL_TAIL.search(sentence)
            if cut and cut.start() > 0:
                sentence, optional_tail = sentence[: cut.start()], sentence[cut.end():]
            for piece in _split_label(sentence, question_keys):
                clauses = [c for c in _CLAUSE_SPLIT.split(piece) if _MARKER.sub("", c).strip(" .,:")]
                for clause in clauses:
                    comma_parts = [p for p in _COMMA_SPLIT.split(clause)
                                   if _MARKER.sub("", p).strip(" .,:")]
                    parts = [p for p in _LIST_SPLIT.split(clause) if _MARKER.sub("", p).strip(" .,:")]
                    if len(comma_parts) == 1 and len(parts) == 2:
                        and_only = bool(re.search(r"\s(?:and|&)\s", clause))
                        is_items = _looks_like_list(parts, and_only)
                    else:
                        is_items = _looks_like_list(parts, False) if len(comma_parts) >= 2 else False
                    if is_items:
                        for part in parts:
                            raw_points.append((part, contents, optional_sentence, True, sentence_no))
                        continue
                    for part in _merge_tiny(comma_parts):
                        raw_points.append((part, contents, optional_sentence, False, sentence_no))
            if optional_tail.strip():
                for part in _LIST_SPLIT.split(optional_tail):
                    if part.strip(" .,:"):
                        raw_points.append((part, contents, True, True, sentence_no))
            sentence_no += 1
    points: list[KeyPoint] = []
    for raw_text, contents, optional, item, sentence in raw_points:
        base, markers = _strip_markers(raw_text)
        display = _expand(raw_text, contents) if contents else raw_text.strip()
        alias_tokens: list[Token] = []
        extras: list[KeyPoint] = []
        for marker in markers:
            inner = contents[int(marker)] if contents else ""
            if _OPTIONAL_LEAD.match(inner) or _ALSO_TAIL.match(inner):
                inner = _OPTIONAL_LEAD.sub("", inner)
                for part in _LIST_SPLIT.split(inner):
                    if part.strip(" .,:"):
                        tokens = _content(part)
                        extras.append(KeyPoint(part.strip(), tokens, [], tokens, True, True, sentence))
            else:
                alias_tokens.extend(_content(inner))
        all_tokens = _content(base)
        if not all_tokens:
            all_tokens = [t for t in tokenize(base)]
        required = [t for t in all_tokens if t.key not in question_keys]
        alias = [t for t in alias_tokens if t.key not in question_keys]
        if not required and alias:
            required, alias = alias, []
        points.append(KeyPoint(display, required, alias, all_tokens + alias_tokens, optional, item, sentence))
        points.extend(extras)
    points = [p for p in points if p.all_tokens]
    items = [p for p in points if p.item and not p.optional and p.tokens]
    required_points = [p for p in points if not p.optional and p.tokens]
    is_list = len(items) >= 2 and len(items) >= 0.6 * len(required_points)
    count = asked_count(question)
    if count is None and examples_only and is_list:
        count = 1
    return ReferenceParse(points, is_list, count)


def _split_label(sentence: str, question_keys: set[str]) -> list[str]:
    """'House: by population' stays whole (the label names a role the question asks about);
    'Less accurate: the error grows' splits into the verdict and its reason."""
    if ":" not in sentence:
        return [sentence]
    label, rest = sentence.split(":", 1)
    label_tokens = _content(_MARKER.sub(" ", label))
    if not rest.strip() or not label_tokens:
        return [sentence.replace(":", " ")]
    if len(label_tokens) <= 4 and all(t.key in question_keys for t in label_tokens):
        return [sentence.replace(":", " ", 1)]
    return [label, rest]


def _merge_tiny(parts: list[str]) -> list[str]:
    """Glue one-word fragments to their neighbour (a comma inside a phrase, not a new point)."""
    merged: list[str] = []
    for part in parts:
        if merged and len(_content(_MARKER.sub(" ", part))) <= 1 and not _MARKER.search(part):
            merged[-1] = f"{merged[-1]}, {part}"
        else:
            merged.append(part)
    if len(merged) >= 2 and len(_content(_MARKER.sub(" ", merged[0]))) <= 1 and not _MARKER.search(merged[0]):
        merged[1] = f"{merged[0]}, {merged[1]}"
        merged.pop(0)
    return merged
