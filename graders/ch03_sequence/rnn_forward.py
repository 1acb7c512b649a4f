"""Grader for ch03_sequence/rnn_forward."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "rnn_forward": {
        "x": "(batch, T, input_dim)",
        "h0": "(batch, units)",
        "W_xh": "(input_dim, units)",
        "W_hh": "(units, units)",
        "W_hy": "(units, output_units)",
    },
}


def _case(seed, batch, steps, input_dim, units, output_units, scale=0.5, zero_h0=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, steps, input_dim))
    h0 = np.zeros((batch, units)) if zero_h0 else rng.normal(size=(batch, units)) * 0.5
    weights = [rng.normal(size=shape) * scale
               for shape in ((input_dim, units), (units, units), (units, output_units))]
    return x, h0, weights


def _run(sub, case):
    x, h0, (w_xh, w_hh, w_hy) = case
    y_hat, h = sub.rnn_forward(x, h0, w_xh, w_hh, w_hy)
    return {"y_hat": y_hat, "h": h}


@check(points=1, visible=True)
def small_batch(sub):
    """2 sequences of 3 steps, 2 inputs, 3 hidden units, 1 output, starting from h_0 = 0."""
    return _run(sub, _case(0, batch=2, steps=3, input_dim=2, units=3, output_units=1, zero_h0=True))


@check(points=1)
def given_initial_state(sub):
    """a non-zero h_0 (5 sequences of 6 steps): h_1 must use it."""
    return _run(sub, _case(3, batch=5, steps=6, input_dim=4, units=3, output_units=2))


@check(points=1)
def single_step(sub):
    """T = 1: y_hat and h still have a time axis, of length 1."""
    return _run(sub, _case(5, batch=3, steps=1, input_dim=2, units=4, output_units=3))


@check(points=1)
def long_sequence_large_weights(sub):
    """20 steps with large weights (tanh saturates), one sequence."""
    return _run(sub, _case(8, batch=1, steps=20, input_dim=3, units=5, output_units=2, scale=2.0))
