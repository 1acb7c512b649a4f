# %% [markdown]
"""BERT's masked-language-model inputs: the 15% choice and the 80/10/10 rule (5 points)
Lecture: §5.3.2 Transformer Variants

The notes' encoder-only variant, BERT, sees the context on both sides of every word, so it
cannot be pre-trained by predicting the next word; it is pre-trained by "hiding contexts"
instead: some tokens of the input are hidden and the model must recover them. The notes do not
give the recipe; beyond the notes, this is Devlin et al.'s (2019):

1. every token that is not special (padding, <bos>, <eos>, ...) is *chosen* with probability
   mask_rate = 0.15;
2. a chosen token is replaced by the mask token <mask> with probability 0.8, by a random token
   with probability 0.1, and kept unchanged with probability 0.1 (so the model cannot tell the
   chosen positions from the input alone, and does not learn that only <mask> positions
   matter: <mask> never occurs when the model is used later);
3. the loss is the cross-entropy of the original token at the chosen positions only; the label
   of every other position is -1 (ignored).

The randomness is drawn for you, one number per token, so that the rule is exact:

    chosen       = (choose_draws < mask_rate) and the token is not in special_ids
    <mask>      where chosen and action_draws < 0.8
    random token where chosen and 0.8 <= action_draws < 0.9   (random_tokens at that position)
    unchanged   where chosen and action_draws >= 0.9, and everywhere not chosen

Implement with numpy only
`bert_masking(ids, choose_draws, action_draws, random_tokens, mask_id, special_ids, mask_rate=0.15)`
for integer ids (batch, T) -> the tuple (inputs, labels), both integer arrays of shape
(batch, T):

- inputs: ids with the replacements above;
- labels: ids[b, t] where position (b, t) is chosen, -1 elsewhere (also where a chosen token
  was kept unchanged: it is still predicted).

The draws are float arrays, choose_draws (batch, T) and action_draws (batch, T), with values
in [0, 1) (a draw may equal 0.15, 0.8 or 0.9 exactly: use the comparisons above);
random_tokens (batch, T) is an integer array; special_ids is a tuple of ids. `ids` must not be changed in place.

You may not use dlcourse.nlp, keras, keras_hub, tensorflow or torch.
"""

# %%
import numpy as np


# %%
def bert_masking(ids, choose_draws, action_draws, random_tokens, mask_id, special_ids, mask_rate=0.15):
    """Return (inputs, labels) of masked language modelling."""
    ### BEGIN SOLUTION
    ids = np.asarray(ids)
    chosen = (np.asarray(choose_draws) < mask_rate) & ~np.isin(ids, list(special_ids))
    action = np.asarray(action_draws)
    inputs = np.where(chosen & (action < 0.8), mask_id, ids)
    inputs = np.where(chosen & (action >= 0.8) & (action < 0.9), random_tokens, inputs)
    labels = np.where(chosen, ids, -1)
    return inputs, labels
    ### END SOLUTION
