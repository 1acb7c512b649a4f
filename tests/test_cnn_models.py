"""small_cnn reaches 97% test accuracy on the digits, seeded; the plots show the right images."""

import keras
import matplotlib
import numpy as np
import pytest

from dlcourse.cnn import (
    Conv2D,
    GlobalAveragePooling2D,
    RandomPaddedCrop,
    plot_feature_maps,
    plot_filters,
    small_cnn,
)
from dlcourse.data import load_digits

matplotlib.use("Agg")


@pytest.mark.slow
def test_small_cnn_reaches_97_percent_on_digits(tmp_path):
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_digits(test_size=0.2, seed=0)
    model = small_cnn((8, 8, 1), 10, seed=0)
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=40, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.97
    model.save(tmp_path / "cnn.keras")
    loaded = keras.models.load_model(tmp_path / "cnn.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x_test[:8])),
                               keras.ops.convert_to_numpy(model(x_test[:8])), rtol=1e-5, atol=1e-5)


def test_small_cnn_shapes_and_validation():
    model = small_cnn((16, 12, 3), 4, filters=(4, 8, 8), head="global_average", augmentation_padding=2, seed=1)
    assert model.output_shape == (None, 4)
    conv_widths = [layer.filters for layer in model.layers if isinstance(layer, Conv2D)]
    assert conv_widths == [4, 8, 8]
    assert isinstance(model.layers[0], RandomPaddedCrop) and isinstance(model.layers[-3], GlobalAveragePooling2D)
    assert small_cnn(dropout=0).count_params() == (9 * 32 + 32) + (9 * 32 * 64 + 64) + (2 * 2 * 64 * 10 + 10)
    with pytest.raises(ValueError, match="too small for 3 poolings"):
        small_cnn((4, 4, 1), 10, filters=(4, 4, 4))
    with pytest.raises(ValueError, match="num_classes must be an integer >= 2"):
        small_cnn((8, 8, 1), 1)
    with pytest.raises(ValueError, match="head must be"):
        small_cnn(head="max")


@pytest.mark.backend_neutral
def test_same_seed_same_initial_model():
    x = np.random.default_rng(0).uniform(size=(2, 8, 8, 1)).astype("float32")
    a, b = small_cnn(seed=3), small_cnn(seed=3)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(a(x)), keras.ops.convert_to_numpy(b(x)))


def test_plot_filters_shows_each_kernel_slice():
    kernel = np.random.default_rng(1).normal(size=(3, 3, 2, 5))
    figure = plot_filters(kernel, input_channel=1, columns=3)
    assert len(figure.axes) == 5
    for o, axes in enumerate(figure.axes):
        np.testing.assert_array_equal(axes.images[0].get_array(), kernel[:, :, 1, o])
    layer = Conv2D(3, 2)
    layer.build((None, 5, 5, 1))
    assert len(plot_filters(layer).axes) == 3
    with pytest.raises(ValueError, match="input_channel must be in"):
        plot_filters(kernel, input_channel=2)


def test_plot_feature_maps_shows_each_channel():
    keras.utils.set_random_seed(0)
    model = small_cnn(seed=2)
    first_conv = keras.Model(model.inputs[0], model.layers[0].output)
    image = np.random.default_rng(3).uniform(size=(8, 8, 1)).astype("float32")
    expected = keras.ops.convert_to_numpy(model.layers[0](image[None]))[0]
    figure = plot_feature_maps(first_conv, image)
    assert len(figure.axes) == 32
    for c, axes in enumerate(figure.axes):
        np.testing.assert_allclose(axes.images[0].get_array(), expected[:, :, c], rtol=1e-6)
    assert len(plot_feature_maps(model.layers[0], image[None], max_maps=4).axes) == 4
    with pytest.raises(ValueError, match="must output feature maps"):
        plot_feature_maps(model, image)
