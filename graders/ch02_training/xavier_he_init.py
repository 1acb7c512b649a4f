"""Grader for ch02_training/xavier_he_init.

Random numbers differ between a correct submission and the reference, so the sampler checks
compare distributions: the range, mean and variance against the formulas, and the
Kolmogorov-Smirnov distance to the exact uniform / normal distribution, with tolerances of
several standard errors (samples of 10^4 or more values).
"""

import math

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.training", "keras", "tensorflow")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "fans": {},
    "xavier_uniform": {},
    "he_normal": {},
}

# Kolmogorov-Smirnov distance a correct sampler exceeds with probability about 1e-5.
_KS_CRITICAL = 2.5


def _fans(shape):
    if len(shape) == 1:
        return shape[0], shape[0]
    field = math.prod(shape[:-2])
    return shape[-2] * field, shape[-1] * field


def _as_sample(student, key, shape, function):
    if key not in student:
        raise AssertionError(f"{function}({shape}, rng) returned nothing.")
    w = np.asarray(student[key], dtype=float)
    if w.shape != tuple(shape):
        raise AssertionError(f"{function}({shape}, rng) returned an array of shape {w.shape}, expected {shape}.")
    if not np.all(np.isfinite(w)):
        raise AssertionError(f"{function}({shape}, rng) returned NaN or infinite values.")
    return w.ravel()


def _ks_distance(sample, cdf):
    x = np.sort(sample)
    n = x.size
    f = cdf(x)
    return max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))


def _check_xavier(w, shape):
    fan_in, fan_out = _fans(shape)
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    name = f"xavier_uniform({shape}, rng)"
    n = w.size
    if np.max(np.abs(w)) > limit * (1 + 1e-9):
        raise AssertionError(
            f"{name} returned values up to {np.max(np.abs(w)):.4g} in size, but with fan_in={fan_in}, "
            f"fan_out={fan_out} the limit is sqrt(6 / (fan_in + fan_out)) = {limit:.4g}."
        )
    if np.max(np.abs(w)) < 0.95 * limit:
        raise AssertionError(
            f"{name} never comes close to the limit sqrt(6 / (fan_in + fan_out)) = {limit:.4g} "
            f"(largest |w| = {np.max(np.abs(w)):.4g}): the values should fill [-limit, limit]."
        )
    if abs(w.mean()) > 5 * limit / math.sqrt(3 * n):
        raise AssertionError(f"{name} has mean {w.mean():.3g}; the weights should be centred on 0.")
    variance, expected = w.var(), 2.0 / (fan_in + fan_out)
    if abs(variance / expected - 1) > 0.05:
        raise AssertionError(
            f"{name} has variance {variance:.4g}, expected 2 / (fan_in + fan_out) = {expected:.4g}."
        )
    distance = _ks_distance(w, lambda x: np.clip((x + limit) / (2 * limit), 0, 1))
    if distance > _KS_CRITICAL / math.sqrt(n):
        raise AssertionError(
            f"{name} is not uniformly distributed on [-limit, limit] (Kolmogorov-Smirnov distance "
            f"{distance:.3g}, a uniform sample of this size stays below {_KS_CRITICAL / math.sqrt(n):.3g})."
        )


def _normal_cdf(x, sigma):
    return 0.5 * (1.0 + np.vectorize(math.erf)(x / (sigma * math.sqrt(2.0))))


def _check_he(w, shape):
    fan_in, _ = _fans(shape)
    sigma = math.sqrt(2.0 / fan_in)
    name = f"he_normal({shape}, rng)"
    n = w.size
    if abs(w.mean()) > 5 * sigma / math.sqrt(n):
        raise AssertionError(f"{name} has mean {w.mean():.3g}; the weights should be centred on 0.")
    variance, expected = w.var(), sigma**2
    if abs(variance / expected - 1) > 0.05:
        raise AssertionError(
            f"{name} has variance {variance:.4g}, expected 2 / fan_in = {expected:.4g} (fan_in = {fan_in})."
        )
    distance = _ks_distance(w, lambda x: _normal_cdf(x, sigma))
    if distance > _KS_CRITICAL / math.sqrt(n):
        raise AssertionError(
            f"{name} is not normally distributed (Kolmogorov-Smirnov distance {distance:.3g}, a "
            f"normal sample of this size stays below {_KS_CRITICAL / math.sqrt(n):.3g})."
        )


_DENSE_XAVIER = (200, 100)
_DENSE_HE = (400, 150)
_CONV_XAVIER = (3, 3, 64, 64)
_CONV_HE = (5, 5, 32, 64)


def _xavier_dense_ok(student, reference):
    _check_xavier(_as_sample(student, "w", _DENSE_XAVIER, "xavier_uniform"), _DENSE_XAVIER)


@check(points=2, visible=True, compare=_xavier_dense_ok)
def xavier_dense(sub):
    """xavier_uniform on a dense kernel of shape (200, 100): range, mean, variance, uniformity."""
    return {"w": sub.xavier_uniform(_DENSE_XAVIER, np.random.default_rng(0))}


def _he_dense_ok(student, reference):
    _check_he(_as_sample(student, "w", _DENSE_HE, "he_normal"), _DENSE_HE)


@check(points=2, compare=_he_dense_ok)
def he_dense(sub):
    """he_normal on a dense kernel: mean, variance 2 / fan_in, normal shape."""
    return {"w": sub.he_normal(_DENSE_HE, np.random.default_rng(11))}


_FAN_SHAPES = ((7,), (5, 3), (3, 16, 32), (3, 3, 16, 32), (2, 5, 5, 3, 8), (1, 1, 64, 128))


@check(points=1)
def fans_of_shapes(sub):
    """fans of a bias, a dense kernel, 1-D, 2-D, 3-D and 1x1 convolution kernels."""
    return {
        "fans_" + "x".join(map(str, shape)): np.array([int(v) for v in sub.fans(shape)])
        for shape in _FAN_SHAPES
    }


def _conv_ok(student, reference):
    _check_xavier(_as_sample(student, "xavier", _CONV_XAVIER, "xavier_uniform"), _CONV_XAVIER)
    _check_he(_as_sample(student, "he", _CONV_HE, "he_normal"), _CONV_HE)


@check(points=2, compare=_conv_ok)
def conv_kernels(sub):
    """both samplers on convolution kernels, whose fans include the receptive field."""
    return {
        "xavier": sub.xavier_uniform(_CONV_XAVIER, np.random.default_rng(3)),
        "he": sub.he_normal(_CONV_HE, np.random.default_rng(4)),
    }


def _reproducible(student, reference):
    for key in ("xavier", "he"):
        if key not in student or np.asarray(student[key]).shape != (20, 10):
            raise AssertionError(f"the {key} sampler did not return an array of shape (20, 10).")
        if np.any(student[key] != 0):
            raise AssertionError(
                f"two calls of the {key} sampler with generators seeded alike gave different "
                "weights: draw every random number from `rng` (rng.uniform, rng.normal), not np.random."
            )


@check(points=1, compare=_reproducible, requires=("xavier_dense", "he_dense"))
def draws_from_rng(sub):
    """the samplers draw from the given generator: equal seeds give equal weights."""
    results = {}
    for key, sampler in (("xavier", sub.xavier_uniform), ("he", sub.he_normal)):
        first = np.asarray(sampler((20, 10), np.random.default_rng(5)), dtype=float)
        second = np.asarray(sampler((20, 10), np.random.default_rng(5)), dtype=float)
        results[key] = first - second if first.shape == second.shape == (20, 10) else np.ones(1)
    return results
