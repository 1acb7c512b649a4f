"""LSTMCell against keras.layers.LSTM on shared weights (sequence output and final states),
the weight-layout converters and per-gate views, config and save/load round-trips (models
saved with the old one-variable-per-gate layout included)."""

import doctest

import keras
import numpy as np
import pytest

import dlcourse.sequence.lstm
from dlcourse.sequence import LSTMCell, gates_from_keras_lstm, keras_lstm_from_gates


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _keras_lstm(units, x, seed):
    """A keras.layers.LSTM with random (not default) weights, bias included."""
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    layer(x)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in layer.get_weights()])
    return layer


@pytest.mark.backend_neutral
@pytest.mark.parametrize("seed, batch, steps, input_dim, units", [(0, 2, 5, 3, 4), (1, 3, 8, 1, 6)])
def test_lstm_cell_matches_keras_lstm_on_shared_weights(seed, batch, steps, input_dim, units):
    x = np.random.default_rng(seed + 10).normal(size=(batch, steps, input_dim)).astype("float32")
    theirs = _keras_lstm(units, x, seed)
    rng = np.random.default_rng(seed + 20)
    initial = [rng.normal(size=(batch, units)).astype("float32") for _ in range(2)]
    for per_gate in (True, False):  # through the notes' per-gate weights, or Keras' packed ones
        ours = keras.layers.RNN(LSTMCell(units), return_sequences=True, return_state=True)
        ours(x)
        if per_gate:
            ours.cell.set_gate_weights(gates_from_keras_lstm(*theirs.get_weights()))
        else:
            ours.set_weights(theirs.get_weights())
        for kwargs in ({}, {"initial_state": initial}):
            for a, b in zip(ours(x, **kwargs), theirs(x, **kwargs)):  # sequence, h_T, c_T
                np.testing.assert_allclose(_numpy(a), _numpy(b), rtol=1e-5, atol=1e-5)


def test_gate_order_is_mapped_not_assumed():
    """Each of Keras' blocks i, f, c, o lands in the notes' gate of the same name."""
    units, input_dim = 2, 3
    kernel = np.concatenate([np.full((input_dim, units), k) for k in (1.0, 2.0, 3.0, 4.0)], axis=1)
    recurrent = np.concatenate([np.full((units, units), -k) for k in (1.0, 2.0, 3.0, 4.0)], axis=1)
    bias = np.repeat([10.0, 20.0, 30.0, 40.0], units)
    weights = gates_from_keras_lstm(kernel, recurrent, bias)
    for (gate, value), k in zip((("f", 2.0), ("i", 1.0), ("c", 3.0), ("o", 4.0)), range(4)):
        w, b = weights[2 * k], weights[2 * k + 1]
        np.testing.assert_array_equal(w[:units], -value, err_msg=gate)  # recurrent rows first
        np.testing.assert_array_equal(w[units:], value, err_msg=gate)
        np.testing.assert_array_equal(b, 10 * value, err_msg=gate)
    for a, b in zip(keras_lstm_from_gates(weights), (kernel, recurrent, bias)):
        np.testing.assert_array_equal(a, b)


def test_unit_forget_bias_matches_keras_initial_bias():
    cell = LSTMCell(3)
    cell.build((None, 2))
    keras_cell = keras.layers.LSTMCell(3)
    keras_cell.build((None, 2))
    ours = dict(zip(("W_f", "b_f", "W_i", "b_i", "W_c", "b_c", "W_o", "b_o"), cell.gate_weights()))
    theirs = gates_from_keras_lstm(*keras_cell.get_weights())
    for k, name in enumerate(("b_f", "b_i", "b_c", "b_o")):
        np.testing.assert_array_equal(ours[name], theirs[2 * k + 1])
    cell = LSTMCell(3, unit_forget_bias=False)
    cell.build((None, 2))
    assert not np.any(cell.gate_weights()[1])


def test_lstm_cell_weights_config_and_validation():
    cell = LSTMCell(4, name="lstm_cell")
    assert cell.state_size == [4, 4] and cell.output_size == 4
    with pytest.raises(AttributeError, match="'lstm_cell' is not built yet"):
        cell.W_f
    keras.layers.RNN(cell)(np.zeros((2, 3, 5), "float32"))
    assert [w.name for w in cell.weights] == ["kernel", "recurrent_kernel", "bias"]
    assert [tuple(w.shape) for w in cell.weights] == [(5, 16), (4, 16), (16,)]
    per_gate = cell.gate_weights()
    for k, gate in enumerate(("f", "i", "c", "o")):  # the named views are the per-gate weights
        np.testing.assert_array_equal(_numpy(getattr(cell, f"W_{gate}")), per_gate[2 * k])
        np.testing.assert_array_equal(_numpy(getattr(cell, f"b_{gate}")), per_gate[2 * k + 1])
    assert per_gate[0].shape == (9, 4)
    restored = LSTMCell.from_config(cell.get_config())
    assert restored.get_config() == cell.get_config()
    with pytest.raises(ValueError, match="units must be a positive integer, got 2.5"):
        LSTMCell(2.5)
    with pytest.raises(ValueError, match="Keras LSTM weights must have shapes"):
        gates_from_keras_lstm(np.zeros((3, 8)), np.zeros((2, 4)), np.zeros(8))
    with pytest.raises(ValueError, match="give per-gate weights .* to set_gate_weights"):
        cell.set_weights(per_gate)
    with pytest.raises(ValueError, match="gate must be one of"):
        cell.gate_kernel("g")


@pytest.mark.backend_neutral
def test_model_with_lstm_cell_saves_and_loads(tmp_path):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((5, 2)),
        keras.layers.RNN(LSTMCell(3), return_sequences=True),
        keras.layers.RNN(LSTMCell(2)),
    ])
    x = np.random.default_rng(2).normal(size=(6, 5, 2)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6, atol=1e-6)


def test_model_saved_with_one_variable_per_gate_still_loads(tmp_path):
    """Before the cell packed its gates it stored eight variables [W_f, b_f, ..., W_o, b_o];
    weights files in that layout load into the packed layout (oracle: keras.layers.LSTM)."""
    x = np.random.default_rng(3).normal(size=(2, 4, 3)).astype("float32")
    theirs = _keras_lstm(5, x, seed=4)
    per_gate = gates_from_keras_lstm(*theirs.get_weights())

    class OneVariablePerGate(keras.layers.Layer):  # the old cell's variables, nothing else
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units, self.state_size, self.output_size = units, [units, units], units

        def build(self, input_shape):
            for gate in ("f", "i", "c", "o"):
                self.add_weight(shape=(self.units + input_shape[-1], self.units), name=f"W_{gate}")
                self.add_weight(shape=(self.units,), name=f"b_{gate}")

        def call(self, inputs, states):
            return states[0], states

    old = keras.Sequential([keras.Input((4, 3)), keras.layers.RNN(OneVariablePerGate(5), return_sequences=True)])
    old.set_weights(per_gate)
    old.save_weights(tmp_path / "old.weights.h5")
    new = keras.Sequential([keras.Input((4, 3)), keras.layers.RNN(LSTMCell(5), return_sequences=True)])
    new.load_weights(tmp_path / "old.weights.h5")
    np.testing.assert_allclose(_numpy(new(x)), _numpy(theirs(x)[0]), rtol=1e-5, atol=1e-5)


def test_docstring_examples():
    result = doctest.testmod(dlcourse.sequence.lstm, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
