# %% [markdown]
"""Supervised fine-tuning: the loss only on the response (6 points)
Lecture: §8 Foundation Models: LLM; §5.3.2 Transformer Variants; §2.4.1 Cross-Entropy Loss

The notes name "post-training" at the end of §5.3.2 and leave chapter 8 as a heading; this
exercise follows the supervised fine-tuning (SFT) of instruction-tuned LMs (Ouyang et al., 2022,
as CS336 teaches it), on the notes' cross-entropy (§2.4.1) applied to the notes' decoder-only variant (§5.3.2).

The notes' cross-entropy for N samples and C classes is

    L = -(1/N) sum_{i=1..N} sum_{j=1..C} y_ij log p_ij,

with y_ij the one-hot label and p_ij the predicted probability of class j for sample i. A
causal LM is that classifier at every position: the classes are the V tokens, and the logits z
(B, T, V) at position t predict the next token, p = softmax(z[b, t]) for the label
token_ids[b, t+1]. Pre-training averages over every position. In SFT a row of token_ids holds
a prompt and its response, laid out as

    prompt tokens (positions 0 .. p-1), response tokens (positions p .. n-1), padding (n .. T-1),

with p = prompt_lengths[b] and n = sequence_lengths[b]. Beyond the notes: only the response is
the model's to write, so only response tokens are samples of the sum (N is their number). The
mask is aligned with the targets (token_ids): m[b, t] = 1 when p <= t < n (token t is a
response token), else 0. Token t is predicted by the logits at position t - 1, so

    loss = -sum_{b, t >= 1} m[b, t] log softmax(z[b, t-1])_{token_ids[b, t]} / sum_{b, t} m[b, t].

The prompt, the padding and the logits of the last position count for nothing. The
log-softmax must be numerically stable: logits of several hundred must not give inf or NaN
(log softmax(z)_w = z_w - max(z) - log sum_v exp(z_v - max(z))).

Implement with numpy:

- `sft_loss_mask(prompt_lengths, sequence_lengths, T)`: prompt_lengths (B,) int and
  sequence_lengths (B,) int, with 1 <= p < n <= T (a prompt has at least one token and a
  sequence may fill its whole row) -> the float mask m of shape (B, T);
- `sft_loss(logits, token_ids, prompt_lengths, sequence_lengths)`: logits (B, T, V), token_ids
  (B, T) int, prompt_lengths (B,) int, sequence_lengths (B,) int -> the loss, a float.

Example: prompt_lengths [2, 1], sequence_lengths [4, 3], T = 5 give the mask
[[0, 0, 1, 1, 0], [0, 1, 1, 0, 0]].

You may not use dlcourse.llm, dlcourse.llm.posttraining, dlcourse.llm.training (they hold the
answer), keras, tensorflow, torch, jax or scipy.special.
"""

# %%
import numpy as np


# %%
def sft_loss_mask(prompt_lengths, sequence_lengths, T):
    """m[b, t] = 1 where prompt_lengths[b] <= t < sequence_lengths[b], else 0; shape (B, T)."""
    ### BEGIN SOLUTION
    t = np.arange(T)[None, :]
    p = np.asarray(prompt_lengths)[:, None]
    n = np.asarray(sequence_lengths)[:, None]
    return ((t >= p) & (t < n)).astype(float)
    ### END SOLUTION


# %%
def sft_loss(logits, token_ids, prompt_lengths, sequence_lengths):
    """Mean next-token NLL over the response tokens only."""
    ### BEGIN SOLUTION
    logits = np.asarray(logits, dtype=float)
    token_ids = np.asarray(token_ids)
    mask = sft_loss_mask(prompt_lengths, sequence_lengths, token_ids.shape[1])
    scores = logits[:, :-1]
    shifted = scores - scores.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, token_ids[:, 1:, None], axis=-1)[..., 0]
    weights = mask[:, 1:]
    return float(-(picked * weights).sum() / weights.sum())
    ### END SOLUTION
