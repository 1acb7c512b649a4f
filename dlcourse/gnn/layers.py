"""Message-passing layers of chapter 7: GCN, GraphSAGE, GAT and GATv2, as Keras 3 layers.

Lecture: §7.1.3 Graph Convolutional Network; §7.2.1 A single GNN layer

Every layer is built from the notes' message and aggregation functions (§7.2.1) and the UPDATE
of §7.1.3, h_u^(k+1) = UPDATE(h_u^(k), AGGREGATE(h_v^(k), v in N(u))): message (transform the
senders' states), aggregate (a permutation-invariant reduction over the incoming edges: sum,
mean, max, or an attention-weighted sum), update (combine with the node's own state) -- over
plain tensors:

    layer(node_features, senders, receivers)   # (N, F), (E,), (E,)  ->  (N, units)

Edge k carries a message senders[k] -> receivers[k]; an undirected graph lists both directions.
Renumbering the nodes by a permutation P renumbers the outputs the same way:
f(P A P^T, P X) = P f(A, X) (permutation equivariance), because every reduction is over a set.

The notes write node states as column vectors, as in their GCN
h_v^(k+1) = sigma(W_k^T sum_{u in N(v)} h_u^(k) / |N(v)| + B_k^T h_v^(k)); these layers store one
node per row with kernels of shape (in, out), so the notes' W_k^T h is our h W_k. The notes'
general layer, concat(Agg(messages), own message), is `dlcourse.gnn.GeneralGNNLayer`.

TF-GNN ships the production forms (`tensorflow_gnn.models.gcn.GCNConv`,
`graph_sage.GraphSAGEGraphUpdate`, `gat_v2.GATv2Conv`); the tests show these layers agree with
them on shared weights.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from dlcourse.arguments import positive_int

__all__ = ["GCNConv", "GraphSAGEConv", "GATConv", "GATv2Conv", "aggregate", "segment_softmax"]


# --- the aggregation step, shared by all layers ---------------------------------------------


def _num_nodes(node_features):
    return ops.shape(node_features)[0]


def aggregate(messages, receivers, num_nodes, reduce="sum"):
    """Reduce edge messages at their receivers: sum, mean or max over the incoming edges.

        m_i = REDUCE_{k: receivers[k] = i} messages[k]

    Nodes without incoming edges get 0 for every reduction.

    Args:
        messages: tensor of shape (E, ...), one message per edge.
        receivers: int tensor of shape (E,).
        num_nodes: the number of nodes N.
        reduce: "sum", "mean" or "max".

    Returns:
        A tensor of shape (N, ...).

    Example:

    >>> import keras
    >>> from dlcourse.gnn import aggregate
    >>> m = aggregate(keras.ops.array([[1.0], [3.0], [5.0]]), keras.ops.array([0, 0, 2]), 3, "mean")
    >>> keras.ops.convert_to_numpy(m).ravel().tolist()
    [2.0, 0.0, 5.0]
    """
    receivers = ops.cast(receivers, "int32")
    if reduce == "sum":
        return ops.segment_sum(messages, receivers, num_segments=num_nodes)
    if reduce == "mean":
        total = ops.segment_sum(messages, receivers, num_segments=num_nodes)
        count = ops.segment_sum(ops.ones_like(receivers, dtype=messages.dtype), receivers,
                                num_segments=num_nodes)
        count = ops.reshape(ops.maximum(count, 1.0), (-1,) + (1,) * (len(messages.shape) - 1))
        return total / count
    if reduce == "max":
        largest = ops.segment_max(messages, receivers, num_segments=num_nodes)
        # Empty segments come back as the dtype's lowest value; the notes leave an empty
        # neighbourhood open, and we use 0 (as for sum and mean).
        has_edges = ops.segment_sum(ops.ones_like(receivers, dtype=messages.dtype), receivers,
                                    num_segments=num_nodes) > 0
        has_edges = ops.reshape(has_edges, (-1,) + (1,) * (len(messages.shape) - 1))
        return ops.where(has_edges, largest, ops.zeros_like(largest))
    raise ValueError(f"reduce must be 'sum', 'mean' or 'max', got {reduce!r}.")


def segment_softmax(logits, receivers, num_nodes):
    """Softmax of edge scores over the incoming edges of each receiver.

        alpha_k = exp(e_k) / sum_{l: receivers[l] = receivers[k]} exp(e_l)

    Args:
        logits: tensor of shape (E, ...).
        receivers: int tensor of shape (E,).
        num_nodes: the number of nodes N.

    Returns:
        A tensor of shape (E, ...) that sums to 1 over each receiver's edges.
    """
    receivers = ops.cast(receivers, "int32")
    # Subtracting each receiver's largest score keeps exp() finite; softmax is unchanged.
    largest = ops.segment_max(ops.stop_gradient(logits), receivers, num_segments=num_nodes)
    shifted = ops.exp(logits - ops.take(largest, receivers, axis=0))
    total = ops.segment_sum(shifted, receivers, num_segments=num_nodes)
    return shifted / ops.take(total, receivers, axis=0)


def _holds_values(tensor):
    # Values can be checked only when they are at hand: never while a graph is being traced
    # (model.fit, tf.function, a functional model's symbolic build), where it would cost a sync.
    if isinstance(tensor, np.ndarray):
        return True
    if keras.backend.is_keras_tensor(tensor):
        return False
    if keras.backend.backend() == "jax":  # a concrete array, not a jit tracer
        import jax  # already loaded: it is the Keras backend

        return not isinstance(tensor, jax.core.Tracer)
    if keras.backend.backend() != "tensorflow":
        return False
    import tensorflow as tf  # already loaded: it is the Keras backend

    return tf.executing_eagerly()


def _edge_indices(senders, receivers, num_nodes):
    """senders and receivers as int32; in eager mode, first checked to be node indices < num_nodes.

    A float index would be silently truncated by the cast and an index out of range would fail
    deep inside a gather or segment op, so both are reported here in the layer's words.
    """
    if _holds_values(senders) and _holds_values(receivers):
        for name, indices in (("senders", senders), ("receivers", receivers)):
            dtype = keras.backend.standardize_dtype(indices.dtype)
            if "int" not in dtype:
                raise TypeError(f"{name} must hold integer node indices (int32 or int64), got "
                                f"dtype {dtype}.")
            if ops.size(indices) == 0:
                continue
            lowest, highest = int(ops.min(indices)), int(ops.max(indices))
            if lowest < 0 or highest >= num_nodes:
                bad = lowest if lowest < 0 else highest
                raise ValueError(f"{name} must hold node indices in [0, num_nodes) with num_nodes = "
                                 f"{num_nodes} (the rows of node_features), got index {bad}.")
    return ops.cast(senders, "int32"), ops.cast(receivers, "int32")


def _with_self_loops(senders, receivers, num_nodes):
    loops = ops.arange(num_nodes, dtype="int32")
    return (ops.concatenate([ops.cast(senders, "int32"), loops]),
            ops.concatenate([ops.cast(receivers, "int32"), loops]))


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}.")


class _GraphLayer(keras.layers.Layer):
    """Shared plumbing: initializers and the (node_features, senders, receivers) signature."""

    def __init__(self, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def _kernel(self, shape, name):
        return self.add_weight(shape=shape, name=name, initializer=self.kernel_initializer)

    def _bias(self, shape, name="bias"):
        return self.add_weight(shape=shape, name=name, initializer=self.bias_initializer)

    def get_config(self):
        return {
            **super().get_config(),
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


def _feature_dim(input_shape):
    """The number of node features, from the shape (N, F) of node_features (Keras passes it alone)."""
    if input_shape[-1] is None:
        raise ValueError("the last axis of node_features (the number of features) must be known.")
    return int(input_shape[-1])


# --- GCN -------------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlcourse")
class GCNConv(_GraphLayer):
    """Graph convolution (GCN) in the notes' mean form or Kipf and Welling's symmetric form.

    `normalization="mean"` is the notes' GCN: it averages the neighbours (self-transformation
    B_k plus neighbourhood aggregation W_k), with D^-1_{v,v} = 1 / |N(v)|,

        H^(k+1) = sigma(W_k^T D^-1 A H^(k) + B_k^T H^(k)),
        h_v^(k+1) = sigma(W_k^T sum_{u in N(v)} h_u^(k) / |N(v)| + B_k^T h_v^(k)).

    With one node per row and kernels of shape (in, out), `kernel` is the notes' W_k and
    `self_kernel` their B_k acting on the right, so the layer computes

        H' = sigma(D^-1 A H W_k + H B_k (+ b))

    where D is the diagonal in-degree matrix. Beyond the notes: the bias b, and 0 from the
    first term for a node without incoming edges (the notes leave |N(v)| = 0 open).

    `normalization="symmetric"` is the GCN of Kipf and Welling (beyond the notes), with
    self-loops:

        H' = sigma(D~^-1/2 A~ D~^-1/2 H W (+ b)),    A~ = A + I,  D~ = D + I

    where for a directed edge j -> i the factor is 1 / sqrt((d_out(j) + 1) (d_in(i) + 1)),
    which is TF-GNN's `GCNConv(add_self_loops=True, degree_normalization="in_out")`.

    Args:
        units: output features per node.
        normalization: "mean" (weights `kernel` W_k and `self_kernel` B_k) or "symmetric"
            (weight `kernel` W only).
        activation: the non-linearity sigma (default None: linear).
        use_bias: whether to add a bias b.
        kernel_initializer, bias_initializer: Keras initializers.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: float tensor (N, F).
        senders, receivers: int tensors (E,).

    Returns:
        Node states of shape (N, units).

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GCNConv
    >>> layer = GCNConv(2, kernel_initializer="ones")
    >>> h = layer(keras.ops.ones((3, 4)), keras.ops.array([0, 1]), keras.ops.array([1, 2]))
    >>> keras.ops.convert_to_numpy(h).tolist()
    [[4.0, 4.0], [8.0, 8.0], [8.0, 8.0]]
    """

    def __init__(self, units, normalization="mean", activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(activation, use_bias, kernel_initializer, bias_initializer, **kwargs)
        units = positive_int("units", units)
        _check_choice("normalization", normalization, ("mean", "symmetric"))
        self.units = units
        self.normalization = normalization

    def build(self, input_shape):
        features = _feature_dim(input_shape)
        self.kernel = self._kernel((features, self.units), "kernel")
        if self.normalization == "mean":
            self.self_kernel = self._kernel((features, self.units), "self_kernel")
        if self.use_bias:
            self.bias = self._bias((self.units,))

    def call(self, node_features, senders, receivers):
        n = _num_nodes(node_features)
        senders, receivers = _edge_indices(senders, receivers, n)
        if self.normalization == "mean":
            neighbours = aggregate(ops.take(node_features, senders, axis=0), receivers, n, "mean")
            out = ops.matmul(neighbours, self.kernel) + ops.matmul(node_features, self.self_kernel)
        else:
            ones = ops.ones_like(senders, dtype=node_features.dtype)
            in_degree = ops.segment_sum(ones, receivers, num_segments=n) + 1.0
            out_degree = ops.segment_sum(ones, senders, num_segments=n) + 1.0
            scaled = node_features * ops.expand_dims(ops.rsqrt(out_degree), -1)
            pooled = aggregate(ops.take(scaled, senders, axis=0), receivers, n, "sum") + scaled
            out = ops.matmul(pooled * ops.expand_dims(ops.rsqrt(in_degree), -1), self.kernel)
        if self.use_bias:
            out = out + self.bias
        return self.activation(out) if self.activation is not None else out

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "normalization": self.normalization}


# --- GraphSAGE -------------------------------------------------------------------------------


@keras.saving.register_keras_serializable(package="dlcourse")
class GraphSAGEConv(_GraphLayer):
    """GraphSAGE: aggregate the neighbours, combine with the node's own state, L2-normalise.

    The notes' GraphSAGE layer, L2-normalised at every layer:

        h_v^(k) = sigma( W^(k) . concat(h_v^(k-1), Agg(h_u^(k-1))) )

    Here W is split into the blocks acting on h_v and on the aggregate (`self_kernel` and
    `neighbour_kernel`, each of shape (in, units) acting on the right), with a bias b (ours):

        a_v  = AGG({h_u : u in N(v)})
        h_v' = sigma(W_self h_v + W_neigh a_v + b)            (= sigma(W [h_v || a_v] + b))
        h_v' <- h_v' / ||h_v'||_2                             (if `normalize`)

    with the notes' mean, pooling and LSTM aggregators, in the form of Hamilton et al.:

    - "mean":     a_v = mean_u h_u
    - "max_pool": a_v = max_u ReLU(W_pool h_u + b_pool)    (elementwise max; 0 without neighbours)
    - "lstm":     a_v = the last output of an LSTM run over the neighbours' states, in the order
      their edges appear (GraphSAGE feeds a random permutation: shuffle the edges to train it
      order-robust). It is the one aggregator that is not a function of the set alone.

    Args:
        units: output features per node.
        aggregator: "mean", "max_pool" or "lstm".
        pool_units: width of W_pool ("max_pool") or of the LSTM ("lstm"); default `units`.
        activation: sigma (default "relu").
        normalize: whether to L2-normalise each output row.
        use_bias: whether to add b (and b_pool).
        kernel_initializer, bias_initializer: Keras initializers.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: float tensor (N, F).
        senders, receivers: int tensors (E,).

    Returns:
        Node states of shape (N, units), of unit length when `normalize`.

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GraphSAGEConv
    >>> layer = GraphSAGEConv(3, aggregator="max_pool")
    >>> h = layer(keras.ops.ones((4, 2)), keras.ops.array([0, 1, 2]), keras.ops.array([1, 2, 3]))
    >>> tuple(h.shape)
    (4, 3)
    """

    def __init__(self, units, aggregator="mean", pool_units=None, activation="relu", normalize=True,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 **kwargs):
        super().__init__(activation, use_bias, kernel_initializer, bias_initializer, **kwargs)
        units = positive_int("units", units)
        _check_choice("aggregator", aggregator, ("mean", "max_pool", "lstm"))
        if pool_units is not None:
            pool_units = positive_int("pool_units", pool_units)
        self.units = units
        self.aggregator = aggregator
        self.pool_units = pool_units
        self.normalize = bool(normalize)
        if aggregator == "lstm":
            self.lstm = keras.layers.LSTM(pool_units or units, name="lstm_aggregator")

    def build(self, input_shape):
        features = _feature_dim(input_shape)
        width = self.pool_units or self.units
        self.self_kernel = self._kernel((features, self.units), "self_kernel")
        if self.aggregator == "max_pool":
            self.pool_kernel = self._kernel((features, width), "pool_kernel")
            if self.use_bias:
                self.pool_bias = self._bias((width,), "pool_bias")
        elif self.aggregator == "lstm":
            self.lstm.build((None, None, features))
        neighbour_features = features if self.aggregator == "mean" else width
        self.neighbour_kernel = self._kernel((neighbour_features, self.units), "neighbour_kernel")
        if self.use_bias:
            self.bias = self._bias((self.units,))

    def _aggregate_neighbours(self, node_features, senders, receivers, n):
        messages = ops.take(node_features, senders, axis=0)
        if self.aggregator == "mean":
            return aggregate(messages, receivers, n, "mean")
        if self.aggregator == "max_pool":
            messages = ops.matmul(messages, self.pool_kernel)
            if self.use_bias:
                messages = messages + self.pool_bias
            return aggregate(ops.relu(messages), receivers, n, "max")
        return self._lstm_aggregate(messages, receivers, n)

    def _lstm_aggregate(self, messages, receivers, n):
        # Lay each node's incoming messages out as a padded sequence (N, max_degree, F), in edge
        # order, then let the LSTM read it under a mask.
        num_edges = ops.shape(receivers)[0]
        edge_ids = ops.arange(num_edges, dtype="int32")
        order = ops.argsort(receivers * num_edges + edge_ids)  # unique keys: a stable sort
        sorted_receivers = ops.take(receivers, order)
        counts = ops.segment_sum(ops.ones_like(receivers), receivers, num_segments=n)
        starts = ops.cumsum(counts) - counts
        position = edge_ids - ops.take(starts, sorted_receivers)
        max_degree = ops.maximum(ops.max(ops.concatenate([counts, ops.ones((1,), "int32")])), 1)
        indices = ops.stack([sorted_receivers, position], axis=1)
        features = ops.shape(messages)[-1]
        padded = ops.scatter(indices, ops.take(messages, order, axis=0), (n, max_degree, features))
        mask = ops.expand_dims(ops.arange(max_degree, dtype="int32"), 0) < ops.expand_dims(counts, 1)
        out = self.lstm(padded, mask=mask)
        return ops.where(ops.expand_dims(counts > 0, 1), out, ops.zeros_like(out))

    def call(self, node_features, senders, receivers):
        n = _num_nodes(node_features)
        senders, receivers = _edge_indices(senders, receivers, n)
        neighbours = self._aggregate_neighbours(node_features, senders, receivers, n)
        out = ops.matmul(node_features, self.self_kernel) + ops.matmul(neighbours, self.neighbour_kernel)
        if self.use_bias:
            out = out + self.bias
        if self.activation is not None:
            out = self.activation(out)
        if self.normalize:
            out = out / ops.maximum(ops.norm(out, axis=-1, keepdims=True), 1e-12)
        return out

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "aggregator": self.aggregator,
                "pool_units": self.pool_units, "normalize": self.normalize}


# --- GAT and GATv2 ---------------------------------------------------------------------------


class _AttentionLayer(_GraphLayer):
    def __init__(self, units, num_heads=1, merge="concat", negative_slope=0.2, add_self_loops=False,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(activation, use_bias, kernel_initializer, bias_initializer, **kwargs)
        units = positive_int("units", units)
        num_heads = positive_int("num_heads", num_heads)
        _check_choice("merge", merge, ("concat", "mean"))
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)) or negative_slope < 0:
            raise ValueError(f"negative_slope must be a number >= 0, got {negative_slope!r}.")
        self.units = units
        self.num_heads = num_heads
        self.merge = merge
        self.negative_slope = float(negative_slope)
        self.add_self_loops = bool(add_self_loops)

    def _split_heads(self, x):
        return ops.reshape(x, (-1, self.num_heads, self.units))

    def _attend(self, logits, values, senders, receivers, n):
        """alpha = softmax over each receiver's edges; out_i = merge_heads(sum_j alpha_ij v_j)."""
        alpha = segment_softmax(logits, receivers, n)  # (E, heads)
        pooled = aggregate(ops.expand_dims(alpha, -1) * ops.take(values, senders, axis=0), receivers, n, "sum")
        if self.merge == "concat":
            out = ops.reshape(pooled, (-1, self.num_heads * self.units))
        else:
            out = ops.mean(pooled, axis=1)
        return self.activation(out) if self.activation is not None else out

    def _edges(self, senders, receivers, n):
        senders, receivers = _edge_indices(senders, receivers, n)
        return _with_self_loops(senders, receivers, n) if self.add_self_loops else (senders, receivers)

    def compute_output_shape(self, input_shape):
        width = self.units * self.num_heads if self.merge == "concat" else self.units
        return (input_shape[0], width)

    def get_config(self):
        return {**super().get_config(), "units": self.units, "num_heads": self.num_heads,
                "merge": self.merge, "negative_slope": self.negative_slope,
                "add_self_loops": self.add_self_loops}


@keras.saving.register_keras_serializable(package="dlcourse")
class GATConv(_AttentionLayer):
    """Graph attention (GAT, Velickovic et al.) with several heads.

    The notes' GAT layer weighs each neighbour u of v by an attention weight, with sigma
    outside the sum:

        h_v^(k) = sigma( sum_{u in N(v)} alpha_{u,v} W^(k) h_u^(k-1) )

    The notes leave the attention mechanism a open; this is Velickovic et al.'s. For each head
    k, with z_u = W^k h_u (the row h_u W^k here, `kernel` of shape (in, heads * units)):

        e_{u,v} = LeakyReLU(a_k . [z_v || z_u]) = LeakyReLU(a_dst^k . z_v + a_src^k . z_u)
        alpha_{u,v} = exp(e_{u,v}) / sum_{t in N(v)} exp(e_{t,v})
        h_v'^k = sum_{u in N(v)} alpha_{u,v} z_u

    and the heads are concatenated (hidden layers) or averaged (output layer), then sigma is
    applied once, outside the sums. A node without incoming edges gets sigma(0).

    Beyond the notes: `add_self_loops=True` lets every node attend to itself as well (v joins
    its own N(v)), as Velickovic et al. do; the default, False, is the notes' neighbours-only
    sum. The bias on z is ours too. Because a . [z_v || z_u] is linear, the ranking of
    neighbours u is the same for every receiver v ("static attention"); GATv2 fixes that.

    Args:
        units: features per head.
        num_heads: number of attention heads K.
        merge: "concat" (output K * units) or "mean" (output units).
        negative_slope: the LeakyReLU slope (0.2 in the paper).
        add_self_loops: whether every node also attends to itself (default False: the notes'
            neighbours-only sum; True: Velickovic et al.).
        activation: sigma applied after merging the heads (default None).
        use_bias: whether to add a bias to z (per head and channel).
        kernel_initializer, bias_initializer: Keras initializers.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: float tensor (N, F).
        senders, receivers: int tensors (E,).

    Returns:
        (N, num_heads * units) for "concat", (N, units) for "mean".

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GATConv
    >>> layer = GATConv(4, num_heads=2)
    >>> h = layer(keras.ops.ones((3, 5)), keras.ops.array([0, 1]), keras.ops.array([1, 2]))
    >>> tuple(h.shape)
    (3, 8)
    """

    def build(self, input_shape):
        features = _feature_dim(input_shape)
        self.kernel = self._kernel((features, self.num_heads * self.units), "kernel")
        self.attention_source = self._kernel((self.num_heads, self.units), "attention_source")
        self.attention_target = self._kernel((self.num_heads, self.units), "attention_target")
        if self.use_bias:
            self.bias = self._bias((self.num_heads * self.units,))

    def call(self, node_features, senders, receivers):
        n = _num_nodes(node_features)
        senders, receivers = self._edges(senders, receivers, n)
        z = ops.matmul(node_features, self.kernel)
        if self.use_bias:
            z = z + self.bias
        z = self._split_heads(z)  # (N, heads, units)
        source_score = ops.sum(z * self.attention_source, axis=-1)  # (N, heads)
        target_score = ops.sum(z * self.attention_target, axis=-1)
        logits = ops.take(target_score, receivers, axis=0) + ops.take(source_score, senders, axis=0)
        logits = ops.leaky_relu(logits, negative_slope=self.negative_slope)
        return self._attend(logits, z, senders, receivers, n)


@keras.saving.register_keras_serializable(package="dlcourse")
class GATv2Conv(_AttentionLayer):
    """GATv2 (Brody et al., beyond the notes): the non-linearity moves before the attention vector.

    For each head k, with a query from the receiver and a value from the sender:

        q_i = W_q^k h_i + b_q,    v_j = W_v^k h_j + b_v
        e_ij = a_k . LeakyReLU(q_i + v_j)
        alpha_ij = softmax_j(e_ij),    h_i'^k = sum_j alpha_ij v_j

    heads concatenated or averaged, then sigma (outside the sum, as in the notes' GAT layer).
    Since the LeakyReLU sits between the two linear maps, the ranking of neighbours can depend
    on the receiver ("dynamic attention"). This is TF-GNN's `GATv2Conv`,
    which, like the default `add_self_loops=False`, attends to the neighbours only.

    Args:
        units: features per head.
        num_heads: number of heads K.
        merge: "concat" or "mean".
        negative_slope: the LeakyReLU slope (0.2).
        add_self_loops: whether every node also attends to itself (default False).
        activation: sigma after merging (default None).
        use_bias: whether the query and value maps have biases.
        kernel_initializer, bias_initializer: Keras initializers.
        **kwargs: base layer arguments.

    Call arguments:
        node_features: float tensor (N, F).
        senders, receivers: int tensors (E,).

    Returns:
        (N, num_heads * units) for "concat", (N, units) for "mean".

    Example:

    >>> import keras
    >>> from dlcourse.gnn import GATv2Conv
    >>> layer = GATv2Conv(4, num_heads=3, merge="mean")
    >>> h = layer(keras.ops.ones((3, 5)), keras.ops.array([0, 1]), keras.ops.array([1, 2]))
    >>> tuple(h.shape)
    (3, 4)
    """

    def build(self, input_shape):
        features = _feature_dim(input_shape)
        width = self.num_heads * self.units
        self.query_kernel = self._kernel((features, width), "query_kernel")
        self.value_kernel = self._kernel((features, width), "value_kernel")
        if self.use_bias:
            self.query_bias = self._bias((width,), "query_bias")
            self.value_bias = self._bias((width,), "value_bias")
        self.attention = self._kernel((self.num_heads, self.units), "attention")

    def call(self, node_features, senders, receivers):
        n = _num_nodes(node_features)
        senders, receivers = self._edges(senders, receivers, n)
        query = ops.matmul(node_features, self.query_kernel)
        value = ops.matmul(node_features, self.value_kernel)
        if self.use_bias:
            query, value = query + self.query_bias, value + self.value_bias
        query, value = self._split_heads(query), self._split_heads(value)
        features = ops.take(query, receivers, axis=0) + ops.take(value, senders, axis=0)
        features = ops.leaky_relu(features, negative_slope=self.negative_slope)
        logits = ops.sum(features * self.attention, axis=-1)  # (E, heads)
        return self._attend(logits, value, senders, receivers, n)
