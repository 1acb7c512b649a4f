"""Grader for ch03_sequence/causal_self_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "scipy.special", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "causal_mask": {},
    "causal_self_attention": {
        "x": "(batch, T, d_model)",
        "W_q": "(d_model, d_k)",
        "W_k": "(d_model, d_k)",
        "W_v": "(d_model, d_v)",
    },
}


def _case(seed, batch, steps, d_model, d_k, d_v, scale=1.0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(batch, steps, d_model)) * scale, rng.normal(size=(d_model, d_k)),
            rng.normal(size=(d_model, d_k)), rng.normal(size=(d_model, d_v)))


def _attend(sub, case):
    output, weights = sub.causal_self_attention(*case)
    return {"output": output, "weights": weights}


@check(points=1, visible=True)
def small_example(sub):
    """causal_mask(4), and causal self-attention on one sequence of 3 positions (d_model = 2)."""
    return {"mask": np.asarray(sub.causal_mask(4), dtype=bool),
            **_attend(sub, _case(1, batch=1, steps=3, d_model=2, d_k=2, d_v=2))}


@check(points=1)
def mask_of_length_1_and_7(sub):
    """causal_mask for a single position and for 7 positions."""
    return {"mask_1": np.asarray(sub.causal_mask(1), dtype=bool), "mask_7": np.asarray(sub.causal_mask(7), dtype=bool)}


@check(points=2)
def attention_output_and_weights(sub):
    """2 sequences of 5 positions, d_model = 4, d_k = 3, d_v = 2: output and weights."""
    return _attend(sub, _case(0, batch=2, steps=5, d_model=4, d_k=3, d_v=2))


def _no_look_ahead(student, reference):
    weights = student.get("weights")
    if weights is None or np.shape(weights) != reference["weights"].shape:
        raise AssertionError(f"`weights` has shape {np.shape(weights)}, expected {reference['weights'].shape}.")
    weights = np.asarray(weights, dtype=float)
    if not np.all(np.isfinite(weights)) or not np.all(np.isfinite(student.get("output", np.nan))):
        raise AssertionError("the output or the weights contain inf or NaN: use a numerically stable softmax.")
    if np.any(np.abs(np.triu(weights, k=1)) > 0):
        raise AssertionError("some weights above the diagonal are not 0: position t must not attend to s > t.")
    if not np.allclose(weights.sum(axis=-1), 1.0, atol=1e-6):
        raise AssertionError("the rows of the attention weights must each sum to 1 (softmax over the keys).")
    for key in ("output", "weights"):
        if not np.allclose(student[key], reference[key], rtol=1e-5, atol=1e-6):
            raise AssertionError(f"`{key}` differs from the expected values on large inputs.")


@check(points=1, compare=_no_look_ahead)
def no_look_ahead_on_large_inputs(sub):
    """large inputs (scores in the hundreds), 3 sequences of 6: no NaN, zero weights above the diagonal."""
    return _attend(sub, _case(5, batch=3, steps=6, d_model=5, d_k=4, d_v=3, scale=30.0))
