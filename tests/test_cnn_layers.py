"""Pooling, depthwise-separable convolution, the Inception module and the residual block against
their Keras built-ins on shared weights (and tf.GradientTape for the max-pooling gradient);
parameter counts against count_params(), multiply-adds against TensorFlow's FLOP profiler;
config and save/load round-trips."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse.cnn import (
    Conv2D,
    DepthwiseConv2D,
    GlobalAveragePooling2D,
    InceptionModule,
    MaxPooling2D,
    ResidualBlock,
    SeparableConv2D,
    conv2d_cost,
    conv2d_multiply_adds,
    conv2d_param_count,
    depthwise_conv2d,
    pointwise_conv2d,
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


@pytest.mark.backend_neutral
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


@pytest.mark.backend_neutral
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


@pytest.mark.backend_neutral
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


# --- 1x1 convolutions and the Inception module --------------------------------------------------


@pytest.mark.backend_neutral
def test_pointwise_conv2d_is_keras_conv2d_1x1():
    x = _images(10, (2, 5, 4, 6))
    rng = np.random.default_rng(11)
    kernel, bias = rng.normal(size=(1, 1, 6, 3)).astype("float32"), rng.normal(size=3).astype("float32")
    layer = keras.layers.Conv2D(3, 1)
    layer.build(x.shape)
    layer.set_weights([kernel, bias])
    expected = _numpy(layer(x))
    np.testing.assert_allclose(pointwise_conv2d(x, kernel, bias), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(pointwise_conv2d(x, kernel[0, 0], bias), expected, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="kernel"):
        pointwise_conv2d(x, kernel[0, 0, :5])


def _tf_flops(function, shape):
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    concrete = tf.function(function).get_concrete_function(tf.TensorSpec(shape, tf.float32))
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return tf.compat.v1.profiler.profile(graph=convert_variables_to_constants_v2(concrete).graph,
                                         run_meta=tf.compat.v1.RunMetadata(), cmd="op", options=options).total_float_ops


@pytest.mark.parametrize("output_size, kernel_size, c_in, c_out", [(28, 5, 192, 32), ((5, 9), (3, 1), 7, 11)])
def test_multiply_adds_are_half_of_tensorflows_flops(output_size, kernel_size, c_in, c_out):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    oh, ow = (output_size, output_size) if isinstance(output_size, int) else output_size
    kernel = tf.random.normal((kh, kw, c_in, c_out))
    flops = _tf_flops(lambda x: tf.nn.conv2d(x, kernel, 1, "SAME"), (1, oh, ow, c_in))
    assert 2 * conv2d_multiply_adds(output_size, kernel_size, c_in, c_out) == flops


def test_conv2d_cost_of_googlenets_5x5_branch():
    """The published example: 120.4M multiply-adds directly, 12.4M after a reduction to 16 channels."""
    (direct_params, direct), (reduced_params, reduced) = (conv2d_cost(28, 5, 192, 32),
                                                          conv2d_cost(28, 5, 192, 32, reduce_channels=16))
    assert (direct, reduced) == (28 * 28 * 25 * 192 * 32, 28 * 28 * (192 * 16 + 25 * 16 * 32))
    assert direct_params == conv2d_param_count(5, 192, 32) and reduced_params == 192 * 16 + 16 + 25 * 16 * 32 + 32


def _keras_inception(module, input_shape):
    """The same module from keras.layers, with module's weights copied in."""
    inputs = keras.Input(input_shape[1:])

    def conv(filters, size, name, x):
        return keras.layers.Conv2D(filters, size, padding="same", activation="relu", name=name)(x)

    branches = [
        conv(module.filters_1x1_filters, 1, "conv_1x1", inputs),
        conv(module.filters_3x3_filters, 3, "conv_3x3", conv(module.reduce_3x3_filters, 1, "reduce_3x3", inputs)),
        conv(module.filters_5x5_filters, 5, "conv_5x5", conv(module.reduce_5x5_filters, 1, "reduce_5x5", inputs)),
        conv(module.pool_projection_filters, 1, "pool_projection",
             keras.layers.MaxPooling2D(3, strides=1, padding="same")(inputs)),
    ]
    model = keras.Model(inputs, keras.layers.Concatenate()(branches))
    for name in ("conv_1x1", "reduce_3x3", "conv_3x3", "reduce_5x5", "conv_5x5", "pool_projection"):
        model.get_layer(name).set_weights(getattr(module, name).get_weights())
    return model


def test_inception_module_matches_keras_layers_and_counts_its_cost():
    keras.utils.set_random_seed(2)
    x = _images(12, (2, 7, 6, 5))
    module = InceptionModule(3, 4, 6, 2, 3, 2)
    y = _numpy(module(x))
    oracle = _keras_inception(module, x.shape)
    np.testing.assert_allclose(y, _numpy(oracle(x)), rtol=1e-4, atol=1e-5)
    assert y.shape == module.compute_output_shape(x.shape) == (2, 7, 6, 3 + 6 + 3 + 2)
    assert module.count_params() == oracle.count_params() == sum(
        conv2d_param_count(k, c_in, c_out) for k, c_in, c_out in
        ((1, 5, 3), (1, 5, 4), (3, 4, 6), (1, 5, 2), (5, 2, 3), (1, 5, 2)))

    def module_ops(images):
        branches = [tf.nn.conv2d(images, layer.kernel, 1, "SAME") for layer in
                    (module.conv_1x1, module.reduce_3x3, module.reduce_5x5, module.pool_projection)]
        return [*branches, tf.nn.conv2d(branches[1], module.conv_3x3.kernel, 1, "SAME"),
                tf.nn.conv2d(branches[2], module.conv_5x5.kernel, 1, "SAME")]

    assert 2 * module.multiply_adds((7, 6, 5)) == _tf_flops(module_ops, (1, 7, 6, 5))


def test_googlenet_inception_3a_size():
    """GoogLeNet's table: inception (3a) maps 28 x 28 x 192 to 256 channels."""
    module = InceptionModule(64, 96, 128, 16, 32, 32)
    module.build((None, 28, 28, 192))
    assert module.compute_output_shape((None, 28, 28, 192)) == (None, 28, 28, 256)
    assert module.count_params() == (192 * 64 + 64) + (192 * 96 + 96) + (9 * 96 * 128 + 128) + (192 * 16 + 16) + (
        25 * 16 * 32 + 32) + (192 * 32 + 32)


def test_inception_module_config_save_and_validation(tmp_path):
    module = InceptionModule(2, 3, 4, 1, 2, 1, activation="tanh", name="inception")
    assert InceptionModule.from_config(module.get_config()).get_config() == module.get_config()
    with pytest.raises(ValueError, match="reduce_5x5 must be a positive integer"):
        InceptionModule(2, 3, 4, 0, 2, 1)
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((6, 6, 2)), InceptionModule(2, 3, 4, 1, 2, 1),
                              GlobalAveragePooling2D(), keras.layers.Dense(2)])
    x = _images(13, (4, 6, 6, 2))
    model.save(tmp_path / "inception.keras")
    loaded = keras.models.load_model(tmp_path / "inception.keras")
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-5, atol=1e-6)


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
    outputs = keras.layers.Add()([h, shortcut])
    if block.post_activation:
        outputs = keras.layers.ReLU()(outputs)
    model = keras.Model(inputs, outputs)
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


@pytest.mark.parametrize("c_in, filters, strides, projection, post_activation", [
    (4, 4, 1, None, False), (3, 6, 1, None, False), (4, 4, 2, None, False), (4, 4, 1, True, False),
    (4, 4, 1, None, True), (3, 6, 2, None, True),
])
def test_residual_block_matches_keras_layers(c_in, filters, strides, projection, post_activation):
    keras.utils.set_random_seed(0)
    x = _images(6, (3, 6, 6, c_in))
    block = ResidualBlock(filters, strides=strides, projection=projection, post_activation=post_activation,
                          momentum=0.9)
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


@pytest.mark.backend_neutral
@pytest.mark.parametrize("post_activation", [False, True])
def test_identity_shortcut_passes_the_input(post_activation):
    """With a zero residual (gamma = beta = 0: F(x) = 0) the block is the notes' y = x, or ReLU(x)
    with the ReLU after the sum."""
    x = _images(8, (2, 5, 5, 3))
    block = ResidualBlock(3, post_activation=post_activation)
    block.build(x.shape)
    for norm in (block.bn1, block.bn2):
        norm.set_weights([np.zeros(3), np.zeros(3), np.zeros(3), np.ones(3)])
    np.testing.assert_allclose(_numpy(block(x)), np.maximum(x, 0) if post_activation else x, rtol=1e-6)


def test_residual_block_validation_and_config():
    with pytest.raises(ValueError, match="projection=False needs the block to keep"):
        ResidualBlock(8, projection=False).build((None, 4, 4, 3))
    with pytest.raises(ValueError, match="filters must be a positive integer"):
        ResidualBlock(-1)
    with pytest.raises(ValueError, match="post_activation must be True or False"):
        ResidualBlock(8, post_activation="relu")
    block = ResidualBlock(8, kernel_size=(3, 1), strides=2, momentum=0.9, name="res")
    assert ResidualBlock.from_config(block.get_config()).get_config() == block.get_config()
    assert block.post_activation is False
    assert ResidualBlock.from_config({**block.get_config(), "post_activation": True}).post_activation is True
    # a block saved before post_activation existed had the ReLU after the sum, and keeps it
    legacy = {k: v for k, v in block.get_config().items() if k != "post_activation"}
    assert ResidualBlock.from_config(legacy).post_activation is True


def test_model_with_every_layer_saves_loads_and_fits(tmp_path):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        Conv2D(4, 3, padding="same", activation="relu"),
        ResidualBlock(6, strides=2),
        ResidualBlock(6, post_activation=True),
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
    assert [loaded.layers[i].post_activation for i in (1, 2)] == [False, True]
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-5, atol=1e-5)
