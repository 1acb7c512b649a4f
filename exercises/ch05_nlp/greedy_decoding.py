# %% [markdown]
"""P(y|x) of a translation and greedy decoding (4 points)
Lecture: §5.2 Seq2Seq Model

The notes' seq2seq model scores a translation y = (y_1, ..., y_T) of a source x by

    P(y|x) = prod_{t=1..T} P(y_t | y_1, ..., y_{t-1}, x),

so log P(y|x) = sum_t log P(y_t | y_1, ..., y_{t-1}, x). The decoder gives those conditional
probabilities one step at a time. Here it is a function

    step_fn(prefixes) -> log_probs

where prefixes is an integer numpy array of shape (batch, t) whose rows all start with the
begin token bos_id, followed by the tokens y_1, ..., y_{t-1} chosen so far, and log_probs has
shape (batch, V): log_probs[i, w] = log P(y_t = w | prefixes[i], x) over the V tokens (the
source x is bound into step_fn). Each call may cost a full decoder step, so call step_fn once
per position (with batch = 1 here).

Greedy decoding (beyond the notes, which go straight to beam search) picks the most probable
next token at every step, y_t = argmax_w P(w | y_<t, x), and stops after the end token eos_id
(which is kept as the last token) or after max_length tokens, whichever comes first.

Implement, with numpy:

- `sequence_log_prob(step_fn, bos_id, tokens)` -> log P(y|x) of the given tokens y_1..y_T
  (a list of ints, T >= 1; <bos> is not one of them), a float: sum over t of
  log P(y_t | <bos>, y_1, ..., y_{t-1});
- `greedy_decode(step_fn, bos_id, eos_id, max_length)` -> the pair (tokens, log_prob):
  tokens the list of generated ids (without <bos>; ending with eos_id if it was produced),
  log_prob its log P(y|x). max_length >= 1. In the tests no two tokens tie for the maximum.

You may not use dlcourse.nlp (it holds the answer) or keras_hub.
"""

# %%
import numpy as np


# %%
def sequence_log_prob(step_fn, bos_id, tokens):
    """log P(y|x) = sum_t log P(y_t | <bos>, y_1..y_{t-1})."""
    # YOUR CODE HERE
    raise NotImplementedError()


# %%
def greedy_decode(step_fn, bos_id, eos_id, max_length):
    """(tokens, log P(y|x)) of the greedy translation."""
    # YOUR CODE HERE
    raise NotImplementedError()
