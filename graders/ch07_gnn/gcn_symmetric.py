"""Grader for ch07_gnn/gcn_symmetric."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "scipy", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "gcn_symmetric_layer": {"adjacency": "(N, N)", "h": "(N, F)", "w": "(F, units)", "b": "(units,)"},
    "two_layer_gcn": {
        "adjacency": "(N, N)",
        "x": "(N, F)",
        "w0": "(F, hidden)",
        "b0": "(hidden,)",
        "w1": "(hidden, C)",
        "b1": "(C,)",
    },
}


def _problem(seed, n, f, hidden, classes, p=0.3, scale=1.0):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    a = (upper | upper.T).astype(float)
    return (a, rng.normal(size=(n, f)), rng.normal(size=(f, hidden)) * scale, rng.normal(size=hidden),
            rng.normal(size=(hidden, classes)) * scale, rng.normal(size=classes))


@check(points=1, visible=True)
def layer_on_a_path(sub):
    """one ReLU layer on the path 0 - 1 - 2 - 3."""
    a = np.diag(np.ones(3), 1) + np.diag(np.ones(3), -1)
    h = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]])
    w = np.array([[1.0, -1.0], [0.5, 1.0]])
    return {"h_next": sub.gcn_symmetric_layer(a, h, w, np.array([0.1, -0.2]), "relu")}


@check(points=1)
def linear_layer_on_a_random_graph(sub):
    """a linear layer (activation None) with an isolated node."""
    a, x, w0, b0, _, _ = _problem(2, 8, 4, 3, 2)
    a[5, :] = a[:, 5] = 0.0
    return {"h_next": sub.gcn_symmetric_layer(a, x, w0, b0, None)}


@check(points=2)
def two_layer_classifier(sub):
    """the two-layer GCN on a random graph with 12 nodes and 3 classes."""
    a, x, w0, b0, w1, b1 = _problem(5, 12, 6, 5, 3)
    return {"z": sub.two_layer_gcn(a, x, w0, b0, w1, b1)}


@check(points=1)
def large_logits_stay_finite(sub):
    """weights scaled by 200: a stable softmax gives finite probabilities."""
    a, x, w0, b0, w1, b1 = _problem(7, 6, 3, 4, 2, scale=200.0)
    return {"z": sub.two_layer_gcn(a, x, w0, b0, w1, b1)}
