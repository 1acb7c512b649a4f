# %% [markdown]
"""Maximum mean discrepancy between real and generated samples (5 points)
Lecture: §6.2 Generative Adversarial Network(GAN)

The notes name the evaluation of a GAN's results as its main challenge: a generated sample has
no input to be compared with. Beyond the notes, one answer compares the two *sets* of samples.
With a kernel k, the squared maximum mean discrepancy between distributions P and Q is

    MMD^2(P, Q) = E[k(x, x')] + E[k(y, y')] - 2 E[k(x, y)],    x, x' ~ P,  y, y' ~ Q,

zero when P = Q (for the Gaussian kernel, only then). We use the Gaussian kernel of bandwidth
h > 0, k(x, y) = exp(-||x - y||^2 / (2 h^2)). On samples x_1..x_m of P and y_1..y_n of Q:

- the unbiased estimate leaves out the pairs of a sample with itself:

      1/(m(m-1)) sum_{i != i'} k(x_i, x_i') + 1/(n(n-1)) sum_{j != j'} k(y_j, y_j')
          - 2/(mn) sum_{i, j} k(x_i, y_j)

  (it needs m >= 2 and n >= 2, and may be slightly negative);
- the biased (V-statistic) estimate keeps them: 1/m^2 sum_{i, i'} k(x_i, x_i') +
  1/n^2 sum_{j, j'} k(y_j, y_j') - 2/(mn) sum_{i, j} k(x_i, y_j), never negative.

Implement with numpy only, x (m, D) and y (n, D):

- `gaussian_kernel(x, y, bandwidth)` -> (m, n): k(x_i, y_j);
- `mmd2(x, y, bandwidth, unbiased=True)` -> a float: the unbiased or the biased estimate. For
  the unbiased one, raise ValueError when m < 2 or n < 2.

You may not use dlcourse.generative, scipy (scipy.spatial.distance.cdist) or sklearn
(sklearn.metrics.pairwise.rbf_kernel).
"""

# %%
import numpy as np


# %%
def gaussian_kernel(x, y, bandwidth):
    """exp(-||x_i - y_j||^2 / (2 h^2)), shape (m, n)."""
    ### BEGIN SOLUTION
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    squared = np.sum((x[:, None, :] - y[None, :, :]) ** 2, axis=-1)
    return np.exp(-squared / (2.0 * bandwidth ** 2))
    ### END SOLUTION


# %%
def mmd2(x, y, bandwidth, unbiased=True):
    """The unbiased (or biased) estimate of MMD^2 with the Gaussian kernel, a float."""
    ### BEGIN SOLUTION
    m, n = len(x), len(y)
    k_xx, k_yy, k_xy = gaussian_kernel(x, x, bandwidth), gaussian_kernel(y, y, bandwidth), gaussian_kernel(x, y, bandwidth)
    if not unbiased:
        return float(k_xx.mean() + k_yy.mean() - 2.0 * k_xy.mean())
    if m < 2 or n < 2:
        raise ValueError(f"the unbiased MMD^2 needs at least 2 samples of each set, got {m} and {n}.")
    same_x = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    same_y = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(same_x + same_y - 2.0 * k_xy.mean())
    ### END SOLUTION
