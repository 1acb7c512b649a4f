"""Grader for ch06_generative/affine_coupling."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
_LAYER = {"mask": "(D,)", "w_s": "(D, D)", "c_s": "(D,)", "w_t": "(D, D)", "c_t": "(D,)"}
SHAPES = {
    "coupling_forward": {"x": "(N, D)", **_LAYER},
    "coupling_inverse": {"z": "(N, D)", **_LAYER},
}


def _layer(seed, d, mask):
    rng = np.random.default_rng(seed)
    return (np.asarray(mask, dtype=float), rng.normal(size=(d, d)), 0.5 * rng.normal(size=d),
            rng.normal(size=(d, d)), rng.normal(size=d))


@check(points=1, visible=True)
def forward_in_two_dimensions(sub):
    """z and log|det| of one layer in 2-D that keeps x_1 and transforms x_2, three points."""
    x = np.array([[1.0, 2.0], [-0.5, 0.0], [2.0, -1.0]])
    mask, w_s, c_s = np.array([1.0, 0.0]), np.array([[0.0, 0.5], [1.0, -0.7]]), np.array([0.0, 0.2])
    w_t, c_t = np.array([[0.0, -1.0], [2.0, 0.4]]), np.array([0.0, 0.3])
    z, log_det = sub.coupling_forward(x, mask, w_s, c_s, w_t, c_t)
    return {"z": z, "log_det": log_det}


@check(points=2)
def forward_on_a_random_batch(sub):
    """z and log|det| for six points in 4-D with the mask (0, 1, 0, 1) and full weight matrices."""
    params = _layer(4, 4, [0.0, 1.0, 0.0, 1.0])
    z, log_det = sub.coupling_forward(np.random.default_rng(5).normal(size=(6, 4)), *params)
    return {"z": z, "log_det": log_det}


@check(points=2)
def inverse_on_a_random_batch(sub):
    """x from five given z in 3-D with the mask (1, 1, 0)."""
    params = _layer(6, 3, [1.0, 1.0, 0.0])
    return {"x": sub.coupling_inverse(2.0 * np.random.default_rng(7).normal(size=(5, 3)), *params)}


@check(points=2)
def stack_with_alternating_masks(sub):
    """three layers in 4-D with masks (1, 0, 1, 0), (0, 1, 0, 1), (1, 0, 1, 0): the final z, the
    summed log|det| and x recovered from z by the inverses in reverse order."""
    layers = [_layer(10 + k, 4, np.arange(4) % 2 == k % 2) for k in range(3)]
    x = np.random.default_rng(13).normal(size=(7, 4))
    h, total = x, np.zeros(7)
    for params in layers:
        h, log_det = sub.coupling_forward(h, *params)
        total = total + np.asarray(log_det, dtype=float)
    back = h
    for params in reversed(layers):
        back = sub.coupling_inverse(back, *params)
    return {"z": h, "log_det": total, "x_back": back}
