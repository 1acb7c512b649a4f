# %% [markdown]
"""Decoding with a key/value cache (6 points)
Lecture: §8 Foundation Models: LLM; §3.3 Attention Mechanism; §5.3 Transformer

The notes' self-attention (§3.3) computes q^i = W^q a^i, k^i = W^k a^i, v^i = W^v a^i and, for
query 1, alpha_{1,i} = q^1 . k^i / sqrt(d), alpha_hat_{1,i} = softmax alpha_{1,i}, b_1 = sum_i alpha_hat_{1,i} v^i; for every position t (1 replaced by t):

    alpha_{t,i} = q^t . k^i / sqrt(d),   alpha_hat_{t,i} = softmax over i of alpha_{t,i},
    b^t = sum_i alpha_hat_{t,i} v^i

and a decoder (§5.3) masks the words after t (their scores are -infinity), so b^t uses only
i <= t. The notes leave chapter 8 as a heading; this exercise follows how GPT-style models
generate (CS336, the GPT-2 code): one token at a time, and since k^i and v^i of the earlier
positions never change, they are kept in a *cache* instead of being recomputed at every step.
Step t computes q^t, k^t, v^t of the new position only, appends k^t and v^t to the cache, and
lets q^t attend over all the cached keys, which are exactly the keys i <= t.

With the positions as rows (a row vector times a matrix), one head, no biases:

- `attention_step(x_t, W_q, W_k, W_v, cache_k, cache_v)`: x_t (d_model,) the new position,
  W_q and W_k (d_model, d_k), W_v (d_model, d_v), and the cache of the t earlier positions,
  cache_k (t, d_k) and cache_v (t, d_v) (t may be 0: arrays with no rows). Return the tuple
  (b_t, new_cache_k, new_cache_v): b_t (d_v,) and the caches with the new k^t, v^t appended as
  their last row, new arrays of shapes (t + 1, d_k) and (t + 1, d_v). Do not modify the caches
  you were given.
- `decode_with_cache(x, W_q, W_k, W_v)`: x (T, d_model); start from an empty cache and call
  `attention_step` for t = 0, ..., T - 1; return the outputs b^0, ..., b^{T-1} stacked, (T, d_v),
  which must equal the notes' masked (causal) self-attention over the whole sequence.

Use a numerically stable softmax (subtract the maximum score before exponentiating).

You may not use dlcourse.llm, dlcourse.llm.gpt (they hold the answer), dlcourse.sequence, dlcourse.nlp, keras, tensorflow, torch, jax or scipy.special.
"""

# %%
import numpy as np


# %%
def attention_step(x_t, W_q, W_k, W_v, cache_k, cache_v):
    """One decoding step: (b_t (d_v,), new_cache_k (t + 1, d_k), new_cache_v (t + 1, d_v))."""
    ### BEGIN SOLUTION
    x_t = np.asarray(x_t, dtype=float)
    q, k, v = x_t @ W_q, x_t @ W_k, x_t @ W_v
    keys = np.concatenate([np.asarray(cache_k, dtype=float), k[None, :]], axis=0)
    values = np.concatenate([np.asarray(cache_v, dtype=float), v[None, :]], axis=0)
    scores = keys @ q / np.sqrt(q.shape[0])
    e = np.exp(scores - scores.max())
    weights = e / e.sum()
    return weights @ values, keys, values
    ### END SOLUTION


# %%
def decode_with_cache(x, W_q, W_k, W_v):
    """Causal self-attention of x (T, d_model), one step at a time from an empty cache: (T, d_v)."""
    ### BEGIN SOLUTION
    x = np.asarray(x, dtype=float)
    cache_k, cache_v = np.zeros((0, W_k.shape[1])), np.zeros((0, W_v.shape[1]))
    outputs = []
    for x_t in x:
        b_t, cache_k, cache_v = attention_step(x_t, W_q, W_k, W_v, cache_k, cache_v)
        outputs.append(b_t)
    return np.stack(outputs)
    ### END SOLUTION
