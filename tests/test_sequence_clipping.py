"""Gradient clipping against tf.clip_by_value, tf.clip_by_norm, tf.clip_by_global_norm and the
Keras optimizers' clipvalue, clipnorm and global_clipnorm on shared gradients."""

import doctest

import keras
import numpy as np
import pytest
import tensorflow as tf

import dlcourse.sequence.clipping
from dlcourse.sequence import clip_by_global_norm, clip_by_norm, clip_by_value, global_norm


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _gradients(seed, scale):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=shape) * scale).astype("float32") for shape in [(3, 4), (4,), (2, 2, 3)]]


# scales below, around and above the clip thresholds used
CASES = [(0, 0.01), (1, 0.5), (2, 3.0), (3, 50.0)]


@pytest.mark.parametrize("seed, scale", CASES)
def test_clipping_matches_tensorflow(seed, scale):
    gradients = _gradients(seed, scale)
    for g in gradients:
        np.testing.assert_allclose(_numpy(clip_by_value(g, 0.7)), tf.clip_by_value(g, -0.7, 0.7).numpy())
        np.testing.assert_allclose(_numpy(clip_by_norm(g, 1.5)), tf.clip_by_norm(g, 1.5).numpy(), rtol=1e-6, atol=1e-7)
    clipped, norm = clip_by_global_norm(gradients, 2.0)
    expected, expected_norm = tf.clip_by_global_norm(gradients, 2.0)
    assert float(norm) == pytest.approx(float(expected_norm), rel=1e-6)
    assert float(global_norm(gradients)) == pytest.approx(float(tf.linalg.global_norm(gradients)), rel=1e-6)
    for a, b in zip(clipped, expected):
        np.testing.assert_allclose(_numpy(a), b.numpy(), rtol=1e-6, atol=1e-7)


def _step_with(optimizer, gradients):
    """The update -delta w of plain SGD with learning rate 1: the gradient after clipping."""
    variables = [keras.Variable(np.zeros_like(g)) for g in gradients]
    optimizer.apply([keras.ops.convert_to_tensor(g) for g in gradients], variables)
    return [-_numpy(v) for v in variables]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("seed, scale", CASES)
def test_clipping_matches_keras_optimizer_options(seed, scale):
    gradients = _gradients(seed, scale)
    options = [
        ({"clipvalue": 0.7}, [clip_by_value(g, 0.7) for g in gradients]),
        ({"clipnorm": 1.5}, [clip_by_norm(g, 1.5) for g in gradients]),
        ({"global_clipnorm": 2.0}, clip_by_global_norm(gradients, 2.0)[0]),
    ]
    for kwargs, ours in options:
        theirs = _step_with(keras.optimizers.SGD(learning_rate=1.0, **kwargs), gradients)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(_numpy(a), b, rtol=1e-6, atol=1e-7, err_msg=str(kwargs))


def test_global_clipping_keeps_the_direction_and_zero_stays_zero():
    gradients = _gradients(4, 10.0)
    clipped, norm = clip_by_global_norm(gradients, 1.0)
    assert float(global_norm(clipped)) == pytest.approx(1.0, rel=1e-6)
    ratios = np.concatenate([(_numpy(c) / g).ravel() for c, g in zip(clipped, gradients)])
    np.testing.assert_allclose(ratios, 1.0 / float(norm), rtol=1e-5)
    zero = np.zeros((2, 3), "float32")
    np.testing.assert_array_equal(_numpy(clip_by_norm(zero, 1.0)), zero)
    np.testing.assert_array_equal(_numpy(clip_by_global_norm([zero], 1.0)[0][0]), zero)


def test_integer_and_mixed_precision_gradients():
    np.testing.assert_allclose(_numpy(clip_by_norm([3, 4], 1.0)), [0.6, 0.8], rtol=1e-6)
    # integer gradients are clipped as floats (a fractional bound must not be truncated)
    clipped = clip_by_value(np.array([-3, 0, 2]), 1.5)
    assert "float" in keras.backend.standardize_dtype(clipped.dtype)
    np.testing.assert_allclose(_numpy(clipped), tf.clip_by_value([-3.0, 0.0, 2.0], -1.5, 1.5).numpy())
    np.testing.assert_allclose(_numpy(clip_by_value([-3, 0, 2], 1.0)), [-1.0, 0.0, 1.0])
    gradients = [np.array([3.0], "float32"), np.array([4.0], "float64")]
    clipped, norm = clip_by_global_norm(gradients, 1.0)
    assert float(norm) == pytest.approx(5.0)
    assert [keras.backend.standardize_dtype(c.dtype) for c in clipped] == ["float32", "float64"]


@pytest.mark.parametrize("call, message", [
    (lambda: clip_by_value([1.0], -1.0), "clip_value must be a positive number, got -1.0"),
    (lambda: clip_by_norm([1.0], 0), "max_norm must be a positive number, got 0"),
    (lambda: clip_by_global_norm([], 1.0), "gradients must be a non-empty list"),
])
def test_arguments_are_validated(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_docstring_examples():
    result = doctest.testmod(dlcourse.sequence.clipping, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_embedding_gradients_count_repeated_ids_once_summed():
    # TensorFlow gives an embedding's gradient as IndexedSlices with one row per occurrence of
    # an id; the norm is that of the dense gradient, rows summed per id (tf.convert_to_tensor
    # densifies them, the independent oracle here), not of the unsummed rows.
    embedding = keras.layers.Embedding(5, 3, embeddings_initializer="ones")
    ids = tf.constant([[1, 1, 1, 2]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(embedding(ids) * tf.constant([1.0, 2.0, 3.0]))
    gradient = tape.gradient(loss, embedding.embeddings)
    assert isinstance(gradient, tf.IndexedSlices)
    dense = tf.convert_to_tensor(gradient).numpy()
    clipped, norm = clip_by_global_norm([gradient], 1.0)
    np.testing.assert_allclose(float(norm), np.linalg.norm(dense), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(clipped[0]), dense / np.linalg.norm(dense), rtol=1e-6)
