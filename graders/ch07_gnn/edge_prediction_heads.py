"""Grader for ch07_gnn/edge_prediction_heads."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "sklearn")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "dot_product_scores": {"h": "(N, D)", "pairs": "(M, 2) int"},
    "concat_mlp_scores": {"h": "(N, D)", "pairs": "(M, 2) int", "w1": "(2D, H)", "b1": "(H,)", "w2": "(H,)"},
    "binary_cross_entropy": {"labels": "(M,)", "logits": "(M,)"},
    "roc_auc": {"labels": "(M,)", "scores": "(M,)"},
}


def _problem(seed, n=7, d=3, m=9, hidden=4):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, d)), rng.integers(0, n, size=(m, 2)), rng.normal(size=(2 * d, hidden)),
            rng.normal(size=hidden), rng.normal(size=hidden), float(rng.normal()))


@check(points=1, visible=True)
def dot_product_on_three_nodes(sub):
    """dot-product scores of pairs (0, 1), (1, 2), (2, 2)."""
    h = np.array([[1.0, 0.0], [0.5, 2.0], [-1.0, 1.0]])
    return {"scores": sub.dot_product_scores(h, np.array([[0, 1], [1, 2], [2, 2]]))}


@check(points=2)
def concatenation_head(sub):
    """the MLP head on random pairs; it scores (u, v) and (v, u) differently."""
    h, pairs, w1, b1, w2, b2 = _problem(3)
    return {"scores": sub.concat_mlp_scores(h, pairs, w1, b1, w2, b2),
            "reversed": sub.concat_mlp_scores(h, pairs[:, ::-1], w1, b1, w2, b2),
            "dot": sub.dot_product_scores(h, pairs)}


@check(points=1)
def cross_entropy_including_huge_logits(sub):
    """BCE on random logits, and on logits of +-800 (a naive log(sigmoid) gives inf)."""
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 2, 20)
    return {"bce": sub.binary_cross_entropy(labels, rng.normal(size=20) * 3),
            "bce_huge": sub.binary_cross_entropy(np.array([1, 0, 1, 0]), np.array([800.0, -800.0, -800.0, 5.0]))}


@check(points=2)
def auc_with_ties(sub):
    """ROC AUC of scores with many ties, and of a perfect and a reversed ranking."""
    rng = np.random.default_rng(6)
    labels = rng.integers(0, 2, 40)
    scores = np.round(rng.normal(size=40) + labels, 1)
    return {"auc": sub.roc_auc(labels, scores),
            "perfect": sub.roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.9])),
            "reversed": sub.roc_auc(np.array([1, 1, 0]), np.array([-2.0, -1.0, 3.0]))}
