"""Grader for ch05_nlp/teacher_forcing_loss."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "keras", "tensorflow", "torch", "jax", "scipy.special")
SHAPES = {"decoder_inputs": {"targets": "(batch, T) int"},
          "sequence_nll": {"logits": "(batch, T, V)", "targets": "(batch, T)"}}

PAD, BOS, EOS = 0, 2, 3


def _batch(seed, batch, length, vocabulary, scale=1.0):
    """Random targets that end with <eos> and are padded on the right, and random logits."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, length + 1, size=batch)
    lengths[0] = length  # one row without padding
    targets = np.zeros((batch, length), dtype=int)
    for b, n in enumerate(lengths):
        targets[b, :n - 1] = rng.integers(4, vocabulary, size=n - 1)
        targets[b, n - 1] = EOS
    return rng.normal(size=(batch, length, vocabulary)) * scale, targets


def _nll(sub, logits, targets):
    nll, per_token = sub.sequence_nll(logits, targets, PAD)
    return {"nll": np.asarray(nll, dtype=float), "per_token": np.array(float(per_token))}


@check(points=1, visible=True)
def shifted_inputs_of_two_sentences(sub):
    """decoder_inputs of [[5, 6, 7, 3], [8, 3, 0, 0]] with <bos> = 2, <pad> = 0."""
    return {"inputs": np.asarray(sub.decoder_inputs(np.array([[5, 6, 7, EOS], [8, EOS, PAD, PAD]]), BOS, PAD))}


@check(points=1, visible=True)
def nll_of_one_short_sentence(sub):
    """sequence_nll of one sentence of 2 tokens and 1 padding position, V = 3."""
    logits = np.log(np.array([[[0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]]]))
    return _nll(sub, logits, np.array([[1, 2, 0]]))


@check(points=1)
def shifted_inputs_of_a_random_batch(sub):
    """decoder_inputs of a random padded batch (6 rows, T = 7), with <bos> = 1 and <pad> = 0."""
    _, targets = _batch(1, 6, 7, 9)
    return {"inputs": np.asarray(sub.decoder_inputs(targets, 1, PAD))}


@check(points=1)
def masked_nll_of_a_random_batch(sub):
    """sequence_nll of a padded batch (5 rows, T = 6, V = 10): padding counts for nothing."""
    return _nll(sub, *_batch(2, 5, 6, 10))


@check(points=1)
def large_logits_stay_finite(sub):
    """logits of size ~300: the log-softmax must not overflow."""
    return _nll(sub, *_batch(3, 4, 5, 8, scale=300.0))
