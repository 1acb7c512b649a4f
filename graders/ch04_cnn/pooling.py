"""Grader for ch04_cnn/pooling."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.cnn", "keras", "tensorflow", "scipy", "torch", "skimage")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "max_pool_forward": {"x": "(N, H, W, C)"},
    "max_pool_backward": {"dy": "(N, out_h, out_w, C)", "x": "(N, H, W, C)"},
    "global_average_pool_forward": {"x": "(N, H, W, C)"},
    "global_average_pool_backward": {"dy": "(N, C)"},
}


def _x(seed, shape):
    return np.random.default_rng(seed).normal(size=shape)


@check(points=1, visible=True)
def max_pool_forward_2x2(sub):
    """2x2 max pooling with stride 2 of one 4x4 grey image, forward and backward."""
    x = _x(0, (1, 4, 4, 1))
    return {"y": sub.max_pool_forward(x, 2, 2), "dx": sub.max_pool_backward(_x(10, (1, 2, 2, 1)), x, 2, 2)}


@check(points=1)
def max_pool_forward_overlapping(sub):
    """3x3 windows with stride 2 (overlapping), and 2x2 with stride 3 (gaps), on a batch with 3 channels."""
    x = _x(1, (2, 7, 8, 3))
    return {"overlapping": sub.max_pool_forward(x, 3, 2), "gaps": sub.max_pool_forward(x, 2, 3)}


def _backward_ok(student, reference):
    for key, expected in reference.items():
        got = student.get(key)
        if got is None or np.shape(got) != expected.shape:
            raise AssertionError(f"`{key}` has shape {np.shape(got)}, expected the input's shape {expected.shape}.")
        got = np.asarray(got, dtype=float)
        if np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            continue
        if np.count_nonzero(got) > np.count_nonzero(expected):
            raise AssertionError(
                f"`{key}`: {np.count_nonzero(got)} pixels got a gradient, but only each window's maximum "
                f"should ({np.count_nonzero(expected)} pixels here)."
            )
        raise AssertionError(
            f"`{key}` differs from the expected gradient: each dy[n, i, j, c] goes to the maximum of "
            "window (i, j), and gradients of overlapping windows add up."
        )


@check(points=2, compare=_backward_ok)
def max_pool_backward_non_overlapping(sub):
    """gradient of 2x2 / stride 2 max pooling, batch of 2 with 3 channels (odd size: last row unused)."""
    x = _x(2, (2, 5, 6, 3))
    dy = _x(3, (2, 2, 3, 3))
    return {"dx": sub.max_pool_backward(dy, x, 2, 2)}


@check(points=1, compare=_backward_ok)
def max_pool_backward_overlapping(sub):
    """gradient of 3x3 / stride 1 max pooling: a pixel that is the maximum of several windows sums their gradients."""
    x = _x(4, (2, 6, 5, 2))
    dy = _x(5, (2, 4, 3, 2))
    return {"dx": sub.max_pool_backward(dy, x, 3, 1)}


@check(points=1)
def global_average_pooling(sub):
    """global average pooling forward and backward on a (3, 5, 4, 6) batch."""
    x = _x(6, (3, 5, 4, 6))
    dy = _x(7, (3, 6))
    return {
        "y": sub.global_average_pool_forward(x),
        "dx": sub.global_average_pool_backward(dy, x.shape),
    }
