"""Shallow node embeddings: DeepWalk and node2vec random walks, and skip-gram trained with Keras.

Lecture: §7.1 Graph Embeddings; §7.1.1 RandomWalk Embedding; §7.1.2 Node2vec Embedding

The notes' node embedding method has three design choices:

- an encoder ENC(v) = z_v, a look-up table from nodes to vectors (here an embedding matrix Z,
  one row per node, "shallow");
- a decoder DEC(z_u, z_v) = z_u . z_v, a similarity of two embeddings (the dot product);
- a target similarity of two nodes in the graph, which encoder and decoder should approximate,
  here "u and v co-occur on short random walks".

The notes name DeepWalk and node2vec but leave §7.1.1 and §7.1.2 empty; this module fills them
with the walks of Perozzi et al. and Grover and Leskovec.

DeepWalk walks uniformly: from v the next node is a uniformly drawn neighbour. node2vec uses a
second-order (biased) walk: having just moved t -> v, the walk moves to a neighbour x of v with
probability proportional to

    1/p  if x = t          (return)
    1    if x is a neighbour of t   (stay close: breadth-first like)
    1/q  otherwise         (move away: depth-first like)

Small p keeps the walk local, small q pushes it outwards. Skip-gram with negative sampling then
learns Z from (node, context) pairs within a window on each walk:

    L = - sum log sigmoid(z_u . z'_v) - sum_{negatives n} log sigmoid(-z_u . z'_n)

That skip-gram is word2vec's, nodes for words and walks for sentences: `SkipGram`,
`skipgram_pairs`, `negative_samples` and `train_skipgram` are chapter 5's
(`dlcourse.nlp.word2vec`), named here as chapter 7 names them (Z is `SkipGram.embeddings`, the
center vectors v; Z' the context vectors u).
"""

from __future__ import annotations

import numpy as np

from dlcourse.arguments import positive_int
from dlcourse.gnn.graph import _edge_vectors
from dlcourse.nlp import word2vec
from dlcourse.nlp.word2vec import SkipGram

__all__ = [
    "neighbour_lists",
    "random_walks",
    "node2vec_transition_probabilities",
    "node2vec_walks",
    "skipgram_pairs",
    "negative_samples",
    "SkipGram",
    "train_skipgram",
]


def neighbour_lists(senders, receivers, num_nodes):
    """Sorted out-neighbours of each node (the receivers of its outgoing edges), a list of arrays."""
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    order = np.lexsort((receivers, senders))
    bounds = np.searchsorted(senders[order], np.arange(num_nodes + 1))
    return [np.unique(receivers[order][bounds[v]:bounds[v + 1]]) for v in range(num_nodes)]


def _check_walk_arguments(walk_length, walks_per_node, rng):
    positive_int("walk_length", walk_length)
    positive_int("walks_per_node", walks_per_node)
    if not isinstance(rng, np.random.Generator):
        # the walks draw with rng.integers / rng.choice: a seed or a RandomState would not do
        raise TypeError(f"rng must be a numpy.random.Generator such as np.random.default_rng(0), "
                        f"got {rng!r}.")


def random_walks(senders, receivers, num_nodes, walk_length, walks_per_node, rng):
    """DeepWalk's uniform random walks: `walks_per_node` walks of `walk_length` nodes from each node.

    Each step moves to a uniformly drawn out-neighbour; a walk that reaches a node without
    neighbours stays there.

    Args:
        senders, receivers: the edges (both directions for an undirected graph).
        num_nodes: N.
        walk_length: nodes per walk (a positive integer, including the start).
        walks_per_node: walks started from each node (a positive integer).
        rng: a `numpy.random.Generator`.

    Returns:
        int64 array (N * walks_per_node, walk_length); row w * N + v starts at node v.
    """
    _check_walk_arguments(walk_length, walks_per_node, rng)
    neighbours = neighbour_lists(senders, receivers, num_nodes)
    walks = np.empty((walks_per_node * num_nodes, walk_length), dtype=np.int64)
    walks[:, 0] = np.tile(np.arange(num_nodes), walks_per_node)
    for step in range(1, walk_length):
        for w in range(walks.shape[0]):
            options = neighbours[walks[w, step - 1]]
            walks[w, step] = options[rng.integers(options.size)] if options.size else walks[w, step - 1]
    return walks


def node2vec_transition_probabilities(neighbours, previous, current, p, q):
    """P(next = x | previous = t, current = v) over the neighbours x of v, node2vec's formula.

    Args:
        neighbours: the list from `neighbour_lists`.
        previous: t, the node the walk came from.
        current: v, the node the walk is at.
        p, q: node2vec's return and in-out parameters (> 0).

    Returns:
        (candidates, probabilities): the neighbours of v and their probabilities (summing to 1).

    Example:

    >>> from dlcourse.gnn import neighbour_lists, node2vec_transition_probabilities
    >>> nb = neighbour_lists([0, 1, 1, 2, 1, 3], [1, 0, 2, 1, 3, 1], 4)   # a star around node 1
    >>> node2vec_transition_probabilities(nb, 0, 1, p=0.5, q=2.0)[1].tolist()
    [0.6666666666666666, 0.16666666666666666, 0.16666666666666666]
    """
    if not (p > 0 and q > 0):
        raise ValueError(f"p and q must be positive, got p={p!r} and q={q!r}.")
    candidates = neighbours[current]
    weights = np.where(candidates == previous, 1.0 / p,
                       np.where(np.isin(candidates, neighbours[previous]), 1.0, 1.0 / q))
    return candidates, weights / weights.sum()


def node2vec_walks(senders, receivers, num_nodes, walk_length, walks_per_node, p, q, rng):
    """node2vec's biased second-order walks (same layout as `random_walks`).

    The first step is uniform; every later step follows `node2vec_transition_probabilities`.
    """
    _check_walk_arguments(walk_length, walks_per_node, rng)
    neighbours = neighbour_lists(senders, receivers, num_nodes)
    walks = random_walks(senders, receivers, num_nodes, min(walk_length, 2), walks_per_node, rng)
    if walk_length <= 2:
        return walks
    walks = np.concatenate([walks, np.empty((walks.shape[0], walk_length - 2), np.int64)], axis=1)
    for step in range(2, walk_length):
        for w in range(walks.shape[0]):
            t, v = walks[w, step - 2], walks[w, step - 1]
            if neighbours[v].size == 0:
                walks[w, step] = v
                continue
            candidates, probabilities = node2vec_transition_probabilities(neighbours, t, v, p, q)
            walks[w, step] = candidates[rng.choice(candidates.size, p=probabilities)]
    return walks


def skipgram_pairs(walks, window):
    """All (center, context) pairs at distance 1 .. window along each walk, int64 (P, 2).

    Chapter 5's word2vec pairs (`dlcourse.nlp.word2vec.skipgram_pairs`), with walks for
    sentences and nodes for words.
    """
    return word2vec.skipgram_pairs(walks, window)


def negative_samples(pairs, num_nodes, negatives, rng):
    """Add `negatives` uniformly drawn (center, node) pairs per positive pair; labels 1 / 0.

    DeepWalk's uniform noise; `dlcourse.nlp.word2vec.negative_samples` also draws from a
    unigram distribution.

    Returns:
        (centers, contexts, labels), arrays of shape ((1 + negatives) P,).
    """
    return word2vec.negative_samples(pairs, num_nodes, negatives, rng)


def train_skipgram(walks, num_nodes, embedding_dim=16, window=3, negatives=4, epochs=5, batch_size=256,
                   learning_rate=0.02, seed=0):
    """Fit a `SkipGram` model on the walks, uniform negatives; returns (model, embeddings (N, D)).

    `dlcourse.nlp.word2vec.train_skipgram` with walks for sentences and nodes for words.
    """
    return word2vec.train_skipgram(walks, num_nodes, embedding_dim=embedding_dim, window=window,
                                   negatives=negatives, epochs=epochs, batch_size=batch_size,
                                   learning_rate=learning_rate, seed=seed)
