"""Grader for ch08_llm/causal_lm_loss."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.training", "dlcourse.nlp", "keras", "tensorflow", "torch", "jax",
             "scipy.special")
SHAPES = {"causal_lm_loss": {"logits": "(B, T, V)", "token_ids": "(B, T) int", "mask": "(B, T)"},
          "perplexity": {}}

_HINT = ("the logits at position t score the token at t + 1: compare logits[:, :-1] with token_ids[:, 1:], and "
         "weight target t by mask[:, t].")


def _batch(seed, batch, length, vocabulary, scale=1.0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch, length, vocabulary)) * scale, rng.integers(0, vocabulary, size=(batch, length))


def _loss(sub, logits, token_ids, mask=None):
    if mask is None:
        return {"loss": np.array(float(sub.causal_lm_loss(logits, token_ids)))}
    return {"loss": np.array(float(sub.causal_lm_loss(logits, token_ids, mask)))}


@check(points=1, visible=True, hint=_HINT)
def one_sequence_of_three_tokens(sub):
    """causal_lm_loss of one row [0, 2, 1] (V = 3) whose logits are logs of known probabilities."""
    logits = np.log(np.array([[[0.2, 0.3, 0.5], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]]]))
    return _loss(sub, logits, np.array([[0, 2, 1]]))


@check(points=1, hint=_HINT)
def random_batch_without_mask(sub):
    """causal_lm_loss of a random batch (B = 4, T = 7, V = 11), mask None."""
    return _loss(sub, *_batch(1, 4, 7, 11))


@check(points=1, hint=_HINT)
def padded_batch_with_a_mask(sub):
    """causal_lm_loss with a 0/1 mask: rows padded on the right, one with a masked prompt."""
    logits, ids = _batch(2, 3, 8, 9)
    mask = np.ones((3, 8))
    mask[0, 5:] = 0.0   # padding
    mask[1, 1:4] = 0.0  # a prompt
    mask[2, 7:] = 0.0
    return _loss(sub, logits, ids, mask)


@check(points=1, hint=_HINT)
def two_tokens_per_row_and_fractional_weights(sub):
    """causal_lm_loss with T = 2 (one target per row) and non-binary weights."""
    logits, ids = _batch(3, 5, 2, 6)
    return _loss(sub, logits, ids, np.array([[1.0, 0.5], [0.0, 2.0], [1.0, 0.0], [1.0, 1.0], [3.0, 0.25]]))


@check(points=1)
def large_logits_stay_finite(sub):
    """causal_lm_loss of logits of size ~400: the log-softmax must not overflow."""
    return _loss(sub, *_batch(4, 3, 5, 7, scale=400.0))


@check(points=1)
def perplexity_of_losses(sub):
    """perplexity of log 7 (a uniform model over 7 tokens), of 0, and of a random batch's loss."""
    logits, ids = _batch(5, 2, 6, 5)
    loss = float(sub.causal_lm_loss(logits, ids))
    return {"uniform": np.array(float(sub.perplexity(np.log(7.0)))), "certain": np.array(float(sub.perplexity(0.0))),
            "batch": np.array(float(sub.perplexity(loss)))}
