"""Grader for ch07_gnn/over_smoothing."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "scipy", "sklearn", "networkx")


def _connected_graph(seed, n, p):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    upper[np.arange(n - 1), np.arange(1, n)] = True  # a path keeps it connected
    return (upper | upper.T).astype(float), rng.normal(size=(n, 4))


@check(points=1, visible=True)
def similarity_of_three_vectors(sub):
    """S(H) for three 2-D states (one pair identical in direction, one orthogonal)."""
    return {"similarity": sub.mean_pairwise_cosine_similarity(np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 3.0]]))}


@check(points=1)
def similarity_with_a_zero_row(sub):
    """S(H) of random states with a zero row."""
    h = np.random.default_rng(2).normal(size=(6, 3))
    h[3] = 0.0
    return {"similarity": sub.mean_pairwise_cosine_similarity(h)}


@check(points=2)
def curves_with_and_without_skip(sub):
    """the smoothing curve of 10 layers on a random connected graph, alpha = 0 and 0.3."""
    a, x = _connected_graph(4, 10, 0.25)
    return {"plain": sub.smoothing_curve(a, x, 10, 0.0), "skip": sub.smoothing_curve(a, x, 10, 0.3)}


def _same_curve(got, expected, name):
    """Say where a curve differs and by how much, without printing the expected (hidden) values."""
    got = got.astype(float)
    close = np.isclose(got, expected, rtol=1e-5, atol=1e-6)
    if not close.all():
        wrong = np.flatnonzero(~close)
        k = int(wrong[0])
        how = "is NaN or infinite" if not np.isfinite(got[k]) else f"is off by {abs(got[k] - expected[k]):.3g}"
        raise AssertionError(f"{name} differs from the expected one at {len(wrong)} of {len(close)} entries; "
                             f"the first is S after {k} layers (entry {k}), which {how}.")


def _skip_counters_smoothing(student, reference):
    plain, skip = np.asarray(student["plain"]), np.asarray(student["skip"])
    if plain.shape != (21,) or skip.shape != (21,):
        raise AssertionError(f"smoothing_curve(..., 20) should have 21 entries, got {plain.shape} and {skip.shape}.")
    _same_curve(plain, reference["plain"], "the curve without skip (alpha = 0)")
    _same_curve(skip, reference["skip"], "the curve with alpha = 0.5")
    if not plain[-1] > skip[-1]:
        raise AssertionError("after 20 layers the states with a skip connection should be less alike.")


@check(points=1, compare=_skip_counters_smoothing)
def deep_stack_converges_without_skip(sub):
    """20 layers: without skip S approaches 1, with alpha = 0.5 it stays lower."""
    a, x = _connected_graph(6, 12, 0.2)
    return {"plain": sub.smoothing_curve(a, x, 20, 0.0), "skip": sub.smoothing_curve(a, x, 20, 0.5)}
