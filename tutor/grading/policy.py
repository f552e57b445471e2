"""`GradingPolicy`: the one place verdicts are combined and fallbacks happen.

1. The rules verdict comes first and at once (`provisional`): the UI shows it immediately.
2. Refiners (an LLM, a server, a trained scorer) are asked in order when configured;
   the first that answers decides the score (`refine`).
3. Vetoes no model can overrule: empty/"I don't know" answers, injection attempts, and a
   match with one of the card's accepted alternatives.
4. When a refiner fails (load error, timeout, garbled reply) the rules verdict stands, with
   ``fallback_reason`` saying why.
5. Low confidence, or rules and model disagreeing on pass/fail, sets ``needs_learner`` so
   the UI asks the learner to decide - except for a *calibrated* refiner (one whose verdict
   already weighs the rules' signals, `LocalModelGrader`): its own confidence decides, and
   a disagreement is only noted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from tutor.grading.base import GradeRequest, GradeResult, Grader, GradingError
from tutor.logs import log_failure

if TYPE_CHECKING:
    from tutor.grading.rules import RulesGrader


class GradingPolicy:
    """Rules first, then the configured refiners; safe fallbacks. Implements `Grader`."""

    name = "policy"

    def __init__(self, rules: RulesGrader | None = None, refiners: Iterable[Grader] = (),
                 notes: Iterable[str] = ()) -> None:
        self._rules = rules
        self._rules_lock = threading.Lock()
        self.refiners: list[Grader] = list(refiners)
        self.notes: tuple[str, ...] = tuple(notes)
        """How this policy was set up (e.g. 'model file not found; grading with rules')."""

    @property
    def rules(self) -> RulesGrader:
        """The rules grader, built on first use: importing it takes ~50 ms, which the
        study screen spends after its first question is drawn, not before."""
        if self._rules is None:
            with self._rules_lock:
                if self._rules is None:
                    from tutor.grading.rules import RulesGrader

                    self._rules = RulesGrader()
        return self._rules

    @property
    def rules_built(self) -> bool:
        """True once the rules grader exists (reading it with `rules` builds it)."""
        return self._rules is not None

    @property
    def uses_model(self) -> bool:
        """True when some refiner (model, server, trained scorer) is configured."""
        return bool(self.refiners)

    def add_refiner(self, grader: Grader, *, first: bool = True) -> None:
        """Add a scorer (e.g. a trained grading head) before or after the existing refiners."""
        if first:
            self.refiners.insert(0, grader)
        else:
            self.refiners.append(grader)

    def prepare(self, question: str, reference: str, answer: str | None = None) -> None:
        """Let the refiners get ready for this card, and the answer typed so far, while the
        learner types (blocking: call it from a worker). Refiners without a ``prepare`` are
        skipped."""
        for refiner in self.refiners:
            prepare = getattr(refiner, "prepare", None)
            if callable(prepare):
                prepare(question, reference, answer)

    def explain(self, request: GradeRequest, result: GradeResult) -> str:
        """The first refiner's explanation of ``result`` ("why?"), blocking. Vetoed answers
        are never shown to a model for this. Raises `GradingError` with one line."""
        if result.veto == "injection":
            raise GradingError("this answer tries to instruct the grader, so no model reads it")
        if result.veto is not None:
            raise GradingError("this verdict is the rules' own (an empty, \"I don't know\" "
                               "or accepted answer): there is nothing for the model to explain")
        for refiner in self.refiners:
            explain = getattr(refiner, "explain", None)
            if callable(explain):
                return str(explain(request, result.correct))
        raise GradingError("explanations need the local model; grading is with "
                           + (self.refiners[0].name if self.refiners else "rules"))

    def close(self) -> None:
        """Tell the refiners that can stop work under way (a model load) to stop."""
        for refiner in self.refiners:
            close = getattr(refiner, "close", None)
            if callable(close):
                close()

    def provisional(self, request: GradeRequest) -> GradeResult:
        """The instant rules verdict (never raises, never loads a model)."""
        return self.rules.grade(request)

    def refine(self, request: GradeRequest, provisional: GradeResult | None = None) -> GradeResult:
        """The final verdict: the first refiner that answers, unless a veto holds."""
        first = provisional if provisional is not None else self.provisional(request)
        if not self.refiners or first.veto is not None:
            return first
        failures: list[str] = []
        for refiner in self.refiners:
            try:
                verdict = refiner.grade(request)
            except GradingError as exc:
                reason = log_failure(f"{refiner.name} could not grade an answer", exc,
                                     level=logging.WARNING)
                failures.append(f"{refiner.name}: {reason}")
                continue
            return self._combine(first, verdict, failures,
                                 calibrated=bool(getattr(refiner, "calibrated", False)))
        reason = "; ".join(failures) if failures else "no refiner answered"
        return replace(first, fallback_reason=reason)

    def grade(self, request: GradeRequest) -> GradeResult:
        """Provisional then refined verdict in one call (the `Grader` protocol)."""
        return self.refine(request, self.provisional(request))

    @staticmethod
    def _combine(rules: GradeResult, verdict: GradeResult, failures: list[str], *,
                 calibrated: bool = False) -> GradeResult:
        notes = list(verdict.notes) + [f"{f}; next grader used" for f in failures]
        needs_learner = verdict.needs_learner
        confidence = verdict.confidence
        if verdict.correct != rules.correct:
            notes.append(f"rules said {rules.score}, {verdict.grader} said {verdict.score}")
            if not calibrated:
                needs_learner = True
                confidence = min(confidence, 0.5)
        return replace(
            verdict,
            confidence=confidence,
            checks=verdict.checks or rules.checks,
            matched=verdict.matched or rules.matched,
            missing=verdict.missing or rules.missing,
            notes=tuple(notes),
            needs_learner=needs_learner,
        )
