"""Grader for ch07_gnn/permutation_equivariance."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "permutation_matrix": {"perm": "(N,) int"},
    "permute_graph": {"adjacency": "(N, N)", "x": "(N, F)", "perm": "(N,) int"},
    "is_equivariant": {"adjacency": "(N, N)", "x": "(N, F)", "perm": "(N,) int"},
    "is_invariant": {"adjacency": "(N, N)", "x": "(N, F)", "perm": "(N,) int"},
}


def _graph(seed, n=6, f=3):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < 0.5, 1)
    return (upper | upper.T).astype(float), rng.normal(size=(n, f)), rng.permutation(n)


_W = np.random.default_rng(99).normal(size=(3, 2))


def _gcn(a, x):  # equivariant
    degree = np.maximum(a.sum(1, keepdims=True), 1.0)
    return np.tanh((a @ x) / degree @ _W + x @ _W)


def _position_mixing(a, x):  # not equivariant: it uses the node order
    return np.cumsum(x, axis=0) + a @ x


def _sum_readout(a, x):  # invariant
    return (a @ x).sum(0) + x.max(0)


def _first_node(a, x):  # not invariant
    return x[0] + a[0] @ x


def _integer_layer(a, x):  # equivariant, and exactly so on integer-valued inputs (no rounding)
    return a @ x + 2.0 * x


def _integer_readout(a, x):  # invariant, exactly so on integer-valued inputs
    return (a @ x).sum(0) + x.sum(0)


def _integer_graph(seed, n=5):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < 0.5).astype(float)
    return a, rng.integers(-3, 4, size=(n, 2)).astype(float), rng.permutation(n)


@check(points=1, visible=True)
def permutation_matrix_and_graph(sub):
    """P for perm = [2, 0, 1] and the permuted path graph."""
    perm = np.array([2, 0, 1])
    a = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
    x = np.array([[1.0, 0.0], [2.0, 0.5], [3.0, -1.0]])
    a_p, x_p = sub.permute_graph(a, x, perm)
    return {"p": sub.permutation_matrix(perm), "a_p": a_p, "x_p": x_p}


@check(points=2)
def permuted_random_graph(sub):
    """P A P^T and P X for a random directed graph with 7 nodes."""
    rng = np.random.default_rng(4)
    a = (rng.random((7, 7)) < 0.4).astype(float)
    x = rng.normal(size=(7, 2))
    a_p, x_p = sub.permute_graph(a, x, rng.permutation(7))
    return {"a_p": a_p, "x_p": x_p}


@check(points=2)
def detects_equivariance(sub):
    """is_equivariant: True for a GCN layer, False for an order-dependent layer (3 graphs); atol = 0 on exact values."""
    a, x, perm = _integer_graph(7)
    results = {"exact_atol_0": int(bool(sub.is_equivariant(_integer_layer, a, x, perm, atol=0.0)))}
    for seed in range(3):
        a, x, perm = _graph(seed)
        results[f"gcn_{seed}"] = int(bool(sub.is_equivariant(_gcn, a, x, perm)))
        results[f"cumsum_{seed}"] = int(bool(sub.is_equivariant(_position_mixing, a, x, perm)))
    return results


@check(points=1)
def detects_invariance(sub):
    """is_invariant: True for a sum/max readout, False for a first-node readout (3 graphs); atol = 0 on exact values."""
    a, x, perm = _integer_graph(8)
    results = {"exact_atol_0": int(bool(sub.is_invariant(_integer_readout, a, x, perm, atol=0.0)))}
    for seed in range(3, 6):
        a, x, perm = _graph(seed)
        results[f"sum_{seed}"] = int(bool(sub.is_invariant(_sum_readout, a, x, perm)))
        results[f"first_{seed}"] = int(bool(sub.is_invariant(_first_node, a, x, perm)))
    return results
