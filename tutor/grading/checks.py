"""Contradiction checks run after alignment: negation, antonyms, numbers, swapped roles, padding.

Each check returns human-readable findings ("'first' is not 'last'"); an empty list means
the check found nothing. They only look at general language patterns, never at subjects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tutor.grading.base import CheckKind
from tutor.grading.lexicon import ABSOLUTES, UNIT_FAMILIES
from tutor.grading.matching import SOLID, Alignment, WordMatch
from tutor.grading.text import (
    OppositeIndex,
    Token,
    antonyms,
    negated_form,
    normalise,
    numbers_equal,
    tokenize,
)


@dataclass(frozen=True)
class Finding:
    """One problem the checks found, with the words involved (for feedback)."""

    kind: CheckKind
    """Which check fired: negation, antonym, number, swap, order, padding, ..."""
    message: str


NEGATION_MODE = "token"


def _polarity(token: Token) -> bool:
    return token.clause_negated if NEGATION_MODE == "clause" else token.negated


def negation_conflicts(alignment: Alignment) -> list[Finding]:
    """Matched words whose polarity differs: 'does not decrease' against 'decreases'."""
    ref_polarity: dict[str, set[bool]] = {}
    for pc in alignment.points:
        for token in pc.point.all_tokens:
            ref_polarity.setdefault(token.key, set()).add(_polarity(token))
    answer_polarity: dict[str, set[bool]] = {}
    for token in alignment.answer_tokens:
        answer_polarity.setdefault(token.key, set()).add(_polarity(token))
    # 'does not overfit' restates 'prevents overfitting', and the other way round
    ref_prevented = {t.key for pc in alignment.points for t in pc.point.all_tokens if t.prevented}
    ref_denied = {t.key for pc in alignment.points for t in pc.point.all_tokens if t.negation_head}
    answer_prevented = {t.key for t in alignment.answer_tokens if t.prevented}
    findings: list[Finding] = []
    seen: set[str] = set()
    for match in alignment.matched_answer.values():
        if match.strength < SOLID or match.reference.key in seen or match.answer.text == "one":
            continue
        ref_sides = ref_polarity.get(match.reference.key, set())
        answer_sides = answer_polarity.get(match.answer.key, set())
        if len(ref_sides) != 1 or len(answer_sides) != 1:
            continue
        if ref_sides != answer_sides:
            if _denial_of_prevented(match, ref_prevented, ref_denied, answer_prevented):
                continue
            seen.add(match.reference.key)
            word = match.reference.text
            if _polarity(match.answer):
                findings.append(Finding("negation", f"the reference does not negate '{word}'"))
            else:
                findings.append(Finding("negation", f"the reference says not '{word}'"))
    return findings


def _denial_of_prevented(match: WordMatch, ref_prevented: set[str], ref_denied: set[str],
                         answer_prevented: set[str]) -> bool:
    """One side denies what the other says is prevented: 'the network does not *overfit*' for
    'prevents *overfitting*' (or the reverse). Only a denied event counts: 'it is not for
    choking' denies a purpose, not the choking that 'relieves choking' stops."""
    if _polarity(match.answer):
        return match.answer.negation_head and match.reference.key in ref_prevented
    return match.answer.key in answer_prevented and match.reference.key in ref_denied


def antonym_conflicts(alignment: Alignment, question_keys: set[str]) -> list[Finding]:
    """Answer words that are opposites of reference words the answer left out ('first'/'last')."""
    covered = {m.reference.key for pc in alignment.points for m in pc.matches if m.strength >= SOLID}
    covered |= {m.reference.key for m in alignment.matched_answer.values() if m.strength >= SOLID}
    reference_words: dict[str, Token] = {}
    for pc in alignment.points:
        if pc.point.optional:
            continue
        for token in pc.point.tokens + pc.point.alias:
            if token.number is None and token.key not in covered:
                reference_words.setdefault(token.key, token)
    answer_keys = {t.key for t in alignment.answer_tokens}
    all_reference_keys = {t.key for pc in alignment.points for t in pc.point.all_tokens}
    findings: list[Finding] = []
    refs = list(reference_words.values())
    index = OppositeIndex([ref.text for ref in refs])
    for token in alignment.answer_tokens:
        if (not token.content or token.number is not None or token.key in question_keys
                or token.key in all_reference_keys):
            continue
        existing = alignment.matched_answer.get(token.index)
        if existing is not None and existing.strength >= SOLID:
            continue
        for ref in (refs[position] for position in index.candidates(token.text)):
            if ref.key in answer_keys:
                continue
            if antonyms(token.text, ref.text) and not token.negated:
                findings.append(Finding("antonym", f"'{token.text}' is not '{ref.text}'"))
                break
            if negated_form(token.text, ref.text) and token.text != ref.text:
                findings.append(Finding("negation", f"'{token.text}' is not '{ref.text}'"))
                break
    return findings


def _number_context(tokens: list[Token], index: int) -> set[str]:
    """Content words next to a number in the same clause (its role: '2 per state')."""
    here = tokens[index]
    near: set[str] = set()
    for step in (-1, 1):
        j = index + step
        taken = 0
        while 0 <= j < len(tokens) and taken < 2:
            token = tokens[j]
            if token.clause != here.clause:
                break
            if token.content and token.number is None:
                near.add(token.key)
                taken += 1
            if token.number is not None:
                break
            j += step
    return near


def number_conflicts(alignment: Alignment, question_tokens: list[Token],
                     reference_tokens: list[Token]) -> list[Finding]:
    """Numbers that contradict the reference's: a different value, or values in swapped roles."""
    ref_numbers: list[tuple[Token, set[str], int]] = [
        (token, _number_context(reference_tokens, i), token.clause)
        for i, token in enumerate(reference_tokens) if token.number is not None
    ]
    answer = alignment.answer_tokens
    answer_numbers = [(t, _number_context(answer, i)) for i, t in enumerate(answer) if t.number is not None]
    if not answer_numbers:
        return []
    question_numbers = [t for t in question_tokens if t.number is not None]
    tolerance = 0.05 if any(t.text in APPROXIMATE for t in reference_tokens) else 0.002
    findings: list[Finding] = []
    if ref_numbers:
        def close(a: Token, r: Token) -> bool:
            return numbers_equal(a, r) or _within(a, r, tolerance)

        numeric_reference = all(t.number is not None for t in reference_tokens if t.content)
        # Only the first missing and the first extra number are named: stop at them.
        answer_values = {t.number for t, _ in answer_numbers}  # an equal value is close: no search
        ref_values = {r.number for r, _, _ in ref_numbers}
        missing = next((r for r, _, _ in ref_numbers
                        if (r.text[0].isdigit() or r.text[0] == "-" or len(reference_tokens) <= 3)
                        and r.number not in answer_values
                        and not any(close(t, r) for t, _ in answer_numbers)), None)
        extra = None if missing is None else next(
            (t for t, _ in answer_numbers
             if t.number not in ref_values and not any(close(t, r) for r, _, _ in ref_numbers)
             and (numeric_reference or not any(numbers_equal(t, q) for q in question_numbers))), None)
        if extra is not None and missing is not None:
            findings.append(Finding("number", f"'{extra.text}' does not match '{missing.text}'"))
            return findings
        findings.extend(_swapped_numbers(answer_numbers, ref_numbers, answer))
    return findings


APPROXIMATE = frozenset({"about", "approximately", "around", "roughly", "circa", "c", "nearly",
                         "almost", "approx", "some", "~"})


def _within(answer: Token, reference: Token, tolerance: float) -> bool:
    """Equal within a relative tolerance (for 'about 5,730 years' against '5700')."""
    a, r = answer.number, reference.number
    if a is None or r is None or r == 0 or abs(r) < 10:
        return False
    return abs(a - r) / abs(r) <= tolerance


def _swapped_numbers(answer_numbers: list[tuple[Token, set[str]]],
                     ref_numbers: list[tuple[Token, set[str], int]], answer: list[Token]) -> list[Finding]:
    """Same numbers in other roles: '6 senators, 2-year terms' for '2 senators, 6-year terms'."""
    distinct = {r.key for r, _, _ in ref_numbers}
    if len(distinct) < 2:
        return []
    for token, context in answer_numbers:
        if not context:
            continue
        equal = [numbers_equal(token, r) for r, _, _ in ref_numbers]
        own = [ctx for (_, ctx, _), same in zip(ref_numbers, equal) if same]
        others = [ctx for (_, ctx, _), same in zip(ref_numbers, equal) if not same]
        if not own or not any(own):
            continue
        own_hits = max(len(context & ctx) for ctx in own)
        other_hits = max((len(context & ctx) for ctx in others), default=0)
        if other_hits > own_hits and other_hits >= 1:
            return [Finding("swap", f"'{token.text}' is in the wrong place")]
    # bare tuples like (3,4) vs (4,3): same values, different order, no words around them
    answer_sequence = [t.key for t, _ in answer_numbers]
    sequence = [r.key for r, _, _ in ref_numbers]
    words = [t for t in answer if t.content and t.number is None]
    if len(sequence) >= 2 and not words and sorted(sequence) == sorted(answer_sequence) != []:
        if sequence != answer_sequence:
            return [Finding("swap", "the numbers are in the wrong order")]
    return []


def role_swaps(alignment: Alignment) -> list[Finding]:
    """Words of one key point attached to another's subject ('L1 is the sum of squares').

    Each key point's distinctive words (found in no other point) are its role; its first
    distinctive words are its subject. An answer clause that starts with one point's
    subject and continues with another point's words is crossed.
    """
    points = [pc for pc in alignment.points if not pc.point.optional and len(pc.point.all_tokens) >= 2]
    if len(points) < 2:
        return []
    owners: dict[str, set[int]] = {}
    for number, pc in enumerate(points):
        for token in pc.point.all_tokens:
            if token.number is None:
                owners.setdefault(token.key, set()).add(number)
    distinct = {key: next(iter(nums)) for key, nums in owners.items() if len(nums) == 1}
    subjects: dict[int, list[str]] = {}
    for number, pc in enumerate(points):
        span: list[str] = []
        for token in pc.point.all_tokens:
            if token.key in distinct:
                span.append(token.key)
            elif span:
                break
            if len(span) == SUBJECT_SPAN:
                break
        if span:
            subjects[number] = span
    by_clause: dict[int, list[tuple[int, int, str]]] = {}
    for index, match in sorted(alignment.matched_answer.items()):
        if match.strength < SOLID:
            continue
        owner = distinct.get(match.reference.key)
        if owner is None:
            continue
        clause = alignment.answer_tokens[index].clause
        by_clause.setdefault(clause, []).append((index, owner, match.reference.key))
    said = {m.reference.key for m in alignment.matched_answer.values() if m.strength >= SOLID}
    crossed: list[tuple[str, str, int, int]] = []
    for entries in by_clause.values():
        if len({owner for _, owner, _ in entries}) >= ENUMERATION_POINTS:
            continue  # names several points in one breath: a list of them, not crossed roles
        first_owner = entries[0][1]
        span = subjects.get(first_owner, [])
        if not span or entries[0][2] != span[0]:
            continue
        rest = [e for e in entries[1:] if e[2] not in span]
        own = sum(1 for _, owner, _ in rest if owner == first_owner)
        other = [(owner, key) for _, owner, key in rest if owner != first_owner]
        if other and len(other) > own and other[0][1] not in subjects.get(other[0][0], []):
            crossed.append((entries[0][2], other[0][1], first_owner, len(other) - own))
    if not crossed:
        return []
    subject, word, owner, strength = crossed[0]
    if len({c[2] for c in crossed}) < 2 and strength < SWAP_STRONG:
        # one crossed clause: a swap only if the subject's own predicate is nowhere in the answer
        own_words = {t.key for t in points[owner].point.all_tokens
                     if distinct.get(t.key) == owner and t.key not in subjects.get(owner, [])}
        if not own_words or own_words & said:
            return []
    return [Finding("swap", f"'{word}' belongs with something other than '{subject}'")]


SWAP_STRONG = 2
SUBJECT_SPAN = 1
#: A clause holding words of this many key points or more is an enumeration ('DNN CNN RNN'):
#: crossed roles pair two points' words ('L1 is the sum of squares').
ENUMERATION_POINTS = 3


# Directed relations only: 'times' (like 'and') reads the same either way round.
_CONNECTOR = re.compile(r"\s(?:to|into|->|minus|over|per|than|divided by)\s|[=/<>]")
# What follows these on the right of a relation names its source, not its target
# ('heat flows to them from hot objects').
_SOURCE = re.compile(r"\s(?:from|by)\s")
_SEGMENT = re.compile(r"[;,.\n]\s|\s(?:and|but|while|whereas)\s")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _sides(text: str) -> list[tuple[str, set[str], set[str]]]:
    """(connector, words before it, words after it) for each connector in each segment."""
    found: list[tuple[str, set[str], set[str]]] = []
    normal = _PARENTHESES.sub(" ", normalise(text))
    for segment in _SEGMENT.split(normal):
        segment = f" {segment.strip()} "
        for match in _CONNECTOR.finditer(segment):
            left = {t.key for t in tokenize(segment[: match.start()], normalised=True) if t.content}
            rest = segment[match.end() - 1:]
            source = _SOURCE.search(rest)
            if source is not None:
                rest = rest[: source.start() + 1]
            right = {t.key for t in tokenize(rest, normalised=True) if t.content}
            if left and right:
                found.append((match.group(0).strip(), left, right))
    return found


def direction_swaps(answer: str, reference: str) -> list[Finding]:
    """The two sides of a relation exchanged: 'liabilities = assets + equity', 'MAC to IP',
    'helium fusing into hydrogen', 'equity / net income'."""
    reference_sides = _sides(reference)
    if not reference_sides:
        return []
    answer_sides = _sides(answer)
    for ref_connector, ref_left, ref_right in reference_sides:
        # Words on both sides ('current' in 'current assets / current liabilities') tell nothing.
        shared = ref_left & ref_right
        ref_left, ref_right = ref_left - shared, ref_right - shared
        if not ref_left or not ref_right:
            continue
        if any(connector == ref_connector and ref_left & left and ref_right & right
               for connector, left, right in answer_sides):
            continue  # the answer also states this relation the right way round
        for connector, left, right in answer_sides:
            if connector != ref_connector:
                continue
            cross_a, cross_b = ref_left & right, ref_right & left
            straight = len(ref_left & left) + len(ref_right & right)
            if cross_a and cross_b and len(cross_a) + len(cross_b) > straight:
                first = sorted(cross_b)[0]
                second = sorted(cross_a)[0]
                return [Finding("swap", f"'{first}' and '{second}' are the wrong way round")]
    return []


#: Where a contrast puts its two sides: 'A is P while B is Q', 'A: P; B: Q', 'A ..., but B ...'.
_CONTRAST_SPLIT = re.compile(
    r"[;\n]|\.\s|\s(?:while|whereas|whilst|but|however|unlike|in contrast|on the other hand)\s", re.IGNORECASE)
#: Parallel definitions in one sentence ('sin = opp/hyp, cos = adj/hyp') split at commas too.
_PREDICATE_MARK = re.compile(r":|=|\s(?:is|are|was|were|has|have|means)\s")
_HEAD_END = frozenset({"is", "are", "was", "were", "has", "have", "had", "can", "could", "does", "do", "did",
                       "will", "would", "must", "should", "may", "might", "means"})
#: A side's subject is at most this many words before its verb ('the law of demand is').
HEAD_WORDS = 3
#: Words of the other side's predicate an answer must give a subject before it is a swap.
CONTRAST_CROSSED = 2


@dataclass(frozen=True)
class _Side:
    """One side of a contrast: its subject and the predicate words only it has."""

    head: frozenset[str]
    body: frozenset[str]


@lru_cache(maxsize=1024)
def _contrast_sides(reference: str) -> tuple[_Side, ...]:
    """The sides of a contrastive reference, each with a subject no other side has."""
    text = _PARENTHESES.sub(" ", normalise(reference))
    parts = [p for p in _CONTRAST_SPLIT.split(text) if p.strip()]
    pieces: list[str] = []
    for part in parts:
        commas = [c for c in part.split(",") if c.strip()]
        parallel = len(commas) >= 2 and all(_PREDICATE_MARK.search(f" {c} ") for c in commas)
        pieces.extend(commas if parallel else [part])
    raw: list[tuple[set[str], set[str]]] = []
    for piece in pieces:
        piece = piece.replace(":", " is ").replace("=", " is ")
        tokens = tokenize(piece, normalised=True)
        content = [t for t in tokens if t.content]
        if len(content) < 2:
            continue
        cut = next((i for i, t in enumerate(tokens) if t.text in _HEAD_END), None)
        before = [t for t in tokens[:cut] if t.content] if cut is not None else content[:1]
        head = before if len(before) <= HEAD_WORDS else content[:1]  # 'it does ...': no subject
        head_keys = {t.key for t in head}
        raw.append((head_keys, {t.key for t in content if t.key not in head_keys}))
    if len(raw) < 2:
        return ()
    sides: list[_Side] = []
    all_heads = set().union(*(h for h, _ in raw))
    for number, (own_head, own_body) in enumerate(raw):
        other_heads = set().union(*(h for i, (h, _) in enumerate(raw) if i != number))
        other_bodies = set().union(*(b for i, (_, b) in enumerate(raw) if i != number))
        sides.append(_Side(frozenset(own_head - other_heads),
                           frozenset(own_body - other_bodies - all_heads)))
    return tuple(sides)


def contrast_swaps(alignment: Alignment, reference: str) -> list[Finding]:
    """The sides of a contrast exchanged: 'a perceptron is multi-layered, while a neural
    network is single-layer' for the reverse.

    The reference's sides ('A is P while B is Q', 'A: P; B: Q') each have a subject and
    predicate words only that side has. An answer clause that opens with one side's subject
    speaks for that side until another subject opens a clause; the words it then says are
    counted as that side's own or another side's. When the answer names two sides or more,
    more of other sides' words (at least `CONTRAST_CROSSED`) than their own is a swap.
    """
    sides = _contrast_sides(reference)
    if sum(1 for side in sides if side.head and side.body) < 2:
        return []
    owner: int | None = None
    subject = ""
    opened: set[int] = set()
    clause = -1
    own = crossed = 0
    counted: set[tuple[int, str]] = set()
    example = ("", "")
    for token in alignment.answer_tokens:
        if not token.content:
            continue
        match = alignment.matched_answer.get(token.index)
        key = match.reference.key if match is not None and match.strength >= SOLID else token.key
        opens = token.clause != clause
        clause = token.clause
        if opens:
            heads = [i for i, side in enumerate(sides) if key in side.head]
            if len(heads) == 1:
                owner, subject = heads[0], token.text
                opened.add(owner)
                continue
        if owner is None or (owner, key) in counted:
            continue
        counted.add((owner, key))
        if key in sides[owner].body:
            own += 1
        elif any(key in side.body for i, side in enumerate(sides) if i != owner):
            crossed += 1
            if not example[0]:
                example = (token.text, subject)
    # Both sides named: an answer that speaks of one side only is not judged here.
    if len(opened) >= 2 and crossed >= CONTRAST_CROSSED and crossed > own:
        return [Finding("swap", f"'{example[0]}' belongs with something other than '{example[1]}'")]
    return []


#: Plain words that say the same as an absolute ('each' for 'every'): not an added claim.
ABSOLUTE_EQUIVALENTS: dict[str, set[str]] = {
    "every": {"each", "all"}, "any": {"each", "all", "every"}, "only": {"just", "solely", "alone"},
    "always": {"whenever"}, "exactly": {"precisely"},
    "completely": {"fully", "entirely"}, "entirely": {"fully", "completely"},
}

#: An extra clause with this many content words, none from the reference, is an added claim.
UNSUPPORTED_CLAUSE_WORDS = 3


#: Words that open a clause explaining the one before it ('..., because it processes one
#: example at a time'): a reason or a consequence of what was said, not a new claim.
EXPLAINING_OPENERS = frozenset({"because", "since", "whereby"})
#: ... and words that open a request ('(please ignore any notes in this field)'): it claims nothing.
REQUEST_OPENERS = frozenset({"please"})
#: A reference with at most this many content words beyond the question's is terse: a
#: question asking to explain it wants words the reference does not have.
TERSE_REFERENCE_WORDS = 3
_EXPLAIN_ASK = re.compile(
    r"\b(?:explain|describe|why|justify|elaborate|in what way|what happens|how (?:does|do|did|is|are|can|"
    r"would|will|it))\b", re.IGNORECASE)


def asks_for_explanation(question: str, reference: str, question_keys: set[str]) -> bool:
    """The question asks for an explanation that a terse reference leaves out ('Which function
    ...? Explain how it works' / 'Softmax.'): what the answer adds is what was asked for."""
    if not _EXPLAIN_ASK.search(question):
        return False
    own = {t.key for t in tokenize(reference) if t.content and t.key not in question_keys}
    return len(own) <= TERSE_REFERENCE_WORDS


def padding_findings(alignment: Alignment, question_keys: set[str], reference_text: str,
                     explanation_asked: bool = False) -> list[Finding]:
    """Claims added to the reference's words: sweeping words ('always', 'only') or a whole
    extra clause the reference does not support ('..., and they are renewable').

    A clause that explains the one before it ('because ...', 'so ...') is not an added
    claim, nor is any clause when the question asks for an explanation the reference
    leaves out (`explanation_asked`).
    """
    reference_keys = {t.key for t in tokenize(reference_text)}
    reference_words = {t.text for t in tokenize(reference_text)}
    for token in alignment.answer_tokens:
        if token.text in ABSOLUTES and token.key not in reference_keys and token.key not in question_keys:
            if token.negated or reference_words & ABSOLUTE_EQUIVALENTS.get(token.text, set()):
                continue
            return [Finding("padding", f"'{token.text}' is not in the reference")]
    if explanation_asked:
        return []
    clauses: dict[int, list[Token]] = {}
    openers: dict[int, Token] = {}
    for token in alignment.answer_tokens:
        openers.setdefault(token.clause, token)
        if token.content and token.key not in question_keys:
            clauses.setdefault(token.clause, []).append(token)
    if len(clauses) < 2:
        return []
    first = min(clauses)
    for clause, tokens in sorted(clauses.items()):
        # Stop words are known for English only: the function words of other scripts
        # ('потому что там') must not make an explanation an added claim.
        counted = [t for t in tokens if t.text.isascii()]
        if clause == first or len(counted) < UNSUPPORTED_CLAUSE_WORDS:
            continue
        if openers[clause].text in EXPLAINING_OPENERS | REQUEST_OPENERS:
            continue
        supported = [
            t for t in tokens
            if t.key in reference_keys
            or ((m := alignment.matched_answer.get(t.index)) is not None and m.strength >= SOLID)
        ]
        if not supported:
            words = " ".join(t.text for t in tokens[:4])
            return [Finding("padding", f"'{words}' is not in the reference")]
    return []


def inversion_rate(alignment: Alignment) -> float:
    """Share of matched word pairs, within one key point, that the answer puts in the other order."""
    discordant = total = 0
    for pc in alignment.points:
        order: dict[str, int] = {}
        for position, token in enumerate(pc.point.all_tokens):
            order.setdefault(token.key, position)
        seen: dict[str, int] = {}
        for match in pc.matches:
            if match.strength >= SOLID and match.reference.key in order:
                seen.setdefault(match.reference.key, match.answer.index)
        pairs = sorted((answer_index, order[key]) for key, answer_index in seen.items())
        for i in range(len(pairs)):
            for j in range(i + 1, len(pairs)):
                if pairs[i][0] == pairs[j][0]:
                    continue
                total += 1
                if pairs[i][1] > pairs[j][1]:
                    discordant += 1
    return discordant / total if total >= 3 else 0.0


def substitutions(alignment: Alignment, question_keys: set[str]) -> list[Finding]:
    """A short key point with one word replaced by another ('adenosine diphosphate' for
    'adenosine triphosphate', '27.3 hours' for '27.3 days')."""
    said = {m.answer.index for m in alignment.matched_answer.values() if m.strength >= SOLID}
    answer = [t for t in alignment.answer_tokens if t.content]
    position = {t.index: i for i, t in enumerate(answer)}
    for pc in alignment.points:
        tokens = [t for t in pc.point.tokens]
        if pc.point.optional or not 2 <= len(tokens) <= 4:
            continue
        matched = {m.reference.key: m.answer.index for m in pc.matches if m.strength >= SOLID}
        missing = [i for i, t in enumerate(tokens) if t.key not in matched]
        if len(missing) != 1 or pc.coverage < 0.3:
            continue
        gap = missing[0]
        before = matched.get(tokens[gap - 1].key) if gap > 0 else None
        after = matched.get(tokens[gap + 1].key) if gap + 1 < len(tokens) else None
        if before is None and after is None:
            continue
        for candidate in answer:
            if candidate.index in said or candidate.key in question_keys:
                continue
            if not _near_miss_pair(candidate.text, tokens[gap].text):
                continue
            spot = position[candidate.index]
            ok_before = before is None or (spot > 0 and answer[spot - 1].index == before)
            ok_after = after is None or (spot + 1 < len(answer) and answer[spot + 1].index == after)
            if ok_before and ok_after:
                return [Finding("substitution", f"'{candidate.text}' is not '{tokens[gap].text}'")]
    return []


def _near_miss_pair(a: str, b: str) -> bool:
    """Two different words from one family: units of one quantity, ordinals, shared long stem."""
    if a == b or a.isdigit() or b.isdigit():
        return False
    if any(a in family and b in family for family in UNIT_FAMILIES):
        return True
    if len(a) <= 2 and len(b) <= 2 and a.isalpha() and b.isalpha() and sorted(a) != sorted(b):
        return True
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return (suffix >= 4 and prefix == 0) or (prefix >= 4 and suffix == 0 and min(len(a), len(b)) - prefix >= 3)


_ORDER_QUESTION = re.compile(
    r"\b(?:order|ordered|sequence|sequential|steps?|stages?|phases?|rank|ranked|ranking|"
    r"chronolog\w*|first to last|inside out|outside in|outermost|innermost|inwards?|outwards?|"
    r"upwards?|downwards?|bottom up|top down|ground up|from \w+(?: \w+)? to)\b",
    re.IGNORECASE,
)


def order_swaps(alignment: Alignment, question: str) -> list[Finding]:
    """A sequence the question asks for, given in another order (phases, layers, steps)."""
    if not _ORDER_QUESTION.search(question):
        return []
    positions: list[int] = []
    seen: set[str] = set()
    for pc in alignment.points:
        if pc.point.optional or pc.coverage < 0.5:
            continue
        first: dict[str, int] = {}
        for match in pc.matches:
            if match.strength >= SOLID:
                first.setdefault(match.reference.key, match.answer.index)
        for token in pc.point.tokens:
            if token.key in first and token.key not in seen:
                seen.add(token.key)
                positions.append(first[token.key])
    if len(positions) < 3 or len(set(positions)) < len(positions):
        return []
    if positions != sorted(positions):
        return [Finding("order", "the order is not the reference's")]
    return []
