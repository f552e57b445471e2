"""Fitting the probe's head in numpy: softmax regression or a one-hidden-layer MLP.

Both are trained full-batch with Adam on standardised features, L2-regularised,
with a fixed seed, so a run is repeatable. The fitted parameters are the arrays
`tutor.grading.probe.ProbeHead` evaluates at grading time.
"""

from __future__ import annotations

import numpy as np


def standardiser(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-column mean and scale (scale 1 where a column is constant)."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean.astype(np.float32), scale.astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def class_weights(labels: np.ndarray, n_classes: int, power: float) -> np.ndarray:
    """Per-item weights ~ 1 / count(class) ** power, mean 1 (power 0: unweighted)."""
    counts = np.bincount(labels, minlength=n_classes).astype(np.float64)
    per_class = np.where(counts > 0, 1.0 / np.maximum(counts, 1.0) ** power, 0.0)
    weights = per_class[labels]
    return weights / weights.mean()


def fit_head(
    features: np.ndarray,
    labels: np.ndarray,
    n_classes: int,
    *,
    hidden: int = 0,
    l2: float = 1e-3,
    steps: int = 600,
    learning_rate: float = 0.01,
    seed: int = 0,
    weight_power: float = 0.0,
) -> dict[str, np.ndarray]:
    """Fit logits = MLP(standardised features) to integer ``labels`` by cross-entropy.

    ``hidden`` 0 gives softmax regression. Returns mean, scale, w1, b1 (and w2, b2
    for an MLP) as float32 arrays.
    """
    rng = np.random.default_rng(seed)
    mean, scale = standardiser(features)
    x = ((features - mean) / scale).astype(np.float64)
    n, dim = x.shape
    onehot = np.eye(n_classes)[labels]
    weights = class_weights(labels, n_classes, weight_power)[:, None] / n
    params: dict[str, np.ndarray] = {}
    if hidden:
        params["w1"] = rng.normal(0.0, np.sqrt(2.0 / dim), (dim, hidden))
        params["b1"] = np.zeros(hidden)
        params["w2"] = rng.normal(0.0, np.sqrt(1.0 / hidden), (hidden, n_classes))
        params["b2"] = np.zeros(n_classes)
    else:
        params["w1"] = np.zeros((dim, n_classes))
        params["b1"] = np.zeros(n_classes)
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        if hidden:
            pre = x @ params["w1"] + params["b1"]
            h = np.maximum(pre, 0.0)
            probs = _softmax(h @ params["w2"] + params["b2"])
            d_logits = (probs - onehot) * weights
            grads = {"w2": h.T @ d_logits, "b2": d_logits.sum(axis=0)}
            d_h = (d_logits @ params["w2"].T) * (pre > 0)
            grads["w1"] = x.T @ d_h
            grads["b1"] = d_h.sum(axis=0)
        else:
            probs = _softmax(x @ params["w1"] + params["b1"])
            d_logits = (probs - onehot) * weights
            grads = {"w1": x.T @ d_logits, "b1": d_logits.sum(axis=0)}
        for key in params:
            if key.startswith("w"):
                grads[key] = grads[key] + l2 * params[key]
            m, v = moments[key]
            m[:] = beta1 * m + (1 - beta1) * grads[key]
            v[:] = beta2 * v + (1 - beta2) * grads[key] ** 2
            m_hat = m / (1 - beta1**step)
            v_hat = v / (1 - beta2**step)
            params[key] = params[key] - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    out = {"mean": mean, "scale": scale}
    out.update({k: v.astype(np.float32) for k, v in params.items()})
    return out


def predict_proba(params: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
    """Class probabilities for rows of ``features`` (same maths as the shipped head)."""
    x = (features - params["mean"]) / params["scale"]
    h = x @ params["w1"] + params["b1"]
    if "w2" in params:
        h = np.maximum(h, 0.0) @ params["w2"] + params["b2"]
    return _softmax(h.astype(np.float64))
