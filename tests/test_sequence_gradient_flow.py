"""dlcourse.sequence.gradient_flow against automatic differentiation, and the three gradient-flow
exercises of chapter 3 against it.

Oracles: `tf.GradientTape` on an RNN unrolled with one copy of each weight per step (the gradient
with respect to copy k is exactly the term of step k), Keras' own `SimpleRNNCell` and `LSTMCell`
on shared weights, and TensorFlow's gradients of `tanh` and `relu`.
"""

import doctest
import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse.grading.probe import load_module
from dlcourse.sequence import (
    activation_derivative,
    cell_path_gradients,
    keras_lstm_from_gates,
    lstm_forget_gates,
    recurrent_jacobian_norms,
    rnn_state_jacobian_norms,
    weight_gradient_terms,
)
from dlcourse.sequence import gradient_flow
from dlcourse.sequence.lstm import GATES

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch03_sequence" / f"{name}.py"), f"ch03_{name}_gradient_flow")


def _rnn_case(seed, batch=3, steps=6, input_dim=2, units=4, output_units=2, spectral_norm=None):
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


def _lstm_weights(seed, input_dim, units, scale=0.5, forget_bias=0.0):
    rng = np.random.default_rng(seed)
    weights = {}
    for gate in GATES:
        weights[f"W_{gate}"] = rng.normal(size=(units + input_dim, units)) * scale
        weights[f"b_{gate}"] = rng.normal(size=units) * scale + (forget_bias if gate == "f" else 0.0)
    return weights


def _as_list(weights):
    return [weights[f"{kind}_{gate}"] for gate in GATES for kind in "Wb"]


# --- weight_gradient_terms -----------------------------------------------------------------


def _tape_terms(c):
    """L_T and its gradients by GradientTape, with a separate copy of W_xh and W_hh at each step."""
    steps = c["x"].shape[1]
    x = tf.constant(c["x"])
    w_xh = [tf.Variable(c["W_xh"]) for _ in range(steps)]
    w_hh = [tf.Variable(c["W_hh"]) for _ in range(steps)]
    w_hy = tf.Variable(c["W_hy"])
    with tf.GradientTape() as tape:
        h = tf.constant(c["h0"])
        for t in range(steps):  # the notes' h_t = tanh(W_hh^T h_{t-1} + W_xh^T x_t), on rows
            h = tf.tanh(h @ w_hh[t] + x[:, t] @ w_xh[t])
        loss = 0.5 * tf.reduce_sum((h @ w_hy - c["y"]) ** 2)
    g_xh, g_hh, g_hy = tape.gradient(loss, [w_xh, w_hh, w_hy])
    return float(loss), np.stack(g_xh), np.stack(g_hh), g_hy.numpy()


@pytest.mark.parametrize("seed, steps", [(0, 1), (1, 7)])
def test_weight_gradient_terms_match_gradient_tape_per_step(seed, steps):
    c = _rnn_case(seed, steps=steps)
    loss, xh_terms, hh_terms, w_hy = _tape_terms(c)
    ours = weight_gradient_terms(**c)
    assert ours["loss"] == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(ours["W_hy"], w_hy, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours["W_xh_terms"], xh_terms, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours["W_hh_terms"], hh_terms, rtol=1e-10, atol=1e-12)


def test_output_weight_gradient_is_a_finite_difference_of_the_last_loss():
    c = _rnn_case(2, batch=2, steps=5)
    ours = weight_gradient_terms(**c)["W_hy"]
    numeric, eps = np.zeros_like(c["W_hy"]), 1e-6
    for index in np.ndindex(c["W_hy"].shape):
        losses = []
        for sign in (1, -1):
            w = c["W_hy"].copy()
            w[index] += sign * eps
            losses.append(weight_gradient_terms(**{**c, "W_hy": w})["loss"])
        numeric[index] = (losses[0] - losses[1]) / (2 * eps)
    np.testing.assert_allclose(ours, numeric, rtol=1e-6, atol=1e-8)


def test_terms_decay_geometrically_with_distance_for_small_recurrent_weights():
    # batch 1: the term of step k is x_k^T delta_k, and each step back multiplies delta by
    # W_hh^T diag(1 - h^2), whose norm is at most sigma = ||W_hh||_2.
    sigma, steps = 0.5, 15
    c = _rnn_case(3, batch=1, steps=steps, spectral_norm=sigma)
    terms = weight_gradient_terms(**c)["W_xh_terms"]
    delta = np.linalg.norm(terms, axis=(1, 2)) / np.linalg.norm(c["x"][0], axis=1)
    distance = steps - 1 - np.arange(steps)
    assert np.all(delta <= delta[-1] * sigma**distance * (1 + 1e-9))
    assert delta[0] < 1e-4 * delta[-1]


def test_weight_gradient_terms_agree_with_the_solution():
    sol = _solution("weight_gradients_in_time")
    for seed, steps in ((4, 1), (5, 9)):
        c = _rnn_case(seed, steps=steps, units=3, output_units=3)
        ours, library = sol.weight_gradient_terms(**c), weight_gradient_terms(**c)
        for name in ("loss", "W_hy", "W_xh_terms", "W_hh_terms"):
            np.testing.assert_allclose(ours[name], library[name], rtol=1e-12, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("change, words", [
    ({"x": np.zeros((2, 0, 2))}, "at least one time step"),
    ({"y": np.zeros((2, 6, 2))}, "target of the last step"),
])
def test_weight_gradient_terms_errors_are_one_clear_sentence(change, words):
    c = {**_rnn_case(6, batch=2), **change}
    with pytest.raises(ValueError, match=words):
        weight_gradient_terms(**c)


# --- activation_derivative and recurrent_jacobian_norms ------------------------------------


@pytest.mark.parametrize("activation, fn", [("tanh", tf.tanh), ("relu", tf.nn.relu)])
def test_activation_derivative_matches_tensorflow(activation, fn):
    a = tf.constant([-2.0, -1e-3, 0.0, 1e-3, 0.7, 3.0], dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = fn(a)
    np.testing.assert_allclose(activation_derivative(a.numpy(), activation), tape.gradient(y, a).numpy(),
                               rtol=1e-12, atol=1e-15)


def _keras_jacobian_norms(x, h0, w_xh, w_hh, activation):
    cell = keras.layers.SimpleRNNCell(w_hh.shape[0], activation=activation, use_bias=False, dtype="float64")
    cell.build((None, x.shape[-1]))
    cell.set_weights([w_xh, w_hh])
    h0 = tf.constant(h0)
    with tf.GradientTape() as tape:
        tape.watch(h0)
        states, hs = [h0], []
        for t in range(x.shape[1]):
            h, states = cell(tf.constant(x[:, t]), states)
            hs.append(h)
        hs = tf.concat(hs, axis=1)  # (batch, T units): every step's Jacobian in one call
    jacobian = tape.batch_jacobian(hs, h0).numpy().reshape(x.shape[0], x.shape[1], -1)
    return np.sqrt(np.sum(jacobian**2, axis=2))


@pytest.mark.parametrize("activation, identity", [("tanh", False), ("tanh", True), ("relu", False), ("relu", True)])
def test_recurrent_jacobian_norms_match_keras_simple_rnn(activation, identity):
    rng = np.random.default_rng(7)
    x, h0 = rng.uniform(-0.5, 1.0, size=(2, 8, 3)), rng.normal(size=(2, 4))
    w_xh = rng.normal(size=(3, 4)) * 0.5
    w_hh = np.eye(4) if identity else rng.normal(size=(4, 4)) * 0.4
    np.testing.assert_allclose(recurrent_jacobian_norms(x, h0, w_xh, w_hh, activation),
                               _keras_jacobian_norms(x, h0, w_xh, w_hh, activation), rtol=1e-9, atol=1e-14)


def test_recurrent_jacobian_norms_with_tanh_is_rnn_state_jacobian_norms():
    c = _rnn_case(8, steps=10)
    np.testing.assert_allclose(recurrent_jacobian_norms(c["x"], c["h0"], c["W_xh"], c["W_hh"], "tanh"),
                               rnn_state_jacobian_norms(c["x"], c["h0"], c["W_xh"], c["W_hh"]), rtol=1e-12)


def test_relu_with_identity_init_keeps_the_gradient_that_tanh_loses():
    rng = np.random.default_rng(9)
    x, h0 = rng.uniform(0.0, 1.0, size=(2, 40, 3)), rng.uniform(0.5, 1.5, size=(2, 5))
    w_xh = rng.uniform(0.0, 0.1, size=(3, 5))
    relu = recurrent_jacobian_norms(x, h0, w_xh, np.eye(5), "relu")
    np.testing.assert_allclose(relu, np.sqrt(5.0), rtol=1e-12)  # every unit active: the factor is I
    assert recurrent_jacobian_norms(x, h0, w_xh, np.eye(5), "tanh")[:, -1].max() < 1e-3
    small = rng.normal(size=(5, 5))
    small *= 0.5 / np.linalg.norm(small, 2)
    assert recurrent_jacobian_norms(x, h0, w_xh, small, "relu")[:, -1].max() < 1e-9


def test_vanishing_remedies_agree_with_the_solution():
    sol = _solution("vanishing_remedies")
    a = np.linspace(-2, 2, 9)
    rng = np.random.default_rng(10)
    x, h0 = rng.normal(size=(3, 7, 2)), rng.normal(size=(3, 4))
    w_xh, w_hh = rng.normal(size=(2, 4)), rng.normal(size=(4, 4)) * 0.5
    for activation in ("tanh", "relu"):
        np.testing.assert_allclose(sol.activation_derivative(a, activation), activation_derivative(a, activation))
        for w in (w_hh, np.eye(4)):
            np.testing.assert_allclose(sol.state_gradient_norms(x, h0, w_xh, w, activation),
                                       recurrent_jacobian_norms(x, h0, w_xh, w, activation), rtol=1e-12, atol=1e-15)


def test_unknown_activation_is_one_clear_sentence():
    with pytest.raises(ValueError, match="activation must be one of .* got 'sigmoid'"):
        recurrent_jacobian_norms(np.zeros((1, 2, 1)), np.zeros((1, 2)), np.zeros((1, 2)), np.eye(2), "sigmoid")
    with pytest.raises(ValueError, match="got 'sigmoid'"):
        activation_derivative(np.zeros(2), "sigmoid")


# --- lstm_forget_gates and cell_path_gradients ---------------------------------------------


def _keras_lstm_cell(weights, input_dim):
    units = weights["b_f"].shape[0]
    cell = keras.layers.LSTMCell(units, dtype="float64")
    cell.build((None, input_dim))
    cell.set_weights(keras_lstm_from_gates(_as_list(weights)))
    return cell


def test_forget_gates_are_keras_lstm_cells_direct_cell_jacobians():
    # With h_{t-1} held fixed, dc_t/dc_{t-1} = diag(f_t) for Keras' own LSTMCell on the same weights.
    weights = _lstm_weights(11, input_dim=3, units=4, forget_bias=1.0)
    rng = np.random.default_rng(12)
    x, h0, c0 = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    forget = lstm_forget_gates(x, h0, c0, weights)
    cell = _keras_lstm_cell(weights, 3)
    h, c = tf.constant(h0), tf.constant(c0)
    for t in range(5):
        with tf.GradientTape() as tape:
            tape.watch(c)
            _, (h_next, c_next) = cell(tf.constant(x[:, t]), [h, c])
        jacobian = tape.batch_jacobian(c_next, c).numpy()  # [b, j, i] = d c_t[j] / d c_{t-1}[i]
        np.testing.assert_allclose(jacobian, np.stack([np.diag(f) for f in forget[:, t]]), rtol=1e-10, atol=1e-14)
        h, c = h_next, c_next


@pytest.mark.parametrize("k", [0, 3, 6])
def test_cell_path_gradients_are_the_jacobian_with_h_held_fixed(k):
    weights = _lstm_weights(13, input_dim=2, units=3, forget_bias=1.0)
    rng = np.random.default_rng(14)
    x, h0, c0 = rng.normal(size=(2, 6, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    path = cell_path_gradients(lstm_forget_gates(x, h0, c0, weights))
    cell = _keras_lstm_cell(weights, 2)
    h, c = tf.constant(h0), tf.constant(c0)
    with tf.GradientTape() as tape:
        for t in range(6):
            if t == k:
                tape.watch(c)
                c_k = c
            _, (h, c) = cell(tf.constant(x[:, t]), [tf.stop_gradient(h), c])
        if k == 6:
            tape.watch(c)
            c_k = c
        c_T = tf.identity(c)
    jacobian = tape.batch_jacobian(c_T, c_k).numpy()
    np.testing.assert_allclose(jacobian, np.stack([np.diag(p) for p in path[:, k]]), rtol=1e-10, atol=1e-14)


def test_direct_path_carries_the_full_jacobian_when_the_h_path_is_weak():
    # Small gate weights and a forget bias of 3: the paths through h_{t-1} into the gates are
    # weak (each passes through a gate's weights), so the full Jacobian dc_T/dc_0 is close to
    # the product of the forget gates. (Their share grows with the weights: about 40% of the
    # norm at scale 0.05 over these 20 steps.)
    weights = _lstm_weights(15, input_dim=2, units=3, scale=0.01, forget_bias=3.0)
    rng = np.random.default_rng(16)
    x, h0, c0 = rng.normal(size=(2, 20, 2)), np.zeros((2, 3)), rng.normal(size=(2, 3))
    path = cell_path_gradients(lstm_forget_gates(x, h0, c0, weights))[:, 0]
    cell = _keras_lstm_cell(weights, 2)
    c0 = tf.constant(c0)
    with tf.GradientTape() as tape:
        tape.watch(c0)
        states = [tf.constant(h0), c0]
        for t in range(20):
            _, states = cell(tf.constant(x[:, t]), states)
    full = tape.batch_jacobian(states[1], c0).numpy()
    direct = np.stack([np.diag(p) for p in path])
    assert np.all(np.linalg.norm(full - direct, axis=(1, 2)) < 0.1 * np.linalg.norm(direct, axis=(1, 2)))
    assert path.min() > 0.3  # the cell path keeps the gradient over 20 steps...
    # ...where a tanh RNN with recurrent weights of spectral norm 0.9 has lost it
    w_hh = rng.normal(size=(3, 3))
    w_hh *= 0.9 / np.linalg.norm(w_hh, 2)
    rnn = rnn_state_jacobian_norms(x, rng.normal(size=(2, 3)), rng.normal(size=(2, 3)), w_hh)
    assert rnn[:, -1].max() < 0.1 * np.linalg.norm(direct, axis=(1, 2)).min()


def test_cell_path_gradients_boundaries():
    np.testing.assert_array_equal(cell_path_gradients(np.zeros((2, 0, 3))), np.ones((2, 1, 3)))
    f = np.random.default_rng(17).uniform(0.1, 1.0, size=(2, 4, 3))
    path = cell_path_gradients(f)
    np.testing.assert_array_equal(path[:, -1], 1.0)
    np.testing.assert_allclose(path[:, 0], np.prod(f, axis=1), rtol=1e-12)
    with pytest.raises(ValueError, match=r"shape \(batch, T, units\)"):
        cell_path_gradients(f[0])


def test_lstm_forget_gates_take_a_dict_or_the_cells_weight_list():
    weights = _lstm_weights(18, input_dim=2, units=3)
    rng = np.random.default_rng(19)
    x, h0, c0 = rng.normal(size=(2, 4, 2)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    np.testing.assert_array_equal(lstm_forget_gates(x, h0, c0, weights), lstm_forget_gates(x, h0, c0, _as_list(weights)))
    # and the packed [kernel, recurrent_kernel, bias] that LSTMCell.get_weights() and keras.layers.LSTM hold
    np.testing.assert_allclose(lstm_forget_gates(x, h0, c0, keras_lstm_from_gates(_as_list(weights))),
                               lstm_forget_gates(x, h0, c0, weights), rtol=1e-12)
    with pytest.raises(ValueError, match="lack W_o"):
        lstm_forget_gates(x, h0, c0, {k: v for k, v in weights.items() if k != "W_o"})
    with pytest.raises(ValueError, match="c0 must have the shape of h0"):
        lstm_forget_gates(x, h0, c0[:1], weights)


def test_lstm_cell_state_gradient_agrees_with_the_solution():
    sol = _solution("lstm_cell_state_gradient")
    for seed, steps, bias in ((20, 1, 0.0), (21, 12, 2.0)):
        weights = _lstm_weights(seed, input_dim=3, units=2, forget_bias=bias)
        rng = np.random.default_rng(seed)
        x, h0, c0 = rng.normal(size=(3, steps, 3)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
        ours, library = sol.forget_gates(x, h0, c0, weights), lstm_forget_gates(x, h0, c0, weights)
        np.testing.assert_allclose(ours, library, rtol=1e-12)
        np.testing.assert_allclose(sol.cell_path_gradients(ours), cell_path_gradients(library), rtol=1e-12)


def test_docstring_examples():
    result = doctest.testmod(gradient_flow, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
