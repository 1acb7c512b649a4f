"""Graphs as plain tensors, and the bridge to TF-GNN's `GraphTensor`.

Lecture: §7 Graph Neural Network(GNN)

dlcourse's GNN layers are Keras 3 layers over plain
tensors -- node features x of shape (num_nodes, features), and two integer vectors of shape
(num_edges,), `senders` and `receivers`: edge k carries a message from node senders[k] to node
receivers[k]. An undirected graph lists each edge in both directions.

The adjacency matrix follows the message direction, A[receiver, sender] = 1, so that row i of
A H sums the states of the nodes that send to i; for an undirected graph A is symmetric and
this is the notes' A.

TF-GNN's `GraphTensor` is the container for data and interop (`to_graph_tensor`,
`from_graph_tensor`). TF-GNN 1.x builds its own layers with Keras 2 (`tf_keras`), so this is
the one dlcourse module that imports `tensorflow_gnn`, lazily, after setting
`TF_USE_LEGACY_KERAS=1` (TensorFlow reads it on first use of `tf.keras`; dlcourse's `import
keras` stays Keras 3).
"""

from __future__ import annotations

import os

import numpy as np

__all__ = [
    "NODES",
    "EDGES",
    "HIDDEN_STATE",
    "adjacency_matrix",
    "adjacency_to_edges",
    "undirected_edges",
    "degrees",
    "import_tensorflow_gnn",
    "to_graph_tensor",
    "from_graph_tensor",
]

NODES = "nodes"
EDGES = "edges"
HIDDEN_STATE = "hidden_state"


def _edge_vectors(senders, receivers, num_nodes=None):
    senders = np.asarray(senders, dtype=np.int64).reshape(-1)
    receivers = np.asarray(receivers, dtype=np.int64).reshape(-1)
    if senders.shape != receivers.shape:
        raise ValueError(f"senders and receivers must have the same length, got {senders.shape[0]} "
                         f"and {receivers.shape[0]}.")
    if num_nodes is not None and senders.size and max(senders.max(), receivers.max()) >= num_nodes:
        raise ValueError(f"an edge refers to node {max(senders.max(), receivers.max())} but "
                         f"num_nodes is {num_nodes}; pass the number of nodes of the graph.")
    if senders.size and min(senders.min(), receivers.min()) < 0:
        raise ValueError("senders and receivers must hold node indices >= 0.")
    return senders, receivers


def adjacency_matrix(senders, receivers, num_nodes):
    """The dense adjacency matrix A with A[receiver, sender] = number of edges sender -> receiver.

    Args:
        senders, receivers: integer arrays of shape (num_edges,).
        num_nodes: the number of nodes N.

    Returns:
        A float array of shape (N, N).

    Example:

    >>> from dlcourse.gnn import adjacency_matrix
    >>> adjacency_matrix([0, 1], [1, 2], 3).tolist()
    [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    senders, receivers = _edge_vectors(senders, receivers, num_nodes)
    a = np.zeros((num_nodes, num_nodes))
    np.add.at(a, (receivers, senders), 1.0)
    return a


def adjacency_to_edges(adjacency):
    """The (senders, receivers) int64 vectors of the non-zero entries A[receiver, sender].

    Edges come sorted by receiver, then sender.

    Example:

    >>> from dlcourse.gnn import adjacency_to_edges
    >>> s, r = adjacency_to_edges([[0, 1], [1, 0]])
    >>> s.tolist(), r.tolist()
    ([1, 0], [0, 1])
    """
    receivers, senders = np.nonzero(np.asarray(adjacency))
    return senders.astype(np.int64), receivers.astype(np.int64)


def undirected_edges(edge_list):
    """Both directions of each undirected edge (u, v) in `edge_list`, shape (num_pairs, 2).

    Returns:
        (senders, receivers), int64 arrays of shape (2 * num_pairs,).

    Example:

    >>> from dlcourse.gnn import undirected_edges
    >>> s, r = undirected_edges([(0, 1), (1, 2)])
    >>> s.tolist(), r.tolist()
    ([0, 1, 1, 2], [1, 2, 0, 1])
    """
    pairs = np.asarray(edge_list, dtype=np.int64).reshape(-1, 2)
    return (np.concatenate([pairs[:, 0], pairs[:, 1]]), np.concatenate([pairs[:, 1], pairs[:, 0]]))


def degrees(receivers, num_nodes):
    """In-degree of each node (its number of incoming edges), float array of shape (N,)."""
    return np.bincount(np.asarray(receivers, dtype=np.int64).reshape(-1), minlength=num_nodes).astype(float)


def import_tensorflow_gnn():
    """Import and return `tensorflow_gnn`, after switching `tf.keras` to Keras 2.

    TF-GNN 1.x needs Keras 2 (`tf_keras`) for its layers; `TF_USE_LEGACY_KERAS` is read when
    `tf.keras` is first used, so setting it here works after TensorFlow is loaded. Keras 3
    (`import keras`) is unaffected. Loads TensorFlow and TF-GNN, whatever the Keras backend.
    """
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import tensorflow as tf

    loader = tf.__dict__.get("keras")
    resolved = getattr(loader, "_tfll_keras_version", None) if getattr(loader, "_tfll_initialized", False) else None
    if resolved not in (None, "tf_keras"):
        raise ImportError("tf.keras was already resolved to Keras 3 in this process, so TF-GNN cannot load; "
                          "call dlcourse.gnn.import_tensorflow_gnn() before anything uses tf.keras, or set "
                          "TF_USE_LEGACY_KERAS=1 before starting Python.")
    try:
        import tensorflow_gnn as tfgnn
    except ImportError as err:  # TF-GNN (with tf-keras) is the `gnn` extra
        raise ImportError('GraphTensor interop needs TF-GNN, which is not installed; install it with '
                          '`pip install "dlcourse[gnn]"` (dlcourse.gnn\'s own layers work without it).') from err
    return tfgnn


def to_graph_tensor(node_features, senders, receivers, node_labels=None, context_labels=None):
    """A homogeneous `tfgnn.GraphTensor` with one node set "nodes" and one edge set "edges".

    Loads TensorFlow and TF-GNN (a `GraphTensor` is a TensorFlow value), whatever the Keras
    backend; on JAX, `from_graph_tensor` turns it back into the numpy arrays dlcourse's layers take.

    Args:
        node_features: float array of shape (N, F), stored as the node feature "hidden_state".
        senders, receivers: integer arrays of shape (E,): edge k goes senders[k] -> receivers[k]
            (TF-GNN's SOURCE -> TARGET).
        node_labels: optional array of shape (N,), stored as the node feature "label".
        context_labels: optional array of shape (1,) or (1, ...), a graph-level "label".

    Returns:
        A scalar `GraphTensor` (one graph component).
    """
    import tensorflow as tf

    tfgnn = import_tensorflow_gnn()
    x = np.asarray(node_features, dtype=np.float32)
    senders, receivers = _edge_vectors(senders, receivers, x.shape[0])
    node_fields = {HIDDEN_STATE: tf.constant(x)}
    if node_labels is not None:
        node_fields["label"] = tf.constant(np.asarray(node_labels))
    context = None
    if context_labels is not None:
        context = tfgnn.Context.from_fields(features={"label": tf.constant(np.asarray(context_labels))})
    return tfgnn.GraphTensor.from_pieces(
        context=context,
        node_sets={NODES: tfgnn.NodeSet.from_fields(sizes=tf.constant([x.shape[0]]), features=node_fields)},
        edge_sets={EDGES: tfgnn.EdgeSet.from_fields(
            sizes=tf.constant([senders.shape[0]]),
            adjacency=tfgnn.Adjacency.from_indices(source=(NODES, tf.constant(senders)),
                                                   target=(NODES, tf.constant(receivers))))},
    )


def from_graph_tensor(graph, node_set=NODES, edge_set=EDGES, feature=HIDDEN_STATE):
    """The plain tensors of a homogeneous `GraphTensor`, for dlcourse's Keras 3 GNN layers.

    Its input is a TensorFlow value, so TensorFlow is loaded already; its output is numpy, for
    any Keras backend.

    Args:
        graph: a scalar `tfgnn.GraphTensor` (merge a batch to components first).
        node_set, edge_set: names of the node set and of the edge set within it.
        feature: the node feature to return as node features.

    Returns:
        (node_features, senders, receivers, num_nodes): numpy arrays of shapes (N, F), (E,),
        (E,) and an int. Senders are the edges' SOURCE, receivers their TARGET.
    """
    pieces = graph.node_sets[node_set]
    adjacency = graph.edge_sets[edge_set].adjacency
    if adjacency.source_name != node_set or adjacency.target_name != node_set:
        raise ValueError(f"edge set {edge_set!r} must connect node set {node_set!r} to itself, got "
                         f"{adjacency.source_name!r} -> {adjacency.target_name!r}.")
    x = np.asarray(pieces[feature])
    return (x, np.asarray(adjacency.source, dtype=np.int64), np.asarray(adjacency.target, dtype=np.int64),
            int(np.sum(np.asarray(pieces.sizes))))
