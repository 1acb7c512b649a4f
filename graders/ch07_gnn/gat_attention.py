"""Grader for ch07_gnn/gat_attention."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "networkx")


def _problem(seed, n=6, f=3, d=4, heads=2, scale=1.0):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < 0.4).astype(float)
    np.fill_diagonal(a, 0.0)
    return (a, rng.normal(size=(n, f)), rng.normal(size=(heads, f, d)) * scale,
            rng.normal(size=(heads, d)), rng.normal(size=(heads, d)))


@check(points=1, visible=True)
def coefficients_on_a_triangle_with_a_pendant(sub):
    """one head on the triangle 0-1-2 with node 3 hanging off node 2."""
    a = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]], dtype=float)
    h = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.5]])
    w = np.array([[1.0, 0.5], [-0.5, 1.0]])
    return {"alpha": sub.attention_coefficients(a, h, w, np.array([1.0, -1.0]), np.array([0.5, 0.5]))}


@check(points=1)
def coefficients_on_a_directed_graph(sub):
    """one head on a random directed graph, LeakyReLU slope 0.1."""
    a, h, w, a_src, a_dst = _problem(3, n=8)
    return {"alpha": sub.attention_coefficients(a, h, w[0], a_src[0], a_dst[0], slope=0.1)}


@check(points=2)
def multi_head_concat_and_mean(sub):
    """three heads, concatenated and averaged."""
    a, h, w, a_src, a_dst = _problem(4, n=7, heads=3)
    return {"concat": sub.gat_layer(a, h, w, a_src, a_dst, "concat"),
            "mean": sub.gat_layer(a, h, w, a_src, a_dst, "mean")}


@check(points=1)
def isolated_node_and_large_scores(sub):
    """a node without neighbours attends only to itself; scores past 1000 must not overflow."""
    a, h, w, a_src, a_dst = _problem(6, n=5, heads=1, scale=600.0)
    a[2, :] = 0.0
    return {"alpha": sub.attention_coefficients(a, h, w[0], a_src[0], a_dst[0]),
            "h_next": sub.gat_layer(a, h, w, a_src, a_dst, "concat")}
