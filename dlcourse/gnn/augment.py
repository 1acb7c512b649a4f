"""Graph manipulation: feature augmentation, a virtual node, 2-hop edges, neighbour sampling.

Lecture: §7.2.3 Graph Manipulation

The input graph need not be the computation graph. The notes name feature augmentation (one-hot
ids, graph features such as cycles), virtual nodes and 2-hop virtual edges for a sparse graph,
and neighbour sampling for a dense one:

- feature augmentation: when nodes have no features (or weak ones), add one-hot node ids
  (expressive but transductive only), the degree, or the number of cycles of each length
  through the node -- structure that plain message passing cannot count (a node on a 3-cycle
  and a node on a 6-cycle look the same to a GNN with constant features);
- a virtual node connected to every node lets information cross a sparse graph in two hops;
- 2-hop virtual edges (the non-zero pattern of A + A^2) widen each layer's receptive field;
- neighbour sampling keeps at most k incoming edges per node, bounding a dense graph's cost.

All functions work on numpy arrays (preprocessing, before the tensors reach a model).
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import positive_int
from dlcourse.gnn.graph import _edge_vectors, adjacency_matrix, adjacency_to_edges

__all__ = [
    "one_hot_node_ids",
    "degree_features",
    "cycle_counts",
    "add_virtual_node",
    "two_hop_edges",
    "sample_neighbours",
]


def one_hot_node_ids(num_nodes):
    """The identity matrix I_N as node features, float32 (N, N)."""
    return np.eye(num_nodes, dtype=np.float32)


def degree_features(senders, receivers, num_nodes):
    """Each node's in-degree d_v as a feature, float32 of shape (N, 1)."""
    _, receivers = _edge_vectors(senders, receivers, num_nodes)
    return np.bincount(receivers, minlength=num_nodes).astype(np.float32)[:, None]


def cycle_counts(senders, receivers, num_nodes, lengths=(3, 4, 5)):
    """Number of simple cycles of each length through each node of an undirected graph.

    A cycle of length k visits k distinct nodes and returns; each is counted once (not once per
    direction or starting point). Self-loops and repeated edges are ignored. Found by a depth-
    first search from each cycle's smallest node, so this suits small graphs (tens of nodes).
    For k = 3 it equals diag(A^3) / 2 (networkx's `triangles`).

    Args:
        senders, receivers: the edges (either or both directions), shape (E,).
        num_nodes: N.
        lengths: cycle lengths k >= 3.

    Returns:
        float32 array (N, len(lengths)); column c counts the cycles of length lengths[c].

    Example:

    >>> from dlcourse.gnn import cycle_counts
    >>> s, r = [0, 1, 2, 2], [1, 2, 0, 3]        # a triangle 0-1-2 and a pendant node 3
    >>> cycle_counts(s, r, 4, lengths=(3,)).ravel().tolist()
    [1.0, 1.0, 1.0, 0.0]
    """
    lengths = tuple(int(k) for k in lengths)
    if any(k < 3 for k in lengths):
        raise ValueError(f"lengths must be integers >= 3 (a simple cycle has at least 3 nodes), got {lengths}.")
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    neighbours = [set() for _ in range(num_nodes)]
    for s, r in zip(senders.tolist(), receivers.tolist()):
        if s != r:
            neighbours[s].add(r)
            neighbours[r].add(s)
    longest = max(lengths)
    counts = np.zeros((num_nodes, longest + 1))

    def extend(path, on_path):
        head = path[-1]
        for nxt in neighbours[head]:
            if nxt == path[0] and len(path) >= 3:
                # Each cycle is found twice, once per direction, from its smallest node.
                for node in path:
                    counts[node, len(path)] += 0.5
            elif nxt > path[0] and nxt not in on_path and len(path) < longest:
                on_path.add(nxt)
                path.append(nxt)
                extend(path, on_path)
                path.pop()
                on_path.remove(nxt)

    for start in range(num_nodes):
        extend([start], {start})
    return counts[:, list(lengths)].astype(np.float32)


def add_virtual_node(node_features, senders, receivers, fill=0.0):
    """Add one virtual node (index N) with edges to and from every real node.

    Args:
        node_features: (N, F).
        senders, receivers: (E,).
        fill: the virtual node's feature value.

    Returns:
        (node_features (N + 1, F), senders (E + 2N,), receivers (E + 2N,)): the original edges
        first, then N edges node -> virtual, then N edges virtual -> node.
    """
    x = np.asarray(node_features)
    n = x.shape[0]
    senders, receivers = _edge_vectors(senders, receivers, n)
    nodes = np.arange(n, dtype=np.int64)
    virtual = np.full(n, n, dtype=np.int64)
    x = np.concatenate([x, np.full((1,) + x.shape[1:], fill, dtype=x.dtype)])
    return x, np.concatenate([senders, nodes, virtual]), np.concatenate([receivers, virtual, nodes])


def two_hop_edges(senders, receivers, num_nodes, keep_one_hop=True):
    """Edges of the 2-hop graph: j -> i wherever (A^2)[i, j] != 0 (a path j -> k -> i), i != j.

    Args:
        senders, receivers: (E,).
        num_nodes: N.
        keep_one_hop: also keep the original edges (the pattern of A + A^2).

    Returns:
        (senders, receivers), each edge once, sorted by receiver then sender.
    """
    a = (adjacency_matrix(senders, receivers, num_nodes) != 0).astype(np.int64)
    pattern = (a @ a) != 0
    if keep_one_hop:
        pattern |= a != 0
    np.fill_diagonal(pattern, False)
    return adjacency_to_edges(pattern)


def sample_neighbours(senders, receivers, num_nodes, fanout, rng):
    """Keep at most `fanout` incoming edges per node, drawn uniformly without replacement.

    A node with at most `fanout` incoming edges keeps them all. The draw is vectorised: one
    random key per edge (E numbers from `rng`, whatever the degrees), and each receiver keeps
    its `fanout` smallest keys.

    Args:
        senders, receivers: (E,).
        num_nodes: N.
        fanout: the largest number k of incoming edges kept per receiver.
        rng: a `numpy.random.Generator`.

    Returns:
        (senders, receivers, edge_ids): the kept edges, in their original order, and their
        positions in the input.
    """
    fanout = positive_int("fanout", fanout)
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    # A random key per edge, then the `fanout` smallest keys per receiver: a uniform sample.
    keys = rng.random(senders.shape[0])
    order = np.lexsort((keys, receivers))
    sorted_receivers = receivers[order]
    starts = np.searchsorted(sorted_receivers, sorted_receivers, side="left")
    rank = np.arange(order.size) - starts
    kept = np.sort(order[rank < fanout])
    return senders[kept], receivers[kept], kept
