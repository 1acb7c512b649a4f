"""dlcourse.generative's sample-quality measures: MMD against a direct O(n^2) double loop, mode
coverage on the ring, and the classifier score's bounds with the course's own digits classifier."""

import math

import numpy as np
import pytest

from dlcourse.data import gaussian_ring_centers, load_digits, make_gaussian_ring
from dlcourse.generative import (
    class_probabilities,
    classifier_score,
    gaussian_kernel,
    median_bandwidth,
    mmd2,
    mode_coverage,
    train_digits_classifier,
)


def _direct_mmd2(x, y, h, unbiased):
    """The definition, pair by pair."""
    k = lambda a, b: math.exp(-sum((ai - bi) ** 2 for ai, bi in zip(a, b)) / (2 * h * h))  # noqa: E731
    m, n = len(x), len(y)
    if unbiased:
        xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
        yy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    else:
        xx = sum(k(a, b) for a in x for b in x) / m ** 2
        yy = sum(k(a, b) for a in y for b in y) / n ** 2
    return xx + yy - 2 * sum(k(a, b) for a in x for b in y) / (m * n)


@pytest.mark.parametrize("unbiased", [True, False])
def test_mmd2_matches_the_direct_double_sum(unbiased):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(30, 3)), rng.normal(0.5, 1.2, size=(20, 3))
    for h in (0.5, 1.0, 3.0):
        np.testing.assert_allclose(mmd2(x, y, h, unbiased), _direct_mmd2(x.tolist(), y.tolist(), h, unbiased),
                                   rtol=1e-9, atol=1e-12)


def test_mmd2_separates_distributions_and_flattens_images():
    rng = np.random.default_rng(1)
    same = [mmd2(rng.normal(size=(100, 2)), rng.normal(size=(100, 2))) for _ in range(20)]
    assert abs(np.mean(same)) < 0.01  # unbiased: mean about 0
    assert mmd2(rng.normal(size=(100, 2)), rng.normal(1.0, 1.0, size=(100, 2))) > 0.1
    images = rng.uniform(size=(10, 8, 8, 1))
    np.testing.assert_allclose(mmd2(images, images[::-1], 2.0, unbiased=False), 0.0, atol=1e-12)
    np.testing.assert_allclose(gaussian_kernel(images[:2], images[:3], 2.0).shape, (2, 3))
    with pytest.raises(ValueError, match="at least 2 samples"):
        mmd2(images[:1], images)
    with pytest.raises(ValueError, match="bandwidth must be a positive number"):
        gaussian_kernel(images, images, 0.0)
    assert median_bandwidth(np.array([[0.0], [1.0]]), np.array([[3.0]])) == 2.0


def test_mode_coverage_counts_modes_and_on_mode_samples():
    centers = gaussian_ring_centers()
    x, mode = make_gaussian_ring(800, std=0.05, seed=0)
    covered, on_mode, counts = mode_coverage(x, centers, 0.25)
    assert covered == 8 and on_mode == 1.0 and counts.tolist() == [100] * 8
    collapsed = x[mode < 3]
    assert mode_coverage(collapsed, centers, 0.25)[0] == 3
    assert mode_coverage(np.zeros((5, 2)), centers, 0.25)[:2] == (0, 0.0)


def test_classifier_score_bounds_and_the_course_classifier():
    assert classifier_score(np.eye(10)) == pytest.approx(10.0)
    assert classifier_score(np.full((7, 10), 0.1)) == pytest.approx(1.0)
    assert classifier_score(np.tile(np.eye(10)[3], (5, 1))) == pytest.approx(1.0)  # one class only
    classifier, accuracy = train_digits_classifier(epochs=10, seed=0)
    assert accuracy > 0.9
    x, _ = load_digits()
    real = classifier_score(class_probabilities(classifier, x))
    noise = classifier_score(class_probabilities(classifier, np.random.default_rng(0).uniform(size=(500, 8, 8, 1))))
    assert real > 7.0 and noise < 3.0, (real, noise)
