# %% [markdown]
"""Scaled dot-product attention (5 points)

Attention compares every query with every key and averages the values with the resulting
weights. For queries Q (T of them), keys K and values V (S of each), the lecture's scaled
dot-product attention is

    scores  = Q K^T / sqrt(d_k)                     shape (T, S)
    A       = softmax(scores + M)                   softmax over the keys, row by row
    output  = A V                                   shape (T, d_v)

where d_k is the size of a query (and key) vector and softmax(z)_s = exp(z_s) / sum_r exp(z_r).
M is the mask: 0 where query t may attend to key s, and -infinity where it may not (so that
weight is 0). Dividing by sqrt(d_k) keeps the scores from growing with d_k, which would push
the softmax into saturation.

Implement `scaled_dot_product_attention(q, k, v, mask=None)` with numpy only:

- q has shape (..., T, d_k), k (..., S, d_k), v (..., S, d_v), where "..." are any leading
  batch axes (none, or e.g. (batch,)), the same for q, k and v;
- mask is None (no masking) or a boolean array that broadcasts to (..., T, S), True where
  attention is allowed. Every query row of the tests has at least one allowed key;
- return the tuple (output, weights): output of shape (..., T, d_v) and the attention weights
  A of shape (..., T, S).

The softmax must be numerically stable: scores of several hundred must not give inf or NaN
(subtract the row maximum before exponentiating; it does not change the softmax).

You may not use keras, tensorflow, torch, jax, scipy.special or dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def scaled_dot_product_attention(q, k, v, mask=None):
    """Return (softmax(q k^T / sqrt(d_k) + M) v, the attention weights)."""
    # YOUR CODE HERE
    raise NotImplementedError()
