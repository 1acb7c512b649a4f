"""Grader for ch08_llm/rms_norm."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.normalization", "keras", "tensorflow", "torch", "jax")

SHAPES = {"rms_norm": {"x": "(..., d)", "g": "(d,)"}}


def _x(seed, shape, scale=2.0, shift=1.0):
    return np.random.default_rng(seed).normal(size=shape) * scale + shift


@check(points=1, visible=True, hint="divide by sqrt(mean(x^2) + eps) over the last axis; do not subtract the mean.")
def rows_with_a_gain(sub):
    """rms_norm on x (4, 6) (features not centred) with a gain g and eps = 1e-6."""
    g = np.random.default_rng(0).normal(size=6)
    return {"y": np.asarray(sub.rms_norm(_x(1, (4, 6)), g, eps=1e-6), dtype=float)}


@check(points=1)
def batch_of_sequences(sub):
    """x (2, 3, 5) and a single vector (5,), each vector normalised on its own."""
    g = np.random.default_rng(2).normal(size=5)
    return {"batch": np.asarray(sub.rms_norm(_x(3, (2, 3, 5)), g, eps=1e-6), dtype=float),
            "vector": np.asarray(sub.rms_norm(_x(4, (5,)), g, eps=1e-6), dtype=float)}


@check(points=1, hint="eps goes inside the square root: x / sqrt(mean(x^2) + eps).")
def eps_matters_for_small_vectors(sub):
    """features of size about 0.01 with eps = 1e-3 (eps is larger than mean(x^2)), and an all-zero vector."""
    g = np.ones(4)
    small = _x(5, (3, 4), scale=0.01, shift=0.0)
    return {"small": np.asarray(sub.rms_norm(small, g, eps=1e-3), dtype=float),
            "zeros": np.asarray(sub.rms_norm(np.zeros((1, 4)), g, eps=1e-3), dtype=float)}


@check(points=1, atol=1e-9)
def default_eps(sub):
    """eps left at its default 1e-6, on features of size about 1e-3 (mean(x^2) near eps)."""
    g = np.random.default_rng(6).normal(size=3)
    return {"y": np.asarray(sub.rms_norm(_x(7, (2, 3), scale=1e-3, shift=0.0), g), dtype=float)}


@check(points=1, requires=("rows_with_a_gain", "batch_of_sequences"))
def input_not_modified(sub):
    """rms_norm leaves x as it was (it returns a new array)."""
    x = _x(8, (3, 4))
    before = x.copy()
    sub.rms_norm(x, np.ones(4))
    return {"x_after": x, "x_before": before}
