"""Grader for ch08_llm/sft_loss_mask."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.llm", "dlcourse.llm.posttraining", "dlcourse.llm.training", "keras", "tensorflow", "torch",
             "jax", "scipy.special")
SHAPES = {"sft_loss_mask": {"prompt_lengths": "(B,) int", "sequence_lengths": "(B,) int"},
          "sft_loss": {"logits": "(B, T, V)", "token_ids": "(B, T) int", "prompt_lengths": "(B,) int",
                       "sequence_lengths": "(B,) int"}}

_HINT = ("token t is a target when prompt_lengths[b] <= t < sequence_lengths[b]; it is predicted by the logits "
         "at position t - 1.")


def _mask(sub, prompts, sequences, length):
    return {"mask": np.asarray(sub.sft_loss_mask(np.asarray(prompts), np.asarray(sequences), length), dtype=float)}


def _batch(seed, batch, length, vocabulary, scale=1.0):
    rng = np.random.default_rng(seed)
    prompts = rng.integers(1, length // 2 + 1, size=batch)
    sequences = np.minimum(prompts + rng.integers(1, length, size=batch), length)
    sequences[0] = length  # one row without padding
    prompts[-1] = 1  # one prompt of a single token
    logits = rng.normal(size=(batch, length, vocabulary)) * scale
    return logits, rng.integers(0, vocabulary, size=(batch, length)), prompts, sequences


def _loss(sub, logits, token_ids, prompts, sequences):
    return {"loss": np.array(float(sub.sft_loss(logits, token_ids, prompts, sequences)))}


@check(points=1, visible=True, hint=_HINT)
def mask_of_two_rows(sub):
    """sft_loss_mask([2, 1], [4, 3], 5), the prompt's example."""
    return _mask(sub, [2, 1], [4, 3], 5)


@check(points=1, hint=_HINT)
def mask_edges(sub):
    """prompts of 1 token, a one-token response, and sequences that fill the whole row (T = 6)."""
    return _mask(sub, [1, 1, 3, 5, 2], [6, 2, 4, 6, 6], 6)


@check(points=1, hint=_HINT)
def loss_of_one_row(sub):
    """one row, T = 4, V = 3: prompt of 2 tokens, a response of 1 token, one padding position."""
    logits = np.log(np.array([[[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4]]]))
    return _loss(sub, logits, np.array([[1, 0, 2, 0]]), np.array([2]), np.array([3]))


@check(points=2, hint=_HINT)
def loss_of_a_random_batch(sub):
    """a batch of 6 rows, T = 9, V = 11: prompts, responses and padding of random lengths."""
    return _loss(sub, *_batch(1, 6, 9, 11))


@check(points=1, hint="subtract the row's maximum before exponentiating.")
def large_logits_stay_finite(sub):
    """logits of size ~300: the log-softmax must not overflow."""
    return _loss(sub, *_batch(2, 4, 7, 8, scale=300.0))
