"""Grader for ch03_sequence/vanishing_remedies."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.sequence", "keras", "tensorflow", "torch", "jax")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "activation_derivative": {"a": "any shape"},
    "state_gradient_norms": {
        "x": "(batch, T, input_dim)",
        "h0": "(batch, units)",
        "W_xh": "(input_dim, units)",
        "W_hh": "(units, units)",
    },
}


def _random_w_hh(rng, units, spectral_norm):
    w_hh = rng.normal(size=(units, units))
    return w_hh * (spectral_norm / np.linalg.norm(w_hh, 2))


def _norms(sub, x, h0, w_xh, w_hh, activation):
    return np.asarray(sub.state_gradient_norms(x, h0, w_xh, w_hh, activation), dtype=float)


@check(points=1, visible=True, hint="tanh'(a) = 1 - tanh(a)^2; relu'(a) is 1 where a > 0 and 0 elsewhere, "
                                    "0 at a = 0 too.")
def derivatives(sub):
    """activation_derivative on a grid of pre-activations that includes a = 0 exactly."""
    a = np.array([[-3.0, -0.5, 0.0], [1e-9, 0.5, 3.0]])
    return {"tanh": sub.activation_derivative(a, "tanh"), "relu": sub.activation_derivative(a, "relu")}


@check(points=1, atol=1e-12)
def tanh_small_weights_vanish(sub):
    """The notes' tanh RNN, spectral norm of W_hh 0.5, 3 sequences of 12 steps: the norms vanish."""
    rng = np.random.default_rng(1)
    x, h0 = rng.normal(size=(3, 12, 2)), rng.normal(size=(3, 4)) * 0.3
    return {"norms": _norms(sub, x, h0, rng.normal(size=(2, 4)) * 0.5, _random_w_hh(rng, 4, 0.5), "tanh")}


@check(points=1)
def relu_identity_keeps_the_gradient(sub):
    """ReLU with W_hh = I, 2 sequences of 20 steps whose units all stay active: the norm stays sqrt(units)."""
    rng = np.random.default_rng(2)
    x, h0 = rng.uniform(0.0, 1.0, size=(2, 20, 3)), rng.uniform(0.5, 1.5, size=(2, 5))
    return {"norms": _norms(sub, x, h0, rng.uniform(-0.05, 0.1, size=(3, 5)), np.eye(5), "relu")}


@check(points=2, atol=1e-12)
def one_remedy_alone_is_not_enough(sub):
    """tanh with W_hh = I, and ReLU with small random W_hh (spectral norm 0.5), 2 sequences of
    15 steps each: both still vanish; W_hh is not symmetric (the order of the product matters)."""
    rng = np.random.default_rng(3)
    # positive inputs and input weights keep most ReLU units active: the decay comes from W_hh
    x, h0 = rng.uniform(0.0, 1.0, size=(2, 15, 3)), rng.normal(size=(2, 4))
    w_xh = rng.uniform(0.0, 0.5, size=(3, 4))
    return {"tanh_identity": _norms(sub, x, h0, w_xh, np.eye(4), "tanh"),
            "relu_small": _norms(sub, x, h0, w_xh, _random_w_hh(rng, 4, 0.5), "relu")}


@check(points=1, hint="A ReLU unit with a_t <= 0 passes no gradient (relu'(0) = 0).")
def inactive_relu_units(sub):
    """ReLU, W_hh = I and x = 0, from h_0 with positive, zero and negative entries: units whose
    pre-activation is 0 or below pass no gradient."""
    h0 = np.array([[1.0, 0.0, -0.5, 2.0], [0.0, 0.0, 0.3, -1.0]])
    return {"norms": _norms(sub, np.zeros((2, 3, 1)), h0, np.ones((1, 4)), np.eye(4), "relu")}
