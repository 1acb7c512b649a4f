# %% [markdown]
"""The next-token loss of a causal language model, and perplexity (6 points)
Lecture: §8 Foundation Models: LLM; §2.4.1 Cross-Entropy Loss

The notes leave chapter 8 as a heading and name pre-training among the Transformer's open
points (§5.3); this exercise follows the pre-training loss of CS336's first assignment and of
GPT-2 (Radford et al., 2019), built on the notes' cross-entropy of §2.4.1,

    L = -(1/N) sum_{i=1..N} sum_{j=1..C} y_ij log p_ij,

with one sample i per predicted token, the classes j the V tokens of the vocabulary,
p_i = softmax of the logits and y_i the one-hot vector of the true next token.

A decoder-only LM reads token_ids x[b, 0], ..., x[b, T-1] and returns logits z of shape
(B, T, V). The causal mask lets z[b, t] see x[b, 0..t] only, so z[b, t] scores the NEXT token:
P(x[b, t+1] = w | x[b, 0..t]) = softmax(z[b, t])_w. The targets are therefore token_ids shifted
left by one: the logits at positions 0..T-2 are compared with the ids at positions 1..T-1 (the
logits of the last position predict nothing inside the window, and x[b, 0] is never a target).

Beyond the notes: an optional weight mask m of shape (B, T) is aligned with the TARGETS:
m[b, t] weights token x[b, t] as a target (so m[b, 0] is never used). It is 0 on padding (or
on a prompt) and 1 elsewhere, but any non-negative weights are allowed. With m = 1 everywhere
when mask is None,

    nll[b, t] = -log softmax(z[b, t-1])_{x[b, t]}                       for t = 1..T-1
    L = sum_{b, t>=1} m[b, t] nll[b, t] / sum_{b, t>=1} m[b, t]           (a weighted mean)

Padding counts neither in the sum nor in the count. Every mask in the tests gives at least one
target a positive weight. The log-softmax must be numerically stable: logits of several hundred
must not give inf or NaN (log softmax(z)_w = z_w - max(z) - log sum_v exp(z_v - max(z))).

Perplexity = exp(L), with L in nats: the number of equally likely tokens a uniform guess would
choose among to be as unsure as the model (a model with equal logits has perplexity V).

Implement with numpy:

- `causal_lm_loss(logits, token_ids, mask=None)`: logits (B, T, V) float, token_ids (B, T) int
  with T >= 2, mask None or (B, T) float -> L, a float;
- `perplexity(mean_nll)`: a float L -> exp(L), a float.

You may not use dlcourse.llm, dlcourse.llm.training (they hold the answer), dlcourse.nlp,
keras, tensorflow, torch, jax or scipy.special.
"""

# %%
import numpy as np


# %%
def causal_lm_loss(logits, token_ids, mask=None):
    """Weighted mean of -log softmax(z[b, t-1])_{x[b, t]} over the targets t = 1..T-1."""
    ### BEGIN SOLUTION
    logits = np.asarray(logits, dtype=float)
    token_ids = np.asarray(token_ids)
    scores = logits[:, :-1]  # position t scores the token at t + 1
    targets = token_ids[:, 1:]
    shifted = scores - scores.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    nll = -np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    weights = np.ones(nll.shape) if mask is None else np.asarray(mask, dtype=float)[:, 1:]
    return float((weights * nll).sum() / weights.sum())
    ### END SOLUTION


# %%
def perplexity(mean_nll):
    """exp(mean NLL)."""
    ### BEGIN SOLUTION
    return float(np.exp(mean_nll))
    ### END SOLUTION
