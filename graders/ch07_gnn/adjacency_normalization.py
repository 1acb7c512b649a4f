"""Grader for ch07_gnn/adjacency_normalization."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "networkx", "scipy", "tensorflow_gnn")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "mean_normalized_adjacency": {"adjacency": "(N, N)"},
    "symmetric_normalized_adjacency": {"adjacency": "(N, N)"},
}


def _undirected(seed, n, p):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float)


@check(points=1, visible=True)
def path_graph(sub):
    """both normalisations of the path graph 0 - 1 - 2."""
    a = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
    return {"mean": sub.mean_normalized_adjacency(a), "symmetric": sub.symmetric_normalized_adjacency(a)}


@check(points=1)
def random_undirected_graph(sub):
    """a random undirected graph with 9 nodes."""
    a = _undirected(3, 9, 0.4)
    return {"mean": sub.mean_normalized_adjacency(a), "symmetric": sub.symmetric_normalized_adjacency(a)}


@check(points=1)
def isolated_node(sub):
    """a graph with an isolated node: its row of D^-1 A is zero, A_sym[i, i] = 1."""
    a = _undirected(5, 6, 0.5)
    a[4, :] = a[:, 4] = 0.0
    return {"mean": sub.mean_normalized_adjacency(a), "symmetric": sub.symmetric_normalized_adjacency(a)}


@check(points=1)
def directed_weighted_graph(sub):
    """a directed graph with edge weights (A is not symmetric)."""
    rng = np.random.default_rng(8)
    a = (rng.random((7, 7)) < 0.35) * rng.uniform(0.5, 2.0, (7, 7))
    np.fill_diagonal(a, 0.0)
    return {"mean": sub.mean_normalized_adjacency(a), "symmetric": sub.symmetric_normalized_adjacency(a)}


def _input_unchanged(student, reference):
    for name in ("mean", "symmetric"):
        # The probe's input is rebuilt here, in the grading process, from the same seed.
        original = _undirected(2, 5, 0.6)
        after = np.asarray(student[f"{name}_input_after"])
        if after.shape != original.shape or not np.array_equal(after, original):
            raise AssertionError(f"{name}_normalized_adjacency modified the adjacency matrix it was given; "
                                 "work on a copy.")
    for name in ("mean", "symmetric"):
        got, expected = np.asarray(student[name], dtype=float), reference[name]
        if got.shape != expected.shape:
            raise AssertionError(f"{name}_normalized_adjacency returned shape {got.shape}, expected "
                                 f"{expected.shape}.")
        if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
            raise AssertionError(f"{name}_normalized_adjacency returned wrong values on this check's graph "
                                 f"(largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_input_unchanged)
def does_not_modify_its_input(sub):
    """each function leaves its argument as it was, and still returns the normalised matrix."""
    out = {}
    for name, fn in (("mean", sub.mean_normalized_adjacency), ("symmetric", sub.symmetric_normalized_adjacency)):
        a = _undirected(2, 5, 0.6)
        out[name] = fn(a)
        out[f"{name}_input_after"] = a
    return out
