"""Chapter 4 (CNN part) exercises: each solution agrees with its library twin in dlcourse.cnn
(whose own tests tie it to the Keras oracles), and each grader gives the solution full marks and
the released stub none. Stated points and FORBIDDEN are checked course-wide in test_release."""

import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse import cnn
from dlcourse.grading.probe import load_module

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXERCISES = ["conv2d_naive", "conv2d_im2col", "pooling", "separable_convolution", "svm_hinge_loss",
             "softmax_classifier", "residual_block", "conv2d_backward"]


def _solution(name):
    return load_module(str(ROOT / "solutions" / "ch04_cnn" / f"{name}.py"), f"ch04_{name}_solution")


def _normal(seed, *shapes):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=shape) for shape in shapes]


# --- each solution against its library twin -------------------------------------------------


@pytest.mark.parametrize("stride, padding", [(1, "valid"), (2, "valid"), (1, "same"), (2, "same"), (3, "same"),
                                             (1, 2), (2, 1)])
def test_conv2d_naive_agrees_with_library(stride, padding):
    sol = _solution("conv2d_naive")
    x, kernel, bias = _normal(stride * 10 + len(str(padding)), (2, 7, 6, 3), (3, 2, 3, 4), (4,))
    np.testing.assert_allclose(sol.conv2d_naive(x, kernel, bias, stride, padding),
                               cnn.conv2d_naive(x, kernel, bias, stride, padding), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("stride, padding, dilation", [(1, 0, 1), (2, 1, 1), (1, 2, 2), (2, 2, 3), (3, 0, 2)])
def test_conv2d_im2col_agrees_with_library(stride, padding, dilation):
    sol = _solution("conv2d_im2col")
    x, kernel, bias = _normal(stride + padding + dilation, (2, 9, 8, 3), (3, 2, 3, 4), (4,))
    cols, size = sol.im2col(x, 3, 2, stride, padding, dilation)
    expected_cols, expected_size = cnn.im2col(x, (3, 2), stride, padding, dilation)
    assert tuple(size) == expected_size
    np.testing.assert_array_equal(cols, expected_cols)
    np.testing.assert_allclose(sol.conv2d_im2col(x, kernel, bias, stride, padding, dilation),
                               cnn.conv2d_im2col(x, kernel, bias, stride, padding, dilation), rtol=1e-12)


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), (1, 2), (3, 1)])
def test_conv2d_backward_agrees_with_library(stride, padding):
    sol = _solution("conv2d_backward")
    x, kernel = _normal(stride * 7 + padding, (2, 8, 7, 3), (3, 2, 3, 4))
    dy, = _normal(1, cnn.conv2d_naive(x, kernel, None, stride, padding).shape)
    for got, expected in zip(sol.conv2d_backward(dy, x, kernel, stride, padding),
                             cnn.conv2d_backward(dy, x, kernel, stride, padding)):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("pool_size, stride", [(2, 2), (3, 2), (3, 1), (2, 3)])
def test_pooling_agrees_with_library(pool_size, stride):
    sol = _solution("pooling")
    x, = _normal(pool_size * stride, (2, 7, 8, 3))
    y = sol.max_pool_forward(x, pool_size, stride)
    np.testing.assert_array_equal(y, cnn.max_pool2d(x, pool_size, stride))
    dy, = _normal(5, y.shape)
    np.testing.assert_allclose(sol.max_pool_backward(dy, x, pool_size, stride),
                               cnn.max_pool2d_backward(dy, x, pool_size, stride), rtol=1e-12)
    np.testing.assert_allclose(sol.global_average_pool_forward(x), cnn.global_average_pool2d(x), rtol=1e-12)


def test_global_average_pool_backward_agrees_with_gradient_tape():
    sol = _solution("pooling")
    x, dy = _normal(6, (3, 5, 4, 2), (3, 2))
    variable = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(cnn.GlobalAveragePooling2D()(variable) * dy)
    np.testing.assert_allclose(sol.global_average_pool_backward(dy, x.shape), tape.gradient(loss, variable).numpy(),
                               rtol=1e-6)  # the Keras layer computes in float32


@pytest.mark.parametrize("stride, padding, multiplier", [(1, 0, 1), (2, 1, 2), (1, 2, 3)])
def test_separable_convolution_agrees_with_library(stride, padding, multiplier):
    sol = _solution("separable_convolution")
    x, dk, pk, bias = _normal(multiplier, (2, 7, 6, 3), (3, 2, 3, multiplier), (1, 1, 3 * multiplier, 5), (5,))
    np.testing.assert_allclose(sol.depthwise_conv2d(x, dk, stride, padding),
                               cnn.depthwise_conv2d(x, dk, None, stride, padding), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sol.separable_conv2d(x, dk, pk, bias, stride, padding),
                               cnn.separable_conv2d(x, dk, pk, bias, stride, padding), rtol=1e-12, atol=1e-12)
    for kh, kw, c_in, c_out, use_bias in ((3, 2, 3, 5, True), (5, 5, 16, 32, False)):
        assert sol.conv_param_count(kh, kw, c_in, c_out, use_bias) == \
            cnn.conv2d_param_count((kh, kw), c_in, c_out, use_bias)
        assert sol.separable_param_count(kh, kw, c_in, c_out, multiplier, use_bias) == \
            cnn.separable_conv2d_param_count((kh, kw), c_in, c_out, multiplier, use_bias)


def test_separable_solution_matches_keras_on_shared_weights():
    sol = _solution("separable_convolution")
    x, dk, pk, bias = _normal(9, (2, 6, 6, 2), (3, 3, 2, 2), (1, 1, 4, 3), (3,))
    layer = keras.layers.SeparableConv2D(3, 3, strides=2, depth_multiplier=2)
    layer.build(x.shape)
    layer.set_weights([dk, pk, bias])
    np.testing.assert_allclose(sol.separable_conv2d(x, dk, pk, bias, 2, 0),
                               keras.ops.convert_to_numpy(layer(x.astype("float32"))), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("reg, delta", [(0.0, 1.0), (0.3, 1.0), (0.1, 0.0), (1.0, 4.0)])
def test_svm_hinge_loss_agrees_with_library(reg, delta):
    sol = _solution("svm_hinge_loss")
    rng = np.random.default_rng(int(10 * reg + delta))
    W, X, y = rng.normal(size=(6, 4)), rng.normal(size=(25, 6)), rng.integers(0, 4, 25)
    loss, dW = sol.svm_loss(W, X, y, reg, delta)
    expected_loss, expected_dW = cnn.svm_loss_naive(W, X, y, reg, delta)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(dW, expected_dW, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reg, scale", [(0.0, 1.0), (0.5, 1.0), (0.0, 300.0)])
def test_softmax_classifier_agrees_with_library(reg, scale):
    sol = _solution("softmax_classifier")
    rng = np.random.default_rng(int(reg * 10 + scale))
    W, X, y = rng.normal(size=(6, 5)) * scale, rng.normal(size=(20, 6)), rng.integers(0, 5, 20)
    loss, dW = sol.softmax_loss(W, X, y, reg)
    expected_loss, expected_dW = cnn.softmax_loss(W, X, y, reg)
    assert np.isfinite(loss) and loss == pytest.approx(expected_loss, rel=1e-10)
    np.testing.assert_allclose(dW, expected_dW, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(sol.softmax(X @ W), cnn.softmax(X @ W), rtol=1e-10, atol=1e-300)
    np.testing.assert_array_equal(sol.predict(W, X), np.argmax(X @ W, axis=1))


@pytest.mark.parametrize("c_in, filters, strides", [(4, 4, 1), (3, 5, 1), (4, 6, 2)])
def test_residual_block_agrees_with_library(c_in, filters, strides):
    sol = _solution("residual_block")
    keras.utils.set_random_seed(0)
    x, = _normal(c_in + filters, (3, 7, 7, c_in))
    x = x.astype("float32")
    ours = sol.ResidualBlock(filters, strides=strides)
    ours.build(x.shape)
    library = cnn.ResidualBlock(filters, strides=strides)
    library.build(x.shape)
    names = ("conv1", "bn1", "conv2", "bn2", "shortcut_conv", "shortcut_bn")
    assert [getattr(ours, n) is None for n in names] == [getattr(library, n) is None for n in names]
    rng = np.random.default_rng(1)
    for name in names:
        if getattr(library, name) is not None:
            shapes = [w.shape for w in getattr(library, name).get_weights()]
            weights = [rng.uniform(0.5, 1.5, size=shape).astype("float32") for shape in shapes]
            getattr(library, name).set_weights(weights)
            getattr(ours, name).set_weights(weights)
    for training in (True, False):  # the training call moves both blocks' statistics alike
        np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(x, training=training)),
                                   keras.ops.convert_to_numpy(library(x, training=training)), rtol=1e-4, atol=1e-4)
