"""Chapter 2 exercises: each solution agrees with its library twin (and through it with the
Keras oracle of the library's tests). Full marks for the solutions and none for the stubs are
checked course-wide in test_grade_cli, stated points and FORBIDDEN in test_release."""

import pathlib

import keras
import numpy as np
import pytest

from dlcourse.grading.probe import load_module
from dlcourse.training import (
    L1,
    L2,
    Adam,
    BatchNormalization,
    Dropout,
    EarlyStopping,
    InvertedDropout,
    SGDMomentum,
    compute_fans,
    identical_units,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch02_training" / f"{name}.py"), f"ch02_{name}_solution")


# --- each solution against its library twin -------------------------------------------------


def test_xavier_he_init_agrees_with_library_initializers():
    sol = _solution("xavier_he_init")
    for shape in [(9,), (30, 20), (3, 3, 8, 16), (2, 2, 2, 4, 5)]:
        assert tuple(sol.fans(shape)) == compute_fans(shape)
    from dlcourse.training import HeNormal, XavierUniform

    rng = np.random.default_rng(0)
    for shape in [(300, 200), (3, 3, 32, 64)]:
        ours = sol.xavier_uniform(shape, rng).ravel()
        library = keras.ops.convert_to_numpy(XavierUniform(seed=1)(shape)).ravel()
        limit = np.sqrt(6 / sum(compute_fans(shape)))
        assert np.abs(ours).max() <= limit and np.abs(library).max() <= limit
        assert ours.var() == pytest.approx(library.var(), rel=0.03)
        ours = sol.he_normal(shape, rng).ravel()
        library = keras.ops.convert_to_numpy(HeNormal(seed=2)(shape)).ravel()
        assert ours.var() == pytest.approx(library.var(), rel=0.03)


def _optimizer_trajectory(optimizer, w0, gradients):
    variable = keras.Variable(w0.astype("float32"))
    out = []
    for g in gradients:
        optimizer.apply([keras.ops.convert_to_tensor(g.astype("float32"))], [variable])
        out.append(keras.ops.convert_to_numpy(variable))
    return np.stack(out)


@pytest.mark.parametrize("optimizer", ["library", "keras"])
def test_momentum_update_agrees_with_sgd_momentum(optimizer):
    # the notes' v <- mu v - eta grad, theta <- theta + v: SGDMomentum and keras.optimizers.SGD(momentum=mu)
    sol = _solution("momentum_update")
    rng = np.random.default_rng(1)
    theta0, gradients = rng.normal(size=(3, 2)), rng.normal(size=(6, 3, 2))
    theta, v, steps = theta0, np.zeros_like(theta0), []
    for g in gradients:
        theta, v = sol.momentum_step(theta, v, g, 0.1, 0.8)
        steps.append(theta)
    twin = SGDMomentum(0.1, momentum=0.8) if optimizer == "library" else keras.optimizers.SGD(0.1, momentum=0.8)
    np.testing.assert_allclose(np.stack(steps), _optimizer_trajectory(twin, theta0, gradients), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("bias_correction", [False, True])
def test_adam_update_agrees_with_library_adam(bias_correction):
    sol = _solution("adam_update")
    rng = np.random.default_rng(2)
    w0, gradients = rng.normal(size=(4,)), rng.normal(size=(7, 4))
    w, m, v, steps = w0, np.zeros(4), np.zeros(4), []
    for t, g in enumerate(gradients, 1):
        w, m, v = sol.adam_step(w, m, v, g, t, 0.01, 0.9, 0.999, 1e-7, bias_correction)
        steps.append(w)
    library = _optimizer_trajectory(Adam(0.01, bias_correction=bias_correction), w0, gradients)
    np.testing.assert_allclose(np.stack(steps), library, rtol=1e-5, atol=1e-6)


def test_l1_l2_penalty_agrees_with_library_regularizers():
    sol = _solution("l1_l2_penalty")
    rng = np.random.default_rng(3)
    weights = [rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(3,)).astype("float32")]
    weights[0][0, 0] = 0.0
    assert sol.l1_penalty(weights, 0.1) == pytest.approx(sum(float(L1(0.1)(w)) for w in weights), rel=1e-5)
    assert sol.l2_penalty(weights, 0.1) == pytest.approx(sum(float(L2(0.1)(w)) for w in weights), rel=1e-5)
    import tensorflow as tf

    for regularizer, gradient in ((L1(0.1), sol.l1_gradient), (L2(0.1), sol.l2_gradient)):
        for w, g in zip(weights, gradient(weights, 0.1)):
            variable = tf.Variable(w)
            with tf.GradientTape() as tape:
                penalty = regularizer(variable)
            np.testing.assert_allclose(g, tape.gradient(penalty, variable).numpy(), rtol=1e-5)


def test_batch_norm_agrees_with_library_layer():
    sol = _solution("batch_norm")
    rng = np.random.default_rng(4)
    gamma, beta = rng.uniform(0.5, 2, 3), rng.normal(size=3)
    layer = BatchNormalization(momentum=0.8)
    layer.build((None, 3))
    layer.set_weights([gamma.astype("float32"), beta.astype("float32"), np.zeros(3, "float32"), np.ones(3, "float32")])
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(3):
        x = rng.normal(size=(10, 3)) * 2 + 1
        y, mean, var = sol.batch_norm_forward(x, gamma, beta, mean, var, True, 0.8, 1e-3)
        np.testing.assert_allclose(y, keras.ops.convert_to_numpy(layer(x.astype("float32"), training=True)), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(np.concatenate([mean, var]), np.concatenate(layer.get_weights()[2:]), rtol=1e-5)
    x = rng.normal(size=(5, 3))
    y, _, _ = sol.batch_norm_forward(x, gamma, beta, mean, var, False, 0.8, 1e-3)
    np.testing.assert_allclose(y, keras.ops.convert_to_numpy(layer(x.astype("float32"))), rtol=1e-4, atol=1e-5)


def test_dropout_agrees_with_library_layers():
    sol = _solution("dropout")
    p = 0.4
    h = np.random.default_rng(5).normal(size=(200, 100)) + 3.0
    forms = ((sol.dropout_forward, Dropout, 1.0), (sol.inverted_dropout_forward, InvertedDropout, 1 / (1 - p)))
    for function, layer_class, scale in forms:
        h_tilde, r = function(h, p, np.random.default_rng(6), True)
        library = keras.ops.convert_to_numpy(layer_class(p, seed=7)(h.astype("float32"), training=True))
        assert abs(r.mean() - np.mean(library != 0)) < 0.02
        np.testing.assert_allclose(h_tilde[r == 1] / h[r == 1], scale, rtol=1e-12)
        np.testing.assert_allclose(library[library != 0] / h[library != 0].astype("float32"), scale, rtol=1e-5)
        test_time = function(h, p, np.random.default_rng(6), False)[0]
        library = keras.ops.convert_to_numpy(layer_class(p)(h.astype("float32"), training=False))
        np.testing.assert_allclose(test_time, library, rtol=1e-6)
    # the two forms agree in expectation: both training means match their test-time outputs
    notes, _ = sol.dropout_forward(h, p, np.random.default_rng(8), True)
    inverted, _ = sol.inverted_dropout_forward(h, p, np.random.default_rng(8), True)
    np.testing.assert_allclose(inverted, notes / (1 - p))  # same generator, same mask
    assert notes.mean() == pytest.approx((1 - p) * h.mean(), rel=0.02)


def _symmetry_case(seed, init):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    if init == "random":
        params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4), "W2": rng.normal(size=(4, 2)),
                  "b2": rng.normal(size=2)}
    else:
        params = {"W1": np.full((3, 4), init), "b1": np.zeros(4), "W2": np.full((4, 2), init), "b2": np.zeros(2)}
    return params, x, y


@pytest.mark.parametrize("init", [0.0, 0.5, "random"])
def test_symmetry_breaking_gradients_match_gradient_tape_and_library_backprop(init):
    import tensorflow as tf

    from dlcourse.perceptron import backward_propagation, forward_propagation

    sol = _solution("symmetry_breaking")
    params, x, y = _symmetry_case(0, init)
    got = sol.hidden_layer_gradients(params, x, y)
    variables = {name: tf.Variable(value) for name, value in params.items()}
    with tf.GradientTape() as tape:
        a = tf.sigmoid(x @ variables["W1"] + variables["b1"])
        loss = tf.reduce_mean(tf.square(a @ variables["W2"] + variables["b2"] - y))
    tape_grads = tape.gradient(loss, variables)
    _, cache = forward_propagation(params, x, "sigmoid", "linear")
    library = backward_propagation(params, cache, y, "mean_squared_error")
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(got[name], tape_grads[name].numpy(), rtol=1e-10, atol=1e-14, err_msg=name)
        np.testing.assert_allclose(got[name], library[name], rtol=1e-10, atol=1e-14, err_msg=name)
    if init != "random":
        # the notes' point: every hidden unit gets the same gradient
        assert np.allclose(got["W1"], got["W1"][:, :1]) and np.allclose(got["W2"], got["W2"][:1])


@pytest.mark.parametrize("init, identical", [(0.0, True), (0.3, True), ("random", False)])
def test_symmetry_breaking_training_agrees_with_keras_sgd_and_identical_units(init, identical):
    sol = _solution("symmetry_breaking")
    params, x, y = _symmetry_case(1, init)
    new_params, flags = sol.symmetry_after_training(params, x, y, 0.5, 10)
    assert flags.shape == (11,) and bool(flags.all()) is identical and bool(flags.any()) is identical
    assert sol.hidden_units_identical(new_params) == identical_units(new_params["W1"], new_params["b1"], new_params["W2"])
    # the same 10 full-batch steps with Keras layers and keras.optimizers.SGD
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="sigmoid", dtype="float64"),
                              keras.layers.Dense(2, dtype="float64")])
    model.set_weights([params["W1"], params["b1"], params["W2"], params["b2"]])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    model.fit(x, y, epochs=10, batch_size=len(x), shuffle=False, verbose=0)
    for got, want in zip([new_params[k] for k in ("W1", "b1", "W2", "b2")], model.get_weights()):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("seed, patience, min_delta, mode", [(0, 2, 0.0, "min"), (1, 4, 0.01, "min"), (2, 0, 0.0, "max"), (3, 3, 0.005, "max")])
def test_early_stopping_agrees_with_library_callback(seed, patience, min_delta, mode):
    sol = _solution("early_stopping")
    rng = np.random.default_rng(seed)
    history = [float(v) for v in np.cumsum(rng.normal(0, 0.05, 25)) * (1 if mode == "max" else -1) + 1]
    callback = EarlyStopping(monitor="val_loss", patience=patience, min_delta=min_delta, mode=mode)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    last = len(history) - 1
    for epoch, value in enumerate(history):
        callback.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            last = epoch
            break
    assert tuple(sol.early_stopping(history, patience, min_delta, mode)) == (last, callback.best_epoch)
