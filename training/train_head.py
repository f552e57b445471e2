"""Fit the grading head (`tutor.grading.head`) on the corpus; choose on held-out subjects.

Reads the judge's cached log-odds (`judge_features.py`) and computes the rules' signals
for the same items, leaves out what the policy decides by veto (empty / "I don't know",
injection), then fits logistic models of p(score >= k) for k = 1..5 (k = 3: correct) on
the train subjects for each L2 strength in a small grid, picks the one with the best
agreement on the validation subjects (ties: lower score MAE), refits nothing on dev, and
writes ``models/grader-head.json`` with the figures. Deterministic: same cache, same head.

    python training/train_head.py [--model PATH] [--out models/grader-head.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from data import datasets  # noqa: E402
from judge_features import load_cache  # noqa: E402
from metrics import summarise  # noqa: E402

from tutor.grading.base import GradeRequest  # noqa: E402
from tutor.grading.head import DEFAULT_HEAD_PATH, FEATURES, LEVELS, GradingHead, head_features  # noqa: E402
from tutor.grading.rules import RulesGrader  # noqa: E402

VETOES = ("idk", "injection")
STRENGTHS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def rows(name: str, items: list[dict], cached: dict, rules: RulesGrader):
    """(features, labels, scores, items, veto scores) for the items with a cached log-odds."""
    x, y, s, kept, vetoed = [], [], [], [], []
    for item in items:
        key = (name, item["id"])
        if key not in cached:
            continue
        request = GradeRequest(item["question"], item["reference"], item["answer"])
        first = rules.grade(request)
        if first.veto in VETOES:
            vetoed.append((item, first.score))
            continue
        verdict = rules.assess(request.question, request.reference, request.answer)
        x.append(head_features(cached[key], verdict))
        y.append(1.0 if item["correct"] else 0.0)
        s.append(float(item["score"]))
        kept.append(item)
    return np.array(x), np.array(y), np.array(s), kept, vetoed


def fit_logistic(z: np.ndarray, y: np.ndarray, strength: float) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method; weights then intercept."""
    a = np.hstack([z, np.ones((len(z), 1))])
    w = np.zeros(a.shape[1])
    penalty = np.eye(a.shape[1]) * strength
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        gradient = a.T @ (p - y) + penalty @ w
        hessian = (a * (p * (1 - p))[:, None]).T @ a + penalty + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def evaluate(head: GradingHead, x: np.ndarray, kept: list[dict], vetoed: list) -> tuple:
    """Summary over the head's items plus the vetoed ones (scored as the policy would)."""
    scores = [head.predict(list(row)).score for row in x]
    items = kept + [item for item, _ in vetoed]
    return summarise(items, scores + [score for _, score in vetoed])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_HEAD_PATH)
    args = parser.parse_args()
    model = args.model
    if model is None:
        from tutor.grading.modelpack import ensure_model

        model = ensure_model(progress=True)
    cached = load_cache(model)
    rules = RulesGrader()
    data = {name: rows(name, items, cached, rules) for name, items in datasets().items()}
    x_train, y_train, s_train, _, _ = data["train"]
    if len(x_train) < 100:
        raise SystemExit(f"only {len(x_train)} training items have cached log-odds; "
                         "run training/judge_features.py first")
    mean = x_train.mean(axis=0)
    scale = x_train.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z_train = (x_train - mean) / scale
    best = None
    for strength in STRENGTHS:
        head = GradingHead(tuple(fit_logistic(z_train, y_train, strength)),
                           tuple(tuple(fit_logistic(z_train, (s_train >= k).astype(float), strength))
                                 for k in LEVELS),
                           tuple(mean), tuple(scale), {})
        summary = evaluate(head, data["validation"][0], data["validation"][3], data["validation"][4])
        print(f"L2 {strength:5g}: validation acc {summary.accuracy:.3f}  MAE {summary.mae:.2f}")
        key = (summary.accuracy, -summary.mae)
        if best is None or key > best[0]:
            best = (key, strength, head)
    _, strength, head = best
    figures = {}
    for name, (x, _, _, kept, vetoed) in data.items():
        summary = evaluate(head, x, kept, vetoed)
        rules_scores = [rules.grade(GradeRequest(i["question"], i["reference"], i["answer"])).score
                        for i in kept] + [score for _, score in vetoed]
        baseline = summarise(kept + [item for item, _ in vetoed], rules_scores)
        figures[name] = {"n": summary.n, "accuracy": round(summary.accuracy, 4),
                         "macro_f1": round(summary.macro_f1, 4), "mae": round(summary.mae, 3),
                         "rules_accuracy": round(baseline.accuracy, 4), "rules_mae": round(baseline.mae, 3)}
        print(f"{name:10} n={summary.n:4}  head acc {summary.accuracy:.3f} MAE {summary.mae:.2f}"
              f"  | rules acc {baseline.accuracy:.3f} MAE {baseline.mae:.2f}")
    info = {"l2": strength, "model": model.name, "figures": figures,
            "weights": dict(zip(FEATURES, [round(w, 3) for w in head.classifier]))}
    head = GradingHead(head.classifier, head.levels, head.mean, head.scale, info)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(head.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
