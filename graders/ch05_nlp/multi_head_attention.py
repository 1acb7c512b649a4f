"""Grader for ch05_nlp/multi_head_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "dlcourse.nlp", "keras", "tensorflow", "torch", "scipy.special", "jax")

SHAPES = {
    "multi_head_self_attention": {"x": "(batch, T, d_model)", "W_q": "(d_model, d_model)", "W_k": "(d_model, d_model)",
                                  "W_v": "(d_model, d_model)", "W_o": "(d_model, d_model)"},
}


def _case(seed, batch, steps, d_model, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, steps, d_model)) * scale
    W_q, W_k, W_v, W_o = (rng.normal(size=(d_model, d_model)) / np.sqrt(d_model) for _ in range(4))
    return x, W_q, W_k, W_v, W_o


def _attend(sub, case, num_heads):
    output, weights = sub.multi_head_self_attention(*case, num_heads)
    return {"output": np.asarray(output, dtype=float), "weights": np.asarray(weights, dtype=float)}


@check(points=1, visible=True)
def one_head(sub):
    """num_heads = 1: one sequence of 3 positions, d_model = 4 (the notes' attention, then W_o)."""
    return _attend(sub, _case(0, batch=1, steps=3, d_model=4), num_heads=1)


@check(points=2, hint="head h owns features h*d_k .. (h+1)*d_k - 1 of Q, K and V, and the heads are "
                      "concatenated in that order before W_o.")
def two_heads(sub):
    """num_heads = 2, d_model = 6 (d_k = 3), 2 sequences of 5 positions: output and weights (2, 2, 5, 5)."""
    return _attend(sub, _case(1, batch=2, steps=5, d_model=6), num_heads=2)


@check(points=2)
def four_heads_scaled_by_sqrt_d_k(sub):
    """num_heads = 4, d_model = 8 (d_k = 2), 3 sequences of 4: the scores are divided by sqrt(d_k) = sqrt(2)."""
    return _attend(sub, _case(2, batch=3, steps=4, d_model=8), num_heads=4)


@check(points=1)
def large_scores_stay_finite(sub):
    """inputs scaled by 40 (scores in the hundreds), 2 heads, d_model = 4: no inf or NaN."""
    return _attend(sub, _case(3, batch=2, steps=6, d_model=4, scale=40.0), num_heads=2)
