"""Grader for ch05_nlp/cross_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "dlcourse.nlp", "keras", "keras_hub", "tensorflow", "torch", "scipy.special",
             "jax")

SHAPES = {
    "cross_attention": {"y": "(batch, T, d_dec)", "z": "(batch, S, d_enc)", "W_q": "(d_dec, d_attn)",
                        "W_k": "(d_enc, d_attn)", "W_v": "(d_enc, d_attn)", "W_o": "(d_attn, d_dec)",
                        "source_padding": "(batch, S) bool"},
}


def _case(seed, batch, target, source, d_dec, d_enc, num_heads, d_k):
    rng = np.random.default_rng(seed)
    width = num_heads * d_k
    return (rng.normal(size=(batch, target, d_dec)), rng.normal(size=(batch, source, d_enc)),
            rng.normal(size=(d_dec, width)) / np.sqrt(d_dec), rng.normal(size=(d_enc, width)) / np.sqrt(d_enc),
            rng.normal(size=(d_enc, width)) / np.sqrt(d_enc), rng.normal(size=(width, d_dec)) / np.sqrt(width))


def _attend(sub, case, num_heads, source_padding=None):
    output, weights = sub.cross_attention(*case, num_heads, source_padding=source_padding)
    return {"output": np.asarray(output, dtype=float), "weights": np.asarray(weights, dtype=float)}


@check(points=1, visible=True)
def one_head(sub):
    """1 head, 2 target positions attending to 3 source positions, d_dec = d_enc = 4, d_k = 4."""
    return _attend(sub, _case(0, batch=1, target=2, source=3, d_dec=4, d_enc=4, num_heads=1, d_k=4), num_heads=1)


@check(points=2, hint="queries come from the decoder (y W_q), keys and values from the encoder (z W_k, z W_v); "
                      "the softmax runs over the source positions.")
def heads_and_different_sizes(sub):
    """2 heads of d_k = 3, T = 4 target and S = 6 source positions, d_dec = 5, d_enc = 7, a batch of 2."""
    return _attend(sub, _case(1, batch=2, target=4, source=6, d_dec=5, d_enc=7, num_heads=2, d_k=3), num_heads=2)


@check(points=1, hint="a pad source position is hidden from every query: mask the keys (the last axis).")
def padded_source(sub):
    """source_padding hides the pad source positions (lengths 5 and 2 of S = 5), 2 heads, T = 3."""
    padding = np.array([[True] * 5, [True, True, False, False, False]])
    case = _case(2, batch=2, target=3, source=5, d_dec=4, d_enc=6, num_heads=2, d_k=2)
    return _attend(sub, case, num_heads=2, source_padding=padding)


@check(points=1)
def single_query_step(sub):
    """one target position (T = 1, a decoding step) over 8 source positions, 4 heads of d_k = 2."""
    return _attend(sub, _case(3, batch=3, target=1, source=8, d_dec=8, d_enc=8, num_heads=4, d_k=2), num_heads=4)
