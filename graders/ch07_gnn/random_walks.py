"""Grader for ch07_gnn/random_walks."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "networkx")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "random_walk": {"adjacency": "(N, N)"},
    "deepwalk_walks": {"adjacency": "(N, N)"},
}


def _random_graph(seed, n, p):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float)


def _check_walks(walks, adjacency, name="walk"):
    walks = np.asarray(walks)
    a = np.asarray(adjacency) != 0
    if walks.dtype.kind not in "iu":
        if not np.all(walks == np.round(walks)):
            raise AssertionError(f"the {name} must hold integer node indices.")
        walks = walks.astype(np.int64)
    if walks.size and (walks.min() < 0 or walks.max() >= len(a)):
        raise AssertionError(f"the {name} holds a node index outside 0 .. {len(a) - 1}.")
    rows = walks.reshape(-1, walks.shape[-1])
    current, following = rows[:, :-1].ravel(), rows[:, 1:].ravel()
    stuck = ~a[current].any(axis=1)
    legal = a[current, following] | (stuck & (current == following))
    if not legal.all():
        k = int(np.flatnonzero(~legal)[0])
        raise AssertionError(f"a step of the {name} goes from node {current[k]} to node {following[k]}, which "
                             f"is not a neighbour of node {current[k]} (a node without neighbours must stay put).")
    return rows


def _valid_single_walk(student, reference):
    walk = np.asarray(student["walk"])
    if walk.shape != reference["walk"].shape:
        raise AssertionError(f"random_walk returned shape {walk.shape}, expected {reference['walk'].shape}.")
    if int(walk[0]) != int(reference["walk"][0]):
        raise AssertionError(f"the walk should start at node {int(reference['walk'][0])}, it starts at {walk[0]}.")
    _check_walks(walk[None], reference["adjacency"])


@check(points=1, visible=True, compare=_valid_single_walk)
def walk_on_a_cycle(sub):
    """a walk of 12 nodes from node 2 on the 6-cycle follows its edges."""
    a = np.roll(np.eye(6), 1, axis=1) + np.roll(np.eye(6), -1, axis=1)
    return {"adjacency": a, "walk": sub.random_walk(a, 2, 12, np.random.default_rng(0))}


def _deepwalk_layout(student, reference):
    walks = np.asarray(student["walks"])
    expected = reference["walks"].shape
    if walks.shape != expected:
        raise AssertionError(f"deepwalk_walks returned shape {walks.shape}, expected {expected} "
                             f"(walks_per_node * N rows, walk_length columns).")
    n = len(reference["adjacency"])
    if not np.array_equal(walks[:, 0], np.tile(np.arange(n), expected[0] // n)):
        raise AssertionError("row r * N + v of deepwalk_walks should start at node v.")
    _check_walks(walks, reference["adjacency"], "walks")
    sink = np.asarray(student["into_a_sink"])
    if sink.shape != (5,) or not np.array_equal(sink, [0, 1, 2, 2, 2]):
        raise AssertionError(f"on the directed path 0 -> 1 -> 2 a walk of 5 nodes from node 0 should be "
                             f"[0, 1, 2, 2, 2] (it stays at node 2, which has no neighbours), got {sink.tolist()}.")


@check(points=1, compare=_deepwalk_layout)
def deepwalk_layout(sub):
    """deepwalk_walks with an isolated node: shape, starts, legal steps; a walk that reaches a sink stays there."""
    a = _random_graph(3, 9, 0.35)
    a[4, :] = a[:, 4] = 0.0
    path = np.zeros((3, 3))
    path[0, 1] = path[1, 2] = 1.0  # A[v, j] != 0: j is a neighbour of v, so 0 -> 1 -> 2
    return {"adjacency": a, "walks": sub.deepwalk_walks(a, 7, 3, np.random.default_rng(1)),
            "into_a_sink": sub.random_walk(path, 0, 5, np.random.default_rng(2))}


def _uniform_steps(student, reference):
    rows = _check_walks(student["walks"], reference["adjacency"], "walks")
    a = np.asarray(reference["adjacency"]) != 0
    counts = np.zeros(a.shape)
    np.add.at(counts, (rows[:, :-1].ravel(), rows[:, 1:].ravel()), 1)
    for v in range(len(a)):
        total = counts[v].sum()
        if total < 50:
            continue
        degree = a[v].sum()
        observed = counts[v][a[v]] / total
        expected = 1.0 / degree
        tolerance = 4.5 * np.sqrt(expected * (1 - expected) / total) + 0.01
        if np.any(np.abs(observed - expected) > tolerance):
            raise AssertionError(f"from node {v} (degree {int(degree)}) your walks move to its neighbours with "
                                 f"frequencies {np.round(observed, 3).tolist()}, expected about "
                                 f"{expected:.3f} each: draw the next node uniformly.")


@check(points=2, compare=_uniform_steps, requires=("deepwalk_layout",))
def steps_are_uniform(sub):
    """step frequencies from each node match 1 / degree (a graph with degrees 1 to 5)."""
    a = np.zeros((6, 6))
    for i, j in [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 2), (2, 3), (3, 4)]:
        a[i, j] = a[j, i] = 1.0
    return {"adjacency": a, "walks": sub.deepwalk_walks(a, 25, 40, np.random.default_rng(2))}


def _legal_layout(walks, adjacency, walk_length, walks_per_node, call):
    """Shape (walks_per_node * N, walk_length), row r * N + v starting at v, steps along edges."""
    walks = np.asarray(walks)
    n = len(adjacency)
    expected = (walks_per_node * n, walk_length)
    if walks.shape != expected:
        raise AssertionError(f"{call} returned shape {walks.shape}, expected {expected} "
                             f"(walks_per_node * N rows, walk_length columns).")
    if not np.array_equal(walks[:, 0], np.tile(np.arange(n), walks_per_node)):
        raise AssertionError(f"{call}: row r * N + v should start at node v.")
    _check_walks(walks, adjacency, f"walks of {call}")


def _uses_the_generator(student, reference):
    # The graph is rebuilt here, in the grading process, from the probe's seed.
    a = _random_graph(5, 6, 0.6)
    for key, seed in (("first", 7), ("same_seed", 7), ("other_seed", 8)):
        _legal_layout(student[key], a, 10, 2, f"deepwalk_walks(a, 10, 2, default_rng({seed}))")
    _legal_layout(student["short"], a, 1, 1, "deepwalk_walks(a, 1, 1, rng) (walk_length 1: just the starts)")
    if not np.array_equal(student["first"], student["same_seed"]):
        raise AssertionError("two generators with the same seed gave different walks: draw your random "
                             "numbers from the rng argument only.")
    if np.array_equal(student["first"], student["other_seed"]):
        raise AssertionError("generators with different seeds gave the same walks: draw your random "
                             "numbers from the rng argument.")


@check(points=1, compare=_uses_the_generator)
def reproducible_with_the_generator(sub):
    """walks depend only on the rng argument and follow the edges; walk_length 1 gives just the starts."""
    a = _random_graph(5, 6, 0.6)
    walks = {name: sub.deepwalk_walks(a, 10, 2, np.random.default_rng(seed))
             for name, seed in (("first", 7), ("same_seed", 7), ("other_seed", 8))}
    walks["short"] = sub.deepwalk_walks(a, 1, 1, np.random.default_rng(0))
    return walks
