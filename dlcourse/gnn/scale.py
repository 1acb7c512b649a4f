"""Scaling GNNs up: mini-batches by neighbourhood sampling and by graph clustering (Cluster-GCN).

Lecture: §7.4 Scale Up GNN

The notes leave §7.4 empty (they only mention sampling neighbours of a dense graph, §7.2.3);
this module fills it with the two usual ways to train on a large graph. Full-batch training
keeps every node's state of every layer in memory at once: O(L N D) memory, and one gradient
step per epoch. Mini-batches trade that off two ways:

- Neighbourhood sampling (GraphSAGE): for a batch of B target nodes, take their L-hop
  computation graph but keep at most k_l sampled neighbours per node at hop l. Memory is
  O(B prod_l k_l D), independent of N, and many steps are taken per epoch; the price is
  redundant computation (overlapping neighbourhoods are recomputed for every batch) and
  gradients that are noisier than the full-graph ones, since neighbours are dropped.
- Cluster-GCN: partition the graph once into dense clusters (here by breadth-first growth,
  which keeps neighbours together), then train each step on the subgraph induced by a few
  random clusters. Each step costs O(size of the clusters) in memory and time with no
  redundant computation; the price is the edges between clusters that are left out of the
  step (drawing several clusters per batch brings some of them back, and reduces the bias of
  always-together nodes).

Both yield ordinary subgraphs (node ids, renumbered edges), so any dlcourse layer trains on them.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from dlcourse.gnn.augment import sample_neighbours
from dlcourse.gnn.graph import _edge_vectors
from dlcourse.gnn.splits import induced_subgraph

__all__ = ["sample_computation_graph", "neighbourhood_sampling_batches", "bfs_partition", "cluster_gcn_batches"]


def sample_computation_graph(targets, senders, receivers, num_nodes, fanouts, rng):
    """The sampled L-hop computation graph of `targets`, with fanouts[l] neighbours at hop l + 1.

    Hop by hop, every frontier node keeps at most fanouts[l] of its incoming edges (uniformly);
    their senders join the subgraph.

    Args:
        targets: int array of target node ids (B,).
        senders, receivers: edges of the full graph, (E,).
        num_nodes: N.
        fanouts: a sequence of L positive integers.
        rng: a `numpy.random.Generator`.

    Returns:
        A dict with "nodes" (original ids; the targets come first, in order), "senders" and
        "receivers" (sampled edges, renumbered into "nodes"), and "targets" = arange(B).
    """
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    targets = np.asarray(targets, dtype=np.int64)
    nodes = list(dict.fromkeys(targets.tolist()))
    index = {v: i for i, v in enumerate(nodes)}
    kept_s, kept_r = [], []
    frontier = np.asarray(nodes, dtype=np.int64)
    for fanout in fanouts:
        into_frontier = np.flatnonzero(np.isin(receivers, frontier))
        s, r, _ = sample_neighbours(senders[into_frontier], receivers[into_frontier], num_nodes, fanout, rng)
        fresh = []
        for u, v in zip(s.tolist(), r.tolist()):
            if u not in index:
                index[u] = len(nodes)
                nodes.append(u)
                fresh.append(u)
            kept_s.append(index[u])
            kept_r.append(index[v])
        frontier = np.asarray(fresh, dtype=np.int64)
    # The same edge may be drawn at two hops; keep it once.
    pairs = np.unique(np.asarray([kept_s, kept_r], dtype=np.int64).reshape(2, -1), axis=1)
    return {"nodes": np.asarray(nodes, dtype=np.int64), "senders": pairs[0], "receivers": pairs[1],
            "targets": np.arange(len(dict.fromkeys(targets.tolist())))}


def neighbourhood_sampling_batches(target_nodes, senders, receivers, num_nodes, fanouts, batch_size, rng):
    """Yield one sampled computation graph (see `sample_computation_graph`) per batch of targets.

    The targets are shuffled with `rng` and cut into batches of `batch_size`.
    """
    target_nodes = rng.permutation(np.asarray(target_nodes, dtype=np.int64))
    for start in range(0, target_nodes.size, batch_size):
        yield sample_computation_graph(target_nodes[start:start + batch_size], senders, receivers, num_nodes,
                                       fanouts, rng)


def bfs_partition(senders, receivers, num_nodes, num_parts):
    """Partition the nodes into `num_parts` clusters of (nearly) equal size by breadth-first growth.

    Starting from the lowest unassigned node, a cluster grows breadth-first (so it holds nodes
    close to each other, keeping many edges inside) until it has ceil(N / num_parts) nodes;
    disconnected leftovers start a new search. A cheap stand-in for METIS, which Cluster-GCN uses.

    Returns:
        int64 array (N,) of cluster ids in [0, num_parts).
    """
    if isinstance(num_parts, bool) or not isinstance(num_parts, (int, np.integer)) or not 1 <= num_parts <= num_nodes:
        raise ValueError(f"num_parts must be an integer between 1 and num_nodes={num_nodes}, got {num_parts!r}.")
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    neighbours = [[] for _ in range(num_nodes)]
    for s, r in zip(senders.tolist(), receivers.tolist()):
        neighbours[s].append(r)
        neighbours[r].append(s)
    capacity = -(-num_nodes // num_parts)
    part = np.full(num_nodes, -1, dtype=np.int64)
    current, filled = 0, 0
    queue = deque()
    for seed in range(num_nodes):
        if part[seed] >= 0:
            continue
        queue.append(seed)
        while queue:
            node = queue.popleft()
            if part[node] >= 0:
                continue
            if filled == capacity:
                current, filled = current + 1, 0
            part[node] = current
            filled += 1
            queue.extend(v for v in sorted(neighbours[node]) if part[v] < 0)
    return part


def cluster_gcn_batches(partition, senders, receivers, clusters_per_batch, rng):
    """Yield Cluster-GCN mini-batches: the subgraph induced by a few random clusters per step.

    Args:
        partition: int array (N,) of cluster ids (e.g. from `bfs_partition`).
        senders, receivers: edges of the full graph.
        clusters_per_batch: clusters merged into each batch.
        rng: a `numpy.random.Generator` (shuffles the clusters every epoch).

    Yields:
        dicts with "nodes" (original ids), "senders" and "receivers" (renumbered).
    """
    partition = np.asarray(partition, dtype=np.int64)
    clusters = rng.permutation(np.unique(partition))
    for start in range(0, clusters.size, clusters_per_batch):
        nodes = np.flatnonzero(np.isin(partition, clusters[start:start + clusters_per_batch]))
        s, r, _ = induced_subgraph(nodes, senders, receivers)
        yield {"nodes": nodes, "senders": s, "receivers": r}
