"""Grader for ch06_generative/flow_log_likelihood."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.generative", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "standard_normal_log_prob": {"z": "(N, D)"},
    "flow_log_likelihood": {"x": "(N, D)", "weights": "(K, D, D)", "biases": "(K, D)"},
    "flow_sample": {"weights": "(K, D, D)", "biases": "(K, D)"},
}


def _flow(seed, k, d):
    rng = np.random.default_rng(seed)
    weights = np.eye(d) + 0.6 * rng.normal(size=(k, d, d))
    return weights, rng.normal(size=(k, d))


@check(points=1, visible=True)
def base_log_density(sub):
    """log N(z; 0, I) of three points in 2-D."""
    return {"log_pz": sub.standard_normal_log_prob(np.array([[0.0, 0.0], [1.0, -2.0], [0.5, 3.0]]))}


@check(points=1, visible=True)
def one_layer_in_one_dimension(sub):
    """z = (x - 1) / 2, so p(x) is the density of N(1, 4), at four points."""
    x = np.array([[-1.0], [0.0], [1.0], [4.0]])
    return {"log_px": sub.flow_log_likelihood(x, np.array([[[0.5]]]), np.array([[-0.5]]))}


@check(points=2)
def three_layers_in_two_dimensions(sub):
    """log p(x) of five points under K = 3 random affine layers in 2-D (some with det < 0)."""
    weights, biases = _flow(2, 3, 2)
    weights[1] = weights[1][::-1]  # swapped rows: a negative determinant
    x = np.random.default_rng(3).normal(size=(5, 2))
    return {"log_px": sub.flow_log_likelihood(x, weights, biases)}


@check(points=1)
def no_layers(sub):
    """K = 0: log p(x) is the base density, in 3-D."""
    x = np.random.default_rng(4).normal(size=(4, 3))
    return {"log_px": sub.flow_log_likelihood(x, np.zeros((0, 3, 3)), np.zeros((0, 3)))}


@check(points=1)
def samples_from_a_seeded_generator(sub):
    """six samples of a K = 2 flow in 3-D, base noise drawn from an rng seeded 21."""
    weights, biases = _flow(5, 2, 3)
    return {"x": sub.flow_sample(weights, biases, 6, np.random.default_rng(21))}
