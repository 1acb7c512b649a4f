# %% [markdown]
"""Scaled dot-product attention (5 points)
Lecture: §3.3 Attention Mechanism

Attention compares a query with every key and averages the values with the resulting
weights. In the notes, query q^1 attends to the keys k^i and values v^i of all positions i:

    alpha_{1,i}     = q^1 . k^i / sqrt(d)              the scaled dot product
    alpha_hat_{1,i} = softmax over i of alpha_{1,i}
    b^1             = sum_i alpha_hat_{1,i} v^i         the output for position 1

where d is the size of a query (and key) vector and softmax(z)_i = exp(z_i) / sum_j exp(z_j).
Dividing by sqrt(d) keeps the scores from growing with d, which would push the softmax into
saturation. Every query does the same, so with the queries stored as the rows of Q (T of them,
q^t in row t), the keys and the values as the rows of K and V (S of each), all queries at once
are

    scores  = Q K^T / sqrt(d_k)                     shape (T, S): scores[t, i] = alpha_{t,i}
    A       = softmax(scores)                       softmax over the keys, row by row
    output  = A V                                   shape (T, d_v): row t is b^t

with d_k = d. Beyond the notes, we add an optional mask M (what causal attention and padding
need): A = softmax(scores + M), where M is 0 where query t may attend to key i and -infinity
where it may not, so that weight is exactly 0 and the other weights of the row still sum to 1.

Implement `scaled_dot_product_attention(q, k, v, mask=None)` with numpy only:

- q has shape (..., T, d_k), k (..., S, d_k), v (..., S, d_v), where "..." are any leading
  batch axes (none, or e.g. (batch,)), the same for q, k and v;
- mask is None or a boolean array that broadcasts to (..., T, S) (None: no masking), True where
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
