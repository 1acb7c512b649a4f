# %% [markdown]
"""Cross-attention: the decoder queries the encoder's memory (5 points)
Lecture: §5.3.1 Self-Attention and Encoder-Decoder Structure

In the notes' Transformer, the decoder block computes *cross-attention*: its queries come from
the decoder, its keys and values from the encoder's output, which serves as a memory. Every
target position asks (queries) every source position directly, instead of through one
compressed middle state. For
the decoder's states Y (T positions, d_dec features) and the encoder's output Z (S positions,
d_enc features), with H heads of size d_k,

    Q = Y W_q   (T, H d_k)         queries from the decoder
    K = Z W_k   (S, H d_k)         keys from the encoder
    V = Z W_v   (S, H d_k)         values from the encoder
    head h uses features h d_k, ..., (h + 1) d_k - 1 of Q, K and V:
    A_h    = softmax(Q_h K_h^T / sqrt(d_k) + M)     (T, S): row t, softmax over the S source positions
    head_h = A_h V_h                                (T, d_k)
    output = concat(head_1, ..., head_H) W_o        (T, d_dec)

with d_attn = H d_k, W_q of shape (d_dec, d_attn), W_k (d_enc, d_attn), W_v (d_enc, d_attn),
W_o (d_attn, d_dec), and no biases
(the scaled dot product is the notes' alpha = q . k / sqrt(d)). The source sentences of a batch
are padded, so M (ours, beyond the notes) hides the pad source positions: M[t, s] = -infinity
where source position s is padding, 0 elsewhere, for every query t. There is no causal mask here:
every target position may look at the whole source. T and S differ in general, and so may d_dec
and d_enc.

Implement with numpy only
`cross_attention(y, z, W_q, W_k, W_v, W_o, num_heads, source_padding=None)` for y (batch, T,
d_dec) and z (batch, S, d_enc) -> the tuple (output, weights): output of shape (batch, T, d_dec)
and weights of shape (batch, num_heads, T, S). source_padding is None or a boolean
(batch, S), True at real source tokens (the first source token is always real). Use a
numerically stable softmax (subtract each row's maximum).

You may not use keras, keras_hub, tensorflow, torch, jax, scipy.special, dlcourse.sequence or dlcourse.nlp.
"""

# %%
import numpy as np


# %%
def cross_attention(y, z, W_q, W_k, W_v, W_o, num_heads, source_padding=None):
    """Return (output (batch, T, d_dec), weights (batch, num_heads, T, S))."""
    ### BEGIN SOLUTION
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)

    def split_heads(m):  # (batch, L, H d_k) -> (batch, H, L, d_k)
        return m.reshape(m.shape[0], m.shape[1], num_heads, -1).transpose(0, 2, 1, 3)

    q, k, v = split_heads(y @ W_q), split_heads(z @ W_k), split_heads(z @ W_v)
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
    if source_padding is not None:
        scores = np.where(np.asarray(source_padding, dtype=bool)[:, None, None, :], scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    heads = (weights @ v).transpose(0, 2, 1, 3).reshape(y.shape[0], y.shape[1], -1)
    return heads @ W_o, weights
    ### END SOLUTION
