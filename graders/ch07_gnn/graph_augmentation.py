"""Grader for ch07_gnn/graph_augmentation."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "structural_features": {"adjacency": "(N, N)"},
    "add_virtual_node": {"adjacency": "(N, N)", "x": "(N, F)"},
    "two_hop_adjacency": {"adjacency": "(N, N)"},
}


def _undirected(seed, n, p):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float)


def _bowtie():
    """Two triangles sharing node 2, and a tail 4 - 5."""
    a = np.zeros((6, 6))
    for i, j in [(0, 1), (0, 2), (1, 2), (2, 3), (2, 4), (3, 4), (4, 5)]:
        a[i, j] = a[j, i] = 1.0
    return a


@check(points=1, visible=True)
def features_of_a_bowtie(sub):
    """degrees and triangle counts of two triangles sharing a node, with a tail."""
    return {"features": sub.structural_features(_bowtie())}


@check(points=1)
def features_of_a_random_graph(sub):
    """degrees and triangle counts on a dense random graph with 12 nodes."""
    return {"features": sub.structural_features(_undirected(3, 12, 0.5))}


@check(points=2)
def virtual_node(sub):
    """add_virtual_node on the bowtie and on a random graph with 3 features."""
    a = _undirected(4, 7, 0.3)
    x = np.random.default_rng(4).normal(size=(7, 3))
    a1, x1 = sub.add_virtual_node(_bowtie(), np.ones((6, 1)))
    a2, x2 = sub.add_virtual_node(a, x)
    return {"a_bowtie": a1, "x_bowtie": x1, "a_random": a2, "x_random": x2}


@check(points=2)
def two_hop_edges(sub):
    """2-hop adjacency of the bowtie, of a random graph, and of a directed path 0 -> 1 -> 2."""
    directed = np.zeros((3, 3))
    directed[1, 0] = directed[2, 1] = 1.0
    return {"bowtie": sub.two_hop_adjacency(_bowtie()), "random": sub.two_hop_adjacency(_undirected(5, 10, 0.2)),
            "directed": sub.two_hop_adjacency(directed)}
