"""A word-level diff of the learner's answer against the reference, for near misses."""

from __future__ import annotations

import difflib
import re

_WORD = re.compile(r"\S+")


def word_diff(answer: str, reference: str) -> list[tuple[str, str]]:
    """Diff by words, case-insensitively: ('same'|'extra'|'missing', words) pieces.

    'extra' words are in the answer only, 'missing' ones in the reference only.
    """
    ours, theirs = _WORD.findall(answer), _WORD.findall(reference)
    matcher = difflib.SequenceMatcher(
        a=[w.lower().strip(".,;:!?") for w in ours],
        b=[w.lower().strip(".,;:!?") for w in theirs],
        autojunk=False,
    )
    pieces: list[tuple[str, str]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", " ".join(theirs[b0:b1])))
            continue
        if a1 > a0:
            pieces.append(("extra", " ".join(ours[a0:a1])))
        if b1 > b0:
            pieces.append(("missing", " ".join(theirs[b0:b1])))
    return pieces


def is_near_miss(answer: str, reference: str) -> bool:
    """True when the answer is close enough to the reference for a diff to help (typos)."""
    if not answer.strip() or len(reference) > 200:
        return False
    ratio = difflib.SequenceMatcher(a=answer.lower(), b=reference.lower()).ratio()
    return 0.6 <= ratio < 1.0
