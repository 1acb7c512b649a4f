"""Grader for ch07_gnn/graphsage_aggregators."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "aggregate": {"adjacency": "(N, N)", "h": "(N, F)", "w_pool": "(F, P)", "b_pool": "(P,)"},
    "graphsage_layer": {
        "adjacency": "(N, N)",
        "h": "(N, F)",
        "w_self": "(F, D)",
        "w_neigh": "(F, D) or (P, D)",
        "b": "(D,)",
        "w_pool": "(F, P)",
        "b_pool": "(P,)",
    },
}


def _problem(seed, n=7, f=4, p=3, d=5, isolated=True):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < 0.35).astype(float)
    np.fill_diagonal(a, 0.0)
    if isolated:
        a[n - 1] = 0.0
    return dict(adjacency=a, h=rng.normal(size=(n, f)), w_pool=rng.normal(size=(f, p)),
                b_pool=rng.normal(size=p), w_self=rng.normal(size=(f, d)),
                w_neigh_mean=rng.normal(size=(f, d)), w_neigh_pool=rng.normal(size=(p, d)),
                b=rng.normal(size=d))


@check(points=1, visible=True)
def mean_aggregator_on_a_star(sub):
    """mean aggregate on a star: node 0 hears from 1, 2, 3; the others hear from 0."""
    a = np.zeros((4, 4))
    a[0, 1:] = 1.0
    a[1:, 0] = 1.0
    h = np.array([[1.0, 0.0], [0.0, 2.0], [4.0, 2.0], [-1.0, 2.0]])
    return {"a": sub.aggregate(a, h, "mean")}


@check(points=1)
def max_pool_aggregator(sub):
    """max-pool aggregate on a random directed graph with a node without neighbours."""
    q = _problem(2)
    return {"a": sub.aggregate(q["adjacency"], q["h"], "max_pool", q["w_pool"], q["b_pool"])}


@check(points=2)
def layer_with_both_aggregators(sub):
    """graphsage_layer with mean and with max-pool, L2-normalised."""
    q = _problem(3, n=9)
    mean = sub.graphsage_layer(q["adjacency"], q["h"], q["w_self"], q["w_neigh_mean"], q["b"], "mean")
    pool = sub.graphsage_layer(q["adjacency"], q["h"], q["w_self"], q["w_neigh_pool"], q["b"], "max_pool",
                               q["w_pool"], q["b_pool"])
    return {"h_mean": mean, "h_max_pool": pool}


@check(points=1)
def without_normalization_and_zero_rows(sub):
    """normalize=False, and a layer whose ReLU output has all-zero rows (no NaN after L2)."""
    q = _problem(5, isolated=False)
    plain = sub.graphsage_layer(q["adjacency"], q["h"], q["w_self"], q["w_neigh_mean"], q["b"], "mean",
                                normalize=False)
    dead = sub.graphsage_layer(q["adjacency"], q["h"], q["w_self"], q["w_neigh_mean"], q["b"] - 100.0, "mean")
    return {"h_unnormalized": plain, "h_all_zero": dead}


def _raised_and_still_works(student, reference):
    if student["raised"] != 1:
        raise AssertionError("aggregate(..., 'median') should raise ValueError for an unknown aggregator.")
    if "valid_error" in student:
        raise AssertionError(f"aggregate(..., 'mean') on a valid graph raised {student['valid_error']} "
                             "-- only an unknown aggregator should raise.")
    got, expected = np.asarray(student["a"], dtype=float), reference["a"]
    if got.shape != expected.shape:
        raise AssertionError(f"aggregate(..., 'mean') on this check's valid graph returned shape {got.shape}, "
                             f"expected {expected.shape}.")
    if not np.allclose(got, expected, rtol=1e-5, atol=1e-6):
        raise AssertionError("aggregate(..., 'mean') on this check's valid graph returned wrong values "
                             f"(largest difference {np.max(np.abs(got - expected)):.3g}).")


@check(points=1, compare=_raised_and_still_works)
def unknown_aggregator(sub):
    """an unknown aggregator raises ValueError; 'mean' on the same graph still aggregates."""
    q = _problem(1)
    out = {"raised": 0}
    try:
        sub.aggregate(q["adjacency"], q["h"], "median")
    except ValueError:
        out["raised"] = 1
    try:
        out["a"] = sub.aggregate(q["adjacency"], q["h"], "mean")
    except Exception as err:  # noqa: BLE001 -- reported by the comparison
        out["valid_error"] = f"{type(err).__name__}({str(err)[:150]!r})"
    return out
