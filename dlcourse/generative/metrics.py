"""Measures of sample quality: MMD, mode coverage and a classifier-based score.

Lecture: §6.2 Generative Adversarial Network(GAN)

The notes name the main challenge of a GAN: evaluating what it generates, since a generated
sample has no input to be compared with. Beyond the notes, three answers that compare sets of
samples instead:

- the squared maximum mean discrepancy with a Gaussian kernel
  k(x, y) = exp(-||x - y||^2 / (2 h^2)),
  MMD^2 = E k(x, x') + E k(y, y') - 2 E k(x, y), zero only when the distributions agree;
- mode coverage, for data with known modes (the ring of Gaussians): how many modes receive
  generated samples, and what fraction of samples lands near some mode;
- a classifier score in the form of the Inception Score (Salimans et al., 2016) with a digits
  classifier the course trains itself (`train_digits_classifier`):
  exp( E_x KL( p(y|x) || p(y) ) ), between 1 and the number of classes K; it is high when
  each sample is confidently one class (sharp p(y|x)) and the classes are balanced (flat p(y)).
"""

from __future__ import annotations

import numpy as np

__all__ = ["gaussian_kernel", "median_bandwidth", "mmd2", "mode_coverage", "train_digits_classifier",
           "class_probabilities", "classifier_score"]


def _squared_distances(x, y):
    # ||x||^2 + ||y||^2 - 2 x.y: one matrix product instead of an (m, n, D) difference array.
    squared = np.sum(x ** 2, axis=1)[:, None] + np.sum(y ** 2, axis=1)[None, :] - 2.0 * x @ y.T
    return np.maximum(squared, 0.0)


def _points(name, x):
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        x = x.reshape(len(x), -1)
    if not len(x):
        raise ValueError(f"{name} must hold at least one sample, got shape {x.shape}.")
    return x


def gaussian_kernel(x, y, bandwidth):
    """k(x_i, y_j) = exp(-||x_i - y_j||^2 / (2 h^2)), (m, n).

    Args:
        x: (m, D) samples (images are flattened); y: (n, D).
        bandwidth: h > 0.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import gaussian_kernel
    >>> gaussian_kernel(np.zeros((1, 2)), np.array([[0.0, 0.0], [2.0, 0.0]]), 1.0).round(4).tolist()
    [[1.0, 0.1353]]
    """
    if not bandwidth > 0:
        raise ValueError(f"bandwidth must be a positive number, got {bandwidth!r}.")
    x, y = _points("x", x), _points("y", y)
    return np.exp(-_squared_distances(x, y) / (2.0 * bandwidth ** 2))


def median_bandwidth(x, y):
    """The median heuristic: h = the median distance between distinct points of x and y pooled.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import median_bandwidth
    >>> median_bandwidth(np.array([[0.0], [1.0]]), np.array([[3.0]]))
    2.0
    """
    pooled = np.concatenate([_points("x", x), _points("y", y)])
    distances = np.sqrt(_squared_distances(pooled, pooled))
    upper = distances[np.triu_indices(len(pooled), 1)]
    return float(np.median(upper)) if upper.size and np.median(upper) > 0 else 1.0


def mmd2(x, y, bandwidth=None, unbiased=True):
    """The squared MMD between samples x (m, D) and y (n, D) with a Gaussian kernel.

    The unbiased estimate leaves out the pairs of a sample with itself (and may be slightly
    negative); the biased one (`unbiased=False`) keeps them.

    Args:
        x: (m, D) samples of P; y: (n, D) samples of Q (images are flattened).
        bandwidth: h > 0, or None for `median_bandwidth(x, y)`.
        unbiased: which estimate (needs m, n >= 2).

    Returns:
        A float.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import mmd2
    >>> rng = np.random.default_rng(0)
    >>> same = mmd2(rng.normal(size=(200, 2)), rng.normal(size=(200, 2)), 1.0)
    >>> shifted = mmd2(rng.normal(size=(200, 2)), rng.normal(1.0, 1.0, size=(200, 2)), 1.0)
    >>> abs(same) < 0.02 < shifted
    True
    """
    x, y = _points("x", x), _points("y", y)
    m, n = len(x), len(y)
    if bandwidth is None:
        bandwidth = median_bandwidth(x, y)
    k_xx, k_yy, k_xy = gaussian_kernel(x, x, bandwidth), gaussian_kernel(y, y, bandwidth), gaussian_kernel(x, y, bandwidth)
    if not unbiased:
        return float(k_xx.mean() + k_yy.mean() - 2.0 * k_xy.mean())
    if m < 2 or n < 2:
        raise ValueError(f"the unbiased MMD^2 needs at least 2 samples in each set, got {m} and {n}; "
                         "pass more samples or unbiased=False.")
    same_x = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    same_y = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(same_x + same_y - 2.0 * k_xy.mean())


def mode_coverage(samples, centers, radius, min_count=1):
    """How many known modes the samples cover, and how many samples are near a mode.

    A sample belongs to its nearest centre if it lies within `radius` of it (else it is
    "off-mode"); a mode is covered when at least `min_count` samples belong to it.

    Args:
        samples: (N, D) generated samples.
        centers: (K, D) the modes' centres (e.g. `dlcourse.data.gaussian_ring_centers()`).
        radius: the distance that counts as "at" a mode (e.g. 3 standard deviations).
        min_count: samples a mode needs to count as covered.

    Returns:
        (covered, on_mode_fraction, counts): the number of covered modes, the fraction of
        samples within `radius` of a centre, and the samples per mode (K,) int.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import mode_coverage
    >>> centers = np.array([[0.0, 0.0], [5.0, 0.0]])
    >>> covered, fraction, counts = mode_coverage(np.array([[0.1, 0.0], [0.0, 0.2], [2.5, 0.0]]), centers, 0.5)
    >>> covered, round(fraction, 3), counts.tolist()
    (1, 0.667, [2, 0])
    """
    samples, centers = _points("samples", samples), _points("centers", centers)
    distances = np.sqrt(_squared_distances(samples, centers))
    nearest, near = distances.argmin(axis=1), distances.min(axis=1) <= radius
    counts = np.bincount(nearest[near], minlength=len(centers))
    return int(np.sum(counts >= min_count)), float(near.mean()), counts


def train_digits_classifier(epochs=15, seed=0):
    """The course's own digits classifier for `classifier_score`: `dlcourse.cnn.small_cnn` trained
    on `dlcourse.data.load_digits()` (80% split, Adam 2e-3, batch 32), about 95% test accuracy.

    Returns:
        (classifier, test_accuracy): a Keras model images (B, 8, 8, 1) in [0, 1] -> logits (B, 10).
    """
    import keras

    from dlcourse.cnn import small_cnn
    from dlcourse.data import load_digits

    (x, y), (x_test, y_test) = load_digits(test_size=0.2, seed=seed)
    keras.utils.set_random_seed(seed)
    model = small_cnn(filters=(16, 32), dropout=0.2, seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    accuracy = float(model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"])
    return model, accuracy


def class_probabilities(classifier, images, batch_size=256):
    """softmax of a classifier's logits on images, (N, K) numpy."""
    import keras

    logits = classifier.predict(np.asarray(images, dtype="float32"), batch_size=batch_size, verbose=0)
    return keras.ops.convert_to_numpy(keras.ops.softmax(logits, axis=-1)).astype(np.float64)


def classifier_score(probabilities):
    """exp( mean_x KL( p(y|x) || p(y) ) ) with p(y) the mean of p(y|x): in [1, K].

    Args:
        probabilities: (N, K) class probabilities p(y|x) of N samples.

    Example:

    >>> import numpy as np
    >>> from dlcourse.generative import classifier_score
    >>> round(classifier_score(np.eye(4)), 4), round(classifier_score(np.full((5, 4), 0.25)), 4)
    (4.0, 1.0)
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or not len(p):
        raise ValueError(f"probabilities must have shape (N, K) with N >= 1, got shape {p.shape}.")
    marginal = p.mean(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.where(p > 0, p * (np.log(p) - np.log(marginal)), 0.0).sum(axis=1)
    return float(np.exp(kl.mean()))
