"""Grader for ch05_nlp/bert_masking."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.nlp", "keras", "keras_hub", "tensorflow", "torch")

SHAPES = {
    "bert_masking": {"ids": "(batch, T) int", "choose_draws": "(batch, T) float in [0, 1)",
                     "action_draws": "(batch, T) float in [0, 1)", "random_tokens": "(batch, T) int"},
}

_SPECIAL = (0, 1, 2, 3)  # pad, unk, bos, eos
_MASK_ID = 4


def _mask(sub, ids, choose, action, random_tokens, **kwargs):
    inputs, labels = sub.bert_masking(ids, choose, action, random_tokens, _MASK_ID, _SPECIAL, **kwargs)
    return {"inputs": np.asarray(inputs).astype(np.int64), "labels": np.asarray(labels).astype(np.int64)}


@check(points=1, visible=True)
def one_sentence(sub):
    """<bos> 7 8 9 10 11 <eos> <pad>: two tokens masked, one replaced, one kept, the rest not chosen."""
    ids = np.array([[2, 7, 8, 9, 10, 11, 3, 0]])
    choose = np.array([[0.01, 0.10, 0.50, 0.05, 0.12, 0.02, 0.03, 0.04]])
    action = np.array([[0.10, 0.30, 0.50, 0.85, 0.95, 0.70, 0.20, 0.10]])
    return _mask(sub, ids, choose, action, np.full((1, 8), 13))


@check(points=1, hint="a draw exactly at a threshold: chosen iff choose_draws < mask_rate; <mask> iff "
                      "action_draws < 0.8; random iff 0.8 <= action_draws < 0.9.")
def thresholds_hit_exactly(sub):
    """draws exactly 0.15, 0.8 and 0.9 (and just below them): the comparisons of the prompt."""
    ids = np.array([[5, 6, 7, 8, 9, 10, 11, 12]])
    choose = np.array([[0.15, 0.1499, 0.0, 0.0, 0.0, 0.0, 0.0, 0.15]])
    action = np.array([[0.0, 0.0, 0.8, 0.7999, 0.9, 0.8999, 0.0, 0.95]])
    return _mask(sub, ids, choose, action, np.array([[20, 21, 22, 23, 24, 25, 26, 27]]))


@check(points=1, hint="special tokens are never chosen: no <mask>, no random token and label -1 there.")
def special_tokens_are_never_chosen(sub):
    """every draw says 'choose and mask': only the non-special tokens change; a row of specials only."""
    ids = np.array([[2, 5, 1, 6, 3, 0], [2, 3, 0, 0, 0, 0]])
    zeros = np.zeros(ids.shape)
    return _mask(sub, ids, zeros, zeros, np.full(ids.shape, 9))


@check(points=1)
def other_mask_rate(sub):
    """mask_rate = 0.5 on a batch of 3 sentences of 10 tokens, random draws."""
    rng = np.random.default_rng(0)
    ids = rng.integers(5, 30, size=(3, 10))
    ids[:, 0], ids[2, 7:] = 2, 0
    return _mask(sub, ids, rng.random(ids.shape), rng.random(ids.shape), rng.integers(5, 30, size=ids.shape),
                 mask_rate=0.5)


def _rates_without_mutation(student, reference):
    for key in ("inputs", "labels"):
        if np.shape(student.get(key)) != reference[key].shape:
            raise AssertionError(f"`{key}` has shape {np.shape(student.get(key))}, expected {reference[key].shape}.")
        if not np.array_equal(student[key], reference[key]):
            raise AssertionError(f"`{key}` differs from the expected values on a batch of 40 x 50 random draws.")
    if not np.array_equal(student["ids_after"], reference["ids_after"]):
        raise AssertionError("bert_masking changed `ids` in place; return new arrays.")


@check(points=1, compare=_rates_without_mutation)
def large_batch_unchanged_ids(sub):
    """40 sentences of 50 tokens with the default mask_rate: exact results, and ids left unchanged."""
    rng = np.random.default_rng(1)
    ids = rng.integers(5, 100, size=(40, 50))
    ids[:, 0] = 2
    results = _mask(sub, ids, rng.random(ids.shape), rng.random(ids.shape), rng.integers(5, 100, size=ids.shape))
    return {**results, "ids_after": ids}
