"""Chapter 2 exercises: each solution agrees with its library twin (and through it with the
Keras oracle of the library's tests), and each grader gives the solution full marks and the
released stub none. Stated points and FORBIDDEN are checked course-wide in test_release."""

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
    EarlyStopping,
    InvertedDropout,
    SGDMomentum,
    compute_fans,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXERCISES = ["xavier_he_init", "momentum_update", "adam_update", "l1_l2_penalty", "batch_norm", "inverted_dropout", "early_stopping"]


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


def test_momentum_update_agrees_with_sgd_momentum():
    sol = _solution("momentum_update")
    rng = np.random.default_rng(1)
    w0, gradients = rng.normal(size=(3, 2)), rng.normal(size=(6, 3, 2))
    w, v, steps = w0, np.zeros_like(w0), []
    for g in gradients:
        w, v = sol.momentum_step(w, v, g, 0.1, 0.8)
        steps.append(w)
    library = _optimizer_trajectory(SGDMomentum(0.1, momentum=0.8), w0, gradients)
    np.testing.assert_allclose(np.stack(steps), library, rtol=1e-5, atol=1e-6)


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


def test_inverted_dropout_agrees_with_library_layer():
    sol = _solution("inverted_dropout")
    x = np.random.default_rng(5).normal(size=(200, 100)) + 3.0
    y, mask = sol.dropout_forward(x, 0.4, np.random.default_rng(6), True)
    library = keras.ops.convert_to_numpy(InvertedDropout(0.4, seed=7)(x.astype("float32"), training=True))
    assert abs(mask.mean() - np.mean(library != 0)) < 0.02
    np.testing.assert_allclose(y[mask == 1] / x[mask == 1], 1 / 0.6, rtol=1e-12)
    np.testing.assert_allclose(library[library != 0] / x[library != 0].astype("float32"), 1 / 0.6, rtol=1e-5)
    np.testing.assert_array_equal(sol.dropout_forward(x, 0.4, np.random.default_rng(6), False)[0], x)


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
