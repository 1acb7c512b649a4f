# %% [markdown]
"""A pre-LN Transformer language-model block (8 points)
Lecture: §8 Foundation Models: LLM; §5.3 Transformer; §5.3.1 Self-Attention and Encoder-Decoder Structure; §3.3 Attention Mechanism

A GPT is a stack of decoder-only blocks (the notes' §5.3.2 decoder-only variant): masked
multi-head self-attention, then a feed-forward network, each in a residual connection. The notes
leave chapter 8 as a heading; this exercise follows GPT-2 (Radford et al., 2019) and CS336's
Transformer LM, which normalise *before* each sub-layer (pre-LN):

    H = X + MHA(LN_1(X))          (causal multi-head self-attention)
    Y = H + FFN(LN_2(H))          FFN(z) = GELU(z W_1 + b_1) W_2 + b_2

The attention is the notes' (§3.3) alpha_{1,i} = q^1 . k^i / sqrt(d), alpha_hat_{1,i} =
softmax alpha_{1,i}, b_1 = sum_i alpha_hat_{1,i} v^i, for every query at once (beyond the notes'
symbols: softmax(Q K^T / sqrt(d_k)) V) in each of H heads, with the scores of future positions
set to -infinity as §5.3.1 says (query t attends only to keys s <= t), the heads concatenated
and projected by W_o. With the positions as rows, head h owns the features
h d_k, ..., (h + 1) d_k - 1 of Q, K and V, d_k = d_model // num_heads:

    Q = Z W_q + b_q,   K = Z W_k + b_k,   V = Z W_v + b_v           (T, d_model) each
    head_h = softmax(Q_h K_h^T / sqrt(d_k) + M) V_h                M[t, s] = 0 if s <= t else -inf
    MHA(Z) = concat(head_1, ..., head_H) W_o + b_o

`layer_norm(z, gamma, beta)` (eps = 1e-5) and `gelu(z)` (GPT-2's tanh form) are given below.
Implement with numpy, for x (batch, T, d_model):

- `causal_self_attention(x, params, num_heads)` -> (batch, T, d_model), MHA above applied to x
  as it is (no normalization inside), with params["W_q"], params["W_k"], params["W_v"],
  params["W_o"] (d_model, d_model) and params["b_q"], params["b_k"], params["b_v"],
  params["b_o"] (d_model,); use a numerically stable softmax (subtract each row's maximum);
- `lm_block(x, params, num_heads)` -> Y (batch, T, d_model), the pre-LN block above, with the
  attention's weights as before, LN_1's params["gamma_1"], params["beta_1"] (d_model,), LN_2's
  params["gamma_2"], params["beta_2"] (d_model,), and the FFN's params["W_1"] (d_model, d_ff),
  params["b_1"] (d_ff,), params["W_2"] (d_ff, d_model), params["b_2"] (d_model,).

No normalization follows the sums (a GPT applies one final LayerNorm after its last block, not
part of this exercise). Position t of Y must not depend on the positions after t.

You may not use dlcourse.llm, dlcourse.llm.gpt (they hold the answer), dlcourse.nlp, dlcourse.sequence, keras, keras_hub, tensorflow, torch, jax or scipy.special.
"""

# %%
import numpy as np


# %%
def layer_norm(z, gamma, beta, eps=1e-5):
    """Given: gamma * (z - mean) / sqrt(var + eps) + beta over the last axis."""
    mean = z.mean(axis=-1, keepdims=True)
    var = z.var(axis=-1, keepdims=True)
    return gamma * (z - mean) / np.sqrt(var + eps) + beta


def gelu(z):
    """Given: GPT-2's GELU, 0.5 z (1 + tanh(sqrt(2 / pi) (z + 0.044715 z^3)))."""
    return 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3)))


# %%
def causal_self_attention(x, params, num_heads):
    """Causal multi-head self-attention with biases: (batch, T, d_model) -> (batch, T, d_model)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    batch, length, _ = x.shape
    p = params

    def heads(m):  # (batch, T, H d_k) -> (batch, H, T, d_k)
        return m.reshape(batch, length, num_heads, -1).transpose(0, 2, 1, 3)

    q, k, v = (heads(x @ p[f"W_{n}"] + p[f"b_{n}"]) for n in "qkv")
    scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1])
    future = np.arange(length)[None, :] > np.arange(length)[:, None]
    scores = np.where(future, -np.inf, scores)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = e / e.sum(axis=-1, keepdims=True)
    context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
    return context @ p["W_o"] + p["b_o"]
    ### END SOLUTION


# %%
def lm_block(x, params, num_heads):
    """The pre-LN block: H = X + MHA(LN_1(X)), Y = H + FFN(LN_2(H))."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    p = params
    h = x + causal_self_attention(layer_norm(x, p["gamma_1"], p["beta_1"]), p, num_heads)
    z = layer_norm(h, p["gamma_2"], p["beta_2"])
    return h + gelu(z @ p["W_1"] + p["b_1"]) @ p["W_2"] + p["b_2"]
    ### END SOLUTION
