"""BatchNormalization against keras.layers.BatchNormalization on shared weights; the notes' Dropout
and InvertedDropout by their statistics and against keras.layers.Dropout with a shared seed (the same
mask); save/load of a model using every piece."""

import keras
import numpy as np
import pytest

from dlcourse.training import (
    L2,
    Adam,
    BatchNormalization,
    CategoricalCrossentropy,
    Dropout,
    HeNormal,
    InvertedDropout,
    XavierUniform,
)


def _shared_batch_norms(features, momentum=0.9, epsilon=1e-3, seed=0, input_shape=None, **kwargs):
    rng = np.random.default_rng(seed)
    weights = [
        rng.uniform(0.5, 2.0, features),  # gamma
        rng.normal(size=features),  # beta
        rng.normal(size=features),  # moving mean
        rng.uniform(0.5, 2.0, features),  # moving variance
    ]
    ours = BatchNormalization(momentum=momentum, epsilon=epsilon, **kwargs)
    theirs = keras.layers.BatchNormalization(momentum=momentum, epsilon=epsilon, **kwargs)
    for layer in (ours, theirs):
        layer.build(input_shape or (None, features))
        present = [w for w, keep in zip(weights, (kwargs.get("scale", True), kwargs.get("center", True), True, True)) if keep]
        layer.set_weights([w.astype("float32") for w in present])
    return ours, theirs


def _batches(seed, shape, count):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=shape) * 3 + 1).astype("float32") for _ in range(count)]


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


@pytest.mark.backend_neutral
def test_training_mode_and_moving_statistics_match_keras():
    ours, theirs = _shared_batch_norms(5)
    for x in _batches(1, (16, 5), 4):
        np.testing.assert_allclose(_numpy(ours(x, training=True)), _numpy(theirs(x, training=True)), rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


@pytest.mark.backend_neutral
def test_inference_mode_matches_keras_and_keeps_statistics():
    ours, theirs = _shared_batch_norms(3, seed=2)
    before = [w.copy() for w in ours.get_weights()]
    x = _batches(3, (7, 3), 1)[0]
    for training in (False, None):
        np.testing.assert_allclose(_numpy(ours(x, training=training)), _numpy(theirs(x, training=training)), rtol=1e-5, atol=1e-6)
    for a, b in zip(before, ours.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.backend_neutral
def test_image_batches_are_normalised_per_channel_like_keras():
    ours, theirs = _shared_batch_norms(3, momentum=0.5, seed=4, input_shape=(None, 4, 4, 3))
    for x in _batches(5, (2, 4, 4, 3), 3):
        np.testing.assert_allclose(_numpy(ours(x, training=True)), _numpy(theirs(x, training=True)), rtol=1e-5, atol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_without_center_and_scale_matches_keras():
    ours, theirs = _shared_batch_norms(4, center=False, scale=False, seed=6)
    assert len(ours.trainable_weights) == 0 and len(ours.non_trainable_weights) == 2
    x = _batches(7, (8, 4), 1)[0]
    np.testing.assert_allclose(_numpy(ours(x, training=True)), _numpy(theirs(x, training=True)), rtol=1e-5, atol=1e-5)


@pytest.mark.backend_neutral
def test_batch_norm_weights_and_config():
    layer = BatchNormalization(momentum=0.8, epsilon=1e-4)
    assert layer(np.zeros((2, 6), "float32")).shape == (2, 6)
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    restored = BatchNormalization.from_config(layer.get_config())
    assert restored.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="momentum must be a number in"):
        BatchNormalization(momentum=1.5)


@pytest.mark.backend_neutral
def test_fit_with_batch_norm_follows_keras():
    """Same model, weights and data: one epoch of SGD gives the same weights and statistics."""
    x = np.random.default_rng(8).normal(size=(32, 4)).astype("float32") * 2 + 1
    y = x.sum(axis=1, keepdims=True)
    models = []
    for norm in (BatchNormalization(momentum=0.9), keras.layers.BatchNormalization(momentum=0.9)):
        model = keras.Sequential([keras.Input((4,)), norm, keras.layers.Dense(1, kernel_initializer="ones")])
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
        models.append(model)
    for a, b in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_dropout_statistics():
    layer = InvertedDropout(0.3, seed=1)
    x = np.random.default_rng(9).normal(size=(200, 300)).astype("float32") + 2.0
    y = _numpy(layer(x, training=True))
    kept = y != 0
    rate, n = 0.3, x.size
    assert abs((1 - kept.mean()) - rate) < 5 * np.sqrt(rate * (1 - rate) / n)
    np.testing.assert_allclose(y[kept], x[kept] / (1 - rate), rtol=1e-6)
    assert abs(y.mean() - x.mean()) < 5 * np.sqrt(np.mean(x**2) * rate / (1 - rate) / n)


def test_notes_dropout_statistics_and_test_time_rule():
    # the notes: h_tilde = h * r, r_i ~ Bernoulli(1 - p), no rescaling; at test time (1 - p) h
    p = 0.4
    layer = Dropout(p, seed=1)
    h = np.abs(np.random.default_rng(9).normal(size=(200, 300))).astype("float32") + 1.0
    h_tilde = _numpy(layer(h, training=True))
    kept = h_tilde != 0
    assert abs((1 - kept.mean()) - p) < 5 * np.sqrt(p * (1 - p) / h.size)
    np.testing.assert_array_equal(h_tilde[kept], h[kept])
    test_time = _numpy(layer(h))
    np.testing.assert_allclose(test_time, (1 - p) * h, rtol=1e-6)
    np.testing.assert_allclose(_numpy(layer(h, training=False)), test_time)
    # E[h * r] = (1 - p) h: the training mean matches the test-time mean
    assert abs(h_tilde.mean() - test_time.mean()) < 5 * np.sqrt(np.mean(test_time**2) * p / (1 - p) / h.size)
    np.testing.assert_array_equal(_numpy(Dropout(0.0)(h, training=True)), h)
    np.testing.assert_array_equal(_numpy(Dropout(0.0)(h)), h)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="the shared mask is TensorFlow's stateless dropout")
@pytest.mark.parametrize("p", [0.2, 0.6])
def test_both_forms_against_keras_dropout_with_a_shared_mask(p):
    """Same seed, same mask: InvertedDropout is keras.layers.Dropout, the notes' Dropout is it times 1 - p."""
    h = np.random.default_rng(3).normal(size=(40, 30)).astype("float32")
    theirs, inverted, notes = keras.layers.Dropout(p, seed=7), InvertedDropout(p, seed=7), Dropout(p, seed=7)
    for _ in range(3):  # fresh masks on every call, drawn alike
        expected = _numpy(theirs(h, training=True))
        np.testing.assert_allclose(_numpy(inverted(h, training=True)), expected, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(_numpy(notes(h, training=True)), (1 - p) * expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(_numpy(inverted(h)), _numpy(theirs(h)))
    np.testing.assert_allclose(_numpy(notes(h)), (1 - p) * _numpy(theirs(h)), rtol=1e-6)


@pytest.mark.backend_neutral
def test_dropout_matches_keras_dropout_statistics():
    x = np.ones((100, 400), "float32")
    ours = _numpy(InvertedDropout(0.6, seed=2)(x, training=True))
    theirs = _numpy(keras.layers.Dropout(0.6, seed=3)(x, training=True))
    assert set(np.unique(ours)) == set(np.unique(theirs)) == {0.0, np.float32(1 / 0.4)}
    assert abs((ours == 0).mean() - (theirs == 0).mean()) < 0.02


@pytest.mark.backend_neutral
def test_dropout_is_identity_at_inference_and_draws_fresh_masks():
    x = np.random.default_rng(10).normal(size=(8, 16)).astype("float32")
    layer = InvertedDropout(0.5, seed=4)
    np.testing.assert_array_equal(_numpy(layer(x)), x)
    np.testing.assert_array_equal(_numpy(layer(x, training=False)), x)
    assert not np.array_equal(_numpy(layer(x, training=True)), _numpy(layer(x, training=True)))
    again = [_numpy(InvertedDropout(0.5, seed=11)(x, training=True)) for _ in range(2)]
    np.testing.assert_array_equal(again[0], again[1])
    np.testing.assert_array_equal(_numpy(InvertedDropout(0.0)(x, training=True)), x)


@pytest.mark.parametrize("layer_class", [Dropout, InvertedDropout])
@pytest.mark.parametrize("rate", [1.0, -0.1, "0.5"])
def test_dropout_rate_is_validated(layer_class, rate):
    with pytest.raises(ValueError, match="rate must be a number in"):
        layer_class(rate)


@pytest.mark.parametrize("layer_class", [Dropout, InvertedDropout])
def test_dropout_config_round_trip(layer_class):
    layer = layer_class(0.25, seed=5, name="drop")
    restored = layer_class.from_config(layer.get_config())
    assert restored.get_config() == layer.get_config()


@pytest.mark.backend_neutral
def test_model_with_every_piece_saves_and_loads(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, kernel_initializer=HeNormal(seed=1), kernel_regularizer=L2(0.01), activation="relu"),
            BatchNormalization(),
            InvertedDropout(0.2, seed=2),
            Dropout(0.1, seed=4),
            keras.layers.Dense(3, kernel_initializer=XavierUniform(seed=3)),
        ]
    )
    model.compile(optimizer=Adam(0.01, bias_correction=True), loss=CategoricalCrossentropy(from_logits=True))
    rng = np.random.default_rng(12)
    x = rng.normal(size=(24, 6)).astype("float32")
    y = np.eye(3, dtype="float32")[rng.integers(0, 3, 24)]
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6, atol=1e-6)
    assert type(loaded.layers[1]) is BatchNormalization and type(loaded.layers[2]) is InvertedDropout
    assert type(loaded.layers[3]) is Dropout and loaded.layers[3].rate == 0.1
    assert type(loaded.optimizer) is Adam and loaded.optimizer.bias_correction is True
    assert type(loaded.layers[0].kernel_regularizer) is L2
    assert type(loaded.loss) is CategoricalCrossentropy and loaded.loss.from_logits
