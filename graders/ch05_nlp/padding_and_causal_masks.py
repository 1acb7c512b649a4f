"""Grader for ch05_nlp/padding_and_causal_masks."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "dlcourse.nlp", "keras", "tensorflow", "torch", "scipy.special", "jax")

SHAPES = {
    "padding_mask": {"ids": "(batch, T) int"},
    "attention_mask": {"ids": "(batch, T) int"},
    "masked_softmax": {"scores": "(..., T, S)", "mask": "(..., T, S) bool"},
}

# Three padded sentences (pad id 0): lengths 5, 3 and 1 of T = 5.
_IDS = np.array([[4, 9, 7, 5, 6], [8, 4, 3, 0, 0], [7, 0, 0, 0, 0]])


def _bool(x):
    return np.asarray(x, dtype=bool)


@check(points=1, visible=True)
def padding_and_attention_masks(sub):
    """padding_mask and attention_mask (causal=False) of three sentences of lengths 5, 3 and 1 (T = 5)."""
    return {"padding": _bool(sub.padding_mask(_IDS)), "attention": _bool(sub.attention_mask(_IDS))}


@check(points=1, hint="the causal part is s <= t (the diagonal is allowed), combined with the padding "
                      "of the keys (the last axis).")
def causal_and_padding_combined(sub):
    """attention_mask(causal=True) of the same batch, and of one sequence of a single token."""
    return {"causal": _bool(sub.attention_mask(_IDS, causal=True)),
            "single_token": _bool(sub.attention_mask(np.array([[5]]), causal=True))}


@check(points=1)
def other_pad_id(sub):
    """pad_id = 3 (0 is then a real token), with and without the causal mask."""
    ids = np.array([[0, 5, 3, 3], [1, 0, 2, 3]])
    return {"padding": _bool(sub.padding_mask(ids, pad_id=3)),
            "attention": _bool(sub.attention_mask(ids, pad_id=3)),
            "causal": _bool(sub.attention_mask(ids, pad_id=3, causal=True))}


@check(points=2, hint="set masked scores to -infinity before the softmax; zeroing weights after it "
                      "leaves rows that do not sum to 1.")
def masked_softmax_weights(sub):
    """masked_softmax on scores (3, 5, 5): a causal-and-padding mask, a (5, 5) causal mask broadcast over
    the batch, and scores in the hundreds."""
    rng = np.random.default_rng(0)
    causal = np.tril(np.ones((5, 5), dtype=bool))
    mask = (_IDS[:, None, :] != 0) & causal
    scores = rng.normal(size=(3, 5, 5)) * 2.0
    large = rng.normal(size=(3, 5, 5)) * 300.0
    return {"weights": np.asarray(sub.masked_softmax(scores, mask), dtype=float),
            "broadcast_mask": np.asarray(sub.masked_softmax(scores, causal), dtype=float),
            "large_scores": np.asarray(sub.masked_softmax(large, mask), dtype=float)}
