"""`GradingService`: owns the loaded grading policy and runs every grading job.

Study sessions, exams and `tutor grade` all grade through one service:

- `provisional`: the instant rules verdict (milliseconds; fine on the UI thread).
- `refine`: the model's verdict. Blocking: call it from a worker thread. It never raises:
  a model that fails on one answer (timeout, garbled reply) leaves the rules verdict with
  ``fallback_reason``; a model that crashes (any other exception) is given up for the rest
  of the run, and so is one that cannot load (`load`).
- `load`, `warm_up`, `prepare`: make the model and the rules ready behind the UI.
- `explain`: the model's "why?" for a verdict, or one line saying why there is none.
- `status`: what the status bar says about grading.

Every failure is told to people as one line (`tutor.errors.one_line`) and written with its
traceback to the log (`tutor.logs`). No Textual here: the TUI calls the blocking methods
from its thread workers. Thread-safe.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import Literal

from tutor.errors import TutorError
from tutor.grading.base import GradeRequest, GradeResult, Grader, GradingError
from tutor.grading.factory import build_grader
from tutor.grading.policy import GradingPolicy
from tutor.logs import log_failure
from tutor.settings import Settings

RULES_LABEL = "rules"

GraderPhase = Literal["rules", "loading", "ready", "fallback"]
"""'rules' (no model configured), 'loading', 'ready', or 'fallback' (a wanted model is not used)."""


@dataclass(frozen=True)
class GraderStatus:
    """What the status bar shows about grading."""

    label: str
    """The active grader: a model name or 'rules'."""
    phase: GraderPhase
    note: str = ""
    """Why grading fell back to rules, or how the policy was set up."""

    @property
    def is_fallback(self) -> bool:
        """True when a model was wanted but grading uses the rules."""
        return self.phase == "fallback"


def short_name(grader_name: str) -> str:
    """'llm:qwen2.5-coder-1.5b-instruct-q4_k_m' -> 'qwen2.5-coder-1.5b-instruct-q4_k_m';
    'rules' stays."""
    return grader_name.split(":", 1)[1] if ":" in grader_name else grader_name


def model_wanted(settings: Settings) -> bool:
    """True when the settings ask for a model: unless ``[model] enabled = false`` (``--rules``),
    a model grades (a path, a server, a GGUF in ``models/``, or the default model)."""
    return settings.model.enabled


class GradingService:
    """A `GradingPolicy` and what grading with it needs: state, fallbacks, failures logged."""

    def __init__(self, policy: GradingPolicy, *, fallback_note: str = "") -> None:
        self.policy = policy
        self._lock = threading.Lock()
        self._failure = fallback_note
        """Why the model is not used ('' while it is, or when none was wanted)."""
        self._loaded = not policy.uses_model

    @classmethod
    def for_settings(cls, settings: Settings) -> GradingService:
        """The policy `build_grader` gives, marked as a fallback when a wanted model is missing."""
        policy = build_grader(settings)
        note = ""
        if model_wanted(settings) and not policy.uses_model:
            note = "; ".join(policy.notes) or "the model could not be used"
        return cls(policy, fallback_note=note)

    @classmethod
    def wrap(cls, grader: GradingService | GradingPolicy | Grader | None) -> GradingService:
        """A ready service as it is; else one over a ready policy, over one refining grader
        put after the rules (tests inject one), or over the rules alone."""
        if isinstance(grader, GradingService):
            return grader
        if grader is None:
            return cls(GradingPolicy())
        if isinstance(grader, GradingPolicy):
            return cls(grader)
        return cls(GradingPolicy(refiners=[grader]))

    # -- state ---------------------------------------------------------------------------

    @property
    def notes(self) -> tuple[str, ...]:
        """How the policy was set up (e.g. 'grading with llm:x; rules as fallback')."""
        return self.policy.notes

    @property
    def uses_model(self) -> bool:
        """True while a refiner is configured and has not failed."""
        with self._lock:
            return self.policy.uses_model and not self._failure

    @property
    def label(self) -> str:
        """The active grader's display name."""
        if not self.uses_model:
            return RULES_LABEL
        return short_name(self.policy.refiners[0].name)

    @property
    def model_name(self) -> str:
        """The configured model's grader name ('llm:<model>'), or 'rules' when none is."""
        return self.policy.refiners[0].name if self.policy.uses_model else RULES_LABEL

    def status(self) -> GraderStatus:
        """The status bar's view of grading now."""
        with self._lock:
            failure, loaded = self._failure, self._loaded
        if failure:
            return GraderStatus(RULES_LABEL, "fallback", failure)
        if not self.policy.uses_model:
            return GraderStatus(RULES_LABEL, "rules", "; ".join(self.policy.notes))
        return GraderStatus(self.label, "ready" if loaded else "loading",
                            "; ".join(self.policy.notes))

    def model_failed(self, reason: str) -> None:
        """The model cannot be used: grade with rules from now on, and say why."""
        with self._lock:
            self._failure = reason or "the model failed"

    # -- jobs (the blocking ones run in worker threads) ----------------------------------

    def load(self) -> str:
        """Load every refiner that can be loaded ahead of time (blocking).

        Returns '' when done, else the failure as one line: the model is then given up
        and the rules grade from now on.
        """
        try:
            for refiner in self.policy.refiners:
                load = getattr(refiner, "load", None)
                if callable(load):
                    load()
        except Exception as exc:  # noqa: BLE001 - any load failure means grading with rules
            reason = log_failure("the grading model failed to load", exc)
            self.model_failed(f"model failed to load: {reason}")
            return reason
        with self._lock:
            self._loaded = True
        return ""

    def warm_up(self) -> None:
        """Build the rules grader now (blocking, ~50 ms of imports: run it in a worker once
        the first question is on screen), so the first verdict is instant."""
        try:
            self.policy.rules.grade(GradeRequest("warm-up", "warm up the rules", "warm up"))
        except Exception as exc:  # noqa: BLE001 - the first real grade will say what is wrong
            log_failure("the rules grader failed to warm up", exc)

    def prepare(self, question: str, reference: str, answer: str | None = None) -> None:
        """Let the model evaluate this card's part of its prompt, and the answer typed so far,
        while the learner types (blocking; it skips itself while the model is busy). A
        failure is only logged: the grade itself then fails and falls back."""
        if not self.uses_model:
            return
        try:
            self.policy.prepare(question, reference, answer)
        except Exception as exc:  # noqa: BLE001 - reading ahead is an optimisation
            log_failure("the model failed to read the card ahead", exc)

    def provisional(self, request: GradeRequest) -> GradeResult:
        """The instant rules verdict."""
        return self.policy.provisional(request)

    def wants_refinement(self, request: GradeRequest, provisional: GradeResult) -> bool:
        """True when the model should look at this answer (not for vetoed ones)."""
        return self.uses_model and provisional.veto is None

    def refine(self, request: GradeRequest, provisional: GradeResult) -> GradeResult:
        """The model's verdict; the rules one with ``fallback_reason`` when the model failed
        or was given up. Never raises (blocking: call it from a worker)."""
        if not self.policy.uses_model or provisional.veto is not None:
            return provisional
        with self._lock:
            failure = self._failure
        if failure:
            return replace(provisional, fallback_reason=failure)
        try:
            return self.policy.refine(request, provisional)
        except Exception as exc:  # noqa: BLE001 - a crashed model must not lose the answer
            reason = log_failure("the grading model failed while grading", exc)
            self.model_failed(f"model failed while grading: {reason}")
            return replace(provisional, fallback_reason=f"the model failed ({reason})")

    def grade(self, request: GradeRequest) -> GradeResult:
        """The final verdict in one call (exams, `tutor grade`): provisional, then refined.
        Raises only when the rules themselves fail."""
        return self.refine(request, self.provisional(request))

    def explain(self, request: GradeRequest, result: GradeResult) -> str:
        """The model's "why?" for ``result``: a sentence or two, or one line starting 'No
        explanation:' that says why there is none. Never raises (blocking: call it from a
        worker)."""
        with self._lock:
            failure = self._failure
        if failure:
            return ("No explanation: explanations need the model, and grading is with rules"
                    f" ({failure}).")
        try:
            text = self.policy.explain(request, result)
        except (GradingError, TutorError) as exc:  # refused, timed out, busy: one line
            reason = log_failure("the model gave no explanation", exc, level=logging.WARNING)
        except Exception as exc:  # noqa: BLE001 - a crash must not leave "explaining…" on screen
            reason = log_failure("the model failed to explain a grade", exc)
        else:
            return text or "No explanation: the model wrote nothing."
        return f"No explanation: {reason}."

    def close(self) -> None:
        """The app is quitting: stop a model load under way."""
        self.policy.close()
