"""Grader for ch07_gnn/general_gnn_layer."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "messages": {"h": "(N, F)", "w": "(F, D)"},
    "aggregate": {"m": "(N, D)", "senders": "(E,) int", "receivers": "(E,) int"},
    "general_gnn_layer": {"h": "(N, F)", "senders": "(E,) int", "receivers": "(E,) int", "w": "(F, D)"},
}


def _multigraph(seed, n=9, e=16, f=4, d=3):
    """A random directed graph with repeated edges, self-loops allowed, and nodes 0 and 1 without in-edges."""
    rng = np.random.default_rng(seed)
    senders, receivers = rng.integers(0, n, e), rng.integers(2, n, e)
    senders[:2], receivers[:2] = n // 2, n - 1  # one repeated edge for sure
    return rng.normal(size=(n, f)), senders, receivers, rng.normal(size=(f, d))


@check(points=1, visible=True)
def aggregate_on_a_star(sub):
    """sum, mean and max on a star: nodes 1, 2, 3 send to node 0, node 0 sends to node 1; node 4 hears nothing."""
    m = np.array([[1.0, -1.0], [2.0, 0.5], [-3.0, 4.0], [0.5, 1.0], [9.0, 9.0]])
    senders, receivers = np.array([1, 2, 3, 0]), np.array([0, 0, 0, 1])
    return {reduce: sub.aggregate(m, senders, receivers, 5, reduce) for reduce in ("sum", "mean", "max")}


@check(points=1)
def messages_and_concatenation_order(sub):
    """messages and the layer on a small directed graph: concat(aggregate, own message), in that order."""
    h = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0], [1.0, 1.0, 0.0], [-2.0, 0.5, 1.0]])
    w = np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]])
    senders, receivers = np.array([0, 1, 2, 2, 3]), np.array([1, 2, 0, 1, 2])
    return {"m": sub.messages(h, w), "h_next": sub.general_gnn_layer(h, senders, receivers, w, "mean")}


@check(points=1)
def negative_messages_and_nodes_without_in_edges(sub):
    """all messages negative (a max must not start at 0), nodes without in-edges, and a graph without edges."""
    rng = np.random.default_rng(3)
    m = -rng.uniform(0.5, 3.0, size=(6, 3))
    senders, receivers = np.array([0, 1, 2, 3, 1]), np.array([1, 2, 1, 2, 5])
    none = np.zeros(0, dtype=np.int64)
    out = {reduce: sub.aggregate(m, senders, receivers, 6, reduce) for reduce in ("sum", "mean", "max")}
    out.update({f"no_edges_{reduce}": sub.aggregate(m, none, none, 6, reduce) for reduce in ("sum", "max")})
    return out


@check(points=2)
def random_graph_with_repeated_edges(sub):
    """the layer with each reduction on a random directed multigraph, without and with sigma = ReLU."""
    h, s, r, w = _multigraph(4)
    out = {reduce: sub.general_gnn_layer(h, s, r, w, reduce) for reduce in ("sum", "mean", "max")}
    out.update({f"{reduce}_relu": sub.general_gnn_layer(h, s, r, w, reduce, "relu") for reduce in ("sum", "mean")})
    return out


def _raised_and_still_works(student, reference):
    for name, call in (("reduce", "aggregate(..., reduce='median')"),
                       ("activation", "general_gnn_layer(..., activation='tanh')")):
        if student[f"raised_{name}"] != 1:
            raise AssertionError(f"{call} should raise ValueError for an unknown {name}.")
    if "valid_error" in student:
        raise AssertionError(f"general_gnn_layer(..., 'max', 'relu') on a valid graph raised {student['valid_error']} "
                             "-- only an unknown reduce or activation should raise.")
    got, expected = np.asarray(student["h_next"], dtype=float), reference["h_next"]
    if got.shape != expected.shape:
        raise AssertionError(f"general_gnn_layer(..., 'max', 'relu') on this check's valid graph returned shape "
                             f"{got.shape}, expected {expected.shape}.")
    if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        raise AssertionError("general_gnn_layer(..., 'max', 'relu') on this check's valid graph returned wrong "
                             f"values (largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_raised_and_still_works)
def unknown_reduce_or_activation(sub):
    """an unknown reduce or activation raises ValueError; 'max' with ReLU on the same graph still works."""
    h, s, r, w = _multigraph(1, n=5, e=7, f=2, d=2)
    out = {"raised_reduce": 0, "raised_activation": 0}
    try:
        sub.aggregate(sub.messages(h, w), s, r, 5, "median")
    except ValueError:
        out["raised_reduce"] = 1
    try:
        sub.general_gnn_layer(h, s, r, w, "mean", "tanh")
    except ValueError:
        out["raised_activation"] = 1
    try:
        out["h_next"] = sub.general_gnn_layer(h, s, r, w, "max", "relu")
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        out["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return out
