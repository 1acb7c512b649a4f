"""Grader for ch02_training/l1_l2_penalty."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "l1_penalty": {},
    "l2_penalty": {},
    "l1_gradient": {},
    "l2_gradient": {},
    "regularized_step": {"w": "any shape", "g": "any shape"},
}


def _weights(seed, shapes, zeros=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=shape) for shape in shapes]
    for w in weights[:1]:
        # exact zeros, where the L1 (sub)gradient is 0
        w.ravel()[:zeros] = 0.0
    return weights


def _gradients(name, gradients, count):
    gradients = list(gradients)
    if len(gradients) != count:
        raise AssertionError(f"{name} returned {len(gradients)} arrays, expected one per weight array ({count}).")
    return {f"{name}[{i}]": np.asarray(g, dtype=float) for i, g in enumerate(gradients)}


@check(points=1, visible=True)
def l2_one_matrix(sub):
    """L2 penalty and gradient of a single (3, 4) kernel, lambda = 0.01."""
    weights = _weights(0, [(3, 4)])
    return {
        "l2_penalty": float(sub.l2_penalty(weights, 0.01)),
        **_gradients("l2_gradient", sub.l2_gradient(weights, 0.01), 1),
    }


@check(points=2)
def l1_with_zeros(sub):
    """L1 penalty and gradient of two arrays, some weights exactly 0 (where sign(0) = 0)."""
    weights = _weights(1, [(4, 5), (5,)], zeros=6)
    return {
        "l1_penalty": float(sub.l1_penalty(weights, 0.05)),
        **_gradients("l1_gradient", sub.l1_gradient(weights, 0.05), 2),
    }


@check(points=1)
def several_layers(sub):
    """both penalties over a conv kernel, a dense kernel and a vector."""
    weights = _weights(2, [(3, 3, 2, 4), (8, 3), (3,)])
    return {
        "l1_penalty": float(sub.l1_penalty(weights, 0.001)),
        "l2_penalty": float(sub.l2_penalty(weights, 0.3)),
        **_gradients("l1_gradient", sub.l1_gradient(weights, 0.001), 3),
        **_gradients("l2_gradient", sub.l2_gradient(weights, 0.3), 3),
    }


@check(points=1)
def elastic_net_step(sub):
    """regularized_step with L1 only, L2 only (weight decay) and both."""
    rng = np.random.default_rng(3)
    w, g = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    w[0, 0] = 0.0
    return {
        "l1_only": sub.regularized_step(w, g, 0.1, 0.2, 0.0),
        "l2_only": sub.regularized_step(w, g, 0.1, 0.0, 0.5),
        "both": sub.regularized_step(w, g, 0.05, 0.01, 0.02),
    }
