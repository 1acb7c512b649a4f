"""Softmax classifier and multi-class SVM: gradients against central finite differences, the
vectorized forms against the naive loops, the softmax loss against
keras.losses.SparseCategoricalCrossentropy, the SVM loss against keras.losses.CategoricalHinge
where they coincide (two classes), and the Keras loss MulticlassHinge against the numpy one."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from dlcourse.cnn import (
    MulticlassHinge,
    multiclass_hinge,
    softmax,
    softmax_cross_entropy,
    softmax_loss,
    softmax_loss_naive,
    svm_loss,
    svm_loss_naive,
)


def _problem(seed, n=12, d=7, c=5, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(d, c)) * scale, rng.normal(size=(n, d)), rng.integers(0, c, n)


def _numerical_gradient(f, w, h=1e-6):
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        old = w[index]
        w[index] = old + h
        plus = f(w)
        w[index] = old - h
        minus = f(w)
        w[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


@pytest.mark.parametrize("loss_fn", [softmax_loss, svm_loss])
@pytest.mark.parametrize("seed, reg", [(0, 0.0), (1, 0.1), (2, 2.5)])
def test_gradient_matches_finite_differences(loss_fn, seed, reg):
    w, x, y = _problem(seed)
    _, analytic = loss_fn(w, x, y, reg)
    numeric = _numerical_gradient(lambda v: loss_fn(v, x, y, reg)[0], w.copy())
    # the hinge is not differentiable at a zero margin; random data keeps away from it
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("vectorized, naive", [(softmax_loss, softmax_loss_naive), (svm_loss, svm_loss_naive)])
def test_vectorized_equals_naive_loops(vectorized, naive):
    for seed, reg in ((3, 0.0), (4, 0.3)):
        w, x, y = _problem(seed, n=30, d=10, c=6)
        loss, grad = vectorized(w, x, y, reg)
        loss_naive, grad_naive = naive(w, x, y, reg)
        assert loss == pytest.approx(loss_naive, rel=1e-12)
        np.testing.assert_allclose(grad, grad_naive, rtol=1e-10, atol=1e-12)


def test_svm_margin_delta_and_naive_agree():
    w, x, y = _problem(5, c=4)
    for delta in (0.0, 1.0, 5.0):
        loss, grad = svm_loss(w, x, y, 0.2, delta)
        loss_naive, grad_naive = svm_loss_naive(w, x, y, 0.2, delta)
        assert loss == pytest.approx(loss_naive) and np.allclose(grad, grad_naive)
    # with all margins far negative only the penalty remains
    w = np.zeros((3, 3))
    w[0] = [100.0, 0.0, 0.0]
    loss, grad = svm_loss(w, np.ones((2, 3)), np.array([0, 0]), 0.01)
    assert loss == pytest.approx(0.01 * 100.0**2)
    np.testing.assert_allclose(grad, 2 * 0.01 * w)


def test_softmax_loss_matches_keras_crossentropy_plus_penalty():
    w, x, y = _problem(6, scale=3.0)
    expected = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, x @ w)) + 0.05 * np.sum(w**2)
    assert softmax_loss(w, x, y, 0.05)[0] == pytest.approx(expected, rel=1e-5)
    np.testing.assert_allclose(softmax(x @ w), keras.ops.convert_to_numpy(keras.ops.softmax(x @ w)), rtol=1e-6)


def test_softmax_is_stable_for_huge_scores():
    scores = np.array([[1000.0, 999.0, -1000.0], [-5000.0, -5000.0, -5000.0]])
    loss, grad = softmax_cross_entropy(scores, np.array([1, 2]))
    expected = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([1, 2]), scores))
    assert np.isfinite(loss) and loss == pytest.approx(expected, rel=1e-6)
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@pytest.mark.backend_neutral
def test_two_class_svm_equals_keras_categorical_hinge():
    """For two classes the sum over wrong classes has one term: Crammer-Singer = Weston-Watkins.
    (Keras takes max((1 - onehot) * s), which counts a 0 for the true class: positive scores.)"""
    rng = np.random.default_rng(7)
    scores, y = rng.uniform(0.01, 3.0, size=(20, 2)), rng.integers(0, 2, 20)
    expected = float(keras.losses.CategoricalHinge()(np.eye(2)[y], scores))
    assert multiclass_hinge(scores, y)[0] == pytest.approx(expected, rel=1e-5)


def test_keras_multiclass_hinge_matches_numpy_and_gradient_tape():
    rng = np.random.default_rng(8)
    scores, y = rng.normal(size=(10, 4)) * 2, rng.integers(0, 4, 10)
    onehot = np.eye(4)[y]
    loss = MulticlassHinge(delta=0.5)
    expected, expected_grad = multiclass_hinge(scores, y, 0.5)
    s = tf.Variable(scores)
    with tf.GradientTape() as tape:
        value = loss(onehot, s)
    assert float(value) == pytest.approx(expected, rel=1e-6)  # Keras losses compute in float32
    np.testing.assert_allclose(tape.gradient(value, s).numpy(), expected_grad, rtol=1e-5, atol=1e-7)
    per_sample = MulticlassHinge(0.5, reduction=None)(onehot, scores)
    assert keras.ops.convert_to_numpy(per_sample).shape == (10,)
    # Keras' CategoricalHinge keeps only the worst wrong class, so (for positive scores) it is smaller
    scores = np.abs(scores)
    assert float(keras.losses.CategoricalHinge()(onehot, scores)) <= float(MulticlassHinge()(onehot, scores))


@pytest.mark.backend_neutral
def test_multiclass_hinge_config_and_model_round_trip(tmp_path):
    loss = MulticlassHinge(2.0, name="svm")
    assert MulticlassHinge.from_config(loss.get_config()).get_config() == loss.get_config()
    with pytest.raises(ValueError, match="delta must be a non-negative number"):
        MulticlassHinge(-1.0)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile(optimizer="sgd", loss=MulticlassHinge(2.0))
    rng = np.random.default_rng(9)
    model.fit(rng.normal(size=(8, 4)), np.eye(3)[rng.integers(0, 3, 8)], epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.loss) is MulticlassHinge and loaded.loss.delta == 2.0


def test_bad_labels_are_one_clear_sentence():
    with pytest.raises(ValueError, match="y must hold integer class indices"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="x must have shape"):
        svm_loss(np.zeros((4, 3)), np.zeros((2, 5)), np.array([0, 1]))
