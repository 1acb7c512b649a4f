# %% [markdown]
"""Teacher forcing: shifted decoder inputs and the masked negative log-likelihood (5 points)
Lecture: §5.2 Seq2Seq Model

The notes' seq2seq decoder models

    P(y|x) = prod_{t=1..T} P(y_t | y_1, ..., y_{t-1}, x),

and training maximises it for the reference translations, i.e. minimises the negative
log-likelihood -log P(y|x) = -sum_t log P(y_t | y_<t, x) (the notes name the negative
log-likelihood in §5.1 and leave it unfinished). Beyond the notes, as cs224n and d2l train it:

- Teacher forcing. At step t the decoder reads the reference's previous token, not its own
  guess, so all steps run in one pass: for a target row y_1, ..., y_T (which ends with the end
  token <eos>, then padding), the decoder inputs are <bos>, y_1, ..., y_{T-1} (the targets
  shifted right by one behind bos_id). Where the target is padding (pad_id), the input is
  pad_id too.
- Masked padding. Sentences of a batch differ in length and are padded with pad_id on the
  right; a padded position is not a token, and contributes nothing to the loss.

The decoder returns logits z (batch, T, V); P(y_t = w | y_<t, x) = softmax(z[b, t])_w. With
m[b, t] = 1 where targets[b, t] != pad_id and 0 elsewhere:

    nll[b]    = -sum_t m[b, t] log softmax(z[b, t])_{targets[b, t]}      = -log P(y|x) of row b
    per_token = sum_b nll[b] / sum_{b,t} m[b, t]        (the training loss: mean over real tokens)

A row that is all padding has nll 0 (every batch in the tests has at least one real token).
The log-softmax must be numerically stable: logits of several hundred must not give inf or
NaN (log softmax(z)_w = z_w - max(z) - log sum_v exp(z_v - max(z))).

Implement with numpy:

- `decoder_inputs(targets, bos_id, pad_id)`: targets an int array (batch, T) -> the decoder
  inputs, an int array (batch, T);
- `sequence_nll(logits, targets, pad_id)`: logits (batch, T, V), targets (batch, T) -> the pair
  (nll, per_token): nll of shape (batch,) and per_token a float.

You may not use dlcourse.nlp (it holds the answer), keras, tensorflow, torch, jax or scipy.special.
"""

# %%
import numpy as np


# %%
def decoder_inputs(targets, bos_id, pad_id):
    """<bos>, y_1, ..., y_{T-1} per row, pad_id where the target is padding."""
    ### BEGIN SOLUTION
    targets = np.asarray(targets)
    shifted = np.concatenate([np.full((targets.shape[0], 1), bos_id), targets[:, :-1]], axis=1)
    return np.where(targets == pad_id, pad_id, shifted)
    ### END SOLUTION


# %%
def sequence_nll(logits, targets, pad_id):
    """(-log P(y|x) per row, the mean negative log-likelihood per real token)."""
    ### BEGIN SOLUTION
    logits = np.asarray(logits, dtype=float)
    targets = np.asarray(targets)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    mask = targets != pad_id
    nll = -(picked * mask).sum(axis=1)
    return nll, float(nll.sum() / mask.sum())
    ### END SOLUTION
