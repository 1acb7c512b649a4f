"""Chapter 4 (CNN part) exercises: each solution agrees with its library twin in dlcourse.cnn
(whose own tests tie it to the Keras oracles) and, for the newer ones, with an oracle directly:
tf.image for the crops and flips, keras.layers.Conv2D and TensorFlow's FLOP profiler for the
1x1-reduction costs. Full marks for the solutions, none for the stubs, stated points and
FORBIDDEN are checked course-wide in test_release."""

import pathlib

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse import cnn
from dlcourse.grading.probe import load_module

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXERCISES = ["conv2d_naive", "conv2d_im2col", "pooling", "separable_convolution", "svm_hinge_loss",
             "softmax_classifier", "residual_block", "conv2d_backward", "random_crop_flip", "inception_reduction",
             "transfer_learning"]


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


@pytest.mark.parametrize("c_in, filters, strides, post_activation", [
    (4, 4, 1, False), (3, 5, 1, False), (4, 6, 2, False), (1, 1, 1, False), (4, 4, 1, True), (4, 6, 2, True),
])
def test_residual_block_agrees_with_library(c_in, filters, strides, post_activation):
    sol = _solution("residual_block")
    keras.utils.set_random_seed(0)
    x, = _normal(c_in + filters, (3, 7, 7, c_in))
    x = x.astype("float32")
    ours = sol.ResidualBlock(filters, strides=strides, post_activation=post_activation)
    ours.build(x.shape)
    library = cnn.ResidualBlock(filters, strides=strides, post_activation=post_activation)
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


def test_residual_block_default_is_the_notes_form():
    """Without post_activation the block is y = F(x) + x: a zero residual passes x, negatives included."""
    sol = _solution("residual_block")
    x, = _normal(3, (2, 5, 5, 3))
    x = x.astype("float32")
    block = sol.ResidualBlock(3)
    block.build(x.shape)
    for norm in (block.bn1, block.bn2):
        norm.set_weights([np.zeros(3), np.zeros(3), np.zeros(3), np.ones(3)])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(block(x, training=False)), x, rtol=1e-6)
    with pytest.raises(ValueError):
        sol.ResidualBlock(0)


# --- random_crop_flip: against tf.image on the drawn parameters, and the library's RandomCrop -----


def test_random_crop_is_tf_image_crop_to_bounding_box_at_the_drawn_offset():
    sol = _solution("random_crop_flip")
    image, = _normal(0, (9, 11, 3))
    rng = np.random.default_rng(1)
    for size in ((5, 7), (9, 11), (1, 4), (6, 1)):
        crop, (top, left) = sol.random_crop(image, size, rng)
        expected = tf.image.crop_to_bounding_box(image, top, left, *size).numpy()
        np.testing.assert_array_equal(crop, expected)
    with pytest.raises(ValueError):
        sol.random_crop(image, (10, 3), rng)


def test_random_flip_is_tf_image_flip_left_right_when_flipped():
    sol = _solution("random_crop_flip")
    image, = _normal(2, (4, 6, 2))
    rng = np.random.default_rng(3)
    flags = []
    for _ in range(400):
        out, flipped = sol.random_flip(image, rng)
        expected = tf.image.flip_left_right(image).numpy() if flipped else image
        np.testing.assert_array_equal(out, expected)
        flags.append(flipped)
    assert abs(np.mean(flags) - 0.5) < 5 * np.sqrt(0.25 / 400)


def test_random_crop_offsets_are_uniform_chi_square():
    scipy_stats = pytest.importorskip("scipy.stats")
    sol = _solution("random_crop_flip")
    image = np.zeros((6, 9, 1))
    rng = np.random.default_rng(4)
    offsets = np.array([sol.random_crop(image, (3, 5), rng)[1] for _ in range(4000)])
    counts = np.zeros((4, 5))
    np.add.at(counts, (offsets[:, 0], offsets[:, 1]), 1)
    assert counts.min() > 0
    assert scipy_stats.chisquare(counts.ravel()).pvalue > 1e-3


def test_augment_test_time_is_the_central_crop_of_tf_image():
    """training=False: tf.image.resize_with_crop_or_pad crops centrally, offsets (H - h) // 2, as the
    library's RandomCrop does at inference."""
    sol = _solution("random_crop_flip")
    images, = _normal(5, (4, 9, 8, 2))
    for size in ((4, 5), (6, 3), (9, 8)):
        expected = tf.image.resize_with_crop_or_pad(images, *size).numpy()
        np.testing.assert_array_equal(sol.augment(images, size, np.random.default_rng(6), training=False), expected)
        library = keras.ops.convert_to_numpy(cnn.RandomCrop(*size)(images.astype("float32")))
        np.testing.assert_allclose(library, expected, rtol=1e-6)


def test_augment_and_library_random_crop_place_windows_alike():
    """In training both draw every legal offset of their own image; the shares agree within sampling error."""
    sol = _solution("random_crop_flip")
    n, size = 600, (5, 6)
    images = np.random.default_rng(7).permutation(n * 7 * 8).reshape(n, 7, 8, 1).astype("float32")

    def offsets(batch):
        found = []
        for image, window in zip(images, batch):
            for top in range(3):
                for left in range(3):
                    patch = image[top : top + 5, left : left + 6]
                    if np.array_equal(window, patch) or np.array_equal(window, patch[:, ::-1]):
                        found.append(3 * top + left)
        assert len(found) == n, "every output is a window of its own image"
        return np.bincount(found, minlength=9) / n

    ours = offsets(sol.augment(images, size, np.random.default_rng(8), training=True))
    library = offsets(keras.ops.convert_to_numpy(cnn.RandomCrop(*size, seed=9)(images, training=True)))
    for shares in (ours, library):
        assert np.all(np.abs(shares - 1 / 9) < 5 * np.sqrt((1 / 9) * (8 / 9) / n))


# --- inception_reduction: keras count_params, Conv2D on shared weights, TensorFlow's FLOP profiler --


def _tf_flops(function, shape):
    """TensorFlow's profiler's float-operation count of `function` on one input of `shape`."""
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    concrete = tf.function(function).get_concrete_function(tf.TensorSpec(shape, tf.float32))
    graph = convert_variables_to_constants_v2(concrete).graph
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return tf.compat.v1.profiler.profile(graph=graph, run_meta=tf.compat.v1.RunMetadata(), cmd="op",
                                         options=options).total_float_ops


_COSTS = [  # height, width, k, c_in, c_reduce, c_out, use_bias
    (28, 28, 5, 192, 16, 32, True), (28, 28, 3, 192, 96, 128, True), (5, 9, 3, 7, 4, 11, False), (6, 4, 1, 3, 1, 2, True),
]


@pytest.mark.parametrize("height, width, k, c_in, c_reduce, c_out, use_bias", _COSTS)
def test_inception_costs_agree_with_keras_and_tensorflow(height, width, k, c_in, c_reduce, c_out, use_bias):
    sol = _solution("inception_reduction")
    direct = keras.Sequential([keras.Input((height, width, c_in)),
                               keras.layers.Conv2D(c_out, k, padding="same", use_bias=use_bias)])
    reduced = keras.Sequential([keras.Input((height, width, c_in)),
                                keras.layers.Conv2D(c_reduce, 1, use_bias=use_bias),
                                keras.layers.Conv2D(c_out, k, padding="same", use_bias=use_bias)])
    parameters, multiply_adds = sol.conv_cost(height, width, k, c_in, c_out, use_bias)
    reduced_parameters, reduced_multiply_adds = sol.reduced_conv_cost(height, width, k, c_in, c_reduce, c_out,
                                                                      use_bias)
    assert (parameters, reduced_parameters) == (direct.count_params(), reduced.count_params())
    # the multiply-adds against the formula H W k^2 C_in C_out written out here, and against
    # TensorFlow's profiler, which counts a multiply-add as two float operations
    assert multiply_adds == height * width * k**2 * c_in * c_out
    assert reduced_multiply_adds == height * width * (c_in * c_reduce + k**2 * c_reduce * c_out)
    kernel = tf.random.normal((k, k, c_in, c_out))
    kernels = tf.random.normal((1, 1, c_in, c_reduce)), tf.random.normal((k, k, c_reduce, c_out))
    shape = (1, height, width, c_in)
    assert _tf_flops(lambda x: tf.nn.conv2d(x, kernel, 1, "SAME"), shape) == 2 * multiply_adds
    assert _tf_flops(lambda x: tf.nn.conv2d(tf.nn.conv2d(x, kernels[0], 1, "SAME"), kernels[1], 1, "SAME"),
                     shape) == 2 * reduced_multiply_adds
    assert (parameters, multiply_adds) == cnn.conv2d_cost((height, width), k, c_in, c_out, None, use_bias)
    assert (reduced_parameters, reduced_multiply_adds) == cnn.conv2d_cost((height, width), k, c_in, c_out,
                                                                          c_reduce, use_bias)


def test_pointwise_conv_is_keras_conv2d_1x1_on_shared_weights():
    sol = _solution("inception_reduction")
    x, w, b = _normal(11, (2, 5, 4, 6), (6, 3), (3,))
    layer = keras.layers.Conv2D(3, 1)
    layer.build(x.shape)
    layer.set_weights([w[None, None].astype("float32"), b.astype("float32")])
    expected = keras.ops.convert_to_numpy(layer(x.astype("float32")))
    np.testing.assert_allclose(sol.pointwise_conv(x, w, b), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(sol.pointwise_conv(x, w, b), cnn.pointwise_conv2d(x, w, b), rtol=1e-12)
    # the notes' formula at one pixel: y_{i,j,k} = sum_c x_{i,j,c} w_{c,k} + b_k
    i, j = 3, 1
    np.testing.assert_allclose(sol.pointwise_conv(x, w, None)[0, i, j], [sum(x[0, i, j, c] * w[c, k] for c in range(6))
                                                                        for k in range(3)], rtol=1e-12)


# --- transfer_learning: against the library's transfer model -----------------------------------


def _pretrained_base(seed):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                             keras.layers.BatchNormalization(), keras.layers.GlobalAveragePooling2D(),
                             keras.layers.Dense(5)])


def test_transfer_learning_agrees_with_library():
    sol = _solution("transfer_learning")
    rng = np.random.default_rng(12)
    x, y = rng.normal(size=(40, 3)), rng.integers(0, 10, 40)
    for classes in ([3, 1], [9, 0, 4], [5]):
        for got, expected in zip(sol.select_classes(x, y, classes), cnn.select_classes(x, y, classes)):
            np.testing.assert_array_equal(got, expected)
    base = _pretrained_base(13)
    images = rng.uniform(size=(6, 8, 8, 1)).astype("float32")
    ours, library = sol.transfer_model(base, 3, seed=0), cnn.transfer_model(base, 3, seed=0)
    for model in (ours, library):
        assert len(model.trainable_weights) == 2 and model.layers[-1].units == 3
    assert ours.count_params() == library.count_params()
    ours.layers[-1].set_weights(library.layers[-1].get_weights())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(images)), keras.ops.convert_to_numpy(library(images)),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(sol.feature_extractor(base)(images)),
                               keras.ops.convert_to_numpy(cnn.feature_extractor(base)(images)), rtol=1e-6)
