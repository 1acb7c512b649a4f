"""Prediction heads: node-level, edge-level and graph-level, with their losses and metrics.

Lecture: §7.3.1 Prediction; §7.3.2 Loss Function and Evaluation

After message passing every node v has an embedding h_v^(K); the notes send it to a
prediction head chosen by the task:

- node-level: the notes' y^_v = W^(H) h_v^(K); here y_v = softmax(W h_v + b), a Dense layer on
  each node state (the bias and the softmax for classification are ours; `NodeClassifier` and
  `build_node_classifier` for a whole model);
- edge-level (link prediction): the notes' y^_{u,v} = Head(h_v^L, h_u^L), either the dot product
  s = h_u . h_v (`DotProductEdgeDecoder`) or layers on the concatenation s = MLP([h_u || h_v])
  (`ConcatEdgeDecoder`); p = sigmoid(s);
- graph-level: the notes' global pooling, a permutation-invariant readout
  h_G = POOL_{v in G} h_v with POOL = mean, max or sum (`GraphPooling`), then an MLP.

The notes leave §7.3.2 (loss and evaluation) empty; we fill it. Losses and metrics: cross-entropy (`keras.losses.SparseCategoricalCrossentropy` on masked nodes
via sample weights, `keras.losses.BinaryCrossentropy` for edges), `masked_accuracy`, and the
area under the ROC curve `roc_auc` for ranking edges.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.gnn.layers import GATConv, GATv2Conv, GCNConv, GraphSAGEConv, aggregate

__all__ = [
    "DotProductEdgeDecoder",
    "ConcatEdgeDecoder",
    "GraphPooling",
    "NodeClassifier",
    "build_node_classifier",
    "masked_accuracy",
    "roc_auc",
]


@keras.saving.register_keras_serializable(package="dlcourse")
class DotProductEdgeDecoder(keras.layers.Layer):
    """Edge score as the dot product of the two node states: s_uv = h_u . h_v (a logit).

    Call arguments:
        node_states: (N, D).
        sources, targets: int tensors (P,), the node pairs to score.

    Returns:
        Logits of shape (P,).

    Example:

    >>> import keras
    >>> from dlcourse.gnn import DotProductEdgeDecoder
    >>> s = DotProductEdgeDecoder()(keras.ops.eye(3), keras.ops.array([0, 1]), keras.ops.array([0, 2]))
    >>> keras.ops.convert_to_numpy(s).tolist()
    [1.0, 0.0]
    """

    def call(self, node_states, sources, targets):
        return ops.sum(ops.take(node_states, ops.cast(sources, "int32"), axis=0)
                       * ops.take(node_states, ops.cast(targets, "int32"), axis=0), axis=-1)


@keras.saving.register_keras_serializable(package="dlcourse")
class ConcatEdgeDecoder(keras.layers.Layer):
    """Edge score from an MLP on the concatenated node states: s_uv = w . ReLU(W [h_u || h_v] + b) + c.

    Unlike the dot product it can score asymmetric relations (s_uv != s_vu).

    Args:
        hidden_units: width of the hidden layer.
        **kwargs: base layer arguments.

    Call arguments:
        node_states: (N, D).
        sources, targets: int tensors (P,).

    Returns:
        Logits of shape (P,).

    Example:

    >>> import keras
    >>> from dlcourse.gnn import ConcatEdgeDecoder
    >>> s = ConcatEdgeDecoder(4)(keras.ops.eye(3), keras.ops.array([0, 1]), keras.ops.array([2, 2]))
    >>> tuple(s.shape)
    (2,)
    """

    def __init__(self, hidden_units=16, **kwargs):
        super().__init__(**kwargs)
        hidden_units = positive_int("hidden_units", hidden_units)
        self.hidden_units = hidden_units
        self.hidden = keras.layers.Dense(hidden_units, activation="relu", name="hidden")
        self.score = keras.layers.Dense(1, name="score")

    def build(self, input_shape):
        self.hidden.build((None, 2 * input_shape[-1]))
        self.score.build((None, self.hidden_units))

    def call(self, node_states, sources, targets):
        pair = ops.concatenate([ops.take(node_states, ops.cast(sources, "int32"), axis=0),
                                ops.take(node_states, ops.cast(targets, "int32"), axis=0)], axis=-1)
        return ops.squeeze(self.score(self.hidden(pair)), -1)

    def get_config(self):
        return {**super().get_config(), "hidden_units": self.hidden_units}


@keras.saving.register_keras_serializable(package="dlcourse")
class GraphPooling(keras.layers.Layer):
    """Graph-level readout: h_G = POOL_{v in G} h_v with POOL = mean, max or sum.

    A batch of graphs is one disjoint union; `graph_ids[v]` says which graph node v belongs
    to. The readout is invariant to the order of the nodes. A graph without nodes reads 0.

    Args:
        reduce: "mean", "max" or "sum".
        **kwargs: base layer arguments.

    Call arguments:
        node_states: (N, D).
        graph_ids: int tensor (N,), values in [0, num_graphs).
        num_graphs: the number of graphs G (an int); default max(graph_ids) + 1.

    Returns:
        (G, D).

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GraphPooling
    >>> pool = GraphPooling("sum")
    >>> h = pool(keras.ops.ones((3, 2)), keras.ops.array([0, 0, 1]), num_graphs=2)
    >>> keras.ops.convert_to_numpy(h).tolist()
    [[2.0, 2.0], [1.0, 1.0]]
    """

    def __init__(self, reduce="mean", **kwargs):
        super().__init__(**kwargs)
        if reduce not in ("mean", "max", "sum"):
            raise ValueError(f"reduce must be 'mean', 'max' or 'sum', got {reduce!r}.")
        self.reduce = reduce

    def call(self, node_states, graph_ids, num_graphs=None):
        graph_ids = ops.cast(graph_ids, "int32")
        if num_graphs is None:
            num_graphs = ops.max(graph_ids) + 1
        return aggregate(node_states, graph_ids, num_graphs, self.reduce)

    def get_config(self):
        return {**super().get_config(), "reduce": self.reduce}


_CONVOLUTIONS = {"gcn": GCNConv, "graph_sage": GraphSAGEConv, "gat": GATConv, "gatv2": GATv2Conv}


@keras.saving.register_keras_serializable(package="dlcourse")
class NodeClassifier(keras.layers.Layer):
    """Message-passing layers followed by a node-level Dense head that outputs class logits.

        H^(l+1) = ReLU(GNN_l(H^(l))),    logits_v = W h_v^(L) + b

    Args:
        num_classes: number of classes C.
        hidden_units: widths of the message-passing layers, e.g. (16, 16).
        convolution: "gcn", "graph_sage", "gat" or "gatv2".
        dropout: dropout rate on the node features of every layer (training only).
        seed: seed of the dropout.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: (N, F); senders, receivers: (E,); training: whether to drop out.

    Returns:
        Logits of shape (N, C).
    """

    def __init__(self, num_classes, hidden_units=(16, 16), convolution="gcn", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        num_classes = positive_int("num_classes", num_classes)
        if convolution not in _CONVOLUTIONS:
            raise ValueError(f"convolution must be one of {sorted(_CONVOLUTIONS)}, got {convolution!r}.")
        self.num_classes, self.hidden_units = num_classes, tuple(int(u) for u in hidden_units)
        self.convolution, self.dropout, self.seed = convolution, float(dropout), seed
        self.convolutions = [_CONVOLUTIONS[convolution](u, name=f"conv_{i}") for i, u in enumerate(self.hidden_units)]
        self.head = keras.layers.Dense(num_classes, name="head")
        self.drop = keras.layers.Dropout(self.dropout, seed=seed)

    def build(self, input_shape):
        width = input_shape[-1]
        for conv in self.convolutions:
            conv.build((None, width))
            width = conv.compute_output_shape((None, width))[-1]
        self.head.build((None, width))

    def call(self, node_features, senders, receivers, training=None):
        h = node_features
        for conv in self.convolutions:
            h = ops.relu(conv(self.drop(h, training=training), senders, receivers))
        return self.head(self.drop(h, training=training))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.num_classes)

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes, "hidden_units": list(self.hidden_units),
                "convolution": self.convolution, "dropout": self.dropout, "seed": self.seed}


def build_node_classifier(num_features, num_classes, hidden_units=(16, 16), convolution="gcn", dropout=0.0,
                          seed=None):
    """A functional Keras model for node classification on one whole graph, ready for `fit`.

    `fit` slices its inputs along the first axis, but a graph's nodes and edges have different
    counts; so the model takes a batch of one graph, inputs of shapes (1, N, F), (1, E), (1, E),
    and returns logits (1, N, C). Train on labelled nodes only with `sample_weight` = the
    training mask, shape (1, N):

        model.fit((x[None], s[None], r[None]), y[None], sample_weight=mask[None], ...)

    Returns:
        An uncompiled `keras.Model`.
    """
    x_in = keras.Input((None, num_features), batch_size=1, name="node_features")
    s_in = keras.Input((None,), batch_size=1, dtype="int32", name="senders")
    r_in = keras.Input((None,), batch_size=1, dtype="int32", name="receivers")
    classifier = NodeClassifier(num_classes, hidden_units, convolution, dropout, seed, name="node_classifier")
    # A reshape, not a squeeze: `fit` traces with an unknown batch size.
    logits = classifier(ops.reshape(x_in, (-1, num_features)), ops.reshape(s_in, (-1,)), ops.reshape(r_in, (-1,)))
    return keras.Model([x_in, s_in, r_in], ops.expand_dims(logits, 0))


def masked_accuracy(labels, logits, mask=None):
    """Fraction of the masked nodes whose argmax logit equals the label (numpy float)."""
    labels = np.asarray(labels).reshape(-1)
    predicted = np.argmax(np.asarray(ops.convert_to_numpy(logits)).reshape(labels.shape[0], -1), axis=-1)
    mask = np.ones(labels.shape, bool) if mask is None else np.asarray(mask, bool).reshape(-1)
    if not mask.any():
        raise ValueError("mask selects no node; pass a mask with at least one True entry.")
    return float(np.mean(predicted[mask] == labels[mask]))


def roc_auc(labels, scores):
    """Area under the ROC curve: the probability that a random positive outscores a random negative.

        AUC = (1 / (P N)) sum_{i positive} sum_{j negative} [s_i > s_j] + 0.5 [s_i = s_j]

    computed from ranks (ties get their average rank), the Mann-Whitney U statistic.

    Args:
        labels: array (M,) of 0/1.
        scores: array (M,) of scores (logits or probabilities).

    Returns:
        A float in [0, 1].

    Example:

    >>> from dlcourse.gnn import roc_auc
    >>> roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    labels = np.asarray(labels).reshape(-1).astype(bool)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    positives, negatives = labels.sum(), (~labels).sum()
    if positives == 0 or negatives == 0:
        raise ValueError("roc_auc needs at least one positive and one negative label.")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(scores.size)
    sorted_scores = scores[order]
    # Average rank over each run of tied scores.
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [scores.size]])
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2.0
    u = ranks[labels].sum() - positives * (positives + 1) / 2.0
    return float(u / (positives * negatives))
