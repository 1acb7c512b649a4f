"""Grader for ch03_sequence/scaled_dot_product_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "scipy.special", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "scaled_dot_product_attention": {
        "q": "(..., T, d_k)",
        "k": "(..., S, d_k)",
        "v": "(..., S, d_v)",
        "mask": "(..., T, S) bool",
    },
}


def _qkv(seed, batch_shape, queries, keys, d_k, d_v, scale=1.0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(*batch_shape, queries, d_k)) * scale,
            rng.normal(size=(*batch_shape, keys, d_k)) * scale,
            rng.normal(size=(*batch_shape, keys, d_v)))


def _attend(sub, qkv, mask=None):
    output, weights = sub.scaled_dot_product_attention(*qkv, mask=mask)
    return {"output": output, "weights": weights}


@check(points=1, visible=True)
def single_sequence(sub):
    """3 queries, 4 keys, d_k = 2, d_v = 3, no batch axis, no mask."""
    return _attend(sub, _qkv(0, (), queries=3, keys=4, d_k=2, d_v=3))


@check(points=1)
def batched_and_scaled(sub):
    """a batch of 2, 5 queries, 6 keys, d_k = 8: the scores are divided by sqrt(8)."""
    return _attend(sub, _qkv(1, (2,), queries=5, keys=6, d_k=8, d_v=4))


@check(points=1)
def large_scores_stay_finite(sub):
    """queries and keys of size ~30, scores in the hundreds: the softmax must not overflow."""
    return _attend(sub, _qkv(2, (2,), queries=4, keys=4, d_k=4, d_v=2, scale=30.0))


@check(points=2)
def masked_keys(sub):
    """a boolean mask (batch 2, 4 queries, 5 keys) broadcast over the batch: masked keys get weight 0."""
    rng = np.random.default_rng(3)
    mask = rng.uniform(size=(4, 5)) < 0.6
    mask[np.arange(4), rng.integers(0, 5, size=4)] = True  # every query may attend somewhere
    results = _attend(sub, _qkv(4, (2,), queries=4, keys=5, d_k=3, d_v=2), mask=mask)
    return results
