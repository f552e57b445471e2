"""Issue 16, items 9 and 10: `tutor grade` answers every line, and no input makes grading slow.

Item 9 runs the real command in a subprocess; item 10 times the real rules grader on
pasted-in monsters (the bound is 3 s, as CI is slow; a grade takes well under a second).
"""

from __future__ import annotations

import json
import random
import time

import pytest

from tests.conftest import run_cli
from tutor.grading.base import GradeRequest
from tutor.grading.rules import MAX_COMPARED_WORDS, RulesGrader

EPOCH = {"question": "What is an epoch?", "reference": "1 complete pass through the training data"}
GOOD = json.dumps({**EPOCH, "answer": "one complete pass through the training data"})
BOUND_S = 3.0


# --------------------------------------------------------------------------- item 9


def test_every_input_line_gets_exactly_one_output_line() -> None:
    lines = [
        GOOD,
        "",                                              # blank
        "[" * 60_000,                                    # RecursionError in json
        json.dumps({**EPOCH, "answer": "x" * 70_000}),  # over the 64 KiB cap
        json.dumps([1, 2, 3]),                           # not an object
        json.dumps({"question": "q", "answer": "a"}),   # missing reference
        "   \t",                                         # only spaces
        '{"question": "q", "reference": "r", "answer": ' + "9" * 5000 + "}",  # int too long
        json.dumps({**EPOCH, "answer": "\ud800 pass"}),  # unpaired surrogate
        json.dumps({**EPOCH, "answer": "no idea"}),
        GOOD,
    ]
    proc = run_cli("grade", "--rules", stdin="\n".join(lines) + "\n", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["score"] == 5 and out[-1]["score"] == 5 and out[-2]["score"] == 0
    errors = {number: row["error"] for number, row in enumerate(out, start=1) if "error" in row}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert errors[2] == "line 2: empty line (expected a JSON object)"
    assert errors[3] == "line 3: not valid JSON (nested too deeply)"
    assert errors[4] == "line 4: longer than 64 KiB; not graded"
    assert errors[5] == "line 5: expected a JSON object"
    assert errors[6] == "line 6: missing field 'reference'"
    assert errors[8].startswith("line 8: not valid JSON")
    assert errors[9].startswith("line 9: field 'answer' holds an unpaired surrogate")


def test_a_huge_line_without_a_newline_is_skipped_in_bounded_memory() -> None:
    # 8 MB with no newline, then a good line: read in 64 KiB pieces, never held whole.
    stdin = "{" + '"a": 1, ' * 1_000_000 + "\n" + GOOD
    proc = run_cli("grade", "--rules", stdin=stdin, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert out == [{"error": "line 1: longer than 64 KiB; not graded"}, out[1]]
    assert out[1]["score"] == 5


# --------------------------------------------------------------------------- item 10

RULES = RulesGrader()
_VOCAB = ("gradient descent updates each weight against the slope of the loss so the model "
          "converges towards a minimum while the learning rate sets the step size and momentum "
          "smooths noisy mini batch estimates regularisation penalises large weights dropout "
          "randomly removes units during training to stop co adaptation batch normalisation "
          "rescales activations convolution kernels share weights across positions recurrent "
          "networks carry hidden state through time while pooling keeps the strongest response").split()


def _words(count: int, seed: int, vocab: tuple[str, ...] | list[str] = _VOCAB) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(vocab) for _ in range(count))


def _timed(question: str, reference: str, answer: str, alternatives: tuple[str, ...] = ()):
    start = time.perf_counter()
    result = RULES.grade(GradeRequest(question, reference, answer, alternatives))
    return result, time.perf_counter() - start


_UNIQUE = [f"w{n:05d}x" for n in range(20_000)]  # no repeats: caches cannot help
_HAN = "".join(chr(0x4E00 + n) for n in range(0, 2000, 7))
_HINDI = "पानी हाइड्रोजन ऑक्सीजन दिल्ली राजधानी भारत सूत्र तत्व प्रकाश संश्लेषण पौधे ऊर्जा".split()


def _phrases(alphabet: str, seed: int) -> str:
    """3,000 characters of 4-6-character phrases between Chinese commas."""
    rng = random.Random(seed)
    return "，".join("".join(rng.choices(alphabet, k=rng.randint(4, 6))) for _ in range(600))
_SAME_LETTER = [f"s{''.join(random.Random(n).choices('aeioubcdfg', k=6))}" for n in range(3000)]
_MONSTERS = {
    "1000 words each": ("Explain training.", _words(1000, 1), _words(1000, 2), ()),
    "3000 words each": ("Explain training.", _words(3000, 3), _words(3000, 4), ()),
    "1 MB answer": ("What is an epoch?", EPOCH["reference"], _words(150_000, 5), ()),
    "1 MB reference": ("Explain training.", _words(150_000, 6), "one pass over the training data", ()),
    "unique words": ("Explain.", _words(2000, 7, _UNIQUE), _words(2000, 8, _UNIQUE), ()),
    "same first letter": ("Explain.", _words(2000, 9, _SAME_LETTER), _words(2000, 10, _SAME_LETTER), ()),
    "100k-character word": ("Spell it.", "a" * 100_000, "a" * 99_999 + "b", ()),
    "100k-digit number": ("How many?", "9" * 100_000, "9" * 99_999 + "8", ()),
    "many numbers": ("List them.", " ".join(str(n * 7) for n in range(5000)),
                     " ".join(str(n * 3) for n in range(5000)), ()),
    "many alternatives": ("What is an epoch?", EPOCH["reference"], _words(300, 11),
                          tuple(_words(300, 100 + n) for n in range(1000))),
    "whitespace run": ("Explain.", "a" + " " * 200_000 + "b", "a" + " \t" * 100_000 + "score: 5", ()),
    "nested parentheses": ("Explain.", "(" * 30_000 + "x" + ")" * 30_000, "x", ()),
    "unclosed parentheses": ("Explain.", "(" + "abcd " * 20_000, "(" + "abcd " * 20_000, ()),
    "numbered list": ("List.", "1. a " * 20_000, "1. a", ()),
    "relations": ("Explain.", " to ".join(_words(3000, 12).split()), " to ".join(_words(3000, 13).split()), ()),
    "chinese without spaces": ("解释", "光合作用" * 25_000, "光和作用" * 25_000, ()),
    "numbers in another order": ("List them.", " ".join(str(n) for n in range(300)),
                                 " ".join(str(n) for n in reversed(range(300))), ()),
    "chinese phrases, three characters": ("解释", _phrases("光合作", 1), _phrases("光合作", 2), ()),
    "chinese phrases, many characters": ("解释", _phrases(_HAN, 3), _phrases(_HAN, 4), ()),
    "hindi words": ("समझाइए", _words(3000, 16, _HINDI), _words(3000, 17, _HINDI), ()),
    "one acronym, many times": ("Spell it out.", "alpha beta gamma delta " * 300, "abgd " * 600, ()),
    "numbered words in another order": ("Name the phases in order from first to last.",
                                        " ".join(f"phase{n}" for n in range(300)),
                                        " ".join(f"phase{n}" for n in reversed(range(300))), ()),
    "question": ("or " * 50_000 + "x" * 100_000, EPOCH["reference"], "one pass", ()),
}


@pytest.mark.parametrize("name", list(_MONSTERS))
def test_one_grade_stays_fast_whatever_is_pasted(name: str) -> None:
    question, reference, answer, alternatives = _MONSTERS[name]
    result, seconds = _timed(question, reference, answer, alternatives)
    assert seconds < BOUND_S, f"{name}: {seconds:.2f} s"
    assert 0 <= result.score <= 5 and result.feedback


def test_a_cut_answer_says_so_in_the_feedback() -> None:
    long_answer = EPOCH["reference"] + " " + _words(MAX_COMPARED_WORDS + 50, 14)
    result = RULES.grade(GradeRequest(EPOCH["question"], EPOCH["reference"], long_answer))
    assert f"first {MAX_COMPARED_WORDS} words of the answer" in result.feedback
    # the words that count come first, so the verdict still sees them
    assert result.score >= 1
    reference = _words(MAX_COMPARED_WORDS + 10, 15)
    result = RULES.grade(GradeRequest("Explain.", reference, reference))
    assert result.score == 5 and f"first {MAX_COMPARED_WORDS} words of the reference" in result.feedback
    short = RULES.grade(GradeRequest(EPOCH["question"], EPOCH["reference"], "one pass over the data"))
    assert "were compared" not in short.feedback


def test_the_longest_bundled_card_is_not_cut() -> None:
    from pathlib import Path

    from tutor.decks.native import load_deck

    longest = 0
    for path in sorted(Path(__file__).resolve().parents[2].glob("decks/*.deck")):
        parsed = load_deck(path)
        deck = getattr(parsed, "deck", parsed)
        longest = max([longest, *(len(card.back.split()) for card in deck.cards)])
    assert 200 < longest <= MAX_COMPARED_WORDS
