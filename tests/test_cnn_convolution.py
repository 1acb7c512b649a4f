"""Convolution by hand (naive loops, im2col) and dlcourse.cnn.Conv2D against keras.layers.Conv2D on
shared weights, for every combination of stride, padding and dilation; 1x1 convolution against
keras.layers.Dense applied to every pixel; config and save/load round-trips."""

import itertools

import keras
import numpy as np
import pytest

from dlcourse.cnn import Conv2D, conv2d_im2col, conv2d_naive, conv_output_size, im2col

STRIDES = [1, 2, 3, (2, 1)]
PADDINGS = ["valid", "same", 1, (2, 0), ((2, 0), (1, 3))]
DILATIONS = [1, 2, (1, 3)]


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _data(seed, x_shape=(2, 9, 8, 3), kernel_shape=(3, 2, 3, 4)):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=x_shape).astype("float32")
    kernel = rng.normal(size=kernel_shape).astype("float32")
    bias = rng.normal(size=kernel_shape[-1]).astype("float32")
    return x, kernel, bias


def _keras_oracle(x, kernel, bias, strides, padding, dilation):
    """keras.layers.Conv2D on shared weights. Keras refuses stride and dilation together: then
    the oracle is the stride-1 dilated convolution of the explicitly padded input, subsampled."""
    strides = (strides, strides) if isinstance(strides, int) else strides
    dilation = (dilation, dilation) if isinstance(dilation, int) else dilation
    if max(strides) > 1 and max(dilation) > 1:
        if padding == "same":
            pads = []
            for axis in range(2):
                size, k = x.shape[1 + axis], kernel.shape[axis]
                out = -(-size // strides[axis])
                total = max((out - 1) * strides[axis] + (k - 1) * dilation[axis] + 1 - size, 0)
                pads.append((total // 2, total - total // 2))
            padding = tuple(pads)
        full = _keras_oracle(x, kernel, bias, 1, padding, dilation)
        return full[:, :: strides[0], :: strides[1], :]
    layer = keras.layers.Conv2D(kernel.shape[-1], kernel.shape[:2], strides=strides, dilation_rate=dilation,
                                padding=padding if isinstance(padding, str) else "valid")
    if not isinstance(padding, str):
        x = keras.layers.ZeroPadding2D(padding)(x)
    layer.build(x.shape)
    layer.set_weights([kernel, bias])
    return _numpy(layer(x))


@pytest.mark.parametrize("strides, padding, dilation", list(itertools.product(STRIDES, PADDINGS, DILATIONS)))
def test_numpy_and_layer_convolutions_match_keras(strides, padding, dilation):
    x, kernel, bias = _data(0)
    expected = _keras_oracle(x, kernel, bias, strides, padding, dilation)
    naive = conv2d_naive(x, kernel, bias, strides, padding, dilation)
    vectorized = conv2d_im2col(x, kernel, bias, strides, padding, dilation)
    layer = Conv2D(4, (3, 2), strides=strides, padding=padding, dilation_rate=dilation)
    layer.build(x.shape)
    layer.set_weights([kernel, bias])
    ours = _numpy(layer(x))
    assert naive.shape == vectorized.shape == ours.shape == expected.shape
    assert layer.compute_output_shape(x.shape) == expected.shape
    np.testing.assert_allclose(naive, expected, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(vectorized, naive, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.backend_neutral
def test_layer_matches_keras_with_activation_and_without_bias():
    x, kernel, _ = _data(1, (3, 7, 7, 2), (3, 3, 2, 5))
    ours = Conv2D(5, 3, padding="same", activation="relu", use_bias=False)
    theirs = keras.layers.Conv2D(5, 3, padding="same", activation="relu", use_bias=False)
    for layer in (ours, theirs):
        layer.build(x.shape)
        layer.set_weights([kernel])
    np.testing.assert_allclose(_numpy(ours(x)), _numpy(theirs(x)), rtol=1e-5, atol=1e-5)
    assert ours.count_params() == theirs.count_params() == 3 * 3 * 2 * 5


def test_im2col_rows_are_receptive_fields_in_kernel_order():
    x = np.random.default_rng(2).normal(size=(2, 5, 6, 3))
    cols, (oh, ow) = im2col(x, (2, 3), strides=(1, 2), padding="valid", dilation_rate=(2, 1))
    assert cols.shape == (2 * oh * ow, 2 * 3 * 3) and (oh, ow) == (3, 2)
    # row (n=1, i=2, j=1) is the field starting at pixel (2, 2), rows 2 and 4, columns 2..4
    np.testing.assert_array_equal(cols[1 * oh * ow + 2 * ow + 1], x[1, 2:5:2, 2:5, :].reshape(-1))


@pytest.mark.parametrize("size, k, s, d, padding, expected", [
    (32, 3, 1, 1, "same", 32), (32, 3, 2, 1, "same", 16), (7, 3, 2, 1, "valid", 3),
    (10, 3, 1, 2, "valid", 6), (5, 5, 1, 1, 2, 5), (224, 7, 2, 1, 3, 112),
])
def test_output_size_formula(size, k, s, d, padding, expected):
    assert conv_output_size(size, k, s, d, padding) == expected


@pytest.mark.backend_neutral
def test_one_by_one_convolution_is_a_dense_layer_on_every_pixel():
    x, kernel, bias = _data(3, (2, 5, 4, 6), (1, 1, 6, 3))
    conv = Conv2D(3, 1)
    conv.build(x.shape)
    conv.set_weights([kernel, bias])
    dense = keras.layers.Dense(3)
    dense.build((None, 6))
    dense.set_weights([kernel.reshape(6, 3), bias])
    per_pixel = _numpy(dense(x.reshape(-1, 6))).reshape(2, 5, 4, 3)
    np.testing.assert_allclose(_numpy(conv(x)), per_pixel, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv2d_naive(x, kernel, bias), per_pixel, rtol=1e-5, atol=1e-5)


@pytest.mark.backend_neutral
def test_config_round_trip_and_validation():
    layer = Conv2D(8, (3, 5), strides=2, padding=((1, 0), (2, 2)), dilation_rate=1, activation="relu",
                   kernel_regularizer=keras.regularizers.L2(0.01), name="conv")
    config = layer.get_config()
    restored = Conv2D.from_config(config)
    assert restored.get_config() == config
    assert restored.padding == ((1, 0), (2, 2)) and restored.kernel_size == (3, 5)
    with pytest.raises(ValueError, match="filters must be a positive integer"):
        Conv2D(0, 3)
    with pytest.raises(ValueError, match="padding must be"):
        Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="kernel_size must be"):
        Conv2D(2, (3, -1))
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv2d_naive(np.zeros((1, 2, 2, 1)), np.zeros((3, 3, 1, 1)))


@pytest.mark.backend_neutral
def test_model_with_conv2d_saves_and_loads(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((8, 8, 2)),
        Conv2D(4, 3, padding=1, strides=2, dilation_rate=1, activation="relu"),
        Conv2D(3, 2, padding="same", dilation_rate=2),
    ])
    x = np.random.default_rng(4).normal(size=(3, 8, 8, 2)).astype("float32")
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[0]) is Conv2D and loaded.layers[0].padding == ((1, 1), (1, 1))
    np.testing.assert_allclose(_numpy(loaded(x)), _numpy(model(x)), rtol=1e-6, atol=1e-6)


def test_conv2d_trains_like_keras_conv2d():
    """Same weights and data: gradients through our layer equal those through Keras'."""
    import tensorflow as tf

    x, kernel, bias = _data(5, (4, 6, 6, 2), (3, 3, 2, 3))
    grads = []
    for layer in (Conv2D(3, 3, strides=2, padding="same"), keras.layers.Conv2D(3, 3, strides=2, padding="same")):
        layer.build(x.shape)
        layer.set_weights([kernel, bias])
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(layer(x)))
        grads.append([g.numpy() for g in tape.gradient(loss, layer.trainable_weights)])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("strides, padding, dilation", [
    (1, "valid", 1), (2, "same", 1), (1, "same", 2), (3, 1, 1), (2, ((2, 0), (1, 3)), 2), ((2, 1), "valid", (1, 2)),
])
def test_conv2d_backward_matches_gradient_tape(strides, padding, dilation):
    """Gradients of L = sum(y * G) w.r.t. x, kernel and bias, against tf.GradientTape on the
    library layer (itself tied to keras.layers.Conv2D above)."""
    import tensorflow as tf

    from dlcourse.cnn import conv2d_backward

    x, kernel, bias = _data(6, (2, 8, 7, 3), (3, 2, 3, 4))
    layer = Conv2D(4, (3, 2), strides=strides, padding=padding, dilation_rate=dilation)
    layer.build(x.shape)
    layer.set_weights([kernel, bias])
    x_variable = tf.Variable(x)
    upstream = np.random.default_rng(7).normal(size=layer.compute_output_shape(x.shape)).astype("float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x_variable) * upstream)
    dx, dkernel, dbias = tape.gradient(loss, [x_variable, layer.kernel, layer.bias])
    ours = conv2d_backward(upstream, x, kernel, strides, padding, dilation)
    for got, expected in zip(ours, (dx, dkernel, dbias)):
        np.testing.assert_allclose(got, _numpy(expected), rtol=1e-4, atol=1e-4)


def test_conv2d_backward_matches_finite_differences():
    from dlcourse.cnn import conv2d_backward

    rng = np.random.default_rng(8)
    x, kernel, upstream = rng.normal(size=(1, 5, 5, 2)), rng.normal(size=(3, 3, 2, 2)), rng.normal(size=(1, 3, 3, 2))

    def loss(x_, k_):
        return float(np.sum(conv2d_naive(x_, k_, None, 2, "same", 1) * upstream))

    dx, dkernel, _ = conv2d_backward(upstream, x, kernel, 2, "same", 1)
    h = 1e-6
    for array, grad in ((x, dx), (kernel, dkernel)):
        for index in [tuple(i) for i in rng.integers(0, array.shape, size=(8, array.ndim))]:
            old = array[index]
            array[index] = old + h
            plus = loss(x, kernel)
            array[index] = old - h
            minus = loss(x, kernel)
            array[index] = old
            assert grad[index] == pytest.approx((plus - minus) / (2 * h), rel=1e-5, abs=1e-7)
