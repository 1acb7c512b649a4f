# %% [markdown]
"""Causal self-attention (5 points)

In self-attention the queries, keys and values all come from the same sequence
x_1, ..., x_T through learned projections. With the sequence stored as rows, X of shape
(T, d_model):

    Q = X W_q,    K = X W_k,    V = X W_v
    A = softmax(Q K^T / sqrt(d_k) + M)          softmax over the keys, row by row
    output = A V

with W_q, W_k of shape (d_model, d_k) and W_v of shape (d_model, d_v). A model that predicts
the next token must not look ahead, so position t may attend only to the positions s <= t:
the causal mask M is 0 on and below the diagonal and -infinity above it,

    M[t, s] = 0 if s <= t, -infinity if s > t.

Implement with numpy only:

- `causal_mask(length)` -> a boolean array of shape (length, length), True where attention
  is allowed (s <= t), False above the diagonal;
- `causal_self_attention(x, W_q, W_k, W_v)` -> the tuple (output, weights) for x of shape
  (batch, T, d_model): output of shape (batch, T, d_v) and the attention weights A of shape
  (batch, T, T), which must be exactly 0 above the diagonal. Use a numerically stable softmax
  (subtract the row maximum before exponentiating).

You may not use keras, tensorflow, torch, jax, scipy.special or dlcourse.sequence.
"""

# %%
import numpy as np


# %%
def causal_mask(length):
    """Boolean (length, length) array, True where position t may attend to position s <= t."""
    ### BEGIN SOLUTION
    positions = np.arange(length)
    return positions[:, None] >= positions[None, :]
    ### END SOLUTION


def causal_self_attention(x, W_q, W_k, W_v):
    """Return (output (batch, T, d_v), weights (batch, T, T)) of causal self-attention."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    q, k, v = x @ W_q, x @ W_k, x @ W_v
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    scores = np.where(causal_mask(x.shape[1]), scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ v, weights
    ### END SOLUTION
