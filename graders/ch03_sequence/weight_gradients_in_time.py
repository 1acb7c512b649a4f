"""Grader for ch03_sequence/weight_gradients_in_time."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "weight_gradient_terms": {
        "x": "(batch, T, input_dim)",
        "y": "(batch, output_units)",
        "h0": "(batch, units)",
        "W_xh": "(input_dim, units)",
        "W_hh": "(units, units)",
        "W_hy": "(units, output_units)",
    },
}

_NAMES = ("loss", "W_hy", "W_xh_terms", "W_hh_terms")


def _case(seed, batch, steps, input_dim, units, output_units, spectral_norm=None):
    rng = np.random.default_rng(seed)
    w_hh = rng.normal(size=(units, units)) * 0.6
    if spectral_norm is not None:
        w_hh *= spectral_norm / np.linalg.norm(w_hh, 2)
    return dict(
        x=rng.normal(size=(batch, steps, input_dim)),
        y=rng.normal(size=(batch, output_units)),
        h0=rng.normal(size=(batch, units)) * 0.5,
        W_xh=rng.normal(size=(input_dim, units)) * 0.6,
        W_hh=w_hh,
        W_hy=rng.normal(size=(units, output_units)) * 0.6,
    )


def _terms(sub, case, names=_NAMES):
    result = sub.weight_gradient_terms(case["x"], case["y"], case["h0"], case["W_xh"], case["W_hh"], case["W_hy"])
    if not isinstance(result, dict):
        raise TypeError(f"weight_gradient_terms must return a dict with the keys {', '.join(_NAMES)}, "
                        f"got a {type(result).__name__}.")
    # a missing key is reported by the comparison ("`W_hh_terms` is missing from your results")
    return {name: result[name] for name in names if name in result}


@check(points=1, visible=True)
def one_step(sub):
    """T = 1, 2 sequences: the loss, dL_1/dW_hy and the single term of W_xh and of W_hh."""
    return _terms(sub, _case(0, batch=2, steps=1, input_dim=3, units=4, output_units=2))


@check(points=1, hint="dL_T/dW_hy = h_T^T (y_hat_T - y_T) uses the last state only.")
def output_weights_see_only_the_last_step(sub):
    """T = 6, 3 sequences: L_T and dL_T/dW_hy, which involve step T alone."""
    return _terms(sub, _case(3, batch=3, steps=6, input_dim=2, units=3, output_units=2), names=("loss", "W_hy"))


@check(points=2, hint="Entry [k - 1] is the term x_k^T delta_k; each step back multiplies delta by W_hh^T "
                      "and by (1 - h_k^2).")
def input_weight_terms(sub):
    """T = 6, 3 sequences, W_hh not symmetric: the terms x_k^T delta_k of every step k."""
    return _terms(sub, _case(5, batch=3, steps=6, input_dim=2, units=4, output_units=3), names=("W_xh_terms",))


@check(points=1, hint="The term of step k multiplies delta_k by h_{k-1}, the state before step k "
                      "(h_0 for k = 1).")
def recurrent_weight_terms(sub):
    """T = 5, 2 sequences from a non-zero h_0: the terms h_{k-1}^T delta_k of every step k."""
    return _terms(sub, _case(8, batch=2, steps=5, input_dim=3, units=3, output_units=1), names=("W_hh_terms",))


@check(points=1, rtol=1e-6, atol=1e-15)
def distant_terms_vanish(sub):
    """T = 20, one sequence, spectral norm of W_hh 0.5: the first step's terms are about 1e-11
    of the last one's and must still be right (compared down to 1e-15)."""
    return _terms(sub, _case(13, batch=1, steps=20, input_dim=2, units=5, output_units=2, spectral_norm=0.5))
