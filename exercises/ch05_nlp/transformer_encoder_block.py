# %% [markdown]
"""A Transformer encoder block: residuals, layer normalization, feed-forward (7 points)
Lecture: §5.3.1 Self-Attention and Encoder-Decoder Structure; §5.3 Transformer

The notes' encoder block takes the queries, keys and values from the embedded words and runs
multi-head self-attention. The block of Vaswani et al. (2017), whose figure the notes show,
follows the attention with a position-wise feed-forward network and wraps each of the two
sub-layers in a residual connection and a layer normalization; those parts are beyond the notes'
text, and are what this exercise is about. For one position's feature vector x (d_model
features; every position and every sequence alike):

    LayerNorm(x) = gamma * (x - mean(x)) / sqrt(var(x) + eps) + beta
                   mean and (biased) variance over the d_model features of that one vector
    FFN(x)       = max(0, x W_1 + b_1) W_2 + b_2          W_1 (d_model, d_ff), W_2 (d_ff, d_model)

and for a sequence X (T, d_model), with MHA the multi-head self-attention (given below):

    post-LN (the paper, normalize_first=False)       pre-LN (normalize_first=True)
    H = LayerNorm_1(X + MHA(X))                       H = X + MHA(LayerNorm_1(X))
    Y = LayerNorm_2(H + FFN(H))                       Y = H + FFN(LayerNorm_2(H))

LayerNorm_1 uses gamma_1, beta_1 and LayerNorm_2 uses gamma_2, beta_2. The residual "X + ..."
lets the gradient bypass each sub-layer; pre-LN keeps that path free of any normalization,
which is why deep pre-LN stacks train without a warm-up. With a padding mask (True at real
tokens), the self-attention gives pad keys a score of -infinity (`multi_head_attention` below
already does this when you pass the mask on); the FFN and the LayerNorms act on every position.

`multi_head_attention(x_q, x_kv, params, num_heads, key_padding=None)` is given: it returns
concat(head_1, ..., head_H) W_o + b_o for the projections Q = x_q W_q + b_q, K = x_kv W_k + b_k,
V = x_kv W_v + b_v. Implement with numpy only, for x (batch, T, d_model):

- `layer_norm(x, gamma, beta, eps=1e-5)` over the last axis, gamma (d_model,) and
  beta (d_model,);
- `feed_forward(x, W_1, b_1, W_2, b_2)` with W_1 (d_model, d_ff), b_1 (d_ff,), W_2 (d_ff, d_model)
  and b_2 (d_model,);
- `encoder_block(x, params, num_heads, padding=None, normalize_first=False)` -> Y (batch, T,
  d_model), where params is a dict of arrays: the attention's params["W_q"], params["W_k"],
  params["W_v"], params["W_o"] (d_model, d_model) and params["b_q"], params["b_k"], params["b_v"],
  params["b_o"] (d_model,) (H heads of d_k = d_model // H features); the LayerNorms'
  params["gamma_1"], params["beta_1"], params["gamma_2"], params["beta_2"] (d_model,); the FFN's
  params["W_1"] (d_model, d_ff), params["b_1"] (d_ff,), params["W_2"] (d_ff, d_model) and
  params["b_2"] (d_model,); padding is None or a boolean (batch, T), True at real tokens.

A constant feature vector has variance 0: LayerNorm must then return beta (eps keeps the division
finite). Use eps = 1e-5 in the block.

You may not use keras, keras_hub, tensorflow, torch, jax, scipy.special, dlcourse.sequence or dlcourse.nlp.
"""

# %%
import numpy as np


# %%
def multi_head_attention(x_q, x_kv, params, num_heads, key_padding=None):
    """Given: multi-head attention with biases; key_padding (batch, S) hides the pad keys."""
    def heads(m):  # (batch, T, H d_k) -> (batch, H, T, d_k)
        return m.reshape(m.shape[0], m.shape[1], num_heads, -1).transpose(0, 2, 1, 3)

    q = heads(x_q @ params["W_q"] + params["b_q"])
    k = heads(x_kv @ params["W_k"] + params["b_k"])
    v = heads(x_kv @ params["W_v"] + params["b_v"])
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
    if key_padding is not None:
        scores = np.where(np.asarray(key_padding, dtype=bool)[:, None, None, :], scores, -np.inf)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    context = (weights @ v).transpose(0, 2, 1, 3).reshape(x_q.shape[0], x_q.shape[1], -1)
    return context @ params["W_o"] + params["b_o"]


# %%
def layer_norm(x, gamma, beta, eps=1e-5):
    """gamma * (x - mean) / sqrt(var + eps) + beta over the last axis."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def feed_forward(x, W_1, b_1, W_2, b_2):
    """max(0, x W_1 + b_1) W_2 + b_2."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def encoder_block(x, params, num_heads, padding=None, normalize_first=False):
    """One encoder block, post-LN (default) or pre-LN: (batch, T, d_model) -> (batch, T, d_model)."""
    # YOUR CODE HERE
    raise NotImplementedError()
