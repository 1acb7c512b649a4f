# %% [markdown]
"""Gaussian-process posterior and expected improvement (6 points)
Lecture: §2.5 Hyperparameter Tuning

The notes' Bayesian optimization models the objective (e.g. the validation error) as a
probabilistic function of the hyperparameters and picks the next hyperparameters by maximizing
the expected improvement. The notes do not say which model or how; beyond the notes, the
standard choice (Rasmussen and Williams, 2006; Jones et al., 1998) is the following.

The validation loss f(x) of hyperparameters x (scaled to [0, 1]) is modelled by a zero-mean
Gaussian process with the RBF kernel

    k(x, x') = variance * exp( -||x - x'||^2 / (2 * length_scale^2) )

After observing losses y (shape (n,)) at points X (shape (n, d)), the posterior at m query
points X* (shape (m, d)) is Gaussian with

    K  = k(X, X) + noise * I          (n, n)
    K* = k(X, X*)                      (n, m)
    mean(X*)     = K*^T K^-1 y                                   (m,)
    variance(X*) = diag(k(X*, X*)) - diag(K*^T K^-1 K*)          (m,)

(solve with K instead of inverting it: a Cholesky factor L L^T = K is the stable way). The
next trial maximizes the expected improvement over the best (lowest) loss so far, y_best:

    z  = (y_best - mean - xi) / std
    EI = (y_best - mean - xi) * Phi(z) + std * phi(z)      where std > 0
    EI = max(y_best - mean - xi, 0)                        where std = 0

with Phi(z) = (1 + erf(z / sqrt(2))) / 2 the standard normal CDF (math.erf) and
phi(z) = exp(-z^2 / 2) / sqrt(2 pi) its density.

Implement, with numpy (and math):
- `rbf_kernel(a, b, length_scale=1.0, variance=1.0)`: a (n, d), b (m, d) -> (n, m).
- `gp_posterior(x_train, y_train, x_query, length_scale=1.0, variance=1.0, noise=1e-6)`:
  x_train (n, d) is X, y_train (n,) is y and x_query (m, d) is X*; returns (mean, variance),
  each of shape (m,); clip the variance at 0.
- `expected_improvement(mean, std, best, xi=0.0)`: mean and std arrays of one shape (any shape),
  returns EI of that shape (never negative).

You may not use sklearn.gaussian_process, dlcourse.training, skopt (scikit-optimize) or GPy.
"""

# %%
import math

import numpy as np


# %%
def rbf_kernel(a, b, length_scale=1.0, variance=1.0):
    """k(a_i, b_j) for all pairs, shape (n, m)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def gp_posterior(x_train, y_train, x_query, length_scale=1.0, variance=1.0, noise=1e-6):
    """Posterior (mean, variance) at x_query, each of shape (m,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def expected_improvement(mean, std, best, xi=0.0):
    """EI of each candidate (same shape as mean), for minimization."""
    # YOUR CODE HERE
    raise NotImplementedError()
