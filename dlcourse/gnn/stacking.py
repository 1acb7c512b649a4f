"""Stacking GNN layers: pre/post-processing MLPs, skip connections, and over-smoothing.

Lecture: §7.2.2 Stacking GNN Layers

The notes stack GNN layers one after another, from h_v^(0) to h_v^(L). After L message-passing
layers a node's state depends on its L-hop neighbourhood; stack too many and the receptive
fields overlap so much that the node states converge to the same vector: the notes'
over-smoothing problem. It is measured here (our choice of measure) by the mean pairwise cosine
similarity of the node states,

    S(H) = 1 / (N (N - 1)) sum_{i != j} h_i . h_j / (||h_i|| ||h_j||),

which rises towards 1 with depth. The notes' remedies, all in `GNNStack`:

- a more expressive shallow GNN: layers that pass no messages, an MLP before message passing
  (pre-processing) and one after it (post-processing), which add expressive power without
  enlarging the receptive field;
- for a deep GNN, skip connections, the residual network's f(x) -> f(x) + x:
  H^(l+1) = H^(l) + GNN(H^(l)), two paths, through the layer and around it, so part of each
  node's own state survives every layer and the rise of S slows.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import int_at_least, is_int
from dlcourse.gnn.layers import GATConv, GATv2Conv, GCNConv, GraphSAGEConv

__all__ = ["GNNStack", "mean_pairwise_cosine_similarity", "over_smoothing_curve"]

_CONVOLUTIONS = {"gcn": GCNConv, "gcn_symmetric": GCNConv, "graph_sage": GraphSAGEConv, "gat": GATConv,
                 "gatv2": GATv2Conv}


def mean_pairwise_cosine_similarity(node_states):
    """Mean cosine similarity over all pairs of distinct nodes, a float in [-1, 1].

        S(H) = 1 / (N (N - 1)) sum_{i != j} cos(h_i, h_j)

    Zero rows count as similarity 0 with every other row.

    Args:
        node_states: array or tensor of shape (N, D), N >= 2.

    Returns:
        A Python float.

    Example:

    >>> from dlcourse.gnn import mean_pairwise_cosine_similarity
    >>> mean_pairwise_cosine_similarity([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]])
    0.3333333333333333
    """
    if not isinstance(node_states, (list, tuple, np.ndarray)):
        node_states = ops.convert_to_numpy(node_states)
    h = np.asarray(node_states, dtype=np.float64)
    n = h.shape[0]
    if h.ndim != 2 or n < 2:
        raise ValueError(f"node_states must have shape (N, D) with N >= 2, got {h.shape}.")
    norms = np.linalg.norm(h, axis=1, keepdims=True)
    unit = np.divide(h, norms, out=np.zeros_like(h), where=norms > 0)
    cosine = unit @ unit.T
    return float((cosine.sum() - np.trace(cosine)) / (n * (n - 1)))


def over_smoothing_curve(stack, node_features, senders, receivers):
    """S(H^(l)) for l = 0 .. num_layers of a `GNNStack` (l = 0: after the pre-processing MLP)."""
    states = stack.node_states(node_features, senders, receivers)
    return [mean_pairwise_cosine_similarity(h) for h in states]


@keras.saving.register_keras_serializable(package="dlcourse")
class GNNStack(keras.layers.Layer):
    """Pre-processing MLP, L message-passing layers (optionally with skips), post-processing MLP.

        H^(0)   = MLP_pre(X)
        H^(l+1) = f_l(H^(l))               (skip=False),    f_l(H) = sigma(GNN_l(H))
        H^(l+1) = f_l(H^(l)) + H^(l)       (skip=True: the notes' skip connection f(x) + x)
        output  = MLP_post(H^(L))

    The attention convolutions ("gat", "gatv2") are built with `add_self_loops=True` here:
    without a separate self-transformation, attending to itself is how a node keeps its own
    state (beyond the notes, as in Velickovic et al.).

    Args:
        units: width of every hidden layer (the message-passing layers keep it, so that the
            residual sum is defined; attention layers use `units // num_heads` per head).
        num_layers: number L of message-passing layers (>= 0).
        convolution: "gcn" (mean form), "gcn_symmetric", "graph_sage", "gat" or "gatv2".
        skip: whether to add residual skip connections.
        pre_layers, post_layers: number of Dense layers before and after message passing.
        activation: sigma of every layer.
        num_heads: attention heads for "gat"/"gatv2" (must divide `units`).
        output_units: width of the last post-processing layer (default `units`).
        kernel_initializer: initializer of every layer.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: (N, F); senders, receivers: (E,).

    Returns:
        Node states (N, output_units) (or (N, units) without post-processing layers).

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GNNStack
    >>> stack = GNNStack(8, num_layers=2, skip=True)
    >>> h = stack(keras.ops.ones((4, 3)), keras.ops.array([0, 1, 2]), keras.ops.array([1, 2, 3]))
    >>> tuple(h.shape)
    (4, 8)
    """

    def __init__(self, units, num_layers=2, convolution="gcn", skip=False, pre_layers=1, post_layers=1,
                 activation="relu", num_heads=1, output_units=None, kernel_initializer="glorot_uniform",
                 **kwargs):
        super().__init__(**kwargs)
        units, num_layers = int_at_least("units", units, 1), int_at_least("num_layers", num_layers, 0)
        pre_layers, post_layers = int_at_least("pre_layers", pre_layers, 0), int_at_least("post_layers", post_layers, 0)
        num_heads = int_at_least("num_heads", num_heads, 1)
        if convolution not in _CONVOLUTIONS:
            raise ValueError(f"convolution must be one of {sorted(_CONVOLUTIONS)}, got {convolution!r}.")
        if convolution in ("gat", "gatv2") and units % num_heads:
            raise ValueError(f"num_heads must divide units for attention layers, got units={units} "
                             f"and num_heads={num_heads}.")
        if output_units is not None and (not is_int(output_units) or output_units < 1):
            raise ValueError(f"output_units must be a positive integer or None, got {output_units!r}.")
        output_units = None if output_units is None else int(output_units)
        self.units, self.num_layers, self.convolution, self.skip = units, num_layers, convolution, bool(skip)
        self.pre_layers, self.post_layers, self.num_heads = pre_layers, post_layers, num_heads
        self.output_units = output_units
        self.activation = keras.activations.get(activation)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

        def init():  # a fresh copy per layer, so that seeded initializers do not repeat themselves
            return keras.initializers.get(keras.initializers.serialize(self.kernel_initializer))

        self.pre_mlp = [keras.layers.Dense(units, activation=activation, kernel_initializer=init(), name=f"pre_{i}")
                        for i in range(pre_layers)]
        self.convolutions = [self._make_convolution(i, init()) for i in range(num_layers)]
        widths = [units] * post_layers
        if post_layers and output_units is not None:
            widths[-1] = output_units
        self.post_mlp = [keras.layers.Dense(w, activation=activation if i < post_layers - 1 else None,
                                            kernel_initializer=init(), name=f"post_{i}")
                         for i, w in enumerate(widths)]

    def _make_convolution(self, i, initializer):
        kind = self.convolution
        if kind in ("gcn", "gcn_symmetric"):
            return GCNConv(self.units, normalization="symmetric" if kind == "gcn_symmetric" else "mean",
                           kernel_initializer=initializer, name=f"conv_{i}")
        if kind == "graph_sage":
            return GraphSAGEConv(self.units, activation=None, normalize=False, kernel_initializer=initializer,
                                 name=f"conv_{i}")
        return _CONVOLUTIONS[kind](self.units // self.num_heads, num_heads=self.num_heads, add_self_loops=True,
                                   kernel_initializer=initializer, name=f"conv_{i}")

    def build(self, input_shape):
        width = input_shape[-1]
        for layer in self.pre_mlp:
            layer.build((None, width))
            width = self.units
        for conv in self.convolutions:
            conv.build((None, width))
            width = self.units
        for layer in self.post_mlp:
            layer.build((None, width))
            width = layer.units

    def node_states(self, node_features, senders, receivers):
        """[H^(0), H^(1), ..., H^(L)]: the states after the pre-MLP and after each GNN layer."""
        h = node_features
        for layer in self.pre_mlp:
            h = layer(h)
        states = [h]
        for conv in self.convolutions:
            update = self.activation(conv(h, senders, receivers))
            if self.skip and h.shape[-1] == update.shape[-1]:
                h = h + update
            else:
                h = update
            states.append(h)
        return states

    def call(self, node_features, senders, receivers):
        h = self.node_states(node_features, senders, receivers)[-1]
        for layer in self.post_mlp:
            h = layer(h)
        return h

    def compute_output_shape(self, input_shape):
        width = self.post_mlp[-1].units if self.post_mlp else (self.units if self.pre_mlp or self.convolutions else input_shape[-1])
        return (input_shape[0], width)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "num_layers": self.num_layers,
                "convolution": self.convolution, "skip": self.skip, "pre_layers": self.pre_layers,
                "post_layers": self.post_layers, "activation": keras.activations.serialize(self.activation),
                "num_heads": self.num_heads, "output_units": self.output_units,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer)}
