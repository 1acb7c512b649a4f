"""Seeded toy data sets of chapters 1 and 2, generated with numpy (nothing to download).

- `make_xor`: the XOR problem, which no single perceptron solves
- `make_linearly_separable`: two classes with a guaranteed margin (perceptron convergence)
- `make_two_moons`: two interleaved half circles, separable only by a non-linear boundary
- `make_regression`: a noisy 1-D curve, by default sin(2 pi x) (curve fitting, overfitting)
- `make_gaussian_ring`, `gaussian_ring_centers`: a ring of Gaussian modes (chapter 6: does a
  GAN cover every mode?)

Inputs are float32 arrays of shape (n_samples, n_features), class labels int64 of shape
(n_samples,), regression targets float32 of shape (n_samples, 1).
"""

import math

import numpy as np

from dlcourse.arguments import int_at_least, positive_int


def _check_noise(noise):
    if not isinstance(noise, (int, float)) or not math.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0 (the standard deviation of the Gaussian "
                         f"noise), got {noise!r}.")


def make_xor(n_samples=200, noise=0.1, seed=0):
    """The XOR problem: the corners of the unit square, labelled x1 XOR x2.

    Sample i sits at corner i mod 4 of (0, 0), (0, 1), (1, 0), (1, 1), with label
    y = x1 XOR x2 (0, 1, 1, 0), plus Gaussian noise of standard deviation `noise`. No line
    separates the classes, so a single perceptron fails and one hidden layer succeeds.

    Args:
        n_samples: number of points; the first four are the four corners in truth-table order.
        noise: standard deviation of the noise added to the inputs (0 gives the truth table).
        seed: seed of the numpy generator.

    Returns:
        (x, y): x float32 of shape (n_samples, 2), y int64 of shape (n_samples,).

    Example:

    >>> from dlcourse.data import make_xor
    >>> x, y = make_xor(4, noise=0.0)
    >>> x.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    int_at_least("n_samples", n_samples, 1)
    _check_noise(noise)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    which = np.arange(n_samples) % 4
    x = corners[which] + noise * np.random.default_rng(seed).normal(size=(n_samples, 2))
    y = (corners[which, 0] != corners[which, 1]).astype(np.int64)
    return x.astype(np.float32), y


def make_linearly_separable(n_samples=100, n_features=2, margin=0.2, seed=0):
    """Two classes separated by a random hyperplane with a gap of at least `margin`.

    A unit normal w is drawn at random; points are drawn uniformly from [-1, 1]^d and each is
    pushed margin / 2 further from the plane w . x = 0, on its own side; y = 1 where w . x > 0.
    The perceptron convergence theorem then bounds its number of mistakes by (R / gamma)^2 with
    gamma >= margin / 2.

    Args:
        n_samples: number of points.
        n_features: dimension d of the inputs.
        margin: the smallest distance between the two classes along w, >= 0.
        seed: seed of the numpy generator.

    Returns:
        (x, y): x float32 of shape (n_samples, n_features), y int64 of shape (n_samples,).

    Example:

    >>> from dlcourse.data import make_linearly_separable
    >>> x, y = make_linearly_separable(50, margin=0.3, seed=1)
    >>> x.shape, sorted(set(y.tolist()))
    ((50, 2), [0, 1])
    """
    int_at_least("n_samples", n_samples, 1)
    positive_int("n_features", n_features)
    if not isinstance(margin, (int, float)) or not margin >= 0:
        raise ValueError(f"margin must be a number >= 0, got {margin!r}.")
    rng = np.random.default_rng(seed)
    w = rng.normal(size=n_features)
    w /= np.linalg.norm(w)
    x = rng.uniform(-1.0, 1.0, size=(n_samples, n_features))
    side = np.where(x @ w >= 0, 1.0, -1.0)
    x += (side * margin / 2)[:, None] * w
    return x.astype(np.float32), (side > 0).astype(np.int64)


def make_two_moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles (the "moons" of scikit-learn), a non-linear problem.

    Class 0 lies on the upper half of the unit circle, (cos t, sin t), class 1 on the lower
    half circle (1 - cos t, 1/2 - sin t), with t uniform in [0, pi] and Gaussian noise of
    standard deviation `noise` added to both coordinates. Classes alternate, so any prefix is
    balanced.

    Args:
        n_samples: number of points.
        noise: standard deviation of the noise.
        seed: seed of the numpy generator.

    Returns:
        (x, y): x float32 of shape (n_samples, 2), y int64 of shape (n_samples,).

    Example:

    >>> from dlcourse.data import make_two_moons
    >>> x, y = make_two_moons(6, noise=0.0)
    >>> y.tolist()
    [0, 1, 0, 1, 0, 1]
    """
    int_at_least("n_samples", n_samples, 1)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    y = np.arange(n_samples) % 2
    t = rng.uniform(0.0, np.pi, size=n_samples)
    x = np.where(
        (y == 0)[:, None],
        np.stack([np.cos(t), np.sin(t)], axis=1),
        np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1),
    )
    x += noise * rng.normal(size=x.shape)
    return x.astype(np.float32), y.astype(np.int64)


_CURVES = {
    "sin": lambda x: np.sin(2.0 * np.pi * x),
    "linear": lambda x: 2.0 * x - 1.0,
}


def make_regression(n_samples=100, noise=0.1, function="sin", seed=0):
    """A noisy 1-D regression problem: y = f(x) + noise * epsilon, x uniform in [0, 1].

    The default f(x) = sin(2 pi x) is Bishop's curve-fitting example: a handful of samples
    and a flexible model show overfitting, more data or weight decay cure it.
    "linear" is f(x) = 2 x - 1; a callable f(x) on numpy arrays is used as given.
    epsilon is standard normal.

    Args:
        n_samples: number of points.
        noise: standard deviation of the noise on y.
        function: "sin", "linear" or a callable.
        seed: seed of the numpy generator.

    Returns:
        (x, y): float32 arrays of shape (n_samples, 1) each.

    Example:

    >>> import numpy as np
    >>> from dlcourse.data import make_regression
    >>> x, y = make_regression(20, noise=0.0)
    >>> bool(np.allclose(y, np.sin(2 * np.pi * x), atol=1e-6))
    True
    """
    int_at_least("n_samples", n_samples, 1)
    _check_noise(noise)
    if callable(function):
        curve = function
    elif function in _CURVES:
        curve = _CURVES[function]
    else:
        raise ValueError(f"function must be one of {sorted(_CURVES)} or a callable f(x), "
                         f"got {function!r}.")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(n_samples, 1))
    y = curve(x) + noise * rng.normal(size=(n_samples, 1))
    return x.astype(np.float32), np.asarray(y, dtype=np.float32)


def gaussian_ring_centers(num_modes=8, radius=2.0):
    """The centres of `make_gaussian_ring`'s modes, evenly spaced on a circle.

    Args:
        num_modes: number of modes, >= 1.
        radius: radius of the circle.

    Returns:
        float32 array (num_modes, 2): centre k is radius (cos(2 pi k / K), sin(2 pi k / K)).

    Example:

    >>> from dlcourse.data import gaussian_ring_centers
    >>> gaussian_ring_centers(4, 1.0).round(6).tolist()
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [-0.0, -1.0]]
    """
    positive_int("num_modes", num_modes)
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def make_gaussian_ring(n_samples=1000, num_modes=8, radius=2.0, std=0.05, seed=0):
    """A mixture of `num_modes` equal Gaussians on a circle: the classic test of mode collapse.

    Sample i comes from mode i mod K (so every prefix is balanced), centred on
    `gaussian_ring_centers(K, radius)`, with isotropic noise of standard deviation `std`. A
    generator that collapses onto a few modes is easy to see and to count (chapter 6's GAN).

    Args:
        n_samples: number of points.
        num_modes: number of modes K, >= 1.
        radius: radius of the circle of centres.
        std: standard deviation of each mode, >= 0.
        seed: seed of the numpy generator.

    Returns:
        (x, mode): x float32 of shape (n_samples, 2), mode int64 of shape (n_samples,).

    Example:

    >>> from dlcourse.data import make_gaussian_ring
    >>> x, mode = make_gaussian_ring(16, std=0.0)
    >>> x.shape, mode[:9].tolist()
    ((16, 2), [0, 1, 2, 3, 4, 5, 6, 7, 0])
    """
    int_at_least("n_samples", n_samples, 1)
    _check_noise(std)
    mode = np.arange(n_samples) % num_modes
    x = gaussian_ring_centers(num_modes, radius)[mode] + std * np.random.default_rng(seed).normal(size=(n_samples, 2))
    return x.astype(np.float32), mode.astype(np.int64)
