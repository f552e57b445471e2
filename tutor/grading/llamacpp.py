"""`LlamaCppGrader`: any GGUF chat model through llama-cpp-python, JSON verdict via a grammar.

The model is loaded once, lazily, on the first grade (llama_cpp is imported only then).
A lock makes sure one model is used from one thread at a time. Each grade has a time
budget: generation streams token by token and stops when the budget is spent, which
raises `GradingError` (the policy then keeps the rules verdict).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from tutor.errors import ModelError
from tutor.grading.base import GradeRequest, GradeResult, GradingError
from tutor.grading.injection import find_injection
from tutor.grading.modelfile import LoadOnce, model_label, open_llama
from tutor.grading.prompt import VERDICT_GRAMMAR, build_messages, parse_verdict

#: Confidence reported for a model verdict (the model gives no calibrated probability).
MODEL_CONFIDENCE = 0.7
#: Generated tokens allowed per verdict: the JSON plus a one-sentence feedback.
MAX_TOKENS = 64


class LlamaCppGrader:
    """Grades with a local GGUF model. Safe to call from worker threads (one at a time)."""

    def __init__(self, model_path: Path | str, *, n_ctx: int = 2048, threads: int = 0,
                 gpu_layers: int = 0, timeout: float = 8.0, max_tokens: int = MAX_TOKENS) -> None:
        self.model_path = Path(model_path)
        self.name = f"llm:{model_label(self.model_path)}"
        self.n_ctx = n_ctx
        self.threads = threads or (os.cpu_count() or 1)
        self.gpu_layers = gpu_layers
        self.timeout = timeout
        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        self._llm: Any = None
        self._grammar: Any = None
        self._load = LoadOnce(self.model_path)

    @property
    def loaded(self) -> bool:
        """True once the model is in memory."""
        return self._llm is not None

    def load(self) -> None:
        """Load the model now (otherwise the first grade does). Raises `ModelError`."""
        with self._lock:
            self._ensure_loaded()

    def _ensure_loaded(self) -> None:
        if self._llm is None:
            self._llm = self._load.attempt(self._open)

    def _open(self) -> Any:
        """The model, with the verdict's grammar ready."""
        llm = open_llama(self.model_path, context=self.n_ctx, threads=self.threads,
                         gpu_layers=self.gpu_layers)
        from llama_cpp import LlamaGrammar

        self._grammar = LlamaGrammar.from_string(VERDICT_GRAMMAR, verbose=False)
        return llm

    def grade(self, request: GradeRequest) -> GradeResult:
        """Ask the model for a verdict. Raises `GradingError` on load failure, timeout or garble."""
        if find_injection(request.answer):
            return GradeResult(score=0, grader=self.name, confidence=0.99, veto="injection",
                               feedback="The answer tries to instruct the grader; it is scored 0.")
        started = time.monotonic()
        if not self._lock.acquire(timeout=max(0.1, self.timeout)):
            raise GradingError("the model is busy with another grade")
        try:
            try:
                self._ensure_loaded()
            except ModelError as exc:
                raise GradingError(exc.message) from None
            text = self._generate(request, started)
        finally:
            self._lock.release()
        score, feedback = parse_verdict(text)
        return GradeResult(score=score, feedback=feedback or "Graded by the model.", grader=self.name,
                           confidence=MODEL_CONFIDENCE)

    def _generate(self, request: GradeRequest, started: float) -> str:
        messages = build_messages(request.question, request.reference, request.answer,
                                  request.alternatives)
        try:
            stream = self._llm.create_chat_completion(
                messages=messages, grammar=self._grammar, temperature=0.0, top_k=1,
                max_tokens=self.max_tokens, stream=True, seed=0,
            )
            pieces: list[str] = []
            for chunk in stream:
                delta = chunk["choices"][0].get("delta", {})
                pieces.append(delta.get("content") or "")
                if time.monotonic() - started > self.timeout:
                    stream.close()
                    raise GradingError(f"the model took longer than {self.timeout:g} s")
        except GradingError:
            raise
        except (ValueError, RuntimeError, KeyError, IndexError) as exc:
            raise GradingError(f"the model failed: {str(exc).splitlines()[0][:120]}") from None
        if time.monotonic() - started > self.timeout:
            raise GradingError(f"the model took longer than {self.timeout:g} s")
        return "".join(pieces)
