"""Grader for ch07_gnn/graph_pooling_readout."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "scipy")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "batch_graphs": {},
    "readout": {"h": "(N, D)", "graph_ids": "(N,) int"},
}


@check(points=1, visible=True)
def readout_of_two_small_graphs(sub):
    """mean, max and sum over graphs {0, 1} and {2}."""
    h = np.array([[1.0, -2.0], [3.0, 0.0], [-1.0, 5.0]])
    ids = np.array([0, 0, 1])
    return {reduce: sub.readout(h, ids, 2, reduce) for reduce in ("mean", "max", "sum")}


@check(points=1)
def batching_three_graphs(sub):
    """batch_graphs on a triangle, a single node and a path of 3."""
    triangle = np.ones((3, 3)) - np.eye(3)
    single = np.zeros((1, 1))
    path = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
    rng = np.random.default_rng(2)
    features = [rng.normal(size=(3, 2)), rng.normal(size=(1, 2)), rng.normal(size=(3, 2))]
    a, x, ids = sub.batch_graphs([triangle, single, path], features)
    return {"adjacency": a, "x": x, "graph_ids": ids}


@check(points=2)
def shuffled_nodes_and_an_empty_graph(sub):
    """readout over shuffled graph ids with a graph (id 3) that has no nodes; negative states."""
    rng = np.random.default_rng(4)
    h = rng.normal(size=(11, 3)) - 2.0
    ids = rng.permutation(np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 4, 4]))
    return {reduce: sub.readout(h, ids, 5, reduce) for reduce in ("mean", "max", "sum")}


def _raised_and_still_works(student, reference):
    if student["raised"] != 1:
        raise AssertionError("readout(..., 'median') should raise ValueError for an unknown reduce.")
    if "valid_error" in student:
        raise AssertionError(f"readout(..., 'max') on valid node states raised {student['valid_error']} "
                             "-- only an unknown reduce should raise.")
    got, expected = np.asarray(student["max"], dtype=float), reference["max"]
    if got.shape != expected.shape:
        raise AssertionError(f"readout(..., 'max') on this check's valid node states returned shape {got.shape}, "
                             f"expected {expected.shape}.")
    if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        raise AssertionError("readout(..., 'max') on this check's valid node states returned wrong values "
                             f"(largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_raised_and_still_works)
def unknown_reduce(sub):
    """an unknown reduce raises ValueError; 'max' on the same states still pools them."""
    h = np.array([[1.0, -2.0], [3.0, 0.5], [0.0, 4.0]])
    ids = np.array([0, 1, 0])
    out = {"raised": 0}
    try:
        sub.readout(h, ids, 2, "median")
    except ValueError:
        out["raised"] = 1
    try:
        out["max"] = sub.readout(h, ids, 2, "max")
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        out["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return out
