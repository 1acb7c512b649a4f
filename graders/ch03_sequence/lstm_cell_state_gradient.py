"""Grader for ch03_sequence/lstm_cell_state_gradient."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "forget_gates": {
        "x": "(batch, T, input_dim)",
        "h0": "(batch, units)",
        "c0": "(batch, units)",
        'params["W_f"]': "(units + input_dim, units)",
        'params["b_f"]': "(units,)",
        'params["W_i"]': "(units + input_dim, units)",
        'params["b_i"]': "(units,)",
        'params["W_c"]': "(units + input_dim, units)",
        'params["b_c"]': "(units,)",
        'params["W_o"]': "(units + input_dim, units)",
        'params["b_o"]': "(units,)",
    },
    "cell_path_gradients": {"f": "(batch, T, units)"},
}


def _params(rng, input_dim, units, scale=0.5, forget_bias=0.0):
    params = {}
    for gate in "fico":
        params[f"W_{gate}"] = rng.normal(size=(units + input_dim, units)) * scale
        params[f"b_{gate}"] = rng.normal(size=units) * scale
    params["b_f"] = params["b_f"] + forget_bias
    return params


def _forget(sub, seed, batch, steps, input_dim, units, **kwargs):
    rng = np.random.default_rng(seed)
    params = _params(rng, input_dim, units, **kwargs)
    x = rng.normal(size=(batch, steps, input_dim))
    h0, c0 = rng.normal(size=(batch, units)), rng.normal(size=(batch, units))
    return np.asarray(sub.forget_gates(x, h0, c0, params), dtype=float)


@check(points=1, visible=True, hint="f_t = sigmoid([h_{t-1}, x_t] W_f + b_f), with the forget gate's own W_f.")
def one_step(sub):
    """forget_gates for T = 1 on 2 sequences, 3 inputs, 4 units."""
    return {"f": _forget(sub, 0, batch=2, steps=1, input_dim=3, units=4)}


@check(points=2, hint="h_t and c_t must be carried from step to step, and [h_{t-1}, x_t] has h first.")
def forget_gates_over_a_sequence(sub):
    """forget_gates on 3 sequences of 6 steps from non-zero h_0, c_0, input_dim != units."""
    return {"f": _forget(sub, 4, batch=3, steps=6, input_dim=2, units=4, forget_bias=1.0)}


@check(points=1, hint="Entry [:, k] is f_{k+1} * ... * f_T, where f[:, j - 1] is f_j; entry [:, T] is 1.")
def path_products(sub):
    """cell_path_gradients of given forget gates, 2 sequences of 5 steps, 3 units; and of a single step."""
    rng = np.random.default_rng(7)
    f = rng.uniform(0.2, 1.0, size=(2, 5, 3))
    return {"long": sub.cell_path_gradients(f), "single_step": sub.cell_path_gradients(f[:1, :1])}


@check(points=2, atol=1e-12)
def remembering_and_forgetting_cells(sub):
    """An LSTM over 30 steps with forget bias 4 (f near 1: the path gradient survives) and with
    forget bias -1 (f near 0.3: it vanishes), small weights, 2 sequences, 3 units."""
    result = {}
    for name, bias in (("remembering", 4.0), ("forgetting", -1.0)):
        f = _forget(sub, 11, batch=2, steps=30, input_dim=2, units=3, scale=0.2, forget_bias=bias)
        result[name] = sub.cell_path_gradients(f)
    return result
