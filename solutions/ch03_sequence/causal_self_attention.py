# %% [markdown]
"""Causal self-attention (5 points)
Lecture: §3.3 Attention Mechanism

In self-attention the queries, keys and values all come from the same sequence. The notes
first embed each input with its position, a^i = W x^i, and then, for every position i,

    q^i = W^q a^i,    k^i = W^k a^i,    v^i = W^v a^i
    alpha_{t,i} = q^t . k^i / sqrt(d),   alpha_hat_{t,i} = softmax over i of alpha_{t,i}
    b^t = sum_i alpha_hat_{t,i} v^i

Here the embedding is done already: the rows of x are the a^i. With the sequence stored as
rows, X of shape (T, d_model), all positions at once read

    Q = X W_q,    K = X W_k,    V = X W_v
    A = softmax(Q K^T / sqrt(d_k) + M)          softmax over the keys, row by row
    output = A V                                 row t is b^t

with W_q, W_k of shape (d_model, d_k) and W_v of shape (d_model, d_v) (the notes' W^q, W^k,
W^v transposed, since a row multiplies a matrix from the left) and d_k the notes' d.
Beyond the notes, the mask M is ours: a model that predicts the next token must not look
ahead, so position t may attend only to the positions s <= t. The causal mask M is 0 on and
below the diagonal and -infinity above it,

    M[t, s] = 0 if s <= t, -infinity if s > t.

Without M (M = 0) this is exactly the notes' self-attention.

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
