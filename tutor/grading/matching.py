"""Aligning an answer's words with a reference's key points.

Each reference word is matched to its best answer word: the same stem, an everyday
synonym, the same word family, a typo, an abbreviation, an acronym of several words
("cnn" / "convolutional neural network"), a compound written apart ("soft max"), or an
equal number. Coverage of each key point is the share of its words matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from tutor.grading.keypoints import KeyPoint, ReferenceParse
from tutor.grading.text import (
    EXACT,
    TYPO,
    Token,
    WordIndex,
    is_acronym_candidate,
    numbers_equal,
    stem,
    word_match,
)

ACRONYM = 0.95
COMPOUND = 0.95
#: Matches at least this strong count as "the answer says this word".
SOLID = 0.84


@dataclass(frozen=True, slots=True)
class WordMatch:
    """A reference word and the answer word that stands for it."""

    reference: Token
    answer: Token
    strength: float
    how: str


@dataclass
class PointCoverage:
    """How much of one key point the answer covers."""

    point: KeyPoint
    coverage: float
    matches: list[WordMatch] = field(default_factory=list)


@dataclass
class Alignment:
    """The answer measured against a parsed reference."""

    parse: ReferenceParse
    answer_tokens: list[Token]
    points: list[PointCoverage]
    matched_answer: dict[int, WordMatch]
    """Answer token index -> its strongest match to any reference word."""

    @property
    def typo(self) -> bool:
        """True when some matched word was misspelt."""
        return any(m.how == "typo" for pc in self.points for m in pc.matches)


_NUMBER = ("number", "")


class _Matcher:
    """Finds the best answer word for reference words, with per-call caches.

    Only answer words that can match at all are tried (`WordIndex`), so the cost grows
    with the plausible pairs, not with answer words x reference words.
    """

    def __init__(self, answer: list[Token]) -> None:
        self.answer = [t for t in answer if t.content]
        self.cache: dict[tuple[str, str], WordMatch | None] = {}
        self.index = WordIndex(self.answer)
        # One number token per written form: a repeat never beats its first occurrence.
        numbers = {(t.text, t.number, t.percent): t for t in reversed(self.answer) if t.number is not None}
        self.numbers = sorted(numbers.values(), key=lambda t: t.index)
        self.bigrams = [
            (a, b, a.text + b.text) for a, b in zip(self.answer, self.answer[1:])
            if a.number is None and b.number is None and a.clause == b.clause
        ]
        self.bigrams_by_first: dict[str, list[tuple[Token, Token, str]]] = {}
        for bigram in self.bigrams:
            self.bigrams_by_first.setdefault(bigram[2][0], []).append(bigram)

    def _candidates(self, ref: Token) -> list[Token]:
        found = self.index.candidates(ref.text, ref.key)
        if ref.number is None:
            return found
        return sorted({id(t): t for t in found + self.numbers}.values(), key=lambda t: t.index)

    def best(self, ref: Token) -> WordMatch | None:
        cache_key = (ref.text, ref.key)
        if cache_key in self.cache:
            found = self.cache[cache_key]
            return WordMatch(ref, found.answer, found.strength, found.how) if found else None
        best: WordMatch | None = None
        for token in self._candidates(ref):
            if token.number is not None or ref.number is not None:
                if token.number is not None and ref.number is not None and numbers_equal(token, ref):
                    best = WordMatch(ref, token, EXACT, "number")
                    break
                if not (token.number is not None and ref.number is not None) and token.text == ref.text:
                    best = WordMatch(ref, token, EXACT, "exact")
                    break
                continue
            strength, how = word_match(token.text, ref.text, token.key, ref.key)
            if strength and (best is None or strength > best.strength):
                best = WordMatch(ref, token, strength, how)
                if strength >= EXACT:
                    break
        if (best is None or best.strength < TYPO) and ref.number is None and len(ref.text) >= 5:
            for first, _second, joined in self.bigrams_by_first.get(ref.text[0], ()):
                if joined == ref.text or (
                    joined[0] == ref.text[0] and OSA.distance(joined, ref.text, score_cutoff=1) <= 1
                ):
                    best = WordMatch(ref, first, COMPOUND, "compound")
                    break
        self.cache[cache_key] = best
        return best


def _acronym_matches(reference: list[Token], answer: list[Token], matcher: "_Matcher") -> dict[int, WordMatch]:
    """Reference words covered by an answer acronym, or a reference acronym spelt out."""
    found: dict[int, WordMatch] = {}
    words = [t for t in reference if t.number is None and t.text.isalpha()]
    answer_words = [t for t in answer if t.content and t.number is None and t.text.isalpha()]
    word_index = WordIndex(words)
    word_initials = "".join(w.text[0] for w in words)
    # A later token of the same text covers the same words and would overwrite: keep the last.
    last_of_each = sorted({t.text: t for t in answer_words}.values(), key=lambda t: t.index)
    for token in last_of_each:
        if not is_acronym_candidate(token):
            continue
        runs = [(start, len(letters)) for letters in {token.text, token.text.rstrip("s")} if len(letters) >= 2
                for start in _occurrences(word_initials, letters)]
        if not runs or _has_word_match(token, word_index):
            continue
        for start, size in runs:
            for word in words[start: start + size]:
                found[id(word)] = WordMatch(word, token, ACRONYM, "acronym")
    answer_initials = "".join(w.text[0] for w in answer_words)
    for word in words:
        if not is_acronym_candidate(word):
            continue
        letters = word.text.rstrip("s") if len(word.text) > 2 else word.text
        for candidate in {word.text, letters}:
            size = len(candidate)
            for start in _occurrences(answer_initials, candidate):
                run = answer_words[start: start + size]
                if len({w.clause for w in run}) == 1:
                    found[id(word)] = WordMatch(word, run[0], ACRONYM, "acronym")
                    break
    # a compound reference word written apart in the reference ("bio-informatics") vs joined
    last_by_text: dict[str, Token] = {}
    last_by_stem: dict[str, Token] = {}
    for token in answer_words:
        last_by_text[token.text] = token
        last_by_stem[stem(token.text)] = token
    for first, second in zip(words, words[1:]):
        joined = first.text + second.text
        matches = [t for t in (last_by_text.get(joined), last_by_stem.get(stem(joined))) if t is not None]
        if matches:
            token = max(matches, key=lambda t: t.index)
            found[id(first)] = WordMatch(first, token, COMPOUND, "compound")
            found[id(second)] = WordMatch(second, token, COMPOUND, "compound")
    return found


def _occurrences(text: str, part: str) -> list[int]:
    """Every start of ``part`` in ``text``, overlapping ones included."""
    starts: list[int] = []
    start = text.find(part)
    while start >= 0:
        starts.append(start)
        start = text.find(part, start + 1)
    return starts


def _has_word_match(token: Token, words: WordIndex) -> bool:
    return any(
        word_match(token.text, word.text, token.key, word.key)[0] >= SOLID
        for word in words.candidates(token.text, token.key)
    )


def _coverage(tokens: list[Token], matcher: _Matcher, acronyms: dict[int, WordMatch]) -> tuple[float, list[WordMatch]]:
    """Share of distinct reference words matched (by strength) and the matches."""
    if not tokens:
        return 0.0, []
    seen: dict[str, float] = {}
    weights: dict[str, float] = {}
    matches: list[WordMatch] = []
    for token in tokens:
        weight = 1.0
        weights[token.key] = max(weights.get(token.key, 0.0), weight)
        found = acronyms.get(id(token)) or matcher.best(token)
        if found is not None:
            matches.append(found)
            seen[token.key] = max(seen.get(token.key, 0.0), found.strength * weight)
    total = sum(weights.values())
    return (sum(seen.values()) / total if total else 0.0), matches


def align(parse: ReferenceParse, answer_tokens: list[Token]) -> Alignment:
    """Measure ``answer_tokens`` against every key point of ``parse``."""
    matcher = _Matcher(answer_tokens)
    coverages: list[PointCoverage] = []
    matched_answer: dict[int, WordMatch] = {}
    everything = [t for point in parse.points for t in point.all_tokens]
    acronyms = _acronym_matches(everything, answer_tokens, matcher)
    for point in parse.points:
        base, base_matches = _coverage(point.tokens, matcher, acronyms)
        alias, alias_matches = _coverage(point.alias, matcher, acronyms)
        _, all_matches = _coverage(point.all_tokens, matcher, acronyms)
        coverage = max(base, alias) if point.tokens else 0.0
        matches = base_matches if base >= alias else alias_matches
        coverages.append(PointCoverage(point, coverage, matches))
        for match in all_matches + base_matches + alias_matches:
            current = matched_answer.get(match.answer.index)
            if current is None or match.strength > current.strength:
                matched_answer[match.answer.index] = match
    return Alignment(parse, answer_tokens, coverages, matched_answer)
