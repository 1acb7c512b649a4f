# %% [markdown]
"""A GCN layer by message passing, in the lecture's mean form (6 points)

A GNN layer has three steps. For every edge j -> i the sender j sends its state (message),
each node averages what it receives (aggregate), and combines that with its own state
(update). The lecture's GCN layer k is

    h_i' = sigma( W_k^T (1/|N(i)|) sum_{j in N(i)} h_j  +  B_k^T h_i )

or, for all nodes at once, with one row per node,

    H' = sigma( D^-1 A H W_k + H B_k ),

where N(i) are the nodes with an edge into i, D^-1 A averages over them, and a node without
incoming edges gets 0 from the first term.

The graph comes as an edge list: `senders` and `receivers`, integer arrays of shape (E,); edge
k goes from senders[k] to receivers[k] (an undirected graph lists both directions). A node may
receive the same sender twice (a repeated edge counts twice in the mean).

Implement with numpy only (no dense N x N matrix is needed):

- `aggregate_mean(messages, receivers, num_nodes)`: messages (E, F) -> the mean message per
  receiver (N, F), 0 for nodes without incoming edges;
- `gcn_layer(h, senders, receivers, w_k, b_k, activation)`: h (N, F), w_k and b_k (F, F')
  -> H' (N, F'). `activation` is "relu" or None (identity); raise ValueError otherwise.

You may not use dlcourse.gnn, tensorflow_gnn, keras or networkx.
"""

# %%
import numpy as np


# %%
def aggregate_mean(messages, receivers, num_nodes):
    """Mean of the messages arriving at each node, shape (num_nodes, F)."""
    ### BEGIN SOLUTION
    messages = np.asarray(messages, dtype=float)
    receivers = np.asarray(receivers, dtype=int)
    total = np.zeros((num_nodes,) + messages.shape[1:])
    np.add.at(total, receivers, messages)
    count = np.bincount(receivers, minlength=num_nodes).astype(float)
    return total / np.maximum(count, 1.0).reshape((-1,) + (1,) * (messages.ndim - 1))
    ### END SOLUTION


# %%
def gcn_layer(h, senders, receivers, w_k, b_k, activation="relu"):
    """sigma(D^-1 A H W_k + H B_k), shape (N, F')."""
    ### BEGIN SOLUTION
    if activation not in ("relu", None):
        raise ValueError(f"activation must be 'relu' or None, got {activation!r}.")
    h = np.asarray(h, dtype=float)
    messages = h[np.asarray(senders, dtype=int)]
    out = aggregate_mean(messages, receivers, h.shape[0]) @ w_k + h @ b_k
    return np.maximum(out, 0.0) if activation == "relu" else out
    ### END SOLUTION
