"""Pooling, depthwise-separable convolution and the residual block against their Keras built-ins
on shared weights (and tf.GradientTape for the max-pooling gradient); parameter counts against
count_params(); config and save/load round-trips."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse.cnn import (
    Conv2D,
    DepthwiseConv2D,
    GlobalAveragePooling2D,
    MaxPooling2D,
    ResidualBlock,
    SeparableConv2D,
    conv2d_param_count,
    depthwise_conv2d,
    global_average_pool2d,
    max_pool2d,
    max_pool2d_backward,
    separable_conv2d,
    separable_conv2d_param_count,
)


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _images(seed, shape):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# --- pooling ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pool_size, strides, padding", [
    (2, None, "valid"), (2, None, "same"), (3, 2, "valid"), (3, 2, "same"), ((2, 3), (1, 2), "valid"), (3, 1, "same"),
])
def test_max_pooling_matches_keras(pool_size, strides, padding):
    x = _images(0, (2, 7, 6, 3))
    expected = _numpy(keras.layers.MaxPooling2D(pool_size, strides, padding)(x))
    layer = MaxPooling2D(pool_size, strides, padding)
    np.testing.assert_allclose(max_pool2d(x, pool_size, strides, padding), expected, rtol=1e-6)
    np.testing.assert_allclose(_numpy(layer(x)), expected, rtol=1e-6)
    assert layer.compute_output_shape(x.shape) == expected.shape


@pytest.mark.parametrize("pool_size, strides, padding", [(2, None, "valid"), (3, 2, "same"), (3, 1, "valid")])
def test_max_pool_backward_matches_gradient_tape(pool_size, strides, padding):
    x = tf.constant(_images(1, (2, 6, 7, 2)))
    upstream = _images(2, tuple(keras.layers.MaxPooling2D(pool_size, strides, padding)(x).shape))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = keras.layers.MaxPooling2D(pool_size, strides, padding)(x)
        loss = tf.reduce_sum(y * upstream)
    expected = tape.gradient(loss, x).numpy()
    ours = max_pool2d_backward(upstream, x.numpy(), pool_size, strides, padding)
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


def test_global_average_pooling_matches_keras():
    x = _images(3, (3, 5, 4, 6))
    expected = _numpy(keras.layers.GlobalAveragePooling2D()(x))
    np.testing.assert_allclose(global_average_pool2d(x), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_numpy(GlobalAveragePooling2D()(x)), expected, rtol=1e-5, atol=1e-6)
    kept = _numpy(GlobalAveragePooling2D(keepdims=True)(x))
    np.testing.assert_allclose(kept, _numpy(keras.layers.GlobalAveragePooling2D(keepdims=True)(x)), rtol=1e-5)


def test_pooling_config_and_validation():
    layer = MaxPooling2D((2, 3), strides=1, padding="same", name="pool")
    assert MaxPooling2D.from_config(layer.get_config()).get_config() == layer.get_config()
    layer = GlobalAveragePooling2D(keepdims=True)
    assert GlobalAveragePooling2D.from_config(layer.get_config()).get_config() == layer.get_config()
    with pytest.raises(ValueError, match="padding must be"):
        MaxPooling2D(2, padding=1)
    with pytest.raises(ValueError, match="pool_size must be"):
        MaxPooling2D(0)


# --- depthwise-separable convolution -----------------------------------------------------------


@pytest.mark.parametrize("strides, padding, dilation, multiplier", [
    (1, "valid", 1, 1), (2, "same", 1, 2), (1, "same", 2, 1), (2, "valid", 1, 3), (1, ((1, 0), (2, 1)), 1, 2),
])
def test_depthwise_and_separable_match_keras(strides, padding, dilation, multiplier):
    x = _images(4, (2, 8, 7, 3))
    rng = np.random.default_rng(5)
    depthwise = rng.normal(size=(3, 3, 3, multiplier)).astype("float32")
    pointwise = rng.normal(size=(1, 1, 3 * multiplier, 5)).astype("float32")
    bias_d = rng.normal(size=3 * multiplier).astype("float32")
    bias = rng.normal(size=5).astype("float32")
    keras_padding, keras_x = padding, x
    if not isinstance(padding, str):
        keras_padding, keras_x = "valid", _numpy(keras.layers.ZeroPadding2D(padding)(x))

    theirs = keras.layers.DepthwiseConv2D(3, strides, keras_padding, multiplier, dilation_rate=dilation)
    ours = DepthwiseConv2D(3, strides, padding, multiplier, dilation_rate=dilation)
    for layer in (theirs, ours):
        layer.build(x.shape)
        layer.set_weights([depthwise, bias_d])
    expected = _numpy(theirs(keras_x))
    np.testing.assert_allclose(_numpy(ours(x)), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(depthwise_conv2d(x, depthwise, bias_d, strides, padding, dilation), expected,
                               rtol=1e-4, atol=1e-4)
    assert ours.count_params() == theirs.count_params()

    theirs = keras.layers.SeparableConv2D(5, 3, strides, keras_padding, depth_multiplier=multiplier,
                                          dilation_rate=dilation)
    ours = SeparableConv2D(5, 3, strides, padding, multiplier, dilation_rate=dilation)
    for layer in (theirs, ours):
        layer.build(x.shape)
        layer.set_weights([depthwise, pointwise, bias])
    expected = _numpy(theirs(keras_x))
    np.testing.assert_allclose(_numpy(ours(x)), expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(separable_conv2d(x, depthwise, pointwise, bias, strides, padding, dilation),
                               expected, rtol=1e-4, atol=1e-4)
    assert ours.compute_output_shape(x.shape) == expected.shape


@pytest.mark.parametrize("kernel_size, c_in, c_out, multiplier, use_bias", [
    (3, 64, 128, 1, True), ((5, 3), 3, 16, 2, False), (1, 8, 8, 1, True), (7, 32, 10, 4, True),
])
def test_parameter_counts_match_keras_count_params(kernel_size, c_in, c_out, multiplier, use_bias):
    shape = (None, 9, 9, c_in)
    standard = keras.layers.Conv2D(c_out, kernel_size, use_bias=use_bias)
    standard.build(shape)
    separable = keras.layers.SeparableConv2D(c_out, kernel_size, depth_multiplier=multiplier, use_bias=use_bias)
    separable.build(shape)
    assert conv2d_param_count(kernel_size, c_in, c_out, use_bias) == standard.count_params()
    assert separable_conv2d_param_count(kernel_size, c_in, c_out, multiplier, use_bias) == separable.count_params()
    ours = SeparableConv2D(c_out, kernel_size, depth_multiplier=multiplier, use_bias=use_bias)
    ours.build(shape)
    assert ours.count_params() == separable.count_params()


def test_separable_config_round_trip():
    for layer in (DepthwiseConv2D((3, 5), 2, "same", 2, activation="relu"),
                  SeparableConv2D(4, 3, padding=1, depth_multiplier=3, use_bias=False)):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    with pytest.raises(ValueError, match="depth_multiplier must be a positive integer"):
        DepthwiseConv2D(3, depth_multiplier=0)


# --- residual block ----------------------------------------------------------------------------


def _keras_residual_block(block, input_shape):
    """The same block from keras.layers, with block's weights copied in."""
    inputs = keras.Input(input_shape[1:])
    conv = dict(padding="same", use_bias=False)
    norm = dict(momentum=block.momentum, epsilon=block.epsilon)
    h = keras.layers.Conv2D(block.filters, block.kernel_size, block.strides, name="conv1", **conv)(inputs)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization(name="bn1", **norm)(h))
    h = keras.layers.Conv2D(block.filters, block.kernel_size, name="conv2", **conv)(h)
    h = keras.layers.BatchNormalization(name="bn2", **norm)(h)
    shortcut = inputs
    if block.uses_projection:
        shortcut = keras.layers.Conv2D(block.filters, 1, block.strides, name="shortcut_conv", **conv)(inputs)
        shortcut = keras.layers.BatchNormalization(name="shortcut_bn", **norm)(shortcut)
    model = keras.Model(inputs, keras.layers.ReLU()(keras.layers.Add()([h, shortcut])))
    for name in ("conv1", "bn1", "conv2", "bn2") + (("shortcut_conv", "shortcut_bn") if block.uses_projection else ()):
        model.get_layer(name).set_weights(getattr(block, name).get_weights())
    return model


def _randomise_batch_norms(block, seed):
    rng = np.random.default_rng(seed)
    for norm in (block.bn1, block.bn2, block.shortcut_bn):
        if norm is not None:
            c = norm.gamma.shape[0]
            norm.set_weights([rng.uniform(0.5, 2, c), rng.normal(size=c), rng.normal(size=c) * 0.1,
                              rng.uniform(0.5, 2, c)])


@pytest.mark.parametrize("c_in, filters, strides, projection", [
    (4, 4, 1, None), (3, 6, 1, None), (4, 4, 2, None), (4, 4, 1, True),
])
def test_residual_block_matches_keras_layers(c_in, filters, strides, projection):
    keras.utils.set_random_seed(0)
    x = _images(6, (3, 6, 6, c_in))
    block = ResidualBlock(filters, strides=strides, projection=projection, momentum=0.9)
    block.build(x.shape)
    assert block.uses_projection == (projection or c_in != filters or strides != 1)
    _randomise_batch_norms(block, 7)
    oracle = _keras_residual_block(block, x.shape)
    for training in (False, True):
        np.testing.assert_allclose(_numpy(block(x, training=training)), _numpy(oracle(x, training=training)),
                                   rtol=1e-4, atol=1e-4)
    # the training call updated both blocks' moving statistics alike
    np.testing.assert_allclose(_numpy(block(x)), _numpy(oracle(x)), rtol=1e-4, atol=1e-4)
    assert block.count_params() == oracle.count_params()


def test_identity_shortcut_passes_the_input():
    """With zero main-path output (gamma = beta = 0) the block is ReLU(x)."""
    x = _images(8, (2, 5, 5, 3))
    block = ResidualBlock(3)
    block.build(x.shape)
    for norm in (block.bn1, block.bn2):
        norm.set_weights([np.zeros(3), np.zeros(3), np.zeros(3), np.ones(3)])
    np.testing.assert_allclose(_numpy(block(x)), np.maximum(x, 0), rtol=1e-6)


def test_residual_block_validation_and_config():
    with pytest.raises(ValueError, match="projection=False needs the block to keep"):
        ResidualBlock(8, projection=False).build((None, 4, 4, 3))
    with pytest.raises(ValueError, match="filters must be a positive integer"):
        ResidualBlock(-1)
    block = ResidualBlock(8, kernel_size=(3, 1), strides=2, momentum=0.9, name="res")
    assert ResidualBlock.from_config(block.get_config()).get_config() == block.get_config()


def test_model_with_every_layer_saves_loads_and_fits(tmp_path):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        Conv2D(4, 3, padding="same", activation="relu"),
        ResidualBlock(6, strides=2),
        ResidualBlock(6),
        DepthwiseConv2D(3, padding="same", depth_multiplier=2),
        SeparableConv2D(5, 3, padding=1),
        MaxPooling2D(2),
        GlobalAveragePooling2D(),
        keras.layers.Dense(3),
    ])
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(16, 8, 8, 1)).astype("float32"), rng.integers(0, 3, 16)
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert [type(a) for a in loaded.layers] == [type(b) for b in model.layers]
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-5, atol=1e-5)
