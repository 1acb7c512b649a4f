"""Grader for ch03_sequence/bptt_gradients."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "bptt_gradients": {
        "x": "(batch, T, input_dim)",
        "y": "(batch, T, output_units)",
        "h0": "(batch, units)",
        "W_xh": "(input_dim, units)",
        "W_hh": "(units, units)",
        "W_hy": "(units, output_units)",
    },
}

_NAMES = ("loss", "W_xh", "W_hh", "W_hy", "h0")


def _case(seed, batch, steps, input_dim, units, output_units):
    rng = np.random.default_rng(seed)
    return dict(
        x=rng.normal(size=(batch, steps, input_dim)),
        y=rng.normal(size=(batch, steps, output_units)),
        h0=rng.normal(size=(batch, units)) * 0.5,
        W_xh=rng.normal(size=(input_dim, units)) * 0.5,
        W_hh=rng.normal(size=(units, units)) * 0.5,
        W_hy=rng.normal(size=(units, output_units)) * 0.5,
    )


def _gradients(sub, case, names=_NAMES):
    result = sub.bptt_gradients(case["x"], case["y"], case["h0"], case["W_xh"], case["W_hh"], case["W_hy"])
    if not isinstance(result, dict):
        raise TypeError(f"bptt_gradients must return a dict with the keys {', '.join(_NAMES)}, "
                        f"got a {type(result).__name__}.")
    # a missing key is reported by the comparison ("`h0` is missing from your results")
    return {name: result[name] for name in names if name in result}


@check(points=1, visible=True)
def one_step(sub):
    """T = 1 (no recurrence yet): loss and all four gradients, 2 sequences."""
    return _gradients(sub, _case(0, batch=2, steps=1, input_dim=3, units=4, output_units=2))


@check(points=2)
def several_steps(sub):
    """T = 5, 3 sequences: the gradients flow back through W_hh and add up over the steps."""
    return _gradients(sub, _case(4, batch=3, steps=5, input_dim=2, units=3, output_units=2))


@check(points=2, rtol=1e-5, atol=1e-8)
def recurrent_weights_and_initial_state(sub):
    """dL/dW_hh and dL/dh_0 after 12 steps, one sequence: the contributions of every step."""
    return _gradients(sub, _case(9, batch=1, steps=12, input_dim=3, units=5, output_units=1),
                      names=("W_hh", "h0"))


@check(points=1)
def loss_value(sub):
    """L = sum over steps, sequences and outputs of 1/2 (y_hat - y)^2 on 4 sequences of 7 steps."""
    return _gradients(sub, _case(13, batch=4, steps=7, input_dim=2, units=3, output_units=3),
                      names=("loss",))
