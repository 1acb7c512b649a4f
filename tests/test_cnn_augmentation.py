"""Augmentation layers: identity (RandomCrop: the central window, as tf.image crops it) at
inference; in training, statistical properties (flip about half the images, crop windows are
windows of the image -- or shifts of the zero-padded image -- with offsets spread uniformly over
their range, drawn per image), seeded reproducibility, serialization, and use inside model.fit."""

import keras
import numpy as np
import pytest

import tensorflow as tf

from dlcourse.cnn import RandomCrop, RandomHorizontalFlip, RandomPaddedCrop


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _images(seed, shape=(400, 6, 7, 2)):
    # distinct values everywhere, so a shifted or flipped window is recognisable
    return np.random.default_rng(seed).uniform(1.0, 2.0, size=shape).astype("float32")


@pytest.mark.backend_neutral
@pytest.mark.parametrize("layer", [RandomPaddedCrop(2, seed=0), RandomHorizontalFlip(seed=0)])
def test_identity_unless_training(layer):
    x = _images(0, (5, 6, 7, 2))
    for training in (None, False):
        np.testing.assert_array_equal(_numpy(layer(x, training=training)), x)


def test_flip_happens_about_half_the_time_and_only_mirrors():
    x = _images(1)
    y = _numpy(RandomHorizontalFlip(seed=1)(x, training=True))
    flipped = np.all(y == x[:, :, ::-1, :], axis=(1, 2, 3))
    kept = np.all(y == x, axis=(1, 2, 3))
    assert np.all(flipped ^ kept)
    n = len(x)
    assert abs(flipped.mean() - 0.5) < 5 * np.sqrt(0.25 / n)
    y = _numpy(RandomHorizontalFlip(0.2, seed=2)(x, training=True))
    assert abs(np.all(y == x[:, :, ::-1, :], axis=(1, 2, 3)).mean() - 0.2) < 5 * np.sqrt(0.16 / n)
    np.testing.assert_array_equal(_numpy(RandomHorizontalFlip(1.0)(x, training=True)), x[:, :, ::-1, :])


@pytest.mark.backend_neutral
def test_flip_rate_agrees_with_keras_random_flip():
    x = _images(2)
    ours = _numpy(RandomHorizontalFlip(seed=3)(x, training=True))
    theirs = _numpy(keras.layers.RandomFlip("horizontal", seed=4)(x, training=True))
    rates = [np.mean(np.all(y == x[:, :, ::-1, :], axis=(1, 2, 3))) for y in (ours, theirs)]
    assert abs(rates[0] - rates[1]) < 5 * np.sqrt(0.5 / len(x))


def _window_offset(padded, window):
    """The (dy, dx) at which `window` sits in `padded`, or None."""
    h, w = window.shape[:2]
    for dy in range(padded.shape[0] - h + 1):
        for dx in range(padded.shape[1] - w + 1):
            if np.array_equal(padded[dy : dy + h, dx : dx + w], window):
                return dy, dx
    return None


def test_crop_is_a_shifted_window_of_the_padded_image():
    padding = 2
    x = _images(3, (300, 6, 7, 2))
    y = _numpy(RandomPaddedCrop(padding, seed=5)(x, training=True))
    assert y.shape == x.shape
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    offsets = np.array([_window_offset(p, w) for p, w in zip(padded, y)])
    assert offsets.ndim == 2, "every crop must be a window of its own padded image"
    # offsets are uniform on {0, ..., 2 padding}^2: every value occurs, mean near padding
    for axis in range(2):
        assert set(offsets[:, axis]) == set(range(2 * padding + 1))
        sd = np.sqrt(((2 * padding + 1) ** 2 - 1) / 12 / len(x))
        assert abs(offsets[:, axis].mean() - padding) < 5 * sd
    # the two offsets are drawn independently per image
    assert len({tuple(o) for o in offsets}) == (2 * padding + 1) ** 2


@pytest.mark.parametrize("size", [(4, 5), (3, 3), (6, 7), (1, 7)])
def test_random_crop_is_the_central_crop_of_tf_image_at_inference(size):
    x = _images(6, (3, 6, 7, 2))
    expected = tf.image.resize_with_crop_or_pad(x, *size).numpy()
    layer = RandomCrop(*size, seed=0)
    np.testing.assert_array_equal(_numpy(layer(x)), expected)
    assert layer.compute_output_shape(x.shape) == expected.shape


def test_random_crop_windows_are_uniform_over_the_legal_offsets_per_image():
    x = _images(7, (400, 6, 7, 2))
    size = (4, 4)
    y = _numpy(RandomCrop(*size, seed=8)(x, training=True))
    assert y.shape == (400, 4, 4, 2)
    offsets = np.array([_window_offset(image, window) for image, window in zip(x, y)])
    assert offsets.ndim == 2, "every crop must be a window of its own image"
    for window, image, (top, left) in zip(y[:20], x, offsets):  # the oracle on the found offsets
        np.testing.assert_array_equal(window, tf.image.crop_to_bounding_box(image, top, left, *size).numpy())
    for axis, positions in ((0, 3), (1, 4)):
        shares = np.bincount(offsets[:, axis], minlength=positions) / len(x)
        assert np.all(np.abs(shares - 1 / positions) < 5 * np.sqrt((1 / positions) * (1 - 1 / positions) / len(x)))
    assert len({tuple(o) for o in offsets}) == 12  # drawn per image and independently


@pytest.mark.backend_neutral
def test_seeded_layers_reproduce_and_draw_fresh_each_call():
    x = _images(4, (20, 6, 6, 1))
    for make in (lambda: RandomPaddedCrop(1, seed=7), lambda: RandomHorizontalFlip(seed=7),
                 lambda: RandomCrop(4, 5, seed=7)):
        a, b = make(), make()
        first, again = _numpy(a(x, training=True)), _numpy(b(x, training=True))
        np.testing.assert_array_equal(first, again)
        assert not np.array_equal(first, _numpy(a(x, training=True)))


@pytest.mark.backend_neutral
def test_validation_and_config_round_trip():
    for layer in (RandomPaddedCrop(3, seed=1, name="crop"), RandomHorizontalFlip(0.3, seed=2), RandomCrop(4, 2, seed=3)):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    with pytest.raises(ValueError, match="padding must be a non-negative integer"):
        RandomPaddedCrop(-1)
    with pytest.raises(ValueError, match="probability must be a number in"):
        RandomHorizontalFlip(1.5)
    with pytest.raises(ValueError, match="seed must be an integer"):
        RandomHorizontalFlip(seed="a")
    with pytest.raises(ValueError, match="width must be a positive integer"):
        RandomCrop(3, 0)
    with pytest.raises(ValueError, match="cannot cut its window from images of size 6 x 6"):
        RandomCrop(7, 3)(np.zeros((1, 6, 6, 1), "float32"))


def test_augmentation_in_a_model_fits_saves_and_loads(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((6, 6, 1)),
        RandomPaddedCrop(1, seed=1),
        RandomHorizontalFlip(seed=2),
        RandomCrop(5, 4, seed=3),
        keras.layers.Flatten(),
        keras.layers.Dense(2),
    ])
    x = _images(5, (16, 6, 6, 1))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((16, 2), "float32"), epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[0]) is RandomPaddedCrop and loaded.layers[0].padding == 1
    assert type(loaded.layers[2]) is RandomCrop and (loaded.layers[2].height, loaded.layers[2].width) == (5, 4)
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6, atol=1e-6)
