"""Grader for ch03_sequence/rnn_cell_layer."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = (
    "dlcourse.sequence",
    "keras.layers.SimpleRNN",
    "keras.layers.SimpleRNNCell",
    "keras.layers.Dense",
    "keras.layers.LSTM",
    "keras.layers.LSTMCell",
    "keras.layers.GRU",
    "keras.layers.GRUCell",
    "tensorflow",
)

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {}


def _case(seed, batch, steps, input_dim, units, output_units):
    rng = np.random.default_rng(seed)
    shapes = ((input_dim, units), (units, units), (units, output_units))
    weights = [(rng.normal(size=s) * 0.6).astype("float32") for s in shapes]
    return rng.normal(size=(batch, steps, input_dim)).astype("float32"), weights


def _rnn(sub, x, weights, **kwargs):
    import keras

    units, output_units = weights[2].shape
    layer = keras.layers.RNN(sub.VanillaRNNCell(units, output_units), **kwargs)
    layer(x)
    try:
        layer.set_weights(weights)
    except ValueError as err:
        shapes = ", ".join(str(tuple(w.shape)) for w in layer.weights)
        raise ValueError(
            "set_weights([W_xh, W_hh, W_hy]) failed: your cell's weights have shapes "
            f"{shapes}, expected {', '.join(str(w.shape) for w in weights)} in this order."
        ) from err
    return layer


def _numpy(x):
    import keras

    return keras.ops.convert_to_numpy(x)


@check(points=1, visible=True, rtol=1e-4, atol=1e-5)
def sequence_outputs(sub):
    """keras.layers.RNN(cell, return_sequences=True) on 2 sequences of 4 steps, 3 inputs, 5 units, 2 outputs."""
    x, weights = _case(0, batch=2, steps=4, input_dim=3, units=5, output_units=2)
    return {"y_hat": _numpy(_rnn(sub, x, weights, return_sequences=True)(x))}


@check(points=1, rtol=1e-4, atol=1e-5)
def last_output_and_state(sub):
    """keras.layers.RNN(cell, return_state=True): the last output y_hat_T and the last state h_T."""
    x, weights = _case(1, batch=3, steps=6, input_dim=2, units=4, output_units=3)
    y_last, h_last = _rnn(sub, x, weights, return_state=True)(x)
    return {"y_hat_T": _numpy(y_last), "h_T": _numpy(h_last)}


@check(points=1, rtol=1e-4, atol=1e-5)
def given_initial_state(sub):
    """a non-zero initial_state h_0, 2 sequences of 5 steps."""
    x, weights = _case(2, batch=2, steps=5, input_dim=3, units=3, output_units=1)
    h0 = np.random.default_rng(3).normal(size=(2, 3)).astype("float32")
    return {"y_hat": _numpy(_rnn(sub, x, weights, return_sequences=True)(x, initial_state=[h0]))}


@check(points=1, hint="state_size is units (or [units]), output_size is output_units, and build creates "
                      "W_xh (input_dim, units), W_hh (units, units) and W_hy (units, output_units) in this order.")
def sizes_and_weights(sub):
    """state_size, output_size and the weight shapes, in the order W_xh, W_hh, W_hy."""
    cell = sub.VanillaRNNCell(6, 2)
    cell.build((None, 4))
    shapes = [tuple(w.shape) for w in cell.weights]
    # Keras accepts state_size = units or [units] (one entry per state); both are compared as [units].
    return {"state_size": np.ravel(cell.state_size), "output_size": np.ravel(cell.output_size),
            "weight_shapes": np.asarray(shapes if len(shapes) == 3 else [(0, 0)] * 3)}
