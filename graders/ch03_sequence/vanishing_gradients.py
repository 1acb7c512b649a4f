"""Grader for ch03_sequence/vanishing_gradients."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "state_jacobian_norms": {
        "x": "(batch, T, input_dim)",
        "h0": "(batch, units)",
        "W_xh": "(input_dim, units)",
        "W_hh": "(units, units)",
    },
}


def _case(seed, batch, steps, input_dim, units, spectral_norm):
    rng = np.random.default_rng(seed)
    w_hh = rng.normal(size=(units, units))
    w_hh *= spectral_norm / np.linalg.norm(w_hh, 2)
    return (rng.normal(size=(batch, steps, input_dim)), rng.normal(size=(batch, units)) * 0.3,
            rng.normal(size=(input_dim, units)) * 0.5, w_hh)


@check(points=1, visible=True)
def linear_regime(sub):
    """x = 0, h_0 = 0, W_hh = 0.5 I (h stays 0, tanh' = 1): the norms are sqrt(3) 0.5^t."""
    norms = sub.state_jacobian_norms(np.zeros((1, 4, 2)), np.zeros((1, 3)), np.ones((2, 3)), 0.5 * np.eye(3))
    return {"norms": norms}


@check(points=1, atol=1e-12)
def small_recurrent_weights(sub):
    """spectral norm 0.5, 3 sequences of 15 steps: the gradient vanishes."""
    return {"norms": sub.state_jacobian_norms(*_case(2, batch=3, steps=15, input_dim=2, units=4, spectral_norm=0.5))}


@check(points=1)
def large_recurrent_weights(sub):
    """spectral norm 1.8, 2 sequences of 10 steps, W_hh not symmetric (the order of the product
    matters): the gradient can grow before tanh saturates."""
    return {"norms": sub.state_jacobian_norms(*_case(7, batch=2, steps=10, input_dim=3, units=5, spectral_norm=1.8))}


def _within_bound(student, reference):
    norms = student.get("norms")
    if norms is None or np.shape(norms) != reference["norms"].shape:
        raise AssertionError(f"`norms` has shape {np.shape(norms)}, expected {reference['norms'].shape}.")
    bound = reference["bound"]
    if np.any(norms > bound * (1 + 1e-6)):
        t = int(np.argwhere(norms > bound * (1 + 1e-6))[0][1]) + 1
        raise AssertionError(
            f"||dh_t/dh_0|| at t = {t} exceeds sqrt(units) sigma_max(W_hh)^t, which |tanh'| <= 1 "
            "guarantees; check the factor (1 - h_t^2) and the order of the matrix product.")
    if not np.allclose(norms, reference["norms"], rtol=1e-5, atol=1e-12):
        raise AssertionError("`norms` is within the theoretical bound but differs from the expected values.")


@check(points=1, compare=_within_bound)
def geometric_bound(sub):
    """a property: ||dh_t/dh_0||_F <= sqrt(units) sigma_max(W_hh)^t on 2 sequences of 25 steps."""
    x, h0, w_xh, w_hh = _case(11, batch=2, steps=25, input_dim=2, units=6, spectral_norm=0.7)
    bound = np.sqrt(6) * 0.7 ** np.arange(1, 26)
    return {"norms": sub.state_jacobian_norms(x, h0, w_xh, w_hh), "bound": np.tile(bound, (2, 1))}
