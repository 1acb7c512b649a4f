# %% [markdown]
"""Temperature, top-k and top-p (nucleus) sampling of the next token (6 points)
Lecture: §8 Foundation Models: LLM

The notes leave chapter 8 as a heading; this exercise follows the decoding part of CS336's
first assignment and nucleus sampling from Holtzman et al. (2020).

A language model gives, for each of B sequences, logits z of shape (B, V) over a vocabulary of
V tokens. The next token is drawn from

    q(w) = exp(z_w / tau) / sum_v exp(z_v / tau)          (temperature tau > 0)

restricted to a set S of kept tokens and renormalised, q_S(w) = q(w) / sum_{v in S} q(v) for w
in S and 0 elsewhere. Sort the tokens by decreasing q, ties broken towards the lower token id:

- top-k keeps the first k tokens of that order (every token if k >= V);
- top-p keeps the smallest set of most probable tokens whose probability reaches p: a token is
  kept when the sum of the probabilities of the tokens before it in the order is below p
  (strictly), so the token whose probability crosses p is kept, and at least one token always
  is; p = 1 keeps every token.

Apply them in this order: the temperature, then top-k, then top-p on the renormalised top-k
distribution (each as given; None skips it). A sample is drawn by the inverse CDF: given u in
[0, 1), it is the smallest token id w with u < q_S(0) + q_S(1) + ... + q_S(w).

Implement, with numpy:

- `sampling_distribution(logits, temperature=1.0, top_k=None, top_p=None)` -> q_S, float
  (B, V), each row summing to 1. logits (B, V) are finite floats. Raise ValueError when
  temperature <= 0, when top_k is given and is below 1, or when top_p is given and is not in
  (0, 1]. Do not modify `logits`.
- `inverse_cdf_sample(probabilities, u)` -> the sampled ids, int (B,), for probabilities
  (B, V) (rows of non-negative floats summing to 1 up to rounding) and u (B,) floats in
  [0, 1), one uniform draw per row. If rounding leaves u at or above the last cumulative sum,
  return the largest id whose probability is positive.

You may not use dlcourse.llm, dlcourse.llm.sampling (they hold the answer), keras_hub (its
samplers), keras, tensorflow, torch, jax or scipy.special (softmax).
"""

# %%
import numpy as np


# %%
def sampling_distribution(logits, temperature=1.0, top_k=None, top_p=None):
    """softmax(z / tau), then top-k, then top-p, each renormalised: (B, V) -> (B, V)."""
    ### BEGIN SOLUTION
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}.")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}.")
    if top_p is not None and not 0 < top_p <= 1:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}.")
    z = np.asarray(logits, dtype=float) / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    q = e / e.sum(axis=-1, keepdims=True)
    order = np.argsort(-z, axis=-1, kind="stable")  # decreasing, ties lower id first
    sorted_q = np.take_along_axis(q, order, axis=-1)
    keep = np.ones(sorted_q.shape, dtype=bool)
    if top_k is not None:
        keep[:, top_k:] = False
    sorted_q = np.where(keep, sorted_q, 0.0)
    sorted_q = sorted_q / sorted_q.sum(axis=-1, keepdims=True)
    if top_p is not None:
        before = np.cumsum(sorted_q, axis=-1) - sorted_q
        keep = keep & (before < top_p)
        sorted_q = np.where(keep, sorted_q, 0.0)
        sorted_q = sorted_q / sorted_q.sum(axis=-1, keepdims=True)
    out = np.zeros_like(q)
    np.put_along_axis(out, order, sorted_q, axis=-1)
    return out
    ### END SOLUTION


# %%
def inverse_cdf_sample(probabilities, u):
    """The smallest id w with u < q(0) + ... + q(w), per row."""
    ### BEGIN SOLUTION
    probabilities = np.asarray(probabilities, dtype=float)
    cdf = np.cumsum(probabilities, axis=-1)
    ids = np.sum(cdf <= np.asarray(u, dtype=float)[:, None], axis=-1)
    vocabulary = probabilities.shape[-1]
    last_positive = vocabulary - 1 - np.argmax(probabilities[:, ::-1] > 0, axis=-1)
    return np.where(ids < vocabulary, ids, last_positive)
    ### END SOLUTION
