"""Formulas and symbol sequences: compared as written, not as bags of words.

'O(log n)' and 'O(n log n)' share every word, as do 'a² + 2ab + b²' and 'a² − 2ab + b²';
for a short symbolic reference and a symbolic answer the grader compares canonical
symbol strings instead (spaces, powers, parentheses and multiplication signs folded; the
terms of a sum and the letters of a product may come in any order; several equations
may be given in any order).
"""

from __future__ import annotations

import re

from tutor.grading.text import fold

_OPERATORS = re.compile(r"[=+^/()|<>±√²³×·*]|\u2212|\b(?:sqrt|ln|log|sin|cos|tan|exp)\b")
_FUNCTION_WORDS = frozenset({"sqrt", "log", "ln", "sin", "cos", "tan", "exp", "lim", "max", "min",
                             "mod", "pi", "theta", "alpha", "beta", "delta", "sigma", "lambda",
                             "mu", "omega", "phi", "rho", "tau", "and", "where", "plus", "minus",
                             "squared", "cubed"})
_SINGLE_SYMBOLS = re.compile(r"^(?:[A-Za-z0-9][#b]?[\s,]+){2,}[A-Za-z0-9][#b]?$")
_MEASUREMENT = re.compile(r"\d\.\d|\d{2,}")
_EQUATIONS = re.compile(r";|,(?=\s*[a-z])|\band\b|\n", re.IGNORECASE)


def _symbols_only(text: str) -> bool:
    return bool(_SINGLE_SYMBOLS.match(text.strip().rstrip(".")))


def _looks_symbolic(text: str) -> bool:
    """A formula ('KE = ½mv²', 'O(n log n)') or a sequence of single symbols ('W W H W')."""
    stripped = text.strip().rstrip(".")
    if _symbols_only(stripped):
        return True
    if not _OPERATORS.search(stripped):
        return False
    words = [w for w in re.findall(r"[A-Za-z]{4,}", fold(stripped)) if w not in _FUNCTION_WORDS]
    return len(words) <= 1


def canonical(text: str) -> str:
    """The symbol string compared between formulas."""
    text = fold(text.replace("\u00d7", "*").replace("\u00b7", "*"))
    text = text.replace("\u2212", "-").replace("+-", "\u00b1").replace("plus or minus", "\u00b1")
    text = re.sub(r"\bsquared\b", "^2", re.sub(r"\bcubed\b", "^3", text))
    text = re.sub(r"(?<=\))\s+x\s+(?=\w)|(?<=\d)\s+x\s+(?=\d)|\*", "", text)
    text = re.sub(r"^\s*o\s*\((.*)\)\s*$", r"\1", text)  # big-O: O(log n) ~ log n
    text = re.sub(r"[\s()\[\]{}|^]", "", text)
    return text.rstrip(".;,")


def _term(term: str) -> str:
    """A product of one-letter variables in any order: 'iv' ~ 'vi', 'mgh' ~ 'hgm'."""
    if term.isalpha() and len(term) <= 4 and term not in _FUNCTION_WORDS:
        return "".join(sorted(term))
    return term


def _side(text: str) -> tuple[str, ...]:
    return tuple(sorted(_term(t) for t in re.split(r"(?<=[\w)])\+", text) if t))


def _equation(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(_side(side) for side in text.split("="))


def _equations(text: str) -> list[tuple[tuple[str, ...], ...]]:
    return [_equation(canonical(part)) for part in _EQUATIONS.split(text) if canonical(part)]


def formula_score(reference: str, answer: str) -> int | None:
    """0-5 for a symbolic answer to a symbolic reference; None when this does not apply."""
    body = re.sub(r"\s*\((?:[^()]*[A-Za-z]{4,}[^()]*)\)\s*", " ", reference).strip()
    if _MEASUREMENT.search(body) or not _looks_symbolic(body) or not _looks_symbolic(answer):
        return None
    if _symbols_only(body):
        wanted, given = canonical(body), canonical(answer)
        if len(given) != len(wanted):
            return None  # a partial sequence: scored as a list
        return 5 if given == wanted else 1
    whole = _equation(canonical(answer))
    if whole == _equation(canonical(body)):
        return 5
    targets = _equations(body)
    for part in body.split(";"):  # 'Multiplier = 1/(1 - MPC) = 1/MPS': any right-hand side
        pieces = canonical(part).split("=")
        targets += [_equation(p) for p in pieces[1:]] + [_equation("=".join(pieces[-2:]))]
    answered = _equations(answer)
    if not answered or any(g not in targets for g in answered):
        return 1
    equations = max(1, len(_equations(body)))
    share = min(1.0, len(set(answered)) / equations)
    for threshold, score in ((0.9, 5), (0.75, 4), (0.6, 3), (0.3, 2)):
        if share >= threshold:
            return score
    return 1
