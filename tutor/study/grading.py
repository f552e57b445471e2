"""`PolicyGrading`: adapts `tutor.grading.policy.GradingPolicy` to what a study session needs.

The policy gives the instant rules verdict (`provisional`) and the refined one
(`refine`). A session also needs to know whether a refinement is worth starting
(not for vetoed answers, not after the model failed to load), a label for the
status bar, a way to load the model ahead of the first answer, and whether
grading fell back to rules. Those live here so the policy stays UI-agnostic.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


from tutor.grading.base import GradeRequest, GradeResult, Grader
from tutor.grading.factory import build_grader
from tutor.grading.policy import GradingPolicy
from tutor.settings import Settings

RULES_LABEL = "rules"


@dataclass(frozen=True)
class GraderStatus:
    """What the status bar shows about grading."""

    label: str
    """The active grader: a model name or 'rules'."""
    phase: str
    """'rules' (no model configured), 'loading', 'ready' or 'fallback'."""
    note: str = ""
    """Why grading fell back to rules, or how the policy was set up."""

    @property
    def fell_back(self) -> bool:
        """True when a model was wanted but grading uses the rules."""
        return self.phase == "fallback"


def short_name(grader_name: str) -> str:
    """'llm:SmolLM2-135M' -> 'SmolLM2-135M'; 'rules' stays."""
    return grader_name.split(":", 1)[1] if ":" in grader_name else grader_name


def model_wanted(settings: Settings) -> bool:
    """True when the settings ask for a model: unless ``[model] enabled = false`` (``--rules``),
    a model grades (a path, a server, a GGUF in ``models/``, or the default model)."""
    return settings.model.enabled


def grading_for_settings(settings: Settings) -> PolicyGrading:
    """The policy `build_grader` gives, marked as a fallback when a wanted model is missing."""
    policy = build_grader(settings)
    note = ""
    if model_wanted(settings) and not policy.uses_model:
        note = "; ".join(policy.notes) or "the model could not be used"
    return PolicyGrading(policy, fallback_note=note)


class PolicyGrading:
    """A `GradingPolicy` plus the state a session and its status bar need. Thread-safe."""

    def __init__(self, policy: GradingPolicy, *, fallback_note: str = "") -> None:
        self.policy = policy
        self._lock = threading.Lock()
        self._failure = fallback_note
        """Why the model is not used ('' while it is, or when none was wanted)."""
        self._loaded = not policy.uses_model

    @classmethod
    def wrap(cls, grader: GradingPolicy | Grader | None) -> PolicyGrading:
        """Grading from a ready policy, from one refining grader (tests inject one), or rules only."""
        if grader is None:
            return cls(GradingPolicy())
        if isinstance(grader, GradingPolicy):
            return cls(grader)
        return cls(GradingPolicy(refiners=[grader]))

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

    def load(self) -> None:
        """Load every refiner that can be loaded ahead of time (blocking: run in a worker).

        Raises what the refiner raises (`ModelError`); call `model_failed` with the reason.
        """
        for refiner in self.policy.refiners:
            load = getattr(refiner, "load", None)
            if callable(load):
                load()
        with self._lock:
            self._loaded = True

    def warm_up(self) -> None:
        """Build the rules grader now (blocking, ~50 ms of imports: run it in a worker once
        the first question is on screen), so the first verdict is instant."""
        self.policy.rules.grade(GradeRequest("warm-up", "warm up the rules", "warm up"))

    def model_failed(self, reason: str) -> None:
        """The model cannot be used: grade with rules from now on, and say why."""
        with self._lock:
            self._failure = reason or "the model failed"

    def prepare(self, question: str, reference: str) -> None:
        """Let the model evaluate this card's part of its prompt while the learner types
        (blocking: run it in a worker; it skips itself while the model is busy)."""
        if self.uses_model:
            self.policy.prepare(question, reference)

    def close(self) -> None:
        """The app is quitting: stop a model load under way."""
        self.policy.close()

    def provisional(self, request: GradeRequest) -> GradeResult:
        """The instant rules verdict."""
        return self.policy.provisional(request)

    def wants_refinement(self, request: GradeRequest, provisional: GradeResult) -> bool:
        """True when the model should look at this answer (not for vetoed ones)."""
        return self.uses_model and provisional.veto is None

    def refine(self, request: GradeRequest, provisional: GradeResult) -> GradeResult:
        """The model's verdict, or the rules one with ``fallback_reason`` when it failed."""
        return self.policy.refine(request, provisional)
