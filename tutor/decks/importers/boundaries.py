"""Card boundaries in line-based text, where nothing marks where one card ends.

The line-based and Knowt importers see a list of lines: a front line, then one or
more back lines, then the next front. Every line gets a *front score*: log-odds that
it starts a new card, summed from features of the line (question mark, question
word, length, list-item shape, capitalisation, colon ending, formula), of the line
before (blank, bullet, unfinished sentence, formula), of the line after (a definition
that repeats the line, a digit variant of it) and, in a second pass, of the card the
line would otherwise belong to (a front that asks for a list, a repeat of an earlier
front, a repeat of an item in the current answer, the answer's own sub-heading
pattern; re-scored until the split settles). A two-state chain (front / back; a
front is always followed by at least one back line) turns the scores into the
probability of each decision (forward-backward); a line starts a card when that is
more likely than not. Decisions less sure than the profile's threshold come back as
`ImportWarning`s with line numbers and confidence, so a learner can check exactly
those places. A deck of nothing but short bare terms (vocabulary) has no evidence
to weigh: its lines are read as strict front/back pairs, with one warning saying so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tutor.decks.importers.base import ImportWarning

QUESTION_WORDS = frozenset(
    "what what's whats how how's why when where which who who's whom whose".split()
)
AUX_WORDS = frozenset(
    "is are was were do does did can could should would will has have had may might must"
    " shall isn't aren't don't doesn't can't".split()
)
PROMPT_VERBS = frozenset(
    "explain describe define name list give state compare contrast outline identify discuss"
    " distinguish summarize summarise calculate derive prove translate conjugate label"
    " illustrate evaluate justify differentiate".split()
)
PROMPT_PHRASE = re.compile(
    r"^(diff(erence|erences)? (between|of)|(dis)?advantages of|pros (and cons )?of|cons of"
    r"|(types|kinds|examples|purpose|role|function|meaning|definition|uses|causes|effects"
    r"|features|characteristics) of)\b",
    re.IGNORECASE,
)
CONTINUATION_WORDS = frozenset(
    "e.g. e.g eg i.e. i.e ie aka a.k.a. ps p.s. note nb n.b. also and or but so then thus hence"
    " therefore whereas because since it its it's they their this these those such here like"
    " unlike plus except otherwise whereby meaning another vs".split()
)
LIST_PROMPT = re.compile(
    r"\b(types|kinds|examples|steps|stages|phases|components|parts|elements|layers|methods"
    r"|techniques|ways|advantages|disadvantages|pros|cons|benefits|drawbacks|features"
    r"|properties|characteristics|causes|effects|symptoms|uses|applications|domains"
    r"|functions|factors|categories|classes|forms|principles|rules|reasons|options|things"
    r"|list|name|some|two|three|four|five|six|several|topologies|architectures|members"
    r"|areas|fields|tools|libraries|operations)\b",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*([-–—•*·▪◦‣○●►✓✔]+)\s*(?=\S)")
NUMBERED = re.compile(r"^\s*(\(?\d{1,2}[.)]|\(?[a-hA-H][.)]|[ivx]{1,4}[.)])\s+\S")
TERM_DEFINITION = re.compile(r"^[^:?]{1,40}:\s+\S")
#: Signs of a formula or code (``x = 1``, ``a^2``, ``2 * n``); `looks_like_formula` adds calls.
FORMULA = re.compile(r"[=^]|[*/+]\s*\w")
_CALL = re.compile(r"\w\(")
UNFINISHED_END = re.compile(
    r"([,;:(&+/\-–—]|\b(and|or|the|a|an|of|to|with|for|in|on|by|as|is|are|from|that|like"
    r"|such as|e\.g\.?|eg|i\.e\.?|ie|aka|incl\.?|including))$",
    re.IGNORECASE,
)
EMBEDDED_QUESTION = re.compile(
    r"\b(what|how many|how much|why)\s+(is|are|was|were|do|does|did"
    r"|should|would|can|could|will)\b",
    re.IGNORECASE,
)
DEFINING_VERBS = frozenset(
    "contains contain requires require produces produce allows allow helps help makes make uses"
    " use causes cause prevents prevent reduces reduce increases increase provides provide"
    " converts convert stores store carries carry transports transport controls control"
    " regulates regulate breaks break speeds speed measures measured used found made known"
    " called involves involve includes include refers refer describes describe occurs occur"
    " represents represent creates create protects protect moves move connects connect"
    " separates separate absorbs absorb releases release consists consist means mean"
    " gives give shows show takes take forms form acts act works work depends depend".split()
)
"""Verbs that open a definition ('Contains the genetic material', 'Requires ATP')."""
DECLARATIVE_VERBS = frozenset(
    "is are was were has have had helps help uses use means makes make can will should"
    " would could does do gives allows causes becomes contains".split()
)
#: ``(DNA)``, ``(GPUs)``: an abbreviation in brackets; see `has_abbreviated_term`.
ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z0-9-]*[A-Z0-9]s?)\)")
_THREE_LETTERS = re.compile(r"[A-Za-z]{3}")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9][\w'’.-]*")
_PARENTHETICAL = re.compile(r"\([^)]*\)")


#: Rounds of re-scoring with the card context from the previous split.
CONTEXT_ROUNDS = 6
#: How many lines of the current answer the context features look back over.
CONTEXT_LINES = 40


@dataclass(frozen=True)
class SourceLine:
    """One non-blank source line: 1-based number, text without trailing space."""

    number: int
    text: str
    blank_before: bool = False

    @property
    def stripped(self) -> str:
        """The text without surrounding whitespace."""
        return self.text.strip()


@dataclass
class LineCard:
    """A card found in line-based text, with the probability that its first line starts it."""

    front: list[SourceLine]
    back: list[SourceLine]
    confidence: float = 1.0

    @property
    def front_text(self) -> str:
        """The front, one source line per line."""
        return join_lines(self.front)

    @property
    def back_text(self) -> str:
        """The back; a blank source line inside it is kept as one blank line."""
        return join_lines(self.back)


@dataclass(frozen=True)
class BoundaryProfile:
    """Weights that differ between line-based formats."""

    name: str = "line-based"
    prior: float = -0.9
    """Front log-odds of a line with no evidence either way."""
    blank_before: float = 2.5
    """Bonus for a line after a blank line (when blank lines are rare in the deck)."""
    lowercase_fronts: bool | None = None
    """True: fronts are written in lower case (Knowt); None: infer from the deck."""
    unsure_below: float = 0.75
    """Decisions with a probability below this are reported as warnings."""


@dataclass
class DeckStyle:
    """What the deck as a whole looks like (from its lines, and from the first split)."""

    lowercase_fronts: bool = False
    blank_lines_rare: bool = True
    """Blank lines mark some boundaries, rather than separating nearly every line."""
    single_bullet_cards: bool = False
    """Many cards are a heading and one bullet: such pairs are cards, not sub-headings."""
    question_fronts: bool = False
    """Nearly every front is a question (wh-word or '?'): other lines rarely start cards."""
    same_text: dict[str, list[int]] = field(default_factory=dict)
    """Normalised line text -> indices of the lines that read so (to spot repeats)."""


@dataclass
class Segmentation:
    """The cards found and the unsure boundaries."""

    cards: list[LineCard] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    probabilities: list[float] = field(default_factory=list)
    """P(line starts a card) for each input line, in order."""


def join_lines(lines: Sequence[SourceLine]) -> str:
    """Source lines as text; a blank line in the source between two of them is kept."""
    out: list[str] = []
    for index, line in enumerate(lines):
        if index and line.blank_before:
            out.append("")
        out.append(line.stripped)
    return "\n".join(out)


def to_source_lines(lines: Sequence[tuple[int, str]]) -> list[SourceLine]:
    """Non-blank ``(number, text)`` lines as `SourceLine`s, noting blank lines before each."""
    result: list[SourceLine] = []
    blank = False
    for number, text in lines:
        if not text.strip():
            blank = bool(result)
            continue
        result.append(SourceLine(number, text.rstrip(), blank))
        blank = False
    return result


# ---------------------------------------------------------------- line shapes


def words_of(text: str) -> list[str]:
    """The words of a line (letters, digits and inner punctuation)."""
    return _WORD.findall(text)


def first_word(text: str) -> str:
    """The first word, lower-cased, without trailing punctuation."""
    parts = text.strip().split(maxsplit=1)
    return parts[0].lower().rstrip(",:;") if parts else ""


def is_bullet(text: str) -> bool:
    """A bulleted list item ('- x', '• x', '-x'); a negative number is not one."""
    match = BULLET.match(text)
    if not match:
        return False
    rest = text[match.end():]
    dash = match.group(1) in "-–—"
    return not (dash and rest[:1].isdigit() and not text.strip()[1:2].isspace())


def is_numbered(text: str) -> bool:
    """A numbered or lettered list item ('1) x', '2. x', 'a) x')."""
    return bool(NUMBERED.match(text))


def is_list_item(text: str) -> bool:
    """A bulleted or numbered list item."""
    return is_bullet(text) or is_numbered(text)


def is_question(text: str) -> bool:
    """Ends with a question mark (allowing a closing quote or a trailing '(note)')."""
    text = _without_trailing_note(text)
    return text.rstrip(" )\"'”’»").endswith(("?", "？"))


# The helpers below do by hand what a pattern with ``.*`` or ``\s*`` before a bracket
# did: such a pattern retries from every position, taking quadratic (or cubic) time
# on a long line of unclosed brackets, letters or spaces.


def _without_trailing_note(text: str) -> str:
    """``text`` without a final ``(note)`` (no brackets inside) and the space before it."""
    stripped = text.rstrip()
    if not stripped.endswith(")"):
        return text
    opening = stripped.rfind("(")
    if opening == -1 or stripped.find(")", opening) != len(stripped) - 1:
        return text
    return stripped[:opening].rstrip()


def _without_parentheticals(text: str) -> str:
    """Each ``(…)`` replaced by a space (a ``(`` with no ``)`` after it stays)."""
    end = text.rfind(")") + 1
    return _PARENTHETICAL.sub(" ", text[:end]) + text[end:]


def looks_like_formula(text: str) -> bool:
    """``=``, ``^``, an operator before a word, or a call ``f(…)`` closed on its line."""
    if FORMULA.search(text):
        return True
    for line in text.split("\n"):
        call = _CALL.search(line)
        if call and ")" in line[call.end():]:
            return True
    return False


def has_abbreviated_term(text: str) -> bool:
    """A word of three letters or more, then later on its line an ``(ABBREVIATION)``."""
    for line in text.split("\n"):
        letters = _THREE_LETTERS.search(line)
        if letters and ABBREVIATION.search(line, letters.end()):
            return True
    return False


def asks(text: str) -> float:
    """How much the line's opening reads as a question or prompt (0-2.5)."""
    word = first_word(text)
    if word in {"where", "when"} and not is_question(text):
        words = words_of(text)
        second = words[1].lower() if len(words) > 1 else ""
        return 2.5 if second in AUX_WORDS or second in {"to", "should", "did"} else 0.5
    if word in QUESTION_WORDS:
        return 2.5
    if PROMPT_PHRASE.match(text.strip()):
        return 1.8
    if word in PROMPT_VERBS and len(words_of(text)) >= 2:
        second = words_of(text)[1].lower()
        return 0.0 if second in {"of", "for", "is", "are", "was"} else 1.6
    if word in AUX_WORDS and 3 <= len(words_of(text)) <= 25:
        return 0.8
    return 0.0


def is_declarative(text: str) -> bool:
    """A statement: a verb such as 'is', 'has' or 'helps' after the first word."""
    return any(word.lower() in DECLARATIVE_VERBS for word in words_of(text)[1:])


def is_heading_shape(text: str, lowercase_ok: bool) -> bool:
    """Short, unpunctuated, no formula, no verb: the shape of a term or topic line."""
    stripped = text.strip()
    words = words_of(stripped)
    if not 1 <= len(words) <= 7 or is_list_item(stripped) or is_declarative(stripped):
        return False
    if stripped[-1] in ".!,;:=" or "=" in stripped:
        return False
    first = stripped[0]
    if not first.isalpha():
        return False
    return first.isupper() or lowercase_ok


def is_title_case(text: str) -> bool:
    """Most longer words start with a capital (or are acronyms)."""
    long_words = [w for w in words_of(text) if len(w) > 3 or w.isupper()]
    if not long_words:
        return False
    capitals = sum(1 for w in long_words if w[0].isupper())
    return capitals / len(long_words) >= 0.6


def normalise_line(text: str) -> str:
    """Lower case, no parentheticals or punctuation: the form used to spot repeats."""
    text = _without_parentheticals(text.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def digit_variant_key(text: str) -> str | None:
    """The line with digit runs masked, when it has digits (``Conv2D`` -> ``conv#d``)."""
    stripped = text.strip()
    if not any(ch.isdigit() for ch in stripped) or len(stripped) < 3:
        return None
    if not any(ch.isalpha() for ch in stripped) or len(words_of(stripped)) > 4:
        return None
    return re.sub(r"\d+", "#", stripped.lower())


def are_digit_variants(a: str, b: str) -> bool:
    """Lines that differ only in their numbers (``MaxPooling1D`` / ``MaxPooling2D``)."""
    key = digit_variant_key(a)
    return key is not None and key == digit_variant_key(b) and a.strip() != b.strip()


def ends_sentence(text: str) -> bool:
    """Ends with a full stop or exclamation mark (not an abbreviation like 'e.g.')."""
    stripped = text.rstrip(" )\"'”’")
    if not stripped.endswith((".", "!")):
        return False
    last = stripped.split()[-1].lower() if stripped.split() else ""
    return last not in {"e.g.", "i.e.", "vs.", "aka."}


# ---------------------------------------------------------------- features


def infer_style(lines: Sequence[SourceLine], profile: BoundaryProfile) -> DeckStyle:
    """Deck-wide traits: are fronts lower case, are blank lines rare."""
    style = DeckStyle()
    for index, line in enumerate(lines):
        style.same_text.setdefault(normalise_line(line.stripped), []).append(index)
    if lines:
        blanks = sum(1 for line in lines if line.blank_before)
        style.blank_lines_rare = blanks / len(lines) < 0.6
    if profile.lowercase_fronts is not None:
        style.lowercase_fronts = profile.lowercase_fronts
        return style
    questions = [
        line.stripped for line in lines
        if is_question(line.stripped) or first_word(line.stripped) in QUESTION_WORDS
    ]
    lower = sum(1 for text in questions if text[:1].islower())
    style.lowercase_fronts = len(questions) >= 3 and lower / len(questions) >= 0.6
    return style


def local_features(
    lines: Sequence[SourceLine], index: int, style: DeckStyle, profile: BoundaryProfile
) -> list[tuple[str, float]]:
    """Evidence (name, log-odds) that line ``index`` starts a card, from it and its neighbours."""
    text = lines[index].stripped
    prev = lines[index - 1].stripped if index > 0 else ""
    nxt = lines[index + 1].stripped if index + 1 < len(lines) else ""
    words = words_of(text)
    feats: list[tuple[str, float]] = []
    add = feats.append

    if is_question(text):
        add(("ends with '?'", 3.0))
    elif "?" in text:
        add(("contains '?'", 1.5))
    ask = asks(text)
    if ask:
        add(("opens like a question", ask))
    embedded = not ask and not is_question(text) and bool(EMBEDDED_QUESTION.search(text))
    if embedded:
        add(("asks a question", 2.0))
    if is_heading_shape(text, style.lowercase_fronts):
        weight = 1.0 if len(words) <= 5 else 0.4
        add(("short term or heading", weight * (0.4 if style.lowercase_fronts else 1.0)))
        if is_title_case(text) and not style.lowercase_fronts:
            add(("title case", 0.5))
        if has_abbreviated_term(text):
            add(("a term with its abbreviation", 0.5))
        following = lines[index + 1: index + 3]
        if len(following) == 2 and all(is_list_item(line.stripped) for line in following):
            add(("introduces a list", 1.0 if LIST_PROMPT.search(text) else 0.6))
    elif is_declarative(text) and not ask and not is_question(text) and not embedded:
        add(("a statement", -0.8))
    if style.lowercase_fronts and text[:1].isupper() and not ask and not is_question(text):
        add(("capitalised in a lower-case deck", -0.6))
    if not style.lowercase_fronts and text[:1].islower() and not is_question(text) \
            and ask < 2.5:
        add(("starts in lower case", -1.5))
    if is_bullet(text):
        add(("bulleted item", -3.0))
    elif is_numbered(text):
        add(("numbered item", -2.2))
    if len(words) > 30:
        add(("very long line", -2.5))
    elif len(words) > 18:
        add(("long line", -1.5))
    if ends_sentence(text) and not is_question(text):
        add(("ends a sentence", -1.2))
    if text.endswith(":"):
        add(("ends with ':'", -1.5))
    elif TERM_DEFINITION.match(text) and not is_question(text):
        add(("'term: definition' line", -2.0))
    if looks_like_formula(text) and not is_question(text) and not ask:
        add(("formula or code", -1.0))
    if not any(ch.isalpha() for ch in text):
        add(("no words", -2.0))
    elif text[:1].isdigit() and not is_numbered(text):
        add(("starts with a number", -0.5))
    if first_word(text) in CONTINUATION_WORDS:
        add(("continues the previous line", -2.0))
    elif first_word(text) in DEFINING_VERBS and len(words) >= 2 and not is_question(text):
        add(("opens with a verb, like a definition", -1.0))

    if index > 0:
        if lines[index].blank_before:
            add(("after a blank line", profile.blank_before if style.blank_lines_rare else 1.0))
        if UNFINISHED_END.search(prev):
            add(("previous line is unfinished", -3.0))
        if is_list_item(prev) and not is_list_item(text):
            add(("list above has ended", 0.8))
        if is_question(prev):
            add(("previous line is a question", -1.0))
        if "=" in prev and first_word(text) in {"where", "with"}:
            add(("explains the formula above", -3.5))
        if are_digit_variants(prev, text):
            add(("digit variant of the line above", -3.0))
    if nxt and len(words) <= 3 and len(words_of(nxt)) >= len(words) + 2 \
            and not is_list_item(nxt) and not is_list_item(text) and not is_question(nxt):
        add(("a short term before a longer line", 0.6))
    prev_words = len(words_of(prev)) if index > 0 else 0
    if index > 0 and prev_words <= 2 and len(words) > prev_words and not is_list_item(prev) \
            and not is_list_item(text) and not is_question(text) and ask < 2.5:
        add(("longer than the short line above", -0.6 if len(words) >= prev_words + 2 else -0.4))
    if prev_words >= 5 and len(words) <= 2 and not is_list_item(prev) \
            and is_heading_shape(text, style.lowercase_fronts):
        add(("a bare term after a description", 0.4))
    if nxt:
        defined = restatement(text, nxt)
        if not defined and index + 2 < len(lines):
            defined = restatement(text, lines[index + 2].stripped) / 2
        if defined:
            add(("a line below defines it", 1.5 * defined))
        if expands_acronym(text, nxt):
            add(("next line spells out its acronym", 2.0))
        elif is_heading_shape(text, style.lowercase_fronts) and nxt[:1].islower() \
                and not is_list_item(nxt) and not style.lowercase_fronts:
            add(("a lower-case description follows", 0.8))
        if are_digit_variants(text, nxt) and not (index > 0 and are_digit_variants(prev, text)):
            add(("first of a numbered run", 1.0))
    else:
        add(("last line (a card needs an answer)", -6.0))
    return feats


def restatement(term: str, following: str) -> float:
    """How clearly the next line defines this short term.

    2: it opens with the term and a defining verb ('X' then 'An X is ...');
    1: it repeats all the term's words near its start; 0: neither.
    """
    term_words = [w.lower() for w in words_of(term)]
    if not 1 <= len(term_words) <= 5 or is_question(term):
        return 0.0
    words = [w.lower() for w in words_of(following)]
    if words and words[0] in {"a", "an", "the"}:
        words = words[1:]
    shared = 0
    while shared < min(len(term_words), len(words)) and words[shared] == term_words[shared]:
        shared += 1
    verbs = {"is", "are", "was", "refers", "means", "describes", "consists", "occurs"}
    if shared and shared >= 0.6 * len(term_words) and shared < len(words) \
            and words[shared] in verbs:
        return 2.0
    head = words[: len(term_words) + 3]
    return 1.0 if len(head) > len(term_words) and all(w in head for w in term_words) else 0.0


def expands_acronym(text: str, following: str) -> bool:
    """The next line spells out an acronym of this line ('LSTM' / 'Long Short Term Memory')."""
    words = [w for w in re.split(r"[\s\-/]+", following.strip()) if w]
    initials = "".join(w[0] for w in words if w[:1].isalpha() and w.lower() not in {
        "of", "and", "the", "for", "in", "on", "to", "a", "an",
    }).upper()
    if not 2 <= len(initials) <= 8 or len(words) > 10:
        return False
    tokens = re.findall(r"\b[A-Z][A-Za-z]*[A-Z]\b|\b[A-Z]{2,}\b", text)
    return any(token.upper() == initials for token in tokens)


def context_features(
    lines: Sequence[SourceLine], index: int, starts: Sequence[bool], base: Sequence[float],
    style: DeckStyle, card_starts: Sequence[int],
) -> list[tuple[str, float]]:
    """Evidence from the card this line would otherwise extend (in the previous split)."""
    text = lines[index].stripped
    feats: list[tuple[str, float]] = []
    front_index = card_starts[index - 1] if index > 0 else -1
    if front_index < 0:
        return feats
    front = lines[front_index].stripped
    back_from = max(front_index + 1, index - CONTEXT_LINES)
    back = [line.stripped for line in lines[back_from:index]]
    norm = normalise_line(text)
    short_term = len(words_of(text)) <= 6 and not is_question(text) and not asks(text)

    if back and short_term and not lines[index].blank_before:
        prev = back[-1]
        if len(words_of(prev)) <= 8 and not ends_sentence(prev):
            if LIST_PROMPT.search(front):
                feats.append(("item of the list the front asks for", -1.5))
            elif _in_colon_list(back):
                feats.append(("item of the list introduced above", -1.5))
    if norm and short_term and any(
        normalise_line(item) == norm or normalise_line(item).startswith(norm + " ")
        or norm.startswith(normalise_line(item) + " ")
        for item in _list_run(back) if normalise_line(item)
    ):
        feats.append(("repeats an item of the list just above", 2.0))
    for other in style.same_text.get(norm, ()) if norm else ():
        earlier_or_stronger = (
            base[other] > base[index] - 0.75 if other < index else base[other] > base[index] + 0.75
        )
        if other != index and starts[other] and earlier_or_stronger:
            feats.append(("repeats another card's front", -2.0))
            break
    if style.question_fronts and not _is_wh_question(text):
        feats.append(("not a question, in a deck of questions", -1.2 - 0.6 * asks(text)))
    front_norm = normalise_line(front)
    if front_norm and norm != front_norm and f" {front_norm} " in f" {norm} " \
            and not is_question(front) and short_term and not ends_sentence(text):
        feats.append(("extends the front above", 1.5))
    if back and short_term and (is_question(front) or asks(front) >= 1.5) \
            and not lines[index].blank_before and not is_list_item(text) \
            and _is_short_item(back[-1]):
        feats.append(("short line under a question", -0.5))
    nxt = lines[index + 1].stripped if index + 1 < len(lines) else ""
    if not style.single_bullet_cards and _has_sibling(lines, index):
        feats.append(("one of several same-shaped sub-headings", -1.0))
    if nxt and is_list_item(nxt) and not is_list_item(text) and back:
        heads = [
            back[k] for k in range(len(back) - 1)
            if not is_list_item(back[k]) and is_list_item(back[k + 1])
        ]
        if any(_same_shape(head, text) for head in heads):
            feats.append(("continues the answer's sub-heading pattern", -2.0))
    return feats


def _single_bullet_head(lines: Sequence[SourceLine], index: int) -> bool:
    """A plain line followed by exactly one list item."""
    if not 0 <= index < len(lines) - 1:
        return False
    text = lines[index].stripped
    if is_list_item(text) or is_question(text) or not is_list_item(lines[index + 1].stripped):
        return False
    return index + 2 >= len(lines) or not is_list_item(lines[index + 2].stripped)


def _is_wh_question(text: str) -> bool:
    """A '?' line, or one opening with a wh-word or a phrase like 'difference between'."""
    return is_question(text) or first_word(text) in QUESTION_WORDS or bool(
        PROMPT_PHRASE.match(text.strip())
    )


def _has_sibling(lines: Sequence[SourceLine], index: int) -> bool:
    """Line, one bullet, a line of the same shape, one bullet: sub-headings of one answer."""
    if not _single_bullet_head(lines, index):
        return False
    text = lines[index].stripped
    for other in (index - 2, index + 2):
        if _single_bullet_head(lines, other):
            sibling = lines[other].stripped
            if _same_shape(sibling, text) or (
                is_heading_shape(sibling, False) and is_heading_shape(text, False)
            ):
                return True
    return False


def _list_run(back: Sequence[str]) -> list[str]:
    """The short list items that end the answer so far (bullet marks removed)."""
    run: list[str] = []
    for text in reversed(back):
        item = BULLET.sub("", text).strip()
        if not item or len(words_of(item)) > 8 or ends_sentence(item) or item.endswith(":") \
                or is_question(item):
            break
        run.append(item)
    return run


def _is_short_item(text: str) -> bool:
    """A short plain line: no list mark, no sentence end, at most six words."""
    return not is_list_item(text) and not ends_sentence(text) and len(words_of(text)) <= 6


def _in_colon_list(back: Sequence[str]) -> bool:
    """The answer so far ends with a line ending in ':' and then only short items."""
    for text in reversed(back):
        if text.endswith(":"):
            return True
        if len(words_of(text)) > 6 or ends_sentence(text) or is_question(text):
            return False
    return False


def _same_shape(a: str, b: str) -> bool:
    if a.endswith(":") != b.endswith(":"):
        return False
    if a.endswith(":"):
        return True
    return first_word(a) == first_word(b) and abs(len(words_of(a)) - len(words_of(b))) <= 2


# ---------------------------------------------------------------- decoding


def _log_sigmoid(x: float) -> float:
    return -math.log1p(math.exp(-x)) if x >= 0 else x - math.log1p(math.exp(x))


def _logaddexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    high, low = (a, b) if a > b else (b, a)
    return high + math.log1p(math.exp(low - high))


def decode(scores: Sequence[float]) -> tuple[list[bool], list[float]]:
    """P(line starts a card) per line (forward-backward) and the starts chosen from it.

    Two states, front (F) and back (B): line 0 is a front, a front is always followed
    by a back line, the last line is a back line; emissions are the log-sigmoid of
    the score (F) or of its negation (B). A line starts a card when that is more
    likely than not (ties between neighbouring fronts go to the likelier one), which
    minimises the expected number of wrong boundaries.
    """
    n = len(scores)
    if n == 0:
        return [], []
    if n == 1:
        return [True], [1.0]
    ninf = -math.inf
    emit_f = [_log_sigmoid(s) for s in scores]
    emit_b = [_log_sigmoid(-s) for s in scores]
    emit_f[0], emit_b[0] = 0.0, ninf
    af, ab = [ninf] * n, [ninf] * n
    af[0], ab[0] = emit_f[0], emit_b[0]
    for i in range(1, n):
        af[i] = ab[i - 1] + emit_f[i]
        ab[i] = _logaddexp(af[i - 1], ab[i - 1]) + emit_b[i]
    bf, bb = [0.0] * n, [0.0] * n
    bf[-1], bb[-1] = ninf, 0.0
    for i in range(n - 2, -1, -1):
        bf[i] = emit_b[i + 1] + bb[i + 1]
        bb[i] = _logaddexp(emit_f[i + 1] + bf[i + 1], emit_b[i + 1] + bb[i + 1])
    total = _logaddexp(af[-1] + bf[-1], ab[-1] + bb[-1])
    probabilities = []
    for i in range(n):
        value = af[i] + bf[i] - total
        probabilities.append(min(1.0, math.exp(value)) if value > -700 else 0.0)
    probabilities[0] = 1.0
    starts = [p > 0.5 for p in probabilities]
    starts[0], starts[-1] = True, False
    for i in range(1, n):
        if starts[i] and starts[i - 1]:
            if i - 1 > 0 and probabilities[i] > probabilities[i - 1]:
                starts[i - 1] = False
            else:
                starts[i] = False
    return starts, probabilities


def _card_starts(starts: Sequence[bool]) -> list[int]:
    """For each line, the index of the last start at or before it (-1 if none)."""
    out, last = [], -1
    for index, start in enumerate(starts):
        if start:
            last = index
        out.append(last)
    return out


def score_lines(
    lines: Sequence[SourceLine], profile: BoundaryProfile
) -> tuple[list[float], list[list[tuple[str, float]]], DeckStyle]:
    """Front scores after both passes, the evidence behind each, and the deck style."""
    style = infer_style(lines, profile)
    evidence = [local_features(lines, i, style, profile) for i in range(len(lines))]
    base = [profile.prior + sum(w for _n, w in feats) for feats in evidence]
    starts, _p = decode(base)
    fronts = [i for i, start in enumerate(starts) if start]
    heads = sum(1 for i in fronts if _single_bullet_head(lines, i))
    style.single_bullet_cards = bool(fronts) and heads / len(fronts) > 0.4
    questions = sum(1 for i in fronts if _is_wh_question(lines[i].stripped))
    style.question_fronts = len(fronts) >= 5 and questions / len(fronts) >= 0.85
    scores = list(base)
    context: list[list[tuple[str, float]]] = [[] for _line in lines]
    for _round in range(CONTEXT_ROUNDS):
        card_starts = _card_starts(starts)
        context = [
            context_features(lines, i, starts, base, style, card_starts) if i else []
            for i in range(len(lines))
        ]
        scores = [b + sum(w for _n, w in extra) for b, extra in zip(base, context)]
        new_starts, _p = decode(scores)
        if new_starts == starts:
            break
        starts = new_starts
    evidence = [local + extra for local, extra in zip(evidence, context)]
    return scores, evidence, style


def segment_lines(lines: Sequence[SourceLine], profile: BoundaryProfile) -> Segmentation:
    """Split non-blank lines into cards; report every decision less sure than the profile wants."""
    result = Segmentation()
    if not lines:
        return result
    glossary = is_plain_glossary(lines)
    if glossary:
        starts = [index % 2 == 0 for index in range(len(lines))]
        result.probabilities = [0.5 if start else 0.0 for start in starts]
        result.probabilities[0] = 1.0
        result.warnings.append(ImportWarning(
            "every line is a short bare term with nothing to tell fronts from backs;"
            " lines were paired in order (front, back)",
            line=lines[0].number, confidence=0.5,
        ))
        evidence: list[list[tuple[str, float]]] = [[] for _line in lines]
        probabilities = result.probabilities
    else:
        scores, evidence, _style = score_lines(lines, profile)
        starts, probabilities = decode(scores)
        result.probabilities = probabilities
        starts = _merge_digit_runs(lines, starts)
    current: LineCard | None = None
    for i, line in enumerate(lines):
        if starts[i] or current is None:
            current = LineCard(front=[line], back=[], confidence=probabilities[i])
            result.cards.append(current)
        elif not current.back and are_digit_variants(current.front[-1].stripped, line.stripped) \
                and _more_back_follows(lines, starts, i):
            current.front.append(line)
        else:
            current.back.append(line)
    for i in range(1, len(lines)):
        p = probabilities[i]
        sure = p if starts[i] else 1.0 - p
        if sure < profile.unsure_below and not glossary:
            result.warnings.append(_boundary_warning(lines, i, starts, sure, evidence[i]))
    return result


def is_plain_glossary(lines: Sequence[SourceLine]) -> bool:
    """Only short bare terms (vocabulary pairs): no questions, lists, colons or sentences.

    With nothing to tell a front from a back, the lines are read as strict pairs.
    """
    if len(lines) < 4 or len(lines) % 2:
        return False
    seen: set[str] = set()
    for line in lines:
        text = line.stripped
        norm = normalise_line(text)
        if len(words_of(text)) > 4 or is_list_item(text) or "?" in text or "¿" in text:
            return False
        if text.endswith((":", ".", ",", ";")) or asks(text) or LIST_PROMPT.search(text):
            return False
        if norm in seen:
            return False
        seen.add(norm)
    return True


def _more_back_follows(lines: Sequence[SourceLine], starts: Sequence[bool], index: int) -> bool:
    """After line ``index``, the same card still has a line that is not a digit variant."""
    for j in range(index + 1, len(lines)):
        if starts[j]:
            return False
        if not are_digit_variants(lines[index].stripped, lines[j].stripped):
            return True
    return False


def _merge_digit_runs(lines: Sequence[SourceLine], starts: list[bool]) -> list[bool]:
    """A front never splits a run of digit variants (``Conv1D``/``Conv2D``/``Conv3D``)."""
    fixed = list(starts)
    for i in range(1, len(lines)):
        if fixed[i] and are_digit_variants(lines[i - 1].stripped, lines[i].stripped):
            fixed[i] = False
    return fixed


def _boundary_warning(
    lines: Sequence[SourceLine], index: int, starts: Sequence[bool], sure: float,
    evidence: Sequence[tuple[str, float]],
) -> ImportWarning:
    line = lines[index]
    snippet = line.stripped if len(line.stripped) <= 50 else line.stripped[:47] + "..."
    reasons = sorted(evidence, key=lambda item: -abs(item[1]))[:2]
    why = "; ".join(name for name, _w in reasons)
    if starts[index]:
        decision = f"unsure whether {snippet!r} starts a new card; kept as a new card"
    else:
        decision = f"unsure whether {snippet!r} starts a new card; kept in the answer above"
    message = f"{decision} ({why})" if why else decision
    return ImportWarning(message=message, line=line.number, confidence=round(sure, 2))


__all__ = [
    "BoundaryProfile",
    "DeckStyle",
    "LineCard",
    "Segmentation",
    "SourceLine",
    "asks",
    "decode",
    "is_list_item",
    "is_question",
    "join_lines",
    "normalise_line",
    "score_lines",
    "segment_lines",
    "to_source_lines",
]
