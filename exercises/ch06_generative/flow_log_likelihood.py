# %% [markdown]
"""A flow's exact log-likelihood by the change of variables (6 points)
Lecture: §6 Generative Model; §6.3 Flow-based Deep Generative Models

The notes build a flow-based model from a sequence of invertible transformations, and the
chapter's goal is P_model(x) close to P_data(x). Beyond the notes: an invertible, differentiable
z = f(x) with a simple base density p(z) gives x the exact density (the change of variables)

    log p(x) = log p(z) + log |det dz/dx|,    z = f(x).

For a sequence z_0 = x, z_k = f_k(z_(k-1)) (k = 1..K), the chain rule multiplies the Jacobians,
so their log-determinants add:

    log p(x) = log p(z_K) + sum_k log |det dz_k/dz_(k-1)|.

Here each f_k is an invertible affine map of a row vector, f_k(h) = h W_k + b_k, whose Jacobian
log-determinant is log |det W_k| (the same for every x), and the base is the standard normal,

    log p(z) = -1/2 sum_d z_d^2 - (D / 2) log(2 pi).

Sampling runs the flow backwards: z_K ~ N(0, I), then h_(k-1) = (h_k - b_k) W_k^(-1) for
k = K..1, and x = h_0.

Implement with numpy only. The flow comes as `weights` (K, D, D), invertible matrices W_k, and
`biases` (K, D); K = 0 (no layers, x = z) is allowed.

- `standard_normal_log_prob(z)` -> (N,): log p(z) per row of z (N, D);
- `flow_log_likelihood(x, weights, biases)` -> (N,): log p(x) per row of x (N, D);
- `flow_sample(weights, biases, num_samples, rng)` -> (num_samples, D): draw the base samples
  with one call `rng.standard_normal((num_samples, D))` of the given `numpy.random.Generator`,
  then invert the layers.

You may not use dlcourse.generative, keras, tensorflow or scipy (scipy.stats has
multivariate_normal).
"""

# %%
import numpy as np


# %%
def standard_normal_log_prob(z):
    """log N(z; 0, I) per row, shape (N,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def flow_log_likelihood(x, weights, biases):
    """log p(x) = log p(z_K) + sum_k log|det W_k| with z_k = z_(k-1) W_k + b_k; shape (N,)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def flow_sample(weights, biases, num_samples, rng):
    """x from z ~ N(0, I) by h_(k-1) = (h_k - b_k) W_k^(-1), k = K..1; shape (num_samples, D)."""
    # YOUR CODE HERE
    raise NotImplementedError()
