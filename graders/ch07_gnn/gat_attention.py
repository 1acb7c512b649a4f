"""Grader for ch07_gnn/gat_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "attention_coefficients": {
        "adjacency": "(N, N)",
        "h": "(N, F)",
        "w": "(F, D)",
        "a_src": "(D,)",
        "a_dst": "(D,)",
    },
    "gat_layer": {
        "adjacency": "(N, N)",
        "h": "(N, F)",
        "w": "(K, F, D)",
        "a_src": "(K, D)",
        "a_dst": "(K, D)",
    },
}


def _problem(seed, n=6, f=3, d=4, heads=2, scale=1.0):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < 0.4).astype(float)
    np.fill_diagonal(a, 0.0)
    return (a, rng.normal(size=(n, f)), rng.normal(size=(heads, f, d)) * scale,
            rng.normal(size=(heads, d)), rng.normal(size=(heads, d)))


@check(points=1, visible=True)
def coefficients_on_a_triangle_with_a_pendant(sub):
    """one head on the triangle 0-1-2 with node 3 hanging off node 2 (neighbours only)."""
    a = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    h = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    w = np.array([[1.0, 0.5], [-0.5, 1.0]])
    return {"alpha": sub.attention_coefficients(a, h, w, np.array([1.0, -1.0]), np.array([0.5, 0.5]))}


@check(points=1)
def coefficients_with_self_loops(sub):
    """one head on a random directed graph with self_loops=True (Velickovic et al.), slope 0.1."""
    a, h, w, a_src, a_dst = _problem(3, n=8)
    return {"alpha": sub.attention_coefficients(a, h, w[0], a_src[0], a_dst[0], slope=0.1, self_loops=True)}


@check(points=2)
def multi_head_concat_and_mean(sub):
    """three heads on a random directed graph: concatenated, and averaged with sigma = ReLU after the mean."""
    a, h, w, a_src, a_dst = _problem(4, n=7, heads=3)
    return {"concat": sub.gat_layer(a, h, w, a_src, a_dst, "concat"),
            "mean_relu": sub.gat_layer(a, h, w, a_src, a_dst, "mean", activation="relu"),
            "concat_relu_self_loops": sub.gat_layer(a, h, w, a_src, a_dst, "concat", self_loops=True,
                                                    activation="relu")}


@check(points=1)
def node_without_neighbours(sub):
    """a node without neighbours: a zero row of alpha and h_v' = 0, or only itself with self_loops=True."""
    a, h, w, a_src, a_dst = _problem(5, n=6, heads=1)
    a[2, :] = 0.0
    return {"alpha": sub.attention_coefficients(a, h, w[0], a_src[0], a_dst[0]),
            "alpha_self_loops": sub.attention_coefficients(a, h, w[0], a_src[0], a_dst[0], self_loops=True),
            "h_next": sub.gat_layer(a, h, w, a_src, a_dst, "mean")}


@check(points=1)
def large_scores_do_not_overflow(sub):
    """scores past 1000 must not overflow exp (subtract each row's largest score)."""
    a, h, w, a_src, a_dst = _problem(6, n=5, heads=1, scale=600.0)
    a[0, 1] = a[0, 3] = 1.0
    return {"alpha": sub.attention_coefficients(a, h, w[0], a_src[0], a_dst[0]),
            "h_next": sub.gat_layer(a, h, w, a_src, a_dst, "concat")}
