"""Aligning an answer's words with a reference's key points.

Each reference word is matched to its best answer word: the same stem, an everyday
synonym, the same word family, a typo, an abbreviation, an acronym of several words
("cnn" / "convolutional neural network"), a compound written apart ("soft max"), or an
equal number. Coverage of each key point is the share of its words matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor.grading.keypoints import KeyPoint, ReferenceParse
from tutor.grading.text import (
    EXACT,
    TYPO,
    Token,
    is_acronym_candidate,
    numbers_equal,
    stem,
    word_match,
)
from rapidfuzz.distance import OSA

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


class _Matcher:
    """Finds the best answer word for reference words, with per-call caches."""

    def __init__(self, answer: list[Token]) -> None:
        self.answer = [t for t in answer if t.content]
        self.cache: dict[tuple[str, str], WordMatch | None] = {}
        self.bigrams = [
            (a, b, a.text + b.text) for a, b in zip(self.answer, self.answer[1:])
            if a.number is None and b.number is None and a.clause == b.clause
        ]

    def best(self, ref: Token) -> WordMatch | None:
        cache_key = (ref.text, ref.key)
        if cache_key in self.cache:
            found = self.cache[cache_key]
            return WordMatch(ref, found.answer, found.strength, found.how) if found else None
        best: WordMatch | None = None
        for token in self.answer:
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
            for first, _second, joined in self.bigrams:
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
    for token in answer_words:
        if not is_acronym_candidate(token) or _has_word_match(token, words):
            continue
        for letters in {token.text, token.text.rstrip("s")}:
            size = len(letters)
            if size < 2:
                continue
            for start in range(len(words) - size + 1):
                run = words[start: start + size]
                if "".join(w.text[0] for w in run) == letters:
                    for word in run:
                        found[id(word)] = WordMatch(word, token, ACRONYM, "acronym")
    for word in words:
        if not is_acronym_candidate(word):
            continue
        letters = word.text.rstrip("s") if len(word.text) > 2 else word.text
        for candidate in {word.text, letters}:
            size = len(candidate)
            for start in range(len(answer_words) - size + 1):
                run = answer_words[start: start + size]
                if "".join(w.text[0] for w in run) == candidate and len({w.clause for w in run}) == 1:
                    found[id(word)] = WordMatch(word, run[0], ACRONYM, "acronym")
                    break
    # a compound reference word written apart in the reference ("bio-informatics") vs joined
    for first, second in zip(words, words[1:]):
        joined = first.text + second.text
        for token in answer_words:
            if token.text == joined or stem(token.text) == stem(joined):
                found[id(first)] = WordMatch(first, token, COMPOUND, "compound")
                found[id(second)] = WordMatch(second, token, COMPOUND, "compound")
    return found


def _has_word_match(token: Token, words: list[Token]) -> bool:
    return any(
        word_match(token.text, word.text, token.key, word.key)[0] >= SOLID for word in words
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
