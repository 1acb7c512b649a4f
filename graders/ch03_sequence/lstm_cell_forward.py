"""Grader for ch03_sequence/lstm_cell_forward."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "lstm_step": {
        "x_t": "(batch, input_dim)",
        "h_prev": "(batch, units)",
        "c_prev": "(batch, units)",
        'params["W_f"]': "(units + input_dim, units)",
        'params["b_f"]': "(units,)",
        'params["W_i"]': "(units + input_dim, units)",
        'params["b_i"]': "(units,)",
        'params["W_c"]': "(units + input_dim, units)",
        'params["b_c"]': "(units,)",
        'params["W_o"]': "(units + input_dim, units)",
        'params["b_o"]': "(units,)",
    },
    "lstm_forward": {
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
}


def _params(rng, input_dim, units, scale=0.5, forget_bias=0.0):
    params = {}
    for gate in "fico":
        params[f"W_{gate}"] = rng.normal(size=(units + input_dim, units)) * scale
        params[f"b_{gate}"] = rng.normal(size=units) * scale
    params["b_f"] = params["b_f"] + forget_bias
    return params


def _step(sub, seed, batch, input_dim, units, **kwargs):
    rng = np.random.default_rng(seed)
    params = _params(rng, input_dim, units, **kwargs)
    x, h, c = (rng.normal(size=(batch, n)) for n in (input_dim, units, units))
    h_t, c_t = sub.lstm_step(x, h, c, params)
    return {"h_t": h_t, "c_t": c_t}


@check(points=1, visible=True)
def one_step(sub):
    """lstm_step on 2 examples, 3 inputs, 4 units."""
    return _step(sub, 0, batch=2, input_dim=3, units=4)


@check(points=1)
def gates_take_h_before_x(sub):
    """lstm_step with input_dim != units (5 vs 2): [h, x] has h first, then x."""
    return _step(sub, 3, batch=3, input_dim=5, units=2)


@check(points=1)
def forget_gate_keeps_the_cell_state(sub):
    """forget bias 20 and input bias -20: c_t = c_{t-1} (the memory is kept unchanged)."""
    rng = np.random.default_rng(6)
    params = _params(rng, 2, 3, scale=0.1)
    params["b_f"] = np.full(3, 20.0)
    params["b_i"] = np.full(3, -20.0)
    x, h, c = (rng.normal(size=(4, n)) for n in (2, 3, 3))
    h_t, c_t = sub.lstm_step(x, h, c, params)
    return {"h_t": h_t, "c_t": c_t}


@check(points=2)
def sequence(sub):
    """lstm_forward over 3 sequences of 6 steps from non-zero h_0, c_0 (forget bias 1)."""
    rng = np.random.default_rng(9)
    params = _params(rng, 2, 4, forget_bias=1.0)
    x = rng.normal(size=(3, 6, 2))
    h0, c0 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    h, c_last = sub.lstm_forward(x, h0, c0, params)
    return {"h": h, "c_T": c_last}
