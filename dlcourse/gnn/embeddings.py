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
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.gnn.graph import _edge_vectors

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
    """All (center, context) pairs at distance 1 .. window along each walk, int64 (P, 2)."""
    walks = np.asarray(walks, dtype=np.int64)
    pairs = []
    for offset in range(1, window + 1):
        if offset >= walks.shape[1]:
            break
        left, right = walks[:, :-offset].ravel(), walks[:, offset:].ravel()
        pairs.append(np.stack([left, right], 1))
        pairs.append(np.stack([right, left], 1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)


def negative_samples(pairs, num_nodes, negatives, rng):
    """Add `negatives` random (center, node) pairs per positive pair; labels 1 / 0.

    Returns:
        (centers, contexts, labels), arrays of shape ((1 + negatives) P,).
    """
    pairs = np.asarray(pairs, dtype=np.int64)
    centers = np.repeat(pairs[:, 0], negatives)
    random_nodes = rng.integers(num_nodes, size=centers.size)
    return (np.concatenate([pairs[:, 0], centers]), np.concatenate([pairs[:, 1], random_nodes]),
            np.concatenate([np.ones(len(pairs)), np.zeros(centers.size)]).astype(np.float32))


@keras.saving.register_keras_serializable(package="dlcourse")
class SkipGram(keras.Model):
    """Skip-gram with negative sampling: the logit of a (center, context) pair is z_u . z'_v.

    Two embedding tables: Z (the node embeddings, ENC) and Z' (context vectors). Train with
    `keras.losses.BinaryCrossentropy(from_logits=True)` on pairs from `negative_samples`.

    Args:
        num_nodes: N.
        embedding_dim: D.
        seed: seed of the initial embeddings.
        **kwargs: base model arguments.

    Call arguments:
        inputs: a pair (centers, contexts) of int tensors (B,).

    Returns:
        Logits of shape (B,).

    Example:

    >>> model = SkipGram(5, 2, seed=0)
    >>> tuple(model((keras.ops.array([0, 1]), keras.ops.array([2, 3]))).shape)
    (2,)
    """

    def __init__(self, num_nodes, embedding_dim=16, seed=None, **kwargs):
        super().__init__(**kwargs)
        num_nodes, embedding_dim = positive_int("num_nodes", num_nodes), positive_int("embedding_dim", embedding_dim)
        self.num_nodes, self.embedding_dim, self.seed = num_nodes, embedding_dim, seed
        init = keras.initializers.RandomUniform(-0.5 / embedding_dim, 0.5 / embedding_dim, seed=seed)
        self.node_embedding = keras.layers.Embedding(num_nodes, embedding_dim, embeddings_initializer=init,
                                                     name="node_embedding")
        self.context_embedding = keras.layers.Embedding(
            num_nodes, embedding_dim, name="context_embedding",
            embeddings_initializer=keras.initializers.RandomUniform(-0.5 / embedding_dim, 0.5 / embedding_dim,
                                                                    seed=None if seed is None else seed + 1))

    def call(self, inputs):
        centers, contexts = inputs
        return ops.sum(self.node_embedding(centers) * self.context_embedding(contexts), axis=-1)

    @property
    def embeddings(self):
        """The node embedding matrix Z, numpy (N, D)."""
        return ops.convert_to_numpy(self.node_embedding.embeddings)

    def get_config(self):
        return {**super().get_config(), "num_nodes": self.num_nodes, "embedding_dim": self.embedding_dim,
                "seed": self.seed}


def train_skipgram(walks, num_nodes, embedding_dim=16, window=3, negatives=4, epochs=5, batch_size=256,
                   learning_rate=0.02, seed=0):
    """Fit a `SkipGram` model on the walks; returns (model, embeddings (N, D))."""
    rng = np.random.default_rng(seed)
    centers, contexts, labels = negative_samples(skipgram_pairs(walks, window), num_nodes, negatives, rng)
    model = SkipGram(num_nodes, embedding_dim, seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    order = rng.permutation(labels.size)
    model.fit((centers[order].astype("int32"), contexts[order].astype("int32")), labels[order],
              epochs=epochs, batch_size=batch_size, verbose=0)
    return model, model.embeddings
