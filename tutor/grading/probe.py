"""`ProbeGrader`: a small trained head over the local model's hidden states and the rules' measures.

One grade = one forward pass of the shipped GGUF in embedding mode over a short prompt
("Question / Reference answer / Student answer / Is it correct?"), no generation. The
per-token final hidden states are pooled into ~25 similarity figures (max-sim alignment of
answer and reference tokens, pooled-state cosines, lengths), concatenated with what `RulesGrader` measured, and a numpy head (``models/grader-probe.npz``,
trained by ``training/train_probe.py``) maps them to a score 0-5.

Safety: the answer is tokenized with ``special=False`` (it cannot forge control tokens), and
the rules' vetoes come first: empty/"I don't know" answers and injection attempts get the
rules verdict (score 0) and never reach the model.
"""

from __future__ import annotations

import json
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tutor.grading.base import MAX_SCORE, PASS_SCORE, GradeRequest, GradeResult, GradingError
from tutor.grading.rules import ASK_LEARNER_BELOW, RulesGrader, Verdict
from tutor.settings import BUNDLED_MODELS

#: Token caps per prompt part, so one grade stays one short forward pass.
MAX_QUESTION_TOKENS = 40
MAX_REFERENCE_TOKENS = 72
MAX_ANSWER_TOKENS = 56

#: Bumped whenever the pooled features change (a head records the version it was fit on).
FEATURE_VERSION = 2
#: Bumped when the prompt changes (the extraction cache is keyed by it).
PROMPT_VERSION = 1

#: Where `training/train_probe.py` writes the head (the repo's ``models/``).
DEFAULT_HEAD_PATH = BUNDLED_MODELS / "grader-probe.npz"

PROMPT_QUESTION = "Question: "
PROMPT_REFERENCE = "\nReference answer: "
PROMPT_ANSWER = "\nStudent answer:"
PROMPT_TAIL = "\nIs the student answer correct?"

#: Rules finding kinds turned into 0/1 features.
FINDING_KINDS = ("negation", "antonym", "number", "swap", "padding", "substitution", "order", "formula")


@dataclass(frozen=True)
class EncodedParts:
    """Final hidden states of one prompt, split into its parts (rows are tokens)."""

    question: np.ndarray
    reference: np.ndarray
    answer: np.ndarray
    tail: np.ndarray


class HiddenStateEncoder:
    """Runs a GGUF model in embedding mode and returns per-token final hidden states."""

    def __init__(self, model_path: Path, n_threads: int = 2, n_ctx: int = 512) -> None:
        self.model_path = Path(model_path)
        self.n_threads = n_threads
        self.n_ctx = n_ctx
        self._llm = None
        self._lock = threading.Lock()
        self._prefix: list[int] = []
        self._prefix_states: np.ndarray | None = None

    @property
    def loaded(self) -> bool:
        """True once the model file has been read."""
        return self._llm is not None

    def _load(self):
        if self._llm is None:
            import llama_cpp
            from llama_cpp import Llama

            self._llm = Llama(
                model_path=str(self.model_path), embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_NONE, n_ctx=self.n_ctx,
                n_batch=self.n_ctx, n_ubatch=self.n_ctx, n_threads=self.n_threads,
                n_threads_batch=self.n_threads, verbose=False,
            )
        return self._llm

    def tokens(self, text: str, cap: int) -> list[int]:
        """``text`` as tokens (special tokens not parsed: an answer cannot forge them), capped."""
        llm = self._load()
        return llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)[:cap]

    def states(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """One decode over several token sequences; each comes back as (tokens, n_embd)."""
        import llama_cpp

        with self._lock:
            llm = self._load()
            n_embd = llm.n_embd()
            total = sum(len(s) for s in sequences)
            if total > self.n_ctx:
                raise ValueError(f"{total} tokens exceed the context of {self.n_ctx}")
            self._prefix, self._prefix_states = [], None
            llm._batch.reset()
            for seq_id, seq in enumerate(sequences):
                llm._batch.add_sequence(seq, seq_id, True)
            llm._ctx.kv_cache_clear()
            llm._ctx.decode(llm._batch)
            ptr = llama_cpp.llama_get_embeddings(llm._ctx.ctx)
            flat = np.ctypeslib.as_array(ptr, shape=(total * n_embd,)).copy()
            llm._batch.reset()
            llm._ctx.kv_cache_clear()
        out, pos = [], 0
        for seq in sequences:
            out.append(flat[pos * n_embd:(pos + len(seq)) * n_embd].reshape(len(seq), n_embd))
            pos += len(seq)
        return out

    def continue_states(self, prefix: list[int], continuation: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """States of ``prefix + continuation`` (one causal sequence), as (prefix rows, continuation rows).

        The prefix (question and reference) stays in the KV cache, so grading more answers to
        the same card only runs the continuation through the model; the states are those of
        the whole prompt decoded at once.
        """
        import llama_cpp

        if len(prefix) + len(continuation) > self.n_ctx:
            raise ValueError("prompt exceeds the context")
        with self._lock:
            llm = self._load()
            n_embd = llm.n_embd()
            if prefix != self._prefix or self._prefix_states is None:
                llm._ctx.kv_cache_clear()
                self._prefix, self._prefix_states = [], None
                llm._batch.set_batch(prefix, 0, True)
                llm._ctx.decode(llm._batch)
                ptr = llama_cpp.llama_get_embeddings(llm._ctx.ctx)
                self._prefix_states = np.ctypeslib.as_array(
                    ptr, shape=(len(prefix) * n_embd,)).copy().reshape(len(prefix), n_embd)
                self._prefix = list(prefix)
            llm._ctx.kv_cache_seq_rm(0, len(prefix), -1)
            llm._batch.set_batch(continuation, len(prefix), True)
            llm._ctx.decode(llm._batch)
            ptr = llama_cpp.llama_get_embeddings(llm._ctx.ctx)
            rows = np.ctypeslib.as_array(ptr, shape=(len(continuation) * n_embd,)).copy()
            llm._ctx.kv_cache_seq_rm(0, len(prefix), -1)
            llm._batch.reset()
        return self._prefix_states, rows.reshape(len(continuation), n_embd)

    def forget_prefix(self) -> None:
        """Drop the cached card prefix (the next grade decodes the whole prompt)."""
        with self._lock:
            self._prefix, self._prefix_states = [], None

    def encode(self, question: str, reference: str, answer: str) -> EncodedParts:
        """The grading prompt's hidden states, split into question, reference, answer and tail."""
        head_q = self.tokens(PROMPT_QUESTION, 8)
        q = self.tokens(question.strip(), MAX_QUESTION_TOKENS)
        head_r = self.tokens(PROMPT_REFERENCE, 8)
        r = self.tokens(reference.strip(), MAX_REFERENCE_TOKENS)
        head_a = self.tokens(PROMPT_ANSWER, 8)
        a = self.tokens(" " + answer.strip(), MAX_ANSWER_TOKENS) or self.tokens(" -", 2)
        tail = self.tokens(PROMPT_TAIL, 16)
        prefix = head_q + q + head_r + r + head_a
        pre, cont = self.continue_states(prefix, a + tail)
        q0 = len(head_q)
        r0 = q0 + len(q) + len(head_r)
        return EncodedParts(pre[q0:q0 + len(q)], pre[r0:r0 + len(r)], cont[:len(a)], cont[len(a):])


# ---------------------------------------------------------------------------- features


def rules_features(verdict: Verdict, result: GradeResult) -> np.ndarray:
    """What the rules measured, as numbers: score, coverage, vetoes, confidence, findings."""
    kinds = {f.kind for f in verdict.findings}
    values = [
        verdict.score / MAX_SCORE, verdict.base / MAX_SCORE, float(verdict.score >= PASS_SCORE),
        verdict.coverage, verdict.main, verdict.precision, verdict.margin, float(verdict.typo),
        result.confidence, float(result.needs_learner), float(len(verdict.matched)),
        float(len(verdict.missing)), float(bool(verdict.missing_words)),
        *(float(k in kinds) for k in FINDING_KINDS),
    ]
    values += [float(result.score == s) for s in range(MAX_SCORE + 1)]
    return np.asarray(values, dtype=np.float32)


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6)


def alignment_figures(answer: np.ndarray, reference: np.ndarray) -> list[float]:
    """Max-sim alignment of standardised token states (BERTScore-like): means, mins, quantiles, shares."""
    if len(reference) == 0:
        reference = np.zeros((1, answer.shape[1]), dtype=np.float32)
    sims = _unit(answer) @ _unit(reference).T
    p_rows, r_rows = sims.max(axis=1), sims.max(axis=0)
    p, r = float(p_rows.mean()), float(r_rows.mean())
    return [
        p, r, 2 * p * r / max(p + r, 1e-6), float(p_rows.min()), float(r_rows.min()),
        float(np.quantile(r_rows, 0.1)), float(np.quantile(r_rows, 0.25)), float(np.median(r_rows)),
        float(np.quantile(p_rows, 0.25)), float(np.median(p_rows)),
        float((r_rows > 0.6).mean()), float((r_rows > 0.8).mean()), float((p_rows > 0.6).mean()),
        float((p_rows > 0.8).mean()), float((p_rows < 0.4).mean()),
    ]


def model_features(parts: EncodedParts, center: np.ndarray, scale: np.ndarray,
                   vectors: bool = False) -> np.ndarray:
    """Pooled states: alignment figures, pooled-vector cosines, lengths (and, optionally, the vectors).

    ``center``/``scale`` standardise token states (fit on training tokens) so cosine
    similarities are not dominated by the model's few huge outlier dimensions.
    """
    ref = (parts.reference - center) / scale
    ans = (parts.answer - center) / scale
    question = (parts.question - center) / scale
    tail = (parts.tail[-1] - center) / scale
    mean_a = ans.mean(axis=0)
    mean_r = ref.mean(axis=0) if len(ref) else np.zeros_like(mean_a)
    mean_q = question.mean(axis=0) if len(question) else np.zeros_like(mean_a)
    q_sims = (_unit(ans) @ _unit(question).T).max(axis=1) if len(question) else np.zeros(len(ans))
    a_sims = (_unit(ans) @ _unit(ref).T).max(axis=1) if len(ref) else np.zeros(len(ans))

    def cos(x: np.ndarray, y: np.ndarray) -> float:
        return float(_unit(x[None])[0] @ _unit(y[None])[0])

    n_a, n_r = np.log1p(len(parts.answer)), np.log1p(len(parts.reference))
    figures = np.asarray(alignment_figures(ans, ref) + [
        cos(mean_a, mean_r), cos(mean_a, mean_q), float(q_sims.mean()), float((q_sims > a_sims).mean()),
        cos(tail, mean_r), cos(tail, mean_a), float(np.linalg.norm(tail) / np.sqrt(len(tail))),
        n_a, n_r, n_a - n_r,
    ], dtype=np.float32)
    if not vectors:
        return figures
    return np.concatenate([figures, mean_a, mean_r, mean_a * mean_r, np.abs(mean_a - mean_r), tail]).astype(np.float32)


# ---------------------------------------------------------------------------- the head


class ProbeHead:
    """The trained head: standardise, (ReLU layer), softmax over scores 0-5."""

    def __init__(self, params: dict[str, np.ndarray], meta: dict) -> None:
        self.params = params
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        self.vectors = bool(meta.get("vectors", False))
        self.uses_rules = bool(meta.get("uses_rules", True))

    @classmethod
    def load(cls, path: Path) -> ProbeHead:
        """Read ``path`` (.npz) and its ``.json`` sidecar; `GradingError` with one line if unusable."""
        path = Path(path)
        sidecar = path.with_suffix(".json")
        try:
            with np.load(path, allow_pickle=False) as data:
                params = {k: np.asarray(data[k], dtype=np.float32) for k in data.files}
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise GradingError(f"probe head not found: {exc.filename} (run training/extract.py, then training/train_probe.py)") from None
        except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as exc:
            raise GradingError(f"probe head {path.name} is unreadable: {exc}") from None
        needed = {"mean", "scale", "w1", "b1", "center", "token_scale"}
        if not needed <= params.keys() or not isinstance(meta, dict):
            raise GradingError(f"probe head {path.name} is incomplete (missing {sorted(needed - params.keys())})")
        if meta.get("feature_version") != FEATURE_VERSION:
            raise GradingError(f"probe head {path.name} was trained on feature version "
                               f"{meta.get('feature_version')}, this tutor computes {FEATURE_VERSION}")
        return cls(params, meta)

    def proba(self, features: np.ndarray) -> np.ndarray:
        """Probabilities of scores 0-5 for one feature row."""
        p = self.params
        if features.shape[-1] != p["mean"].shape[0]:
            raise GradingError(f"probe head expects {p['mean'].shape[0]} features, got {features.shape[-1]}")
        x = (features - p["mean"]) / p["scale"]
        h = x @ p["w1"] + p["b1"]
        if "w2" in p:
            h = np.maximum(h, 0.0) @ p["w2"] + p["b2"]
        h = h.astype(np.float64) - h.max()
        e = np.exp(h)
        return e / e.sum()

    def decide(self, proba: np.ndarray) -> tuple[int, float]:
        """(score, P(correct)): pass when P(score >= 3) reaches the tuned threshold."""
        return decide_score(proba, self.threshold)


def decide_score(proba: np.ndarray, threshold: float) -> tuple[int, float]:
    """Score from class probabilities: the likeliest passing or failing score per the pass threshold."""
    p_pass = float(proba[PASS_SCORE:].sum())
    if p_pass >= threshold:
        return PASS_SCORE + int(np.argmax(proba[PASS_SCORE:])), p_pass
    return int(np.argmax(proba[:PASS_SCORE])), p_pass


# ---------------------------------------------------------------------------- the grader


class ProbeGrader:
    """Grades with the trained probe; rules vetoes (idk, injection) come first. Thread-safe.

    ``gate``: when the rules are at least this confident their verdict stands and the model
    is not run (None: the gate tuned on validation, stored with the head; above 1: never).
    """

    def __init__(self, model_path: Path, head_path: Path = DEFAULT_HEAD_PATH, threads: int = 2,
                 gate: float | None = None) -> None:
        self.model_path = Path(model_path)
        self.head_path = Path(head_path)
        self.threads = threads or 2
        self.gate = gate
        self.name = f"probe:{self.model_path.name.removesuffix('.gguf')}"
        self.rules = RulesGrader()
        self._encoder: HiddenStateEncoder | None = None
        self._head: ProbeHead | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the head and the model have been loaded."""
        return self._encoder is not None and self._encoder.loaded

    def _ready(self) -> tuple[HiddenStateEncoder, ProbeHead]:
        if self._head is None:
            self._head = ProbeHead.load(self.head_path)
        if self._encoder is None:
            from tutor.grading.modelfile import check_model_file
            from tutor.errors import TutorError

            try:
                check_model_file(self.model_path)
            except TutorError as exc:
                raise GradingError(exc.message) from None
            self._encoder = HiddenStateEncoder(self.model_path, n_threads=self.threads)
        return self._encoder, self._head

    def grade(self, request: GradeRequest) -> GradeResult:
        """Grade one answer; raises `GradingError` when the head or the model cannot be used."""
        ruled = self.rules.grade(request)
        if ruled.veto is not None or not request.reference.strip():
            return ruled
        with self._lock:
            encoder, head = self._ready()
            gate = self.gate if self.gate is not None else float(head.meta.get("rules_gate", 2.0))
            if ruled.confidence >= gate:
                return ruled
            verdict = self.rules.assess(request.question, request.reference, request.answer)
            try:
                parts = encoder.encode(request.question, request.reference, request.answer)
            except Exception as exc:  # llama.cpp load/decode failures
                raise GradingError(f"probe model failed: {exc}") from None
        blocks = [rules_features(verdict, ruled)] if head.uses_rules else []
        blocks.append(model_features(parts, head.params["center"], head.params["token_scale"], head.vectors))
        features = np.concatenate(blocks)
        score, p_pass = head.decide(head.proba(features))
        confidence = max(p_pass, 1.0 - p_pass)
        needs_learner = confidence < ASK_LEARNER_BELOW
        if (score >= PASS_SCORE) == ruled.correct:
            feedback = ruled.feedback
        elif score >= PASS_SCORE:
            feedback = "Correct: the meaning matches the reference, though the words differ."
        else:
            feedback = "Not quite: the answer does not say what the reference says."
        return GradeResult(score=score, feedback=feedback, grader=self.name, confidence=confidence,
                           matched=ruled.matched, missing=ruled.missing, needs_learner=needs_learner)
