"""The notes' general GNN layer: a message function, an aggregation, and a concatenation.

Lecture: §7.2 A General GNN Framework; §7.2.1 A single GNN layer

Every GNN layer of the notes' framework is a message function and an aggregation function:

    m_u^(k) = MSG^(k)(h_u^(k-1)),
    h_v^(k) = concat( Agg({m_u^(k) : u in N(v)}), m_v^(k) ).

`GeneralGNNLayer` is that layer with a linear message, written in the three named steps of
message passing (`message`, `aggregate`, `update`), so that each can be read, tested or
overridden on its own. GCN, GraphSAGE and GAT (`dlcourse.gnn.layers`) are instances of the same
pattern with other choices for each step.
"""

from __future__ import annotations

import keras
from keras import ops

from dlcourse.arguments import positive_int
from dlcourse.gnn.layers import _check_choice, _edge_indices, _feature_dim, _GraphLayer, _num_nodes, aggregate

__all__ = ["GeneralGNNLayer"]


@keras.saving.register_keras_serializable(package="dlcourse")
class GeneralGNNLayer(_GraphLayer):
    """The notes' general GNN layer: linear messages, a set aggregation, concat with the own message.

        m_u  = MSG(h_u) = W h_u                                (message; the row h_u W here)
        h_v' = sigma( concat( Agg({m_u : u in N(v)}), m_v ) )   (aggregate, then update)

    N(v) are the senders of v's incoming edges (a repeated edge counts as often as it
    appears). Agg is "sum", "mean" or "max" over them; a node without incoming edges gets the
    zero vector (the notes leave that case open). The output puts the aggregate first and the
    node's own message second, as the notes write the concatenation, so it has 2 * units
    features. Every neighbour receives the same message m_u; the notes mention that a layer
    may send different messages to different neighbours (as GAT does, `GATConv`).

    Beyond the notes: the optional non-linearity sigma (default None, the notes' form) and an
    optional bias in the message, m_u = W h_u + b (default off).

    Args:
        units: width D of a message; the layer outputs 2 * units features.
        reduce: the aggregation, "sum", "mean" or "max".
        activation: sigma, applied to the concatenation (default None).
        use_bias: whether the message adds a bias b (default False).
        kernel_initializer, bias_initializer: Keras initializers.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: float tensor (N, F).
        senders, receivers: int tensors (E,); edge k carries m_{senders[k]} to receivers[k].

    Returns:
        Node states of shape (N, 2 * units): [Agg | m_v] per row.

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GeneralGNNLayer
    >>> layer = GeneralGNNLayer(1, reduce="sum", kernel_initializer="ones")
    >>> h = layer(keras.ops.ones((3, 2)), keras.ops.array([0, 1]), keras.ops.array([2, 2]))
    >>> keras.ops.convert_to_numpy(h).tolist()
    [[0.0, 2.0], [0.0, 2.0], [4.0, 2.0]]
    """

    def __init__(self, units, reduce="mean", activation=None, use_bias=False, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(activation, use_bias, kernel_initializer, bias_initializer, **kwargs)
        self.units = positive_int("units", units)
        _check_choice("reduce", reduce, ("sum", "mean", "max"))
        self.reduce = reduce

    def build(self, input_shape):
        self.kernel = self._kernel((_feature_dim(input_shape), self.units), "kernel")
        if self.use_bias:
            self.bias = self._bias((self.units,))

    def message(self, node_features):
        """m_u = h_u W (+ b) for every node, shape (N, units)."""
        m = ops.matmul(node_features, self.kernel)
        return m + self.bias if self.use_bias else m

    def aggregate(self, messages, senders, receivers, num_nodes):
        """Agg over the messages arriving at each node, shape (N, units); 0 without incoming edges."""
        return aggregate(ops.take(messages, senders, axis=0), receivers, num_nodes, self.reduce)

    def update(self, aggregated, messages):
        """sigma(concat(Agg, m_v)), the aggregate first; shape (N, 2 * units)."""
        out = ops.concatenate([aggregated, messages], axis=-1)
        return self.activation(out) if self.activation is not None else out

    def call(self, node_features, senders, receivers):
        n = _num_nodes(node_features)
        senders, receivers = _edge_indices(senders, receivers, n)
        messages = self.message(node_features)
        return self.update(self.aggregate(messages, senders, receivers, n), messages)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2 * self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "reduce": self.reduce}
