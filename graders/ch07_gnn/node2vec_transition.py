"""Grader for ch07_gnn/node2vec_transition."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "transition_probabilities": {"adjacency": "(N, N)"},
    "node2vec_walk": {"adjacency": "(N, N)"},
}


def _graph():
    """Node 2 has neighbours at distance 0 (node 0), 1 (node 1) and 2 (nodes 3, 4) from node 0."""
    a = np.zeros((6, 6))
    for i, j in [(0, 1), (0, 2), (1, 2), (2, 3), (2, 4), (3, 4), (4, 5)]:
        a[i, j] = a[j, i] = 1.0
    return a


def _random_graph(seed, n, p):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float)


@check(points=1, visible=True)
def probabilities_after_moving_0_to_2(sub):
    """previous = 0, current = 2 with p = 0.5, q = 2."""
    return {"probabilities": sub.transition_probabilities(_graph(), 0, 2, 0.5, 2.0)}


@check(points=2)
def probabilities_for_every_edge(sub):
    """every (previous, current) edge of a random graph, for three (p, q) settings."""
    a = _random_graph(4, 8, 0.45)
    results = {}
    for p, q in ((1.0, 1.0), (0.25, 4.0), (4.0, 0.25)):
        rows = [sub.transition_probabilities(a, t, v, p, q) for t, v in zip(*np.nonzero(a))]
        results[f"p{p}_q{q}"] = np.stack(rows)
    return results


def _walk_frequencies(student, reference):
    walks = np.asarray(student["walks"])
    if not np.array_equal(np.asarray(student["walk_seed_7"]), np.asarray(student["walk_seed_7_again"])):
        raise AssertionError("two generators with the same seed gave different walks: draw every random number from the rng argument, not from np.random.")
    if walks.shape != reference["walks"].shape:
        raise AssertionError(f"your walks have shape {walks.shape[1:]}, expected {reference['walks'].shape[1:]}.")
    a = reference["adjacency"] != 0
    if not np.all(walks[:, 0] == 0):
        raise AssertionError("node2vec_walk should start at the start node.")
    steps_ok = a[walks[:, :-1], walks[:, 1:]]
    if not steps_ok.all():
        raise AssertionError("your walk steps to a node that is not a neighbour of the current node.")
    # first step: uniform over the neighbours of node 0
    first = np.bincount(walks[:, 1], minlength=len(a))[a[0]] / len(walks)
    if np.any(np.abs(first - 0.5) > 0.08):
        raise AssertionError(f"the first step from node 0 goes to its neighbours with frequencies {first.round(3)}, "
                             f"expected 0.5 each (the first step is uniform).")
    came_via_2 = walks[walks[:, 1] == 2]
    observed = np.bincount(came_via_2[:, 2], minlength=len(a)) / len(came_via_2)
    expected = reference["expected"]
    tolerance = 4.5 * np.sqrt(expected * (1 - expected) / len(came_via_2)) + 0.01
    if np.any(np.abs(observed - expected) > tolerance):
        raise AssertionError(f"after the step 0 -> 2 (p = 0.25, q = 4) your walks go to nodes 0..5 with "
                             f"frequencies {observed.round(3).tolist()}, expected {expected.round(3).tolist()}.")


@check(points=2, compare=_walk_frequencies)
def walk_frequencies(sub):
    """800 walks of 3 nodes from node 0: the second step follows the biased probabilities."""
    a = _graph()
    rng = np.random.default_rng(5)
    walks = np.stack([sub.node2vec_walk(a, 0, 3, 0.25, 4.0, rng) for _ in range(800)])
    expected = np.array([4.0, 1.0, 0.0, 0.25, 0.25, 0.0]) / 5.5
    again = [sub.node2vec_walk(a, 0, 6, 0.25, 4.0, np.random.default_rng(7)) for _ in range(2)]
    return {"adjacency": a, "walks": walks, "expected": expected,
            "walk_seed_7": again[0], "walk_seed_7_again": again[1]}


def _stays_put(student, reference):
    walk = np.asarray(student["walk"])
    if walk.shape != (4,) or not np.all(walk == 3):
        raise AssertionError(f"a walk from a node without neighbours should stay there, got {walk.tolist()}.")


@check(points=1, compare=_stays_put)
def isolated_start(sub):
    """a walk from an isolated node stays at it."""
    a = _graph()
    a[3, :] = a[:, 3] = 0.0
    return {"walk": sub.node2vec_walk(a, 3, 4, 1.0, 1.0, np.random.default_rng(0))}
