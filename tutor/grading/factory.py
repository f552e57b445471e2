"""`build_grader(settings)`: the grading policy the settings ask for, never a crash.

- ``model.enabled = false`` (``--rules``): rules only.
- ``model.server`` (``--server URL``): an OpenAI-compatible server, rules as fallback.
- ``model.path`` (``--model PATH``) or a GGUF in ``models/``: that model, rules as fallback.
- Otherwise the default: `LocalModelGrader` over Qwen2.5-Coder-1.5B-Instruct, assembled
  from its PyPI parts (`tutor.grading.modelpack`) when it is first loaded, and the fitted
  grading head; rules as the instant verdict and the fallback. Nothing is read here: a
  missing part or head shows when the model loads (behind the UI), as a one-line reason.

A missing or unreadable model gives the rules policy with a one-line note.
"""

from __future__ import annotations

from tutor.errors import TutorError
from tutor.grading.modelfile import check_model_file, resolve_model_path
from tutor.grading.policy import GradingPolicy
from tutor.settings import Settings


def build_grader(settings: Settings) -> GradingPolicy:
    """The grading policy for ``settings`` (see the module docstring).

    The policy builds its rules grader on first use, so this stays cheap at start-up.
    """
    model = settings.model
    if not model.enabled:
        return GradingPolicy(notes=("grading with rules only (--rules, or [model] enabled = false)",))
    if model.server:
        from tutor.grading.server import ServerGrader  # urllib/ssl: only when a server is set

        try:
            server = ServerGrader(model.server, api_key=model.api_key, model=model.name,
                                  timeout=model.timeout)
        except TutorError as exc:
            return GradingPolicy(notes=(f"{exc.message}; grading with rules",))
        return GradingPolicy(refiners=[server], notes=(f"grading with {server.name}; rules as fallback",))
    path = resolve_model_path(settings)
    if path is None:
        return _default_policy(model.threads, model.gpu_layers, model.timeout)
    try:
        check_model_file(path)
    except TutorError as exc:
        return GradingPolicy(notes=(f"{exc.message}; grading with rules",))
    from tutor.grading.llamacpp import LlamaCppGrader

    llm = LlamaCppGrader(path, threads=model.threads, gpu_layers=model.gpu_layers, timeout=model.timeout)
    return GradingPolicy(refiners=[llm], notes=(f"grading with {llm.name}; rules as fallback",))


def _default_policy(threads: int, gpu_layers: int, timeout: float) -> GradingPolicy:
    """The default model and head (`LocalModelGrader`), rules first and as fallback."""
    from tutor.grading.local_model import LocalModelGrader
    from tutor.grading.modelpack import MODEL_FILE

    grader = LocalModelGrader(None, label=MODEL_FILE.removesuffix(".gguf"), threads=threads,
                              gpu_layers=gpu_layers, timeout=timeout)
    return GradingPolicy(refiners=[grader], notes=(f"grading with {grader.name}; rules as fallback",))
