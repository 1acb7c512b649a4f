"""Graph datasets of chapter 7: Zachary's karate club and seeded synthetic graph sets.

Nothing is downloaded: the karate club ships with networkx, the synthetic sets are generated.
Graphs are plain arrays -- node features (N, F), `senders` and `receivers` (E,), both directions
of every undirected edge -- as dlcourse.gnn's layers take them; `as_graph_tensor=True` returns a
TF-GNN `GraphTensor` instead.

- `load_karate_club`: 34 members, 78 friendships, labels 0 = 'Mr. Hi', 1 = 'Officer'
- `make_cycles_and_trees`: a graph-classification set, label 1 for a graph with a cycle
- `make_community_graphs`: a graph-classification set, 2 versus 3 planted communities
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import int_at_least

__all__ = ["KARATE_FACTIONS", "load_karate_club", "make_cycles_and_trees", "make_community_graphs"]

KARATE_FACTIONS = ("Mr. Hi", "Officer")


def load_karate_club(as_graph_tensor=False):
    """Zachary's karate club: who split with whom when the club broke in two.

    Node i is member i; the label is the faction each member joined, 0 for 'Mr. Hi' (the
    instructor, node 0) and 1 for 'Officer' (the administrator, node 33). Nodes have no
    features of their own, so the node features are one-hot ids (the identity matrix).

    Args:
        as_graph_tensor: return a `tfgnn.GraphTensor` (node features "hidden_state" and
            "label") instead of arrays.

    Returns:
        (node_features float32 (34, 34), senders int64 (156,), receivers int64 (156,),
        labels int64 (34,)), or a GraphTensor.

    Example:

    >>> from dlcourse.data import load_karate_club
    >>> x, s, r, y = load_karate_club()
    >>> x.shape, s.shape, int(y[0]), int(y[33])
    ((34, 34), (156,), 0, 1)
    """
    import networkx as nx

    graph = nx.karate_club_graph()
    n = graph.number_of_nodes()
    pairs = np.asarray(sorted(graph.edges()), dtype=np.int64)
    senders = np.concatenate([pairs[:, 0], pairs[:, 1]])
    receivers = np.concatenate([pairs[:, 1], pairs[:, 0]])
    labels = np.asarray([KARATE_FACTIONS.index(graph.nodes[v]["club"]) for v in range(n)], dtype=np.int64)
    x = np.eye(n, dtype=np.float32)
    if as_graph_tensor:
        from dlcourse.gnn.graph import to_graph_tensor

        return to_graph_tensor(x, senders, receivers, node_labels=labels)
    return x, senders, receivers, labels


def _disjoint_union(graphs):
    """Stack (num_nodes, pairs) graphs into one: node offsets, both edge directions, graph ids."""
    senders, receivers, graph_ids, offset = [], [], [], 0
    for index, (n, pairs) in enumerate(graphs):
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2) + offset
        senders += [pairs[:, 0], pairs[:, 1]]
        receivers += [pairs[:, 1], pairs[:, 0]]
        graph_ids.append(np.full(n, index, dtype=np.int64))
        offset += n
    return (np.ones((offset, 1), np.float32), np.concatenate(senders), np.concatenate(receivers),
            np.concatenate(graph_ids))


def make_cycles_and_trees(num_graphs=100, min_nodes=5, max_nodes=12, seed=0):
    """Graph classification: random trees (label 0) versus graphs with a cycle (label 1).

    Half the graphs (alternating) are random recursive trees (node v attaches to a uniformly
    drawn earlier node); the others are a cycle through nodes 0..k-1 (k drawn from 3..n) with the
    remaining nodes attached the same way, so both classes are connected, have the same node
    counts and similar degrees. Node features are constant ones: the class is in the structure
    alone (a tree has n - 1 edges, a graph with one cycle n).

    Args:
        num_graphs: number of graphs.
        min_nodes, max_nodes: node count range (inclusive), min_nodes >= 3.
        seed: numpy seed.

    Returns:
        (node_features float32 (N, 1), senders (E,), receivers (E,), graph_ids (N,),
        labels int64 (num_graphs,)) for the disjoint union of all graphs.
    """
    int_at_least("num_graphs", num_graphs, 1)
    int_at_least("min_nodes", min_nodes, 3)
    int_at_least("max_nodes", max_nodes, min_nodes)
    rng = np.random.default_rng(seed)
    graphs, labels = [], []
    for index in range(num_graphs):
        n = int(rng.integers(min_nodes, max_nodes + 1))
        label = index % 2
        if label:
            cycle = int(rng.integers(3, n + 1))
            pairs = [(i, (i + 1) % cycle) for i in range(cycle)]
            pairs += [(v, int(rng.integers(v))) for v in range(cycle, n)]
        else:
            pairs = [(v, int(rng.integers(v))) for v in range(1, n)]
        graphs.append((n, pairs))
        labels.append(label)
    return (*_disjoint_union(graphs), np.asarray(labels, dtype=np.int64))


def make_community_graphs(num_graphs=100, nodes_per_community=6, p_in=0.7, p_out=0.05, seed=0):
    """Graph classification: stochastic block models with 2 (label 0) or 3 (label 1) communities.

    Within a community each pair is linked with probability p_in, across communities with p_out.

    Returns:
        (node_features float32 (N, 1), senders, receivers, graph_ids, labels (num_graphs,)).
    """
    int_at_least("num_graphs", num_graphs, 1)
    int_at_least("nodes_per_community", nodes_per_community, 2)
    rng = np.random.default_rng(seed)
    graphs, labels = [], []
    for index in range(num_graphs):
        label = index % 2
        community = np.repeat(np.arange(2 + label), nodes_per_community)
        n = community.size
        u, v = np.triu_indices(n, 1)
        probability = np.where(community[u] == community[v], p_in, p_out)
        keep = rng.random(u.size) < probability
        graphs.append((n, np.stack([u[keep], v[keep]], 1)))
        labels.append(label)
    return (*_disjoint_union(graphs), np.asarray(labels, dtype=np.int64))
