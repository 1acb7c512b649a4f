"""Grader for ch07_gnn/neighbour_sampling."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "sample_neighbours": {"adjacency": "(N, N)"},
    "sampled_mean_aggregate": {"adjacency": "(N, N)", "h": "(N, F)"},
}


def _dense_graph(seed, n=10, p=0.7):
    rng = np.random.default_rng(seed)
    a = (rng.random((n, n)) < p).astype(float)
    np.fill_diagonal(a, 0.0)
    a[n - 1] = 0.0  # a node without neighbours
    return a


def _valid_sample(sample, a, k):
    sample = np.asarray(sample, dtype=float)
    if sample.shape != a.shape:
        raise AssertionError(f"sample_neighbours returned shape {sample.shape}, expected {a.shape}.")
    if not np.all((sample == 0) | (sample == 1)):
        raise AssertionError("the sampled adjacency should hold only 0 and 1.")
    if np.any((sample == 1) & (a == 0)):
        raise AssertionError("the sample keeps an entry that is not an edge of the graph.")
    expected = np.minimum((a != 0).sum(1), k)
    got = sample.sum(1)
    if not np.array_equal(got, expected):
        v = int(np.flatnonzero(got != expected)[0])
        raise AssertionError(f"row {v} keeps {int(got[v])} neighbours, expected min(k, degree) = {int(expected[v])}.")


def _one_valid_sample(student, reference):
    _valid_sample(student["sample"], reference["adjacency"], 3)
    if not np.array_equal(np.asarray(student["sample"]), np.asarray(student["again"])):
        raise AssertionError("two generators with the same seed gave different samples: draw every random number from the rng argument, not from np.random.")


@check(points=1, visible=True, compare=_one_valid_sample)
def one_sample_keeps_min_k_degree(sub):
    """one sample with k = 3 keeps min(3, degree) real neighbours per row."""
    a = _dense_graph(1)
    return {"adjacency": a, "sample": sub.sample_neighbours(a, 3, np.random.default_rng(0)),
            "again": sub.sample_neighbours(a, 3, np.random.default_rng(0))}


def _uniform(student, reference):
    a = reference["adjacency"]
    frequency = np.asarray(student["frequency"], dtype=float)
    if frequency.shape != a.shape:
        raise AssertionError(f"sample_neighbours returned shape {frequency.shape}, expected {a.shape}.")
    degree = (a != 0).sum(1, keepdims=True)
    expected = np.where(a != 0, np.minimum(degree, 4) / np.maximum(degree, 1), 0.0)
    draws = 400
    tolerance = 4.5 * np.sqrt(expected * (1 - expected) / draws) + 0.01
    if np.any(np.abs(frequency - expected) > tolerance):
        v, u = np.argwhere(np.abs(frequency - expected) > tolerance)[0]
        raise AssertionError(f"over {draws} samples with k = 4, node {u} was kept as a neighbour of node {v} in "
                             f"{frequency[v, u]:.1%} of them, expected about {expected[v, u]:.1%}: draw neighbours "
                             f"uniformly without replacement, fresh on every call.")


@check(points=2, compare=_uniform)
def neighbours_are_kept_uniformly(sub):
    """over 400 samples every neighbour is kept with probability min(k, d) / d."""
    a = _dense_graph(2, n=9)
    rng = np.random.default_rng(3)
    samples = [np.asarray(sub.sample_neighbours(a, 4, rng), dtype=float) for _ in range(400)]
    return {"adjacency": a, "frequency": np.mean(samples, axis=0)}


def _aggregate_matches_its_sample(student, reference):
    a, h = reference["adjacency"], reference["h"]
    means = np.asarray(student["means"], dtype=float)
    if means.shape != (len(a), h.shape[1]):
        raise AssertionError(f"sampled_mean_aggregate returned shape {means.shape}, expected {(len(a), h.shape[1])}.")
    if not np.allclose(means[-1], 0.0):
        raise AssertionError("a node without neighbours should aggregate to zeros.")
    large_k = np.asarray(student["all_neighbours"], dtype=float)
    if not np.allclose(large_k, reference["all_neighbours"], rtol=1e-6, atol=1e-8):
        raise AssertionError("with k larger than every degree the aggregate should be the plain mean over all "
                             "neighbours.")
    # each mean must be the mean of exactly min(k, d_v) distinct neighbours' states
    for v in range(len(a) - 1):
        neighbours = np.flatnonzero(a[v])
        k = min(2, neighbours.size)
        candidates = [h[list(c)].mean(0) for c in _combinations(neighbours, k)]
        if not any(np.allclose(means[v], c, rtol=1e-6, atol=1e-8) for c in candidates):
            raise AssertionError(f"row {v} is not the mean of {k} of node {v}'s neighbours.")


def _combinations(items, k):
    import itertools

    return itertools.combinations(items.tolist(), k)


@check(points=2, compare=_aggregate_matches_its_sample)
def sampled_mean(sub):
    """k = 2: each row is the mean of 2 of the node's neighbours; k = 50: the plain mean."""
    a = _dense_graph(4, n=8, p=0.6)
    h = np.random.default_rng(5).normal(size=(8, 3))
    return {"adjacency": a, "h": h, "means": sub.sampled_mean_aggregate(a, h, 2, np.random.default_rng(6)),
            "all_neighbours": sub.sampled_mean_aggregate(a, h, 50, np.random.default_rng(7))}


def _no_draw_without_a_choice(student, reference):
    a = reference["adjacency"]
    _valid_sample(student["sample"], a, 3)
    if not np.array_equal(student["sample"], (a != 0).astype(float)):
        raise AssertionError("with every degree at most k = 3 the sample should keep every neighbour.")
    if not np.array_equal(student["next_draws"], reference["next_draws"]):
        raise AssertionError("on a graph where no node has more than k = 3 neighbours (several have exactly 3), "
                             "sample_neighbours used up random numbers of rng: a node with at most k neighbours "
                             "keeps them all without drawing (only d_v > k needs rng.choice).")


@check(points=1, compare=_no_draw_without_a_choice, requires=("one_sample_keeps_min_k_degree",))
def exactly_k_neighbours_draw_nothing(sub):
    """every degree <= k = 3 (several exactly 3): all neighbours kept and rng left untouched."""
    a = np.zeros((6, 6))
    for v, neighbours in enumerate([[1, 2, 3], [0, 2, 4], [0, 1], [0, 4, 5], [1], []]):
        a[v, neighbours] = 1.0
    rng = np.random.default_rng(11)
    sample = sub.sample_neighbours(a, 3, rng)
    return {"adjacency": a, "sample": np.asarray(sample, dtype=float), "next_draws": rng.random(4)}
