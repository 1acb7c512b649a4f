# %% [markdown]
"""Multi-head self-attention (6 points)
Lecture: §3.3 Attention Mechanism; §5.3.1 Self-Attention and Encoder-Decoder Structure

The notes' self-attention projects each embedded position a^i to a query, a key and a value and
averages the values with softmax weights of scaled dot products:

    q^i = W^q a^i,    k^i = W^k a^i,    v^i = W^v a^i
    alpha_{t,i} = q^t . k^i / sqrt(d),   alpha_hat_{t,i} = softmax over i of alpha_{t,i}
    b^t = sum_i alpha_hat_{t,i} v^i

§5.3.1 gives every token several such attention blocks, *multi-head* self-attention, like the
channels of a convolution, so that each head can pick out a different relation. With H heads of
size d_k, head h has its own W^q_h, W^k_h, W^v_h and computes the b's above; the heads' outputs
are concatenated and an output projection W_o mixes them (the notes' figure; the equations are
Vaswani et al.'s). With the positions as the rows of X (shape (T, d_model)) and one matrix for
all heads,

    Q = X W_q,   K = X W_k,   V = X W_v          (T, H d_k): head h owns the features
                                                 h d_k, ..., (h + 1) d_k - 1 of each row
    Q_h, K_h, V_h = those features               (T, d_k)
    A_h    = softmax(Q_h K_h^T / sqrt(d_k))      (T, T), softmax over the keys (last axis)
    head_h = A_h V_h                             (T, d_k): row t is head h's b^t
    output = concat(head_1, ..., head_H) W_o     (T, d_model), the heads side by side in order

with d_k = d_model // H the notes' d (so H d_k = d_model), W_q, W_k, W_v and W_o all of shape
(d_model, d_model) (the notes' matrices transposed, since a row multiplies from the left), and
no biases. With H = 1 and W_o the identity this is the notes' single attention.

Implement with numpy only
`multi_head_self_attention(x, W_q, W_k, W_v, W_o, num_heads)` for x (batch, T, d_model)
(d_model a multiple of num_heads) -> the tuple (output, weights): output of shape
(batch, T, d_model) and the attention weights A of shape (batch, num_heads, T, T) (A[b, h] is
head h's A_h for sequence b). Use a numerically stable softmax (subtract each row's maximum
before exponentiating): scores in the hundreds must not give inf or NaN.

You may not use keras, tensorflow, torch, jax, scipy.special, dlcourse.sequence or dlcourse.nlp.
"""

# %%
import numpy as np


# %%
def multi_head_self_attention(x, W_q, W_k, W_v, W_o, num_heads):
    """Return (output (batch, T, d_model), weights (batch, num_heads, T, T))."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    batch, length, _ = x.shape

    def split_heads(m):  # (batch, T, H d_k) -> (batch, H, T, d_k)
        return m.reshape(batch, length, num_heads, -1).transpose(0, 2, 1, 3)

    q, k, v = split_heads(x @ W_q), split_heads(x @ W_k), split_heads(x @ W_v)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    heads = weights @ v
    concat = heads.transpose(0, 2, 1, 3).reshape(batch, length, -1)
    return concat @ W_o, weights
    ### END SOLUTION
