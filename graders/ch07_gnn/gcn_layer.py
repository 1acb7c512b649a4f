"""Grader for ch07_gnn/gcn_layer."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "aggregate_mean": {"messages": "(E, ...)", "receivers": "(E,) int"},
    "gcn_layer": {
        "h": "(N, F)",
        "senders": "(E,) int",
        "receivers": "(E,) int",
        "w_k": "(F, F')",
        "b_k": "(F, F')",
    },
}


def _graph(seed, n, e, f, units):
    rng = np.random.default_rng(seed)
    senders, receivers = rng.integers(0, n, e), rng.integers(0, n, e)
    return (rng.normal(size=(n, f)), senders, receivers, rng.normal(size=(f, units)),
            rng.normal(size=(f, units)))


@check(points=1, visible=True)
def mean_aggregation_on_a_star(sub):
    """aggregate_mean on a star: nodes 1, 2, 3 send to node 0."""
    messages = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 0.0]])
    return {"mean": sub.aggregate_mean(messages, np.array([0, 0, 0]), 4)}


@check(points=1, visible=True)
def gcn_layer_on_a_triangle(sub):
    """one layer on the undirected triangle 0 - 1 - 2 with ReLU."""
    h = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    senders, receivers = np.array([0, 1, 1, 2, 2, 0]), np.array([1, 0, 2, 1, 0, 2])
    w_k = np.array([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0]])
    b_k = np.array([[0.0, 1.0, 1.0], [-1.0, 0.0, 0.5]])
    return {"h_next": sub.gcn_layer(h, senders, receivers, w_k, b_k, "relu")}


@check(points=2)
def random_directed_graph_with_repeats(sub):
    """a random directed graph with repeated edges and nodes without incoming edges."""
    h, s, r, w_k, b_k = _graph(4, 10, 14, 5, 3)
    return {"h_relu": sub.gcn_layer(h, s, r, w_k, b_k, "relu"),
            "h_linear": sub.gcn_layer(h, s, r, w_k, b_k, None)}


@check(points=1)
def aggregate_mean_higher_rank(sub):
    """aggregate_mean on (E, 2, 3) messages and a node count larger than any receiver."""
    rng = np.random.default_rng(6)
    return {"mean": sub.aggregate_mean(rng.normal(size=(8, 2, 3)), rng.integers(0, 4, 8), 6)}


def _raised_and_still_works(student, reference):
    if student["raised"] != 1:
        raise AssertionError("gcn_layer(..., 'softmax') should raise ValueError for an unknown activation.")
    if "valid_error" in student:
        raise AssertionError(f"gcn_layer(..., 'relu') on a valid graph raised {student['valid_error']} "
                             "-- only an unknown activation should raise.")
    got, expected = np.asarray(student["h_relu"], dtype=float), reference["h_relu"]
    if got.shape != expected.shape:
        raise AssertionError(f"gcn_layer(..., 'relu') on this check's valid graph returned shape {got.shape}, "
                             f"expected {expected.shape}.")
    if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        raise AssertionError("gcn_layer(..., 'relu') on this check's valid graph returned wrong values "
                             f"(largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_raised_and_still_works, requires=("random_directed_graph_with_repeats",))
def unknown_activation(sub):
    """an unknown activation raises ValueError; 'relu' on the same graph still gives H'."""
    h, s, r, w_k, b_k = _graph(1, 4, 5, 2, 2)
    out = {"raised": 0}
    try:
        sub.gcn_layer(h, s, r, w_k, b_k, "softmax")
    except ValueError:
        out["raised"] = 1
    try:
        out["h_relu"] = sub.gcn_layer(h, s, r, w_k, b_k, "relu")
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        out["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return out
