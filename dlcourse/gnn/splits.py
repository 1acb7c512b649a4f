"""Splitting graph data: transductive masks versus inductive subgraphs.

Lecture: §7.3.3 Split Training

Nodes of one graph are not independent samples, so a split must say what the model may see.
The notes' two settings:

- transductive: the whole graph (every node's features and every edge) is used at training
  and test time; only the labels are split, by boolean masks over the nodes;
- inductive: the graph is cut into independent subgraphs, one per split; edges between nodes
  of different splits are removed, so a test node is never seen (not even as a neighbour)
  during training, as with new graphs at deployment.

For link prediction the edges are the labels: `link_prediction_split` holds out some edges
(they may not carry messages during training) and pairs them with as many non-edges.
"""

from __future__ import annotations

import numpy as np

from dlcourse.gnn.graph import _edge_vectors

__all__ = ["transductive_split", "inductive_split", "induced_subgraph", "link_prediction_split"]


def _assignment(num_nodes, fractions, rng):
    fractions = np.asarray(fractions, dtype=float)
    if fractions.ndim != 1 or np.any(fractions < 0) or fractions.sum() > 1 + 1e-9:
        raise ValueError(f"fractions must be non-negative and sum to at most 1, got {fractions.tolist()}.")
    order = rng.permutation(num_nodes)
    bounds = np.round(np.cumsum(fractions) * num_nodes).astype(int)
    split = np.full(num_nodes, len(fractions), dtype=np.int64)  # the rest: last split
    start = 0
    for index, end in enumerate(bounds):
        split[order[start:end]] = index
        start = end
    return split


def transductive_split(num_nodes, train_fraction=0.6, validation_fraction=0.2, seed=0):
    """Boolean train/validation/test masks over the nodes of one graph (the rest is test).

    Returns:
        (train_mask, validation_mask, test_mask), disjoint bool arrays of shape (N,) that cover
        all nodes.

    Example:

    >>> from dlcourse.gnn import transductive_split
    >>> train, val, test = transductive_split(10, 0.5, 0.2)
    >>> int(train.sum()), int(val.sum()), int(test.sum())
    (5, 2, 3)
    """
    split = _assignment(num_nodes, (train_fraction, validation_fraction), np.random.default_rng(seed))
    return split == 0, split == 1, split == 2


def induced_subgraph(nodes, senders, receivers):
    """The subgraph on `nodes`: the edges with both ends in `nodes`, renumbered 0 .. len(nodes)-1.

    Args:
        nodes: int array of node ids (distinct), in the order of the new numbering.
        senders, receivers: (E,) edges of the full graph.

    Returns:
        (senders, receivers, edge_ids): the renumbered edges and their positions in the input.
    """
    nodes = np.asarray(nodes, dtype=np.int64)
    senders, receivers = _edge_vectors(senders, receivers)
    size = int(max(nodes.max(initial=-1), senders.max(initial=-1), receivers.max(initial=-1))) + 1
    new_id = np.full(size, -1, dtype=np.int64)
    new_id[nodes] = np.arange(nodes.size)
    kept = np.flatnonzero((new_id[senders] >= 0) & (new_id[receivers] >= 0))
    return new_id[senders[kept]], new_id[receivers[kept]], kept


def inductive_split(senders, receivers, num_nodes, train_fraction=0.6, validation_fraction=0.2, seed=0):
    """Cut one graph into disjoint train/validation/test subgraphs, dropping the edges between them.

    Returns:
        A dict {"train", "validation", "test"} of dicts with "nodes" (original ids, sorted),
        "senders" and "receivers" (renumbered within the subgraph).
    """
    _edge_vectors(senders, receivers, num_nodes)
    split = _assignment(num_nodes, (train_fraction, validation_fraction), np.random.default_rng(seed))
    result = {}
    for index, name in enumerate(("train", "validation", "test")):
        nodes = np.flatnonzero(split == index)
        s, r, _ = induced_subgraph(nodes, senders, receivers)
        result[name] = {"nodes": nodes, "senders": s, "receivers": r}
    return result


def link_prediction_split(senders, receivers, num_nodes, validation_fraction=0.1, test_fraction=0.1, seed=0):
    """Split the edges of an undirected graph for link prediction (transductive: all nodes stay).

    The undirected edges {u, v} are shuffled; the first `test_fraction` of them become test
    positives, the next `validation_fraction` validation positives, and the rest training edges,
    which alone carry messages (in both directions) and serve as training positives. Each split
    gets as many negatives: pairs u != v drawn uniformly among the non-edges of the whole graph.

    Returns:
        A dict of int64 arrays: "train_senders", "train_receivers" (E_train,) (both directions),
        and (M, 2) pairs "train_positive", "train_negative", "validation_positive",
        "validation_negative", "test_positive", "test_negative".
    """
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    rng = np.random.default_rng(seed)
    pairs = np.unique(np.sort(np.stack([senders, receivers], 1), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]  # self-loops are not links to predict
    pairs = pairs[rng.permutation(len(pairs))]
    n_test = int(round(test_fraction * len(pairs)))
    n_val = int(round(validation_fraction * len(pairs)))
    test, validation, train = pairs[:n_test], pairs[n_test:n_test + n_val], pairs[n_test + n_val:]
    linked = np.zeros((num_nodes, num_nodes), dtype=bool)
    linked[pairs[:, 0], pairs[:, 1]] = linked[pairs[:, 1], pairs[:, 0]] = True
    u, v = np.triu_indices(num_nodes, 1)
    non_edges = np.stack([u, v], 1)[~linked[u, v]]
    chosen = rng.choice(len(non_edges), size=min(len(non_edges), len(pairs)), replace=False)
    negatives = non_edges[chosen]
    return {
        "train_senders": np.concatenate([train[:, 0], train[:, 1]]),
        "train_receivers": np.concatenate([train[:, 1], train[:, 0]]),
        "train_positive": train,
        "train_negative": negatives[n_test + n_val:],
        "validation_positive": validation,
        "validation_negative": negatives[n_test:n_test + n_val],
        "test_positive": test,
        "test_negative": negatives[:n_test],
    }
