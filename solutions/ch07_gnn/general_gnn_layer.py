# %% [markdown]
"""A general GNN layer: message, aggregation and concatenation (6 points)
Lecture: §7.2 A General GNN Framework; §7.2.1 A single GNN layer

The notes build every GNN layer from two functions, a message and an aggregation. Each node u
turns its state into a message m_u^(k) = MSG^(k)(h_u^(k-1)), and node v combines the messages of
its neighbours with its own message:

    h_v^(k) = concat( Agg({m_u^(k) : u in N(v)}), m_v^(k) )

Here MSG is linear. We store one node per row, h (N, F), and a weight W of shape (F, D), so the
message of node u is the row m_u = h_u W (the notes' W^(k) h_u^(k-1) as a row). Every
neighbour of u receives the same m_u; the notes point out that a layer may also send
different messages to different neighbours (GAT weighs every edge), which this exercise
does not do.

Agg is a permutation-invariant reduction over the in-neighbours of v, N(v) = {u : an edge
u -> v}:

    "sum":   sum_{u in N(v)} m_u
    "mean":  (1 / |N(v)|) sum_{u in N(v)} m_u
    "max":   elementwise max_{u in N(v)} m_u

The notes leave an empty N(v) open: here a node without incoming edges aggregates to the zero
vector, for all three reductions. The graph comes as an edge list, `senders` and `receivers`,
integer arrays of shape (E,) (E may be 0): edge k carries the message of node senders[k] to node
receivers[k]. A repeated edge counts as often as it appears (twice in a sum and in a mean).

The concatenation puts the aggregate first and the node's own message second, as the notes
write it: h_v^(k) has 2 D entries, the first D hold Agg, the last D hold m_v.

Beyond the notes: an optional non-linearity applied to the concatenation,
h_v^(k) = sigma(concat(...)), with `activation` "relu" or None (identity, the notes' form).

Implement with numpy only:

- `messages(h, w)` -> m (N, D), row u = m_u;
- `aggregate(m, senders, receivers, num_nodes, reduce)` -> (num_nodes, D), row v = Agg over
  the messages arriving at v; raise ValueError for a `reduce` other than "sum", "mean", "max";
- `general_gnn_layer(h, senders, receivers, w, reduce="mean", activation=None)` -> (N, 2 D);
  raise ValueError for an `activation` other than "relu" or None.

You may not use dlcourse.gnn, tensorflow_gnn, keras, tensorflow or networkx.
"""

# %%
import numpy as np


# %%
def messages(h, w):
    """The message m_u = h_u W of every node, shape (N, D)."""
    ### BEGIN SOLUTION
    return np.asarray(h, dtype=float) @ np.asarray(w, dtype=float)
    ### END SOLUTION


# %%
def aggregate(m, senders, receivers, num_nodes, reduce="mean"):
    """Sum, mean or max of the messages arriving at each node (0 without any), shape (num_nodes, D)."""
    ### BEGIN SOLUTION
    if reduce not in ("sum", "mean", "max"):
        raise ValueError(f"reduce must be 'sum', 'mean' or 'max', got {reduce!r}.")
    m = np.asarray(m, dtype=float)
    receivers = np.asarray(receivers, dtype=int)
    incoming = m[np.asarray(senders, dtype=int)]
    count = np.bincount(receivers, minlength=num_nodes).astype(float)[:, None]
    if reduce == "max":
        out = np.full((num_nodes, m.shape[1]), -np.inf)
        np.maximum.at(out, receivers, incoming)
        return np.where(count > 0, out, 0.0)
    out = np.zeros((num_nodes, m.shape[1]))
    np.add.at(out, receivers, incoming)
    return out / np.maximum(count, 1.0) if reduce == "mean" else out
    ### END SOLUTION


# %%
def general_gnn_layer(h, senders, receivers, w, reduce="mean", activation=None):
    """sigma(concat(Agg({m_u : u in N(v)}), m_v)) for every node v, shape (N, 2 D)."""
    ### BEGIN SOLUTION
    if activation not in ("relu", None):
        raise ValueError(f"activation must be 'relu' or None, got {activation!r}.")
    m = messages(h, w)
    out = np.concatenate([aggregate(m, senders, receivers, len(m), reduce), m], axis=1)
    return np.maximum(out, 0.0) if activation == "relu" else out
    ### END SOLUTION
