"""`RulesGrader`: key-point coverage with typo tolerance, plus contradiction vetoes.

The reference is split into key points; each is covered when the answer has its words
(stems, everyday synonyms, typos, abbreviations, acronyms). Vetoes override coverage:
an empty/"idk" answer, an injection attempt, added or removed negation, an antonym in
place of a reference word, a wrong number, swapped roles, sweeping extra claims.
Deterministic and fast (no model): what is compared is bounded (`MAX_COMPARED_WORDS`,
`MAX_COMPARED_CHARS`, `MAX_ALTERNATIVE_WORDS`), so one grade stays well under a second
whatever is pasted; a verdict on a cut text says so in its feedback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from tutor.grading.base import PASS_WORDS, GradeRequest, GradeResult, Veto
from tutor.grading.checks import (
    Finding,
    antonym_conflicts,
    asks_for_explanation,
    contrast_swaps,
    direction_swaps,
    negation_conflicts,
    number_conflicts,
    order_swaps,
    padding_findings,
    role_swaps,
    substitutions,
)
from tutor.grading.formula import formula_score
from tutor.grading.injection import find_injection
from tutor.grading.keypoints import ReferenceParse, parse_reference
from tutor.grading.lexicon import IDK_FILLER, IDK_PHRASES
from tutor.grading.matching import SOLID, Alignment, align
from tutor.grading.text import Token, different_word, fold, tokenize

#: Confidence below this puts a verdict in the ask-the-learner band.
ASK_LEARNER_BELOW = 0.6

#: Answers, references and questions are compared on their first this many words (the
#: longest bundled card has 244); past that, a grade would take seconds, not milliseconds.
MAX_COMPARED_WORDS = 300
#: ... and on their first this many characters (a pasted 100,000-character "word", or
#: text without spaces: Chinese, Japanese, Thai).
MAX_COMPARED_CHARS = 3000
#: Accepted alternatives are compared in order until their words add up to this.
MAX_ALTERNATIVE_WORDS = 2 * MAX_COMPARED_WORDS
#: Injection attempts are looked for in this much of the answer: more than a model is
#: ever shown (`sanitise_answer` keeps 1,500 characters), so none slips past the veto.
INJECTION_SCAN_CHARS = 8000

_WORD = re.compile(r"\S+")
_LONG_SPACE = re.compile(r"\s{17,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")

_IDK_SET = frozenset(re.sub(r"[\s.!?,;:()\-–—'\"…]+", " ", fold(p)).strip() for p in IDK_PHRASES)
_IDK_BY_LENGTH = tuple(sorted((p for p in _IDK_SET if len(p) >= 3), key=len, reverse=True))


def why_never_right(answer: str) -> str | None:
    """Why the learner cannot mark ``answer`` right ("I was right" would make it an accepted
    answer of the card), or None: an empty or "I don't know" answer, or one that talks to
    the grader."""
    if is_idk(answer):
        return "an empty or \"I don't know\" answer cannot be marked right"
    if find_injection(answer):
        return "an answer that gives the grader instructions cannot be marked right"
    return None


def is_idk(answer: str) -> bool:
    """True for empty answers and answers that only say "I don't know" in some form."""
    text = re.sub(r"[\s.!?,;:()\-–—'\"…]+", " ", fold(answer)).strip()
    if not text:
        return True
    if text in _IDK_SET:
        return True
    padded = f" {text} "
    found = False
    for phrase in _IDK_BY_LENGTH:
        if f" {phrase} " in padded:
            padded = padded.replace(f" {phrase} ", " ")
            found = True
    words = [w for w in padded.split() if w not in IDK_FILLER]
    return found and not words and not re.search(r"\d", padded)


@dataclass
class Verdict:
    """Everything the rules measured for one answer against one reference."""

    score: int
    coverage: float
    main: float
    precision: float
    findings: list[Finding] = field(default_factory=list)
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    typo: bool = False
    typos: tuple[tuple[str, str], ...] = ()
    margin: float = 0.5
    """How far the coverage is from the pass boundary (drives confidence)."""
    base: int = 0
    """The coverage score before any veto."""
    missing_words: tuple[str, ...] = ()
    """Words of partly covered key points that the answer lacks."""
    list_coverage: float = 0.0
    """Mean coverage of the reference's list items (0 when the reference is not a list)."""
    list_short: float = 0.0
    """How far short of the list the answer's own points fall: 1 - its points / the items
    asked for (or listed), at least 0 (0 when the reference is not a list)."""


class RulesGrader:
    """The always-available grader: deterministic key-point coverage with vetoes."""

    name = "rules"

    def grade(self, request: GradeRequest) -> GradeResult:
        """Grade one answer (never raises for any text input)."""
        full_answer = request.answer or ""
        request, cuts = bounded(request)
        if is_idk(request.answer):
            return GradeResult(
                score=0, grader=self.name, confidence=0.99,
                feedback="No answer given." if not request.answer.strip() else "You said you don't know.",
                missing=tuple(p.text for p in parse_reference(request.reference, request.question).required),
                veto="idk",
            )
        reasons = find_injection(_squeeze(_CONTROL.sub(" ", full_answer))[:INJECTION_SCAN_CHARS])
        if reasons:
            return GradeResult(
                score=0, grader=self.name, confidence=0.99, veto="injection",
                feedback=f"The answer tries to instruct the grader ({reasons[0]}); it is scored 0.",
            )
        result = self._grade_bounded(request)
        if cuts:
            result = replace(result, feedback=f"{result.feedback} ({'; '.join(cuts)})")
        return result

    def _grade_bounded(self, request: GradeRequest) -> GradeResult:
        answer = request.answer
        best: Verdict | None = None
        own: Verdict | None = None
        best_is_alternative = False
        for position, reference in enumerate((request.reference, *request.alternatives)):
            if not reference or not reference.strip():
                continue
            verdict = self.assess(request.question, reference, answer)
            if position and verdict.coverage >= 0.8 and not verdict.findings:
                verdict.score = 5
            if position == 0:
                own = verdict
            if best is None or verdict.score > best.score:
                best, best_is_alternative = verdict, position > 0
        if best is None:
            return GradeResult(score=0, feedback="The card has no reference answer.", grader=self.name,
                               confidence=0.2, needs_learner=True)
        if best_is_alternative:
            # Scored on an accepted answer; what is said missing is still the reference's
            # (the card shows the reference, never the accepted answer's words).
            best = replace(best, matched=own.matched if own else (),
                           missing=own.missing if own else (),
                           missing_words=own.missing_words if own else ())
        confidence = self._confidence(best)
        needs_learner = confidence < ASK_LEARNER_BELOW
        # A real match of an accepted answer is final (a policy veto).
        veto: Veto | None = "alternative" if best_is_alternative and best.score >= 3 else None
        return GradeResult(
            score=best.score, feedback=_feedback(best), grader=self.name, confidence=confidence,
            matched=best.matched, missing=best.missing, veto=veto,
            checks=tuple(sorted({f.kind for f in best.findings})), needs_learner=needs_learner,
            slips=best.typos if slip_only(best) else (),
        )

    # ------------------------------------------------------------------ measuring

    def assess(self, question: str, reference: str, answer: str) -> Verdict:
        """Measure ``answer`` against one reference; the score before confidence/feedback."""
        parse = parse_reference(reference, question)
        question_tokens = tokenize(question)
        question_keys = {t.key for t in question_tokens if t.content and t.number is None}
        answer_tokens = tokenize(answer)
        points = tuple(p.text for p in parse.required)
        formula = formula_score(reference, answer)
        if formula is not None:
            if formula >= 3:
                return Verdict(formula, 1.0, 1.0, 1.0, [], points, (), margin=0.6, base=formula)
            finding = Finding("formula", "the formula is not the reference's")
            return Verdict(formula, 0.0, 0.0, 0.0, [finding], (), points, margin=0.4, base=formula)
        if _same_words(answer_tokens, tokenize(reference)):
            return Verdict(5, 1.0, 1.0, 1.0, [], points, (), margin=0.6, base=5,
                           list_coverage=1.0 if parse.is_list else 0.0)
        alignment = align(parse, answer_tokens)
        list_coverage, list_short = _list_signals(parse, alignment, answer, question)
        coverage, main, listed = _coverage(parse, alignment)
        precision = _precision(alignment, question_keys)
        findings = (
            negation_conflicts(alignment)
            + antonym_conflicts(alignment, question_keys)
            + number_conflicts(alignment, question_tokens, tokenize(reference))
        )
        if not findings:
            findings = (role_swaps(alignment) + direction_swaps(answer, reference)
                        + order_swaps(alignment, question))
        if not findings:
            findings = contrast_swaps(alignment, reference)
        if not findings:
            findings = substitutions(alignment, question_keys)
        if not findings and coverage >= 0.5:
            findings = padding_findings(alignment, question_keys, reference + " " + question,
                                        asks_for_explanation(question, reference, question_keys))
        score, margin = _score(coverage, main, precision, listed, parse, alignment)
        if not listed and _bare_number_answer(alignment, question_keys):
            score, margin = max(score, 5), max(margin, 0.4)
        base = score
        kinds = {f.kind for f in findings}
        if kinds & {"negation", "antonym"}:
            score = 0
        elif kinds & {"number", "swap", "padding", "substitution"}:
            score = min(score, 1)
        elif "order" in kinds:
            score = min(score, 2)
        typos = tuple(
            (m.answer.text, m.reference.text)
            for pc in alignment.points for m in pc.matches
            if m.how == "typo" and not different_word(m.answer.text, m.reference.text)
        )
        if typos and score == 5:
            score = 4
        required = [pc for pc in alignment.points if pc.point in parse.required]
        matched = tuple(pc.point.text for pc in required if pc.coverage >= 0.5)
        missing = tuple(pc.point.text for pc in required if pc.coverage < 0.5)
        said = {m.reference.key for pc in required for m in pc.matches if m.strength >= SOLID}
        missing_words: list[str] = []
        for pc in required:
            if 0 < pc.coverage < 1.0:
                for token in pc.point.tokens:
                    if token.key not in said and token.text not in missing_words:
                        missing_words.append(token.text)
        return Verdict(score, coverage, main, precision, findings, matched, missing,
                       bool(typos), typos, margin, base, as_written(missing_words, reference)[:4],
                       list_coverage, list_short)

    @staticmethod
    def _confidence(verdict: Verdict) -> float:
        if verdict.findings:
            return 0.8
        return min(0.95, 0.5 + abs(verdict.margin) * 1.6)


def _squeeze(text: str) -> str:
    """Runs of more than 16 whitespace characters made 2 (a newline kept): patterns that
    scan spaces take time growing with the square of a run, and none of them tells 16
    spaces from 16,000."""
    return _LONG_SPACE.sub(lambda m: "\n\n" if "\n" in m.group() else "  ", text)


def cut_text(text: str) -> tuple[str, str]:
    """The first `MAX_COMPARED_WORDS` words (at most `MAX_COMPARED_CHARS` characters) of
    ``text``, whitespace runs squeezed, and what it was cut to ('' when nothing was cut)."""
    text = _squeeze(text)
    end = 0
    for count, match in enumerate(_WORD.finditer(text, 0, MAX_COMPARED_CHARS + 1), start=1):
        end = match.end()
        if count == MAX_COMPARED_WORDS:
            break
    limit = f"{MAX_COMPARED_WORDS} words"
    if end > MAX_COMPARED_CHARS:
        space = text.rfind(" ", 0, MAX_COMPARED_CHARS)
        end = space if space > MAX_COMPARED_CHARS // 2 else MAX_COMPARED_CHARS
        limit = f"{MAX_COMPARED_CHARS:,} characters"
    return text[:end], (limit if text[end:].strip() else "")


def bounded(request: GradeRequest) -> tuple[GradeRequest, list[str]]:
    """The part of ``request`` the rules compare, and what was cut (said in the feedback)."""
    cuts: list[str] = []
    fields: dict[str, str] = {}
    for name in ("answer", "reference", "question"):
        fields[name], limit = cut_text(getattr(request, name) or "")
        if limit and name != "question":
            cuts.append(f"only the first {limit} of the {name} were compared")
    alternatives: list[str] = []
    budget = MAX_ALTERNATIVE_WORDS
    for alternative in request.alternatives:
        text, _ = cut_text(alternative)
        budget -= len(text.split())
        if budget < 0:
            cuts.append(f"only the first {len(alternatives)} accepted answers were compared")
            break
        alternatives.append(text)
    return GradeRequest(fields["question"], fields["reference"], fields["answer"], tuple(alternatives)), cuts


def _coverage(parse: ReferenceParse, alignment: Alignment) -> tuple[float, float, bool]:
    """(overall coverage, coverage of the main point, scored as a list)."""
    required = [pc for pc in alignment.points if pc.point in parse.required]
    if not required:
        return 0.0, 0.0, False
    if parse.is_list:
        items = [pc for pc in required if pc.point.item]
        extras = [pc for pc in alignment.points if pc.point.optional and pc.point.item]
        hit = sum(1 for pc in items if pc.coverage >= 0.5) + sum(1 for pc in extras if pc.coverage >= 0.5)
        others = [pc for pc in required if not pc.point.item]
        need = parse.required_items or len(items)
        fraction = min(1.0, hit / need) if need else 0.0
        if others:
            rest = sum(pc.coverage for pc in others) / len(others)
            fraction = (fraction * len(items) + rest * len(others)) / (len(items) + len(others))
        return fraction, required[0].coverage, True
    total = sum(pc.coverage for pc in required) / len(required)
    return total, required[0].coverage, False


def _list_signals(parse: ReferenceParse, alignment: Alignment, answer: str,
                  question: str) -> tuple[float, float]:
    """(mean coverage of the reference's list items, how far short of the list the answer's
    own points fall); both 0 when the reference is not a list. The second counts the answer's
    points however they are worded, so a half list that the matching misreads still shows."""
    if not parse.is_list:
        return 0.0, 0.0
    items = [pc.coverage for pc in alignment.points if pc.point in parse.required and pc.point.item]
    if not items:
        return 0.0, 0.0
    need = parse.required_items or len(items)
    # Uncached: answers would push the references' parses out of the cache.
    said = max(1, len(parse_reference.__wrapped__(answer, question).required))
    return sum(items) / len(items), max(0.0, 1.0 - said / need)


HEAD_MIN = 0.5
PREC_MIN = 0.75
HEAD_SIZE = 3


def _head_coverage(parse: ReferenceParse, alignment: Alignment) -> float:
    """Coverage of the first few words of the first key point (its head: 'diffusion of water')."""
    required = [pc for pc in alignment.points if pc.point in parse.required]
    if not required:
        return 0.0
    first = required[0]
    head: list[str] = []
    for token in first.point.tokens:
        if token.key not in head:
            head.append(token.key)
        if len(head) == HEAD_SIZE:
            break
    said = {m.reference.key for m in first.matches if m.strength >= SOLID}
    return sum(1 for key in head if key in said) / len(head) if head else 0.0


def _same_words(answer: list[Token], reference: list[Token]) -> bool:
    """The answer is the reference, word for word (stop words included)."""
    return bool(answer) and [t.key for t in answer] == [t.key for t in reference]


def _bare_number_answer(alignment: Alignment, question_keys: set[str]) -> bool:
    """A numeric answer ('476', '12') that equals the reference's number."""
    informative = [t for t in alignment.answer_tokens if t.content and t.key not in question_keys]
    numbers = [t for t in informative if t.number is not None]
    words = [t for t in informative if t.number is None]
    if not numbers or any(t.index not in alignment.matched_answer for t in words):
        return False
    reference_numbers = [t for pc in alignment.points if not pc.point.optional
                         for t in pc.point.all_tokens if t.number is not None]
    if not reference_numbers:
        return False
    matched = {m.reference.key for m in alignment.matched_answer.values() if m.how == "number"}
    return all(
        (m := alignment.matched_answer.get(t.index)) is not None and m.how == "number" for t in numbers
    ) and (reference_numbers[0].key in matched or len({t.key for t in reference_numbers}) <= 2)


def _precision(alignment: Alignment, question_keys: set[str]) -> float:
    """Share of the answer's own content words that the reference supports."""
    informative = [t for t in alignment.answer_tokens if t.content and t.key not in question_keys]
    if not informative:
        return 0.0
    supported = sum(
        1 for t in informative
        if (m := alignment.matched_answer.get(t.index)) is not None and m.strength >= SOLID
    )
    return supported / len(informative)


def _score(coverage: float, main: float, precision: float, listed: bool, parse: ReferenceParse,
           alignment: Alignment) -> tuple[int, float]:
    """Map coverage to 0-5; also return the signed distance from the pass boundary."""
    if listed:
        value = coverage
        bands = ((0.9, 5), (0.75, 4), (0.6, 3), (0.3, 2), (0.01, 1))
        boundary = 0.6
    else:
        value = coverage
        if main >= 0.75 and precision >= 0.5:
            value = max(value, 0.45 + 0.1 * main)
        head = _head_coverage(parse, alignment)
        if head >= HEAD_MIN and precision >= PREC_MIN:
            value = max(value, 0.42)
        bands = ((0.8, 5), (0.6, 4), (0.4, 3), (0.2, 2), (0.05, 1))
        boundary = 0.4
    for threshold, score in bands:
        if value >= threshold:
            return score, value - boundary
    return 0, value - boundary


_SURFACE_WORD = re.compile(r"\w+")


def as_written(words: list[str], reference: str) -> tuple[str, ...]:
    """``words`` (folded token texts) as the reference writes them ('co2' -> 'CO2'); a word
    the reference does not hold as written (a shorthand expanded, a phrase rewritten, part
    of a contraction) is left out, so feedback never names a word the learner cannot find."""
    surface: dict[str, str] = {}
    for match in _SURFACE_WORD.finditer(reference):
        surface.setdefault(fold(match.group()), match.group())
    folded = fold(reference)
    shown: list[str] = []
    for word in words:
        written = surface.get(word)
        if written is not None:
            # An acronym or an accent as written ('DNA', 'café'); a capital that only
            # starts a sentence is not kept.
            keep = written[1:] != written[1:].lower() or written.lower() != word
            shown.append(written if keep else word)
        elif re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded):
            shown.append(word)  # a number or a term of several words ('13.8 billion')
    return tuple(dict.fromkeys(shown))


def _feedback(verdict: Verdict) -> str:
    """A short note a learner can act on."""
    parts: list[str] = []
    for finding in verdict.findings[:2]:
        parts.append(finding.message)
    partial_point = len(verdict.missing) == 1 and not verdict.matched and verdict.missing_words
    if partial_point and verdict.score < 5:
        # One key point, partly said: the words left out help more than the whole point.
        parts.append("not mentioned: " + ", ".join(verdict.missing_words))
    elif verdict.missing and verdict.score < 5:
        shown = [_short(text) for text in verdict.missing[:2]]
        more = len(verdict.missing) - len(shown)
        parts.append("missing: " + "; ".join(shown) + (f" (+{more} more)" if more > 0 else ""))
    elif verdict.missing_words and verdict.score < 5:
        parts.append("not mentioned: " + ", ".join(verdict.missing_words))
    if verdict.typos:
        wrong, right = verdict.typos[0]
        parts.append(f"spelling: '{wrong}' -> '{right}'")
    if not parts:
        return f"{PASS_WORDS[verdict.score]}." if verdict.score in PASS_WORDS else (
            "Not the reference answer.")
    if verdict.findings or verdict.score < 3:
        lead = "Not quite"
    elif verdict.score == 5 or (verdict.score == 4 and slip_only(verdict)):
        lead = "Correct"  # never beside something missing: that is "Mostly right" (4)
    else:
        lead = PASS_WORDS[verdict.score]
    return f"{lead}: " + "; ".join(parts)


def slip_only(verdict: Verdict) -> bool:
    """A spelling slip is all the rules found wrong (nothing missing, not mentioned or
    checked): a 4 that is "correct, with a slip" (`GradeResult.slips` is set only then)."""
    return bool(verdict.typos) and not (verdict.findings or verdict.missing
                                        or verdict.missing_words)


def _short(text: str, limit: int = 60) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
