"""Grader for ch07_gnn/over_smoothing."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "keras", "tensorflow", "scipy", "sklearn", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "mean_pairwise_cosine_similarity": {"h": "(N, D)"},
    "smoothing_curve": {"adjacency": "(N, N)", "x": "(N, D)"},
}


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
def plain_and_residual_curves(sub):
    """the smoothing curve of 10 layers on a random connected graph, plain and with the notes' f(H) + H."""
    a, x = _connected_graph(4, 10, 0.25)
    return {"plain": sub.smoothing_curve(a, x, 10), "residual": sub.smoothing_curve(a, x, 10, "residual")}


def _same_curve(got, expected, name):
    """Say where a curve differs and by how much, without printing the expected (hidden) values."""
    got = np.asarray(got, dtype=float)
    if got.shape != expected.shape:
        raise AssertionError(f"{name} has shape {got.shape}, expected {expected.shape} "
                             "(num_layers + 1 entries, entry 0 for H^(0) = X).")
    close = np.isclose(got, expected, rtol=1e-5, atol=1e-6)
    if not close.all():
        wrong = np.flatnonzero(~close)
        k = int(wrong[0])
        how = "is NaN or infinite" if not np.isfinite(got[k]) else f"is off by {abs(got[k] - expected[k]):.3g}"
        raise AssertionError(f"{name} differs from the expected one at {len(wrong)} of {len(close)} entries; "
                             f"the first is S after {k} layers (entry {k}), which {how}.")


def _residual_slows_smoothing(student, reference):
    _same_curve(student["plain"], reference["plain"], "the curve without skip")
    _same_curve(student["residual"], reference["residual"], "the curve with skip='residual'")
    plain, residual = np.asarray(student["plain"]), np.asarray(student["residual"])
    if not plain[-1] > residual[-1]:
        raise AssertionError("after 20 layers the states with the residual skip should be less alike than "
                             "without it.")


@check(points=1, compare=_residual_slows_smoothing)
def deep_stack_with_and_without_residual(sub):
    """20 layers: without skip S approaches 1; f(H) + H slows that rise."""
    a, x = _connected_graph(6, 12, 0.2)
    return {"plain": sub.smoothing_curve(a, x, 20), "residual": sub.smoothing_curve(a, x, 20, "residual")}


@check(points=1)
def initial_skip_extension(sub):
    """beyond the notes: APPNP's skip to H^(0) with alpha = 0.3 and alpha = 0.5, 12 layers."""
    a, x = _connected_graph(7, 9, 0.3)
    return {"alpha_0.3": sub.smoothing_curve(a, x, 12, "initial", 0.3),
            "alpha_0.5": sub.smoothing_curve(a, x, 12, skip="initial", alpha=0.5)}
