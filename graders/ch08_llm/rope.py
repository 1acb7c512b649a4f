"""Grader for ch08_llm/rope."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.rope", "keras", "keras_hub", "tensorflow", "torch", "jax")

SHAPES = {"rope": {"x": "(T, d)", "positions": "(T,) int"}}


def _x(seed, T, d):
    return np.random.default_rng(seed).normal(size=(T, d))


@check(points=1, visible=True, hint="pair i is (x[2i], x[2i + 1]), turned by m theta_i with theta_i = "
                                     "base^(-2i / d).")
def three_positions(sub):
    """rope on T = 3 vectors of d = 4 at positions 0, 1, 2."""
    return {"y": np.asarray(sub.rope(_x(0, 3, 4), np.arange(3)), dtype=float)}


@check(points=2, hint="theta_i = base^(-2i / d) with i the pair index, and the angle is position * theta_i.")
def wide_and_far(sub):
    """d = 16 at scattered positions up to 500 (not 0, 1, 2, ...)."""
    positions = np.array([500, 3, 0, 77, 12, 255])
    return {"y": np.asarray(sub.rope(_x(1, 6, 16), positions), dtype=float)}


@check(points=1)
def other_base(sub):
    """base = 100 on d = 8 at positions 5, 1, 9."""
    return {"y": np.asarray(sub.rope(_x(2, 3, 8), np.array([5, 1, 9]), base=100.0), dtype=float)}


@check(points=1)
def one_pair(sub):
    """d = 2 (one pair, theta_0 = 1) at positions 0, 1, 2, 3: a rotation by 0, 1, 2, 3 radians."""
    return {"y": np.asarray(sub.rope(_x(3, 4, 2), np.arange(4)), dtype=float)}


@check(points=1, requires=("three_positions", "wide_and_far"))
def input_not_modified(sub):
    """rope leaves x as it was (it returns a new array)."""
    x = _x(4, 5, 6)
    before = x.copy()
    sub.rope(x, np.array([1, 2, 3, 4, 5]))
    return {"x_after": x, "x_before": before}
