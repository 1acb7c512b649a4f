# %% [markdown]
"""Attention without the T x S score matrix: the online softmax (6 points)
Lecture: §8 Foundation Models: LLM; §3.3 Attention Mechanism; §5.3 Transformer

The notes' attention (§3.3) scores query 1 against every key i and averages the values,

    alpha_{1,i} = q^1 . k^i / sqrt(d),   alpha_hat_{1,i} = softmax alpha_{1,i},   b_1 = sum_i alpha_hat_{1,i} v^i,

and we write query t's the same way with 1 replaced by t:

    alpha_{t,i} = q^t . k^i / sqrt(d),   alpha_hat_{t,i} = softmax over i of alpha_{t,i},
    b^t = sum_i alpha_hat_{t,i} v^i,

and §5.3 warns of its "quadratic compute": for T queries and S keys the scores form a T x S
matrix. The notes leave chapter 8 as a heading; this exercise follows FlashAttention (Dao et
al., 2022), which computes b^t exactly while holding only one block of scores at a time, with
the online softmax of Milakov and Gimelshein (2018).

Split the keys and values into blocks of `block_size` rows, in order (the last block may be
shorter). For each query t keep a running maximum m_t, a running sum l_t and an unnormalised
output o_t (a vector of size d_v), starting from m_t = -inf, l_t = 0, o_t = 0. For a block with
scores s_{t,i} = alpha_{t,i} (i in the block) and values v^i:

    m_new = max(m_t, max_i s_{t,i})
    l_t  <- exp(m_t - m_new) l_t + sum_i exp(s_{t,i} - m_new)
    o_t  <- exp(m_t - m_new) o_t + sum_i exp(s_{t,i} - m_new) v^i
    m_t  <- m_new

(exp(m_t - m_new) rescales what was summed so far to the new maximum; exp(-inf) = 0). After the
last block, b^t = o_t / l_t, which equals b^t (the notes' b_1 with 1 replaced by t).

Implement, with numpy:

- `online_softmax_step(m, l, o, scores, values)` -> the updated (m, l, o): m and l of shape
  (T,), o (T, d_v), scores (T, n) the scaled scores of one block (-inf for a masked key; each
  query meets at least one finite score in its first block), values (n, d_v). Return new arrays.
- `online_softmax_attention(Q, K, V, block_size, causal=False)` -> the output (T, d_v) for
  Q (T, d_k), K (S, d_k) and V (S, d_v), block_size >= 1, going over the key blocks in order
  with `online_softmax_step` and never forming more than block_size columns of scores at once.
  With causal=True (beyond the notes) query t may attend only to keys i <= t: the other scores
  of its block are -inf.

You may not use dlcourse.llm, dlcourse.llm.flash, dlcourse.sequence, dlcourse.nlp (they hold
the answer), keras, tensorflow, torch, jax or scipy.special (softmax).
"""

# %%
import numpy as np


# %%
def online_softmax_step(m, l, o, scores, values):
    """Fold one block of scores (T, n) and values (n, d_v) into the running m, l, o."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def online_softmax_attention(Q, K, V, block_size, causal=False):
    """softmax(Q K^T / sqrt(d_k)) V, one block of keys at a time."""
    # YOUR CODE HERE
    raise NotImplementedError()
