"""L1/L2 against keras.regularizers and tf.GradientTape; losses against keras.losses."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse.training import L1, L2, CategoricalCrossentropy, MeanSquaredError


def _weights(seed, shape=(5, 4)):
    w = np.random.default_rng(seed).normal(size=shape).astype("float32")
    w.ravel()[:3] = 0.0  # the L1 subgradient at 0 is 0
    return w


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "ours, theirs", [(L1(0.03), keras.regularizers.L1(0.03)), (L2(0.2), keras.regularizers.L2(0.2))]
)
@pytest.mark.parametrize("shape", [(5, 4), (3, 3, 2, 4)])
def test_penalty_matches_keras(ours, theirs, shape):
    w = keras.ops.convert_to_tensor(_weights(1, shape))
    np.testing.assert_allclose(float(ours(w)), float(theirs(w)), rtol=1e-6)


def _tape_gradient(regularizer, w):
    variable = tf.Variable(w)
    with tf.GradientTape() as tape:
        penalty = regularizer(variable)
    return tape.gradient(penalty, variable).numpy()


def test_l1_gradient_is_lambda_sign():
    w = _weights(2)
    np.testing.assert_allclose(_tape_gradient(L1(0.03), w), 0.03 * np.sign(w), rtol=1e-6)


def test_l2_gradient_is_two_lambda_w():
    w = _weights(3)
    np.testing.assert_allclose(_tape_gradient(L2(0.2), w), 2 * 0.2 * w, rtol=1e-6)


@pytest.mark.backend_neutral
def test_layer_losses_match_keras():
    x = np.random.default_rng(4).normal(size=(2, 5)).astype("float32")
    totals = []
    for l1, l2 in ((L1(0.01), L2(0.02)), (keras.regularizers.L1(0.01), keras.regularizers.L2(0.02))):
        layer = keras.layers.Dense(3, kernel_initializer="ones", kernel_regularizer=l1, bias_regularizer=l2)
        layer.build((None, 5))
        layer.bias.assign(np.arange(3, dtype="float32"))
        layer(x)
        totals.append(float(keras.ops.sum(layer.losses)))
    assert totals[0] == pytest.approx(totals[1], rel=1e-6)


@pytest.mark.parametrize("cls, arg", [(L1, "l1"), (L2, "l2")])
def test_regularizer_config_round_trip_and_validation(cls, arg):
    restored = keras.regularizers.deserialize(keras.regularizers.serialize(cls(0.5)))
    assert type(restored) is cls and restored.get_config() == {arg: 0.5}
    with pytest.raises(ValueError, match=f"{arg} must be a non-negative number"):
        cls(-1)


def _classification(seed, batch=6, classes=4, logit_scale=2.0):
    rng = np.random.default_rng(seed)
    y_true = np.eye(classes, dtype="float32")[rng.integers(0, classes, size=batch)]
    logits = (rng.normal(size=(batch, classes)) * logit_scale).astype("float32")
    return y_true, logits


@pytest.mark.backend_neutral
def test_crossentropy_from_probabilities_matches_keras():
    y_true, logits = _classification(5)
    p = keras.ops.softmax(logits)
    np.testing.assert_allclose(
        float(CategoricalCrossentropy()(y_true, p)), float(keras.losses.CategoricalCrossentropy()(y_true, p)), rtol=1e-5
    )


@pytest.mark.backend_neutral
@pytest.mark.parametrize("scale", [1.0, 50.0])
def test_crossentropy_from_logits_matches_keras(scale):
    y_true, logits = _classification(6, logit_scale=scale)
    ours = CategoricalCrossentropy(from_logits=True)(y_true, logits)
    theirs = keras.losses.CategoricalCrossentropy(from_logits=True)(y_true, logits)
    assert np.isfinite(float(ours))
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-5)


@pytest.mark.backend_neutral
def test_crossentropy_sample_weight_and_sum_reduction_match_keras():
    y_true, logits = _classification(7)
    weights = np.linspace(0.0, 2.0, len(y_true)).astype("float32")
    ours = CategoricalCrossentropy(from_logits=True, reduction="sum")(y_true, logits, sample_weight=weights)
    theirs = keras.losses.CategoricalCrossentropy(from_logits=True, reduction="sum")(y_true, logits, sample_weight=weights)
    np.testing.assert_allclose(float(ours), float(theirs), rtol=1e-5)


def test_confident_wrong_probability_is_finite():
    loss = CategoricalCrossentropy()([[1.0, 0.0]], [[0.0, 1.0]])
    assert float(loss) == pytest.approx(-np.log(1e-7), rel=1e-3)


@pytest.mark.backend_neutral
def test_mse_matches_keras():
    rng = np.random.default_rng(8)
    y_true, y_pred = rng.normal(size=(5, 3)).astype("float32"), rng.normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(
        float(MeanSquaredError()(y_true, y_pred)), float(keras.losses.MeanSquaredError()(y_true, y_pred)), rtol=1e-6
    )


@pytest.mark.parametrize("loss", [CategoricalCrossentropy(from_logits=True), MeanSquaredError()])
def test_loss_config_round_trip(loss):
    restored = keras.losses.deserialize(keras.losses.serialize(loss))
    assert type(restored) is type(loss) and restored.get_config() == loss.get_config()


@pytest.mark.backend_neutral
def test_loss_trains_a_classifier():
    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(90, 2)).astype("float32")
    y = np.eye(3, dtype="float32")[(x[:, 0] > 0).astype(int) + (x[:, 1] > 1).astype(int)]
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=CategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=10, batch_size=30, verbose=0).history["loss"]
    assert history[-1] < 0.6 * history[0]
