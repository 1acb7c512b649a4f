"""Grader for ch06_generative/optimal_discriminator."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "optimal_discriminator": {"p_data": "(n,)", "p_g": "(n,)"},
    "value_at_optimum": {"p_data": "(n,)", "p_g": "(n,)"},
    "jensen_shannon_divergence": {"p_data": "(n,)", "p_g": "(n,)"},
}


def _gaussian(x, mean, std):
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2.0 * np.pi))


def _all(sub, p_data, p_g, dx):
    return {"d_star": sub.optimal_discriminator(p_data, p_g),
            "value": sub.value_at_optimum(p_data, p_g, dx),
            "jsd": sub.jensen_shannon_divergence(p_data, p_g, dx)}


@check(points=1, visible=True)
def two_gaussians(sub):
    """D*, V(D*, G) and JSD for p_data = N(0, 1) and p_g = N(1, 1) on [-6, 7], dx = 0.05."""
    x = np.arange(-6.0, 7.0, 0.05)
    return _all(sub, _gaussian(x, 0.0, 1.0), _gaussian(x, 1.0, 1.0), 0.05)


@check(points=1)
def identical_densities(sub):
    """p_g = p_data (a Gaussian mixture): D* = 1/2, V = -log 4, JSD = 0."""
    x = np.arange(-5.0, 5.0, 0.1)
    p = 0.3 * _gaussian(x, -1.5, 0.5) + 0.7 * _gaussian(x, 1.0, 0.8)
    return _all(sub, p, p.copy(), 0.1)


@check(points=1)
def disjoint_supports_and_empty_points(sub):
    """uniform densities on [0, 1) and [2, 3) with empty points between: D* is 1, 0 or 1/2."""
    x = np.arange(-1.0, 4.0, 0.25)
    p_data = ((x >= 0.0) & (x < 1.0)).astype(float)
    p_g = ((x >= 2.0) & (x < 3.0)).astype(float)
    return _all(sub, p_data, p_g, 0.25)


@check(points=2)
def random_histograms(sub):
    """two random histograms of 30 bins of width 0.2, some bins empty in one or both."""
    rng = np.random.default_rng(12)
    p_data, p_g = rng.uniform(size=30), rng.uniform(size=30)
    p_data[[2, 7, 19]] = 0.0
    p_g[[7, 11, 25]] = 0.0
    p_data, p_g = p_data / (p_data.sum() * 0.2), p_g / (p_g.sum() * 0.2)
    return _all(sub, p_data, p_g, 0.2)
