"""Tests of dlcourse.perceptron (chapter 1) against independent oracles.

Oracles: keras.activations and tf.GradientTape for the activations; keras.layers.Dense and a
keras.Sequential of Dense layers on shared weights for the layer and the network;
keras.losses.BinaryCrossentropy / MeanSquaredError for the losses; central finite differences
and tf.GradientTape (on Keras Dense layers) for the hand-written backpropagation; the XOR truth
table and a linearly separable toy set for the training loops.
"""

import doctest
import functools
import importlib

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse import perceptron as P
from dlcourse.perceptron import (
    BinaryCrossEntropyLoss,
    MeanSquaredErrorLoss,
    Perceptron,
    TwoLayerNetwork,
)

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=float)


def _random_params(seed, n_in, hidden, k):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(size=(n_in, hidden)),
        "b1": rng.normal(size=hidden),
        "W2": rng.normal(size=(hidden, k)),
        "b2": rng.normal(size=k),
    }


def _keras_twin(params, hidden_activation, output_activation, dtype="float64"):
    """keras.Sequential of two Dense layers carrying the same weights as `params`."""
    n_in, hidden = params["W1"].shape
    model = keras.Sequential([
        keras.Input((n_in,), dtype=dtype),
        keras.layers.Dense(hidden, activation=hidden_activation, dtype=dtype),
        keras.layers.Dense(params["W2"].shape[1], activation=output_activation, dtype=dtype),
    ])
    model.set_weights([params[name] for name in P.PARAMETER_NAMES])
    return model


# --------------------------------------------------------------------------- activations


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_match_keras_and_their_derivatives_match_autodiff(name):
    z = tf.constant(np.linspace(-6.0, 6.0, 49) + 0.01)  # keep off the ReLU kink
    g, g_prime = P.get_activation(name)
    oracle = keras.activations.get(name)
    np.testing.assert_allclose(np.asarray(g(z)), np.asarray(oracle(z)), rtol=1e-12, atol=1e-12)
    with tf.GradientTape() as tape:
        tape.watch(z)
        out = oracle(z)
    np.testing.assert_allclose(np.asarray(g_prime(z)), tape.gradient(out, z).numpy(), rtol=1e-10, atol=1e-12)


def test_sigmoid_does_not_overflow():
    values = np.asarray(P.sigmoid(np.array([-1000.0, 1000.0])))
    np.testing.assert_array_equal(values, [0.0, 1.0])


def test_unknown_activation_names_the_argument():
    with pytest.raises(ValueError, match="activation must be one of .* got 'softmax'"):
        P.get_activation("softmax")


# --------------------------------------------------------------------------- Perceptron


@pytest.mark.backend_neutral
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("units", [1, 3])
def test_perceptron_matches_keras_dense(activation, units):
    x = np.random.default_rng(0).normal(size=(5, 4)).astype("float32")
    dense = keras.layers.Dense(units, activation=activation)
    dense.build((None, 4))
    dense.set_weights([np.random.default_rng(1).normal(size=(4, units)).astype("float32"),
                       np.random.default_rng(2).normal(size=units).astype("float32")])
    layer = Perceptron(units, activation)
    layer.build((None, 4))
    layer.set_weights(dense.get_weights())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), keras.ops.convert_to_numpy(dense(x)), rtol=1e-6, atol=1e-6)


def test_perceptron_kernel_is_the_notes_w_transposed():
    # the notes: y_hat = g(b + X W^T) with W of shape (units, n_inputs), one row per output
    rng = np.random.default_rng(3)
    x, w_notes, b = rng.normal(size=(6, 4)), rng.normal(size=(3, 4)), rng.normal(size=3)
    layer = Perceptron(3, "sigmoid", dtype="float64")
    layer.build((None, 4))
    layer.set_weights([w_notes.T, b])  # our kernel is the notes' W^T
    np.testing.assert_allclose(np.asarray(layer(x)), 1 / (1 + np.exp(-(b + x @ w_notes.T))), rtol=1e-12)


def test_two_layer_network_is_the_notes_forward_propagation():
    # the notes: Z = b(1) + X W(1)^T, Y_hat = g(b(2) + g(Z) W(2)^T), W(l) one row per unit
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 3))
    w1, b1, w2, b2 = rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=(2, 4)), rng.normal(size=2)
    net = TwoLayerNetwork(4, 2, "sigmoid", "sigmoid", dtype="float64")
    net.build((None, 3))
    net.set_weights([w1.T, b1, w2.T, b2])
    g = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z = b1 + x @ w1.T
    np.testing.assert_allclose(np.asarray(net(x)), g(b2 + g(z) @ w2.T), rtol=1e-12)


@pytest.mark.backend_neutral
def test_perceptron_builds_kernel_and_bias():
    layer = Perceptron(3, "tanh")
    y = layer(np.ones((2, 5), dtype="float32"))
    assert tuple(y.shape) == (2, 3)
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(5, 3), (3,)]
    assert layer.count_params() == 5 * 3 + 3
    assert layer.compute_output_shape((None, 5)) == (None, 3)
    no_bias = Perceptron(2, use_bias=False)
    no_bias.build((None, 5))
    assert [tuple(w.shape) for w in no_bias.weights] == [(5, 2)]


@pytest.mark.backend_neutral
def test_perceptron_config_round_trip():
    layer = Perceptron(4, "relu", use_bias=False,
                       kernel_initializer=keras.initializers.RandomNormal(seed=3), name="p")
    clone = Perceptron.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    assert keras.saving.get_registered_name(Perceptron) == "dlcourse>Perceptron"


@pytest.mark.backend_neutral
def test_perceptron_save_and_load(tmp_path):
    inputs = keras.Input((3,))
    outputs = Perceptron(1, "sigmoid")(Perceptron(4, "tanh")(inputs))
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    model.save(tmp_path / "m.keras")
    restored = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(restored(x)), keras.ops.convert_to_numpy(model(x)), rtol=1e-7)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"units": 0}, "units must be a positive integer, got 0"),
        ({"units": 2.5}, "units must be a positive integer, got 2.5"),
        ({"units": 2, "activation": "softmax"}, "activation must be one of .* got 'softmax'"),
    ],
)
def test_perceptron_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Perceptron(**kwargs)


# --------------------------------------------------------------------------- TwoLayerNetwork


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "hidden_activation, output_activation, k",
    [("sigmoid", "sigmoid", 1), ("tanh", "sigmoid", 3), ("relu", "linear", 2)],
)
def test_two_layer_network_matches_keras_sequential(hidden_activation, output_activation, k):
    params = _random_params(0, 4, 5, k)
    oracle = _keras_twin(params, hidden_activation, output_activation, dtype="float32")
    net = TwoLayerNetwork(5, k, hidden_activation, output_activation)
    net.build((None, 4))
    net.set_weights(oracle.get_weights())
    x = np.random.default_rng(1).normal(size=(7, 4)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(net(x)), keras.ops.convert_to_numpy(oracle(x)), rtol=1e-5, atol=1e-6)


def test_two_layer_network_weights_shapes_and_count():
    net = TwoLayerNetwork(hidden_units=3, output_units=2)
    assert tuple(net(np.zeros((4, 5), dtype="float32")).shape) == (4, 2)
    assert [tuple(w.shape) for w in net.weights] == [(5, 3), (3,), (3, 2), (2,)]
    assert net.count_params() == 5 * 3 + 3 + 3 * 2 + 2


@pytest.mark.backend_neutral
def test_two_layer_network_trains_like_keras_sequential():
    """One SGD step on binary cross-entropy moves both models' weights identically."""
    params = _random_params(4, 3, 4, 1)
    x = np.random.default_rng(5).normal(size=(8, 3)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    oracle = _keras_twin(params, "sigmoid", "sigmoid", dtype="float32")
    oracle.compile(optimizer=keras.optimizers.SGD(0.5), loss=keras.losses.BinaryCrossentropy())
    net = TwoLayerNetwork(4, 1)
    net.build((None, 3))
    net.set_weights(oracle.get_weights())
    net.compile(optimizer=keras.optimizers.SGD(0.5), loss=BinaryCrossEntropyLoss())
    for _ in range(2):
        np.testing.assert_allclose(net.train_on_batch(x, y), oracle.train_on_batch(x, y), rtol=1e-5)
    for got, expected in zip(net.get_weights(), oracle.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.backend_neutral
def test_two_layer_network_config_and_save_round_trip(tmp_path):
    net = TwoLayerNetwork(6, 2, "tanh", "sigmoid", dtype="float64", name="net")
    x = np.random.default_rng(0).normal(size=(3, 4))
    y = net(x)
    clone = TwoLayerNetwork.from_config(net.get_config())
    assert clone.get_config() == net.get_config()
    net.compile(optimizer="sgd", loss=MeanSquaredErrorLoss())
    net.save(tmp_path / "net.keras")
    restored = keras.models.load_model(tmp_path / "net.keras")
    assert isinstance(restored, TwoLayerNetwork)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(restored(x)), keras.ops.convert_to_numpy(y), rtol=1e-12)
    assert isinstance(restored.loss, MeanSquaredErrorLoss)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"hidden_units": -3}, "hidden_units must be a positive integer, got -3"),
        ({"hidden_units": 2, "output_units": 0}, "output_units must be a positive integer, got 0"),
        ({"hidden_units": 2, "hidden_activation": "gelu"}, "hidden_activation must be one of"),
        ({"hidden_units": 2, "output_activation": "softmax"}, "output_activation must be one of"),
    ],
)
def test_two_layer_network_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TwoLayerNetwork(**kwargs)


# --------------------------------------------------------------------------- losses


def test_numpy_losses_match_keras():
    rng = np.random.default_rng(0)
    y = (rng.random((6, 3)) < 0.5).astype(float)
    p = rng.uniform(0.01, 0.99, size=(6, 3))
    p[0, 0], p[1, 1] = 0.0, 1.0  # saturated: clipping must agree with Keras'
    assert P.binary_cross_entropy(y, p) == pytest.approx(
        float(keras.losses.BinaryCrossentropy(dtype="float64")(y, p)), rel=1e-9)
    targets, predictions = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    assert P.mean_squared_error(targets, predictions) == pytest.approx(
        float(keras.losses.MeanSquaredError(dtype="float64")(targets, predictions)), rel=1e-9)


@pytest.mark.backend_neutral
def test_numpy_bce_from_logits_is_stable_and_matches_keras():
    y = np.array([[1.0, 0.0, 1.0, 0.0, 1.0]])
    z = np.array([[1000.0, -1000.0, -800.0, 3.0, -0.5]])
    expected = float(keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64")(y, z))
    got = P.binary_cross_entropy(y, z, from_logits=True)
    assert np.isfinite(got) and got == pytest.approx(expected, rel=1e-6)


def test_numpy_losses_reject_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        P.mean_squared_error(np.zeros(3), np.zeros((3, 1)))


@pytest.mark.backend_neutral
@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", None])
def test_binary_cross_entropy_loss_matches_keras(from_logits, reduction):
    rng = np.random.default_rng(1)
    y = (rng.random((5, 2)) < 0.5).astype("float32")
    pred = rng.normal(scale=4.0, size=(5, 2)) if from_logits else rng.uniform(size=(5, 2))
    pred = pred.astype("float32")
    weights = rng.uniform(size=5).astype("float32")
    ours = BinaryCrossEntropyLoss(from_logits=from_logits, reduction=reduction)
    oracle = keras.losses.BinaryCrossentropy(from_logits=from_logits, reduction=reduction)
    np.testing.assert_allclose(np.asarray(ours(y, pred, sample_weight=weights)),
                               np.asarray(oracle(y, pred, sample_weight=weights)), rtol=1e-5)


@pytest.mark.backend_neutral
def test_mean_squared_error_loss_matches_keras():
    rng = np.random.default_rng(2)
    y, pred = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    for reduction in ("sum_over_batch_size", None):
        np.testing.assert_allclose(
            np.asarray(MeanSquaredErrorLoss(reduction=reduction)(y, pred)),
            np.asarray(keras.losses.MeanSquaredError(reduction=reduction)(y, pred)), rtol=1e-6)


@pytest.mark.backend_neutral
def test_losses_serialize_round_trip():
    for loss in (BinaryCrossEntropyLoss(from_logits=True, epsilon=1e-5), MeanSquaredErrorLoss()):
        restored = keras.losses.deserialize(keras.losses.serialize(loss))
        assert type(restored) is type(loss)
        assert restored.get_config() == loss.get_config()


def test_binary_cross_entropy_loss_rejects_bad_epsilon():
    with pytest.raises(ValueError, match=r"epsilon must be a float in \(0, 0.5\), got 0.7"):
        BinaryCrossEntropyLoss(epsilon=0.7)


# --------------------------------------------------------------------------- backpropagation


def _numeric_gradients(params, x, y, loss, hidden_activation, output_activation, h=1e-6):
    numeric = {}
    for name in P.PARAMETER_NAMES:
        grad = np.zeros_like(params[name])
        for index in np.ndindex(grad.shape):
            shifted = {k: v.copy() for k, v in params.items()}
            shifted[name][index] += h
            up = P.two_layer_loss(shifted, x, y, loss, hidden_activation, output_activation)
            shifted[name][index] -= 2 * h
            down = P.two_layer_loss(shifted, x, y, loss, hidden_activation, output_activation)
            grad[index] = (up - down) / (2 * h)
        numeric[name] = grad
    return numeric


@pytest.mark.parametrize(
    "loss, hidden_activation, output_activation",
    [
        ("binary_cross_entropy", "sigmoid", "sigmoid"),
        ("binary_cross_entropy", "tanh", "sigmoid"),
        ("mean_squared_error", "sigmoid", "sigmoid"),
        ("mean_squared_error", "tanh", "linear"),
        ("mean_squared_error", "sigmoid", "tanh"),
    ],
)
def test_backpropagation_matches_finite_differences(loss, hidden_activation, output_activation):
    params = _random_params(3, 3, 4, 2)
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(6, 3)), (rng.random((6, 2)) < 0.5).astype(float)
    _, grads = P.two_layer_loss_and_gradients(params, x, y, loss, hidden_activation, output_activation)
    numeric = _numeric_gradients(params, x, y, loss, hidden_activation, output_activation)
    for name in P.PARAMETER_NAMES:
        np.testing.assert_allclose(grads[name], numeric[name], rtol=1e-5, atol=1e-8, err_msg=name)


@pytest.mark.parametrize(
    "loss, oracle_loss",
    [
        ("binary_cross_entropy", keras.losses.BinaryCrossentropy(dtype="float64")),
        ("mean_squared_error", keras.losses.MeanSquaredError(dtype="float64")),
    ],
)
def test_backpropagation_matches_gradient_tape(loss, oracle_loss):
    params = _random_params(5, 4, 3, 2)
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(7, 4)), (rng.random((7, 2)) < 0.5).astype(float)
    model = _keras_twin(params, "sigmoid", "sigmoid")
    with tf.GradientTape() as tape:
        value = oracle_loss(y, model(x))
    tape_grads = tape.gradient(value, model.trainable_weights)
    ours_value, grads = P.two_layer_loss_and_gradients(params, x, y, loss)
    assert ours_value == pytest.approx(float(value), rel=1e-10)
    for name, expected in zip(P.PARAMETER_NAMES, tape_grads):
        np.testing.assert_allclose(grads[name], expected.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


def test_numpy_forward_propagation_matches_keras():
    params = _random_params(7, 3, 5, 2)
    x = np.random.default_rng(8).normal(size=(4, 3))
    y_hat, cache = P.forward_propagation(params, x, "relu", "sigmoid")
    np.testing.assert_allclose(y_hat, np.asarray(_keras_twin(params, "relu", "sigmoid")(x)), rtol=1e-12)
    assert cache["a1"].shape == (4, 5)


def test_numpy_sigmoid_is_stable_for_large_inputs():
    params = {"W1": np.array([[1000.0, -1000.0]]), "b1": np.zeros(2),
              "W2": np.array([[1.0], [1.0]]), "b2": np.zeros(1)}
    with np.errstate(over="raise"):
        y_hat, _ = P.forward_propagation(params, np.array([[1.0], [-1.0]]))
    assert np.all(np.isfinite(y_hat))


def test_backpropagation_rejects_bad_combinations():
    params = _random_params(0, 2, 2, 1)
    _, cache = P.forward_propagation(params, XOR_X, "sigmoid", "linear")
    with pytest.raises(ValueError, match="needs output_activation='sigmoid'"):
        P.backward_propagation(params, cache, XOR_Y, "binary_cross_entropy")
    with pytest.raises(ValueError, match="loss must be one of .* got 'hinge'"):
        P.backward_propagation(params, cache, XOR_Y, "hinge")


# --------------------------------------------------------------------------- training loops


def test_gradient_descent_learns_xor():
    params = P.init_two_layer_params(2, 4, 1, seed=0)
    trained, losses = P.gradient_descent(
        P.two_layer_loss_and_gradients, params, XOR_X, XOR_Y, learning_rate=2.0, epochs=3000)
    assert losses.shape == (3000,)
    assert losses[-1] < 0.1 * losses[0]
    assert np.all(np.diff(losses[::100]) < 0)  # decreasing, checked every 100 epochs
    y_hat, _ = P.forward_propagation(trained, XOR_X)
    np.testing.assert_array_equal(np.round(y_hat), XOR_Y)
    assert params["W1"] is not trained["W1"]


def _separable_blobs(seed=0, n=40):
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(float)[:, None]
    x = rng.normal(scale=0.5, size=(n, 2)) + np.where(y == 1, 1.5, -1.5)
    return x, y


def test_minibatch_sgd_learns_a_linearly_separable_set():
    x, y = _separable_blobs()
    params = P.init_two_layer_params(2, 3, 1, seed=1)
    trained, losses = P.minibatch_sgd(
        P.two_layer_loss_and_gradients, params, x, y, learning_rate=0.5, epochs=30,
        batch_size=8, seed=0)
    assert losses.shape == (30 * 5,)
    per_epoch = losses.reshape(30, 5).mean(axis=1)
    assert per_epoch[-1] < 0.2 * per_epoch[0]
    y_hat, _ = P.forward_propagation(trained, x)
    assert np.mean(np.round(y_hat) == y) == 1.0


def test_minibatch_sgd_is_reproducible_and_seeded():
    x, y = _separable_blobs(1, n=12)
    params = P.init_two_layer_params(2, 3, 1, seed=2)
    run = functools.partial(P.minibatch_sgd, P.two_layer_loss_and_gradients, params, x, y,
                            learning_rate=0.3, epochs=3, batch_size=5)
    first, second, other = run(seed=4), run(seed=4), run(seed=5)
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.allclose(first[1], other[1])


def test_minibatch_sgd_follows_the_shuffling_rule():
    n, batch_size, epochs, seed = 11, 3, 3, 42
    x = np.arange(n, dtype=float)[:, None]
    seen = []

    def recording(params, xb, yb):
        seen.append(xb[:, 0].astype(int))
        return 0.0, {"w": np.zeros(1)}

    P.minibatch_sgd(recording, {"w": np.zeros(1)}, x, x, epochs=epochs, batch_size=batch_size, seed=seed)
    rng = np.random.default_rng(seed)
    expected = [order[i:i + batch_size] for order in (rng.permutation(n) for _ in range(epochs))
                for i in range(0, n, batch_size)]
    assert len(seen) == len(expected) == epochs * 4
    for got, want in zip(seen, expected):
        np.testing.assert_array_equal(got, want)


def test_full_batch_minibatch_sgd_equals_gradient_descent():
    x, y = _separable_blobs(2, n=10)
    params = P.init_two_layer_params(2, 3, 1, seed=3)
    gd_params, gd_losses = P.gradient_descent(
        P.two_layer_loss_and_gradients, params, x, y, learning_rate=0.5, epochs=5)
    sgd_params, sgd_losses = P.minibatch_sgd(
        P.two_layer_loss_and_gradients, params, x, y, learning_rate=0.5, epochs=5, batch_size=64)
    np.testing.assert_allclose(sgd_losses, gd_losses, rtol=1e-12)
    for name in P.PARAMETER_NAMES:
        np.testing.assert_allclose(sgd_params[name], gd_params[name], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"batch_size": 0}, "batch_size must be a positive integer, got 0"),
        ({"learning_rate": -0.1}, "learning_rate must be a positive number, got -0.1"),
        ({"epochs": 1.5}, "epochs must be a non-negative integer, got 1.5"),
    ],
)
def test_minibatch_sgd_rejects_bad_arguments(kwargs, message):
    params = P.init_two_layer_params(2, 2, 1)
    with pytest.raises(ValueError, match=message):
        P.minibatch_sgd(P.two_layer_loss_and_gradients, params, XOR_X, XOR_Y, **kwargs)


def test_training_loop_names_a_missing_gradient():
    with pytest.raises(ValueError, match="no gradient for b"):
        P.gradient_descent(lambda p, x, y: (0.0, {"w": 0.0}), {"w": 1.0, "b": 0.0}, None, None,
                           learning_rate=0.1, epochs=1)


# --------------------------------------------------------------------------- docstrings


@pytest.mark.parametrize(
    "module",
    ["activations", "perceptron", "two_layer_network", "losses", "backpropagation",
     "gradient_descent"],
)
def test_docstring_examples_run(module):
    mod = importlib.import_module(f"dlcourse.perceptron.{module}")
    result = doctest.testmod(mod, extraglobs={"np": np}, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
