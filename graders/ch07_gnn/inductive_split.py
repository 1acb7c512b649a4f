"""Grader for ch07_gnn/inductive_split."""

import numpy as np

from dlcourse.grading import check

# Dotted names the submission may not use (checked statically on its source).
FORBIDDEN = ("dlcourse.gnn", "tensorflow_gnn", "networkx", "sklearn")

# The argument shapes the prompt states (checked by tests/test_declared_shapes.py).
SHAPES = {
    "transductive_masks": {},
    "inductive_subgraphs": {"adjacency": "(N, N)", "x": "(N, F)", "split": "(N,) int"},
    "removed_edges": {"adjacency": "(N, N)", "split": "(N,) int"},
}


def _graph(seed, n, p, f=2):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(float), rng.normal(size=(n, f)), rng.integers(0, 3, n)


def _masks_ok(student, reference):
    if int(student["num_masks"]) != 3:
        raise AssertionError(f"transductive_masks returned {int(student['num_masks'])} masks, expected the tuple "
                             "(train_mask, validation_mask, test_mask).")
    for name in ("first", "second"):
        masks = [np.asarray(student[f"{name}_{k}"]) for k in ("train", "validation", "test")]
        expected = [int(np.asarray(reference[f"{name}_{k}"]).sum()) for k in ("train", "validation", "test")]
        if any(m.shape != reference[f"{name}_train"].shape for m in masks):
            raise AssertionError(f"each mask should have shape {reference[f'{name}_train'].shape}.")
        if not np.all(sum(m.astype(int) for m in masks) == 1):
            raise AssertionError("every node must be in exactly one of the train, validation and test masks.")
        got = [int(m.sum()) for m in masks]
        if got != expected:
            raise AssertionError(f"the masks hold {got} nodes, expected {expected} (round the fractions times N).")
    odd = [int(student[f"odd_{k}"]) for k in ("train", "validation", "test")]
    if odd != [int(reference[f"odd_{k}"]) for k in ("train", "validation", "test")]:
        raise AssertionError(f"33 nodes split 40/30/30 gave masks of {odd} nodes, expected "
                             f"{[int(reference[f'odd_{k}']) for k in ('train', 'validation', 'test')]}: "
                             f"n_train = round(0.4 * 33), n_val = round(0.3 * 33), the rest for test.")
    if np.array_equal(student["first_train"], student["second_train"]):
        raise AssertionError("two different generators gave the same training mask: shuffle with the rng argument.")
    if not np.array_equal(student["first_train"], student["again_train"]):
        raise AssertionError("two generators with the same seed gave different masks: draw every random number from the rng argument, not from np.random.")


@check(points=1, visible=True, compare=_masks_ok)
def transductive_mask_sizes(sub):
    """masks over 20 nodes (60/20/20) and 33 nodes (40/30/30) are disjoint, cover, have the right sizes."""
    out = {"num_masks": len(sub.transductive_masks(10, 0.5, 0.2, np.random.default_rng(3)))}
    for name, n, train, val, seed in (("first", 20, 0.6, 0.2, 0), ("second", 20, 0.6, 0.2, 1),
                                      ("again", 20, 0.6, 0.2, 0)):
        for key, mask in zip(("train", "validation", "test"), sub.transductive_masks(n, train, val, np.random.default_rng(seed))):
            out[f"{name}_{key}"] = np.asarray(mask, dtype=bool)
    masks = sub.transductive_masks(33, 0.4, 0.3, np.random.default_rng(2))
    for key, mask in zip(("train", "validation", "test"), masks):
        out[f"odd_{key}"] = np.asarray(mask, dtype=bool).sum()
    return out


def _subgraph_results(sub, seed, n, p):
    a, x, split = _graph(seed, n, p)
    parts = sub.inductive_subgraphs(a, x, split)
    out = {"removed": sub.removed_edges(a, split), "num_subgraphs": len(parts)}
    for s, (nodes, a_s, x_s) in enumerate(parts):
        out.update({f"nodes_{s}": nodes, f"adjacency_{s}": a_s, f"x_{s}": x_s})
    return out


@check(points=2)
def subgraphs_of_a_random_graph(sub):
    """inductive_subgraphs (exactly three subgraphs) and removed_edges on a random graph with 12 nodes."""
    return _subgraph_results(sub, 3, 12, 0.4)


@check(points=1)
def directed_graph(sub):
    """a directed graph: removed_edges counts each direction separately."""
    rng = np.random.default_rng(5)
    a = (rng.random((9, 9)) < 0.3).astype(float)
    np.fill_diagonal(a, 0.0)
    split = np.array([0, 0, 1, 2, 2, 0, 1, 2, 0])
    return {"removed": sub.removed_edges(a, split),
            "adjacency_0": sub.inductive_subgraphs(a, np.eye(9), split)[0][1]}


@check(points=1)
def an_empty_split(sub):
    """no validation nodes: the validation subgraph is empty with the right shapes, still three subgraphs."""
    a, x, _ = _graph(6, 7, 0.5, f=3)
    split = np.array([0, 2, 0, 2, 0, 0, 2])
    parts = sub.inductive_subgraphs(a, x, split)
    nodes, a_s, x_s = parts[1]
    return {"nodes": np.asarray(nodes).reshape(-1), "adjacency_shape": np.shape(a_s), "x_shape": np.shape(x_s),
            "removed": sub.removed_edges(a, split), "num_subgraphs": len(parts)}
