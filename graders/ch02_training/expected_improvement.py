"""Grader for ch02_training/expected_improvement."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("sklearn.gaussian_process", "dlcourse.training", "skopt", "GPy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "rbf_kernel": {"a": "(n, d)", "b": "(m, d)"},
    "gp_posterior": {"x_train": "(n, d)", "y_train": "(n,)", "x_query": "(m, d)"},
    "expected_improvement": {"mean": "any shape", "std": "any shape"},
}


def _forrester(x):
    """A standard 1-D test function of Bayesian optimization (Forrester et al., 2008)."""
    return (6 * x - 2) ** 2 * np.sin(12 * x - 4)


def _data(seed, n=6, m=7, d=1):
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, d))
    y = _forrester(x[:, 0]) if d == 1 else np.sin(3 * x).sum(axis=1)
    return x, y, rng.uniform(size=(m, d))


@check(points=1, visible=True)
def kernel_matrix(sub):
    """rbf_kernel of 4 and 3 points in 2-D, length_scale=0.5, variance=2."""
    rng = np.random.default_rng(0)
    a, b = rng.uniform(size=(4, 2)), rng.uniform(size=(3, 2))
    return {"k": sub.rbf_kernel(a, b, length_scale=0.5, variance=2.0)}


@check(points=1, visible=True, rtol=1e-4, atol=1e-6)
def posterior_1d(sub):
    """posterior mean and variance after 6 observations in 1-D (length_scale=0.2)."""
    x, y, xq = _data(1)
    mean, var = sub.gp_posterior(x, y, xq, length_scale=0.2)
    return {"mean": mean, "variance": var}


@check(points=1, rtol=1e-4, atol=1e-6)
def posterior_3d_noisy(sub):
    """posterior in 3-D with variance=1.5 and noise=0.01, queried at new and observed points."""
    x, y, xq = _data(2, n=10, m=5, d=3)
    xq = np.concatenate([xq, x[:3]])
    mean, var = sub.gp_posterior(x, y, xq, length_scale=0.7, variance=1.5, noise=0.01)
    return {"mean": mean, "variance": var}


def _same_ei(student, reference):
    """Compare EI values, with a hint for the two usual slips."""
    got, expected = np.asarray(student["ei"], float), reference["ei"]
    if got.shape != expected.shape:
        raise AssertionError(f"`ei` has shape {got.shape}, expected {expected.shape} (that of mean).")
    if np.any(got < 0):
        raise AssertionError("`ei` has negative entries; the expected improvement is never negative.")
    wrong = ~np.isclose(got, expected, rtol=1e-5, atol=1e-6)
    if wrong.any():
        raise AssertionError(
            f"`ei` differs from the expected values in {int(wrong.sum())} of {wrong.size} entries "
            f"(e.g. {got[wrong][0]:.6g} instead of {expected[wrong][0]:.6g}); EI is for minimization, "
            "with improvement best - mean - xi, and max(best - mean - xi, 0) where std = 0.")


@check(points=1, visible=True, compare=_same_ei)
def ei_values(sub):
    """expected improvement of 5 candidates over best=0.2, xi=0."""
    mean = np.array([0.0, 0.2, 0.5, -1.0, 1.0])
    std = np.array([1.0, 0.5, 0.1, 0.3, 2.0])
    return {"ei": sub.expected_improvement(mean, std, 0.2)}


@check(points=1, compare=_same_ei)
def ei_margin_and_zero_std(sub):
    """xi=0.05 and some candidates with std=0 (EI = max(best - mean - xi, 0) there)."""
    rng = np.random.default_rng(4)
    mean = rng.normal(size=8)
    std = np.abs(rng.normal(size=8))
    std[[1, 4, 6]] = 0.0
    mean[4] = -2.0
    return {"ei": sub.expected_improvement(mean, std, 0.1, xi=0.05)}


@check(points=1)
def next_trial(sub):
    """one Bayesian-optimization step on the Forrester function: EI on 201 candidates, its argmax."""
    x, y, _ = _data(5, n=5)
    candidates = np.linspace(0, 1, 201)[:, None]
    mean, var = sub.gp_posterior(x, y, candidates, length_scale=0.15, variance=np.var(y))
    ei = sub.expected_improvement(mean, np.sqrt(var), y.min(), xi=0.01)
    return {"ei": ei, "next_x": candidates[int(np.argmax(ei)), 0]}
