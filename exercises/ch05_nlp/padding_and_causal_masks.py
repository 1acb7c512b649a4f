# %% [markdown]
"""Padding and causal masks (5 points)
Lecture: §5.3.1 Self-Attention and Encoder-Decoder Structure; §3.3 Attention Mechanism

Sentences of a batch have different lengths, so they are padded on the right with a pad token
(id 0 here) to one length T. Attention must then ignore the pad positions: no query may take
anything from a pad key. And a decoder that predicts the next word trains all positions in
parallel, so the notes hide the future words from it by giving their attention scores the value
-infinity: query t may attend only to the keys s <= t. Both are masks M added to the scores
before the softmax (the notes' alpha_{t,i} = q^t . k^i / sqrt(d)),

    A = softmax(scores + M),   M[t, s] = 0 where query t may attend to key s, -infinity where not

so a masked weight is exactly 0 and the other weights of its row still sum to 1. Beyond the
notes (which name only the look-ahead mask), the padding mask is ours. We store masks as
booleans, True where attention is allowed:

    padding[b, s]           = ids[b, s] != pad_id                 (batch, T): real tokens
    causal[t, s]            = s <= t                              (T, T): on and below the diagonal
    allowed[b, t, s]        = padding[b, s] and (causal[t, s] if causal else True)

A pad *key* is masked for every query; a pad *query* still attends to the real keys (its
output is never used, and masking its row as well would leave it with nothing to attend to).
In the tests, the first token of every sequence is real, so every row has an allowed key.

Implement with numpy only:

- `padding_mask(ids, pad_id=0)` for integer ids (batch, T) -> boolean (batch, T), True at real
  tokens;
- `attention_mask(ids, pad_id=0, causal=False)` -> boolean (batch, T, T), `allowed` above;
- `masked_softmax(scores, mask)` -> the weights A for scores (..., T, S) (e.g. (batch, T, T))
  and a boolean mask (..., T, S) that broadcasts to the scores (e.g. one (T, T) mask for the
  whole batch): scores set to
  -infinity where the mask is False *before* the softmax over the last axis, computed stably
  (subtract the row's maximum), so masked weights are exactly 0 and each row sums to 1.

You may not use keras, tensorflow, torch, jax, scipy.special, dlcourse.sequence or dlcourse.nlp.
"""

# %%
import numpy as np


# %%
def padding_mask(ids, pad_id=0):
    """(batch, T) boolean, True where ids != pad_id."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def attention_mask(ids, pad_id=0, causal=False):
    """(batch, T, T) boolean: query t may attend to key s (s real, and s <= t if causal)."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def masked_softmax(scores, mask):
    """softmax over the last axis of scores with -infinity where mask is False."""
    # YOUR CODE HERE
    raise NotImplementedError()
