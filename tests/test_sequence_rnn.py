"""VanillaRNNCell against keras.layers.SimpleRNN + Dense on shared weights; backpropagation
through time against finite differences and tf.GradientTape; vanishing gradients of the
vanilla RNN against the LSTM (a seeded property test) and the numpy Jacobian norms against
automatic differentiation."""

import doctest
import importlib

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse.sequence import (
    LSTMCell,
    VanillaRNNCell,
    bptt_gradients,
    rnn_forward,
    rnn_state_jacobian_norms,
    sequence_loss,
    state_jacobian_norms,
)


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _rnn_weights(seed, input_dim=3, units=4, output_units=2, scale=0.5):
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(size=(input_dim, units)) * scale).astype("float32"),  # W_xh
        (rng.normal(size=(units, units)) * scale).astype("float32"),  # W_hh
        (rng.normal(size=(units, output_units)) * scale).astype("float32"),  # W_hy
    ]


def _sequences(seed, batch=2, steps=5, input_dim=3):
    return np.random.default_rng(seed).normal(size=(batch, steps, input_dim)).astype("float32")


@pytest.mark.backend_neutral
def test_vanilla_rnn_matches_simple_rnn_and_dense_on_shared_weights():
    w_xh, w_hh, w_hy = _rnn_weights(0)
    x = _sequences(1)
    ours = keras.layers.RNN(VanillaRNNCell(4, output_units=2), return_sequences=True, return_state=True)
    ours(x)
    ours.set_weights([w_xh, w_hh, w_hy])
    y, h_last = ours(x)
    simple = keras.layers.SimpleRNN(4, use_bias=False, return_sequences=True)
    simple(x)
    simple.set_weights([w_xh, w_hh])
    dense = keras.layers.Dense(2, use_bias=False)
    dense(np.zeros((1, 4), "float32"))
    dense.set_weights([w_hy])
    h = simple(x)
    np.testing.assert_allclose(_numpy(y), _numpy(dense(h)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_numpy(h_last), _numpy(h)[:, -1], rtol=1e-5, atol=1e-6)


def test_vanilla_rnn_with_bias_matches_simple_rnn_with_bias():
    rng = np.random.default_rng(2)
    w_xh, w_hh, w_hy = _rnn_weights(2, units=3, output_units=3)
    b_h, b_y = rng.normal(size=3).astype("float32"), rng.normal(size=3).astype("float32")
    x = _sequences(3, input_dim=3)
    ours = keras.layers.RNN(VanillaRNNCell(3, use_bias=True), return_sequences=True)
    ours(x)
    assert [w.name for w in ours.weights] == ["W_xh", "W_hh", "W_hy", "b_h", "b_y"]
    ours.set_weights([w_xh, w_hh, w_hy, b_h, b_y])
    simple = keras.layers.SimpleRNN(3, return_sequences=True)
    simple(x)
    simple.set_weights([w_xh, w_hh, b_h])
    expected = _numpy(simple(x)) @ w_hy + b_y
    np.testing.assert_allclose(_numpy(ours(x)), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.backend_neutral
def test_numpy_rnn_forward_matches_the_keras_cell():
    w_xh, w_hh, w_hy = _rnn_weights(4)
    x = _sequences(5, batch=3, steps=6)
    h0 = np.random.default_rng(6).normal(size=(3, 4)).astype("float32")
    layer = keras.layers.RNN(VanillaRNNCell(4, output_units=2), return_sequences=True)
    layer(x)
    layer.set_weights([w_xh, w_hh, w_hy])
    y, h = rnn_forward(x, h0, w_xh, w_hh, w_hy)
    assert y.shape == (3, 6, 2) and h.shape == (3, 6, 4)
    np.testing.assert_allclose(y, _numpy(layer(x, initial_state=[h0])), rtol=1e-4, atol=1e-5)


def test_cell_config_weights_and_validation():
    cell = VanillaRNNCell(5, output_units=2, name="rnn_cell")
    assert cell.state_size == 5 and cell.output_size == 2
    keras.layers.RNN(cell)(np.zeros((1, 3, 7), "float32"))
    assert [tuple(w.shape) for w in cell.weights] == [(7, 5), (5, 5), (5, 2)]
    restored = VanillaRNNCell.from_config(cell.get_config())
    assert restored.get_config() == cell.get_config()
    with pytest.raises(ValueError, match="units must be a positive integer, got -3"):
        VanillaRNNCell(-3)
    with pytest.raises(ValueError, match="output_units must be a positive integer"):
        VanillaRNNCell(3, output_units=0)


@pytest.mark.backend_neutral
def test_model_with_vanilla_rnn_saves_and_loads(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((6, 3)),
        keras.layers.RNN(VanillaRNNCell(4, output_units=2, use_bias=True), return_sequences=True),
    ])
    model.compile(optimizer="sgd", loss="mse")
    x = _sequences(7, batch=8, steps=6)
    model.fit(x, np.zeros((8, 6, 2), "float32"), epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6, atol=1e-6)


# --- backpropagation through time ---------------------------------------------------------


def _bptt_case(seed, batch=2, steps=4, input_dim=3, units=5, output_units=2):
    rng = np.random.default_rng(seed)
    return dict(
        x=rng.normal(size=(batch, steps, input_dim)),
        y=rng.normal(size=(batch, steps, output_units)),
        h0=rng.normal(size=(batch, units)) * 0.5,
        W_xh=rng.normal(size=(input_dim, units)) * 0.5,
        W_hh=rng.normal(size=(units, units)) * 0.5,
        W_hy=rng.normal(size=(units, output_units)) * 0.5,
    )


@pytest.mark.parametrize("seed, steps", [(0, 1), (1, 4), (2, 7)])
def test_bptt_matches_finite_differences(seed, steps):
    case = _bptt_case(seed, steps=steps)
    grads = bptt_gradients(**case)

    def loss(**changed):
        args = {**case, **changed}
        y_hat, _ = rnn_forward(args["x"], args["h0"], args["W_xh"], args["W_hh"], args["W_hy"])
        return sequence_loss(y_hat, args["y"])

    assert grads["loss"] == pytest.approx(loss())
    eps = 1e-6
    for name in ("W_xh", "W_hh", "W_hy", "h0"):
        numeric = np.zeros_like(case[name])
        for index in np.ndindex(case[name].shape):
            plus, minus = case[name].copy(), case[name].copy()
            plus[index] += eps
            minus[index] -= eps
            numeric[index] = (loss(**{name: plus}) - loss(**{name: minus})) / (2 * eps)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-5, atol=1e-7, err_msg=name)


def test_bptt_matches_gradient_tape_through_the_keras_cell():
    case = _bptt_case(3, batch=3, steps=6)
    grads = bptt_gradients(**case)
    cell = VanillaRNNCell(5, output_units=2, dtype="float64")
    layer = keras.layers.RNN(cell, return_sequences=True, dtype="float64")
    layer(case["x"], initial_state=[case["h0"]])
    layer.set_weights([case["W_xh"], case["W_hh"], case["W_hy"]])
    h0 = tf.Variable(case["h0"])
    with tf.GradientTape() as tape:
        y_hat = layer(case["x"], initial_state=[h0])
        loss = 0.5 * tf.reduce_sum(tf.square(y_hat - case["y"]))
    tape_grads = tape.gradient(loss, [cell.w_xh, cell.w_hh, cell.w_hy, h0])
    assert grads["loss"] == pytest.approx(float(loss), rel=1e-10)
    for name, expected in zip(("W_xh", "W_hh", "W_hy", "h0"), tape_grads):
        np.testing.assert_allclose(grads[name], expected.numpy(), rtol=1e-8, atol=1e-10, err_msg=name)


def test_bptt_rejects_mismatched_targets():
    case = _bptt_case(4)
    case["y"] = case["y"][:, :-1]
    with pytest.raises(ValueError, match="y must have shape"):
        bptt_gradients(**case)


# --- vanishing gradients -------------------------------------------------------------------


def test_numpy_jacobian_norms_match_gradient_tape_on_simple_rnn_cell():
    w_xh, w_hh, _ = _rnn_weights(8, units=4, scale=0.6)
    x = _sequences(9, batch=3, steps=7)
    h0 = np.random.default_rng(10).normal(size=(3, 4)).astype("float32")
    cell = keras.layers.SimpleRNNCell(4, use_bias=False)
    cell.build((None, 3))
    cell.set_weights([w_xh, w_hh])
    np.testing.assert_allclose(rnn_state_jacobian_norms(x, h0, w_xh, w_hh),
                               state_jacobian_norms(cell, x, [h0]), rtol=1e-4, atol=1e-7)
    ours = VanillaRNNCell(4)
    ours.build((None, 3))
    ours.set_weights([w_xh, w_hh, np.zeros((4, 4), "float32")])
    np.testing.assert_allclose(state_jacobian_norms(ours, x, [h0]), state_jacobian_norms(cell, x, [h0]), rtol=1e-5)


def test_lstm_jacobian_norms_match_finite_differences():
    keras.utils.set_random_seed(11)
    cell = LSTMCell(3, dtype="float64")
    layer = keras.layers.RNN(cell, return_sequences=True, dtype="float64")
    x = _sequences(12, batch=1, steps=4, input_dim=2).astype("float64")
    h0, c0 = np.zeros((1, 3)), np.zeros((1, 3))
    norms = state_jacobian_norms(cell, x, [h0, c0])
    eps, rows = 1e-6, []
    for state in range(2):
        for j in range(3):
            plus, minus = [h0.copy(), c0.copy()], [h0.copy(), c0.copy()]
            plus[state][0, j] += eps
            minus[state][0, j] -= eps
            difference = _numpy(layer(x, initial_state=plus)) - _numpy(layer(x, initial_state=minus))
            rows.append(difference / (2 * eps))  # dh_t / ds_0[state, j], shape (1, T, units)
    numeric = np.sqrt(np.sum(np.stack(rows) ** 2, axis=(0, 3)))  # (1, T)
    np.testing.assert_allclose(norms, numeric, rtol=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_vanilla_rnn_gradient_vanishes_while_the_lstm_keeps_it(seed):
    """Property, over seeded random draws: with recurrent weights of spectral norm
    sigma < 1, ||dh_t/dh_0|| of the vanilla RNN is at most sqrt(units) sigma^t (|tanh'| <= 1),
    so it decays geometrically; an LSTM with forget bias 1 and equally small weights keeps
    orders of magnitude more of it after 20 steps."""
    rng = np.random.default_rng(seed)
    units, input_dim, steps = 6, 3, 20
    sigma = rng.uniform(0.3, 0.6)
    w_hh = rng.normal(size=(units, units))
    w_hh *= sigma / np.linalg.norm(w_hh, 2)
    w_xh = rng.normal(size=(input_dim, units)) * 0.3
    x = rng.normal(size=(2, steps, input_dim))
    h0 = rng.normal(size=(2, units)) * 0.1
    rnn = rnn_state_jacobian_norms(x, h0, w_xh, w_hh)
    bound = np.sqrt(units) * sigma ** np.arange(1, steps + 1)
    assert np.all(rnn <= bound * (1 + 1e-9))
    keras.utils.set_random_seed(seed)
    lstm = LSTMCell(units, kernel_initializer=keras.initializers.RandomNormal(stddev=0.1, seed=seed))
    lstm_norms = state_jacobian_norms(lstm, x.astype("float32"), [h0.astype("float32"), np.zeros((2, units), "float32")])
    assert lstm_norms.shape == rnn.shape
    assert np.all(lstm_norms[:, -1] > 1e3 * rnn[:, -1])
    # the LSTM decays, but at about the forget gate's rate sigmoid(1) = 0.73 per step
    rate = (lstm_norms[:, -1] / lstm_norms[:, 9]) ** (1 / 10)
    assert np.all((rate > 0.6) & (rate < 0.85))


@pytest.mark.parametrize("name", ["rnn", "bptt", "vanishing"])
def test_docstring_examples(name):
    module = importlib.import_module(f"dlcourse.sequence.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
